"""The service-hour ledger: approval of confirmed records, hash-chained append-only entries.

Every append locks the community's chain head (LedgerChain, SELECT … FOR UPDATE on PostgreSQL,
BEGIN IMMEDIATE on SQLite), so two approvals can never both link to the same previous hash.
"""
import hashlib
import json
from datetime import timezone
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..db import begin_write
from ..models import (LedgerChain, LedgerEntry, Org, RecordReview, ServiceRecord, User, Wish,
                      utcnow)
from . import policy
from .errors import Conflict, Forbidden, Invalid, NotFound
from .orgs import setting
from .periods import month_key

GENESIS = "0" * 64
TENTH = Decimal("0.1")

HASHED_FIELDS = ("community_id", "seq", "volunteer_id", "unit_id", "wish_id", "record_id",
                 "grid_id", "category_id", "service_date", "service_month", "hours", "points",
                 "kind", "reverses_id", "reason", "actor_id", "created_at", "prev_hash")


def _canon(value):
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    if hasattr(value, "astimezone"):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return value


def entry_hash(values) -> str:
    """SHA-256 over the canonical JSON of an entry's content and its previous hash."""
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k)
    doc = {k: _canon(get(k)) for k in HASHED_FIELDS}
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def lock_chain(session, community_id: int) -> LedgerChain:
    """The community's chain head, locked for this transaction (created on first use)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
        session.execute(insert(LedgerChain).values(community_id=community_id, last_seq=0,
                                                   last_hash=GENESIS, cert_seq=0,
                                                   updated_at=utcnow())
                        .on_conflict_do_nothing(index_elements=["community_id"]))
    chain = session.scalar(select(LedgerChain).where(LedgerChain.community_id == community_id)
                           .with_for_update().execution_options(populate_existing=True))
    if chain is None:  # SQLite: the write lock is already ours (begin_write)
        chain = LedgerChain(community_id=community_id, last_seq=0, last_hash=GENESIS, cert_seq=0)
        session.add(chain)
        session.flush()
    return chain


def append(session, chain: LedgerChain, now, **fields) -> LedgerEntry:
    """Append one entry to a locked chain, computing seq, month and hashes."""
    fields.setdefault("created_at", now)
    fields["created_at"] = fields["created_at"].replace(microsecond=0)
    for k in ("hours", "points"):
        fields[k] = Decimal(fields[k]).quantize(TENTH, ROUND_HALF_UP)
    fields.update(community_id=chain.community_id, seq=chain.last_seq + 1,
                  prev_hash=chain.last_hash, service_month=month_key(fields["service_date"]))
    for k in HASHED_FIELDS:
        fields.setdefault(k, None)
    fields["hash"] = entry_hash(fields)
    entry = LedgerEntry(**fields)
    session.add(entry)
    chain.last_seq, chain.last_hash, chain.updated_at = entry.seq, entry.hash, now
    session.flush()
    return entry


def points_for(hours, community: Org) -> Decimal:
    """Points earned for `hours` under the community's rule (default 1 point per hour)."""
    rate = Decimal(str(setting(community, "points_per_hour")))
    return (Decimal(hours) * rate).quantize(TENTH, ROUND_HALF_UP)


def star_level(total_hours, thresholds) -> tuple[int, float | None]:
    """(stars earned, hours of the next threshold or None) for cumulative hours."""
    total = Decimal(total_hours or 0)
    stars = sum(1 for t in thresholds if total >= Decimal(str(t)))
    nxt = thresholds[stars] if stars < len(thresholds) else None
    return stars, nxt


def within_tolerance(hours, estimate, tolerance) -> bool:
    """True when reported hours are within ±tolerance (a fraction) of the estimate."""
    if hours is None or estimate is None or Decimal(estimate) <= 0:
        return False
    est = Decimal(estimate)
    return abs(Decimal(hours) - est) <= est * Decimal(str(tolerance))


def _enter(session, record: ServiceRecord, hours, actor_id, reason, now) -> LedgerEntry:
    community = session.get(Org, record.community_id)
    # The unit credited: the claiming unit, else the member's employer at the time of service.
    unit_id = record.unit_id or session.scalar(select(User.unit_id).where(
        User.id == record.volunteer_id))
    chain = lock_chain(session, record.community_id)
    return append(session, chain, now, volunteer_id=record.volunteer_id, unit_id=unit_id,
                  wish_id=record.wish_id, record_id=record.id, grid_id=record.grid_id,
                  category_id=record.category_id, service_date=record.service_date,
                  hours=hours, points=points_for(hours, community), kind="entry",
                  actor_id=actor_id, reason=reason)


def on_confirmed(session, records, now) -> None:
    """Called in the confirming transaction: auto-approve records within tolerance."""
    for r in records:
        wish = session.get(Wish, r.wish_id)
        community = session.get(Org, r.community_id)
        if within_tolerance(r.hours, wish.estimated_hours, setting(community, "hours_tolerance")):
            r.approval = "approved"
            session.add(RecordReview(record_id=r.id, decision="auto", hours=r.hours, at=now))
            _enter(session, r, r.hours, None, None, now)


def require_admin(actor: User, community_id: int) -> None:
    """Only the community's own admin keeps its ledger."""
    if not policy.has_role(actor, "community_admin", {community_id}):
        raise Forbidden(_l("只有本社区管理员可以审核台账。"))


def _pending(session, actor, record_id) -> ServiceRecord:
    rec = session.get(ServiceRecord, record_id) if isinstance(record_id, int) else None
    if rec is None:
        raise NotFound(_l("找不到这条服务记录。"), code="record_not_found")
    require_admin(actor, rec.community_id)
    if rec.approval != "pending":
        raise Conflict(_l("这条记录已经审核过了。"), code="already_reviewed")
    return rec


def _check_hours(session, community_id, hours, field="hours") -> Decimal:
    limit = Decimal(str(setting(session.get(Org, community_id), "max_service_hours")))
    try:
        h = Decimal(str(hours)).quantize(TENTH, ROUND_HALF_UP)
    except Exception:
        raise Invalid({field: _l("请填写数字。")}) from None
    if h <= 0 or h > limit:
        raise Invalid({field: _l("服务时长应在 0.1 到 %(max)s 小时之间（不含路上时间）。",
                                 max=limit)})
    return h


def approve(session, actor: User, record_id, hours=None, reason: str | None = None,
            now=None) -> LedgerEntry:
    """Approve a pending record as reported, or with adjusted hours and a reason."""
    begin_write(session)
    now = now or utcnow()
    rec = _pending(session, actor, record_id)
    decision = "approve"
    h = rec.hours
    if hours not in (None, "") and Decimal(str(hours)) != rec.hours:
        h = _check_hours(session, rec.community_id, hours)
        if not reason:
            raise Invalid({"reason": _l("调整时长时请填写原因。")})
        decision = "adjust"
    elif h is None:
        raise Invalid({"hours": _l("记录没有时长，请填写核定时长。")})
    rec.approval = "approved"
    session.add(RecordReview(record_id=rec.id, decision=decision, hours=h, reason=reason,
                             actor_id=actor.id, at=now))
    entry = _enter(session, rec, h, actor.id, reason, now)
    session.commit()
    return entry


def reject(session, actor: User, record_id, reason: str, now=None) -> ServiceRecord:
    """Reject a pending record with a reason (no ledger entry)."""
    begin_write(session)
    now = now or utcnow()
    rec = _pending(session, actor, record_id)
    if not reason:
        raise Invalid({"reason": _l("请填写不予认定的原因。")})
    rec.approval = "rejected"
    session.add(RecordReview(record_id=rec.id, decision="reject", reason=reason,
                             actor_id=actor.id, at=now))
    session.commit()
    return rec


def bulk_approve(session, actor: User, record_ids, now=None) -> int:
    """Approve several pending records as reported; all or nothing."""
    begin_write(session)
    now = now or utcnow()
    ids = [int(i) for i in dict.fromkeys(record_ids or []) if str(i).isdigit()]
    if not ids:
        raise Invalid({"record_ids": _l("请至少选择一条记录。")})
    for rid in ids:
        rec = _pending(session, actor, rid)
        if rec.hours is None:
            raise Invalid({"record_ids": _l("有记录没有时长，请单独审核。")})
        rec.approval = "approved"
        session.add(RecordReview(record_id=rec.id, decision="approve", hours=rec.hours,
                                 actor_id=actor.id, at=now))
        _enter(session, rec, rec.hours, actor.id, None, now)
    session.commit()
    return len(ids)


def correct(session, actor: User, entry_id, hours, reason: str, now=None) -> list[LedgerEntry]:
    """Correct an entry: a reversing entry, plus a new one unless hours is 0. Never an edit."""
    begin_write(session)
    now = now or utcnow()
    e = session.get(LedgerEntry, entry_id) if isinstance(entry_id, int) else None
    if e is None:
        raise NotFound(_l("找不到这条台账记录。"), code="entry_not_found")
    require_admin(actor, e.community_id)
    if not reason:
        raise Invalid({"reason": _l("更正时请填写原因。")})
    if e.kind == "reversal" or session.scalar(select(LedgerEntry.id).where(
            LedgerEntry.reverses_id == e.id, LedgerEntry.kind == "reversal")):
        raise Conflict(_l("这条记录已被冲销，请更正最新的一条。"), code="already_reversed")
    new_hours = Decimal("0") if str(hours).strip() in ("0", "0.0") else _check_hours(
        session, e.community_id, hours)
    chain = lock_chain(session, e.community_id)
    base = dict(volunteer_id=e.volunteer_id, unit_id=e.unit_id, wish_id=e.wish_id,
                record_id=e.record_id, grid_id=e.grid_id, category_id=e.category_id,
                service_date=e.service_date, reverses_id=e.id, reason=reason, actor_id=actor.id)
    out = [append(session, chain, now, hours=-e.hours, points=-e.points, kind="reversal", **base)]
    if new_hours > 0:
        community = session.get(Org, e.community_id)
        out.append(append(session, chain, now, hours=new_hours,
                          points=points_for(new_hours, community), kind="correction", **base))
    session.commit()
    return out


def verify(session, community_id: int | None = None, last: int | None = None) -> list[dict]:
    """Check every chain (or one): seq, links and hashes; name the first broken entry.

    `last` (one community only) checks just the newest `last` entries, linked onto the stored
    hash before them: the quick check a page can afford; the CLI and the button check all.
    """
    heads = {c.community_id: c for c in session.scalars(select(LedgerChain))}
    q = select(LedgerEntry).order_by(LedgerEntry.community_id, LedgerEntry.seq)
    state: dict[int, tuple[int, str]] = {}
    if community_id is not None:
        q = q.where(LedgerEntry.community_id == community_id)
        head = heads.get(community_id)
        if last and head and head.last_seq > last:
            start = head.last_seq - last + 1
            q = q.where(LedgerEntry.seq >= start)
            before = session.scalar(select(LedgerEntry.hash).where(
                LedgerEntry.community_id == community_id, LedgerEntry.seq == start - 1))
            state[community_id] = (start - 1, before or "")
    results: dict[int, dict] = {}
    for e in session.scalars(q.execution_options(yield_per=5000)):
        res = results.setdefault(e.community_id, {"community_id": e.community_id, "ok": True,
                                                  "entries": 0, "broken": None})
        res["entries"] += 1
        if not res["ok"]:
            continue
        seq, prev = state.get(e.community_id, (0, GENESIS))
        problem = None
        if e.seq != seq + 1:
            problem = _l("序号不连续（应为 %(n)s）", n=seq + 1)
        elif e.prev_hash != prev:
            problem = _l("与上一条的链接不符")
        elif entry_hash(e) != e.hash:
            problem = _l("内容与哈希不符（记录被改动）")
        if problem:
            res.update(ok=False, broken={"id": e.id, "seq": e.seq, "problem": str(problem)})
        state[e.community_id] = (e.seq, e.hash)
    for cid, head in heads.items():
        if community_id is not None and cid != community_id:
            continue
        res = results.setdefault(cid, {"community_id": cid, "ok": True, "entries": 0,
                                       "broken": None})
        if res["ok"] and state.get(cid, (0, GENESIS)) != (head.last_seq, head.last_hash):
            res.update(ok=False, broken={"id": None, "seq": head.last_seq,
                                         "problem": str(_l("链尾与最后一条记录不符（记录被删除？）"))})
    names = dict(session.execute(select(Org.id, Org.name).where(Org.id.in_(results))).all())
    for r in results.values():
        r["name"] = names.get(r["community_id"], "")
    return sorted(results.values(), key=lambda r: r["community_id"])


def queue(session, community_id: int) -> list[dict]:
    """Pending records of a community, oldest first, for the approval queue (no recipient data)."""
    rows = session.execute(
        select(ServiceRecord, Wish.title, Wish.estimated_hours, User.name)
        .join(Wish, Wish.id == ServiceRecord.wish_id)
        .join(User, User.id == ServiceRecord.volunteer_id)
        .where(ServiceRecord.community_id == community_id, ServiceRecord.approval == "pending")
        .order_by(ServiceRecord.confirmed_at, ServiceRecord.id)).all()
    return [{"id": r.id, "volunteer": name, "title": title, "hours": r.hours,
             "estimate": est, "service_date": r.service_date, "rating": r.rating,
             "note": r.confirm_note} for r, title, est, name in rows]


QUICK_CHECK = 1000


def chain_state(session, community_id: int, full: bool = False) -> dict:
    """The community's chain: length, head hash, and whether it verifies (newest part or all)."""
    res = verify(session, community_id, None if full else QUICK_CHECK)
    r = res[0] if res else {"ok": True, "entries": 0, "broken": None}
    head = session.get(LedgerChain, community_id)
    r["head"] = head.last_hash if head else GENESIS
    r["length"] = head.last_seq if head else 0
    r["full"] = full or r["length"] <= QUICK_CHECK
    return r


def recent_entries(session, community_id: int, limit: int = 30) -> list[dict]:
    """The newest entries of a community's chain."""
    rows = session.execute(
        select(LedgerEntry, User.name).join(User, User.id == LedgerEntry.volunteer_id)
        .where(LedgerEntry.community_id == community_id)
        .order_by(LedgerEntry.seq.desc()).limit(limit)).all()
    return [{"id": e.id, "seq": e.seq, "volunteer": n, "hours": e.hours, "points": e.points,
             "kind": e.kind, "reverses_id": e.reverses_id, "reason": e.reason,
             "service_date": e.service_date, "hash": e.hash[:12],
             "auto": e.actor_id is None} for e, n in rows]


def totals(session, volunteer_id: int) -> tuple[Decimal, Decimal]:
    """A volunteer's net approved hours and points across every community."""
    h, p = session.execute(select(func.coalesce(func.sum(LedgerEntry.hours), 0),
                                  func.coalesce(func.sum(LedgerEntry.points), 0))
                           .where(LedgerEntry.volunteer_id == volunteer_id)).one()
    return Decimal(h), Decimal(p)
