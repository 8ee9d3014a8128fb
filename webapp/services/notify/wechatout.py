"""Template messages from the outbox. Runs in the job process only, beside push and SMS.

None lost, none sent twice. WeChat's template send takes no key of ours and has no status
query. So a batch's attempt is recorded (`attempt_at`, committed with the last batch's outcomes)
before any of it is sent, and its rows go out in id order. A row found with `attempt_at` set had
a send whose answer never came (the process died, a read timed out): WeChat's
TEMPLATESENDJOBFINISH event for that follower settles it (`receipt`: the oldest open attempt to
that openid, which is the one sent first), and only if none has come after
WECHAT_DOUBT_GRACE_SECONDS is it sent again.
"""
import logging
import time as _time
from datetime import datetime, timedelta

import requests
from flask import current_app
from sqlalchemy import and_, bindparam, or_, select, update
from wechatpy.exceptions import WeChatClientException

from ...db import begin_write
from ...models import Notification, Outbox, WeChatBinding, Wish
from ..platform import wechat as platform
from . import channels
from .notify import push_due, tell_over_budget
from .recipients import Recipients
from .push import LEASE, MAX_ATTEMPTS, _reclaim_dead, backoff

log = logging.getLogger(__name__)
BATCH = 100       # rows per transaction: a crash leaves at most this many for the events
UNREACHABLE = {43004, 40003, 43101}  # not following / unknown openid / refused messages
RECEIPT_SLACK = timedelta(seconds=5)  # WeChat's CreateTime is whole seconds of its own clock


def grace() -> timedelta:
    """How long a send of unknown outcome waits for WeChat's event before it is resent."""
    return timedelta(seconds=int(current_app.config.get("WECHAT_DOUBT_GRACE_SECONDS", 600)))


def claim(session, now: datetime, owner: str, limit: int = BATCH, results=(),
          stats: dict | None = None) -> list:
    """One transaction: record `results` of the last batch, then lease up to `limit` due rows and
    record their attempt (before any is sent). Returns (id, attempts, params, openid) in id
    order, the order they are sent in. Rows whose person has no binding any more are dropped;
    a row whose earlier attempt is unanswered waits out the grace for WeChat's event."""
    begin_write(session)
    for kind in _record(session, results, now, owner):
        if stats is not None:
            stats[kind] = stats.get(kind, 0) + 1
    ids = session.scalars(
        select(Outbox.id).where(
            Outbox.status == "pending", Outbox.channel == "wechat", Outbox.next_attempt_at <= now,
            or_(Outbox.leased_until.is_(None), Outbox.leased_until < now))
        .order_by(Outbox.next_attempt_at, Outbox.id).limit(limit)
        .with_for_update(skip_locked=True)).all() if limit else []
    if not ids:
        session.commit()
        return []
    rows = session.execute(
        select(Outbox.id, Outbox.attempts, Outbox.params, Outbox.attempt_at, WeChatBinding.openid)
        .join(Notification, Notification.id == Outbox.notification_id)
        .join(WeChatBinding, and_(WeChatBinding.user_id == Notification.user_id,
                                  WeChatBinding.app_id == platform.app_id(),
                                  WeChatBinding.subscribed.is_(True)))
        .where(Outbox.id.in_(ids)).order_by(Outbox.id)).all()
    gone = set(ids) - {r[0] for r in rows}
    if gone:
        session.execute(update(Outbox).where(Outbox.id.in_(gone))
                        .values(status="dropped", last_error="not bound or not following",
                                leased_until=None, lease_owner=None)
                        .execution_options(synchronize_session=False))
    wait, out = grace(), []
    for oid, attempts, params, doubt_at, openid in rows:
        if doubt_at is not None and now - doubt_at < wait:  # WeChat's event may settle it
            session.execute(update(Outbox).where(Outbox.id == oid)
                            .values(next_attempt_at=doubt_at + wait)
                            .execution_options(synchronize_session=False))
        else:
            out.append((oid, attempts, params, openid))
    if out:
        session.execute(update(Outbox).where(Outbox.id.in_([r[0] for r in out]))
                        .values(leased_until=now + LEASE, lease_owner=owner, attempt_at=now)
                        .execution_options(synchronize_session=False))
    session.commit()
    return out


def _outcome(exc: Exception) -> tuple[str, str]:
    """What a failed send came to: retry, doubt (may have reached WeChat), unreachable, failed."""
    if isinstance(exc, WeChatClientException):
        code = exc.errcode
        if code in UNREACHABLE:
            return "unreachable", f"{code} {exc.errmsg}"
        if code is None or code in (-1, 45009, 45011, 45047, 40013, 40125, 40001, 42001):
            return "retry", f"{code} {exc.errmsg}"  # busy, quota, HTTP error, bad credentials
        return "failed", f"{code} {exc.errmsg}"  # template or fields: retrying cannot help
    if isinstance(exc, requests.ConnectTimeout) or "NewConnectionError" in repr(exc):
        return "retry", repr(exc)[:200]  # never left this machine
    return "doubt", repr(exc)[:200]


def send(client, openid: str, params: dict) -> tuple[str, str | None, str]:
    """One template message; (outcome, msgid, error)."""
    try:
        res = client.message.send_template(openid, params["tid"], params["data"],
                                           url=params.get("url"))
    except Exception as exc:  # noqa: BLE001 - every failure is an outcome of the row
        outcome, err = _outcome(exc)
        return outcome, None, err
    return "sent", str(res.get("msgid")), ""


def _values(outcome: str, attempts: int, ref, err: str, now: datetime) -> dict:
    base = {"leased_until": None, "lease_owner": None, "attempts": attempts + 1}
    if outcome == "sent":
        return {**base, "status": "sent", "sent_at": now, "attempt_at": None,
                "provider_ref": ref, "last_error": None}
    if outcome == "doubt":  # keep attempt_at: WeChat's event, or the grace, decides
        return {**base, "last_error": err, "next_attempt_at": now + grace()}
    if outcome == "retry" and attempts + 1 < MAX_ATTEMPTS:
        return {**base, "last_error": err, "attempt_at": None,
                "next_attempt_at": now + backoff(attempts + 1)}
    return {**base, "status": "dropped" if outcome == "unreachable" else "failed",
            "last_error": err, "attempt_at": None}


def _record(session, results, now: datetime, owner: str) -> list[str]:
    """Write a batch's outcomes (in the caller's transaction); rows no longer leased to `owner`
    (a delivery report settled them meanwhile) are left alone. Returns each recorded kind."""
    kinds: list[str] = []
    sent = [r for r in results if r[3][0] == "sent"]
    if sent:  # the common case as one executemany: a statement per row costs ~1 ms each
        t = Outbox.__table__
        stmt = (update(t).where(t.c.id == bindparam("oid"), t.c.lease_owner == owner,
                                t.c.status == "pending")
                .values(status="sent", sent_at=now, attempts=bindparam("att"), attempt_at=None,
                        provider_ref=bindparam("ref"), last_error=None, leased_until=None,
                        lease_owner=None))
        res = session.connection().execute(stmt, [
            {"oid": oid, "att": attempts + 1, "ref": out[1]} for oid, attempts, _o, out in sent])
        kinds += ["sent"] * (res.rowcount if res.rowcount >= 0 else len(sent))
    for oid, attempts, openid, (outcome, ref, err) in results:
        if outcome == "sent":
            continue
        values = _values(outcome, attempts, ref, err, now)
        done = session.execute(update(Outbox).where(
            Outbox.id == oid, Outbox.lease_owner == owner, Outbox.status == "pending")
            .values(**values).execution_options(synchronize_session=False)).rowcount
        if done and outcome == "unreachable":
            _unfollowed(session, openid)
        if done and values.get("status") in ("dropped", "failed"):
            sms_instead(session, oid, now)
        if done:
            log.warning("wechat %s: %s (%s)", oid, outcome, err)
            kinds.append(outcome)
    return kinds


def sms_instead(session, oid: int, now: datetime) -> Outbox | None:
    """WeChat will never carry this message: it goes by SMS, by the rules notify() applies to
    a person WeChat does not reach (templates, opt-outs, daily limits, the budget)."""
    n = session.scalar(select(Notification).join(Outbox, Outbox.notification_id == Notification.id)
                       .where(Outbox.id == oid))
    if n is None:
        return None
    # Muted events go by SMS too (notify(): SMS has its own opt-out), so no mute check here.
    known = Recipients(session, [n.user_id])
    pref = known.prefs().get(n.user_id)
    wish = session.get(Wish, n.wish_id) if n.wish_id else None
    ctx = channels.context(session, [n.user_id], n.event, wish, now, known)
    due = now if n.urgent else push_due(pref, now)  # quiet hours hold it, as they would have
    row = channels.add_sms(session, ctx, n, pref, due, now)
    for cid in sorted(ctx["over"]) if ctx else ():  # held back by the budget: admins are told
        tell_over_budget(session, cid, now)
    return row


def _unfollowed(session, openid: str) -> None:
    """WeChat cannot reach this follower: their next events go by SMS again."""
    session.execute(update(WeChatBinding).where(WeChatBinding.openid == openid,
                                                WeChatBinding.app_id == platform.app_id())
                    .values(subscribed=False).execution_options(synchronize_session=False))


def deliver(session, now: datetime, client, owner: str, max_batches: int = 50,
            batch: int = BATCH) -> dict:
    """Send the due template messages, batch after batch, until nothing is due."""
    stats: dict[str, int] = {}
    if client is None:
        return stats
    start = _time.monotonic()
    clock = lambda: now + timedelta(seconds=_time.monotonic() - start)  # noqa: E731
    _reclaim_dead(session, now, "wechat")
    results: list = []
    for n in range(max_batches + 1):
        rows = claim(session, clock(), owner, batch if n < max_batches else 0, results, stats)
        results = [(oid, attempts, openid, send(client, openid, params or {}))
                   for oid, attempts, params, openid in rows]
        if not rows:
            break
    return stats


def receipt(session, openid: str, msgid, status: str, at: datetime, now: datetime) -> bool:
    """WeChat's TEMPLATESENDJOBFINISH: mark the message delivered or not. A message whose send
    answer was lost is found as the oldest open attempt to this follower before the event."""
    begin_write(session)
    row = session.scalar(select(Outbox).where(Outbox.channel == "wechat",
                                              Outbox.provider_ref == str(msgid)))
    if row is None:
        row = session.scalar(
            select(Outbox).join(Notification, Notification.id == Outbox.notification_id)
            .join(WeChatBinding, and_(WeChatBinding.user_id == Notification.user_id,
                                      WeChatBinding.app_id == platform.app_id()))
            .where(Outbox.channel == "wechat", Outbox.status == "pending",
                   Outbox.attempt_at.is_not(None), Outbox.attempt_at <= at + RECEIPT_SLACK,
                   WeChatBinding.openid == openid)
            .order_by(Outbox.attempt_at, Outbox.id).limit(1))
        if row is not None:  # an UPDATE as the job writes it (outbox progress, no timeline)
            session.execute(update(Outbox).where(Outbox.id == row.id).values(
                status="sent", sent_at=row.attempt_at, provider_ref=str(msgid), attempt_at=None,
                leased_until=None, lease_owner=None, attempts=(row.attempts or 0) + 1)
                .execution_options(synchronize_session="fetch"))
    if row is None:
        session.rollback()
        return False
    ok = status == "success"
    row.delivery, row.delivered_at = ("delivered" if ok else "undelivered"), now
    if "block" in (status or ""):
        _unfollowed(session, openid)
    session.commit()
    return True
