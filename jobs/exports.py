"""Job: write queued large exports (ExportJob) to files, reporting progress as it goes."""
import logging
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, update

from webapp.db import begin_write
from webapp.models import ExportJob, Org
from webapp.services.ledger import exports, periods

log = logging.getLogger(__name__)


def _set(session, job_id: int, **values) -> None:
    # Progress goes through its own short transaction: the export's read stays open meanwhile.
    with session.get_bind().connect() as conn:
        conn.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values))
        conn.commit()


# Stored in the job (shown on its page): the file was never finished, so nothing to download.
STALLED = "导出中断了（处理程序停止运行），请重新导出。"


def fail_stalled_exports(session, now, stale: timedelta | None = None) -> int:
    """Running exports whose job process stopped reporting `stale` ago (default
    JOB_STALE_MINUTES) died with it: they become `failed` and the page offers to export again."""
    stale = stale or timedelta(minutes=current_app.config["JOB_STALE_MINUTES"])
    beat = func.coalesce(ExportJob.heartbeat_at, ExportJob.created_at)
    ids = list(session.scalars(select(ExportJob.id).where(ExportJob.status == "running",
                                                          beat < now - stale)))
    session.rollback()
    if not ids:
        return 0
    begin_write(session)
    n = session.execute(update(ExportJob).where(
        ExportJob.id.in_(ids), ExportJob.status == "running", beat < now - stale).values(
        status="failed", error=STALLED, finished_at=now),
        execution_options={"synchronize_session": False}).rowcount
    session.commit()
    return n


def process_export_jobs(session, now, limit: int = 3) -> int:
    """Run up to `limit` pending export jobs; each is taken with a compare-and-set."""
    fail_stalled_exports(session, now)
    out = exports.export_dir(current_app)
    out.mkdir(parents=True, exist_ok=True)
    ids = list(session.scalars(select(ExportJob.id).where(ExportJob.status == "pending")
                               .order_by(ExportJob.id).limit(limit)))
    session.rollback()
    done = 0
    for job_id in ids:
        begin_write(session)
        took = session.execute(update(ExportJob).where(
            ExportJob.id == job_id, ExportJob.status == "pending").values(
            status="running", heartbeat_at=now))
        session.commit()
        start = time.monotonic()  # heartbeats on the caller's clock (tests freeze it)
        if took.rowcount != 1:
            continue  # another job process got it
        job = session.get(ExportJob, job_id)
        path = out / f"export-{job.id}.{job.fmt}"
        try:
            period = periods.parse(job.params.get("period"), now)
            community = session.get(Org, job.community_id)
            sheet = exports.ledger_sheet(session, job.community_id, period, community.name)
            total = max(sheet.count, 1)
            progress = lambda n, _t: _set(  # noqa: E731
                session, job_id, progress=min(99, n * 100 // total),
                heartbeat_at=now + timedelta(seconds=time.monotonic() - start))
            if job.fmt == "csv":
                exports.write_csv(path, sheet, progress)
            else:
                exports.write_xlsx(path, [sheet], progress)
            session.rollback()
            # The name only: web hosts find it under their own mount of EXPORT_DIR.
            _set(session, job_id, status="done", progress=100, file_path=path.name,
                 total_rows=sheet.count, finished_at=now)
            done += 1
        except Exception as exc:  # a failed export must not stop the job process
            log.exception("export %s failed", job_id)
            session.rollback()
            _set(session, job_id, status="failed", error=str(exc)[:300], finished_at=now)
    return done


def expire_export_files(session, now, keep_days: int | None = None) -> int:
    """Delete export files finished more than EXPORT_KEEP_DAYS ago; their jobs become `expired`."""
    days = current_app.config["EXPORT_KEEP_DAYS"] if keep_days is None else keep_days
    cutoff = now - timedelta(days=days)
    out = exports.export_dir(current_app)
    old = session.execute(select(ExportJob.id, ExportJob.file_path).where(
        ExportJob.status == "done", ExportJob.finished_at < cutoff)).all()
    session.rollback()
    gone = 0
    for job_id, path in old:
        begin_write(session)
        took = session.execute(update(ExportJob).where(
            ExportJob.id == job_id, ExportJob.status == "done")
            .values(status="expired", file_path=None))
        session.commit()
        if took.rowcount == 1 and path:
            # After the commit: a crash in between leaves a stray file, never a dead link.
            (out / Path(path).name).unlink(missing_ok=True)
            gone += 1
    return gone
