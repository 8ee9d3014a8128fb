"""Web Push delivery from the outbox. Runs in the job process only; the web process never pushes.

Rows are claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), sent, then recorded. A
crash between sending and recording leaves the lease to run out, so the push goes out again
(the per-wish tag collapses the duplicate on the phone) but is never lost.
"""
import hashlib
import hmac
import json
import logging
import os
import time as _time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid01, Vapid02, b64urlencode
from pywebpush import WebPushException, webpush
from sqlalchemy import or_, select, update

from ...db import begin_write
from ...models import Notification, Outbox, PushSubscription, User
from . import endpoints
from .inbox import forget_subscription
from .messages import text_in
from ..platform.leases import owner_alive

log = logging.getLogger(__name__)

TTL = 24 * 3600          # seconds a push service keeps a message for an offline phone
TIMEOUT = 10             # seconds per HTTP request to the push service
MAX_ATTEMPTS = 8         # then the row is marked failed
BATCH = 100              # rows claimed per lease
LEASE = timedelta(seconds=120)
RECORD_EVERY = 25        # sends between commits: a crash repeats at most this many pushes
_KEY_FILE = "vapid_private.pem"
REFUSED = -1             # "status" of a push whose endpoint the SSRF guard refused


def _public_b64(v: Vapid01) -> str:
    raw = v.public_key.public_bytes(serialization.Encoding.X962,
                                    serialization.PublicFormat.UncompressedPoint)
    return b64urlencode(raw)


def load_vapid(instance_path: str, private_env: str | None = None) -> tuple[Vapid01, str]:
    """The VAPID key pair: from VAPID_PRIVATE_KEY if set, else instance/vapid_private.pem,
    generated on first start (atomically, so two processes starting together agree)."""
    if private_env:
        key = private_env.strip()
        v = Vapid02.from_pem(key.encode()) if key.startswith("-----") else Vapid02.from_string(key)
        return v, _public_b64(v)
    path = Path(instance_path) / _KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        v = Vapid02()
        v.generate_keys()
        tmp = path.with_name(f"{_KEY_FILE}.{os.getpid()}.tmp")
        tmp.write_bytes(v.private_pem())
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # fails if another process won the race: use theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    # Vapid02: the RFC 8292 "vapid t=…, k=…" header that goes with aes128gcm.
    v = Vapid02.from_file(str(path))
    return v, _public_b64(v)


def app_vapid(app) -> tuple[Vapid01, str]:
    """The app's VAPID pair, loaded once per process."""
    cached = app.extensions.get("wishgrid_vapid")
    if cached is None:
        cached = load_vapid(app.instance_path, app.config.get("VAPID_PRIVATE_KEY"))
        env_pub = app.config.get("VAPID_PUBLIC_KEY")
        if env_pub and env_pub.rstrip("=") != cached[1]:
            log.warning("VAPID_PUBLIC_KEY does not match VAPID_PRIVATE_KEY; using the derived key")
        app.extensions["wishgrid_vapid"] = cached
    return cached


class _NoRedirects(requests.Session):
    """A push service never redirects; following one would lead past the endpoint check."""

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


class Sender:
    """Sends one push at a time over a kept-alive HTTP session; returns (status, headers, error).
    Each endpoint is checked first (endpoints.check_url, then every resolved address public)."""

    def __init__(self, vapid: Vapid01, subject: str, ttl: int = TTL, timeout: float = TIMEOUT,
                 allowed_hosts=(), allow_loopback: bool = False, resolve=None):
        self.vapid, self.subject, self.ttl, self.timeout = vapid, subject, ttl, timeout
        self.allowed, self.allow_loopback = endpoints.allowed_hosts(allowed_hosts), allow_loopback
        self.resolve = resolve  # None: the system resolver (tests pass their own DNS)
        self.http = _NoRedirects()

    def refusal(self, endpoint: str) -> str | None:
        """Why this endpoint must not be contacted (then it is dropped), or None."""
        try:
            host, port = endpoints.check_url(endpoint, self.allowed, self.allow_loopback)
            endpoints.check_resolved(host, port, self.allow_loopback, self.resolve)
        except endpoints.Refused as exc:
            return str(exc)
        return None

    def send(self, sub: dict, payload: str):
        """POST one encrypted message; never raises for HTTP or network errors."""
        try:
            why = self.refusal(sub.get("endpoint"))
        except endpoints.Unresolved as exc:  # DNS trouble: retried like a network error
            return None, {}, str(exc)[:300]
        if why:
            log.warning("push endpoint refused: %s", why)
            return REFUSED, {}, f"endpoint refused: {why}"[:300]
        try:
            resp = webpush(sub, payload, vapid_private_key=self.vapid,
                           vapid_claims={"sub": self.subject},  # fresh: webpush writes aud/exp
                           ttl=self.ttl, timeout=self.timeout, requests_session=self.http)
            return resp.status_code, resp.headers, None
        except WebPushException as exc:
            r = exc.response
            if r is not None:
                return r.status_code, r.headers, f"{r.status_code} {r.text[:200]}"
            return None, {}, str(exc)[:300]
        except (requests.RequestException, OSError, ValueError) as exc:
            return None, {}, f"{type(exc).__name__}: {exc}"[:300]


def retry_after(headers, now: datetime) -> timedelta | None:
    """The Retry-After header (seconds or an HTTP date) as a delay, capped at a day."""
    value = (headers or {}).get("Retry-After")
    if not value:
        return None
    try:
        delay = timedelta(seconds=int(value))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        delay = when.astimezone(timezone.utc) - now
    return min(max(delay, timedelta(seconds=1)), timedelta(days=1))


def backoff(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failures: 30 s, 1 min, 2 min … at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def payload(n: Notification, outbox_id: int | None = None, secret: str | None = None,
            locale: str | None = None) -> str:
    """What the service worker receives: title, body, url and a tag per wish; with an outbox id,
    the `ack` the worker posts back on arrival (a token only this push carries). The text is
    rendered now, in the recipient's `locale` (their language at send time)."""
    tag = f"wish-{n.wish_id}" if n.wish_id else f"n-{n.id}"
    title, body = text_in(n, locale)
    data = {"id": n.id, "title": title, "body": body, "url": n.url or "/inbox",
            "tag": tag, "urgent": n.urgent}
    if outbox_id is not None and secret:
        data["ack"] = ack_token(outbox_id, secret)
    return json.dumps(data, ensure_ascii=False)


def ack_token(outbox_id: int, secret: str) -> str:
    """"<outbox id>.<mac>": proves the acknowledging worker decrypted this very push."""
    mac = hmac.new(secret.encode(), f"push-ack:{outbox_id}".encode(), hashlib.sha256)
    return f"{outbox_id}.{mac.hexdigest()[:24]}"


def check_ack(token, secret: str) -> int | None:
    """The outbox id of a valid acknowledgement token, else None."""
    # ASCII only: int() takes "١٢" and compare_digest raises on non-ASCII str (was a 500).
    if not isinstance(token, str) or not token.isascii() or "." not in token or len(token) > 60:
        return None
    oid, _mac = token.split(".", 1)
    if not oid.isdigit() or len(oid) > 12:
        return None
    return int(oid) if hmac.compare_digest(ack_token(int(oid), secret), token) else None


def _reclaim_dead(session, now: datetime, channel: str = "push") -> None:
    """Leases of `channel`'s rows held by a job process on this host that no longer exists are
    released at once (each channel's thread frees only its own rows: see _record)."""
    owners = session.scalars(select(Outbox.lease_owner).distinct().where(
        Outbox.status == "pending", Outbox.channel == channel, Outbox.leased_until >= now)).all()
    dead = [o for o in owners if o and not owner_alive(o)]
    if dead:
        begin_write(session)
        session.execute(update(Outbox).where(Outbox.lease_owner.in_(dead), Outbox.channel == channel,
                                             Outbox.status == "pending")
                        .values(leased_until=None, lease_owner=None)
                        .execution_options(synchronize_session=False))
    session.commit()


def claim_batch(session, now: datetime, owner: str, limit: int = BATCH,
                secret: str | None = None) -> list:
    """Lease up to `limit` due rows to `owner`; returns (outbox id, attempts, sub, notification)."""
    begin_write(session)
    ids = session.scalars(
        select(Outbox.id).where(
            Outbox.status == "pending", Outbox.channel == "push", Outbox.next_attempt_at <= now,
            or_(Outbox.leased_until.is_(None), Outbox.leased_until < now))
        .order_by(Outbox.next_attempt_at, Outbox.id).limit(limit)
        .with_for_update(skip_locked=True)).all()
    if not ids:
        session.commit()
        return []
    session.execute(update(Outbox).where(Outbox.id.in_(ids))
                    .values(leased_until=now + LEASE, lease_owner=owner)
                    .execution_options(synchronize_session=False))
    rows = session.execute(
        select(Outbox.id, Outbox.attempts, PushSubscription, Notification, User.locale)
        .join(PushSubscription, PushSubscription.id == Outbox.subscription_id)
        .join(Notification, Notification.id == Outbox.notification_id)
        .join(User, User.id == Notification.user_id)
        .where(Outbox.id.in_(ids)).order_by(Outbox.next_attempt_at, Outbox.id)).all()
    found = {r[0] for r in rows}
    orphans = [i for i in ids if i not in found]  # device forgotten meanwhile
    if orphans:
        session.execute(update(Outbox).where(Outbox.id.in_(orphans))
                        .values(status="dropped", last_error="subscription gone")
                        .execution_options(synchronize_session=False))
    out = [(oid, att, {"endpoint": s.endpoint, "keys": {"p256dh": s.p256dh, "auth": s.auth}},
            s.id, payload(n, oid, secret, lang)) for oid, att, s, n, lang in rows]
    session.commit()
    return out


def _record(session, results: list, now: datetime, owner: str,
            renew_until: datetime | None = None, renew_ids=()) -> dict:
    """Write the outcome of a few sends; only rows still leased to `owner` are touched.
    The rest of the batch (`renew_ids`) gets its lease extended to `renew_until` (a slow push
    service must not let another worker take rows that are about to be sent)."""
    stats = {"sent": 0, "retry": 0, "failed": 0, "dropped": 0, "gone": 0, "refused": 0}
    begin_write(session)
    mine = (Outbox.lease_owner == owner, Outbox.status == "pending")
    sent = [r for r in results if r[3] is not None and 200 <= r[3] < 300]
    if sent:
        session.execute(update(Outbox).where(Outbox.id.in_([r[0] for r in sent]), *mine)
                        .values(status="sent", sent_at=now, attempts=Outbox.attempts + 1,
                                leased_until=None, lease_owner=None, last_error=None)
                        .execution_options(synchronize_session=False))
        session.execute(update(PushSubscription)
                        .where(PushSubscription.id.in_({r[2] for r in sent}))
                        .values(last_success_at=now).execution_options(synchronize_session=False))
        stats["sent"] = len(sent)
    gone_subs, refused_subs, sent_ids = set(), set(), {r[0] for r in sent}
    for oid, attempts, sub_id, status, headers, error in results:
        if oid in sent_ids:
            continue
        values = {"attempts": attempts + 1, "leased_until": None, "lease_owner": None,
                  "last_error": (error or str(status))[:300]}
        if status in (404, 410):
            gone_subs.add(sub_id)
            values["status"] = "dropped"
            stats["gone"] += 1
        elif status == REFUSED:  # an internal or non-allowed host: never retried, device forgotten
            refused_subs.add(sub_id)
            values["status"] = "dropped"
            stats["refused"] += 1
        elif status is None or status == 429 or status >= 500:
            if attempts + 1 >= MAX_ATTEMPTS:
                values["status"] = "failed"
                stats["failed"] += 1
                log.warning("push %s failed after %s attempts: %s", oid, attempts + 1, error)
            else:
                values["next_attempt_at"] = now + (retry_after(headers, now) or backoff(attempts + 1))
                stats["retry"] += 1
        else:  # 400, 413 and other client errors: retrying cannot help
            values["status"] = "dropped"
            stats["dropped"] += 1
            log.warning("push %s dropped: %s", oid, error)
        session.execute(update(Outbox).where(Outbox.id == oid, *mine).values(**values)
                        .execution_options(synchronize_session=False))
    for sub_id in gone_subs:
        forget_subscription(session, sub_id, "subscription expired (404/410)")
    for sub_id in refused_subs - gone_subs:
        forget_subscription(session, sub_id, "endpoint refused (not a public push service)")
    if renew_until is not None and renew_ids:
        # Only this batch's push rows: the same owner's SMS and WeChat rows belong to other
        # threads of the job process, whose transactions lock them in their own order (renewing
        # them here deadlocked with the SMS thread; the push side lost its record of 25 sends).
        session.execute(update(Outbox).where(Outbox.id.in_(list(renew_ids)), *mine)
                        .values(leased_until=renew_until)
                        .execution_options(synchronize_session=False))
    session.commit()
    return stats


def deliver(session, now: datetime, sender: Sender, owner: str, max_batches: int = 50,
            batch: int = BATCH, secret: str | None = None) -> dict:
    """Send what is due at `now`, batch after batch, until nothing is due (or max_batches)."""
    total = {"sent": 0, "retry": 0, "failed": 0, "dropped": 0, "gone": 0, "refused": 0}
    start = _time.monotonic()
    _reclaim_dead(session, now)
    for _ in range(max_batches):
        t = now + timedelta(seconds=_time.monotonic() - start)  # `now` advances with the work
        rows = claim_batch(session, t, owner, batch, secret)
        if not rows:
            break
        results, gone = [], set()
        for k, (oid, attempts, sub, sub_id, body) in enumerate(rows):
            if sub_id in gone:  # the device answered 404/410 earlier in this batch
                results.append((oid, attempts, sub_id, 410, {}, "subscription gone"))
                continue
            status, headers, error = sender.send(sub, body)
            if status in (404, 410, REFUSED):
                gone.add(sub_id)
            results.append((oid, attempts, sub_id, status, headers, error))
            if len(results) >= RECORD_EVERY:
                renew = now + timedelta(seconds=_time.monotonic() - start) + LEASE
                left = [r[0] for r in rows[k + 1:]]
                for key, v in _record(session, results, now, owner, renew, left).items():
                    total[key] += v
                results = []
        if results:
            for key, v in _record(session, results, now, owner).items():
                total[key] += v
    return total
