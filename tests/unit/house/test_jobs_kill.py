"""SIGKILL the job process while it delivers 1,000 pushes, restart it: none is lost.

Both job processes are real `python -m jobs` subprocesses sharing a SQLite file with this test;
the loopback push service holds one request open so the kill lands mid-delivery for certain.
"""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.pushkit import Browser, PushService
from sqlalchemy import func, select

from config import TestConfig
from webapp import create_app
from webapp.extensions import db as _db
from webapp.models import NotificationPreference, Outbox, User
from webapp.services.notify import inbox, push
from webapp.services.notify.notify import notify

N = 1000
ROOT = Path(__file__).resolve().parents[3]


def _jobs_process(env):
    return subprocess.Popen([sys.executable, "-m", "jobs"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# Its own SQLite file on either pass, so its outcome cannot depend on the pass's engine: it runs
# once (in the PostgreSQL pass, which has no page sweeps).
@pytest.mark.engine_neutral(run_on="postgresql")
@pytest.mark.slow
def test_sigkill_mid_delivery_then_restart_delivers_every_notification(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = db_url

    app = create_app(Cfg)
    browser = Browser()
    svc = PushService(decode=lambda body: browser.decrypt(body)["id"], hold_at=300)
    env = dict(os.environ, DATABASE_URL=db_url, WISHGRID_INSTANCE=str(tmp_path / "instance"),
               WISHGRID_DELIVER_SECONDS="1", PYTHONUNBUFFERED="1",
               WISHGRID_TEST_PUSH_LOOPBACK="1")  # the job process pushes to 127.0.0.1
    procs = []
    try:
        with app.app_context():
            _db.create_all()
            s = _db.session
            user = User(phone="13900000001", name="测试")
            s.add(user)
            s.flush()
            s.add(NotificationPreference(user_id=user.id, quiet_start=None, quiet_end=None))
            s.commit()
            inbox.subscribe(s, user, browser.subscription(svc.endpoint("phone")),
                            allow_insecure=True)
            for i in range(N):
                notify(s, [user.id], "daily_digest", note=f"第{i}条")
            s.commit()
            ids = set(s.scalars(select(Outbox.notification_id)))
            assert len(ids) == N

            first = _jobs_process(env)
            procs.append(first)
            assert svc.held.wait(60), first.stderr.read1().decode(errors="replace")
            first.send_signal(signal.SIGKILL)  # mid-send: request 300 is still unanswered
            first.wait(10)
            svc.release_gate.set()
            at_kill = svc.count()
            assert at_kill < N
            pending = s.scalar(select(func.count(Outbox.id)).where(Outbox.status == "pending"))
            assert pending >= N - at_kill  # the crash lost no row: the rest is still queued

            second = _jobs_process(env)
            procs.append(second)
            ok = svc.wait_until(lambda: ids <= set(svc.decoded), timeout=120)
            assert ok, f"missing {len(ids - set(svc.decoded))}"
            # At least once: only the pushes sent but not yet recorded before the kill repeat.
            assert svc.count() - N <= push.RECORD_EVERY
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        svc.close()
