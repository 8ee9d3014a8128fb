"""The resources/projects API walked once through every documented operation (called by
tests/web/api/test_api_openapi.py, which checks each answer against openapi.json)."""
from datetime import datetime, timedelta, timezone

from webapp.models import utcnow
from webapp.services.lists.resources import local_today

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def exercise(checked, client, doc, world) -> set:
    """Call every lists operation (successes and refusals); returns the `seen` set."""
    day = local_today(utcnow()) + timedelta(days=1)
    unit, resident = checked(client, doc, world.unit_admin), checked(client, doc, world.resident)
    admin, member = checked(client, doc, world.admin), checked(client, doc, world.member)
    rid = unit.call("post", "/resources", "/api/v1/resources", {
        "community_id": world.ca.id, "kind": "parking", "name": "共享车位", "needs_approval": True,
        "slots": [{"weekday": day.isoweekday(), "start": "09:00", "end": "12:00",
                   "capacity": 1}]}).json["id"]
    unit.call("post", "/resources", "/api/v1/resources", {"community_id": world.ca.id})
    resident.call("get", "/resources", "/api/v1/resources", community=world.ca.id)
    resident.call("get", "/resources", "/api/v1/resources")
    tpl = "/api/v1/resources/{resource_id}/bookings"
    b = resident.call("post", f"/resources/{rid}/bookings", tpl,
                      {"date": day.isoformat(), "start": "09:00"}).json["id"]
    checked(client, doc, world.resident2).call("post", f"/resources/{rid}/bookings", tpl,
                                               {"date": day.isoformat(), "start": "09:00"})
    resident.call("get", "/bookings", "/api/v1/bookings")
    unit.call("post", f"/bookings/{b}/decline", "/api/v1/bookings/{booking_id}/decline", {})
    unit.call("post", f"/bookings/{b}/confirm", "/api/v1/bookings/{booking_id}/confirm")
    unit.call("get", f"/resources/{rid}/bookings", tpl)
    resident.call("get", f"/resources/{rid}/bookings", tpl)
    unit.call("post", f"/bookings/{b}/attended", "/api/v1/bookings/{booking_id}/attended")
    unit.call("post", f"/bookings/{b}/no-show", "/api/v1/bookings/{booking_id}/no-show")
    resident.call("post", f"/bookings/{b}/cancel", "/api/v1/bookings/{booking_id}/cancel")
    project = {"community_id": world.ca.id, "unit_id": world.unit.id, "title": "专家义诊进社区",
               "content": "专家义诊", "starts_on": day.isoformat(),
               "ends_on": (day + timedelta(days=20)).isoformat(),
               "rrule": f"FREQ=WEEKLY;BYDAY={DAYS[day.weekday()]}", "start": "09:00",
               "end": "11:30", "session_capacity": 10, "server_capacity": 2}
    pid = admin.call("post", "/projects", "/api/v1/projects", project).json["id"]
    admin.call("post", "/projects", "/api/v1/projects", {**project, "rrule": "x"})
    sign = "/api/v1/projects/{project_id}/sign"
    admin.call("post", f"/projects/{pid}/sign", sign)
    admin.call("post", f"/projects/{pid}/sign", sign)
    unit.call("post", f"/projects/{pid}/sign", sign)
    sessions = resident.call("get", f"/projects/{pid}/sessions",
                             "/api/v1/projects/{project_id}/sessions").json["items"]
    sid = sessions[0]["id"]
    tpl = "/api/v1/sessions/{session_id}/signups"
    resident.call("post", f"/sessions/{sid}/signups", tpl, {"as": "attendee"})
    member.call("post", f"/sessions/{sid}/signups", tpl, {"as": "server"})
    member.call("post", f"/sessions/{sid}/signups", tpl, {"as": "server"})
    unit.call("post", f"/sessions/{sid}/checkins", "/api/v1/sessions/{session_id}/checkins",
              {"user_id": world.member.id})
    unit.call("post", f"/sessions/{sid}/checkins", "/api/v1/sessions/{session_id}/checkins",
              {"user_id": "x"})
    unit.call("post", f"/projects/{pid}/terminate", "/api/v1/projects/{project_id}/terminate",
              {"reason": "医院搬迁"})
    return unit.seen | resident.seen | admin.seen | member.seen


def lists_objects(db, world) -> dict:
    """A resource open tomorrow with a pending booking, and a signed project with sessions."""
    from webapp.schemas.lists import BookingInput, ProjectInput, ResourceInput
    from webapp.services.lists import bookings, project_sessions, projects, resources
    day = resources.local_today(datetime.now(timezone.utc)) + timedelta(days=1)
    rrule = f"FREQ=WEEKLY;BYDAY={DAYS[day.weekday()]}"
    r = resources.create(db, world.unit_admin, ResourceInput.model_validate({
        "community_id": world.ca.id, "kind": "parking", "name": "共享车位", "slots": [
            {"weekday": day.isoweekday(), "start": "09:00", "end": "12:00", "capacity": 5}]}))
    b = bookings.book(db, world.resident, r.id, BookingInput.model_validate(
        {"date": day.isoformat(), "start": "09:00"}))
    p = projects.draft(db, world.admin, ProjectInput.model_validate({
        "community_id": world.ca.id, "unit_id": world.unit.id, "title": "专家义诊进社区",
        "content": "义诊", "starts_on": day.isoformat(),
        "ends_on": (day + timedelta(days=14)).isoformat(), "rrule": rrule, "start": "09:00",
        "end": "11:00"}))
    projects.sign(db, world.admin, p.id)
    projects.sign(db, world.unit_admin, p.id)
    s = project_sessions.of_project(db, p)[0]
    return {"resource_id": r.id, "booking_id": b.id, "project_id": p.id, "session_id": s.id,
            "verb": "confirm", "step": "sign", "what": "signup", "day": day.isoformat(),
            "rrule": rrule, "community_id": world.ca.id}
