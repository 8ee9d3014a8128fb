"""The service-hour ledger: approval of confirmed records, hash-chained append-only entries.

Every append locks the community's chain head (LedgerChain, SELECT … FOR UPDATE on PostgreSQL,
BEGIN IMMEDIATE on SQLite), so two approvals can never both link to the same previous hash.
"""
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...db import begin_write, locked_row
from ...models import (LedgerChain, LedgerEntry, Org, Project, ProjectSession, RecordReview,
                      ServiceRecord, User, Wish, utcnow)
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from . import kept
from .chain import GENESIS, HASHED_FIELDS, entry_hash
from .chain import chain_state, verify  # noqa: F401  (callers use ledger.verify)
from ..people.orgs import setting
from .periods import month_key

TENTH = Decimal("0.1")


def lock_chain(session, community_id: int) -> LedgerChain:
    """The community's chain head, locked for this transaction (created on first use)."""
    return locked_row(session, LedgerChain, "community_id", {
        "community_id": community_id, "last_seq": 0, "last_hash": GENESIS, "cert_seq": 0,
        "updated_at": utcnow()})


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
    kept.add(session, entry)
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


def entry_basis(record: ServiceRecord) -> str | None:
    """What a record's ledger entries carry as `basis`: presence, honour, or None (a wish)."""
    return record.basis if record.basis in ("presence", "honour") else None


def _points(hours, community: Org, basis: str | None) -> Decimal:
    """补录 (honour) hours never become points; every other kind earns the community's rate."""
    return Decimal("0") if basis == "honour" else points_for(hours, community)


def _enter(session, record: ServiceRecord, hours, actor_id, reason, now) -> LedgerEntry:
    community = session.get(Org, record.community_id)
    basis = entry_basis(record)
    # The unit credited: the claiming unit, else the member's employer at the time of service,
    # if that unit confirmed the member (anyone may name a unit at sign-up).
    unit_id = record.unit_id or session.scalar(select(User.unit_id).where(
        User.id == record.volunteer_id, User.unit_confirmed_at.is_not(None)))
    chain = lock_chain(session, record.community_id)
    return append(session, chain, now, volunteer_id=record.volunteer_id, unit_id=unit_id,
                  wish_id=record.wish_id, record_id=record.id, grid_id=record.grid_id,
                  category_id=record.category_id, service_date=record.service_date,
                  hours=hours, points=_points(hours, community, basis), kind="entry",
                  actor_id=actor_id, reason=reason, basis=basis)


def auto_approve(session, record: ServiceRecord, now) -> LedgerEntry:
    """Approve a record without a reviewer (measured presence, or within tolerance)."""
    record.approval = "approved"
    session.add(RecordReview(record_id=record.id, decision="auto", hours=record.hours, at=now))
    return _enter(session, record, record.hours, None, None, now)


def on_confirmed(session, records, now, estimate=None) -> None:
    """Called in the confirming transaction: auto-approve records within tolerance.

    `estimate` is the expected hours when the record has no wish (a project session's length).
    """
    for r in records:
        wish = session.get(Wish, r.wish_id) if r.wish_id is not None else None
        est = estimate if wish is None else wish.estimated_hours
        community = session.get(Org, r.community_id)
        # The tolerance means something only if someone else typed the estimate (a wish's
        # poster; a project session's length is set by the project, not the volunteer).
        independent = wish is None or policy.estimate_is_independent(wish, r.volunteer_id)
        # Hours measured between two scans of the resident's code need no estimate to match.
        measured = r.basis == "presence" and r.volunteer_id != r.confirmed_by_id
        if measured or (independent and within_tolerance(
                r.hours, est, setting(community, "hours_tolerance"))):
            auto_approve(session, r, now)


def require_admin(actor: User, community_id: int) -> None:
    """Only the community's own admin keeps its ledger."""
    if not policy.is_community_admin(actor, community_id):
        raise Forbidden(_l("只有本社区管理员可以审核台账。"))


def _pending(session, actor, record_id) -> ServiceRecord:
    rec = session.get(ServiceRecord, record_id) if isinstance(record_id, int) else None
    if rec is None:
        raise NotFound(_l("找不到这条服务记录。"), code="record_not_found")
    require_admin(actor, rec.community_id)
    if rec.approval != "pending":
        raise Conflict(_l("这条记录已经审核过了。"), code="already_reviewed")
    if rec.wish is not None and rec.wish.status == "disputed":  # 没办好: held (ledger/holds.py)
        raise Conflict(_l("居民反映没办好，社区复核之前时长暂缓认定。"), code="hours_held")
    policy.refuse(policy.hours_review_refusal(actor, rec.volunteer_id, rec.wish))
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
    ids = [int(i) for i in dict.fromkeys(record_ids or []) if str(i).isascii() and str(i).isdigit() and len(str(i)) <= 12]
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
    policy.refuse(policy.hours_review_refusal(
        actor, e.volunteer_id, session.get(Wish, e.wish_id) if e.wish_id else None))
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
                service_date=e.service_date, reverses_id=e.id, reason=reason, actor_id=actor.id,
                basis=e.basis)
    out = [append(session, chain, now, hours=-e.hours, points=-e.points, kind="reversal", **base)]
    if new_hours > 0:
        community = session.get(Org, e.community_id)
        out.append(append(session, chain, now, hours=new_hours,
                          points=_points(new_hours, community, e.basis), kind="correction",
                          **base))
    session.commit()
    return out


def queue(session, community_id: int) -> list[dict]:
    """Pending records of a community, oldest first, for the approval queue (no recipient data)."""
    rows = session.execute(
        select(ServiceRecord, func.coalesce(Wish.title, Project.title), Wish.estimated_hours,
               User.name)
        .outerjoin(Wish, Wish.id == ServiceRecord.wish_id)
        .outerjoin(ProjectSession, ProjectSession.id == ServiceRecord.session_id)
        .outerjoin(Project, Project.id == ProjectSession.project_id)
        .join(User, User.id == ServiceRecord.volunteer_id)
        .where(ServiceRecord.community_id == community_id, ServiceRecord.approval == "pending")
        .order_by(ServiceRecord.confirmed_at, ServiceRecord.id)).all()
    return [{"id": r.id, "volunteer": name, "title": title, "hours": r.hours,
             "estimate": est, "service_date": r.service_date, "rating": r.rating,
             "note": r.confirm_note, "source": "project" if r.session_id else "wish",
             "basis": r.basis}
            for r, title, est, name in rows]


def recent_entries(session, community_id: int, limit: int = 30) -> list[dict]:
    """The newest entries of a community's chain."""
    rows = session.execute(
        select(LedgerEntry, User.name).join(User, User.id == LedgerEntry.volunteer_id)
        .where(LedgerEntry.community_id == community_id)
        .order_by(LedgerEntry.seq.desc()).limit(limit)).all()
    return [{"id": e.id, "seq": e.seq, "volunteer": n, "hours": e.hours, "points": e.points,
             "kind": e.kind, "reverses_id": e.reverses_id, "reason": e.reason,
             "service_date": e.service_date, "hash": e.hash[:12],
             "auto": e.actor_id is None,
             # a project session's hours carry no wish (every entry stems from a record)
             "source": "wish" if e.wish_id is not None else "project",
             "basis": e.basis} for e, n in rows]


def hours_by_basis(session, volunteer_id: int) -> dict:
    """A volunteer's net hours by basis: presence (on site), honour (补录) and confirmed."""
    rows = session.execute(select(LedgerEntry.basis, func.coalesce(func.sum(LedgerEntry.hours), 0))
                           .where(LedgerEntry.volunteer_id == volunteer_id)
                           .group_by(LedgerEntry.basis)).all()
    out = {"presence": Decimal("0"), "honour": Decimal("0"), "confirmed": Decimal("0")}
    for basis, h in rows:
        out[basis or "confirmed"] += Decimal(h)
    return out


def totals(session, volunteer_id: int) -> tuple[Decimal, Decimal]:
    """A volunteer's net approved hours and points across every community."""
    h, p = session.execute(select(func.coalesce(func.sum(LedgerEntry.hours), 0),
                                  func.coalesce(func.sum(LedgerEntry.points), 0))
                           .where(LedgerEntry.volunteer_id == volunteer_id)).one()
    return Decimal(h), Decimal(p)
