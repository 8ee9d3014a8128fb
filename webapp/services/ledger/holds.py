"""Hours held while a resident's "没办好" is reviewed (issue 29 §2).

A wish reopened by its resident is `disputed`: its records cannot be approved (ledger._pending
refuses), and hours already in the ledger stay there, unchanged, but are *held*: they do not
count as settled until the community decides. Upheld: nothing to do, the hold ends with the
status. Voided: reversing entries (never edits) and the wish's records rejected.

`settled_totals()` is the one question for anything that spends hours or points (the points
shop): the volunteer's net hours and points minus what is held.
"""
from decimal import Decimal

from sqlalchemy import func, select

from ...models import LedgerEntry, RecordReview, ServiceRecord, Wish
from .ledger import append, lock_chain, totals

HELD_STATUSES = ("disputed",)


def held(session, volunteer_id: int) -> tuple[Decimal, Decimal]:
    """(hours, points) of a volunteer's ledger entries whose wish is under review (held)."""
    h, p = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.hours), 0),
               func.coalesce(func.sum(LedgerEntry.points), 0))
        .join(Wish, Wish.id == LedgerEntry.wish_id)
        .where(LedgerEntry.volunteer_id == volunteer_id, Wish.status.in_(HELD_STATUSES))).one()
    return Decimal(h), Decimal(p)


def unheld():
    """A condition on LedgerEntry: no wish under review holds it (for a query that spends)."""
    # Each entry's own wish, by primary key: collecting the wishes under review instead read
    # an index of every wish of the district (none leads with status) on each member's view.
    return ~select(Wish.id).where(Wish.id == LedgerEntry.wish_id,
                                  Wish.status.in_(HELD_STATUSES)).exists()


def settled_totals(session, volunteer_id: int) -> tuple[Decimal, Decimal]:
    """A volunteer's net hours and points that nobody disputes: totals() minus held()."""
    h, p = totals(session, volunteer_id)
    hh, hp = held(session, volunteer_id)
    return h - hh, p - hp


def held_for_wish(session, wish_id: int) -> dict:
    """What a disputed wish holds: approved hours in the ledger, and records waiting."""
    in_ledger = session.scalar(select(func.coalesce(func.sum(LedgerEntry.hours), 0))
                               .where(LedgerEntry.wish_id == wish_id)) or 0
    waiting = session.scalar(select(func.coalesce(func.sum(ServiceRecord.hours), 0)).where(
        ServiceRecord.wish_id == wish_id, ServiceRecord.approval == "pending")) or 0
    return {"approved": Decimal(in_ledger), "pending": Decimal(waiting)}


def void_wish(session, wish: Wish, actor_id: int, reason: str, now) -> int:
    """In the caller's transaction: reverse every live entry of the wish, reject its records.
    Returns the number of reversing entries written."""
    entries = session.scalars(select(LedgerEntry).where(
        LedgerEntry.wish_id == wish.id, LedgerEntry.kind != "reversal").order_by(LedgerEntry.id)).all()
    reversed_ids = set(session.scalars(select(LedgerEntry.reverses_id).where(
        LedgerEntry.wish_id == wish.id, LedgerEntry.kind == "reversal")))
    live = [e for e in entries if e.id not in reversed_ids]
    if live:
        chain = lock_chain(session, wish.community_id)
        for e in live:
            append(session, chain, now, volunteer_id=e.volunteer_id, unit_id=e.unit_id,
                   wish_id=e.wish_id, record_id=e.record_id, grid_id=e.grid_id,
                   category_id=e.category_id, service_date=e.service_date, hours=-e.hours,
                   points=-e.points, kind="reversal", reverses_id=e.id, reason=reason[:200],
                   actor_id=actor_id, basis=e.basis)
    # Every record of the wish is no longer recognised: waiting ones are not approved, approved
    # ones (now reversed in the ledger) stop counting where records are read (the evaluation).
    for rec in session.scalars(select(ServiceRecord).where(
            ServiceRecord.wish_id == wish.id, ServiceRecord.approval.in_(("pending", "approved")))):
        rec.approval = "rejected"
        session.add(RecordReview(record_id=rec.id, decision="reject", reason=reason[:200],
                                 actor_id=actor_id, at=now))
    return len(live)
