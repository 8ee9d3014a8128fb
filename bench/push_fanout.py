"""Benchmark: 10,000 notifications through the outbox vs a raw webpush() loop (not a test),
and 10,000 SMS through the outbox vs a raw SDK loop (the SMS row).

    python bench/push_fanout.py [--n 10000] [--sms-n 10000] [--sms-provider aliyun|tencent]

Both send to the same loopback push service in the same run, with the same VAPID key and
subscription keys; prints pushes/s for each and the ratio (target: outbox ≥ 0.7 × raw).
The SMS row sends through the official SDK to the loopback provider of tests/unit/smskit.py
(which checks every signature) once in a plain loop and once through the outbox (target ≥ 0.9).
"""
import argparse
import os
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))

import base64  # noqa: E402

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from pywebpush import webpush  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from config import TestConfig  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import NotificationPreference, Outbox, PushSubscription, User, utcnow  # noqa: E402
from webapp.services.notify import push  # noqa: E402
from webapp.services.platform.leases import new_owner  # noqa: E402
from webapp.services.notify.notify import notify  # noqa: E402


class Counter(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    count = 0
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with Counter.lock:
            Counter.count += 1
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def browser_keys():
    key = ec.generate_private_key(ec.SECP256R1())
    pub = key.public_key().public_bytes(serialization.Encoding.X962,
                                        serialization.PublicFormat.UncompressedPoint)
    return b64(pub), b64(os.urandom(16))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--sms-n", type=int, default=10_000)
    ap.add_argument("--sms-provider", default="aliyun", choices=["aliyun", "tencent"])
    args = ap.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/push/"

    tmp = Path(tempfile.mkdtemp(prefix="wishgrid-bench-db-"))

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"

    app = create_app(Cfg)
    with app.app_context():
        db.drop_all()
        db.create_all()
        s = db.session
        users = [User(phone=f"137{i:08d}", name=f"用户{i}") for i in range(args.users)]
        s.add_all(users)
        s.flush()
        keys = browser_keys()  # one key pair is enough: encryption cost is per message anyway
        for u in users:
            s.add(PushSubscription(user_id=u.id, endpoint=f"{base}{u.id}", p256dh=keys[0],
                                   auth=keys[1]))
            s.add(NotificationPreference(user_id=u.id, quiet_start=None, quiet_end=None))
        s.commit()
        per_user = args.n // args.users
        t0 = time.perf_counter()
        for k in range(per_user):
            notify(s, [u.id for u in users], "daily_digest", note=f"第{k}批")
            s.commit()
        enqueue = time.perf_counter() - t0
        total = s.scalar(select(func.count(Outbox.id)))
        vapid, _pub = push.app_vapid(app)
        subject = "mailto:bench@wishgrid.local"
        sample = push.payload(s.scalars(select(Outbox)).first().notification)

        # Raw: a plain webpush() loop, as a script would write it (fresh claims, ttl, timeout).
        sub = {"endpoint": f"{base}raw", "keys": {"p256dh": keys[0], "auth": keys[1]}}
        Counter.count = 0
        t0 = time.perf_counter()
        for _ in range(total):
            webpush(sub, sample, vapid_private_key=vapid, vapid_claims={"sub": subject},
                    ttl=push.TTL, timeout=push.TIMEOUT)
        raw = time.perf_counter() - t0
        assert Counter.count == total

        # Outbox: the job process's delivery, leases, recording and all.
        Counter.count = 0
        sender = push.Sender(vapid, subject)
        owner = new_owner()
        t0 = time.perf_counter()
        stats = push.deliver(s, utcnow() + timedelta(seconds=1), sender, owner,
                             max_batches=10 ** 6)
        out = time.perf_counter() - t0
        assert stats["sent"] == total == Counter.count, (stats, Counter.count)
        left = s.scalar(select(func.count(Outbox.id)).where(Outbox.status != "sent"))
        assert left == 0

    raw_rate, out_rate = total / raw, total / out
    print(f"database:            {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
    print(f"notifications:       {total} ({args.users} devices), enqueued via notify() "
          f"in {enqueue:.1f} s ({total / enqueue:,.0f}/s)")
    print(f"raw webpush() loop:  {raw_rate:8.1f} pushes/s  ({raw:.1f} s)")
    print(f"outbox delivery:     {out_rate:8.1f} pushes/s  ({out:.1f} s)")
    print(f"ratio outbox/raw:    {out_rate / raw_rate:8.2f}  (target >= 0.70)")
    server.shutdown()
    if args.sms_n:
        sms_row(app, args.sms_n, args.sms_provider, args.users)


def sms_row(app, n: int, provider_name: str, people: int) -> None:
    """10,000 SMS: a raw SDK loop vs the outbox's delivery, same provider, same run."""
    from tests.unit.smskit import SmsProvider
    from webapp.services.notify import sms, smsout
    kit = SmsProvider()
    app.config.update(kit.config(provider_name, SMS_TEMPLATES={"reminder_before": {
        "code": "SMS_100", "params": {"title": "title", "time": "note"}}}))
    app.extensions.pop("wishgrid_sms", None)
    with app.app_context():
        s = db.session
        users = s.scalars(select(User).order_by(User.id).limit(people)).all()
        t0 = time.perf_counter()
        for k in range(n // len(users)):
            notify(s, [u.id for u in users], "reminder_before", note=f"第{k}批")
            s.commit()
        enqueue = time.perf_counter() - t0
        total = s.scalar(select(func.count(Outbox.id)).where(Outbox.channel == "sms"))
        phone, template, params = s.execute(select(Outbox.phone, Outbox.template, Outbox.params)
                                            .where(Outbox.channel == "sms").limit(1)).one()
        s.commit()
        s.expunge_all()  # as in the job process: a fresh session, no objects to expire
        p = sms.provider(app.config)

        # Raw: the adapter's send() in a plain loop (the SDK call and nothing else).
        t0 = time.perf_counter()
        for i in range(total):
            p.send(phone, template, params, f"raw{i}")
        raw = time.perf_counter() - t0
        assert len(kit.sent) == total and kit.bad_signatures == 0

        t0 = time.perf_counter()
        stats = smsout.deliver(s, utcnow() + timedelta(seconds=1), p, new_owner(),
                               max_batches=10 ** 6)
        out = time.perf_counter() - t0
        assert stats.get("sent") == total and len(kit.sent) == 2 * total, stats
    kit.close()
    raw_rate, out_rate = total / raw, total / out
    print(f"SMS ({provider_name}):       {total} enqueued via notify() in {enqueue:.1f} s")
    print(f"raw SDK send loop:   {raw_rate:8.1f} SMS/s    ({raw:.1f} s)")
    print(f"outbox delivery:     {out_rate:8.1f} SMS/s    ({out:.1f} s)")
    print(f"ratio outbox/raw:    {out_rate / raw_rate:8.2f}  (target >= 0.90)")


if __name__ == "__main__":
    main()
