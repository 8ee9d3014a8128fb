"""API: resources and bookings (资源清单), projects, sessions, sign-ups and check-ins (项目清单).

Each route is documented in LIST_ROUTES, merged into the OpenAPI table at import.
"""
from datetime import datetime
from typing import Annotated, Literal, Optional

from flask_babel import gettext as _
from pydantic import BaseModel, Field

from ..extensions import db
from ..schemas import Input
from ..schemas.lists import (BookingInput, CheckinInput, ProjectInput, ReasonInput,
                             ResourceInput, SignupInput)
from ..services.errors import NotFound
from ..services.lists import bookings, checkin, project_sessions, projects, resources
from . import bp, openapi
from .common import body, me, query, reply, token_required

S = db.session


class ResourceQuery(Input):
    community: Annotated[int, Field(ge=1)]


class SlotOut(BaseModel):
    weekday: int
    start: str
    end: str
    capacity: int


class ResourceOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    name: str
    description: str
    place: str
    unit: Optional[str]
    needs_approval: bool
    slots: list[SlotOut]


class ResourceList(BaseModel):
    items: list[ResourceOut]


class BookingOut(BaseModel):
    id: int
    resource_id: int
    starts_at: datetime
    ends_at: datetime
    status: Literal["pending", "confirmed", "declined", "cancelled", "attended", "no_show"]
    name: str = Field(description="masked (王**) unless the unit may see it on a confirmed booking")
    phone: Optional[str] = Field(None, description="only for the unit, confirmed bookings; logged")


class BookingList(BaseModel):
    items: list[BookingOut]


class State(BaseModel):
    id: int
    status: str


class SessionOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime
    status: Literal["scheduled", "held", "cancelled"]
    taken: int
    capacity: int
    servers_taken: int
    server_capacity: int


class SessionList(BaseModel):
    items: list[SessionOut]


class SignupOut(BaseModel):
    id: int
    session_id: int
    role: Literal["attendee", "server"]
    present: bool
    hours: Optional[float] = None


def _booking(b, contact=None) -> dict:
    return {k: v for k, v in bookings.card(b, me(), contact).items()
            if k in BookingOut.model_fields}


@bp.get("/resources")
@token_required
def list_resources():
    """Active resources residents of a community may book (places only, never bookers)."""
    q = query(ResourceQuery)
    rows = resources.visible(S, me(), q.community)
    names = resources.unit_names(S, rows)
    return reply({"items": [resources.card(r, names) for r in rows]})


@bp.post("/resources")
@token_required
def create_resource():
    """A unit admin (or the community admin, for its own) lists a resource with weekly slots."""
    r = resources.create(S, me(), body(ResourceInput))
    return reply({"id": r.id, "status": "active"}, 201)


@bp.post("/resources/<id:resource_id>/bookings")
@token_required
def book_resource(resource_id):
    """Book one slot: 201 pending|confirmed, 409 full, closed, past, paused or over the cap."""
    b = bookings.book(S, me(), resource_id, body(BookingInput))
    return reply({"id": b.id, "status": b.status}, 201)


@bp.get("/resources/<id:resource_id>/bookings")
@token_required
def resource_bookings(resource_id):
    """The unit's bookings of its resource; confirmed ones with name and phone, each logged."""
    rows = bookings.of_resource(S, me(), resource_id)
    return reply({"items": [_booking(b, bookings.contact(S, b, me(), "api")) for b in rows]})


@bp.get("/bookings")
@token_required
def my_bookings():
    """My bookings and those I made for residents."""
    return reply({"items": [_booking(b) for b in bookings.mine(S, me())]})


def _decide(booking_id, action):
    reason = body(ReasonInput).reason if action == "decline" else None
    return reply({"id": booking_id, "status": bookings.decide(S, me(), booking_id, action,
                                                              reason).status})


@bp.post("/bookings/<id:booking_id>/confirm")
@token_required
def confirm_booking(booking_id):
    """The unit confirms a pending booking."""
    return _decide(booking_id, "confirm")


@bp.post("/bookings/<id:booking_id>/decline")
@token_required
def decline_booking(booking_id):
    """The unit declines a pending booking with a reason."""
    return _decide(booking_id, "decline")


@bp.post("/bookings/<id:booking_id>/cancel")
@token_required
def cancel_booking(booking_id):
    """The booker cancels before the resource's cut-off."""
    return reply({"id": booking_id, "status": bookings.cancel(S, me(), booking_id).status})


@bp.post("/bookings/<id:booking_id>/attended")
@token_required
def attended_booking(booking_id):
    """The unit marks a confirmed booking used, once the slot has begun."""
    return reply({"id": booking_id, "status": bookings.mark(S, me(), booking_id, "attend").status})


@bp.post("/bookings/<id:booking_id>/no-show")
@token_required
def no_show_booking(booking_id):
    """The unit marks a confirmed booking as a no-show (repeated no-shows pause booking)."""
    return reply({"id": booking_id, "status": bookings.mark(S, me(), booking_id, "no_show").status})


@bp.post("/projects")
@token_required
def create_project():
    """Either side drafts a project (服务项目书); 201 {id, status: draft}."""
    p = projects.draft(S, me(), body(ProjectInput))
    return reply({"id": p.id, "status": p.status}, 201)


def _visible_project(project_id):
    p = projects.get(S, project_id)
    if not projects.can_view(me(), p):
        raise NotFound(_("找不到这个项目。"), code="project_not_found")
    return p


@bp.post("/projects/<id:project_id>/sign")
@token_required
def sign_project(project_id):
    """Each side signs once; with both, the project is signed and its sessions scheduled."""
    p = projects.sign(S, me(), project_id)
    return reply({"id": p.id, "status": p.status})


@bp.post("/projects/<id:project_id>/terminate")
@token_required
def terminate_project(project_id):
    """Either side ends the project with a reason; future sessions are cancelled."""
    p = projects.act(S, me(), project_id, "terminate", body(ReasonInput).reason)
    return reply({"id": p.id, "status": p.status})


@bp.get("/projects/<id:project_id>/sessions")
@token_required
def project_sessions_list(project_id):
    """The project's sessions with places taken (counts only)."""
    p = _visible_project(project_id)
    return reply({"items": [project_sessions.card(s) for s in project_sessions.of_project(S, p)]})


@bp.post("/sessions/<id:session_id>/signups")
@token_required
def signup_session(session_id):
    """Sign up as attendee (residents) or server (members): 201, or 409 when full or closed."""
    s = project_sessions.get(S, session_id)
    if not projects.can_view(me(), s.project):
        raise NotFound(_("找不到这一场活动。"), code="session_not_found")
    row = project_sessions.signup(S, me(), session_id, body(SignupInput).as_)
    return reply({"id": row.id, "session_id": row.session_id, "role": row.role,
                  "present": row.present, "hours": row.hours}, 201)


@bp.post("/sessions/<id:session_id>/checkins")
@token_required
def checkin_session(session_id):
    """A runner checks someone in, or (a later call) out; a server's hours follow from the two."""
    data = body(CheckinInput)
    row, _outcome = checkin.mark(S, me(), session_id, data.user_id)
    return reply({"id": row.id, "session_id": row.session_id, "role": row.role,
                  "present": row.present, "hours": row.hours})


_E = (400, 401, 403, 404, 409, 422)
LIST_ROUTES = {
    "api.list_resources": dict(summary="资源清单 Resources of a community", query=ResourceQuery,
                               ok=(200, ResourceList), errors=(401, 422)),
    "api.create_resource": dict(summary="发布资源 List a resource", body=ResourceInput,
                                ok=(201, State), errors=(400, 401, 403, 422)),
    "api.book_resource": dict(summary="预约 Book a slot", body=BookingInput, ok=(201, State),
                              errors=_E, description="409 codes: full, closed, past, too_far, "
                              "paused (no-shows), over_cap (open bookings), already_booked. "
                              "on_behalf_of: a grid worker books for a resident of their grid."),
    "api.resource_bookings": dict(summary="资源的预约 Bookings of my unit's resource",
                                  ok=(200, BookingList), errors=(401, 403, 404),
                                  description="Name and phone only on confirmed bookings; each "
                                  "time they are returned a disclosure is logged."),
    "api.my_bookings": dict(summary="我的预约 My bookings", ok=(200, BookingList), errors=(401,)),
    "api.confirm_booking": dict(summary="确认预约 Confirm", ok=(200, State), errors=_E),
    "api.decline_booking": dict(summary="婉拒预约 Decline with a reason", body=ReasonInput,
                                ok=(200, State), errors=_E),
    "api.cancel_booking": dict(summary="取消预约 Cancel", ok=(200, State), errors=_E),
    "api.attended_booking": dict(summary="已到场 Mark attended", ok=(200, State), errors=_E),
    "api.no_show_booking": dict(summary="未到场 Mark no-show", ok=(200, State), errors=_E),
    "api.create_project": dict(summary="起草项目书 Draft a project", body=ProjectInput,
                               ok=(201, State), errors=(400, 401, 403, 422),
                               description="rrule is an RFC 5545 RRULE, e.g. "
                               "FREQ=MONTHLY;BYDAY=2SA (the second Saturday of each month)."),
    "api.sign_project": dict(summary="签订 Sign (each side once)", ok=(200, State), errors=_E),
    "api.terminate_project": dict(summary="终止 Terminate with a reason", body=ReasonInput,
                                  ok=(200, State), errors=_E),
    "api.project_sessions_list": dict(summary="场次 Sessions of a project", ok=(200, SessionList),
                                      errors=(401, 404)),
    "api.signup_session": dict(summary="报名 Sign up to a session", body=SignupInput,
                               ok=(201, SignupOut), errors=_E),
    "api.checkin_session": dict(summary="签到 Check someone in", body=CheckinInput,
                                ok=(200, SignupOut), errors=_E,
                                description="The first call checks in, a later one checks "
                                "out; a server's hours = out − in, capped by the session's "
                                "length. Nobody checks in their own service. 409 codes: "
                                "too_early, too_late, closed, not_signed_up, "
                                "already_checked_in, already_checked_out."),
}
openapi.ROUTES.update(LIST_ROUTES)
