"""双向评议: the community's yearly round. Each stationed unit is scored from resident
satisfaction, participation, delivery and the community's questionnaire; each unit answers about
the community and writes its own report. open → closed (scored) → published (公示); a closed or
published round is corrected only by reopening it with a reason (admin log).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ...db import begin_write
from ...models import (EvaluationEvent, EvaluationRound, Org, RoleGrant, Unit, UnitEvaluation,
                       User, utcnow)
from .. import policy
from ..kernel import Machine
from ..admin import adminlog
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..ledger import periods
from ..notify.notify import notify
from ..people.orgs import approved_units
from .scores import GRADES, HOURS_TARGET, MIN_RATINGS, grade, parts, total  # noqa: F401  (re-exported)

DEFAULT_WEIGHTS = {"satisfaction": 40, "participation": 30, "delivery": 10, "community": 20}
DEFAULT_THRESHOLDS = [90, 75, 60]  # 优秀 ≥ 90, 良好 ≥ 75, 一般 ≥ 60, else 较差
DEFAULT_ITEMS = [{"key": "support", "weight": 40}, {"key": "effect", "weight": 40},
                 {"key": "activity", "weight": 20}]
ITEM_LABELS = {"support": _l("支持社区工作"), "effect": _l("服务群众成效"),
               "activity": _l("参加共建活动")}
UNIT_QUESTIONS = {"support": _l("社区对单位的支持"), "communication": _l("沟通联系"),
                  "accuracy": _l("需求是否准确")}
PART_LABELS = {"satisfaction": _l("居民满意度"), "participation": _l("党员参与"),
               "delivery": _l("项目履约"), "community": _l("社区评价")}

GRADE_LABELS = {"excellent": _l("优秀"), "good": _l("良好"), "fair": _l("一般"),
                "poor": _l("较差"), None: _l("数据不足")}
STATUS_LABELS = {"open": _l("评议中"), "closed": _l("已结束"), "published": _l("已公示")}


def get(session, round_id) -> EvaluationRound:
    """A round by id or NotFound."""
    r = session.get(EvaluationRound, round_id) if isinstance(round_id, int) else None
    if r is None:
        raise NotFound(_l("找不到这次评议。"), code="evaluation_not_found")
    return r


def _admin_round(session, actor: User, round_id) -> EvaluationRound:
    r = get(session, round_id)
    if not policy.can_run_evaluation(actor, r.community_id):
        if policy.community_ids_for(actor, "community_admin"):
            raise NotFound(_l("找不到这次评议。"), code="evaluation_not_found")
        raise Forbidden(_l("只有本社区管理员可以组织评议。"))
    return r


def can_view(viewer: User, r: EvaluationRound) -> bool:
    """The community's admins, its street's admins, and admins of a unit in the round."""
    return (policy.can_run_evaluation(viewer, r.community_id)
            or policy.is_street_admin(viewer, r.community.street_id)
            or bool(policy.unit_ids_admined(viewer) & {u.unit_id for u in _units(r)}))


def _units(r: EvaluationRound) -> list[UnitEvaluation]:
    from sqlalchemy.orm import object_session
    return list(object_session(r).scalars(select(UnitEvaluation).where(
        UnitEvaluation.round_id == r.id).order_by(UnitEvaluation.unit_id)))


def units(session, r: EvaluationRound) -> list[UnitEvaluation]:
    """The units of a round, by unit id."""
    return _units(r)


# The round's state machine (services/kernel.py); a refusal depends on what was asked.
ROUND = Machine(EvaluationRound, {
    "close": (frozenset({"open"}), "closed"),
    "publish": (frozenset({"closed"}), "published"),
    "reopen": (frozenset({"closed", "published"}), "open"),
}, action_refusals={
    "close": (_l("评议已经结束了。"), "already_closed"),
    "publish": (_l("只有已结束、尚未公示的评议可以公示。"), "not_closed"),
    "reopen": (_l("评议正在进行中，无需重新开启。"), "already_open"),
}, labels=STATUS_LABELS, event_model=EvaluationEvent, fk="round_id")


def open_round(session, actor: User, community_id, year: int, now=None) -> EvaluationRound:
    """The community admin opens the yearly round; every approved unit of the community is in."""
    begin_write(session)
    now = now or utcnow()
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise Invalid({"community_id": _l("请选择社区。")})
    if not policy.can_run_evaluation(actor, org.id):
        raise Forbidden(_l("只有本社区管理员可以组织评议。"))
    if not 2000 <= year <= periods.local(now).year:
        raise Invalid({"year": _l("请选择今年或以前的年度。")})
    if session.scalar(select(EvaluationRound.id).where(
            EvaluationRound.community_id == org.id, EvaluationRound.year == year)):
        raise Conflict(_l("这个年度的评议已经开过了。"), code="round_exists")
    r = EvaluationRound(community_id=org.id, year=year, status="open",
                        weights=dict(DEFAULT_WEIGHTS), thresholds=list(DEFAULT_THRESHOLDS),
                        items=[dict(i) for i in DEFAULT_ITEMS], opened_by_id=actor.id,
                        opened_at=now)
    session.add(r)
    session.flush()
    unit_rows = approved_units(session, org.id)
    for u in unit_rows:
        session.add(UnitEvaluation(round_id=r.id, unit_id=u.id, updated_at=now))
    ROUND.log(session, r, "open", actor.id, None, "open", None, now)
    adminlog.record(session, actor, "evaluation_open", org, summary=f"{year}", now=now)
    admins = session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.role == "unit_admin", RoleGrant.active.is_(True),
        RoleGrant.unit_id.in_([u.id for u in unit_rows] or [0]))).all()
    notify(session, sorted(set(admins)), "evaluation_opened", note=str(year), now=now,
           url=f"/pairing/evaluations/{r.id}")
    session.commit()
    return r


def row_of(session, r: EvaluationRound, unit_id) -> UnitEvaluation:
    """The unit's line in the round, or Invalid on unit_id."""
    row = session.scalar(select(UnitEvaluation).where(UnitEvaluation.round_id == r.id,
                                                      UnitEvaluation.unit_id == unit_id))
    if row is None:
        raise Invalid({"unit_id": _l("这个单位不在本次评议中。")})
    return row


def _open(r: EvaluationRound) -> None:
    if r.status != "open":
        raise Conflict(_l("评议已结束；如需更正，请社区管理员说明理由后重新开启。"),
                       code="round_closed")


def score_unit(session, actor: User, round_id, unit_id, answers: dict, now=None) -> UnitEvaluation:
    """The community's questionnaire about one unit: each item 0–100."""
    begin_write(session)
    now = now or utcnow()
    r = _admin_round(session, actor, round_id)
    _open(r)
    row = row_of(session, r, unit_id)
    keys = {i["key"] for i in r.items}
    clean, errors = {}, {}
    for k, v in (answers or {}).items():
        if k not in keys:
            continue
        if v is None or v == "":
            continue
        try:
            num = int(v)
        except (TypeError, ValueError):
            num = -1
        if not 0 <= num <= 100:
            errors[k] = _l("请填写 0 到 100 的分数。")
        clean[k] = num
    if errors:
        raise Invalid(errors)
    row.community_answers, row.updated_at = clean, now
    session.commit()
    return row


def answer(session, actor: User, round_id, unit_id, data, now=None) -> UnitEvaluation:
    """A unit answers about the community (1–5 each) and writes its own report (双报告)."""
    begin_write(session)
    now = now or utcnow()
    r = get(session, round_id)
    if not isinstance(unit_id, int) or not policy.can_answer_evaluation(actor, unit_id):
        raise Forbidden(_l("只有本单位管理员可以填写单位的评价和报告。"))
    row = row_of(session, r, unit_id)
    _open(r)
    row.unit_answers = {k: getattr(data, k) for k in UNIT_QUESTIONS if getattr(data, k)}
    row.unit_comment = data.comment or ""
    row.report_text = data.report_text or ""
    row.updated_at = now
    session.commit()
    return row


def close(session, actor: User, round_id, now=None) -> EvaluationRound:
    """Close the round: every unit gets its parts, score and grade (a round closes once)."""
    begin_write(session)
    now = now or utcnow()
    r = _admin_round(session, actor, round_id)
    ROUND.check("close", r.status)
    for row in _units(r):
        p = parts(session, r, row.unit_id, now)
        row.parts = p
        row.score = total(p, r.weights)
        row.grade = grade(row.score, r.thresholds)
        row.updated_at = now
    ROUND.move(session, r, "close", actor.id, None, now, closed_at=now)
    adminlog.record(session, actor, "evaluation_close", r.community, summary=f"{r.year}",
                    now=now)
    session.commit()
    return r


def publish(session, actor: User, round_id, now=None) -> EvaluationRound:
    """Put a closed round's grades on the public board (公示)."""
    begin_write(session)
    now = now or utcnow()
    r = _admin_round(session, actor, round_id)
    ROUND.move(session, r, "publish", actor.id, None, now, published_at=now)
    adminlog.record(session, actor, "evaluation_publish", r.community, summary=f"{r.year}",
                    now=now)
    session.commit()
    return r


def reopen(session, actor: User, round_id, reason: str | None, now=None) -> EvaluationRound:
    """Reopen a closed or published round to correct it; the reason goes on the admin log."""
    begin_write(session)
    now = now or utcnow()
    r = _admin_round(session, actor, round_id)
    ROUND.check("reopen", r.status)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise Invalid({"reason": _l("请填写重新开启的理由，会记入管理日志。")})
    frm = r.status
    ROUND.move(session, r, "reopen", actor.id, reason[:300], now, closed_at=None,
               published_at=None)
    for row in _units(r):
        row.score, row.grade, row.parts = None, None, {}
    adminlog.record(session, actor, "evaluation_reopen", r.community, summary=reason[:300],
                    details={"year": r.year, "from": frm}, now=now)
    session.commit()
    return r


def rounds(session, viewer: User) -> list[EvaluationRound]:
    """Rounds the viewer may see, newest year first. The statement reads only the rounds of
    the viewer's communities, streets and units (every round of a district, each checked with
    a query or two, cost 40 ms a view to a resident who sees none); can_view still decides."""
    near = []
    if mine := policy.community_ids_for(viewer, "community_admin"):
        near.append(EvaluationRound.community_id.in_(mine))
    if streets := policy.org_ids_for(viewer, "street_admin"):
        near.append(EvaluationRound.community_id.in_(
            select(Org.id).where(Org.street_id.in_(streets))))
    if units := policy.unit_ids_admined(viewer):
        near.append(EvaluationRound.id.in_(select(UnitEvaluation.round_id).where(
            UnitEvaluation.unit_id.in_(units))))
    if not near:
        return []
    rows = session.scalars(select(EvaluationRound).where(or_(*near))
                           .options(selectinload(EvaluationRound.community))
                           .order_by(EvaluationRound.year.desc(), EvaluationRound.id)).all()
    return [r for r in rows if can_view(viewer, r)]


def results(session, r: EvaluationRound) -> list[dict]:
    """One dict per unit: name, score, grade and parts, for pages, the API and the board."""
    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    return [{"unit_id": u.unit_id, "unit": names.get(u.unit_id, ""),
             "score": float(u.score) if u.score is not None else None, "grade": u.grade,
             "grade_label": str(GRADE_LABELS[u.grade]),
             "parts": {k: (u.parts or {}).get(k) for k in DEFAULT_WEIGHTS},
             # the counts behind the parts, for the arithmetic on the unit's row
             "facts": {k: v for k, v in (u.parts or {}).items() if k not in DEFAULT_WEIGHTS}}
            for u in _units(r)]


def street_rounds(session, actor: User, year: int) -> list[dict]:
    """The street admin's view: each community's round of a year, side by side."""
    streets = policy.org_ids_for(actor, "street_admin")
    if not streets:
        raise Forbidden(_l("只有街道管理员可以查看各社区的评议。"))
    out = []
    for c in session.scalars(select(Org).where(Org.kind == "community", Org.active.is_(True),
                                               Org.street_id.in_(streets)).order_by(Org.id)):
        r = session.scalar(select(EvaluationRound).where(EvaluationRound.community_id == c.id,
                                                         EvaluationRound.year == year))
        out.append({"community": c.name, "round": r,
                    "status_label": str(STATUS_LABELS[r.status]) if r else "",
                    "results": results(session, r) if r and r.status != "open" else []})
    return out


def published(session, community_id: int) -> EvaluationRound | None:
    """The community's latest published round (what the public board shows)."""
    return session.scalar(select(EvaluationRound).where(
        EvaluationRound.community_id == community_id, EvaluationRound.status == "published")
        .order_by(EvaluationRound.year.desc()).limit(1))


def unit_count(session, r: EvaluationRound) -> int:
    """How many units are in the round."""
    return session.scalar(select(func.count(UnitEvaluation.id)).where(
        UnitEvaluation.round_id == r.id)) or 0
