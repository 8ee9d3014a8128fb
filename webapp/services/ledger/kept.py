"""The ledger's kept summaries: figures pages would otherwise sum over the whole chain, kept
by every append in the same transaction, under the chain's lock (so no other append of the
community runs meanwhile and a plain read-modify-write is safe)."""
from decimal import Decimal

from sqlalchemy import case, func, select, update

from ...models import LedgerEntry, LedgerMonth, LedgerPoints, LedgerServices, LedgerTotal
from ..shop import kept as shop_accounts


def add(session, entry: LedgerEntry) -> None:
    """A just-appended (flushed) entry into every kept summary."""
    _total(session, entry)
    _points(session, entry)
    _services(session, entry)
    _month(session, entry)


def _bump(session, model, key: dict, **amounts) -> None:
    """Add `amounts` to the kept row of `model` at `key`, or make the row with them."""
    moved = session.execute(
        update(model).where(*(getattr(model, k) == v for k, v in key.items()))
        .values({k: getattr(model, k) + v for k, v in amounts.items()})
        .execution_options(synchronize_session=False)).rowcount
    if not moved:
        session.add(model(**key, **amounts))
        session.flush()


def _total(session, entry: LedgerEntry) -> None:
    """The entry's hours into its volunteer's total in the community (models.LedgerTotal); the
    chain is locked, so no other append of the community runs meanwhile."""
    if entry.volunteer_id is None:
        return
    _bump(session, LedgerTotal, {"community_id": entry.community_id,
                                 "volunteer_id": entry.volunteer_id}, hours=entry.hours)


def _points(session, entry: LedgerEntry) -> None:
    """The entry's points into its volunteer's month in the community (models.LedgerPoints),
    as the shop counts them: 补录 (basis "honour") left out; the chain is locked."""
    if entry.volunteer_id is None or entry.basis == "honour":
        return
    _bump(session, LedgerPoints, {"community_id": entry.community_id,
                                  "volunteer_id": entry.volunteer_id,
                                  "service_month": entry.service_month}, points=entry.points)
    # The member's shop account replays these points: refreshed as the transaction commits.
    shop_accounts.note(session, entry.community_id, entry.volunteer_id, entry.created_at)


def _services(session, entry: LedgerEntry) -> None:
    """The entry's hours into its volunteer's month as the national export counts services
    (models.LedgerServices): a record counts once while its net hours are above 0."""
    if entry.record_id is None:
        return
    after = session.scalar(select(func.sum(LedgerEntry.hours))
                           .where(LedgerEntry.record_id == entry.record_id)) or 0
    before = after - entry.hours
    counted = (after > 0) - (before > 0)  # +1 as it first counts, -1 as it nets to nothing
    _bump(session, LedgerServices, {"community_id": entry.community_id,
                                    "service_month": entry.service_month,
                                    "volunteer_id": entry.volunteer_id},
          services=counted, hours=entry.hours)


def _month(session, entry: LedgerEntry) -> None:
    """The entry's hours into its community's service month (models.LedgerMonth)."""
    _bump(session, LedgerMonth, {"community_id": entry.community_id,
                                 "service_month": entry.service_month}, hours=entry.hours)


def months_drift(session) -> list[tuple]:
    """(community, month, kept, true) where LedgerMonth is wrong: for tests."""
    true = {(c, m): Decimal(h) for c, m, h in session.execute(
        select(LedgerEntry.community_id, LedgerEntry.service_month, func.sum(LedgerEntry.hours))
        .group_by(LedgerEntry.community_id, LedgerEntry.service_month))}
    kept = {(c, m): Decimal(h) for c, m, h in session.execute(
        select(LedgerMonth.community_id, LedgerMonth.service_month, LedgerMonth.hours))}
    return [(*k, kept.get(k), true.get(k)) for k in sorted(set(true) | set(kept))
            if kept.get(k) != true.get(k)]


def services_drift(session) -> list[tuple]:
    """(community, month, volunteer, kept, true) where LedgerServices is wrong: for tests."""
    net = (select(LedgerEntry.community_id, LedgerEntry.service_month, LedgerEntry.volunteer_id,
                  LedgerEntry.record_id, func.sum(LedgerEntry.hours).label("h"))
           .where(LedgerEntry.record_id.is_not(None))
           .group_by(LedgerEntry.community_id, LedgerEntry.service_month,
                     LedgerEntry.volunteer_id, LedgerEntry.record_id).subquery())
    true = {(c, m, v): (int(n), Decimal(h)) for c, m, v, n, h in session.execute(
        select(net.c.community_id, net.c.service_month, net.c.volunteer_id,
               func.sum(case((net.c.h > 0, 1), else_=0)), func.sum(net.c.h))
        .group_by(net.c.community_id, net.c.service_month, net.c.volunteer_id))}
    kept = {(c, m, v): (int(n), Decimal(h)) for c, m, v, n, h in session.execute(
        select(LedgerServices.community_id, LedgerServices.service_month,
               LedgerServices.volunteer_id, LedgerServices.services, LedgerServices.hours))}
    return [(*k, kept.get(k), true.get(k)) for k in sorted(set(true) | set(kept))
            if kept.get(k) != true.get(k)]
