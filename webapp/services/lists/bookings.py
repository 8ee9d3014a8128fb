"""Bookings (预约) of resource slots: race-free capacity, caps, no-show pauses, privacy.

Capacity is decided by one conditional UPDATE on the slot-day counter (taken + 1 <= capacity)
whose row count says whether this booking won, plus a unique (slot-day, person, live) row.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ...db import begin_write
from ...models import (Booking, Disclosure, Org, ResourceSlot, RoleGrant, SlotUse, User, utcnow)
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..notify.notify import notify
from ..people.orgs import setting
from ..wishes.present import mask_name
from . import resources, states

OPEN = ("pending", "confirmed")


def get(session, booking_id) -> Booking:
    """A booking by id or NotFound."""
    b = session.get(Booking, booking_id) if isinstance(booking_id, int) else None
    if b is None:
        raise NotFound(_l("找不到这条预约。"), code="booking_not_found")
    return b


def managers(session, r) -> list[int]:
    """Who decides a resource's bookings: the unit's admins, or the community's."""
    q = select(RoleGrant.user_id).where(RoleGrant.active.is_(True))
    q = (q.where(RoleGrant.role == "unit_admin", RoleGrant.unit_id == r.unit_id) if r.unit_id
         else q.where(RoleGrant.role == "community_admin", RoleGrant.org_id == r.community_id))
    return list(session.scalars(q))


def _label(b: Booking, r) -> str:
    local = b.starts_at.astimezone(resources.LOCAL_TZ)
    return f"{r.name} {local:%m-%d %H:%M}"


def _who(session, actor: User, on_behalf_of, r) -> User:
    resident = actor
    if on_behalf_of not in (None, actor.id):
        resident = session.get(User, on_behalf_of) if isinstance(on_behalf_of, int) else None
        if resident is None:
            raise Invalid({"on_behalf_of": _l("找不到这位居民。")})
    if not policy.can_book_for(actor, resident, r):
        if resident.id == actor.id:
            raise Forbidden(_l("这项资源只对指定社区的居民开放。"))
        raise Forbidden(_l("只能为本网格的居民代为预约。"))
    return resident


def _paused(session, community: Org, user_id: int, now) -> bool:
    """Repeated no-shows pause booking: N within the window, the last one inside it."""
    days = int(setting(community, "no_show_pause_days"))
    n = session.scalar(select(func.count(Booking.id)).where(
        Booking.user_id == user_id, Booking.status == "no_show",
        Booking.starts_at >= now - timedelta(days=days)))
    return n >= int(setting(community, "no_show_pause_after"))


def book(session, actor: User, resource_id, data, now=None) -> Booking:
    """Book one slot on one day for oneself, or for a resident (grid worker, 代约)."""
    now = now or utcnow()
    r = resources.get(session, resource_id)
    if not r.active:
        raise Conflict(_l("这项资源已暂停开放。"), code="closed")
    resident = _who(session, actor, data.on_behalf_of, r)
    slot = session.scalar(select(ResourceSlot).where(
        ResourceSlot.resource_id == r.id, ResourceSlot.weekday == data.day.isoweekday(),
        ResourceSlot.start == data.start))
    if slot is None:
        raise Conflict(_l("这个时段不开放，请选择列表中的时段。"), code="closed")
    starts = resources.at(data.day, slot.start)
    if starts <= now:
        raise Conflict(_l("这个时段已经开始或结束了，请选择以后的时段。"), code="past")
    if starts > now + timedelta(days=60):
        raise Conflict(_l("最多只能预约 60 天以内的时段。"), code="too_far")
    if resources.is_closed(session, r.id, data.day):
        raise Conflict(_l("这一天暂停开放，请选择其他日期。"), code="closed")
    begin_write(session)
    community = session.get(Org, r.community_id)
    if _paused(session, community, resident.id, now):
        raise Conflict(_l("近期多次预约未到场，预约功能暂停，请稍后再试或联系社区。"), code="paused")
    open_n = session.scalar(select(func.count(Booking.id)).where(
        Booking.user_id == resident.id, Booking.status.in_(OPEN), Booking.ends_at > now))
    cap = int(setting(community, "max_open_bookings"))
    if open_n >= cap:
        raise Conflict(_l("您已有 %(n)s 个未完成的预约，达到上限，请先使用或取消。", n=open_n),
                       code="over_cap")
    use = _use_of(session, slot, data.day)
    if session.scalar(select(Booking.id).where(Booking.use_id == use.id,
                                               Booking.user_id == resident.id,
                                               Booking.live.is_(True))):
        raise Conflict(_l("已经预约过这个时段了。"), code="already_booked")
    res = session.execute(update(SlotUse).where(SlotUse.id == use.id,
                                                SlotUse.taken + 1 <= SlotUse.capacity)
                          .values(taken=SlotUse.taken + 1)
                          .execution_options(synchronize_session=False))
    if res.rowcount != 1:
        session.rollback()
        raise Conflict(_l("这个时段已约满，请选择其他时段。"), code="full")
    status = "pending" if r.needs_approval else "confirmed"
    b = Booking(resource_id=r.id, use_id=use.id, user_id=resident.id, booked_by_id=actor.id,
                starts_at=starts, ends_at=resources.at(data.day, slot.end), status=status,
                live=True, created_at=now, updated_at=now)
    session.add(b)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(_l("已经预约过这个时段了。"), code="already_booked") from None
    states.log(session, b, "book", actor.id, None, status,
               None if actor.id == resident.id else actor.name, now)
    if status == "pending":
        notify(session, managers(session, r), "booking_requested", note=_label(b, r),
               now=now, url=f"/lists/resources/{r.id}/bookings")
    session.commit()
    return b


def _use_of(session, slot: ResourceSlot, day) -> SlotUse:
    """The slot-day counter, created on the first booking (insert-or-nothing on both databases)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(SlotUse).values(resource_id=slot.resource_id, slot_id=slot.id, day=day,
                                           capacity=slot.capacity, taken=0)
                    .on_conflict_do_nothing(index_elements=["slot_id", "day"]))
    return session.scalar(select(SlotUse).where(SlotUse.slot_id == slot.id, SlotUse.day == day)
                          .execution_options(populate_existing=True))


def _free(session, b: Booking) -> None:
    session.execute(update(SlotUse).where(SlotUse.id == b.use_id, SlotUse.taken > 0)
                    .values(taken=SlotUse.taken - 1).execution_options(synchronize_session=False))


def decide(session, actor: User, booking_id, action: str, reason: str | None = None,
           now=None) -> Booking:
    """The unit confirms or declines (with a reason) a pending booking."""
    begin_write(session)
    now = now or utcnow()
    b = get(session, booking_id)
    resources.require_manager(actor, b.resource)
    if action == "decline" and not (reason or "").strip():
        raise Invalid({"reason": _l("请填写婉拒的原因。")})
    values = {"reason": reason.strip()[:200]} if action == "decline" else {}
    if action == "decline":
        values["live"] = None
    states.move(session, b, action, actor.id, reason, now, **values)
    if action == "decline":
        _free(session, b)
    word = _l("已确认，请按时前往") if action == "confirm" else _l("未通过：%(r)s", r=reason)
    notify(session, [b.user_id, b.booked_by_id], "booking_decided",
           note=_l("%(x)s %(w)s", x=_label(b, b.resource), w=word), now=now,
           url="/lists/bookings")
    session.commit()
    return b


def cancel(session, actor: User, booking_id, now=None) -> Booking:
    """The booker (or whoever booked for them) cancels before the resource's cut-off."""
    begin_write(session)
    now = now or utcnow()
    b = get(session, booking_id)
    r = b.resource
    if actor.id not in (b.user_id, b.booked_by_id) and not policy.can_book_for(actor, b.user, r):
        raise Forbidden(_l("只能取消自己的预约。"))
    if b.status in OPEN and now > b.starts_at - timedelta(hours=r.cancel_hours):
        raise Conflict(_l("已过取消截止时间（开始前 %(h)s 小时），请直接联系单位。", h=r.cancel_hours),
                       code="too_late")
    states.move(session, b, "cancel", actor.id, None, now, live=None)
    _free(session, b)
    notify(session, managers(session, r), "booking_cancelled", note=_label(b, r), now=now,
           url=f"/lists/resources/{r.id}/bookings")
    session.commit()
    return b


def mark(session, actor: User, booking_id, action: str, now=None) -> Booking:
    """After the slot has begun, the unit marks a confirmed booking attended or no-show."""
    begin_write(session)
    now = now or utcnow()
    b = get(session, booking_id)
    resources.require_manager(actor, b.resource)
    if b.status == "confirmed" and now < b.starts_at:
        raise Conflict(_l("时段还没开始，开始后才能登记到场情况。"), code="too_early")
    states.move(session, b, action, actor.id, None, now, live=None)
    session.commit()
    return b


def rate(session, actor: User, booking_id, rating: int, comment: str = "", now=None) -> Booking:
    """The resident rates a use once, after attending."""
    begin_write(session)
    b = get(session, booking_id)
    if actor.id not in (b.user_id, b.booked_by_id):
        raise Forbidden(_l("只能评价自己的预约。"))
    if b.status != "attended" or b.rating is not None:
        raise Conflict(_l("使用之后才能评价，且只能评价一次。"), code="not_rateable")
    b.rating, b.comment = rating, (comment or "")[:300] or None
    states.log(session, b, "rate", actor.id, b.status, b.status, str(rating), now)
    session.commit()
    return b


def contact(session, b: Booking, viewer: User, channel: str) -> dict | None:
    """The booker's name and phone for the resource's managers, on a confirmed booking; logged."""
    if b.status != "confirmed" or not policy.can_manage_resource(
            viewer, b.resource.community_id, b.resource.unit_id):
        return None
    shown = {"name": b.user.name, "phone": b.user.phone}
    begin_write(session)
    session.add(Disclosure(booking_id=b.id, resident_id=b.user_id, viewer_id=viewer.id,
                           reason="booking_unit", channel=channel))
    session.commit()
    return shown


def card(b: Booking, viewer: User, contact_: dict | None = None) -> dict:
    """A booking as a list row; the name is masked unless `contact_` was disclosed."""
    return {"id": b.id, "resource_id": b.resource_id, "resource": b.resource.name,
            "starts_at": b.starts_at, "ends_at": b.ends_at, "status": b.status,
            "status_label": str(states.BOOKING_LABELS[b.status]), "reason": b.reason,
            "rating": b.rating, "on_behalf": b.booked_by_id != b.user_id,
            "name": contact_["name"] if contact_ else mask_name(b.user.name),
            "phone": contact_["phone"] if contact_ else None,
            "mine": viewer.id in (b.user_id, b.booked_by_id)}


def mine(session, user: User) -> list[Booking]:
    """A person's bookings (and those they made for others), newest slot first."""
    return list(session.scalars(select(Booking).where(
        (Booking.user_id == user.id) | (Booking.booked_by_id == user.id))
        .order_by(Booking.starts_at.desc()).limit(100)))


def of_resource(session, actor: User, resource_id) -> list[Booking]:
    """A resource's bookings for its managers, upcoming first."""
    r = resources.get(session, resource_id)
    resources.require_manager(actor, r)
    return list(session.scalars(select(Booking).where(Booking.resource_id == r.id)
                                .order_by(Booking.starts_at, Booking.id).limit(200)))


def remind_bookings(session, now) -> int:
    """Job: remind confirmed bookers once, two hours or less before their slot."""
    due = session.scalars(select(Booking).where(
        Booking.status == "confirmed", Booking.reminded_at.is_(None),
        Booking.starts_at > now, Booking.starts_at <= now + timedelta(hours=2))).all()
    if not due:
        return 0
    begin_write(session)
    for b in due:
        notify(session, [b.user_id, b.booked_by_id], "list_reminder",
               note=_l("预约提醒：%(x)s", x=_label(b, b.resource)), now=now,
               url="/lists/bookings")
        b.reminded_at = now
    session.commit()
    return len(due)


def cancel_unfit(session, actor_id: int | None, person: User, now, reason: str) -> int:
    """Cancel the person's open bookings they no longer qualify for (moved away, account
    stopped), each with its event and the unit told; in the caller's transaction."""
    n = 0
    for b in session.scalars(select(Booking).where(Booking.user_id == person.id,
                                                   Booking.status.in_(OPEN))).all():
        if person.active and policy.may_book_at(person, b.resource):
            continue
        states.move(session, b, "cancel", actor_id, reason, now, live=None)
        _free(session, b)
        notify(session, managers(session, b.resource), "booking_cancelled",
               note=_label(b, b.resource), now=now,
               url=f"/lists/resources/{b.resource_id}/bookings")
        n += 1
    return n
