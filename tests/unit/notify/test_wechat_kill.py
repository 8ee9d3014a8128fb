"""SIGKILL the job process mid-way through 1,000 template messages, restart it: none lost,
none sent twice.

Both job processes are real `python -m jobs` subprocesses sharing a SQLite file with this test;
the loopback WeChat holds the 300th template send open so the kill lands while its answer is
unknown. WeChat has no status query, so the app committed the batch's attempts before sending;
WeChat's TEMPLATESENDJOBFINISH pushes (posted to the message endpoint, signed, as WeChat does)
settle those WeChat got, and the restarted process sends only the rest, after the grace.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config import TestConfig
from tests.unit.wechatkit import APP_ID, WeChat
from webapp import create_app
from webapp.extensions import db as _db
from webapp.models import NotificationPreference, Outbox, User, WeChatBinding
from webapp.services.notify.notify import notify

N, PEOPLE = 1000, 50
ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = {"reminder_before": {"id": "TPL_reminder_before_000000000000000000000",
                                 "data": {"thing1": "note", "time2": "time"}}}


def _jobs_process(env):
    return subprocess.Popen([sys.executable, "-m", "jobs"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_sigkill_mid_wechat_then_restart_sends_each_exactly_once(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    kit = WeChat(hold_at=300)
    # The grace stands for "WeChat's events have come by then" (seconds, in reality); here the
    # events are posted before the second process starts.
    settings = kit.config(WECHAT_TEMPLATES=TEMPLATES, WECHAT_DOUBT_GRACE_SECONDS=3)

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
            people = [User(phone=f"1370000{i:04d}", name=f"居民{i}") for i in range(PEOPLE)]
            s.add_all(people)
            s.flush()
            for i, u in enumerate(people):
                s.add(NotificationPreference(user_id=u.id, quiet_start=None, quiet_end=None))
                s.add(WeChatBinding(user_id=u.id, app_id=APP_ID, openid=f"oP{i:03d}"))
                kit.follow(f"oP{i:03d}")
            s.commit()
            for i in range(N // PEOPLE):
                notify(s, [u.id for u in people], "reminder_before", note=f"第{i}次")
            s.commit()
            assert s.scalar(select(func.count(Outbox.id)).where(Outbox.channel == "wechat")) == N

            t0 = time.monotonic()
            first = _jobs_process(env)
            procs.append(first)
            assert kit.held.wait(90), first.stderr.read1().decode(errors="replace")
            print(f"300 sends after {time.monotonic() - t0:.1f} s")
            first.send_signal(signal.SIGKILL)  # template send no. 300 is still unanswered
            first.wait(10)
            kit.release_gate.set()  # WeChat took it: the follower gets it
            assert kit.wait_until(lambda: len(kit.sent) == kit.sends == 300, 10)
            s.rollback()
            doubts = s.scalar(select(func.count(Outbox.id)).where(
                Outbox.status == "pending", Outbox.attempt_at.is_not(None)))
            assert 1 <= doubts <= 100  # the held send and the rest of its batch, unsent

            web = app.test_client()  # WeChat's delivery reports reach the message endpoint
            for ev in list(kit.events):
                q, body = kit.push(kit.receipt_xml(ev))
                assert web.post(f"/wechat/message?{q}", data=body).status_code == 200
            s.rollback()  # what WeChat got is settled; the rest of the batch waits out the grace
            assert s.scalar(select(func.count(Outbox.id)).where(Outbox.status == "sent")) == 300

            t0 = time.monotonic()
            second = _jobs_process(env)
            procs.append(second)
            ok = kit.wait_until(lambda: len(kit.sent) >= N, timeout=180)
            assert ok, f"missing {N - len(kit.sent)}"
            print(f"the rest after {time.monotonic() - t0:.1f} s")
            got = [(to, data["thing1"]["value"]) for _m, to, _t, data, _u in kit.sent]
            assert len(got) == len(set(got)) == N  # none twice, none lost
            assert kit.errors == []
            second.send_signal(signal.SIGTERM)  # lets the running delivery record its last send
            second.wait(30)
            s.rollback()
            assert s.scalar(select(func.count(Outbox.id)).where(Outbox.status != "sent")) == 0
            assert kit.token_fetches == 1  # the second process used the stored token
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
