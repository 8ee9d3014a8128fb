"""Points lapse by the community's setting, oldest first; the accounts per period and .xlsx."""
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import openpyxl

from webapp.services.ledger import periods
from webapp.services.shop import accounts, exchange, points
from tests import shoputil


def _at(y, m, d, h=2):
    return datetime(y, m, d, h, tzinfo=timezone.utc)


def test_points_lapse_at_the_end_of_the_year_unspent_first_spent_oldest_first(db, world, earn,
                                                                               shelf):
    earn(world.member, 30, when=_at(2025, 3, 4))
    g = shelf(price=20, stock=2, now=_at(2025, 3, 4))
    exchange.reserve(db, world.member, g.id, now=_at(2025, 6, 1))
    earn(world.member, 8, when=_at(2025, 11, 2))
    earn(world.member, 5, when=_at(2026, 2, 2))
    before = points.account(db, world.member.id, world.ca, _at(2025, 12, 31, 15))  # 23:00 Beijing
    assert (before.balance, before.expired) == (18, 0)
    assert before.next_expiry == (datetime(2025, 12, 31, 16, tzinfo=timezone.utc), Decimal(10))
    after = points.account(db, world.member.id, world.ca, _at(2026, 3, 1))
    # 30 + 8 earned in 2025, 20 spent from the oldest: 18 lapse at 2026-01-01 00:00 Beijing.
    assert (after.earned, after.spent, after.expired, after.balance) == (43, 20, 18, 5)


def test_points_kept_n_years_when_the_community_says_so(db, world, earn):
    world.ca.settings = {**(world.ca.settings or {}), "points_expiry_years": 2}
    db.commit()
    earn(world.member, 7, when=_at(2025, 3, 4))
    assert points.account(db, world.member.id, world.ca, _at(2027, 3, 30)).balance == 7
    late = points.account(db, world.member.id, world.ca, _at(2027, 4, 1))
    assert (late.balance, late.expired) == (0, 7)  # 2 years after the end of March 2025


def test_accounts_per_period_and_their_xlsx(db, world, earn, shelf):
    earn(world.member, 12, when=_at(2025, 3, 4))
    earn(world.member2, 6, when=_at(2025, 3, 5))
    earn(world.member2, 40, when=_at(2025, 3, 6), basis="honour")
    g = shelf(price=10, now=_at(2025, 3, 4))
    exchange.reserve(db, world.member, g.id, now=_at(2025, 3, 7))
    x = exchange.reserve(db, world.member2, shelf(price=5).id, now=_at(2025, 3, 7))
    exchange.cancel(db, world.member2, x.id, now=_at(2025, 3, 8))
    year = accounts.tally(db, world.admin, world.ca.id, periods.year(2025))
    rows = {r["name"]: r for r in year["rows"]}
    assert (rows["李志愿"]["earned"], rows["李志愿"]["spent"], rows["李志愿"]["expired"]) == (12, 10, 2)
    assert (rows["张党员"]["earned"], rows["张党员"]["spent"], rows["张党员"]["expired"]) == (6, 0, 6)
    assert year["total"] == {"earned": 18, "spent": 10, "expired": 8, "balance": 0}
    march = accounts.tally(db, world.admin, world.ca.id, periods.month(2025, 3))
    assert march["total"]["expired"] == 0 and march["total"]["balance"] == 8
    from webapp.services.ledger import exports
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_bytes("xlsx", [accounts.sheet(year)])))
    values = [list(r) for r in wb.active.iter_rows(values_only=True)]
    assert ["李志愿", 12, 10, 2, 0] in [list(v[:5]) for v in values]
    assert values[-1][1:5] == [18, 10, 8, 0]  # the totals row


def test_accounts_are_the_community_admins(db, world):
    import pytest
    from webapp.services.errors import Forbidden
    for who in (world.member, world.admin_b, world.unit_admin):
        with pytest.raises(Forbidden):
            accounts.tally(db, who, world.ca.id, periods.year(2025))


def test_points_of_a_wish_reopened_as_not_done_cannot_be_spent_until_settled(db, world,
                                                                            make_wish, shelf):
    """Issue 29 §1 with §2: the shop spends what ledger/holds.py calls settled."""
    import pytest

    from webapp.models import utcnow
    from webapp.services.errors import Conflict
    from webapp.services.wishes import dispute
    w = make_wish("closed")  # 1.5 points for `member` in community A
    g = shelf(price=1, stock=2, now=utcnow())
    assert points.account(db, world.member.id, world.ca, utcnow()).balance == Decimal("1.5")
    dispute.dispute(db, world.resident, w.id, "地没拖干净")
    assert points.account(db, world.member.id, world.ca, utcnow()).balance == 0
    with pytest.raises(Conflict):
        exchange.reserve(db, world.member, g.id)
    dispute.settle(db, world.admin, w.id, "uphold")
    assert points.account(db, world.member.id, world.ca, utcnow()).balance == Decimal("1.5")
    assert exchange.reserve(db, world.member, g.id).points == 1


def test_the_current_accounts_from_the_kept_summary_are_the_ledger_lines(db, world, earn, shelf):
    """This period's accounts read the ledger's per-member, per-month points (LedgerPoints,
    kept by each append) instead of grouping the chain: the same figures, lapses and debts."""
    from webapp.models import utcnow
    now = utcnow()
    earn(world.member, 30, when=_at(now.year - 1, 3, 4))  # lapsed at the year's end
    earn(world.member, 12, when=now)
    earn(world.member, -4, when=now)  # a reversal
    earn(world.member2, 6, when=now)
    earn(world.member2, 40, when=now, basis="honour")  # 补录: no points
    exchange.reserve(db, world.member, shelf(price=5).id, now=now)
    later = now.replace(microsecond=0) + timedelta(seconds=1)
    kept = shoputil.replayed_accounts(db, world.ca, later, current=True)
    lines = shoputil.replayed_accounts(db, world.ca, later)
    assert set(kept) == set(lines) == {world.member.id, world.member2.id}
    for m in kept:
        a, b = kept[m], lines[m]
        assert (a.earned, a.spent, a.expired, a.balance) == (b.earned, b.spent, b.expired,
                                                              b.balance), m
    assert (kept[world.member.id].expired, kept[world.member.id].balance) == (30, 3)
    this_year = accounts.tally(db, world.admin, world.ca.id, periods.year(now.year))
    assert this_year["total"]["earned"] == 14 and points.drift(db) == []
