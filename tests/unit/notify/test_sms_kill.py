"""SIGKILL the job process mid-way through 1,000 SMS, restart it: none lost, none sent twice.

Both job processes are real `python -m jobs` subprocesses sharing a SQLite file with this test;
the loopback provider (the Alibaba SDK's endpoint, signatures checked) holds the 300th SendSms
open so the kill lands while a send's outcome is unknown. The restarted process finds that row's
attempt recorded, asks QuerySendDetails by OutId, and sends only what the provider never got.
"""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config import TestConfig
from tests.unit.smskit import SmsProvider
from webapp import create_app
from webapp.extensions import db as _db
from webapp.models import NotificationPreference, Outbox, User
from webapp.services.notify.notify import notify

N, PEOPLE = 1000, 50
ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = {"reminder_before": {"code": "SMS_100", "params": {"title": "title", "time": "note"}}}


def _jobs_process(env):
    return subprocess.Popen([sys.executable, "-m", "jobs"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# Its own SQLite file on either pass, so its outcome cannot depend on the pass's engine: it runs
# once (in the PostgreSQL pass, which has no page sweeps).
@pytest.mark.engine_neutral(run_on="postgresql")
@pytest.mark.slow
def test_sigkill_mid_sms_then_restart_sends_each_exactly_once(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    kit = SmsProvider(hold_at=300)
    # 20 reminders to each of 50 numbers: above the per-number daily limit on purpose.
    settings = kit.config("aliyun", SMS_TEMPLATES=TEMPLATES, SMS_PER_NUMBER_DAILY=N)

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = db_url
    for k, v in settings.items():
        setattr(Cfg, k, v)

    app = create_app(Cfg)
    env = dict(os.environ, DATABASE_URL=db_url, WISHGRID_INSTANCE=str(tmp_path / "instance"),
               WISHGRID_DELIVER_SECONDS="1", PYTHONUNBUFFERED="1",
               **{k: (json.dumps(v) if isinstance(v, dict) else str(v))
                  for k, v in settings.items()})
    procs = []
    try:
        with app.app_context():
            _db.create_all()
            s = _db.session
            people = [User(phone=f"1370000{i:04d}", name=f"志愿者{i}") for i in range(PEOPLE)]
            s.add_all(people)
            s.flush()
            for u in people:
                s.add(NotificationPreference(user_id=u.id, quiet_start=None, quiet_end=None))
            s.commit()
            for i in range(N // PEOPLE):
                notify(s, [u.id for u in people], "reminder_before", note=f"第{i}次")
            s.commit()
            ids = set(s.scalars(select(Outbox.id).where(Outbox.channel == "sms")))
            assert len(ids) == N
            want = {f"wg{i}" for i in ids}

            first = _jobs_process(env)
            procs.append(first)
            assert kit.held.wait(90), first.stderr.read1().decode(errors="replace")
            first.send_signal(signal.SIGKILL)  # SendSms no. 300 is still unanswered
            first.wait(10)
            kit.release_gate.set()  # the provider got it: it counts as sent on its side
            s.rollback()
            at_kill = len(kit.keys())
            assert at_kill < N
            doubts = s.scalar(select(func.count(Outbox.id)).where(
                Outbox.status == "pending", Outbox.attempt_at.is_not(None)))
            assert doubts >= 1  # the held send's attempt was recorded before it went out
            pending = s.scalar(select(func.count(Outbox.id)).where(Outbox.status == "pending"))
            assert pending >= N - at_kill

            second = _jobs_process(env)
            procs.append(second)
            ok = kit.wait_until(lambda: want <= set(kit.keys()), timeout=180)
            assert ok, f"missing {len(want - set(kit.keys()))}"
            keys = kit.keys()
            assert len(keys) == len(set(keys)) == N  # none twice
            assert kit.bad_signatures == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        kit.close()
