"""Per-building counts (`Org.households`, `Org.unpaired`, `Org.people`, `Org.not_activated`),
kept in the transaction.

结对安排's coverage and manual pairing count a community's households by building: about 5,000
at district size, each needing its resident grant and its pairings looked up (13-18 ms a read
on SQLite). The counts are kept instead, like `Org.data_version` (wishes/versions.py): session
events note the buildings a change may touch, whichever way it is made (objects flushed by the
unit of work, ORM or Core INSERT/UPDATE/DELETE through the session on users, role grants and
pairings), and at commit the noted buildings are recounted with one UPDATE. The activation
box and 待办概览 read the people and those never signed in the same way. A recount reads a
building's few dozen people, so a count is always the truth of its own transaction, never a
running sum that could drift. The same recount keeps the buildings' visited pairings per year
(visited.py), so visits and a community's changed yearly number are noted too.
"""
from sqlalchemy import func, inspect, or_, select, update

from ...db import listen_on_sessions
from ...models import Org, Pairing, RoleGrant, User, Visit
from . import visited
from .pairings import is_household

_BUILDINGS = "wishgrid_tally_buildings"
_USERS = "wishgrid_tally_users"  # resolved to their building at commit (after the last move)
_ALL = "wishgrid_tally_all"  # a statement whose people cannot be told: recount everything
_COMMUNITIES = "wishgrid_tally_communities"  # a changed yearly number of visits: all buildings
CHUNK = 500


def _note(session, buildings=(), users=()) -> None:
    session.info.setdefault(_BUILDINGS, set()).update(b for b in buildings if b)
    session.info.setdefault(_USERS, set()).update(u for u in users if u)


def _values(session, obj, attr: str) -> set:
    """Every value `attr` had in this flush: before and after (a move counts in both places)."""
    state = inspect(obj)
    hist = state.attrs[attr].history
    values = {*hist.added, *hist.deleted, *hist.unchanged}
    if state.persistent and not hist.deleted and not hist.unchanged:
        # Not loaded before it was set (expired by the last commit): the stored value is the
        # one before; the session is flushing, so this read cannot flush.
        model = type(obj)
        values.add(session.execute(select(getattr(model, attr)).where(
            model.id == state.identity[0])).scalar())
    values.discard(None)
    return values


def _changed(session, obj, *attrs) -> bool:
    if obj in session.new or obj in session.deleted:
        return True
    state = inspect(obj)
    return any(state.attrs[a].history.has_changes() for a in attrs)


def _before_flush(session, _ctx, _instances):
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, User) and _changed(session, obj, *_COUNTED[User.__tablename__]):
            _note(session, buildings=_values(session, obj, "building_id"))
        elif isinstance(obj, RoleGrant) and _changed(session, obj, "role", "active", "user_id") \
                and "resident" in _values(session, obj, "role"):
            _note(session, users=_values(session, obj, "user_id"))
        elif isinstance(obj, Pairing) and _changed(session, obj, "status", "household_id",
                                                   "community_id"):
            _note(session, users=_values(session, obj, "household_id"))
        elif isinstance(obj, Visit) and _changed(session, obj, "pairing_id", "visited_on",
                                                 "household_id"):
            _note(session, users=_values(session, obj, "household_id"))
        elif isinstance(obj, Org) and obj.kind == "community" and _changed(session, obj,
                                                                            "settings"):
            session.info.setdefault(_COMMUNITIES, set()).add(obj.id)


_JOINS = {  # table → the people a statement's WHERE names, read before it runs
    User.__tablename__: lambda where: select(User.id, User.building_id).where(*where),
    RoleGrant.__tablename__: lambda where: select(User.id, User.building_id).join(
        RoleGrant, RoleGrant.user_id == User.id).where(*where),
    Pairing.__tablename__: lambda where: select(User.id, User.building_id).join(
        Pairing, Pairing.household_id == User.id).where(*where),
    Visit.__tablename__: lambda where: select(User.id, User.building_id).join(
        Visit, Visit.household_id == User.id).where(*where),
}
_PERSON = {User.__tablename__: "id", RoleGrant.__tablename__: "user_id",
           Pairing.__tablename__: "household_id", Visit.__tablename__: "household_id"}
_COUNTED = {User.__tablename__: ("building_id", "active", "community_id",  # what an UPDATE
                                  "activated_at"),
            RoleGrant.__tablename__: ("role", "active", "user_id"),      # must set to count
            Pairing.__tablename__: ("status", "household_id", "community_id"),
            Visit.__tablename__: ("pairing_id", "visited_on", "household_id")}


def _sets(stmt) -> set:
    """The column names an UPDATE sets (a login's session_gen bump sets none that count)."""
    values = getattr(stmt, "_values", None) or dict(getattr(stmt, "_ordered_values", None) or ())
    return {getattr(k, "key", k) for k in values}


def _on_execute(state):
    stmt = state.statement
    name = getattr(getattr(stmt, "table", None), "name", None)
    if name not in _JOINS or not (state.is_insert or state.is_update or state.is_delete):
        return None
    session = state.session
    if state.is_insert:  # Core or ORM bulk insert: the rows name their people
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters]
        rows = [r for r in rows if r]
        if not rows:  # INSERT … SELECT: its people are unknown here, so every building
            session.info[_ALL] = True
        elif name == User.__tablename__:
            _note(session, buildings={r.get("building_id") for r in rows})
        else:  # the users' ids are resolved at commit (the new user rows exist by then)
            _note(session, users={r.get(_PERSON[name]) for r in rows})
        return None
    if state.is_update and not _sets(stmt) & set(_COUNTED[name]):
        return None
    where = list(getattr(stmt, "_where_criteria", ()))
    for uid, building in session.execute(_JOINS[name](where),
                                         execution_options={"autoflush": False}):
        _note(session, buildings=[building], users=[uid])  # before, and after at commit
    return None


def _true_counts() -> dict:
    """{column: its count} of the building `Org`, as subqueries correlated to it."""
    lives = (User.building_id == Org.id, User.community_id == Org.community_id)
    here = (*lives, *is_household())
    paired = select(Pairing.id).where(Pairing.household_id == User.id, Pairing.status == "active",
                                      Pairing.community_id == Org.community_id).exists()
    people = (*lives, User.active.is_(True))
    return {"households": select(func.count(User.id)).where(*here).scalar_subquery(),
            "unpaired": select(func.count(User.id)).where(*here, ~paired).scalar_subquery(),
            "people": select(func.count(User.id)).where(*people).scalar_subquery(),
            "not_activated": select(func.count(User.id)).where(
                *people, User.activated_at.is_(None)).scalar_subquery()}


def recount(session, building_ids) -> None:
    """Set the counts of these buildings from their people, and their visited pairings per
    year (visited.py) once their rows are locked."""
    counts = _true_counts()
    ids = sorted(set(building_ids))
    for j in range(0, len(ids), CHUNK):  # sorted: PostgreSQL row locks in one order everywhere
        session.execute(update(Org).where(Org.id.in_(ids[j:j + CHUNK]), Org.kind == "building")
                        .values(**counts)
                        .execution_options(synchronize_session=False))
        visited.recount(session, ids[j:j + CHUNK])


def recount_all(session, community_id: int | None = None) -> None:
    """Recount every building (of one community): a database made before the counts existed."""
    q = select(Org.id).where(Org.kind == "building")
    if community_id is not None:
        q = q.where(Org.community_id == community_id)
    recount(session, session.scalars(q).all())


def drift(session) -> list[tuple]:
    """(building id, kept…, true…) for every building whose kept counts are wrong: for tests."""
    true = _true_counts()
    kept = [getattr(Org, c) for c in true]
    return [tuple(r) for r in session.execute(
        select(Org.id, *kept, *true.values()).where(Org.kind == "building")
        .where(or_(*(k != t for k, t in zip(kept, true.values())))))]


def _before_commit(session):
    if session.info.get("read_only"):
        return  # GuardedSession turns this commit into a rollback
    session.flush()
    users = sorted(session.info.pop(_USERS, None) or ())
    buildings = session.info.pop(_BUILDINGS, None) or set()
    communities = sorted(session.info.pop(_COMMUNITIES, None) or ())
    if session.info.pop(_ALL, None):
        recount_all(session)
        return
    if communities:
        buildings.update(session.scalars(select(Org.id).where(
            Org.community_id.in_(communities), Org.kind == "building")))
    for j in range(0, len(users), CHUNK):
        buildings.update(session.scalars(select(User.building_id).where(
            User.id.in_(users[j:j + CHUNK]), User.building_id.is_not(None))))
    if buildings:
        recount(session, buildings)


def _forget(session, previous_transaction):
    if previous_transaction.parent is None:  # a savepoint's rollback keeps the rest's notes
        for key in (_BUILDINGS, _USERS, _ALL, _COMMUNITIES):
            session.info.pop(key, None)


def install() -> None:
    """Listen on every ORM session (web requests, jobs, CLI): idempotent."""
    listen_on_sessions(before_flush=_before_flush, do_orm_execute=_on_execute,
                       before_commit=_before_commit, after_soft_rollback=_forget)
