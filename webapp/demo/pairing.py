"""The demo's 结对联户 and 双向评议, driven through the real services in the past.

In 城西社区 the grid workers mark a few households needing care, the admin accepts Wishgrid's
suggested pairs a month ago, members visit (some households twice, some once, some not yet),
and 李建国 turns a need heard on a visit into a wish awaiting review. Last year's evaluation
round was opened, answered by 区人民医院, closed with grades and published on the board.
"""
from datetime import timedelta

from sqlalchemy import select

from ..models import Category, Org, User
from ..schemas.pairing import UnitAnswerInput, VisitInput, VisitWishInput
from ..services import policy
from ..services.ledger.periods import LOCAL_TZ
from ..services.pairing import board, evaluation, pairings, suggestions, visits
from ..services.people.orgs import approved_units

D = timedelta(days=1)
NOTES = ["身体还好，聊了家常", "电话问候，提醒天冷添衣", "帮忙看了看水电", "家里收拾得很干净"]
NEEDS = ["希望有人帮忙修一下厨房的灯", "想学用手机视频通话", ""]


def _local_day(t):
    return t.astimezone(LOCAL_TZ).date()


def seed_pairing(s, ctx, residents) -> None:
    """Care tags, pairings a month old with visits, a need as a wish, last year's round."""
    west = ctx.orgs["城西社区"]
    admin = ctx.admins[west.id]
    start = ctx.now - 30 * D
    homes = [r for r in residents if r.building and r.building.community_id == west.id]
    for h in homes[1:8:3]:  # a few households needing care, marked by their grid worker
        worker = ctx.workers[h.building.grid_id]
        pairings.set_care(s, worker, h.id, ["lonely_elder"], now=start - 2 * D, consent=True)
    suggested = suggestions.suggest(s, admin, west.id)
    rows = pairings.accept(s, admin, [(x["member_id"], x["household_id"]) for x in suggested],
                           now=start)
    for i, p in enumerate(rows):
        for j in range((2, 1, 0)[i % 3]):  # twice, once, not yet
            t = start + (3 + 9 * j + i % 5) * D
            visits.log(s, s.get(User, p.member_id), VisitInput.model_validate({
                "household_id": p.household_id, "date": _local_day(t).isoformat(),
                "kind": ("home", "phone")[j % 2], "note": NOTES[(i + j) % len(NOTES)],
                "needs": NEEDS[i % len(NEEDS)] if j == 0 else ""}), now=t)
    _need_as_wish(s, ctx, west)
    for m in ctx.members[west.id][:4]:
        board.set_consent(s, m, True, now=start)
    _last_year(s, ctx, west, admin)


def _need_as_wish(s, ctx, west) -> None:
    """The fixed member (13800000002) posts a need heard on a visit for the household."""
    m0 = ctx.members[west.id][0]
    mine = visits.mine(s, m0, now=ctx.now)
    done = [r for r in mine if r["last_visit_id"]]
    if not done:
        return
    cat = s.scalar(select(Category.id).where(Category.community_id == west.id,
                                             Category.name == "助老助残"))
    visits.to_wish(s, m0, done[0]["last_visit_id"], VisitWishInput.model_validate({
        "kind": "service", "title": "帮忙修厨房的灯", "category": cat,
        "description": "走访时居民说厨房的灯不亮了，自己够不着。", "estimated_hours": 1,
        "consent": True}), now=ctx.now - 3 * D)


def _last_year(s, ctx, west: Org, admin) -> None:
    """Last year's round: community questionnaire, the unit's answers and report, published."""
    year = _local_day(ctx.now).year - 1
    r = evaluation.open_round(s, admin, west.id, year, now=ctx.now - 25 * D)
    for i, unit in enumerate(approved_units(s, west.id)):
        evaluation.score_unit(s, admin, r.id, unit.id,
                              {"support": 95 - 5 * i, "effect": 92 - 10 * i, "activity": 85},
                              now=ctx.now - 20 * D)
        head = next((u for u in s.scalars(select(User).where(User.unit_id == unit.id))
                     if unit.id in policy.unit_ids_admined(u)), None)
        if head is not None:
            evaluation.answer(s, head, r.id, unit.id, UnitAnswerInput.model_validate({
                "support": 5, "communication": 4, "accuracy": 4,
                "comment": "希望社区提前一周发布活动需求。",
                "report_text": f"{year} 年，本单位党员参加社区志愿服务，开展“专家义诊进社区”，"
                               "开放停车场和会议室，资助困难家庭。"}), now=ctx.now - 19 * D)
    evaluation.close(s, admin, r.id, now=ctx.now - 12 * D)
    evaluation.publish(s, admin, r.id, now=ctx.now - 11 * D)
