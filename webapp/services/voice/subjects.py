"""What a complaint can be about: a wish, a booking, a project session or a visit.

Each resolves to the same plain facts: the community that answers, the unit it is about (it
counts in the evaluation round), who received the service (only they raise it), the side it
is about (volunteers who may read it, anonymised if asked) and a title and link to show.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...models import (Booking, Claim, Project, ProjectSession, Resource, SessionSignup, Visit,
                       Wish)
from ..errors import NotFound

KINDS = ("wish", "booking", "session", "visit")
KIND_LABELS = {"wish": _l("心愿"), "booking": _l("预约"), "session": _l("活动场次"),
               "visit": _l("走访")}


@dataclass
class Subject:
    """The facts a complaint needs about what it is about."""

    kind: str
    id: int
    community_id: int
    title: str
    url: str | None
    unit_id: int | None = None
    recipients: set = field(default_factory=set)  # who received the service: may raise it
    parties: set = field(default_factory=set)  # volunteers it is about: may read it


def _wish(session, wid: int) -> Subject | None:
    w = session.get(Wish, wid)
    if w is None or w.status == "draft":
        return None
    claims = session.execute(select(Claim.volunteer_id, Claim.unit_id).where(
        Claim.wish_id == w.id, Claim.status.not_in(("declined",)))).all()
    unit = next((u for _v, u in claims if u is not None), None)
    return Subject("wish", w.id, w.community_id, w.title, f"/wishes/{w.id}", unit,
                   {w.resident_id}, {v for v, _u in claims})


def _booking(session, bid: int) -> Subject | None:
    row = session.execute(select(Booking, Resource).join(
        Resource, Resource.id == Booking.resource_id).where(Booking.id == bid)).first()
    if row is None:
        return None
    b, r = row
    return Subject("booking", b.id, r.community_id, r.name, f"/lists/resources/{r.id}",
                   r.unit_id, {b.user_id})


def _session(session, sid: int) -> Subject | None:
    row = session.execute(select(ProjectSession, Project).join(
        Project, Project.id == ProjectSession.project_id).where(ProjectSession.id == sid)).first()
    if row is None:
        return None
    s, p = row
    # Those who came to be served (报名参加), not the project's own servers.
    attendees = set(session.scalars(select(SessionSignup.user_id).where(
        SessionSignup.session_id == s.id, SessionSignup.role == "attendee")))
    return Subject("session", s.id, p.community_id, p.title, f"/lists/sessions/{s.id}",
                   p.unit_id, attendees)


def _visit(session, vid: int) -> Subject | None:
    v = session.get(Visit, vid)
    if v is None:
        return None
    return Subject("visit", v.id, v.community_id, _l("入户走访"), None, None,
                   {v.household_id}, {v.member_id})


_RESOLVE = {"wish": _wish, "booking": _booking, "session": _session, "visit": _visit}


def resolve(session, kind: str, subject_id) -> Subject:
    """The subject, or NotFound (an unknown kind or id says nothing about what exists)."""
    found = (_RESOLVE[kind](session, subject_id)
             if kind in _RESOLVE and isinstance(subject_id, int) else None)
    if found is None:
        raise NotFound(_l("找不到要反映的服务。"), code="subject_not_found")
    return found


def of(session, c) -> Subject:
    """The subject of an existing complaint."""
    return resolve(session, c.subject, getattr(c, f"{c.subject}_id"))
