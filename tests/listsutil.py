"""Helpers for the resources/projects tests: inputs and objects made through the real services."""
from datetime import date, datetime, timedelta, timezone

from webapp.schemas.lists import BookingInput, ProjectInput, ResourceInput
from webapp.services.lists import bookings, projects, resources

# A fixed "now": Wednesday 2025-03-05 02:00 UTC (10:00 Beijing).
NOW = datetime(2025, 3, 5, 2, 0, tzinfo=timezone.utc)
SAT = date(2025, 3, 8)  # the coming Saturday


def resource_input(world, **kw) -> ResourceInput:
    """A unit's parking space, open Saturdays 09:00–12:00 for `capacity` cars."""
    data = dict(community_id=world.ca.id, unit_id=world.unit.id, kind="parking",
                name="共享车位", description="周末开放", place="医院东门停车场",
                needs_approval=True, slots=[{"weekday": 6, "start": "09:00", "end": "12:00",
                                             "capacity": kw.pop("capacity", 2)}])
    data.update(kw)
    return ResourceInput.model_validate(data)


def make_resource(db, world, **kw):
    """A resource listed by the unit admin."""
    return resources.create(db, world.unit_admin, resource_input(world, **kw), now=NOW)


def book(db, actor, r, day=SAT, start="09:00", now=NOW, **kw):
    """Book a slot through the service."""
    return bookings.book(db, actor, r.id, BookingInput.model_validate(
        {"date": day.isoformat(), "start": start, **kw}), now=now)


def project_input(world, **kw) -> ProjectInput:
    """The hospital's monthly free clinic (义诊) in 城西社区, second Saturday, March–June 2025."""
    data = dict(community_id=world.ca.id, unit_id=world.unit.id, title="专家义诊进社区",
                content="每月一次专家义诊", standard="每次不少于 3 名医生", target="每月不少于 1 次",
                target_per_month=1, place="社区卫生站", responsible_name="刘书记",
                starts_on="2025-03-01", ends_on="2025-06-30", rrule="FREQ=MONTHLY;BYDAY=2SA",
                start="09:00", end="11:30", session_capacity=2, server_capacity=2)
    data.update(kw)
    return ProjectInput.model_validate(data)


def signed_project(db, world, now=NOW, **kw):
    """A project drafted by the community, signed by both sides."""
    p = projects.draft(db, world.admin, project_input(world, **kw), now=now)
    projects.sign(db, world.admin, p.id, now=now)
    projects.sign(db, world.unit_admin, p.id, now=now)
    return p


def at_local(day: date, hm: str) -> datetime:
    """Beijing wall-clock time as UTC."""
    return resources.at(day, hm)


def after(dt: datetime, minutes: int = 5) -> datetime:
    """A moment just after `dt`."""
    return dt + timedelta(minutes=minutes)
