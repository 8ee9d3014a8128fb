"""积分台账 of the current period reads each member's kept account (services/shop/kept.py): the
same rows and totals as replaying every member, a page at a time; an account past its next
lapse, or under a changed expiry rule, is replayed by the reader until the job refreshes it."""
from datetime import datetime, timedelta, timezone

from webapp.models import ShopAccount, utcnow
from webapp.services.ledger import periods
from webapp.services.shop import accounts, exchange, kept
from tests import shoputil


def _replayed(db, world, period, now) -> tuple[list, dict]:
    """Every member replayed from the rows (the past periods' way), as the page shows them."""
    rows, total, _n = shoputil.replayed_past(db, world.ca, period, now, None, from_lines=True)
    for r in rows + [total]:
        for k in accounts.FIGURES:
            r[k] = accounts.points.plain(r[k])
    return rows, total


def _same(db, world, now, kinds=("month", "half", "year")) -> None:
    for kind in kinds:
        period = periods.parse(None, now, kind)
        got = accounts.tally(db, world.admin, world.ca.id, period, now=now)
        rows, total = _replayed(db, world, period, now)
        assert (got["rows"], got["total"]) == (rows, total), kind


def _world_points(db, world, earn, shelf, now):
    earn(world.member, 30, when=now.replace(year=now.year - 1, month=3, day=4))  # lapsed
    earn(world.member, 12, when=now)
    earn(world.member, -4, when=now)  # a reversal
    earn(world.member2, 6, when=now)
    earn(world.member2, 40, when=now, basis="honour")  # 补录: no points
    earn(world.member3, 9, when=now)
    exchange.reserve(db, world.member, shelf(price=5).id, now=now)
    gone = exchange.reserve(db, world.member3, shelf(price=4).id, now=now)
    exchange.cancel(db, world.member3, gone.id, now=now)


def test_the_kept_accounts_give_every_members_replay_a_page_at_a_time(db, world, earn, shelf,
                                                                     monkeypatch):
    now = utcnow().replace(microsecond=0)
    _world_points(db, world, earn, shelf, now)
    later = now + timedelta(seconds=1)
    assert kept.stale(db, world.ca, 0, later) == []  # every write kept its member's account
    _same(db, world, later)
    period = periods.parse(None, later, "year")
    whole = accounts.tally(db, world.admin, world.ca.id, period, now=later)
    names = [r["name"] for r in whole["rows"]]
    assert names == ["张党员", "李志愿", "陈党员"] and whole["pages"] == 1  # by name
    assert whole["total"]["balance"] == 30 - 30 + 12 - 4 - 5 + 6 + 9
    monkeypatch.setattr(accounts, "PAGE", 2)
    first = accounts.tally(db, world.admin, world.ca.id, period, now=later, page=1)
    second = accounts.tally(db, world.admin, world.ca.id, period, now=later, page=2)
    assert (first["pages"], second["pages"], second["page"]) == (2, 2, 2)
    assert first["rows"] + second["rows"] == whole["rows"]
    assert first["total"] == second["total"] == whole["total"]  # totals are the whole period's
    beyond = accounts.tally(db, world.admin, world.ca.id, period, now=later, page=9)
    assert beyond["page"] == 2 and beyond["rows"] == second["rows"]


def test_an_account_past_its_lapse_is_replayed_until_the_job_refreshes_it(db, world, earn, shelf):
    now = utcnow().replace(microsecond=0)
    last_year = now.replace(year=now.year - 1, month=11, day=2)
    earn(world.member, 20, when=last_year)  # written then: held, lapsing at the year's end
    exchange.reserve(db, world.member, shelf(price=5, now=last_year).id, now=last_year)
    earn(world.member2, 7, when=now)
    now += timedelta(seconds=1)  # read after the writes (the replay counts lines before now)
    row = db.get(ShopAccount, (world.ca.id, world.member.id))
    assert row.balance == 15 and row.valid_until < now  # the lapse the job has not yet seen
    assert kept.stale(db, world.ca, 0, now) == [world.member.id]
    _same(db, world, now)
    got = accounts.tally(db, world.admin, world.ca.id, periods.parse(None, now, "year"), now=now)
    assert got["total"]["balance"] == 7  # 李志愿's 15 lapsed, read through the replay
    assert kept.refresh_due(db, now) == 1
    db.expire_all()
    assert kept.stale(db, world.ca, 0, now) == [] and kept.refresh_due(db, now) == 0
    row = db.get(ShopAccount, (world.ca.id, world.member.id))
    assert (row.balance, row.expired, row.valid_until) == (0, 15, None)
    _same(db, world, now)


def test_a_changed_expiry_rule_is_replayed_then_refreshed(db, world, earn, shelf):
    now = utcnow().replace(microsecond=0)
    earn(world.member, 11, when=now.replace(year=now.year - 1, month=6, day=2))
    before = accounts.tally(db, world.admin, world.ca.id, periods.parse(None, now, "year"),
                            now=now)
    assert before["total"]["balance"] == 0  # lapsed at the end of last year
    world.ca.settings = {**(world.ca.settings or {}), "points_expiry_years": 2}
    db.commit()
    assert kept.stale(db, world.ca, 2, now) == [world.member.id]
    _same(db, world, now)
    got = accounts.tally(db, world.admin, world.ca.id, periods.parse(None, now, "year"), now=now)
    assert got["total"]["balance"] == 11  # kept two years now
    assert kept.refresh_due(db, now) == 1
    db.expire_all()
    assert db.get(ShopAccount, (world.ca.id, world.member.id)).years == 2
    _same(db, world, now)


def test_a_street_from_nothing_keeps_accounts_from_its_first_points(db, world, earn):
    """No account exists before the first points; the first ledger line makes one."""
    assert db.query(ShopAccount).count() == 0
    when = datetime(2025, 3, 4, 2, tzinfo=timezone.utc)
    earn(world.member, 3, when=when)
    row = db.get(ShopAccount, (world.ca.id, world.member.id))
    assert (row.balance, row.as_of, row.years) == (3, when, 0)
    assert row.valid_until == datetime(2025, 12, 31, 16, tzinfo=timezone.utc)  # 00:00 Beijing


def test_a_past_month_is_shown_as_known_now_and_closes_where_the_next_opens(db, world, earn,
                                                                            shelf):
    """A line approved in April for a March service counts in March's balance as in its earned
    column; each month's closing balance is the next one's opening; the year's lapse belongs to
    December."""
    from webapp.services.ledger import ledger
    from tests.shoputil import NOW
    earn(world.member, 10, when=NOW)  # 2025-03-04
    exchange.reserve(db, world.member, shelf(price=4).id, now=NOW + timedelta(days=6))
    late = datetime(2025, 4, 5, 2, tzinfo=timezone.utc)
    ledger.append(db, ledger.lock_chain(db, world.ca.id), late, volunteer_id=world.member.id,
                  service_date=datetime(2025, 3, 20, 2, tzinfo=timezone.utc), hours=5,
                  points=5, kind="entry", basis=None)
    db.commit()

    def month(y, m):
        got = accounts.tally(db, world.admin, world.ca.id, periods.month(y, m))
        (row,) = got["rows"]
        assert row["name"] == "李志愿" and got["total"] == {k: row[k] for k in accounts.FIGURES}
        return row
    march = month(2025, 3)
    assert (march["earned"], march["spent"], march["expired"], march["balance"]) == (15, 4, 0, 11)
    then = shoputil.replayed_past(db, world.ca, periods.month(2025, 3),
                                 periods.month(2025, 3).end, None, from_lines=True)[0][0]
    assert (then["earned"], then["balance"]) == (15, 6)  # what the lines of the time said
    opening = march["balance"]
    for m in range(4, 13):
        row = month(2025, m)
        assert row["balance"] == opening + row["earned"] - row["spent"] - row["expired"], m
        opening = row["balance"]
    assert (row["expired"], row["balance"]) == (11, 0)  # December: the year's points lapse
    january = month(2026, 1)  # listed: it has lost points (none this month)
    assert (january["expired"], january["balance"]) == (0, 0)
