"""Listing wishes: the member's menu (own grid first), residents' own, staff lists. Keyset paged."""
import base64
import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, literal_column, or_, select, tuple_, union

from ...models import LIVE_CLAIM_STATUSES, Claim, Org, User, Wish, utcnow
from .. import policy, textsearch
from ..textsearch import SEARCH_MAX  # noqa: F401  (the views cut the search box to it)
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


def _communities(session, user: User, view: str, community: int | None):
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


def search(session, text: str, staff: bool, communities=None):
    """Wishes whose title or building matches; for staff also the resident's name or phone
    (through the search indexes: services/textsearch.py). `communities`: every community the
    list can show (textsearch.matches).

    Volunteers never search by a resident's name: the menu shows them masked (DESIGN §2)."""
    buildings = select(Org.id).where(Org.kind == "building",
                                     textsearch.matches(session, Org, ("name",), text))
    if communities is not None:  # a wish's building is in its community (buildings never leave)
        buildings = buildings.where(Org.community_id.in_(communities))
    people = ("name", "phone")
    titles = textsearch.hits_counted(session, Wish, ("title",), text, communities)
    few_titles = (titles <= textsearch.FEW if titles is not None
                  else textsearch.few_hits(session, Wish, ("title",), text, communities))
    # A text in names all over the district (居民, 12): collecting them read every user (9 s
    # on PostgreSQL for 居民), so unless the index counts few, each listed wish's resident is
    # tested by primary key instead.
    few_people = not staff or (textsearch.indexed(text)
                               and textsearch.few_hits(session, User, people, text))
    if few_titles and textsearch.tagged(session, Wish, ("title",), textsearch.clean(text),
                                         communities):
        # PostgreSQL, the titles' hits read from the communities' tagged trigrams: ORed with
        # the other two tests (each a hashed subquery) they made the list walk the community's
        # 20,000 wishes (21 ms for 水龙头1234's 12). With the residents few too, every kind of
        # hit is collected and the list reads its page by their ids.
        residents = _few_residents(session, text, people) if staff else []
        found = None if residents is None else _collected(session, _hits(
            session, text, staff, communities, buildings, people, residents))
        if found is not None:
            return textsearch.id_among(Wish.id, found)
    if few_titles and few_people and textsearch.postgres_pieces(session, text):
        # PostgreSQL cannot OR its pieces' index with the other two tests, so it walked the
        # community's 20,000 wishes (28 ms) for a surname none of them holds. Each kind of hit
        # counted few, their ids are read first and the list tests its rows against them.
        found = _collected(session, _hits(session, text, staff, communities, buildings, people))
        if found is not None:
            return textsearch.id_among(Wish.id, found)
    if not (textsearch.hits_first(session, text) and few_titles and few_people):
        # Each wish the list walks is tested. A text found all over the district is tested on
        # the row (its title; its resident by primary key) instead of collecting every hit.
        conds = [textsearch.matches(session, Wish, ("title",), text, walk=not few_titles,
                                    communities=communities),
                 Wish.building_id.in_(buildings)]
        if staff and few_people:
            conds.append(Wish.resident_id.in_(
                select(User.id).where(textsearch.matches(session, User, people, text))))
        elif staff:
            # A scalar subquery, not EXISTS: PostgreSQL hashes an EXISTS under OR, reading every
            # user (0.3 s at district size), where this is one lookup by primary key a wish.
            conds.append(select(User.id).where(
                User.id == Wish.resident_id,
                textsearch.matches(session, User, people, text, walk=True))
                .scalar_subquery().is_not(None))
        return or_(*conds)
    # The ids of every hit, from the FTS tables (the OR of the three read every wish of the
    # community to test its building and resident: issue 27).
    hits = _hits(session, text, staff, communities, buildings, people)
    if titles > WALK_FROM and communities is not None and len(communities) == 1:
        # Many: SQLite read each hit's row by id and sorted them all for a page of 20 (1,082
        # of a community's 修水龙头12: 3.3 ms). `id + 0` is no use to that plan, so it walks
        # the community's index in the list's order and stops at the page, testing each id
        # against the hits: at most the community's every entry (1.3 ms for 20,000).
        return (Wish.id + literal_column("0")).in_(hits)
    return Wish.id.in_(hits)


# From this many title hits in one community, reading and sorting each hit's row costs what
# walking the community's whole index does (1.4 ms for 500 against 1.3 ms for 20,000 entries).
WALK_FROM = 500


# Hit ids PostgreSQL reads before a list of short text; more (a building's every wish) and the
# list tests its rows instead.
HITS_READ = 1_000


# Residents found all over the district whose wishes PostgreSQL collects by their ids; more
# (0012 in 11,323 phones) and the list tests each wish's resident by primary key instead.
RESIDENTS_READ = 100
RESIDENTS_COUNTED = 1_000  # the planner's estimate above which they are not read at all


def _few_residents(session, text, people):
    """PostgreSQL: the ids of the users anywhere whose `people` columns hold `text`, or None
    when the planner estimates more than RESIDENTS_COUNTED or more than RESIDENTS_READ are
    found (reading 101 of the district's phones holding 139 took 5 ms: the estimate first)."""
    found = select(User.id).where(textsearch.matches(session, User, people, text))
    if textsearch.estimated(session, found) > RESIDENTS_COUNTED:
        return None
    residents = session.scalars(found.limit(RESIDENTS_READ + 1)).all()
    return residents if len(residents) <= RESIDENTS_READ else None


def _collected(session, hits):
    """The ids `hits` (a UNION from `_hits`) gives, or None when more than HITS_READ."""
    found = session.scalars(hits.limit(HITS_READ + 1)).all()
    return found if len(found) <= HITS_READ else None


def _hits(session, text, staff, communities, buildings, people, residents=None):
    """A UNION of the ids of the wishes whose title, building or (staff) resident holds `text`;
    `residents`: those residents' ids when already read (else a subquery finds them)."""
    hits = [textsearch.hit_ids(session, Wish, ("title",), text, communities),
            select(Wish.id).where(Wish.building_id.in_(buildings))]
    if staff and residents != []:
        if residents is None:
            residents = select(User.id).where(textsearch.matches(session, User, people, text))
            theirs = select(Wish.id).where(Wish.resident_id.in_(residents))
        else:
            theirs = select(Wish.id).where(textsearch.id_among(Wish.resident_id, residents))
        if communities is not None:  # residents living anywhere; their wishes the list's
            theirs = theirs.where(Wish.community_id.in_(communities))
        hits.append(theirs)
    return union(*hits)


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
    filters = [where]
    if q and q.strip():
        filters.append(search(session, q, staff=view == "all",
                              communities=_communities(session, user, view, community)))
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
        q = select(Wish).where(*filters)
        if phase == "own":
            q = q.where(Wish.grid_id == home_grid)
        elif phase == "rest":
            q = q.where(Wish.grid_id != home_grid)
        if wid is not None:
            q = q.where(_after(col, ts, wid))
        q = q.order_by(col.desc(), Wish.id.desc()).limit(limit + 1 - len(items))
        rows = list(session.scalars(q))
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
