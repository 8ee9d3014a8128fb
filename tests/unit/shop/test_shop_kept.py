"""积分台账 of the current period reads each member's kept account (services/shop/kept.py): the
same rows and totals as replaying every member, a page at a time; an account past its next
lapse, or under a changed expiry rule, is replayed by the reader until the job refreshes it."""
from datetime import datetime, timedelta, timezone

from webapp.models import ShopAccount, utcnow
from webapp.services.ledger import periods
from webapp.services.shop import accounts, exchange, kept


def _replayed(db, world, period, now) -> tuple[list, dict]:
    """Every member replayed from the rows (the past periods' way), as the page shows them."""
    rows, total, _n = accounts._past(db, world.ca, period, now, None)
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
