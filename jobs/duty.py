"""Job: remind in-service members a month before the half-year ends if they have not served."""
from sqlalchemy import select

from webapp.db import begin_write
from webapp.models import Notification
from webapp.services.ledger import duty
from webapp.services.notify.notify import notify
from webapp.services.ledger.periods import half_of


def remind_half_year_duty(session, now) -> int:
    """Notify each member who owes the half-year service and has none; once per half-year."""
    if not duty.in_reminder_window(now):
        return 0
    begin_write(session)
    since = duty.reminder_start(half_of(now))
    due = duty.members_to_remind(session, now)
    already = set(session.scalars(select(Notification.user_id).where(
        Notification.event == "duty_reminder", Notification.created_at >= since)))
    todo = [u for u in due if u not in already]
    notify(session, todo, "duty_reminder", note=half_of(now).phrase, now=now, url="/ledger/me")
    session.commit()
    return len(todo)
