"""A past period of 积分台账 is worked out from sums over the kept rows (accounts._past_kept), not
by replaying every member: for every month, half-year and year of two years of points, it gives
what the replay gives (accounts._past), for fresh accounts, for an account past its lapse that
the job has not refreshed, and under a changed expiry rule."""
from datetime import datetime, timezone

from sqlalchemy import delete, insert, text

from webapp.models import LedgerPoints
from webapp.services.ledger import ledger, periods
from webapp.services.shop import accounts, exchange, kept
from tests import shoputil
from tests.planutil import plan_of, statements_sent


def at(y, m, d):
    return datetime(y, m, d, 2, tzinfo=timezone.utc)  # 10:00 Beijing


def _history(db, world, earn, shelf):
    """Points in several months, a reversal, 补录, a late line for an earlier month, exchanges
    before and after a lapse, a cancelled one; the 2024 points lapse at the year's end (the
    job refreshes those accounts), the 2025 points at the next."""
    earn(world.member, 10, when=at(2024, 3, 4))
    earn(world.member, 8, when=at(2024, 7, 9))
    exchange.reserve(db, world.member, shelf(price=5, now=at(2024, 8, 1)).id, now=at(2024, 8, 1))
    earn(world.member2, 6, when=at(2024, 11, 2))
    earn(world.member2, -2, when=at(2024, 12, 2))  # a reversal
    exchange.reserve(db, world.member2, shelf(price=3, now=at(2024, 12, 5)).id,
                     now=at(2024, 12, 5))
    assert kept.refresh_due(db, at(2025, 1, 2)) == 2  # the job, after 2024's lapse
    earn(world.member3, 9, when=at(2025, 1, 5))
    earn(world.member3, 40, when=at(2025, 1, 6), basis="honour")  # 补录: no points
    gone = exchange.reserve(db, world.member3, shelf(price=4, now=at(2025, 2, 1)).id,
                            now=at(2025, 2, 1))
    exchange.cancel(db, world.member3, gone.id, now=at(2025, 2, 3))
    earn(world.member, 7, when=at(2025, 3, 4))
    ledger.append(db, ledger.lock_chain(db, world.ca.id), at(2025, 5, 6),  # late, for March
                  volunteer_id=world.member.id, service_date=at(2025, 3, 20), hours=5, points=5,
                  kind="entry", basis=None)
    db.commit()
    exchange.reserve(db, world.member, shelf(price=6, now=at(2025, 6, 1)).id, now=at(2025, 6, 1))


def _past_periods(now):
    months = [periods.month(y, m) for y in (2024, 2025, 2026) for m in range(1, 13)]
    halves = [periods.half(y, h) for y in (2024, 2025) for h in (1, 2)]
    return [p for p in months + halves + [periods.year(2024), periods.year(2025)]
            if p.end < now]


def _plain(rows, total):
    for r in rows + [total]:
        for k in accounts.FIGURES:
            r[k] = accounts.points.plain(r[k])
    return rows, total


def _same_as_the_replay(db, world, now) -> int:
    listed = 0
    for period in _past_periods(now):
        got = accounts.tally(db, world.admin, world.ca.id, period, now=now)
        assert got["past"]
        rows, total, _n = shoputil.replayed_past(db, world.ca, period, period.end)
        assert (got["rows"], got["total"]) == _plain(rows, total), period.key
        listed += len(rows)
    return listed


def test_a_past_period_from_sums_is_every_members_replay(db, world, earn, shelf):
    _history(db, world, earn, shelf)
    now = at(2026, 2, 10)  # the 2025 points lapsed on 1 January; no job has run since
    assert sorted(kept.stale(db, world.ca, 0, now)) == sorted([world.member.id,
                                                               world.member3.id])
    assert _same_as_the_replay(db, world, now) > 20  # periods with members in them
    march = accounts.tally(db, world.admin, world.ca.id, periods.month(2025, 3), now=now)
    row = {r["name"]: r for r in march["rows"]}[world.member.name]
    # the late line counts in March's balance as in its earned; 2024's 13 lapsed long ago
    assert (row["earned"], row["spent"], row["expired"], row["balance"]) == (12, 0, 0, 12)
    december = accounts.tally(db, world.admin, world.ca.id, periods.month(2025, 12), now=now)
    assert {r["name"]: r["expired"] for r in december["rows"]} == {  # lapsed at the year's end
        world.member.name: 6, world.member3.name: 9, world.member2.name: 0}  # (lost some once)
    assert kept.refresh_due(db, now) == 2  # the job catches up: the same, from the kept lapses
    db.expire_all()
    assert kept.stale(db, world.ca, 0, now) == []
    _same_as_the_replay(db, world, now)
    world.ca.settings = {**(world.ca.settings or {}), "points_expiry_years": 1}
    db.commit()  # a changed rule: every account is replayed until the job refreshes it
    assert len(kept.stale(db, world.ca, 1, now)) == 3
    _same_as_the_replay(db, world, now)
    kept.refresh_due(db, now)
    db.expire_all()
    _same_as_the_replay(db, world, now)


def test_a_past_month_reads_the_months_after_it_not_the_communitys_history(db, world, earn,
                                                                           shelf):
    """At district size a community keeps years of months (7,003 rows at two years): a past
    period reads its own months and those after it, each by the month index."""
    _history(db, world, earn, shelf)
    now = at(2026, 2, 10)
    kept.refresh_due(db, now)  # every account fresh (a stale one is replayed from its rows)
    with statements_sent(db.get_bind()) as said:
        accounts.tally(db, world.admin, world.ca.id, periods.month(2025, 11), now=now, page=1)
    read = [s for s in said if "FROM ledger_points" in s]
    assert read and all("service_month BETWEEN" in s for s in read), read
    if db.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL prices four members' keys as cheap as the index (its district plan
        # takes the index: bench/RESULTS.md); the statements above are checked on both
    # Twenty years of four members' months, analysed: SQLite takes the month index (on the
    # tests' few rows it would walk the key, which also groups by member).
    db.execute(insert(LedgerPoints), [
        {"community_id": world.cb.id, "volunteer_id": u.id, "service_month": y * 100 + m,
         "points": 1} for u in (world.member, world.member2, world.member3, world.resident)
        for y in range(2006, 2026) for m in range(1, 13)])
    db.execute(text("ANALYZE ledger_points"))
    try:
        for stmt in (accounts._earned(periods.month(2025, 3), world.cb.id),
                     accounts._after(periods.month(2025, 11), world.cb.id)):
            assert "ix_ledger_points_month" in plan_of(db, stmt)
    finally:  # the kept accounts' check (conftest) would find these points with no account
        db.execute(delete(LedgerPoints).where(LedgerPoints.community_id == world.cb.id))
        db.commit()
