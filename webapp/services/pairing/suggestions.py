"""结对联户's suggestions: for unpaired households, care-tagged first, the nearest member with
room (same building, then same grid, then the community), skills matching needs breaking ties."""
import heapq
from itertools import islice

from sqlalchemy import bindparam, func, select

from ...models import CareTag, Category, Org, Pairing, User, Wish
from ..people.orgs import setting
from .pairings import CARE_LABELS, community_of, is_household, loads, members, tags_of

SUGGESTIONS = 30  # suggested pairs worked out and shown at once: accepted ones bring up the next
PAGE = 64  # households read of a building at a time (a district building has hundreds)
# What each care tag asks of a volunteer, matched against the member's skills (特长).
CARE_NEEDS = {"lonely_elder": ("助老", "陪伴", "陪同", "医疗", "护理"),
              "disabled": ("助残", "护理", "康复", "维修"),
              "hardship": ("帮扶", "就业", "法律", "教育", "辅导")}


# A chunk's households are one expanding parameter: the statements are built once, and a list
# of thirty ids is not coerced element by element on every call.
_LATEST = (select(Pairing.household_id, func.max(Pairing.id).label("last"))
           .where(Pairing.community_id == bindparam("community"),
                  Pairing.household_id.in_(bindparam("ids", expanding=True)))
           .group_by(Pairing.household_id).subquery())
_DECLINED = select(Pairing.household_id).join(_LATEST, _LATEST.c.last == Pairing.id).where(
    Pairing.status == "declined")
_CATEGORIES = select(Wish.resident_id, Wish.category_id).distinct().where(
    Wish.resident_id.in_(bindparam("ids", expanding=True)))


def _declined(session, community_id: int, household_ids: list[int]) -> set[int]:
    """Of these households, those whose latest pairing they declined: left out of suggestions
    (asked of a chunk of households, not of the community's every pairing)."""
    return set(session.scalars(_DECLINED, {"community": community_id, "ids": household_ids}))


def _needs(session, household_ids: list[int], tags: dict[int, list[str]],
           cats: dict[int, str]) -> dict[int, set[str]]:
    """Words for what each household needs: its care tags' needs and its wishes' categories
    (one statement for the households of a chunk, not one each)."""
    words = {h: {w for t in tags.get(h, ()) for w in CARE_NEEDS.get(t, ())} for h in household_ids}
    for hid, cid in session.execute(_CATEGORIES, {"ids": household_ids}):
        words[hid].add(cats.get(cid, ""))
    return {h: w - {""} for h, w in words.items()}


def _skills(text: str | None) -> list[str]:
    return [s.strip() for s in (text or "").replace("，", ",").split(",") if s.strip()]


def _skill_hits(skills: list[str], needs: set[str]) -> list[str]:
    return [s for s in skills if any(s in n or n in s for n in needs)]


def _unpaired_in_order(session, community_id: int, tagged: set[int]):
    """(household, building) rows of households with no live pairing (tested in the pairings'
    (household, live) index): care-tagged first, then by grid, building and id. Only buildings
    whose kept count has unpaired households (tally.py) are read, each a page of PAGE at a
    time, so a caller that stops after a few households reads a few dozen rows, however many
    households a building has."""
    buildings = sorted(session.execute(select(Org.id, Org.grid_id, Org.name, Org.unpaired).where(
        Org.community_id == community_id, Org.kind == "building")).all(),
        key=lambda b: (b.grid_id or 0, b.id))
    rank = {b.id: (i, b) for i, b in enumerate(buildings)}
    home = select(User.id, User.name, User.building_id).where(~select(Pairing.id).where(
        Pairing.household_id == User.id, Pairing.live.is_(True)).exists())
    first = session.execute(home.where(User.id.in_(tagged),
                                       *is_household(community_id))).all() if tagged else []
    for h in sorted(first, key=lambda h: (rank[h.building_id][0], h.id)):
        yield h, rank[h.building_id][1]
    for b in buildings:
        last = 0
        while b.unpaired:
            rows = session.execute(home.where(User.building_id == b.id, User.id > last,
                                              *is_household()).order_by(User.id).limit(PAGE)).all()
            for h in rows:
                if h.id not in tagged:
                    yield h, b
            if len(rows) < PAGE:
                break
            last = rows[-1].id


def suggest(session, actor: User, community_id, limit: int = SUGGESTIONS) -> list[dict]:
    """The first `limit` suggested pairs for unpaired households: care-tagged first; the nearest
    member with room (same building, then same grid, then the community), skills matching needs
    breaking ties. Each pair depends only on those before it, so the first few are the same
    whether or not the rest are worked out — and accepting them brings up the next."""
    org = community_of(session, actor, community_id)
    cap = int(setting(org, "pairing_max_households"))
    mems = members(session, org.id)
    load = {m.id: 0 for m in mems} | loads(session, org.id)
    # Care tags move with their household (pairings.move_care_tags): the community's are read
    # by its index, not found by walking its thousands of people.
    tagged = set(session.scalars(select(CareTag.household_id).where(
        CareTag.community_id == org.id)))
    cats = dict(session.execute(select(Category.id, Category.name).where(
        Category.community_id == org.id)).all())
    skills: dict = {}  # parsed when first needed
    room = sum(load[m.id] < cap for m in mems)
    # The nearest with room is looked for among the few members of the household's building,
    # then of its grid, and only then among all (hundreds, at district size) — the same choice
    # as ranking every member by (nearness, skills, load, id). A tier's members are picked out
    # when it is first reached: a page of suggestions reaches a few buildings, not all.
    tiers: dict = {}  # tier → (its members with skills, a heap of (load, id, member))

    def tier_of(key):
        kind, org_id = key
        if kind == "building":
            return [m for m in mems if m.building_id and m.building_id == org_id]
        if kind == "grid":
            return [m for m in mems if m.building_id and m.grid_id == org_id]
        return mems

    def least_loaded(heap, h):
        # loads only grow: an entry whose load is out of date is pushed back with the new one,
        # a full member leaves for good, the household itself (a member too) waits aside
        aside, found = [], None
        while heap:
            held, mid, m = heap[0]
            if held != load[mid]:
                heapq.heapreplace(heap, (load[mid], mid, m))
            elif held >= cap:
                heapq.heappop(heap)
            elif mid == h.id:
                aside.append(heapq.heappop(heap))
            else:
                found = m
                break
        for entry in aside:
            heapq.heappush(heap, entry)
        return found

    def nearest(h, needs, key, near):
        """The tier's member ranking first by (skill hits, -load, -id), among those with room:
        the skilled are tried for hits; with none, the least loaded (a heap, not a scan of the
        community's hundreds for every household)."""
        if key not in tiers:
            tier = tier_of(key)
            heap = [(load[m.id], m.id, m) for m in tier]
            heapq.heapify(heap)
            tiers[key] = ([m for m in tier if m.skills], heap)
        skilled, heap = tiers[key]
        best = None
        for m in skilled if needs else ():
            if m.id == h.id or load[m.id] >= cap:
                continue
            if m.id not in skills:
                skills[m.id] = _skills(m.skills)
            hits = _skill_hits(skills[m.id], needs)
            rank = (near, len(hits), -load[m.id], -m.id)
            if hits and (best is None or rank > best[0]):
                best = (rank, m, hits)
        if best is None and (m := least_loaded(heap, h)) is not None:
            best = ((near, 0, -load[m.id], -m.id), m, [])
        return best

    out = []
    households = _unpaired_in_order(session, org.id, tagged)
    while len(out) < limit and room:  # no member has room: nothing more to suggest
        chunk = list(islice(households, limit))
        if not chunk:
            break
        gone = _declined(session, org.id, [h.id for h, _b in chunk])
        chunk = [(h, b) for h, b in chunk if h.id not in gone]
        ids = [h.id for h, _b in chunk]
        tags = tags_of(session, [i for i in ids if i in tagged])
        needs = _needs(session, ids, tags, cats)
        for h, building in chunk:
            if len(out) >= limit or not room:
                break
            best = (nearest(h, needs[h.id], ("building", h.building_id), 2)
                    or nearest(h, needs[h.id], ("grid", building.grid_id), 1)
                    or nearest(h, needs[h.id], ("community", org.id), 0))
            if best is None:
                continue
            (near, _n, _l2, _i), m, hits = best
            load[m.id] += 1
            room -= load[m.id] >= cap
            out.append({"member_id": m.id, "member": m.name, "household_id": h.id,
                        "household": h.name, "building": building.name,
                        "why": ("same_building", "same_grid", "community")[2 - near],
                        "care": [str(CARE_LABELS[t]) for t in tags.get(h.id, [])],
                        "skills": hits})
    return out
