"""Claims (认领/接单): claim, release, dispatch, accept, start, done. Race-free by design.

Capacity is enforced by one conditional UPDATE (taken + n <= capacity) whose row count says
whether this claim won, plus a unique (wish, volunteer) constraint: no read-then-write race.
"""
from datetime import timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ...db import begin_write
from ...models import LIVE_CLAIM_STATUSES, Claim, Org, Unit, User, Wish, utcnow
from . import churn, lifecycle
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..notify.notify import notify
from ..people import units
from ..people.orgs import setting
from .wishes import get_wish


def get_claim(session, claim_id) -> Claim:
    """A claim by id or NotFound."""
    claim = session.get(Claim, claim_id) if isinstance(claim_id, int) else None
    if claim is None:
        raise NotFound(_l("找不到这条认领。"), code="claim_not_found")
    return claim


def _team_for(session, actor: User, wish: Wish, unit_id, member_ids) -> tuple[list[int], int | None, str]:
    """Who the claim is for: (volunteer ids, unit id, via)."""
    if unit_id is None and not member_ids:
        if not policy.is_volunteer_in(actor, wish.community_id):
            raise Forbidden(_l("请先完成社区报到并通过审核，再认领心愿。"))
        policy.refuse(policy.serve_refusal(actor.id, wish))
        return [actor.id], None, "self"
    admined = policy.unit_ids_admined(actor)
    if unit_id is None and len(admined) == 1:
        unit_id = next(iter(admined))
    unit = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None or unit.id not in admined:
        raise Invalid({"unit_id": _l("只能以您管理的单位名义认领。")})
    if unit.status != "approved" or unit.community_id != wish.community_id:
        raise Invalid({"unit_id": _l("单位需先向这个社区报到并通过审核。")})
    ids = list(dict.fromkeys(member_ids or []))
    if not ids:
        raise Invalid({"member_ids": _l("请至少指派一名本单位党员。")})
    members = session.scalars(select(User).where(User.id.in_(ids), User.unit_id == unit.id)).all()
    ok = {m.id for m in members if policy.is_volunteer_in(m, wish.community_id)
          and m.unit_confirmed_at is not None}
    if ok != set(ids):
        raise Invalid({"member_ids": _l("只能指派本单位已在本社区报到的党员。")})
    for vid in ids:
        policy.refuse(policy.serve_refusal(vid, wish))
    return ids, unit.id, "unit"



def claim(session, actor: User, wish_id, unit_id=None, member_ids=None, now=None) -> list[Claim]:
    """Claim a published wish for oneself, or for one's unit with assigned members."""
    now = now or utcnow()
    # Checked first from a plain read: in a claim burst most requests find the wish already
    # full, and a refusal need not queue for the write lock (SQLite has one writer).
    wish = get_wish(session, wish_id)
    volunteers, unit, via = _team_for(session, actor, wish, unit_id, member_ids)
    _open_or_refuse(wish)
    churn.refuse_if_churning(session, actor, wish, now)
    begin_write(session)
    _open_or_refuse(wish)  # read again under the write lock; the conditional UPDATE decides
    already = session.scalar(select(func.count(Claim.id)).where(
        Claim.wish_id == wish.id, Claim.volunteer_id.in_(volunteers),
        Claim.status.in_(LIVE_CLAIM_STATUSES)))
    if already:
        raise Conflict(_l("已经认领过这个心愿了，请在“我的订单”中查看。"), code="already_claimed")
    claims = _take(session, wish, volunteers, unit, via, actor, "active", now)
    for c in claims:
        lifecycle.log(session, wish, "claim" if via == "self" else "assign", actor.id,
                      wish.status, wish.status, c.volunteer.name if via != "self" else None, now)
    _fill_if_full(session, wish, actor.id, now)
    notify(session, [wish.resident_id], "wish_claimed", wish)
    if via == "unit":
        notify(session, [v for v in volunteers if v != actor.id], "claim_assigned", wish)
    session.commit()
    return claims


def _open_or_refuse(wish: Wish) -> None:
    if wish.status != "published":
        raise Conflict(lifecycle.refusal(wish.status), code="not_open")


def _take(session, wish, volunteers, unit, via, actor, status, now) -> list[Claim]:
    n = len(volunteers)
    res = session.execute(
        update(Wish)
        .where(Wish.id == wish.id, Wish.status == "published", Wish.taken + n <= Wish.capacity)
        .values(taken=Wish.taken + n, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if res.rowcount != 1:
        session.rollback()
        session.refresh(wish)
        if wish.status == "published":
            raise Conflict(_l("名额不够了：还剩 %(n)s 个名额。", n=wish.capacity - wish.taken),
                           code="full")
        raise Conflict(lifecycle.refusal(wish.status), code="not_open")
    claims = []
    try:
        for vid in volunteers:
            # A volunteer who released earlier may come back: reuse the row (unique pair).
            row = session.execute(
                update(Claim)
                .where(Claim.wish_id == wish.id, Claim.volunteer_id == vid,
                       Claim.status.in_(("released", "declined")))
                .values(status=status, unit_id=unit, claimed_by_id=actor.id, via=via,
                        created_at=now, released_at=None, started_at=None, done_at=None,
                        hours=None)
                .returning(Claim.id)
            ).scalar()
            if row is None:
                c = Claim(wish_id=wish.id, volunteer_id=vid, unit_id=unit,
                          claimed_by_id=actor.id, via=via, status=status, created_at=now)
                session.add(c)
                session.flush()
            else:
                c = session.get(Claim, row)
                session.refresh(c)
            claims.append(c)
    except IntegrityError:
        session.rollback()
        raise Conflict(_l("已经认领过这个心愿了，请在“我的订单”中查看。"),
                       code="already_claimed") from None
    session.refresh(wish)
    return claims


def _fill_if_full(session, wish, actor_id, now):
    if wish.status == "published" and wish.taken >= wish.capacity:
        lifecycle.move(session, wish, "fill", actor_id, now=now)


def _free_slot(session, wish: Wish, actor_id, now) -> None:
    """A claim left: give its place back and put the wish back on the menu if it was full."""
    session.execute(update(Wish).where(Wish.id == wish.id, Wish.taken > 0)
                    .values(taken=Wish.taken - 1, updated_at=now)
                    .execution_options(synchronize_session=False))
    session.refresh(wish)
    if wish.status == "claimed":
        lifecycle.move(session, wish, "reopen", actor_id, now=now)
    elif wish.status == "in_service":
        _finish_if_all_done(session, wish, actor_id, now)


def _set_claim(session, c: Claim, froms: tuple, refusal, **values) -> None:
    res = session.execute(update(Claim).where(Claim.id == c.id, Claim.status.in_(froms))
                          .values(**values).execution_options(synchronize_session=False))
    if res.rowcount != 1:
        session.rollback()
        raise Conflict(refusal, code="illegal_claim_transition")
    session.refresh(c)


def release(session, actor: User, claim_id, now=None) -> Claim:
    """Give up a claim before service starts (the volunteer, their unit admin, or the community)."""
    begin_write(session)
    now = now or utcnow()
    c = get_claim(session, claim_id)
    wish = c.wish
    if not (actor.id == c.volunteer_id or (c.unit_id and c.unit_id in policy.unit_ids_admined(actor))
            or policy.can_review(actor, wish)):
        raise Forbidden(_l("只能取消自己（或本单位）的认领。"))
    release_in_transaction(session, actor, c, now)
    if actor.id == c.volunteer_id:  # the harvesting pattern is one's own claims (issue 10 §4)
        churn.flag_if_churning(session, actor, wish, now)
    session.commit()
    return c


def release_in_transaction(session, actor: User, c: Claim, now) -> None:
    """Release a claim and tell the resident, in the caller's transaction and permission check
    (also used when staff deactivate the volunteer's account)."""
    wish = c.wish
    _set_claim(session, c, ("active", "offered"),
               _l("服务已经开始或已结束，不能取消认领；如有变化请联系社区。"),
               status="released", released_at=now)
    lifecycle.log(session, wish, "release", actor.id, wish.status, wish.status,
                  c.volunteer.name, now)
    _free_slot(session, wish, actor.id, now)
    notify(session, [wish.resident_id], "claim_released", wish)


def dispatch(session, actor: User, wish_id, member_id=None, unit_id=None, note=None,
             now=None) -> Claim | None:
    """派单: the community asks a member (who accepts or declines) or a unit's admins to serve.

    Volunteers may not be forcibly assigned, so a dispatch to a member is an offer that holds a
    place until answered; a dispatch to a unit notifies its admins, who claim as usual.
    """
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    if not policy.can_review(actor, wish):
        raise Forbidden(_l("只有本社区管理员可以派单。"))
    if (member_id is None) == (unit_id is None):
        raise Invalid({"member_id": _l("请选择一名党员或一个单位。")})
    if wish.status != "published":
        raise Conflict(lifecycle.refusal(wish.status), code="not_open")
    if unit_id is not None:
        unit = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
        if unit is None or unit.status != "approved" or unit.community_id != wish.community_id:
            raise Invalid({"unit_id": _l("请选择已向本社区报到的单位。")})
        admins = units.admin_ids(session, unit.id)
        lifecycle.log(session, wish, "dispatch", actor.id, wish.status, wish.status,
                      note or unit.name, now)
        notify(session, admins, "claim_dispatched", wish)
        session.commit()
        return None
    member = session.get(User, member_id) if isinstance(member_id, int) else None
    if member is None or not policy.is_volunteer_in(member, wish.community_id):
        raise Invalid({"member_id": _l("请选择已在本社区报到的党员。")})
    policy.refuse(policy.serve_refusal(member.id, wish))
    if session.scalar(select(Claim.id).where(Claim.wish_id == wish.id,
                                             Claim.volunteer_id == member.id,
                                             Claim.status.in_(LIVE_CLAIM_STATUSES))):
        raise Conflict(_l("这位党员已经在这个心愿的志愿者名单中。"), code="already_claimed")
    # The unit is credited only once it confirmed the member (issue 10 §12).
    unit = member.unit_id if member.unit_confirmed_at is not None else None
    (c,) = _take(session, wish, [member.id], unit, "dispatch", actor, "offered", now)
    lifecycle.log(session, wish, "dispatch", actor.id, wish.status, wish.status,
                  note or member.name, now)
    _fill_if_full(session, wish, actor.id, now)
    notify(session, [member.id], "claim_dispatched", wish)
    session.commit()
    return c


def answer_offer(session, actor: User, claim_id, accept: bool, now=None) -> Claim:
    """The dispatched member accepts (→ active) or declines (place freed)."""
    begin_write(session)
    now = now or utcnow()
    c = get_claim(session, claim_id)
    if actor.id != c.volunteer_id:
        raise Forbidden(_l("只能答复派给自己的任务。"))
    wish = c.wish
    if accept:
        _set_claim(session, c, ("offered",), _l("这条派单已经答复过了。"), status="active")
        lifecycle.log(session, wish, "accept", actor.id, wish.status, wish.status, None, now)
        notify(session, [wish.resident_id], "wish_claimed", wish)
    else:
        _set_claim(session, c, ("offered",), _l("这条派单已经答复过了。"), status="declined",
                   released_at=now)
        lifecycle.log(session, wish, "decline", actor.id, wish.status, wish.status, None, now)
        _free_slot(session, wish, actor.id, now)
    session.commit()
    return c


def start(session, actor: User, claim_id, now=None, by_code: bool = False) -> Claim:
    """签到: the volunteer starts serving; the first start moves the wish to in_service.
    `by_code`: by scanning the resident's service code (service_code.py)."""
    begin_write(session)
    now = now or utcnow()
    c = get_claim(session, claim_id)
    if actor.id != c.volunteer_id:
        raise Forbidden(_l("只能为自己的认领签到。"))
    wish = c.wish
    if wish.status not in ("published", "claimed", "in_service"):
        raise Conflict(lifecycle.refusal(wish.status), code="not_open")
    early = int(setting(session.get(Org, wish.community_id), "service_start_early_minutes"))
    if c.status == "active" and wish.wanted_from is not None and now < wish.wanted_from - timedelta(
            minutes=early):
        raise Conflict(_l("还没到约定的服务时间：最早可在约定时间前 %(m)s 分钟开始服务。", m=early),
                       code="too_early")
    _set_claim(session, c, ("active",), _l("只有已认领、尚未开始的任务可以开始服务。"),
               status="started", started_at=now, started_by_code=by_code)
    if wish.status == "in_service":
        lifecycle.log(session, wish, "check_in", actor.id, wish.status, wish.status, None, now)
    else:
        lifecycle.move(session, wish, "start", actor.id, now=now)
        notify(session, [wish.resident_id], "wish_started", wish)
    session.commit()
    return c


def mark_done(session, actor: User, claim_id, hours, now=None, by_code: bool = False) -> Claim:
    """The volunteer marks their part done with actual hours (travel excluded); `by_code`: by
    scanning the resident's service code, the hours measured from the start."""
    begin_write(session)
    now = now or utcnow()
    c = get_claim(session, claim_id)
    if actor.id != c.volunteer_id:
        raise Forbidden(_l("只能为自己的服务填写完成情况。"))
    wish = c.wish
    limit = Decimal(str(setting(session.get(Org, wish.community_id), "max_service_hours")))
    hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    if hours <= 0 or hours > limit:
        raise Invalid({"hours": _l("服务时长应在 0.1 到 %(max)s 小时之间（不含路上时间）。",
                                   max=limit)})
    _set_claim(session, c, ("started",), _l("请先开始服务（签到），再标记完成。"),
               status="done", done_at=now, hours=hours, done_by_code=by_code)
    lifecycle.log(session, wish, "mark_done", actor.id, wish.status, wish.status,
                  f"{hours} h", now)
    _finish_if_all_done(session, wish, actor.id, now)
    session.commit()
    return c


def _finish_if_all_done(session, wish: Wish, actor_id, now) -> None:
    """When no volunteer is still on the way or serving, the wish is done: ask to confirm."""
    counts = dict(session.execute(
        select(Claim.status, func.count()).where(Claim.wish_id == wish.id)
        .group_by(Claim.status)).all())
    busy = sum(counts.get(s, 0) for s in ("offered", "active", "started"))
    if busy:
        return
    if counts.get("done"):
        lifecycle.move(session, wish, "finish", actor_id, now=now, done_at=now)
        notify(session, [wish.resident_id], "wish_done", wish)
        if wish.on_behalf:  # the resident has no phone: the grid worker who posted it confirms
            notify(session, [wish.posted_by_id], "wish_done_on_behalf", wish,
                   url=f"/wishes/{wish.id}/confirm")
    else:
        lifecycle.move(session, wish, "reopen", actor_id, now=now)
