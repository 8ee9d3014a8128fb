"""Per-community data versions: the key under which a community's menu may be cached.

`Org.data_version` of a community goes up by one in the same transaction as any change to a
wish or claim of that community, whichever way it is made: objects flushed by the unit of work
and ORM `update()`/`delete()` statements on Wish or Claim alike (session events, so no service
can forget it). Changes to what the menu shows beside the wish itself bump it too: a category,
an org of the community (grid and building names), a resident's name or phone.

The bump runs at commit time, after the last flush, so the community's row is locked only
while the transaction commits (a claim burst does not queue on it).
"""
from sqlalchemy import inspect, select, update

from ...db import listen_on_sessions
from ...models import Category, Claim, Org, User, Wish

_PENDING = "wishgrid_changed_communities"
_USERS = "wishgrid_changed_residents"


def current(session, community_ids, seen: dict | None = None) -> tuple:
    """((community id, version), …) for `community_ids`, sorted: part of a cache key; from
    `seen` (versions read earlier in the request, identity.versions_at_start) when it has all."""
    ids = sorted(set(community_ids))
    if not ids:
        return ()
    if seen and all(i in seen for i in ids):
        return tuple((i, seen[i]) for i in ids)
    return tuple(session.execute(select(Org.id, Org.data_version)
                                 .where(Org.id.in_(ids)).order_by(Org.id)).all())


def mark(session, *community_ids) -> None:
    """Have these communities' versions bumped when `session` commits."""
    session.info.setdefault(_PENDING, set()).update(c for c in community_ids if c)


def _community_of(session, obj):
    if isinstance(obj, Wish):
        return [obj.community_id]
    if isinstance(obj, Claim):
        wish = session.get(Wish, obj.wish_id) if obj.wish_id else None
        return [wish.community_id] if wish is not None else []
    if isinstance(obj, Category):
        return [obj.community_id]
    if isinstance(obj, Org):
        return [obj.id if obj.kind == "community" else obj.community_id]
    return []


def _before_flush(session, _ctx, _instances):
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, User):
            attrs = inspect(obj).attrs
            if obj in session.dirty and (attrs.name.history.has_changes()
                                         or attrs.phone.history.has_changes()):
                # Cards show the resident's (masked) name; staff's buttons depend on a phone.
                session.info.setdefault(_USERS, set()).add(obj.id)
            continue
        if isinstance(obj, (Wish, Claim, Category, Org)):
            if isinstance(obj, Org) and obj in session.dirty and not session.is_modified(obj):
                continue
            mark(session, *_community_of(session, obj))


def _criteria_communities(state):
    """Communities an ORM UPDATE/DELETE on Wish or Claim may touch: read with its own WHERE,
    before it runs (afterwards its conditions may no longer match)."""
    stmt = state.statement
    # ORM statements carry an annotated copy of the table: compare names.
    model = {Wish.__tablename__: Wish, Claim.__tablename__: Claim}.get(
        getattr(getattr(stmt, "table", None), "name", None))
    if model is None:
        return None
    where = list(getattr(stmt, "_where_criteria", ()))
    if model is Wish:
        q = select(Wish.community_id).where(*where)
    else:
        q = select(Wish.community_id).join(Claim, Claim.wish_id == Wish.id).where(*where)
    return q.distinct()


def _on_execute(state):
    if not (state.is_update or state.is_delete):
        return None
    q = _criteria_communities(state)
    if q is None:
        return None
    session = state.session
    mark(session, *session.execute(q, execution_options={"autoflush": False}).scalars())
    return None


def _before_commit(session):
    if session.info.get("read_only"):
        return  # GuardedSession turns this commit into a rollback
    session.flush()
    users = session.info.pop(_USERS, None)
    if users:
        mark(session, *session.execute(select(Wish.community_id).where(
            Wish.resident_id.in_(users)).distinct()).scalars())
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.execute(update(Org).where(Org.id.in_(sorted(pending)))
                        .values(data_version=Org.data_version + 1)
                        .execution_options(synchronize_session=False))


def _forget(session, previous_transaction):
    # Only when the whole transaction is undone: a savepoint's rollback leaves the rest of
    # the transaction's changes (and their bumps) in place. Over-bumping only costs a miss.
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_USERS, None)


def install() -> None:
    """Listen on every ORM session (web requests, jobs, CLI): idempotent."""
    listen_on_sessions(before_flush=_before_flush, do_orm_execute=_on_execute,
                       before_commit=_before_commit, after_soft_rollback=_forget)
