"""The ledger's kept summaries: figures pages would otherwise sum over the whole chain, kept
by every append in the same transaction, under the chain's lock (so no other append of the
community runs meanwhile and a plain read-modify-write is safe)."""
from sqlalchemy import update

from ...models import LedgerEntry, LedgerPoints, LedgerTotal


def add(session, entry: LedgerEntry) -> None:
    """A just-appended (flushed) entry into every kept summary."""
    _total(session, entry)
    _points(session, entry)


def _total(session, entry: LedgerEntry) -> None:
    """The entry's hours into its volunteer's total in the community (models.LedgerTotal); the
    chain is locked, so no other append of the community runs meanwhile."""
    if entry.volunteer_id is None:
        return
    moved = session.execute(
        update(LedgerTotal).where(LedgerTotal.community_id == entry.community_id,
                                  LedgerTotal.volunteer_id == entry.volunteer_id)
        .values(hours=LedgerTotal.hours + entry.hours)
        .execution_options(synchronize_session=False)).rowcount
    if not moved:
        session.add(LedgerTotal(community_id=entry.community_id,
                                volunteer_id=entry.volunteer_id, hours=entry.hours))
        session.flush()


def _points(session, entry: LedgerEntry) -> None:
    """The entry's points into its volunteer's month in the community (models.LedgerPoints),
    as the shop counts them: 补录 (basis "honour") left out; the chain is locked."""
    if entry.volunteer_id is None or entry.basis == "honour":
        return
    key = (LedgerPoints.community_id == entry.community_id,
           LedgerPoints.volunteer_id == entry.volunteer_id,
           LedgerPoints.service_month == entry.service_month)
    moved = session.execute(update(LedgerPoints).where(*key)
                            .values(points=LedgerPoints.points + entry.points)
                            .execution_options(synchronize_session=False)).rowcount
    if not moved:
        session.add(LedgerPoints(community_id=entry.community_id, volunteer_id=entry.volunteer_id,
                                 service_month=entry.service_month, points=entry.points))
        session.flush()
