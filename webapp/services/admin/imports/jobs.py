"""The job process's share of big imports: checking a queued file (the preview) and importing a
confirmed one, reporting progress; old unconfirmed previews are forgotten with their file."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ....db import begin_write
from ....models import ImportJob, Org, User, utcnow
from ...errors import Conflict
from .service import Limits, RowsInvalid, _fail, _plan, _table, apply_table

PREVIEW_KEEP = timedelta(days=1)  # an unconfirmed preview (and its file) is dropped after this
RUNNING = {"checking": "queued_check", "importing": "queued_import"}  # → the queue to rejoin
STALLED = _l("后台处理中断了（处理程序停止运行），没有写入任何数据。请点“重新处理”再试一次，"
             "或重新上传文件。")


def run_check(session, job_id: int, limits: Limits, progress, now=None) -> None:
    """Check a queued file and store its preview (counts, bad rows, plan digest)."""
    job = session.get(ImportJob, job_id)
    try:
        table = _table(job, limits)
        plan = _plan(session, job.kind, session.get(Org, job.org_id), table, job.verified,
                     lambda i, n: progress(i * 99 // max(n, 1)))
    except RowsInvalid as exc:
        return _fail(session, job_id, exc.message, exc.errors, exc.counts, now)
    except Exception as exc:  # a file that read fine on upload cannot fail here, but be clear
        return _fail(session, job_id, getattr(exc, "message", None) or "检查失败，请重新上传。",
                     now=now)
    session.rollback()
    begin_write(session)
    job = session.get(ImportJob, job_id)
    job.status, job.progress = "previewed", 100
    job.counts, job.errors, job.plan_hash = plan.counts(), plan.errors, plan.digest()
    job.layout = plan.layout()
    session.commit()


def run_import(session, job_id: int, limits: Limits, progress, now=None) -> None:
    """Import a confirmed (or API-sent) file: checked with progress, then written in one
    transaction that re-checks it; bad rows or a changed plan fail the job with nothing written."""
    job = session.get(ImportJob, job_id)
    actor = session.get(User, job.requested_by_id)
    table = _table(job, limits)
    expect = job.plan_hash
    if expect is None:  # no preview (the API imported directly): check first, with progress
        plan = _plan(session, job.kind, session.get(Org, job.org_id), table, job.verified,
                     lambda i, n: progress(i * 50 // max(n, 1)))
        if plan.errors and not job.skip_bad:
            return _fail(session, job_id, RowsInvalid(plan).message, plan.errors,
                         plan.counts(), now)
        expect = plan.digest()
    progress(50)  # the write transaction holds SQLite's lock: no progress writes inside it
    session.rollback()
    try:
        apply_table(session, actor, session.get(ImportJob, job_id), table, expect, now)
    except RowsInvalid as exc:
        _fail(session, job_id, exc.message, exc.errors, exc.counts, now)
    except Conflict as exc:
        _fail(session, job_id, exc.message, now=now)


def fail_stalled(session, now, stale: timedelta) -> int:
    """Checks and imports whose job process stopped reporting `stale` ago (it died: the import's
    one transaction was rolled back) become `failed` with a clear message; their file is kept a
    day so the admin can retry."""
    cutoff = now - stale
    n = 0
    for running, queue in RUNNING.items():
        beat = func.coalesce(ImportJob.heartbeat_at, ImportJob.created_at)
        ids = list(session.scalars(select(ImportJob.id).where(ImportJob.status == running,
                                                               beat < cutoff)))
        session.rollback()
        if not ids:
            continue
        begin_write(session)
        # The same conditions again: a job that reported meanwhile is alive after all.
        n += session.execute(update(ImportJob).where(
            ImportJob.id.in_(ids), ImportJob.status == running,
            func.coalesce(ImportJob.heartbeat_at, ImportJob.created_at) < cutoff).values(
            status="failed", retry_as=queue, message=str(STALLED)[:300], finished_at=now),
            execution_options={"synchronize_session": False}).rowcount
        session.commit()
    return n


def expire_previews(session, now=None) -> int:
    """Unconfirmed previews older than PREVIEW_KEEP become `expired` and lose their file, as
    do stalled jobs nobody retried."""
    cutoff = (now or utcnow()) - PREVIEW_KEEP
    ids = list(session.scalars(select(ImportJob.id).where(
        ImportJob.status == "previewed", ImportJob.created_at < cutoff)))
    stalled = list(session.scalars(select(ImportJob.id).where(
        ImportJob.status == "failed", ImportJob.retry_as.is_not(None),
        ImportJob.finished_at < cutoff)))
    # The refused rows of a "good rows only" import (names and phones) go after a day too.
    kept = list(session.scalars(select(ImportJob.id).where(
        ImportJob.status == "done", ImportJob.skip_bad.is_(True),
        ImportJob.content.is_not(None), ImportJob.finished_at < cutoff)))
    if not ids and not stalled and not kept:
        session.rollback()
        return 0
    begin_write(session)
    n = session.execute(update(ImportJob).where(ImportJob.id.in_(ids),
                                                ImportJob.status == "previewed")
                        .values(status="expired", content=None)).rowcount
    session.execute(update(ImportJob).where(ImportJob.id.in_(kept)).values(content=None))
    session.execute(update(ImportJob).where(ImportJob.id.in_(stalled),
                                            ImportJob.status == "failed")
                    .values(retry_as=None, content=None))
    session.commit()
    return n
