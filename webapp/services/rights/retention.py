"""Retention of a closed wish's personal details: WISH_DETAILS_RETENTION_YEARS after it ended,
the job wipes what the resident wrote (description, comment, the reviewer's reason, the edits'
old texts) and the title of a sensitive wish; the wish, its hours and its ledger stay."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from ...db import begin_write
from ...models import Wish, WishEvent, utcnow

ENDED = ("closed", "confirmed", "rejected", "withdrawn", "expired")
BATCH = 500
WIPED = "已按保存期限清除"  # stored, not shown translated: the record says what happened


def cutoff(now):
    """Wishes that ended before this instant lose their details."""
    years = max(1, int(current_app.config.get("WISH_DETAILS_RETENTION_YEARS", 3)))
    return now - timedelta(days=365 * years)


def purge_closed_wish_details(session, now=None) -> int:
    """The job: wipe the personal details of wishes ended before the retention; returns how
    many. A second run changes nothing (wiped wishes no longer match)."""
    now = now or utcnow()
    ended = func.coalesce(Wish.done_at, Wish.updated_at, Wish.created_at)
    ids = list(session.scalars(select(Wish.id).where(
        Wish.status.in_(ENDED), ended < cutoff(now),
        (Wish.description != "") | Wish.comment.is_not(None) | Wish.reject_reason.is_not(None)
        | (Wish.sensitive.is_(True) & (Wish.title != WIPED))).limit(BATCH)))
    if not ids:
        return 0
    begin_write(session)
    session.execute(update(Wish).where(Wish.id.in_(ids)).values(
        description="", comment=None, reject_reason=None).execution_options(
        synchronize_session=False))
    session.execute(update(Wish).where(Wish.id.in_(ids), Wish.sensitive.is_(True))
                    .values(title=WIPED).execution_options(synchronize_session=False))
    session.execute(update(WishEvent).where(WishEvent.wish_id.in_(ids), WishEvent.changes.is_not(None))
                    .values(changes=None).execution_options(synchronize_session=False))
    session.commit()
    return len(ids)


