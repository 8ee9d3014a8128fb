"""One job process at a time: `hold_job_lock(engine)` blocks until this process is the one.

PostgreSQL: a session-level advisory lock on a dedicated connection, held until the process
exits (a crash closes the connection and frees the lock at once). SQLite: an exclusive flock on
a file beside the database, freed by the kernel when the process dies.
"""
import fcntl
import logging
import os
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

JOB_LOCK_KEY = 0x57495348  # "WISH": one number every job process agrees on


class JobLock:
    """A held lock; `release()` (or process exit) frees it."""

    def __init__(self, kind: str, handle):
        self.kind, self._handle = kind, handle

    def alive(self) -> bool:
        """Still held? (PostgreSQL: the connection is up and the lock is ours.)"""
        if self.kind != "postgresql":
            return self._handle is not None
        try:
            return bool(self._handle.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = pg_backend_pid() AND objid = :k"), {"k": JOB_LOCK_KEY}).scalar())
        except Exception:  # noqa: BLE001 - a dead connection means the lock is gone
            return False

    def release(self) -> None:
        """Free the lock now."""
        if self._handle is None:
            return
        if self.kind == "postgresql":
            try:
                self._handle.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": JOB_LOCK_KEY})
            finally:
                self._handle.close()
        else:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
        self._handle = None


def _lock_file(engine: Engine) -> Path:
    db = engine.url.database
    if db and db != ":memory:":
        return Path(db).with_name(Path(db).name + ".jobs.lock")
    return Path(os.environ.get("WISHGRID_INSTANCE", "instance")) / "jobs.lock"


def _hold_pg(engine: Engine, on_wait, retry_seconds: float = 1.0) -> JobLock:
    """The advisory lock on a dedicated connection. A waiter whose connection is cut (the
    database restarts) connects again and queues again, rather than dying with a traceback."""
    said = False
    while True:
        conn = None
        try:
            conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                               {"k": JOB_LOCK_KEY}).scalar()
            if not got:
                if not said:
                    log.info("another job process holds the lock; waiting")
                    if on_wait:
                        on_wait()
                    said = True
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": JOB_LOCK_KEY})
            log.info("job lock held (PostgreSQL advisory lock %s)", JOB_LOCK_KEY)
            return JobLock("postgresql", conn)
        except OperationalError as exc:
            if conn is not None:
                conn.invalidate()  # a dead connection: never back into the pool
            log.warning("database connection lost while waiting for the job lock (%s); "
                        "trying again", str(exc).splitlines()[0] if str(exc) else exc)
            time.sleep(retry_seconds)  # the server is restarting: do not spin


def hold_job_lock(engine: Engine, on_wait=None) -> JobLock:
    """Block until this is the only job process; `on_wait()` is called once if we must wait."""
    if engine.dialect.name == "postgresql":
        return _hold_pg(engine, on_wait)
    path = _lock_file(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")  # noqa: SIM115 - kept open for the life of the lock
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log.info("another job process holds %s; waiting", path)
        if on_wait:
            on_wait()
        fcntl.flock(fh, fcntl.LOCK_EX)
    log.info("job lock held (%s)", path)
    return JobLock("file", fh)
