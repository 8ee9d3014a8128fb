"""A project's timeline in words (issue 23 item 11): each event row's action code (`draft`,
`sign` with its side, `move_session` …) becomes a phrase in the reader's language; what people
typed (a reason, a session's new time) stays a separate note."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...models import Project, ProjectEvent
from .states import PROJECT_LABELS

ACTIONS = {
    "draft": _l("项目书已起草"), "edit": _l("草稿已修改"), "amend": _l("提交修订版"),
    "activate": _l("项目开始实施"), "complete": _l("项目已结束"), "supersede": _l("被修订版取代"),
    "terminate": _l("项目已终止"), "move_session": _l("场次改期"),
    "cancel_session": _l("场次取消"),
}
SIDES = {"unit": _l("单位方"), "community": _l("社区方")}


def _sign(e: ProjectEvent) -> str:
    side = SIDES.get(e.note or "", _l("一方"))
    if e.to_status == "signed":
        return str(_l("%(side)s签字，双方已签订", side=side))
    return str(_l("%(side)s签字，等待对方签字", side=side))


def words(e: ProjectEvent) -> dict:
    """One event as the page shows it: {"at", "action" (words), "note" (typed text or None)}."""
    note = e.note
    if e.action == "sign":
        action, note = _sign(e), None
    elif e.action == "amend" and note and note.startswith("v") and note[1:].isdigit():
        action, note = str(_l("%(what)s（第 %(n)s 版）", what=ACTIONS["amend"], n=note[1:])), None
    elif e.action in ACTIONS:
        action = str(ACTIONS[e.action])
    else:  # an action without words yet: the state it led to, never the code
        action = str(PROJECT_LABELS.get(e.to_status, _l("状态变更")))
    return {"at": e.at, "action": action, "note": note or None}


def project_timeline(session, p: Project) -> list[dict]:
    """The project's timeline, oldest first, in words."""
    rows = session.scalars(select(ProjectEvent).where(ProjectEvent.project_id == p.id)
                           .order_by(ProjectEvent.id))
    return [words(e) for e in rows]
