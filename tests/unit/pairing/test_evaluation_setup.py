"""A round's questionnaire and weights: edited before anyone answers, checked field by field,
fixed after the first answer; the preview's arithmetic is the scoring's."""
import pytest

from webapp.services.errors import Conflict, Invalid
from webapp.services.pairing import evaluation as ev
from webapp.services.pairing import setup

FORM = {"w_satisfaction": "30", "w_participation": "30", "w_delivery": "20", "w_community": "20",
        "t_excellent": "85", "t_good": "70", "t_fair": "55",
        "item_key_0": "support", "item_label_0": "支持社区工作", "item_weight_0": "60",
        "item_label_1": "  参加 环保 活动 ", "item_weight_1": "40"}


def _round(db, world):
    return ev.open_round(db, world.admin, world.ca.id, 2025)


def test_admin_changes_items_and_weights_before_answers(db, world):
    r = _round(db, world)
    setup.configure(db, world.admin, r.id, FORM)
    db.refresh(r)
    assert r.weights == {"satisfaction": 30, "participation": 30, "delivery": 20, "community": 20}
    assert r.thresholds == [85, 70, 55]
    assert r.items == [{"key": "support", "weight": 60},  # a default item: translated words
                       {"key": "q2", "label": "参加 环保 活动", "weight": 40}]
    ev.score_unit(db, world.admin, r.id, world.unit.id, {"support": 80, "q2": 90})
    assert not setup.editable(db, r)
    with pytest.raises(Conflict) as e:
        setup.configure(db, world.admin, r.id, FORM)
    assert e.value.code == "questionnaire_locked"


def test_bad_configuration_is_refused_per_field_and_nothing_changes(db, world):
    r = _round(db, world)
    before = (dict(r.weights), list(r.items))
    bad = {**FORM, "w_community": "30", "t_good": "90", "item_weight_1": "x"}
    with pytest.raises(Invalid) as e:
        setup.configure(db, world.admin, r.id, bad)
    assert {"w_community", "t_fair", "item_weight_1"} <= set(e.value.fields)
    with pytest.raises(Invalid) as e:
        setup.configure(db, world.admin, r.id, {k: v for k, v in FORM.items()
                                                 if not k.startswith("item_")})
    assert "item_label_0" in e.value.fields
    db.refresh(r)
    assert (r.weights, r.items) == before
    from webapp.services.errors import NotFound
    with pytest.raises(NotFound):
        setup.configure(db, world.admin_b, r.id, FORM)


def test_preview_uses_the_scoring_arithmetic(db, world):
    r = _round(db, world)
    p = setup.preview(setup.read_form(r, FORM))
    # community = (85×60 + 90×40) / 100 = 87.0; total = (92×30 + 75×30 + 100×20 + 87×20) / 100
    assert p["community"] == 87.0 and p["total"] == ev.total(
        {"satisfaction": 92, "participation": 75, "delivery": 100, "community": 87.0},
        {"satisfaction": 30, "participation": 30, "delivery": 20, "community": 20}) == 87.5
    assert p["grade"] == "优秀"
    assert p["without_satisfaction"] == 85.6  # (75×30 + 100×20 + 87×20) / 70 = 85.57
