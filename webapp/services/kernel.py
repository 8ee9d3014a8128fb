"""The one state-machine kernel: a transition table, a compare-and-set `move()`, an event row.

Wishes, bookings, projects, project sessions, pairings and evaluation rounds each declare a
`Machine`; every status change of any of them goes through `Machine.move()`: one conditional
UPDATE (two actors never both move the same row) and the row's timeline event, both in the
caller's transaction, so the change and its audit line commit together or not at all.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ..models import utcnow
from .errors import Conflict

# action -> (states it may start from, state it leads to)
Table = dict[str, tuple[frozenset, str]]

DEFAULT_REFUSAL = _l("当前状态下不能进行这个操作。")


@dataclass(frozen=True)
class Machine:
    """One aggregate's states: its transitions, labels, refusals and timeline."""

    model: type
    table: Table
    labels: dict = field(default_factory=dict)  # state -> plain words (chips, timelines)
    refusals: dict = field(default_factory=dict)  # state the row is in -> why not
    # action -> (message, code): for machines whose refusal depends on what was asked.
    action_refusals: dict = field(default_factory=dict)
    event_model: type | None = None  # None: the caller logs elsewhere (a session's project)
    fk: str | None = None  # the event row's column naming the row
    note_on_row: bool = False  # no event row: the row keeps its latest reason in `note`

    def allowed(self, action: str, status: str) -> bool:
        """Whether `action` may be applied to a row in `status`."""
        return status in self.table[action][0]

    def refusal(self, status: str):
        """The user-facing reason an action is not possible in `status`."""
        return self.refusals.get(status, DEFAULT_REFUSAL)

    def refuse(self, action: str, status: str) -> Conflict:
        """The Conflict (409) that says why `action` is not possible in `status`."""
        message, code = self.action_refusals.get(action, (self.refusal(status), "illegal_transition"))
        return Conflict(message, code=code)

    def check(self, action: str, status: str) -> None:
        """Refuse early, before other checks, an action the row's state does not allow."""
        if not self.allowed(action, status):
            raise self.refuse(action, status)

    def move(self, session, row, action: str, actor_id: int | None, note: str | None = None,
             now=None, **values):
        """Apply `action` to `row` or raise Conflict (409); the event row joins the transaction.

        `values` are extra columns set by the same UPDATE (e.g. published_at). Returns the event
        row, or None for a machine without one.
        """
        froms, to = self.table[action]
        now = now or utcnow()
        current = row.status
        model = self.model
        if hasattr(model, "updated_at"):
            values.setdefault("updated_at", now)
        if self.note_on_row and note is not None:
            values["note"] = note[:200]
        res = session.execute(update(model).where(model.id == row.id, model.status.in_(froms))
                              .values(status=to, **values)
                              .execution_options(synchronize_session=False))
        if res.rowcount != 1:
            session.refresh(row)
            raise self.refuse(action, row.status)
        session.refresh(row)
        if self.event_model is None:
            return None
        return self.log(session, row, action, actor_id, current, to, note, now)

    def log(self, session, row, action: str, actor_id, from_status, to_status, note=None,
            now=None):
        """Append a timeline event (also for actions that keep the status, like a claim)."""
        ev = self.event_model(**{self.fk: row.id}, actor_id=actor_id, action=action,
                              from_status=from_status, to_status=to_status,
                              note=(note or None) and note[:300], at=now or utcnow())
        session.add(ev)
        return ev
