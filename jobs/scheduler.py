"""Builds the blocking scheduler with every periodic job.

Each run takes a lease in the database first (table job_leases), so two job processes never
run the same job at the same time; a holder that died on this host is noticed at once.
"""
import logging
import os

from apscheduler.schedulers.blocking import BlockingScheduler

from . import duty, exports, imports, tasks

log = logging.getLogger(__name__)

# (function(session, now), interval trigger kwargs). Others may append additively.
JOBS: list = [
    (tasks.deliver_outbox, {"seconds": int(os.environ.get("WISHGRID_DELIVER_SECONDS", "5"))}),
    (tasks.deliver_sms, {"seconds": int(os.environ.get("WISHGRID_DELIVER_SECONDS", "5"))}),
    (tasks.deliver_wechat, {"seconds": int(os.environ.get("WISHGRID_DELIVER_SECONDS", "5"))}),
    # SMS receipts: the run is one query when nothing is due; rows say when they are due
    # (a fresh send within ~10 s, then backing off: smsout.receipt_step).
    (tasks.sms_receipts, {"seconds": int(os.environ.get("WISHGRID_RECEIPT_SECONDS", "10"))}),
    (tasks.push_silence, {"minutes": 5}),
    (tasks.reminders, {"minutes": 1}),
    (tasks.escalate_unclaimed, {"minutes": 5}),
    (tasks.confirm_overdue, {"minutes": 15}),
    (tasks.expire_wishes, {"minutes": 1}),
    (tasks.skills_match, {"minutes": 1}),
    (tasks.daily_digest, {"minutes": 5}),
    (duty.remind_half_year_duty, {"hours": 6}),  # once per half-year, from 1 June / 1 December
    (exports.process_export_jobs, {"seconds": 10}),  # large Excel/CSV exports
    (exports.expire_export_files, {"hours": 1}),  # delete them after EXPORT_KEEP_DAYS
    (imports.process_import_jobs, {"seconds": 5}),  # big Excel/CSV imports: check, then import
]
from webapp.services.lists import bookings as _bookings, project_sessions as _sessions, projects as _projects  # noqa: E402
from webapp.services.lists import checkin as _checkin  # noqa: E402
JOBS += [
    (_checkin.close_due, {"minutes": 5}),           # sessions past the check-out grace: absences,
                                                    # forgotten check-outs closed and reviewed
    (_bookings.remind_bookings, {"minutes": 5}),    # resources: confirmed bookings, 2 h ahead
    (_sessions.remind_sessions, {"minutes": 5}),    # projects: everyone signed up, 2 h ahead
    (_projects.run_calendar, {"hours": 1}),          # signed → active → completed by date
]
from webapp.services.ledger import honours as _honours  # noqa: E402
from webapp.services.shop import kept as _shop_accounts  # noqa: E402
JOBS += [
    (_honours.end_due, {"minutes": 15}),  # notices of honours past their end: levels held
    # Points lapse at a month's first instant: the kept accounts past it are replayed again
    # (readers replay them meanwhile, so this only saves the readers the work).
    (_shop_accounts.refresh_due, {"minutes": 15}),
]
LEASE_SECONDS = 300  # longer than any job should take; renewed by every run


def run_job(session, func, now, owner: str = tasks.OWNER):
    """Run one job under its lease; returns its result, or None if another process holds it."""
    from webapp.services.platform import leases
    name = func.__name__
    if not leases.acquire(session, name, owner, now, LEASE_SECONDS):
        log.info("job %s is running elsewhere; skipped", name)
        return None
    try:
        return func(session, now)
    except Exception:
        session.rollback()
        log.exception("job %s failed", name)
        return None
    finally:
        leases.release(session, name, owner, now)


def build_scheduler(app) -> BlockingScheduler:
    """One scheduler, jobs as plain functions of (session, now) run inside the app context."""
    from datetime import datetime, timezone
    sched = BlockingScheduler(timezone="Asia/Shanghai")
    for func, trigger in JOBS:
        sched.add_job(_runner(app, func), "interval", id=func.__name__, coalesce=True,
                      max_instances=1, next_run_time=datetime.now(timezone.utc), **trigger)
    return sched


def _runner(app, func):
    def run():
        from webapp.extensions import db
        from webapp.models import utcnow
        with app.app_context():
            try:
                run_job(db.session, func, utcnow())
            finally:
                db.session.remove()
    run.__name__ = run.__qualname__ = func.__name__  # readable scheduler logs
    return run
from webapp.services.pairing import visits as _visits  # noqa: E402
JOBS += [
    (_visits.remind_visits, {"hours": 6}),  # 结对走访: before the year ends, once per member
]
from webapp.services.ledger import checks as _checks  # noqa: E402
JOBS += [
    # The ledger's chains re-hashed whole: those asked for, and each at least daily.
    (_checks.check_due, {"seconds": 30}),
]
from webapp.services.admin import audit as _audit  # noqa: E402
JOBS += [
    # Issue 26: admin and disclosure logs past LOG_RETENTION_DAYS (never under 180 days).
    (_audit.purge_audit_logs, {"hours": 24}),
]
from webapp.services.rights import retention as _retention  # noqa: E402
JOBS += [
    # Issue 26: closed wishes' personal details after WISH_DETAILS_RETENTION_YEARS.
    (_retention.purge_closed_wish_details, {"hours": 6}),
]
