"""A street set up from an empty database (flask setup's service, a community, its admin and a
member; no demo, no fixture world): its first ledger lines show in the tallies' chart (the
kept months) and in a past period's 积分台账 (worked out from the kept rows)."""
from datetime import datetime, timezone

from tests.emptyutil import street_with_a_member
from tests.shoputil import earn
from webapp.services.ledger import periods, tallies
from webapp.services.shop import accounts


def at(y, m, d):
    return datetime(y, m, d, 2, tzinfo=timezone.utc)  # 10:00 Beijing


def test_a_new_streets_first_lines_show_in_the_chart_and_a_past_periods_points(db):
    new = street_with_a_member(db)
    earn(db, new.community, new.member, 3, when=at(2026, 10, 10))
    earn(db, new.community, new.member, 2, when=at(2026, 11, 5))
    now = at(2026, 11, 20)
    bars = tallies.hours_by_month(db, new.community.id, now)
    assert [(b["label"], b["value"]) for b in bars][-3:] == [("2026-09", 0), ("2026-10", 3),
                                                            ("2026-11", 2)]
    october = accounts.tally(db, new.admin, new.community.id, periods.month(2026, 10), now=now)
    assert october["past"]
    assert [(r["name"], r["earned"], r["spent"], r["expired"], r["balance"])
            for r in october["rows"]] == [("新党员", 3, 0, 0, 3)]
