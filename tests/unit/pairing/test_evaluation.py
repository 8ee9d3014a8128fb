"""双向评议: score arithmetic worked out by hand, the round's life (close once, reopen logged,
publish), units' answers, and the public board showing nothing personal."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from webapp.models import (AdminLog, EvaluationEvent, EvaluationRound, ServiceRecord,
                           UnitEvaluation)
from webapp.schemas.pairing import UnitAnswerInput
from webapp.services.errors import Conflict, Forbidden, Invalid, NotFound
from webapp.services.pairing import board, evaluation

NOW = datetime(2026, 1, 15, 4, 0, tzinfo=timezone.utc)


def _record(db, world, volunteer, day, hours, rating, approval="approved"):
    db.add(ServiceRecord(volunteer_id=volunteer.id, unit_id=world.unit.id,
                         community_id=world.ca.id, grid_id=world.ga1.id,
                         category_id=world.cat.id, hours=Decimal(hours),
                         service_date=datetime.fromisoformat(day).replace(tzinfo=timezone.utc),
                         rating=rating, approval=approval))


@pytest.fixture
def year_of_service(db, world):
    """2025: member serves in both halves (6 h + 6 h), member2 in the first only (4 h approved;
    a rejected and a pending record too). Ratings 5, 5, 4, 4, 3; one 2024 rating (1) ignored.
    Both members were confirmed by the unit at the start of 2025."""
    for m in (world.member, world.member2):
        m.unit_confirmed_at = datetime(2025, 1, 1, tzinfo=timezone.utc)
    _record(db, world, world.member, "2025-03-10T02:00", 6, 5)
    _record(db, world, world.member, "2025-09-10T02:00", 6, 5)
    _record(db, world, world.member2, "2025-04-10T02:00", 4, 4)
    _record(db, world, world.member2, "2025-05-01T02:00", 0.5, 4, "rejected")
    _record(db, world, world.member2, "2025-06-01T02:00", 1, 3, "pending")
    _record(db, world, world.member, "2024-12-30T02:00", 2, 1)
    db.commit()


def test_parts_and_score_by_hand(db, world, year_of_service):
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    evaluation.score_unit(db, world.admin, r.id, world.unit.id,
                          {"support": 90, "effect": "80", "activity": 50}, now=NOW)
    p = evaluation.parts(db, r, world.unit.id, NOW)
    assert p["satisfaction"] == 80.0   # (21 − 5) × 25 / 5
    assert p["participation"] == 65.0  # 50 × 1/2 + 50 × min(16 h / 2 / 10, 1)
    assert p["delivery"] is None       # no project sessions
    assert p["community"] == 78.0      # (90×40 + 80×40 + 50×20) / 100
    evaluation.close(db, world.admin, r.id, now=NOW)
    row = db.scalar(select(UnitEvaluation).where(UnitEvaluation.unit_id == world.unit.id))
    # (80×40 + 65×30 + 78×20) / 90 = 74.56 → 74.6, below 良好's 75
    assert (float(row.score), row.grade) == (74.6, "fair")
    out = evaluation.results(db, r)
    assert out[0]["grade_label"] == "一般" and out[0]["parts"]["participation"] == 65.0


def test_members_who_joined_after_the_year_are_not_judged(db, world, year_of_service):
    world.member2.unit_confirmed_at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    db.commit()
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    p = evaluation.parts(db, r, world.unit.id, NOW)
    # member alone: both halves, 12 h → 50 × 1 + 50 × min(12 / 10, 1) = 100
    assert (p["members"], p["participation"]) == (1, 100.0)


def test_too_few_ratings_leave_satisfaction_out(db, world):
    for i in range(evaluation.MIN_RATINGS - 1):
        _record(db, world, world.member, f"2025-0{i + 1}-05T02:00", 1, 1)
    db.commit()
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    assert evaluation.parts(db, r, world.unit.id, NOW)["satisfaction"] is None


def test_grades_and_totals():
    assert evaluation.grade(90, [90, 75, 60]) == "excellent"
    assert evaluation.grade(89.9, [90, 75, 60]) == "good"
    assert evaluation.grade(60, [90, 75, 60]) == "fair"
    assert evaluation.grade(59.9, [90, 75, 60]) == "poor"
    assert evaluation.grade(None, [90, 75, 60]) is None
    assert evaluation.total({"satisfaction": None, "participation": 50, "delivery": None,
                             "community": 80}, evaluation.DEFAULT_WEIGHTS) == 62.0
    assert evaluation.total({"satisfaction": None}, evaluation.DEFAULT_WEIGHTS) is None


def test_round_life_close_once_reopen_logged_publish(db, world):
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    with pytest.raises(Conflict):
        evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    with pytest.raises(Forbidden):
        evaluation.open_round(db, world.admin_b, world.ca.id, 2024, now=NOW)
    with pytest.raises(Invalid):
        evaluation.open_round(db, world.admin, world.ca.id, 2027, now=NOW)
    with pytest.raises(Conflict):
        evaluation.publish(db, world.admin, r.id, now=NOW)
    evaluation.close(db, world.admin, r.id, now=NOW)
    with pytest.raises(Conflict):
        evaluation.close(db, world.admin, r.id, now=NOW)
    with pytest.raises(Conflict):  # answers are frozen once closed
        evaluation.score_unit(db, world.admin, r.id, world.unit.id, {"support": 1})
    with pytest.raises(Invalid):
        evaluation.reopen(db, world.admin, r.id, " ")
    evaluation.publish(db, world.admin, r.id, now=NOW)
    assert evaluation.published(db, world.ca.id).id == r.id
    evaluation.reopen(db, world.admin, r.id, "单位补报了服务记录", now=NOW)
    assert r.status == "open" and evaluation.published(db, world.ca.id) is None
    kinds = [k for (k,) in db.execute(select(AdminLog.kind).order_by(AdminLog.id))]
    assert kinds == ["evaluation_open", "evaluation_close", "evaluation_publish",
                     "evaluation_reopen"]
    assert db.scalar(select(AdminLog.summary).where(
        AdminLog.kind == "evaluation_reopen")) == "单位补报了服务记录"
    assert [e for (e,) in db.execute(select(EvaluationEvent.action).order_by(
        EvaluationEvent.id))] == ["open", "close", "publish", "reopen"]
    with pytest.raises(NotFound):  # another community's admin does not see it at all
        evaluation.close(db, world.admin_b, r.id)


def test_unit_answers_and_report(db, world, make_user):
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    data = UnitAnswerInput.model_validate({"support": "5", "communication": 4, "accuracy": "",
                                           "report_text": "本年度开展义诊 12 次。"})
    row = evaluation.answer(db, world.unit_admin, r.id, world.unit.id, data, now=NOW)
    assert row.unit_answers == {"support": 5, "communication": 4}
    assert row.report_text.startswith("本年度")
    with pytest.raises(Forbidden):
        evaluation.answer(db, world.admin, r.id, world.unit.id, data)
    assert evaluation.can_view(world.unit_admin, r) and evaluation.can_view(world.street_admin, r)
    assert not evaluation.can_view(world.member, r) and not evaluation.can_view(world.admin_b, r)


def test_board_shows_counts_grades_and_no_one_personal(db, world, make_wish):
    make_wish("closed", title="帮忙买菜送上楼")
    board.set_consent(db, world.member, True)
    with pytest.raises(Forbidden):
        board.set_consent(db, world.resident, True)
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    evaluation.close(db, world.admin, r.id)
    assert board.view(db, world.ca.id)["round"] is None  # closed, not yet published
    evaluation.publish(db, world.admin, r.id)
    v = board.view(db, world.ca.id)
    assert v["fulfilled"] == 1 and v["months"][0]["categories"] == [("助老助残", 1)]
    assert [s["name"] for s in v["stars"]] == ["李**"]  # only who agreed; masked
    assert v["round"]["units"][0]["unit"] == "区人民医院"
    text = repr(v)
    for person in (world.resident, world.member, world.member2):
        assert person.name not in text and person.phone not in text
    assert "3单元502" not in text
    with pytest.raises(NotFound):
        board.view(db, world.ga1.id)


def test_the_units_own_people_do_not_rate_it(db, world, make_wish):
    """Self-dealing (issue 20): five 5-star ratings from the unit's own member leave the score
    alone; the five 1-star ratings of residents decide it, and the part says what was left out."""
    own_wish = make_wish("published", resident=world.member)  # world.member works for the unit
    for i in range(evaluation.MIN_RATINGS):
        _record(db, world, world.member2, f"2025-0{i + 1}-05T02:00", 1, 5)
        db.flush()
        rec = db.scalars(select(ServiceRecord).order_by(ServiceRecord.id.desc())).first()
        rec.wish_id = own_wish.id
        _record(db, world, world.member2, f"2025-0{i + 1}-06T02:00", 1, 1)
    db.commit()
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    p = evaluation.parts(db, r, world.unit.id, NOW)
    assert (p["satisfaction"], p["ratings"], p["own_side_ratings_left_out"]) == (0.0, 5, 5)


def test_each_viewer_gets_the_rounds_they_may_see_and_no_other(db, world):
    """rounds() reads only the viewer's communities, streets and units: the same rounds as
    checking every round of the district with can_view (what it did, 40 ms a view)."""
    evaluation.open_round(db, world.admin, world.ca.id, 2024, now=NOW)
    evaluation.open_round(db, world.admin, world.ca.id, 2025, now=NOW)
    evaluation.open_round(db, world.admin_b, world.cb.id, 2025, now=NOW)
    every = db.scalars(select(EvaluationRound).order_by(EvaluationRound.year.desc(),
                                                        EvaluationRound.id)).all()
    seen = {}
    for name in ("admin", "admin_b", "street_admin", "unit_admin", "member", "resident",
                 "grid_worker"):
        viewer = getattr(world, name)
        got = evaluation.rounds(db, viewer)
        assert got == [r for r in every if evaluation.can_view(viewer, r)], name
        seen[name] = [(r.community_id, r.year) for r in got]
    assert seen["street_admin"] == [(world.ca.id, 2025), (world.cb.id, 2025),
                                    (world.ca.id, 2024)]
    assert seen["unit_admin"] == [(world.ca.id, 2025), (world.ca.id, 2024)]  # 区人民医院 is in
    assert seen["admin_b"] == [(world.cb.id, 2025)] and seen["resident"] == []
