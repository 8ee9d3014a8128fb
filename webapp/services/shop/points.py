"""A member's points at a community's shop: earned from the ledger, spent on exchanges, expired.

Points are read from the hash-chained ledger (`LedgerEntry.points`), never written there:
spending points removes no hours. Only hours recorded on site or approved through the normal
path earn points: 补录 entries (basis "honour") carry 0 points and are left out here as well.
Points lapse by the community's `points_expiry_years` (0: at the end of the calendar year they
were earned in; N: N years after the end of that month). Spending takes the oldest points
first, so what lapses is what was not spent in time. Here one member's account is recomputed
from the two tables, held lines left out (what they may spend); 积分台账 reads the accounts kept
from the same replay (kept.py) and the ledger's per-member, per-month summary (LedgerPoints).
"""
from decimal import Decimal

from sqlalchemy import func, or_, select

from ...models import LedgerEntry, LedgerPoints, Org, ShopExchange
from ..ledger import holds
from ..people.orgs import setting
from .replay import ZERO, Account, expires_at, plain, replay  # noqa: F401  (callers use points.…)


def earning(q):
    """Only entries that earn points: not 补录."""
    # 补录 (honour) entries have 0 points by rule; leaving them out keeps it so if that changes.
    return q.where(or_(LedgerEntry.basis.is_(None), LedgerEntry.basis != "honour"))


def account(session, member_id: int, community: Org, now) -> Account:
    """The member's points at `community` as of `now` (reservations count as spent); points of
    a wish its resident reopened (没办好) cannot be spent until the community settles it."""
    lots = dict(session.execute(earning(
        select(LedgerEntry.service_month, func.sum(LedgerEntry.points))
        .where(LedgerEntry.community_id == community.id, LedgerEntry.volunteer_id == member_id,
               LedgerEntry.created_at <= now, holds.unheld()))
        .group_by(LedgerEntry.service_month)).all())
    spends = session.execute(
        select(ShopExchange.created_at, ShopExchange.points)
        .where(ShopExchange.member_id == member_id, ShopExchange.community_id == community.id,
               ShopExchange.status != "cancelled")
        .order_by(ShopExchange.created_at, ShopExchange.id)).all()
    return replay(lots, [tuple(s) for s in spends], int(setting(community, "points_expiry_years")),
                  now)


def drift(session) -> list[tuple]:
    """(community, member, month, kept, true) where the kept summary is wrong: for tests."""
    true = {(c, v, m): p for c, v, m, p in session.execute(earning(
        select(LedgerEntry.community_id, LedgerEntry.volunteer_id, LedgerEntry.service_month,
               func.sum(LedgerEntry.points)))
        .group_by(LedgerEntry.community_id, LedgerEntry.volunteer_id, LedgerEntry.service_month))}
    kept = {(c, v, m): p for c, v, m, p in session.execute(
        select(LedgerPoints.community_id, LedgerPoints.volunteer_id, LedgerPoints.service_month,
               LedgerPoints.points))}
    return [(*k, kept.get(k), true.get(k)) for k in sorted(set(true) | set(kept))
            if Decimal(kept.get(k) or 0) != Decimal(true.get(k) or 0)
            or (k in true) != (k in kept)]
