"""Benchmark: template messages through the outbox vs a bare wechatpy loop (not a test).

    python bench/wechat_rate.py [--n 10000] [--people 1000]

Both send to the loopback WeChat of tests/unit/wechatkit.py (which checks the token, the
follower, the template id and its fields) in the same run: once as a plain
`client.message.send_template()` loop, once through `wechatout.deliver()` (leases, the batch's
attempts recorded before sending, outcomes recorded, the openid looked up per row). Prints
messages/s for each and the ratio (target: outbox ≥ 0.9 × bare loop).
"""
import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))

from sqlalchemy import func, select  # noqa: E402
from wechatpy import WeChatClient  # noqa: E402

from config import TestConfig  # noqa: E402
from tests.unit.wechatkit import APP_ID, SECRET, WeChat  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import NotificationPreference, Outbox, User, WeChatBinding, utcnow  # noqa: E402
from webapp.services.notify import wechatout  # noqa: E402
from webapp.services.notify.notify import notify  # noqa: E402
from webapp.services.platform import wechat  # noqa: E402
from webapp.services.platform.leases import new_owner  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--people", type=int, default=1000)
    args = ap.parse_args()
    kit = WeChat()
    tmp = Path(tempfile.mkdtemp(prefix="wishgrid-bench-db-"))

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    for k, v in kit.config().items():
        setattr(Cfg, k, v)
    app = create_app(Cfg)
    with app.app_context():
        db.drop_all()
        db.create_all()
        s = db.session
        users = [User(phone=f"137{i:08d}", name=f"居民{i}") for i in range(args.people)]
        s.add_all(users)
        s.flush()
        for i, u in enumerate(users):
            s.add(NotificationPreference(user_id=u.id, quiet_start=None, quiet_end=None))
            s.add(WeChatBinding(user_id=u.id, app_id=APP_ID, openid=f"oB{i:05d}"))
            kit.follow(f"oB{i:05d}")
        s.commit()
        t0 = time.perf_counter()
        for k in range(args.n // args.people):
            notify(s, [u.id for u in users], "reminder_before", note=f"第{k}批")
            s.commit()
        enqueue = time.perf_counter() - t0
        total = s.scalar(select(func.count(Outbox.id)).where(Outbox.channel == "wechat"))
        tid, data, url = (lambda p: (p["tid"], p["data"], p["url"]))(
            s.scalar(select(Outbox.params).where(Outbox.channel == "wechat").limit(1)))
        s.commit()
        s.expunge_all()  # as in the job process: a fresh session, no objects to expire

        # Bare: wechatpy's client in a plain loop (its own in-memory token, nothing recorded).
        bare = WeChatClient(APP_ID, SECRET, timeout=wechat.TIMEOUT)
        bare.API_BASE_URL = kit.base + "cgi-bin/"
        bare.fetch_access_token = lambda: bare._fetch_access_token(
            kit.base + "cgi-bin/token", {"grant_type": "client_credential", "appid": APP_ID,
                                         "secret": SECRET})

        def bare_loop() -> float:
            t0 = time.perf_counter()
            for i in range(total):
                bare.message.send_template(f"oB{i % args.people:05d}", tid, data, url=url)
            return time.perf_counter() - t0
        before = bare_loop()  # the bare loop runs before and after the outbox: on a shared
        assert len(kit.sent) == total and not kit.errors, kit.errors[:3]  # machine, load moves

        t0 = time.perf_counter()
        stats = wechatout.deliver(s, utcnow() + timedelta(seconds=1), wechat.client(app),
                                  new_owner(), max_batches=10 ** 6)
        out = time.perf_counter() - t0
        assert stats.get("sent") == total and len(kit.sent) == 2 * total, stats
        left = s.scalar(select(func.count(Outbox.id)).where(Outbox.status != "sent"))
        assert left == 0 and not kit.errors
        raw = (before + bare_loop()) / 2
    kit.close()
    raw_rate, out_rate = total / raw, total / out
    print(f"database:            {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
    print(f"template messages:   {total} ({args.people} followers), enqueued via notify() "
          f"in {enqueue:.1f} s ({total / enqueue:,.0f}/s)")
    print(f"bare wechatpy loop:  {raw_rate:8.1f} msgs/s  ({raw:.1f} s, mean of a run before and "
          f"one after the outbox)")
    print(f"outbox delivery:     {out_rate:8.1f} msgs/s  ({out:.1f} s)")
    print(f"ratio outbox/bare:   {out_rate / raw_rate:8.2f}  (target >= 0.90)")


if __name__ == "__main__":
    main()
