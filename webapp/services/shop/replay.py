"""Replaying a member's points: lots earned by month, spent oldest first, lapsed by the
community's rule. Pure (no queries), so both the shop's reads (points.py) and its kept accounts
(kept.py) use it, and the ledger can keep those accounts without importing the shop's reads."""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache

from ..ledger.periods import LOCAL_TZ

ZERO = Decimal("0")


def plain(value):
    """Points as people write them: 20, not 20.0; 2.5 stays 2.5."""
    d = Decimal(value or 0)
    return int(d) if d == d.to_integral_value() else d.normalize()


@lru_cache(maxsize=4096)
def expires_at(month: int, years: int) -> datetime:
    """The instant (UTC) points earned in `month` (YYYYMM) lapse."""
    y, m = divmod(month, 100)
    if years <= 0:
        return datetime(y + 1, 1, 1, tzinfo=LOCAL_TZ).astimezone(timezone.utc)
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return datetime(y + years, m, 1, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


@dataclass
class Account:
    """One member's points at one community as of a moment."""

    earned: Decimal = ZERO
    spent: Decimal = ZERO
    expired: Decimal = ZERO
    balance: Decimal = ZERO
    lapses: list = field(default_factory=list)  # (instant, points) of each lapse so far
    next_expiry: tuple | None = None  # (instant, points) of the oldest points still held


def replay(lots: dict[int, Decimal], spends: list, years: int, until: datetime) -> Account:
    """Oldest points first: lots by month, spends as (instant, points) in time order."""
    acc = Account()
    held = []  # [expiry, remaining] oldest first
    debt = ZERO  # reversals past what was earned, or spends past what was held
    for month in sorted(lots):
        amount = Decimal(lots[month])
        acc.earned += amount
        if amount > 0:
            held.append([expires_at(month, years), amount])
        else:
            debt -= amount

    def lapse(before):
        while held and held[0][0] <= before:
            at, rest = held.pop(0)
            if rest > 0:
                acc.expired += rest
                acc.lapses.append((at, rest))

    for at, pts in spends:
        if at > until:
            break
        lapse(at)
        acc.spent += Decimal(pts)
        need = Decimal(pts)
        for lot in held:
            take = min(lot[1], need)
            lot[1] -= take
            need -= take
            if not need:
                break
        debt += need
    lapse(until)
    remaining = sum((r for _at, r in held), ZERO)
    acc.balance = remaining - debt
    first = next(((at, r) for at, r in held if r > 0), None)
    acc.next_expiry = first
    return acc
