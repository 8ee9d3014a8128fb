"""A round's questionnaire and weights, edited by its community admin before anyone answers
(issue 29 §4), with a preview of the score arithmetic on sample numbers.

Rounds are opened ready to answer, so "before it opens" is read as: while the round is open and
no unit has been scored or has answered; after the first answer the questionnaire is fixed, so
every unit of a round is judged by the same items and weights.
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...db import begin_write
from ...models import EvaluationRound, UnitEvaluation, User, utcnow
from ...schemas import ascii_number
from ..errors import Conflict, Invalid
from . import evaluation as ev
from .scores import grade, total

PARTS = ("satisfaction", "participation", "delivery", "community")
GRADE_KEYS = ("excellent", "good", "fair")
MAX_ITEMS = 8
# Sample numbers for the preview: a unit with these parts and these answers to the items.
SAMPLE_PARTS = {"satisfaction": 92, "participation": 75, "delivery": 100}
SAMPLE_ANSWERS = (85, 90, 70, 80, 95, 60, 75, 88)


def editable(session, r: EvaluationRound) -> bool:
    """Open, and nobody has scored or answered yet."""
    if r.status != "open":
        return False
    # Read, not compared in SQL: PostgreSQL's json type has no equality operator.
    rows = session.execute(select(UnitEvaluation.community_answers, UnitEvaluation.unit_answers)
                           .where(UnitEvaluation.round_id == r.id)).all()
    return not any(a or b for a, b in rows)


def _int(form, key, lo, hi, errors):
    raw = str(form.get(key) or "").strip()
    try:
        n = int(ascii_number(raw))
    except (TypeError, ValueError):
        errors[key] = _l("请填写整数。")
        return None
    if not lo <= n <= hi:
        errors[key] = _l("应在 %(lo)s 到 %(hi)s 之间。", lo=lo, hi=hi)
        return None
    return n


def read_form(r: EvaluationRound, form: dict) -> dict:
    """Weights, thresholds and items from the form, or Invalid with a message per field."""
    errors: dict = {}
    weights = {k: _int(form, f"w_{k}", 0, 100, errors) for k in PARTS}
    if not errors and sum(weights.values()) != 100:
        errors["w_community"] = _l("四项权重合计应为 100（现在是 %(n)s）。", n=sum(weights.values()))
    thresholds = [_int(form, f"t_{g}", 0, 100, errors) for g in GRADE_KEYS]
    if None not in thresholds and not thresholds[0] > thresholds[1] > thresholds[2]:
        errors["t_fair"] = _l("分数线应从优秀到一般依次降低。")
    known = {i["key"]: i for i in r.items}
    items = []
    for n in range(MAX_ITEMS):
        label = " ".join(str(form.get(f"item_label_{n}") or "").split())[:40]
        if not label:
            continue
        w = _int(form, f"item_weight_{n}", 1, 100, errors)
        key = str(form.get(f"item_key_{n}") or "")
        key = key if key in known else f"q{n + 1}"
        while key in {i["key"] for i in items}:
            key += "x"
        item = {"key": key, "label": label, "weight": w}
        if key in ev.ITEM_LABELS and label == str(ev.ITEM_LABELS[key]):
            del item["label"]  # the default item keeps its translated words
        items.append(item)
    if not items:
        errors["item_label_0"] = _l("问卷至少要有一项。")
    elif None not in [i["weight"] for i in items] and sum(i["weight"] for i in items) != 100:
        errors["item_weight_0"] = _l("各题权重合计应为 100（现在是 %(n)s）。",
                                      n=sum(i["weight"] or 0 for i in items))
    if errors:
        raise Invalid(errors)
    return {"weights": weights, "thresholds": thresholds, "items": items}


def configure(session, actor: User, round_id, form: dict, now=None) -> EvaluationRound:
    """Save the round's questionnaire and weights; refused once someone has answered."""
    begin_write(session)
    now = now or utcnow()
    r = ev._admin_round(session, actor, round_id)
    if not editable(session, r):
        raise Conflict(_l("已经有人填写了评议，问卷和权重不能再改。"), code="questionnaire_locked")
    data = read_form(r, form)
    r.weights, r.thresholds, r.items = data["weights"], data["thresholds"], data["items"]
    ev.ROUND.log(session, r, "configure", actor.id, r.status, r.status,
                 ", ".join(f"{k}={v}" for k, v in data["weights"].items()), now)
    session.commit()
    return r


def label(item: dict) -> str:
    """An item's words: its own label, else the default item's."""
    return item.get("label") or str(ev.ITEM_LABELS.get(item["key"], item["key"]))


def preview(config: dict) -> dict:
    """The score arithmetic on sample numbers, step by step, with the real functions."""
    items = config["items"]
    answers = [(label(i), SAMPLE_ANSWERS[n % len(SAMPLE_ANSWERS)], i["weight"])
               for n, i in enumerate(items)]
    wsum = sum(w for _l, _a, w in answers)
    community = float((Decimal(sum(a * w for _l, a, w in answers)) / wsum).quantize(Decimal("0.1")))
    parts = {**SAMPLE_PARTS, "community": community}
    weights = config["weights"]
    score = total(parts, weights)
    without = total({**parts, "satisfaction": None}, weights)
    return {"answers": answers, "item_weight_sum": wsum, "community": community,
            "parts": [(str(ev.PART_LABELS[k]), parts[k], weights[k]) for k in PARTS],
            "total": score, "grade": str(ev.GRADE_LABELS[grade(score, config["thresholds"])]),
            "without_satisfaction": without,
            "without_grade": str(ev.GRADE_LABELS[grade(without, config["thresholds"])])}


def current(r: EvaluationRound) -> dict:
    """The round's saved configuration, items labelled."""
    return {"weights": {k: r.weights.get(k, 0) for k in PARTS}, "thresholds": list(r.thresholds),
            "items": [{**i, "label": label(i)} for i in r.items]}


def form_values(config: dict) -> dict:
    """A configuration as the form's fields."""
    v = {f"w_{k}": config["weights"][k] for k in PARTS}
    v |= {f"t_{g}": t for g, t in zip(GRADE_KEYS, config["thresholds"])}
    for n, i in enumerate(config["items"]):
        v |= {f"item_key_{n}": i["key"], f"item_label_{n}": i["label"],
              f"item_weight_{n}": i["weight"]}
    return v
