"""The board's fulfilled wishes per month and category, counted by the database (issue 27): the
same figures as reading every wish and bucketing it by its Beijing-time month."""
from collections import Counter
from datetime import datetime, timezone

from sqlalchemy import select

from webapp.models import Category, Wish
from webapp.services.ledger import periods
from webapp.services.pairing import board

NOW = datetime(2026, 12, 4, 6, 0, tzinfo=timezone.utc)
# Instants on both sides of Beijing's month boundaries (UTC+8), and one before the board's year.
DONE = [datetime(2026, 11, 30, 16, 0), datetime(2026, 11, 30, 15, 59),  # Dec 1 00:00 / Nov 30
        datetime(2025, 12, 31, 16, 0), datetime(2025, 12, 31, 15, 59),  # Jan 1 2026 / Dec 2025
        datetime(2026, 6, 15, 3, 0), datetime(2026, 6, 15, 4, 0)]


def test_months_count_what_a_plain_read_counts(db, world, make_wish):
    other = world.categories["便民服务"] if "便民服务" in world.categories else next(
        c for c in world.categories.values() if c.id != world.cat.id)
    for i, at in enumerate(DONE):
        w = make_wish("closed" if i % 2 else "confirmed",
                      category=(world.cat if i % 3 else other).id)
        w.done_at = at.replace(tzinfo=timezone.utc)  # placed in time; its state came by the services
        db.commit()  # before the next wish's write transaction starts
    make_wish("in_service")  # not fulfilled: never counted
    view = board.view(db, world.ca.id, now=NOW)

    wanted = set(periods.recent_months(NOW, board.MONTHS))
    plain = Counter()
    for done_at, cat in db.execute(
            select(Wish.done_at, Category.name).join(Category, Category.id == Wish.category_id)
            .where(Wish.community_id == world.ca.id, Wish.status.in_(board.FULFILLED))):
        m = periods.month_key(done_at)
        if m in wanted:
            plain[(f"{m // 100}-{m % 100:02d}", cat)] += 1
    got = Counter({(m["month"], cat): n for m in view["months"] for cat, n in m["categories"]})
    assert got == plain and sum(plain.values()) == 5  # Dec 2025 is outside the board's year
    by_month = {m["month"]: m["count"] for m in view["months"]}
    assert by_month["2026-12"] == 1 and by_month["2026-11"] == 1 and by_month["2026-01"] == 1
    assert by_month["2026-06"] == 2 and view["fulfilled"] == 5
    assert [m["month"] for m in view["months"]][0] == "2026-12" and len(view["months"]) == 12
