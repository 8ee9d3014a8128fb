"""Resources (资源清单): what units and the community share, opened in weekly slots."""
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...db import begin_write
from ...models import (Org, Resource, ResourceClosure, ResourceSlot, SlotUse, Unit, User, utcnow)
from .. import policy
from ..errors import Forbidden, Invalid, NotFound
from ..ledger.periods import LOCAL_TZ

KIND_LABELS = {"venue": _l("场地"), "parking": _l("车位"), "equipment": _l("设备"),
               "expertise": _l("专业服务"), "other": _l("其他")}


def at(day: date, hm: str) -> datetime:
    """A Beijing wall-clock time on `day`, as an aware UTC datetime."""
    h, m = (int(x) for x in hm.split(":"))
    return datetime.combine(day, time(h, m), tzinfo=LOCAL_TZ).astimezone(
        utcnow().tzinfo)


def local_today(now: datetime) -> date:
    """Today in Beijing."""
    return now.astimezone(LOCAL_TZ).date()


def get(session, resource_id) -> Resource:
    """A resource by id or NotFound."""
    r = session.get(Resource, resource_id) if isinstance(resource_id, int) else None
    if r is None:
        raise NotFound(_l("找不到这项资源。"), code="resource_not_found")
    return r


def create(session, actor: User, data, now=None) -> Resource:
    """List a resource of a unit (its admin) or of the community (its admin)."""
    begin_write(session)
    now = now or utcnow()
    community = session.get(Org, data.community_id)
    if community is None or community.kind != "community":
        raise Invalid({"community_id": _l("请选择社区。")})
    if data.unit_id is None and len(policy.unit_ids_admined(actor)) == 1 and not policy.is_community_admin(
            actor, community.id):
        data.unit_id = next(iter(policy.unit_ids_admined(actor)))
    if data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or unit.community_id != community.id or unit.status != "approved":
            raise Invalid({"unit_id": _l("单位需先向这个社区报到并通过审核。")})
    if not policy.can_manage_resource(actor, community.id, data.unit_id):
        raise Forbidden(_l("只有单位管理员（或社区管理员，对社区自有资源）可以发布资源。"))
    seen = set()
    for s in data.slots:
        if (s.weekday, s.start) in seen:
            raise Invalid({"slots": _l("同一天同一开始时间的时段重复了。")})
        seen.add((s.weekday, s.start))
    others = {c for c in data.open_to if c != community.id}
    if others and len(others) != len(session.scalars(select(Org.id).where(
            Org.id.in_(others), Org.kind == "community",
            Org.street_id == community.street_id)).all()):  # neighbours of the same street only
        raise Invalid({"open_to": _l("只能向本街道的其他社区开放。")})
    r = Resource(community_id=community.id, unit_id=data.unit_id, kind=data.kind,
                 name=data.name, description=data.description, place=data.place,
                 photo_url=data.photo_url, needs_approval=data.needs_approval,
                 cancel_hours=data.cancel_hours, open_to=sorted(others),
                 created_by_id=actor.id, created_at=now)
    r.slots = [ResourceSlot(weekday=s.weekday, start=s.start, end=s.end, capacity=s.capacity)
               for s in data.slots]
    session.add(r)
    session.commit()
    return r


def set_active(session, actor: User, resource_id, active: bool) -> Resource:
    """Take a resource off the list (or back): existing bookings stay as they are."""
    begin_write(session)
    r = get(session, resource_id)
    require_manager(actor, r)
    r.active = bool(active)
    session.commit()
    return r


def require_manager(actor: User, r: Resource) -> None:
    """Forbidden unless the actor manages the resource."""
    if not policy.can_manage_resource(actor, r.community_id, r.unit_id):
        raise Forbidden(_l("只有资源所属单位的管理员可以操作。"))


def close_day(session, actor: User, resource_id, day: date, reason: str = "") -> ResourceClosure:
    """Close a resource on one day (an exception to its weekly hours)."""
    begin_write(session)
    r = get(session, resource_id)
    require_manager(actor, r)
    c = session.scalar(select(ResourceClosure).where(ResourceClosure.resource_id == r.id,
                                                     ResourceClosure.day == day))
    if c is None:
        c = ResourceClosure(resource_id=r.id, day=day, reason=(reason or "")[:100])
        session.add(c)
    session.commit()
    return c


def closures(session, r: Resource, now=None) -> list[dict]:
    """The resource's closed days from today on."""
    first = local_today(now or utcnow())
    return [{"day": c.day, "reason": c.reason} for c in session.scalars(
        select(ResourceClosure).where(ResourceClosure.resource_id == r.id,
                                      ResourceClosure.day >= first).order_by(ResourceClosure.day))]


def is_closed(session, resource_id: int, day: date) -> bool:
    """Whether the resource is closed on that day."""
    return session.scalar(select(ResourceClosure.id).where(
        ResourceClosure.resource_id == resource_id, ResourceClosure.day == day)) is not None


def visible(session, viewer: User, community_id: int) -> list[Resource]:
    """Active resources residents of the community may see (owned there, or opened to it)."""
    rows = session.scalars(select(Resource).where(Resource.active.is_(True))
                           .order_by(Resource.kind, Resource.id)).all()
    return [r for r in rows if r.community_id == community_id or community_id in (r.open_to or [])]


def of_unit(session, unit_id: int) -> list[Resource]:
    """A unit's resources, the inactive ones too."""
    return list(session.scalars(select(Resource).where(Resource.unit_id == unit_id)
                                .order_by(Resource.id)))


def availability(session, r: Resource, now=None, days: int = 14) -> list[dict]:
    """The next `days` days of slots: start/end, capacity, taken — counts only, no names."""
    now = now or utcnow()
    first = local_today(now)
    closed = set(session.scalars(select(ResourceClosure.day).where(
        ResourceClosure.resource_id == r.id, ResourceClosure.day >= first,
        ResourceClosure.day < first + timedelta(days=days))))
    taken = {(u.slot_id, u.day): u.taken for u in session.scalars(select(SlotUse).where(
        SlotUse.resource_id == r.id, SlotUse.day >= first,
        SlotUse.day < first + timedelta(days=days)))}
    out = []
    for i in range(days):
        d = first + timedelta(days=i)
        for s in r.slots:
            if s.weekday != d.isoweekday() or at(d, s.start) <= now:
                continue
            n = taken.get((s.id, d), 0)
            out.append({"date": d, "start": s.start, "end": s.end, "capacity": s.capacity,
                        "taken": n, "left": max(s.capacity - n, 0), "closed": d in closed})
    return out


def card(r: Resource, unit_names: dict | None = None) -> dict:
    """What anyone may see of a resource."""
    return {"id": r.id, "kind": r.kind, "kind_label": str(KIND_LABELS.get(r.kind, r.kind)),
            "name": r.name, "description": r.description, "place": r.place,
            "photo_url": r.photo_url, "needs_approval": r.needs_approval,
            "unit": (unit_names or {}).get(r.unit_id) if r.unit_id else None,
            "community_id": r.community_id, "unit_id": r.unit_id, "active": r.active,
            "slots": [{"weekday": s.weekday, "start": s.start, "end": s.end,
                       "capacity": s.capacity} for s in r.slots]}


def unit_names(session, resources) -> dict:
    """Names of the units owning these resources."""
    ids = {r.unit_id for r in resources if r.unit_id}
    return dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all()) if ids else {}
