"""One job process at a time: a second `hold_job_lock` waits until the first holder dies."""
import os
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.fleet.procs import wait_for

ROOT = Path(__file__).resolve().parents[3]
HOLDER = """
import logging, sys
from sqlalchemy import create_engine
from webapp.services.platform.singleton import hold_job_lock
logging.basicConfig(stream=sys.stdout, level=logging.WARNING, format="%(message)s")
lock = hold_job_lock(create_engine(sys.argv[1]), on_wait=lambda: print("waiting", flush=True))
print("held", flush=True)
if len(sys.argv) > 2:  # the job process's watchdog, checking every argv[2] seconds
    import threading
    from jobs.__main__ import _watch
    threading.Thread(target=_watch, args=(lock, float(sys.argv[2])), daemon=True).start()
sys.stdin.read()  # hold until killed
"""


def _url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgresql"):
        return url
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='wishgrid-lock-')) / 'db.sqlite3'}"


def _holder(url, *watch):
    return subprocess.Popen([sys.executable, "-c", HOLDER, url, *watch], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


@contextmanager
def _holder_and_waiter(url):
    """(first, second): the first holds the lock, the second said it waits; both killed after."""
    first = _holder(url)
    second = None
    try:
        assert first.stdout.readline().strip() == "held"
        second = _holder(url)
        # The second tried, found the lock taken and is now blocked (it said so; not "held").
        assert second.stdout.readline().strip() == "waiting"
        yield first, second
    finally:
        for p in (first, second):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait(10)


def _kill_and_hand_over(first, second) -> None:
    """SIGKILL the holder: a crash frees the lock (no stale lock to clear); the waiter takes it."""
    assert second.poll() is None
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert second.stdout.readline().strip() == "held"


def test_second_job_process_waits_until_first_dies():
    with _holder_and_waiter(_url()) as (first, second):
        _kill_and_hand_over(first, second)


def test_lock_alive_and_release_lets_another_take_it(app):
    from webapp.extensions import db
    from webapp.services.platform.singleton import hold_job_lock
    with app.app_context():
        lock = hold_job_lock(db.engine)
        assert lock.alive()
        lock.release()
        assert not lock.alive()
        again = hold_job_lock(db.engine)  # not blocked: the first released
        again.release()


def _pg_url() -> str:
    url = _url()
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite's job lock is a file lock, with no connection to cut")
    return url


def _lock_pids(granted: bool):
    """SQL for the pids that hold (or wait for) the job lock in this database."""
    from sqlalchemy import text
    return text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :k "
                f"AND {'' if granted else 'NOT '}granted AND database = (SELECT oid "
                "FROM pg_database WHERE datname = current_database())")


def test_a_holder_whose_connection_is_cut_stops_to_queue_again():
    """What a server restart can do to a waiter granted the lock just before its own backend is
    cut: it holds a dead lock. Its watchdog must stop it (exit 3) rather than run on."""
    url = _pg_url()
    from sqlalchemy import create_engine, text

    from webapp.services.platform.singleton import JOB_LOCK_KEY
    engine = create_engine(url)
    holder = _holder(url, "0.05")
    try:
        assert holder.stdout.readline().strip() == "held"
        with engine.connect() as con:
            pid = con.execute(_lock_pids(True), {"k": JOB_LOCK_KEY}).scalar()
            assert con.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
        assert holder.wait(30) == 3
        assert holder.stdout.read().startswith("job lock lost (database connection closed)")
    finally:
        if holder.poll() is None:
            holder.kill()
        engine.dispose()


def test_a_waiter_whose_connection_is_cut_connects_and_queues_again():
    url = _pg_url()
    from sqlalchemy import create_engine, text

    from webapp.services.platform.singleton import JOB_LOCK_KEY
    engine = create_engine(url)
    waiting = _lock_pids(False)

    def waiter_pid():
        with engine.connect() as con:
            return con.execute(waiting, {"k": JOB_LOCK_KEY}).scalar()
    try:
        with _holder_and_waiter(url) as (first, second):
            wait_for(lambda: waiter_pid() is not None, 30, "the waiter queued on the lock")
            pid = waiter_pid()
            with engine.connect() as con:  # what a server restart does to the waiter's connection
                assert con.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
            said = second.stdout.readline()
            assert said.startswith("database connection lost while waiting for the job lock"), said
            # It lives, and queued again on a new connection: the holder still has the lock.
            wait_for(lambda: waiter_pid() not in (None, pid), 30, "the waiter queued again")
            _kill_and_hand_over(first, second)
    finally:
        engine.dispose()
