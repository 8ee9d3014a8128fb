"""结对联户's suggestions: for unpaired households, care-tagged first, the nearest member with
room (same building, then same grid, then the community), skills matching needs breaking ties."""
from sqlalchemy import func, select

from ...models import CareTag, Category, Org, Pairing, User, Wish
from ..people.orgs import setting
from .pairings import CARE_LABELS, community_of, is_household, members, tags_of

SUGGESTIONS = 30  # suggested pairs worked out and shown at once: accepted ones bring up the next
# What each care tag asks of a volunteer, matched against the member's skills (特长).
CARE_NEEDS = {"lonely_elder": ("助老", "陪伴", "陪同", "医疗", "护理"),
              "disabled": ("助残", "护理", "康复", "维修"),
              "hardship": ("帮扶", "就业", "法律", "教育", "辅导")}


def _declined(session, community_id: int) -> set[int]:
    """Households whose latest pairing they declined: left out of suggestions."""
    latest = (select(Pairing.household_id, func.max(Pairing.id).label("last"))
              .where(Pairing.community_id == community_id).group_by(Pairing.household_id)
              .subquery())
    return set(session.scalars(select(Pairing.household_id).join(
        latest, latest.c.last == Pairing.id).where(Pairing.status == "declined")))


def _needs(session, household_id: int, tags: list[str], cats: dict[int, str]) -> set[str]:
    """Words for what a household needs: its care tags' needs and its wishes' categories."""
    words = {w for t in tags for w in CARE_NEEDS.get(t, ())}
    for cid in session.scalars(select(Wish.category_id).where(Wish.resident_id == household_id)):
        words.add(cats.get(cid, ""))
    return words - {""}


def _skills(text: str | None) -> list[str]:
    return [s.strip() for s in (text or "").replace("，", ",").split(",") if s.strip()]


def _skill_hits(skills: list[str], needs: set[str]) -> list[str]:
    return [s for s in skills if any(s in n or n in s for n in needs)]


def _unpaired_in_order(session, community_id: int, skip: set[int], tagged: set[int]):
    """(household, building) rows not in `skip`: care-tagged first, then by grid, building and
    id. Buildings are read in batches of 1, 2, 4, … so a caller that stops after a few
    households reads a few buildings, and one that goes on needs few statements."""
    buildings = sorted(session.execute(select(Org.id, Org.grid_id, Org.name).where(
        Org.community_id == community_id, Org.kind == "building")).all(),
        key=lambda b: (b.grid_id or 0, b.id))
    rank = {b.id: (i, b) for i, b in enumerate(buildings)}
    home = select(User.id, User.name, User.building_id)
    first = session.execute(home.where(User.id.in_(tagged - skip),
                                       *is_household(community_id))).all() if tagged else []
    for h in sorted(first, key=lambda h: (rank[h.building_id][0], h.id)):
        yield h, rank[h.building_id][1]
    at, size = 0, 1
    while at < len(buildings):
        batch = [b.id for b in buildings[at:at + size]]
        at, size = at + size, size * 2
        rows = session.execute(home.where(User.building_id.in_(batch), *is_household())).all()
        for h in sorted(rows, key=lambda h: (rank[h.building_id][0], h.id)):
            if h.id not in skip and h.id not in tagged:
                yield h, rank[h.building_id][1]


def suggest(session, actor: User, community_id, limit: int = SUGGESTIONS) -> list[dict]:
    """The first `limit` suggested pairs for unpaired households: care-tagged first; the nearest
    member with room (same building, then same grid, then the community), skills matching needs
    breaking ties. Each pair depends only on those before it, so the first few are the same
    whether or not the rest are worked out — and accepting them brings up the next."""
    org = community_of(session, actor, community_id)
    cap = int(setting(org, "pairing_max_households"))
    mems = members(session, org.id)
    load = {m.id: 0 for m in mems}
    paired = set()
    for mid, hid in session.execute(select(Pairing.member_id, Pairing.household_id).where(
            Pairing.community_id == org.id, Pairing.status == "active")):
        load[mid] = load.get(mid, 0) + 1
        paired.add(hid)
    skip = paired | _declined(session, org.id)
    tagged = set(session.scalars(select(CareTag.household_id).join(
        User, User.id == CareTag.household_id).where(User.community_id == org.id)))
    cats = dict(session.execute(select(Category.id, Category.name).where(
        Category.community_id == org.id)).all())
    grid_of = dict(session.execute(select(Org.id, Org.grid_id).where(
        Org.id.in_({m.building_id for m in mems if m.building_id}))).all())
    skills = {m.id: _skills(m.skills) for m in mems}
    room = sum(load[m.id] < cap for m in mems)
    out = []
    for h, building in _unpaired_in_order(session, org.id, skip, tagged):
        if len(out) >= limit or not room:  # no member has room: nothing more to suggest
            break
        tags = tags_of(session, [h.id]).get(h.id, []) if h.id in tagged else []
        needs = _needs(session, h.id, tags, cats)
        best = None
        for m in mems:
            if m.id == h.id or load[m.id] >= cap:
                continue
            near = (2 if m.building_id == h.building_id else
                    1 if m.building_id and grid_of.get(m.building_id) == building.grid_id else 0)
            hits = _skill_hits(skills[m.id], needs) if needs else []
            key = (near, len(hits), -load[m.id], -m.id)
            if best is None or key > best[0]:
                best = (key, m, hits)
        if best is None:
            continue
        (near, _n, _l2, _i), m, hits = best
        load[m.id] += 1
        room -= load[m.id] >= cap
        out.append({"member_id": m.id, "member": m.name, "household_id": h.id,
                    "household": h.name, "building": building.name,
                    "why": ("same_building", "same_grid", "community")[2 - near],
                    "care": [str(CARE_LABELS[t]) for t in tags],
                    "skills": hits})
    return out
