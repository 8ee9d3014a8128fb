"""Job: check and import big uploaded lists (ImportJob), reporting progress as it goes."""
import logging
import time
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update

from webapp.db import begin_write
from webapp.models import ImportJob, User
from webapp.services.admin.imports import Limits
from webapp.services.admin.imports import jobs as import_jobs

log = logging.getLogger(__name__)
STEPS = {"queued_check": ("checking", import_jobs.run_check),
         "queued_import": ("importing", import_jobs.run_import)}


def _set(session, job_id: int, **values) -> None:
    # Progress goes through its own short transaction, outside the job's own work.
    with session.get_bind().connect() as conn:
        conn.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))
        conn.commit()


def process_import_jobs(session, now, limit: int = 2) -> int:
    """Run up to `limit` queued checks or imports; each is taken with a compare-and-set."""
    limits = Limits.of(current_app.config)
    import_jobs.fail_stalled(session, now, timedelta(minutes=current_app.config["JOB_STALE_MINUTES"]))
    import_jobs.expire_previews(session, now)
    queued = session.execute(select(ImportJob.id, ImportJob.status, User.locale).join(
        User, User.id == ImportJob.requested_by_id).where(
        ImportJob.status.in_(tuple(STEPS))).order_by(ImportJob.id).limit(limit)).all()
    session.rollback()
    done = 0
    for job_id, status, locale in queued:
        running, step = STEPS[status]
        begin_write(session)
        took = session.execute(update(ImportJob).where(
            ImportJob.id == job_id, ImportJob.status == status).values(
            status=running, heartbeat_at=now))
        session.commit()
        if took.rowcount != 1:
            continue  # another job process got it
        start = time.monotonic()  # heartbeats on the caller's clock (tests freeze it)

        def progress(p, job_id=job_id, start=start):
            _set(session, job_id, progress=min(99, p),
                 heartbeat_at=now + timedelta(seconds=time.monotonic() - start))
        try:
            # The bad rows' messages in the language of the admin who reads them.
            with force_locale(locale or "zh_CN"):
                step(session, job_id, limits, progress, now)
            done += 1
        except Exception:  # a failed import must not stop the job process
            log.exception("import %s failed", job_id)
            session.rollback()
            _set(session, job_id, status="failed", content=None, finished_at=now,
                 message="导入失败，没有写入任何数据。请稍后重试。")
    return done
