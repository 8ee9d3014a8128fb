"""A scan's ticket: proof, kept in this browser's session cookie, that it read a live rotating
code (a session's check-in code, a wish's service code) a moment ago — so signing in first
(which may take longer than the code's 60 s) still ends in the check-in. Used once; good for
TICKET_MINUTES."""
from datetime import timedelta

from flask import make_response, redirect, render_template, session

from ..services.errors import DomainError

KEY = "checkin_scan"
TICKET_MINUTES = 10


def put(kind: str, object_id: int, now) -> None:
    """Remember that this browser read a valid code of `kind` for `object_id` at `now`."""
    session[KEY] = {"kind": kind, "id": object_id, "at": int(now.timestamp())}


def valid(kind: str, object_id: int, now) -> bool:
    """Whether this browser holds a fresh ticket for `kind` `object_id`."""
    t = session.get(KEY)
    return (isinstance(t, dict) and t.get("kind") == kind and t.get("id") == object_id
            and isinstance(t.get("at"), int)
            and 0 <= now.timestamp() - t["at"] <= timedelta(minutes=TICKET_MINUTES).total_seconds())


def drop() -> None:
    """The ticket is used (or refused): a further check-in or -out needs a new scan."""
    session.pop(KEY, None)


def fresh_session() -> None:
    """Clear the session at sign-in (no fixation), keeping only a scan's ticket."""
    keep = session.get(KEY)
    session.clear()
    if keep is not None:
        session[KEY] = keep


def admit(kind: str, read, token: str, now, target):
    """What a camera opens: a live code (`read(token, now)` gives the object's id) leaves a
    ticket and goes on to `target(id)`, the page where one tap does the act; a stale or forged
    code drops any ticket and is refused on a page that says why. Never cached."""
    try:
        object_id = read(token, now)
    except DomainError as exc:
        drop()
        resp = make_response(render_template("lists/checkin_refused.html", message=exc.message),
                             exc.status)
    else:
        put(kind, object_id, now)
        resp = redirect(target(object_id))
    resp.headers["Cache-Control"] = "no-store"
    return resp
