"""双向评议 in a street's first year (issue 23 item 10): a rule without data says 数据不足 instead
of scoring zero, a community that ran one half is scored on that half, the year defaults to
the current one, and the unit's row shows the arithmetic."""
from datetime import datetime, timezone

from tests.conftest import login
from tests.unit.pairing.test_evaluation import _record
from webapp.models import utcnow
from webapp.services.ledger.periods import local
from webapp.services.pairing import evaluation

NOW = datetime(2026, 1, 15, 4, 0, tzinfo=timezone.utc)


def _confirm(db, world, *members):
    for m in members:
        m.unit_confirmed_at = datetime(2025, 1, 1, tzinfo=timezone.utc)
    db.commit()


def test_a_street_that_started_in_july_is_not_scored_zero_for_the_first_half(db, world):
    _confirm(db, world, world.member)
    _record(db, world, world.member, "2025-09-10T02:00", 6, 5)
    db.commit()
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    p = evaluation.parts(db, r, world.unit.id, NOW)
    # before: 50 × 0 (no first half) + 50 × min(6 / 10, 1) = 30; now the half it ran:
    # 100 × min(6 / 5, 1) = 100, and "both halves" is no data (None), not 0
    assert (p["participation"], p["members_both_halves"], p["halves_run"]) == (100.0, None, [2])


def test_a_round_before_july_judges_the_first_half_only(db, world):
    _confirm(db, world, world.member)
    _record(db, world, world.member, "2025-03-10T02:00", 2, 5)
    db.commit()
    june = datetime(2025, 6, 20, 4, 0, tzinfo=timezone.utc)
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=june)
    p = evaluation.parts(db, r, world.unit.id, june)
    assert p["participation"] == 40.0  # 100 × 2 / 5


def test_no_service_at_all_is_no_data_not_zero(db, world):
    _confirm(db, world, world.member)
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    p = evaluation.parts(db, r, world.unit.id, NOW)
    assert p["participation"] is None and p["satisfaction"] is None
    evaluation.score_unit(db, world.admin, r.id, world.unit.id,
                          {"support": 80, "effect": 80, "activity": 80}, now=NOW)
    evaluation.close(db, world.admin, r.id, now=NOW)
    assert evaluation.results(db, r)[0]["score"] == 80.0  # the community's part alone


def test_the_row_shows_the_arithmetic_and_the_year_is_this_year(app, client, db, world):
    app.config["WTF_CSRF_ENABLED"] = False
    _confirm(db, world, world.member)
    _record(db, world, world.member, "2025-09-10T02:00", 6, 5)
    db.commit()
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    evaluation.close(db, world.admin, r.id, now=NOW)
    login(client, world.admin)
    page = client.get(f"/pairing/evaluations/{r.id}").get_data(as_text=True)
    assert "数据不足" in page and "本年度只运行了半年" in page and "目标每人 5.0 小时" in page
    this_year = local(utcnow()).year
    listing = client.get("/pairing/evaluations").get_data(as_text=True)
    assert f'name="year" type="number" min="2000" max="{this_year}" value="{this_year}"' in listing
    login(client, world.street_admin)  # the street's comparison opens on this year too
    assert f"{this_year} 年度各社区评议" in client.get("/pairing/evaluations").get_data(as_text=True)
