"""居民与账号 at real size (issue 23 item 5): the people a staff member serves, filtered by grid,
building, role and status, counted, a page at a time, and as a spreadsheet. Phones (and
addresses) only of the people the viewer may look after; a search by phone finds only those."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, not_, or_, select, union

from ...models import Org, RoleGrant, User
from ...schemas.phone import search_digits
from .. import idlists, paging, policy, textrank, textsearch
from ..errors import Invalid
from ..people import lean_people
from ..where import in_any

PER_PAGE = 50
# A people list ranks every match before it shows 50, so collecting the hits pays only while
# they are few beside the community's people: 居民 (all 5,000 of a district community) read
# from the index and looked up one by one took 46 ms against 24 ms walking the community.
PEOPLE_FEW = 1_000
ROLE_LABELS = {
    "resident": _l("居民"), "member": _l("党员志愿者"), "unit_admin": _l("单位管理员"),
    "grid_worker": _l("网格员"), "community_admin": _l("社区管理员"),
    "street_admin": _l("街道管理员"),
}
STATUS_LABELS = {"active": _l("在用"), "inactive": _l("已停用"), "never": _l("从未登录")}


@dataclass
class Filters:
    """What the list is narrowed to; ids are checked against the viewer's places."""

    q: str = ""
    grid: int | None = None
    building: int | None = None
    role: str | None = None
    status: str | None = None
    page: int = 1


def places(session, viewer: User, community_ids: set[int]) -> dict:
    """The grids and buildings the viewer may filter by (their communities', or their grids')."""
    gids = policy.org_ids_for(viewer, "grid_worker")
    if not community_ids and not gids:
        return {"grids": [], "buildings": []}
    rows = session.execute(select(Org.id, Org.kind, Org.name, Org.active, Org.grid_id).where(
        Org.kind.in_(("grid", "building")),
        in_any((Org.community_id, community_ids), (Org.grid_id, gids), (Org.id, gids)))
        .order_by(Org.community_id, Org.grid_id, Org.id)).all()  # rows: a community has ~100
    label = lambda o: o.name if o.active else f"{o.name} · {_l('已停用')}"  # noqa: E731
    return {"grids": [{"id": o.id, "name": label(o)} for o in rows if o.kind == "grid"],
            "buildings": [{"id": o.id, "name": label(o), "grid_id": o.grid_id}
                          for o in rows if o.kind == "building"]}


@dataclass
class _Query:
    """The list as two groups of people (who lives here; who holds a role here, by their ids)
    and the filters on both."""

    home: object
    staff: object | None
    filters: list
    q: str
    home_found: tuple = ()  # the search as each group tests it (none: no search)
    staff_found: tuple = ()

    def groups(self, *columns) -> list:
        """A select of `columns` of User per group, filtered: the serving group by primary key
        (given their grants as a subquery, PostgreSQL hashed every user)."""
        out = [select(*columns).select_from(User).where(self.home, *self.filters,
                                                        *self.home_found)]
        if self.staff is not None:
            out.append(select(*columns).select_from(User).where(
                self.staff, *self.filters, *self.staff_found))
        return out

    def statement(self, *columns):
        """Everyone on the list, unordered (the search and the spreadsheet): the ids of each
        group from its own index (a name tested on the index entry), then their rows (or only
        `columns` of them)."""
        return select(*(columns or (User,))).where(User.id.in_(union(*self.groups(User.id))))


def list_query(session, viewer: User, community_ids: set[int], f: Filters,
               where: dict | None = None) -> _Query | None:
    """The list `f` asks for, as its two groups (None: the viewer serves nowhere; Invalid for a
    foreign filter)."""
    gids = policy.org_ids_for(viewer, "grid_worker")
    if not community_ids and not gids:
        return None
    where = where or places(session, viewer, community_ids)
    errors = {}
    if f.grid is not None and f.grid not in {g["id"] for g in where["grids"]}:
        errors["grid"] = _l("请从列表中选择网格。")
    if f.building is not None and f.building not in {b["id"] for b in where["buildings"]}:
        errors["building"] = _l("请从列表中选择楼栋。")
    if f.role is not None and f.role not in ROLE_LABELS:
        errors["role"] = _l("请从列表中选择身份。")
    if f.status is not None and f.status not in STATUS_LABELS:
        errors["status"] = _l("请从列表中选择状态。")
    if errors:
        raise Invalid(errors)
    # Residents are found where they live (users.community_id, indexed with the name; a
    # resident's grant is at that building, a move changes both); the people who serve here
    # by their roles at the community or its grids (members, admins, grid workers), who may
    # live anywhere. Two index reads, not a pass over every user.
    # The places as lists of ids (from `places`): given subqueries, PostgreSQL hashed them
    # and read every grant.
    def buildings_of(grids):
        return [b["id"] for b in where["buildings"] if b["grid_id"] in grids]
    if f.building is not None:
        home, tops = User.building_id == f.building, None
    elif f.grid is not None:
        home, tops = User.building_id.in_(buildings_of({f.grid})), [f.grid]
    else:
        lives = []
        if community_ids:
            lives.append(User.community_id.in_(community_ids))
        if gids:
            lives.append(User.building_id.in_(buildings_of(gids)))
        home = or_(*lives)
        tops = sorted(community_ids | gids | {g["id"] for g in where["grids"]})
    # The people serving here are few (members and staff, hundreds where residents are
    # thousands): their ids are read first, and each group is then read by its own index.
    staff = None if tops is None else idlists.id_in(session, User.id, session.scalars(
        select(RoleGrant.user_id).where(RoleGrant.active.is_(True), RoleGrant.org_id.in_(tops))
        .distinct()))
    filters = []
    if f.role:
        filters.append(User.id.in_(select(RoleGrant.user_id).where(
            RoleGrant.active.is_(True), RoleGrant.role == f.role)))
    if f.status == "active":
        filters.append(User.active.is_(True))
    elif f.status == "inactive":
        filters.append(User.active.is_(False))
    elif f.status == "never":
        filters += [User.active.is_(True), User.activated_at.is_(None)]
    q = (f.q or "").strip()[:40].replace("%", "").replace("_", "")
    if not q:
        return _Query(home, staff, filters, q)
    # Residents by their communities' part of the search index (models/search.SCOPED):
    # a text found all over the district (居民12) is counted among this community's only,
    # and tested on the people listed here when even those are too many. The serving
    # group (hundreds, by primary key, living anywhere) tests each of its rows.
    where_home = set(community_ids) | policy.community_ids_for(viewer, "grid_worker")

    def home_test(cols, text):
        few = textsearch.few_hits(session, User, cols, text, where_home, PEOPLE_FEW)
        return textsearch.matches(session, User, cols, text, walk=not few,
                                  communities=where_home)

    def staff_test(cols, text):
        return textsearch.matches(session, User, cols, text, walk=True)
    return _Query(home, staff, filters, q, (_search(q, home_test),), (_search(q, staff_test),))


def _search(q: str, test):
    """The condition `test` makes of the search: "151 9487 5749" or "+86 …" finds the number as
    stored (11 digits); a text that is not a phone's digits can only be in a name."""
    digits = search_digits(q)
    if digits is None:
        return test(("name",), q)
    if digits != q:
        return or_(test(("name",), q), test(("phone",), digits))
    return test(("name", "phone"), q)


def _staff_hits(session, query: _Query, n: int) -> tuple[list[int], int] | None:
    """The serving group's first `n` hits of the search, closest first, and how many in all do
    not live here: its hundreds read by primary key once, not once to count, once to page."""
    if query.staff is None or not query.q:
        return None
    order = (textrank.rank(User.name, query.q), User.name, User.id)
    elsewhere = func.count().filter(not_(func.coalesce(query.home, false()))).over()
    rows = session.execute(query.groups(User.id, elsewhere)[1].order_by(*order).limit(n)).all()
    return [i for i, _n in rows], (rows[0][1] if rows else 0)


def _page_of(session, query: _Query, offset: int, limit: int, q: str = "", staff_hits=None):
    """One page in name order (a search's: the closest names first, `textrank.rank`): the
    first offset + limit of each group, merged (a person in both groups once), so a page costs
    the same in a community of any size. `staff_hits`: the serving group's, if read."""
    order = ((textrank.rank(User.name, q),) if q else ()) + (User.name, User.id)
    home, *staff = query.groups(User.id)
    if q:
        # 居民 in a district community: its 5,000 were each ranked and sorted for a page of
        # 50 (2 ms). A rank at a time, each read in the name index's order, stops at the page.
        n = offset + limit
        ids = []
        for tier in textrank.rank_tiers(session, User.name, q):
            if len(ids) < n:
                ids += session.scalars(home.where(tier).order_by(User.name, User.id)
                                       .limit(n - len(ids)))
        for g in staff:  # hundreds by primary key
            ids += (staff_hits[0][:n] if staff_hits is not None
                    else session.scalars(g.order_by(*order).limit(n)))
        found = idlists.id_in(session, User.id, set(ids))
    else:
        tops = [g.order_by(*order).limit(offset + limit).subquery() for g in (home, *staff)]
        found = User.id.in_(union(*(select(t.c.id) for t in tops)) if len(tops) > 1
                            else select(tops[0].c.id))
    return lean_people.people(session, session.scalars(
        select(User.id).where(found).order_by(*order).offset(offset).limit(limit)))


def _count(session, query: _Query, staff_hits=None) -> int:
    """How many are on the list: those living here, and those serving here who do not."""
    home, *staff = query.groups(func.count())
    n = session.scalar(home)
    if staff_hits is not None:
        return (n or 0) + staff_hits[1]
    for g in staff:
        n += session.scalar(g.where(not_(func.coalesce(query.home, false()))))
    return n or 0


def _grid_name(u) -> str:
    """The name of the grid the person's building is in (a lean row carries it)."""
    if isinstance(u, lean_people.LeanPerson):
        return u.grid_name or ""
    b = u.building
    return b.parent.name if b is not None and b.parent is not None else ""


def _row(viewer: User, u) -> dict:
    can = policy.can_manage_person(viewer, u)
    b = u.building
    return {"id": u.id, "name": u.name, "active": u.active, "phone": u.phone if can else None,
            "address": (u.address or "") if can else "",
            "building": b.name if b else "", "grid": _grid_name(u),
            "roles": sorted(u.role_names()), "activated": u.activated_at is not None,
            "can_manage": can}


def visible_rows(viewer: User, q: str, rows):
    """The rows of `rows` (people) the viewer may see listed for the search `q`."""
    for u in rows:
        r = _row(viewer, u)
        if q and not r["can_manage"] and q not in u.name:
            continue  # found only by a phone the viewer may not see: confirming it would leak it
        yield r


def _visible(viewer: User, q: str, rows) -> list[dict]:
    return list(visible_rows(viewer, q, rows))


def people_page(session, viewer: User, community_ids: set[int], f: Filters,
                per_page: int = PER_PAGE, where: dict | None = None) -> dict:
    """One page of the list with the total and the page count (Invalid for a foreign filter);
    `where`: the viewer's `places`, if the caller has read them already."""
    query = list_query(session, viewer, community_ids, f, where)
    if query is None:
        return {"rows": [], "total": 0, "page": 1, "pages": 1}
    q = query.q
    if q and search_digits(q) is not None:
        # A phone's digits (few hits): who may be shown is the policy's call, so count what it
        # lets through; the closest names first (the exact name, then names starting with it)
        hits = session.execute(query.statement(User.id, User.name).order_by(
            textrank.rank(User.name, q), User.name, User.id)).all()
        # Found only by a phone the viewer may not see: confirming it would leak it. Only
        # those found by their phone alone are read for the policy's test (a name says itself).
        allowed = {u.id: u for u in lean_people.people(session, [i for i, name in hits
                                                                 if q not in name])
                   if policy.can_manage_person(viewer, u)}
        found = [i for i, name in hits if q in name or i in allowed]
        total = len(found)
        page, pages = paging.clamp(total, f.page, per_page)
        ids = found[(page - 1) * per_page:page * per_page]
        read = allowed | {u.id: u for u in lean_people.people(
            session, [i for i in ids if i not in allowed])}  # the rest of the page
        return {"rows": [_row(viewer, read[i]) for i in ids if i in read], "total": total,
                "page": page, "pages": pages}
    # No search, or a name (only names are searched for it): nothing found by a hidden phone,
    # so the database counts and pages it, the closest names first (thousands of 居民… hits).
    staff_hits = _staff_hits(session, query, max(f.page, 1) * per_page)  # clamping only lowers
    total = _count(session, query, staff_hits)
    page, pages = paging.clamp(total, f.page, per_page)
    rows = _page_of(session, query, (page - 1) * per_page, per_page, q, staff_hits)
    return {"rows": _visible(viewer, "", rows), "total": total, "page": page, "pages": pages}
