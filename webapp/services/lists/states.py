"""The state machines of bookings, projects and project sessions: one table each, one move().

Each is a kernel `Machine` (services/kernel.py), like the wish's lifecycle: a compare-and-set
UPDATE (two actors never both move the same row) and the aggregate's event row, in the caller's
transaction.
"""
from flask_babel import lazy_gettext as _l

from ...models import Booking, BookingEvent, Project, ProjectEvent, ProjectSession
from ..kernel import Machine

# action -> (states it may start from, state it leads to)
BOOKING = {
    "confirm": (frozenset({"pending"}), "confirmed"),
    "decline": (frozenset({"pending"}), "declined"),
    "cancel": (frozenset({"pending", "confirmed"}), "cancelled"),
    "attend": (frozenset({"confirmed"}), "attended"),
    "no_show": (frozenset({"confirmed"}), "no_show"),
}
PROJECT = {
    "sign": (frozenset({"draft"}), "signed"),  # once both sides have signed
    "activate": (frozenset({"signed"}), "active"),
    "complete": (frozenset({"active"}), "completed"),
    "supersede": (frozenset({"signed", "active"}), "completed"),  # a signed amendment replaces it
    "terminate": (frozenset({"draft", "signed", "active"}), "terminated"),
}
SESSION = {
    "move": (frozenset({"scheduled"}), "scheduled"),
    "cancel": (frozenset({"scheduled"}), "cancelled"),
    "hold": (frozenset({"scheduled"}), "held"),
}

BOOKING_LABELS = {
    "pending": _l("待确认"), "confirmed": _l("已确认"), "declined": _l("未通过"),
    "cancelled": _l("已取消"), "attended": _l("已使用"), "no_show": _l("未到场"),
}
PROJECT_LABELS = {
    "draft": _l("草稿"), "signed": _l("已签订"), "active": _l("实施中"),
    "completed": _l("已完成"), "terminated": _l("已终止"),
}
SESSION_LABELS = {"scheduled": _l("待开展"), "held": _l("已开展"), "cancelled": _l("已取消")}

_REFUSALS = {
    Booking: {
        "pending": _l("这条预约还在等待单位确认。"), "confirmed": _l("这条预约已经确认。"),
        "declined": _l("这条预约未通过。"), "cancelled": _l("这条预约已经取消。"),
        "attended": _l("这条预约已经使用过了。"), "no_show": _l("这条预约已记为未到场。"),
    },
    Project: {
        "draft": _l("项目还是草稿，双方签订后才能这样操作。"), "signed": _l("项目已签订，不能修改，请提交修订版。"),
        "active": _l("项目正在实施，不能修改，请提交修订版。"), "completed": _l("项目已经结束。"),
        "terminated": _l("项目已经终止。"),
    },
    ProjectSession: {
        "held": _l("这一场已经开展过了。"), "cancelled": _l("这一场已经取消。"),
        "scheduled": _l("这一场还没有开展。"),
    },
}
MACHINES = {
    Booking: Machine(Booking, BOOKING, labels=BOOKING_LABELS, refusals=_REFUSALS[Booking],
                     event_model=BookingEvent, fk="booking_id"),
    Project: Machine(Project, PROJECT, labels=PROJECT_LABELS, refusals=_REFUSALS[Project],
                     event_model=ProjectEvent, fk="project_id"),
    # A session's changes are logged on its project's timeline by the caller.
    ProjectSession: Machine(ProjectSession, SESSION, labels=SESSION_LABELS,
                            refusals=_REFUSALS[ProjectSession], note_on_row=True),
}


def refusal(model, status: str):
    """The user-facing reason an action is not possible in `status`."""
    return MACHINES[model].refusal(status)


def allowed(model, action: str, status: str) -> bool:
    """Whether `action` may be applied to a row of `model` in `status`."""
    return MACHINES[model].allowed(action, status)


def move(session, row, action: str, actor_id: int | None, note: str | None = None, now=None,
         **values):
    """Apply `action` to a booking, project or session, or raise Conflict (409).

    `values` are extra columns set by the same UPDATE. Bookings and projects get their event
    row here; a session keeps its latest reason on the row.
    """
    MACHINES[type(row)].move(session, row, action, actor_id, note, now, **values)
    return row


def log(session, row, action: str, actor_id, from_status, to_status, note=None, now=None):
    """Append a timeline event to a booking or project (also for actions that keep the status)."""
    return MACHINES[type(row)].log(session, row, action, actor_id, from_status, to_status,
                                   note, now)
