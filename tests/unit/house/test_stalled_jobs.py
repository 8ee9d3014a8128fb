"""A job process that dies mid-import or mid-export leaves no job "running" for ever: after
JOB_STALE_MINUTES without a heartbeat the job is failed with a clear message (nothing written)
and may be retried. The clock is frozen: the job functions are called with a given `now`."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from jobs.exports import STALLED, fail_stalled_exports, process_export_jobs
from jobs.imports import process_import_jobs
from tests.unit.admin.test_imports import LIMITS, RES_HEAD, csv_bytes, written
from webapp.models import ExportJob, ImportJob
from webapp.services.admin import imports
from webapp.services.errors import Conflict

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def big(app, db, world, monkeypatch):
    """A 30-row residents list, big enough for the job process."""
    monkeypatch.setitem(app.config, "IMPORT_ASYNC_ROWS", LIMITS.async_rows)
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", LIMITS.max_rows)
    monkeypatch.setitem(app.config, "JOB_STALE_MINUTES", 10)
    rows = [RES_HEAD] + [[f"居民{i}", f"1370000{i:04d}", "第一网格", "1号楼", ""]
                         for i in range(30)]
    return csv_bytes(rows)


def _die_after_taking(db, job_id, running):
    """What a job process leaves when it is killed right after taking a job."""
    db.execute(update(ImportJob).where(ImportJob.id == job_id)
               .values(status=running, heartbeat_at=T0, progress=50))
    db.commit()


def _job(db, job_id) -> ImportJob:
    db.expire_all()
    return db.get(ImportJob, job_id)


def test_a_dead_import_fails_after_the_timeout_and_can_be_retried(db, world, big):
    job = imports.preview(db, world.admin, "residents", world.ca, "big.csv", big, LIMITS)
    assert process_import_jobs(db, T0) == 1  # checked: previewed
    assert imports.confirm(db, world.admin, job.id, LIMITS).status == "queued_import"
    _die_after_taking(db, job.id, "importing")
    users = written(db)["User"]

    assert process_import_jobs(db, T0 + timedelta(minutes=9)) == 0  # still within its lease
    assert _job(db, job.id).status == "importing"
    process_import_jobs(db, T0 + timedelta(minutes=11))
    j = _job(db, job.id)
    assert (j.status, j.retry_as) == ("failed", "queued_import")
    assert "中断" in j.message and "没有写入任何数据" in j.message
    assert written(db)["User"] == users  # the dead transaction wrote nothing

    assert imports.retry(db, world.admin, job.id).status == "queued_import"
    with pytest.raises(Conflict):
        imports.retry(db, world.admin, job.id)  # queued again: not a stalled job any more
    assert process_import_jobs(db, T0 + timedelta(minutes=12)) == 1
    j = _job(db, job.id)
    assert (j.status, j.counts["create"], j.message, j.content) == ("done", 30, None, None)
    assert written(db)["User"] == users + 30


def test_a_dead_check_is_retried_as_a_check_never_as_an_import(db, world, big):
    job = imports.preview(db, world.admin, "residents", world.ca, "big.csv", big, LIMITS)
    _die_after_taking(db, job.id, "checking")
    process_import_jobs(db, T0 + timedelta(minutes=11))
    assert (_job(db, job.id).status, _job(db, job.id).retry_as) == ("failed", "queued_check")
    imports.retry(db, world.admin, job.id)
    users = written(db)["User"]
    process_import_jobs(db, T0 + timedelta(minutes=12))
    assert _job(db, job.id).status == "previewed"  # the admin still confirms the preview
    assert written(db)["User"] == users
    with pytest.raises(Conflict):
        imports.retry(db, world.admin, job.id)  # a preview is no stalled job


def test_heartbeats_keep_a_slow_job_alive_and_a_stalled_file_is_dropped_after_a_day(
        db, world, big):
    job = imports.preview(db, world.admin, "residents", world.ca, "big.csv", big, LIMITS)
    _die_after_taking(db, job.id, "checking")
    db.execute(update(ImportJob).where(ImportJob.id == job.id)
               .values(heartbeat_at=T0 + timedelta(minutes=8)))  # it reported at 9:08
    db.commit()
    process_import_jobs(db, T0 + timedelta(minutes=15))
    assert _job(db, job.id).status == "checking"
    process_import_jobs(db, T0 + timedelta(minutes=19))
    assert _job(db, job.id).status == "failed"
    # Nobody retried it: a day later its file (names and phones) is gone, and so is the retry.
    process_import_jobs(db, T0 + timedelta(days=1, minutes=20))
    j = _job(db, job.id)
    assert (j.status, j.retry_as, j.content) == ("failed", None, None)
    with pytest.raises(Conflict):
        imports.retry(db, world.admin, job.id)


def test_taking_a_job_and_its_progress_write_heartbeats(db, world, big):
    job = imports.preview(db, world.admin, "residents", world.ca, "big.csv", big, LIMITS)
    process_import_jobs(db, T0)
    beat = _job(db, job.id).heartbeat_at
    assert beat is not None and T0 <= beat < T0 + timedelta(minutes=1)


def test_a_dead_export_fails_after_the_timeout(app, db, world, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "JOB_STALE_MINUTES", 10)
    dead = ExportJob(community_id=world.ca.id, requested_by_id=world.admin.id, kind="ledger",
                     fmt="csv", params={"period": "2026-03"}, status="running",
                     heartbeat_at=T0, created_at=T0)
    db.add(dead)
    db.commit()
    assert fail_stalled_exports(db, T0 + timedelta(minutes=9)) == 0
    process_export_jobs(db, T0 + timedelta(minutes=11))
    db.expire_all()
    dead = db.get(ExportJob, dead.id)
    assert (dead.status, dead.error) == ("failed", STALLED)
    # A new export of the same ledger runs (the page's 重新导出), with a heartbeat of its own.
    again = ExportJob(community_id=world.ca.id, requested_by_id=world.admin.id, kind="ledger",
                      fmt="csv", params={"period": "2026-03"}, status="pending")
    db.add(again)
    db.commit()
    assert process_export_jobs(db, T0 + timedelta(minutes=12)) == 1
    db.expire_all()
    again = db.get(ExportJob, again.id)
    assert again.status == "done" and again.heartbeat_at >= T0 + timedelta(minutes=12)
