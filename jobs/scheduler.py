"""Builds the blocking scheduler with every periodic job (filled in by the notifications work)."""
from apscheduler.schedulers.blocking import BlockingScheduler

JOBS: list = []  # (function(session, now), trigger kwargs)


def build_scheduler(app) -> BlockingScheduler:
    """One scheduler, jobs as plain functions of (session, now) run inside the app context."""
    sched = BlockingScheduler(timezone="Asia/Shanghai")
    for func, trigger in JOBS:
        sched.add_job(_runner(app, func), "interval", id=func.__name__, coalesce=True,
                      max_instances=1, **trigger)
    return sched


def _runner(app, func):
    def run():
        from webapp.extensions import db
        from webapp.models import utcnow
        with app.app_context():
            func(db.session, utcnow())
    run.__name__ = func.__name__
    return run
