"""The wish lists' text search: which wishes a search finds, as a condition the list's own walk
tests, as the ids it reads its page by, or (PostgreSQL) as each kind of hit read apart and
sorted into the page (`Sorted`; issue 27: services/textsearch.py holds the indexes)."""
from sqlalchemy import Column, literal_column, or_, select, union
from sqlalchemy.sql import visitors
from sqlalchemy.sql.util import ClauseAdapter

from ...models import Org, User, Wish
from .. import idlists, tagstats, textsearch


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
    dense = False
    if textsearch.tagged(session, Wish, ("title",), textsearch.clean(text), communities):
        chosen, expected = tagstats.rarest(session, Wish, "title", communities,
                                           textsearch.clean(text))
        dense = expected > SORT_MAX
        residents = None if dense else _few_residents(session, text, people) if staff else []
        if residents is not None:
            return Sorted(_arms(session, text, communities, buildings, residents, chosen))
    few_titles = not dense and (
        titles <= textsearch.FEW if titles is not None
        else textsearch.few_hits(session, Wish, ("title",), text, communities))
    # A text in names all over the district (居民, 12): collecting them read every user (9 s
    # on PostgreSQL for 居民), so unless the index counts few, each listed wish's resident is
    # tested by primary key instead.
    few_people = not staff or (textsearch.indexed(text)
                               and textsearch.few_hits(session, User, people, text))
    if few_titles and few_people and textsearch.postgres_pieces(session, text):
        # PostgreSQL cannot OR its pieces' index with the other two tests, so it walked the
        # community's 20,000 wishes (28 ms) for a surname none of them holds. Each kind of hit
        # counted few, their ids are read first and the list tests its rows against them.
        found = _collected(session, _hits(session, text, staff, communities, buildings, people))
        if found is not None:
            return idlists.id_among(Wish.id, found)
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


def _hits(session, text, staff, communities, buildings, people):
    """A UNION of the ids of the wishes whose title, building or (staff) resident holds `text`."""
    hits = [textsearch.hit_ids(session, Wish, ("title",), text, communities),
            select(Wish.id).where(Wish.building_id.in_(buildings))]
    if staff:
        residents = select(User.id).where(textsearch.matches(session, User, people, text))
        theirs = select(Wish.id).where(Wish.resident_id.in_(residents))
        if communities is not None:  # residents living anywhere; their wishes the list's
            theirs = theirs.where(Wish.community_id.in_(communities))
        hits.append(theirs)
    return union(*hits)


# PostgreSQL reads and sorts every hit of a text its statistics expect in at most this many
# rows of the list's communities (tagstats.rarest); a text more common is found by the list's
# walk in its own order, which meets a page of it sooner than the reads would end.
SORT_MAX = 3_000


class Sorted:
    """A search the list answers by reading each kind of hit from its own index and sorting
    them (`sorted_page`), not by a condition its walk tests."""

    def __init__(self, arms):
        self.arms = arms


def _arms(session, text, communities, buildings, residents, chosen):
    """The conditions of the wishes whose title (from the tagged trigrams: `chosen`), building
    or resident (`residents`' ids) holds `text`."""
    title = textsearch.tagged_hits(session, Wish, ("title",), textsearch.clean(text),
                                   communities, chosen).whereclause
    arms = [title, Wish.building_id.in_(buildings)]
    if residents:
        arms.append(idlists.id_among(Wish.resident_id, residents))
    return arms


def sorted_page(session, found: Sorted, conds, col, n: int) -> list[Wish]:
    """The first `n` wishes, by `col` then id (newest first), that one of `found`'s arms finds
    and every one of `conds` holds. Each arm is read apart (`OFFSET 0`) and the list's
    conditions tested on its rows: offered them with it, the planner also read the scope's
    index (3 ms for a community's 20,000 entries) to AND with the arm's few."""
    wishes = Wish.__table__
    # Only the columns the conditions test: a subquery of every column cost 4 ms to build.
    used = sorted({col.key, "id"} | {e.key for c in conds for e in visitors.iterate(c)
                                     if isinstance(e, Column) and e.table is wishes})
    parts = []
    for arm in found.arms:
        rows = select(*(wishes.c[k] for k in used)).where(arm).offset(0).subquery()
        adapt = ClauseAdapter(rows).traverse
        parts.append(select(rows.c.id, rows.c[col.key].label("k"))
                     .where(*(adapt(c) for c in conds)))
    page = union(*parts).subquery()
    first = select(page.c.id).order_by(page.c.k.desc(), page.c.id.desc()).limit(n)
    return list(session.scalars(select(Wish).where(Wish.id.in_(first))
                                .order_by(col.desc(), Wish.id.desc())))
