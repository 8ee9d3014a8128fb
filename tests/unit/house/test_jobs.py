"""Timed jobs under a frozen clock (`now` passed in): each fires exactly when due, not before,
and never twice; a second run at the same instant changes nothing."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import subprocess
import sys
from sqlalchemy import select, update

from jobs import tasks
from jobs.scheduler import JOBS, run_job
from webapp.models import JobLease, Notification, Reminder, Wish, utcnow
from webapp.services.wishes import claims, wishes
from webapp.services.notify import inbox
from webapp.services.platform import leases

SH = ZoneInfo("Asia/Shanghai")
S = timedelta(seconds=1)


def sent(db, event, user=None):
    """Who received `event` (user ids, one per notification, in order)."""
    q = select(Notification.user_id).where(Notification.event == event)
    if user is not None:
        q = q.where(Notification.user_id == user.id)
    return list(db.scalars(q.order_by(Notification.id)))


def soon(days=1):
    return (utcnow() + timedelta(days=days)).replace(microsecond=0)


def test_every_job_is_scheduled_once_with_a_trigger():
    names = [f.__name__ for f, _t in JOBS]
    assert len(names) == len(set(names))
    for needed in ("deliver_outbox", "reminders", "escalate_unclaimed", "confirm_overdue",
                   "expire_wishes", "skills_match", "daily_digest", "remind_half_year_duty",
                   "process_export_jobs", "refresh_due", "check_due"):
        assert needed in names


def test_reminder_fires_at_the_lead_time_before_the_wanted_time_once(db, world, make_wish):
    wanted = soon()
    wish = make_wish("claimed", wanted_from=wanted)
    due = wanted - timedelta(minutes=120)
    assert tasks.reminders(db, due - S) == 1          # schedules the row, sends nothing
    assert sent(db, "reminder_before") == []
    assert tasks.reminders(db, due) == 1
    assert sent(db, "reminder_before") == [world.member.id]
    assert tasks.reminders(db, due) == 0
    assert tasks.reminders(db, due + timedelta(minutes=30)) == 0
    assert sent(db, "reminder_before") == [world.member.id]
    (n,) = db.scalars(select(Notification).where(Notification.event == "reminder_before"))
    local = wanted.astimezone(SH)
    assert f"{local:%H:%M}" in n.body and n.url == f"/wishes/{wish.id}"


def test_releasing_the_claim_cancels_its_reminder(db, world, make_wish):
    wanted = soon()
    wish = make_wish("claimed", wanted_from=wanted)
    due = wanted - timedelta(minutes=120)
    tasks.reminders(db, due - timedelta(hours=1))
    (claim,) = wishes.live_claims(db, wish)
    claims.release(db, world.member, claim.id)
    assert tasks.reminders(db, due) == 0
    assert sent(db, "reminder_before") == []
    (r,) = db.scalars(select(Reminder).where(Reminder.kind == "wanted"))
    assert r.cancelled_at is not None and r.fired_at is None


def test_unclaimed_wish_escalates_to_grid_worker_then_community_admin(db, world, make_wish):
    wish = make_wish("published")
    p = wish.published_at
    n, m = timedelta(hours=48), timedelta(hours=48)
    assert tasks.escalate_unclaimed(db, p + n - S) == 0
    assert tasks.escalate_unclaimed(db, p + n) == 1
    assert sent(db, "wish_escalated") == [world.grid_worker.id]
    assert tasks.escalate_unclaimed(db, p + n) == 0
    assert tasks.escalate_unclaimed(db, p + n + m - S) == 0
    assert sent(db, "wish_escalated_admin") == []
    assert tasks.escalate_unclaimed(db, p + n + m) == 1
    assert sent(db, "wish_escalated_admin") == [world.admin.id]
    assert tasks.escalate_unclaimed(db, p + n + m + timedelta(days=9)) == 0
    db.refresh(wish)
    assert wish.escalation_level == 2 and wish.status == "published"
    assert sent(db, "wish_escalated") == [world.grid_worker.id]


def test_escalation_uses_community_settings_and_skips_claimed_wishes(db, world, make_wish):
    world.ca.settings = {"escalate_after_hours": 2, "escalate_again_hours": 1}
    db.commit()
    idle = make_wish("published", title="没人认领的心愿")
    make_wish("claimed", title="已认领的心愿")
    p = idle.published_at
    assert tasks.escalate_unclaimed(db, p + timedelta(hours=3)) == 2  # catches up both levels
    assert sent(db, "wish_escalated") == [world.grid_worker.id]
    assert sent(db, "wish_escalated_admin") == [world.admin.id]
    assert tasks.escalate_unclaimed(db, p + timedelta(hours=3)) == 0


def test_unconfirmed_done_wish_asks_the_grid_worker_after_n_days(db, world, make_wish):
    wish = make_wish("done")
    due = wish.done_at + timedelta(days=3)
    assert tasks.confirm_overdue(db, due - S) == 0
    assert tasks.confirm_overdue(db, due) == 1
    assert sent(db, "confirm_overdue") == [world.grid_worker.id]
    assert tasks.confirm_overdue(db, due) == 0
    assert tasks.confirm_overdue(db, due + timedelta(days=5)) == 0
    assert sent(db, "confirm_overdue") == [world.grid_worker.id]


def test_deadline_passed_unclaimed_expires_through_the_lifecycle(db, world, make_wish):
    deadline = soon(2)
    wish = make_wish("published", deadline=deadline)
    taken = make_wish("claimed", deadline=deadline, title="有人认领")
    assert tasks.expire_wishes(db, deadline - S) == 0
    assert tasks.expire_wishes(db, deadline) == 1
    db.refresh(wish)
    db.refresh(taken)
    assert wish.status == "expired" and taken.status == "claimed"
    assert [e.action for e in wish.events][-1] == "expire"
    assert sent(db, "wish_expired") == [world.resident.id]
    assert tasks.expire_wishes(db, deadline) == 0
    assert sent(db, "wish_expired") == [world.resident.id]


def test_skills_match_tells_opted_in_members_of_the_grid_only(db, world, make_wish):
    for u, skills in ((world.member3, "买菜，维修"), (world.member2, "买菜"), (world.member, "买菜")):
        u.skills = skills
    db.commit()
    opt_in = {"events": list(inbox.PREF_EVENTS), "skills_match": "1"}
    inbox.save_preferences(db, world.member3, opt_in)   # grid A2, matching: told
    inbox.save_preferences(db, world.member, opt_in)    # grid A1: another grid, not told
    wish = make_wish("pending_review", resident=world.resident2, title="帮忙买菜送上楼")
    assert tasks.skills_match(db, utcnow()) == 0        # not published yet
    wishes.review(db, world.admin, wish.id, "approve")
    now = db.get(Wish, wish.id).published_at
    assert tasks.skills_match(db, now - S) == 0         # not before it is published
    assert tasks.skills_match(db, now) == 1
    assert sent(db, "skills_match") == [world.member3.id]
    assert tasks.skills_match(db, now) == 0
    assert tasks.skills_match(db, now + timedelta(hours=1)) == 0
    assert sent(db, "skills_match") == [world.member3.id]


def test_daily_digest_at_eight_local_once_a_day(db, world, make_wish):
    make_wish("pending_review")
    day = datetime.now(SH).date() + timedelta(days=1)
    eight = datetime(day.year, day.month, day.day, 8, 0, tzinfo=SH).astimezone(timezone.utc)
    assert tasks.daily_digest(db, eight - S) == 0
    assert tasks.daily_digest(db, eight) == 1
    assert sent(db, "daily_digest") == [world.admin.id]
    (n,) = db.scalars(select(Notification).where(Notification.event == "daily_digest"))
    assert "1 条心愿待审核" in n.body
    assert tasks.daily_digest(db, eight) == 0
    assert tasks.daily_digest(db, eight + timedelta(hours=10)) == 0
    assert tasks.daily_digest(db, eight + timedelta(days=1)) == 1
    assert sent(db, "daily_digest") == [world.admin.id, world.admin.id]


def test_a_job_held_by_a_live_process_is_skipped_and_a_dead_holder_is_replaced(db, world,
                                                                                 make_wish):
    wish = make_wish("published")
    when = wish.published_at + timedelta(hours=48)
    other = leases.new_owner().rsplit(":", 2)[0] + f":{1}:live"  # pid 1 is always alive
    assert leases.acquire(db, "escalate_unclaimed", other, when, 300)
    assert run_job(db, tasks.escalate_unclaimed, when) is None
    assert sent(db, "escalate_unclaimed") == [] and sent(db, "wish_escalated") == []
    # The holder dies (a finished process): the lease is taken over at once.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = leases.new_owner().rsplit(":", 2)[0] + f":{child.pid}:dead"
    db.execute(update(JobLease).values(owner=dead))
    db.commit()
    assert run_job(db, tasks.escalate_unclaimed, when) == 1
    assert sent(db, "wish_escalated") == [world.grid_worker.id]
    assert leases.holder(db, "escalate_unclaimed") is None
    assert run_job(db, tasks.escalate_unclaimed, when) == 0
