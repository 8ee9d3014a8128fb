"""Listing wishes: the member's menu (own grid first), residents' own, staff lists. Keyset paged."""
import base64
import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, tuple_

from ...models import LIVE_CLAIM_STATUSES, Claim, Org, User, Wish, utcnow
from .. import policy
from ..textsearch import SEARCH_MAX  # noqa: F401  (the views cut the search box to it)
from .wish_search import Sorted, search, sorted_page
from ..errors import Invalid
from ...models.base import MAX_ID

STAFF_VIEW_ROLES = ("community_admin", "grid_worker", "street_admin")


def default_view(user: User) -> str:
    """The list a user gets without asking: staff see all, volunteers the menu, residents theirs."""
    names = user.role_names()
    if names & set(STAFF_VIEW_ROLES):
        return "all"
    if names & {"member", "unit_admin"}:
        return "menu"
    return "posted"


def _encode(phase: str, ts: datetime | None, wid: int | None) -> str:
    raw = json.dumps([phase, ts.isoformat() if ts else None, wid]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str):
    try:
        pad = "=" * (-len(cursor) % 4)
        phase, ts, wid = json.loads(base64.urlsafe_b64decode(cursor + pad))
        if phase not in ("own", "rest", "all"):
            raise ValueError(phase)
        when = datetime.fromisoformat(ts) if ts else None
        # A hand-made cursor must not reach the database: naive times and ids beyond 64 bits
        # would fail there (500) instead of here (422).
        if (when is not None and when.tzinfo is None) or (
                wid is not None and not (type(wid) is int and 0 <= wid <= MAX_ID)):  # not a bool
            raise ValueError(cursor)
        return str(phase), when, wid
    except (ValueError, TypeError):
        raise Invalid({"cursor": _l("分页参数无效，请从第一页重新开始。")}) from None


def _after(col, ts, wid):
    """Keyset condition for ORDER BY col DESC, id DESC.

    A row-value comparison, not (a < x OR (a = x AND id < y)): both SQLite and PostgreSQL
    turn it into one index range, so a deep page costs what the first one does.
    """
    if ts is None:
        return Wish.id < wid
    return tuple_(col, Wish.id) < tuple_(ts, wid)


def _scope(user: User, view: str):
    """The WHERE clause of what `user` may list in `view`, or None when nothing."""
    if view == "posted":
        return or_(Wish.resident_id == user.id, Wish.posted_by_id == user.id)
    if view == "claimed":
        sub = select(Claim.wish_id).where(Claim.volunteer_id == user.id,
                                          Claim.status.in_(LIVE_CLAIM_STATUSES + ("confirmed",)))
        return Wish.id.in_(sub)
    if view == "menu":
        communities = policy.community_ids_for(user, "member", "unit_admin")
        if not communities:
            return None
        # A wish whose wanted time is over is no longer offered (its resident is asked to
        # move the time or withdraw it: present.window_over).
        end = func.coalesce(Wish.wanted_until, Wish.wanted_from)
        return and_(Wish.status == "published", Wish.community_id.in_(communities),
                    or_(end.is_(None), end >= utcnow()))
    if view == "all":
        grid_ids = policy.org_ids_for(user, "grid_worker")
        communities = policy.community_ids_for(user, "community_admin")
        streets = policy.org_ids_for(user, "street_admin")
        conds = []
        if communities:
            conds.append(Wish.community_id.in_(communities))
        if grid_ids:
            conds.append(Wish.grid_id.in_(grid_ids))
        if streets:
            conds.append(Wish.community_id.in_(
                select(Org.id).where(Org.kind == "community", Org.street_id.in_(streets))))
        return or_(*conds) if conds else None
    return None


def list_communities(session, user: User, view: str, community: int | None):
    """Every community whose wishes `view` can list for `user` (None: not known cheaply), so a
    search reads only their part of the title index."""
    if community:
        return {community}
    if view == "menu":
        return policy.community_ids_for(user, "member", "unit_admin")
    if view != "all":
        return None
    out = policy.community_ids_for(user, "community_admin", "grid_worker")
    streets = policy.org_ids_for(user, "street_admin")
    if streets:
        out |= set(session.scalars(select(Org.id).where(Org.kind == "community",
                                                        Org.street_id.in_(streets))))
    return out


# Wishes someone has taken on or may still take on: past their wanted time they are overdue.
OPEN = ("published", "claimed", "in_service")


def overdue(now: datetime):
    """The one rule of 逾期未完成 (the backlog's figure and the list it links to): open, and
    past its wanted-until time, or past its claim deadline when it has none."""
    return and_(Wish.status.in_(OPEN), func.coalesce(Wish.wanted_until, Wish.deadline) < now)


def list_wishes(session, user: User, view: str | None = None, status: str | None = None,
                grid: int | None = None, category: int | None = None, kind: str | None = None,
                cursor: str | None = None, limit: int = 20,
                q: str | None = None, community: int | None = None,
                overdue_at: datetime | None = None) -> tuple[list[Wish], str | None]:
    """One page of wishes the user may see, and the cursor of the next page (or None).

    `q` searches title and building (and, in the staff view, the resident's name and phone);
    `community` narrows to one community, `overdue_at` to the wishes overdue at that time."""
    view = view or default_view(user)
    where = _scope(user, view)
    if where is None:
        return [], None
    filters, found = [where], None
    if q and q.strip():
        found = search(session, q, staff=view == "all",
                       communities=list_communities(session, user, view, community))
        if not isinstance(found, Sorted):  # a condition the list's walk tests
            filters.append(found)
    if status and view != "menu":
        filters.append(Wish.status == status)
    if grid:
        filters.append(Wish.grid_id == grid)
    if community:
        filters.append(Wish.community_id == community)
    if overdue_at is not None:
        filters.append(overdue(overdue_at))
    if category:
        filters.append(Wish.category_id == category)
    if kind:
        filters.append(Wish.kind == kind)
    # The menu shows the member's own grid first, then the rest of the community; each
    # segment is a plain keyset scan on (published_at, id) so deep pages stay cheap.
    home_grid = user.building.grid_id if (view == "menu" and user.building and not grid) else None
    col = Wish.published_at if view == "menu" else Wish.created_at
    phase, ts, wid = _decode(cursor) if cursor else ("own" if home_grid else "all", None, None)
    items: list[Wish] = []
    while True:
        conds = list(filters)
        if phase == "own":
            conds.append(Wish.grid_id == home_grid)
        elif phase == "rest":
            conds.append(Wish.grid_id != home_grid)
        if wid is not None:
            conds.append(_after(col, ts, wid))
        n = limit + 1 - len(items)
        rows = (sorted_page(session, found, conds, col, n) if isinstance(found, Sorted) else
                list(session.scalars(select(Wish).where(*conds)
                                     .order_by(col.desc(), Wish.id.desc()).limit(n))))
        want = limit - len(items)
        if len(rows) > want:
            items += rows[:want]
            last = items[-1]
            return items, _encode(phase, getattr(last, col.key), last.id)
        items += rows
        if phase == "own":
            phase, ts, wid = "rest", None, None
            if len(items) == limit:
                # Page is exactly full at the segment's end: next page starts the rest.
                return items, _encode("rest", None, None)
            continue
        return items, None
