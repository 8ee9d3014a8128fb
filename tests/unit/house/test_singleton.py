"""One job process at a time: a second `hold_job_lock` waits until the first holder dies."""
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HOLDER = """
import sys
from sqlalchemy import create_engine
from webapp.services.platform.singleton import hold_job_lock
lock = hold_job_lock(create_engine(sys.argv[1]), on_wait=lambda: print("waiting", flush=True))
print("held", flush=True)
sys.stdin.read()  # hold until killed
"""


def _url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgresql"):
        return url
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='wishgrid-lock-')) / 'db.sqlite3'}"


def _holder(url):
    return subprocess.Popen([sys.executable, "-c", HOLDER, url], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def test_second_job_process_waits_until_first_dies():
    url = _url()
    first = _holder(url)
    second = None
    try:
        assert first.stdout.readline().strip() == "held"
        second = _holder(url)
        # The second tried, found the lock taken and is now blocked (it said so; not "held").
        assert second.stdout.readline().strip() == "waiting"
        assert second.poll() is None
        first.send_signal(signal.SIGKILL)  # a crash frees the lock: no stale lock to clear
        first.wait(10)
        assert second.stdout.readline().strip() == "held"
    finally:
        for p in (first, second):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait(10)


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
