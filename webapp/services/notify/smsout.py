"""SMS delivery from the outbox. Runs in the job process only, beside push delivery.

None lost, none sent twice: rows are leased like pushes; before each chunk of sends the attempt
is recorded (`attempt_at`, committed), and cleared with the outcome. A row found with
`attempt_at` still set had a send whose outcome is unknown (the process died, or the provider
did not answer): the provider's status query, by the row's key, decides before any resend.
"""
import logging
import time as _time
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, bindparam, func, or_, select, update

from ...db import begin_write
from ...models import Outbox, User
from .push import LEASE, MAX_ATTEMPTS, _reclaim_dead, backoff

log = logging.getLogger(__name__)
BALANCE_DELAY = timedelta(hours=1)  # out of balance: someone has to top up first
RECEIPT_WINDOW = timedelta(days=3)  # receipts later than this are not waited for
BATCH = 200       # rows claimed (and their attempts recorded) per transaction: a crash leaves
                  # at most this many doubts, each looked up once at the provider
RENEW_AFTER = 30  # seconds of sending after which the rest of the batch's lease is extended


def key(outbox_id: int) -> str:
    """The row's key at the provider (Alibaba OutId, Tencent SessionContext)."""
    return f"wg{outbox_id}"


def claim(session, now: datetime, owner: str, limit: int = BATCH, results=(),
          grace: timedelta = timedelta(0), stats: dict | None = None) -> list:
    """One transaction: record `results` of the last batch, then lease up to `limit` due rows
    and record their attempt (before any is sent). Returns (id, attempts, phone, template,
    params, doubt), where doubt is the time of an earlier attempt whose outcome is unknown."""
    begin_write(session)
    for k, v in _record(session, results, now, owner, grace).items():
        if stats is not None:
            stats[k] = stats.get(k, 0) + v
    ids = session.scalars(
        select(Outbox.id).where(
            Outbox.status == "pending", Outbox.channel == "sms", Outbox.next_attempt_at <= now,
            or_(Outbox.leased_until.is_(None), Outbox.leased_until < now))
        .order_by(Outbox.next_attempt_at, Outbox.id).limit(limit)
        .with_for_update(skip_locked=True)).all() if limit else []
    if not ids:
        session.commit()
        return []
    rows = session.execute(
        select(Outbox.id, Outbox.attempts, Outbox.phone, Outbox.template, Outbox.params,
               Outbox.attempt_at).where(Outbox.id.in_(ids))
        .order_by(Outbox.next_attempt_at, Outbox.id)).all()
    session.execute(update(Outbox).where(Outbox.id.in_(ids))
                    .values(leased_until=now + LEASE, lease_owner=owner)
                    .execution_options(synchronize_session=False))
    session.execute(update(Outbox).where(Outbox.id.in_(ids), Outbox.attempt_at.is_(None))
                    .values(attempt_at=now).execution_options(synchronize_session=False))
    session.commit()
    return [tuple(r) for r in rows]


def _flag_number(session, number: str) -> None:
    """The provider called `number` invalid: flag it on whoever it belongs to, drop its queue."""
    session.execute(update(User).where(or_(User.phone == number, User.sms_contact_phone == number))
                    .values(sms_bad_number=number).execution_options(synchronize_session=False))
    session.execute(update(Outbox).where(
        Outbox.channel == "sms", Outbox.phone == number, Outbox.status == "pending",
        Outbox.attempt_at.is_(None), Outbox.lease_owner.is_(None))
        .values(status="dropped", last_error="invalid number")
        .execution_options(synchronize_session=False))


def _values(outcome, attempts, doubt_at, ref, code, now, grace) -> tuple[dict, str]:
    base = {"leased_until": None, "lease_owner": None}
    last = (code or outcome)[:300]
    if outcome == "sent":
        return {**base, "status": "sent", "sent_at": now, "attempts": attempts + 1,
                "attempt_at": None, "provider_ref": ref, "last_error": None}, "sent"
    if outcome == "wait":  # a doubt too young for the provider's query to be sure
        return {**base, "next_attempt_at": doubt_at + grace}, "waiting"
    if outcome in ("retry", "balance", "doubt"):
        if attempts + 1 >= MAX_ATTEMPTS:
            return {**base, "status": "failed", "attempts": attempts + 1, "last_error": last,
                    "attempt_at": None}, "failed"
        delay = max(backoff(attempts + 1), BALANCE_DELAY if outcome == "balance" else timedelta())
        vals = {**base, "attempts": attempts + 1, "last_error": last,
                "next_attempt_at": now + delay}
        if outcome != "doubt":
            vals["attempt_at"] = None  # refused: certainly not sent
        return vals, "retry" if outcome != "doubt" else "doubt"
    if outcome == "bad_number":
        return {**base, "status": "dropped", "attempts": attempts + 1, "attempt_at": None,
                "last_error": last}, "dropped"
    return {**base, "status": "failed", "attempts": attempts + 1, "attempt_at": None,
            "last_error": last}, "failed"  # rejected: template/signature, retrying cannot help


def _like(at: datetime | None, now: datetime) -> datetime | None:
    """A provider's time in the form of `now` (naive UTC or aware)."""
    if at is None:
        return None
    if at.tzinfo is None:  # stored UTC without its zone
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).replace(tzinfo=None) if now.tzinfo is None \
        else at.astimezone(now.tzinfo)


def _at(out, now: datetime) -> datetime:
    """When a send went out: for one found by the status query, the provider's time or else
    the attempt's (issue 30 §4: never the query's); for a send just made, now."""
    return _like(out[3] if len(out) > 3 else None, now) or now


def _record(session, results, now, owner, grace) -> dict:
    """Write the outcomes of a batch (in the caller's write transaction); only rows still
    leased to `owner` are touched."""
    stats: dict[str, int] = {}
    mine = (Outbox.lease_owner == owner, Outbox.status == "pending")
    sent = [r for r in results if r[4][0] == "sent"]
    if sent:  # the common case, as one executemany: a statement per row costs ~1 ms each
        t = Outbox.__table__
        stmt = (update(t).where(t.c.id == bindparam("oid"), t.c.lease_owner == owner,
                                t.c.status == "pending")
                .values(status="sent", sent_at=bindparam("at"), attempts=bindparam("att"), attempt_at=None,
                        provider_ref=bindparam("ref"), last_error=None, leased_until=None,
                        lease_owner=None, delivery=bindparam("dl"), delivered_at=bindparam("dla"),
                        receipt_checked_at=bindparam("chk")))
        res = session.connection().execute(stmt, [  # a found send may bring its receipt along
            {"oid": oid, "att": attempts + 1, "ref": out[1], "at": _at(out, now),
             "dl": out[5] if len(out) > 5 else None,
             "dla": (_like(out[6], now) or now) if len(out) > 5 and out[5] else None,
             "chk": now if len(out) > 3 and out[3] is not None else None}  # found by a query
            for oid, attempts, _p, _d, out in sent])
        stats["sent"] = res.rowcount if res.rowcount >= 0 else len(sent)
    for oid, attempts, phone, doubt_at, (outcome, ref, code, *rest) in results:
        if outcome == "sent":
            continue
        values, kind = _values(outcome, attempts, doubt_at, ref, code, now, grace)
        done = session.execute(update(Outbox).where(Outbox.id == oid, *mine).values(**values)
                               .execution_options(synchronize_session=False)).rowcount
        if done and outcome == "bad_number":
            _flag_number(session, phone)
            log.warning("sms %s dropped: invalid number (provider code %s, template %s)", oid,
                        code, rest[1] if len(rest) > 1 else "?")
        elif done and kind == "failed":
            log.warning("sms %s failed: provider code %s, template %s", oid, code,
                        rest[1] if len(rest) > 1 else "?")
        elif done and kind in ("retry", "doubt"):  # staff and the log see why it waits
            log.warning("sms %s attempt %d failed: provider code %s, template %s; next at %s",
                        oid, attempts + 1, code, rest[1] if len(rest) > 1 else "?",
                        values.get("next_attempt_at"))
        stats[kind] = stats.get(kind, 0) + done
    return stats


def _renew(session, ids, owner: str, until: datetime) -> None:
    """Extend the lease on rows still to be sent: a slow provider must not let another worker
    take them (it would find their attempt recorded and ask the provider needlessly)."""
    begin_write(session)
    session.execute(update(Outbox).where(Outbox.id.in_(ids), Outbox.lease_owner == owner,
                                         Outbox.status == "pending")
                    .values(leased_until=until).execution_options(synchronize_session=False))
    session.commit()


def _one(provider, row, t: datetime, grace: timedelta):
    oid, _attempts, phone, template, params, doubt_at = row
    if doubt_at is not None:
        if t - doubt_at < grace:
            return ("wait", None, "waiting for the provider's status")
        try:
            found = provider.lookup(phone, key(oid), doubt_at)
        except Exception as exc:  # noqa: BLE001 - cannot tell: do not resend yet
            return ("doubt", None, f"status query failed: {exc}"[:200])
        if found.outcome == "sent":  # no send time in the answer: the attempt's, not now
            return ("sent", found.ref, found.code, found.at or doubt_at, template,
                    found.receipt, found.received_at)
    r = provider.send(phone, template, params or {}, key(oid))
    return (r.outcome, r.ref, r.code, None, template, None, None)


def deliver(session, now: datetime, provider, owner: str, max_batches: int = 50,
            batch: int = BATCH) -> dict:
    """Send the due SMS, batch after batch, until nothing is due (or max_batches)."""
    total: dict[str, int] = {}
    if provider is None:
        return total
    grace = provider.lookup_grace
    start = _time.monotonic()
    clock = lambda: now + timedelta(seconds=_time.monotonic() - start)  # noqa: E731
    _reclaim_dead(session, now, "sms")
    results: list = []
    for n in range(max_batches + 1):
        t = clock()
        rows = claim(session, t, owner, batch if n < max_batches else 0, results, grace, total)
        results = []
        renewed = _time.monotonic()
        for i, r in enumerate(rows):
            if _time.monotonic() - renewed > RENEW_AFTER:
                _renew(session, [x[0] for x in rows[i:]], owner, clock() + LEASE)
                renewed = _time.monotonic()
            results.append((r[0], r[1], r[2], r[5] or t, _one(provider, r, clock(), grace)))
        if not rows:
            break
    return total


# How long to wait before asking again about a message without a receipt, by its age: an
# operator answers most within seconds, so a fresh send is asked about soon, an old one rarely.
RECEIPT_STEPS = ((timedelta(minutes=1), timedelta(seconds=10)),
                 (timedelta(minutes=5), timedelta(seconds=30)),
                 (timedelta(minutes=30), timedelta(minutes=2)),
                 (timedelta(hours=6), timedelta(minutes=10)))
RECEIPT_STEP_LATE = timedelta(hours=1)


def receipt_step(age: timedelta) -> timedelta:
    """The wait before the next receipt query of a message sent `age` ago."""
    return next((step for limit, step in RECEIPT_STEPS if age < limit), RECEIPT_STEP_LATE)


def poll_receipts(session, now: datetime, provider, limit: int = 200) -> int:
    """Ask the provider for the receipts still missing and due (Alibaba QuerySendDetails;
    Tencent's callback normally comes first): a fresh send soon, then less and less often.
    Marks rows delivered/undelivered and when each was checked; returns how many got one."""
    if provider is None:
        return 0
    due = or_(Outbox.receipt_next_at <= now,
              and_(Outbox.receipt_next_at.is_(None),
                   Outbox.sent_at <= now - provider.receipt_poll_after))
    rows = session.execute(select(Outbox.id, Outbox.phone, Outbox.provider_ref, Outbox.sent_at)
                           .where(Outbox.channel == "sms", Outbox.status == "sent",
                                  Outbox.delivery.is_(None),
                                  Outbox.sent_at >= now - RECEIPT_WINDOW, due)
                           .order_by(func.coalesce(Outbox.receipt_next_at, Outbox.sent_at))
                           .limit(limit)).all()
    session.rollback()
    marked, later = 0, []
    for oid, phone, ref, sent_at in rows:
        try:
            state = provider.status(phone, ref, key(oid), sent_at)
        except Exception as exc:  # noqa: BLE001 - asked again at the next step
            log.warning("sms receipt query for %s failed: %s", oid, exc)
            state = None
        if state:
            marked += mark(session, [oid], state, now)
        else:
            later.append({"oid": oid, "next": now + receipt_step(now - _like(sent_at, now))})
    if later:  # one statement for all: the common case is "not in yet"
        begin_write(session)
        t = Outbox.__table__
        session.connection().execute(
            update(t).where(t.c.id == bindparam("oid"))
            .values(receipt_checked_at=now, receipt_next_at=bindparam("next")), later)
        session.commit()
    return marked


def mark(session, ids, state: str, now: datetime) -> int:
    """Record a receipt on SMS rows (delivered wins over a late undelivered)."""
    if not ids:
        return 0
    begin_write(session)
    cond = [Outbox.id.in_(ids), Outbox.channel == "sms"]
    if state != "delivered":
        cond.append(or_(Outbox.delivery.is_(None), Outbox.delivery != "delivered"))
    n = session.execute(update(Outbox).where(*cond)
                        .values(delivery=state, delivered_at=now, receipt_checked_at=now)
                        .execution_options(synchronize_session=False)).rowcount
    session.commit()
    return n


def tencent_callback(session, items, now: datetime) -> int:
    """Apply Tencent's status callback (a JSON list of {sid, report_status, …})."""
    if not isinstance(items, list):
        return 0
    done = 0
    for it in items[:1000]:
        if not isinstance(it, dict) or not isinstance(it.get("sid"), str):
            continue
        ids = list(session.scalars(select(Outbox.id).where(
            Outbox.channel == "sms", Outbox.provider_ref == it["sid"][:64])))
        state = "delivered" if it.get("report_status") == "SUCCESS" else "undelivered"
        done += mark(session, ids, state, now)
    return done
