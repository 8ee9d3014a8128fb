"""走访覆盖's "visited", kept per building and local year (models.BuildingVisits).

A building's row for a year counts its households' active pairings with at least the
community's `visits_per_year` visits dated in that year: what coverage.py's grid table sums,
so the table reads a community's few dozen buildings, not its hundreds of pairings and their
visits. tally.py recounts these rows with the building's household counts, for every building
a change may touch (a visit, a pairing, a person's move or grant, a community's changed yearly
number). A recount reads the building's own pairings and visits (a few dozen), so a row is
always the truth of its transaction, never a running sum.
"""
from sqlalchemy import delete, extract, func, insert, select

from ...models import BuildingVisits, Org, Pairing, User, Visit
from ..people.orgs import setting
from .pairings import is_household


def _per_pairing(building_ids=None):
    """(building, community, year, visits) of each active pairing of a building's household."""
    year = extract("year", Visit.visited_on)
    q = (select(User.building_id, Org.community_id, year, func.count(Visit.id))
         .select_from(Pairing).join(User, User.id == Pairing.household_id)
         .join(Org, Org.id == User.building_id).join(Visit, Visit.pairing_id == Pairing.id)
         .where(Pairing.status == "active", Pairing.community_id == Org.community_id,
                User.community_id == Org.community_id, *is_household())
         .group_by(User.building_id, Org.community_id, Pairing.id, year))
    return q if building_ids is None else q.where(User.building_id.in_(building_ids))


def true_counts(session, building_ids=None) -> dict[tuple[int, int], int]:
    """{(building, year): pairings visited enough} from the visits themselves (all buildings,
    or `building_ids`); a building and year with none is absent."""
    needs: dict[int, int] = {}
    out: dict[tuple[int, int], int] = {}
    for building, community, year, n in session.execute(
            _per_pairing(building_ids), execution_options={"autoflush": False}):
        if community not in needs:
            needs[community] = int(setting(session.get(Org, community), "visits_per_year"))
        if n >= needs[community]:
            key = (building, int(year))
            out[key] = out.get(key, 0) + 1
    return out


def recount(session, building_ids) -> None:
    """Replace these buildings' rows by their true counts (called by tally.recount, after it
    has locked the buildings' rows, so two recounts of one building take turns)."""
    ids = sorted(set(building_ids))
    if not ids:
        return
    rows = true_counts(session, ids)
    session.execute(delete(BuildingVisits).where(BuildingVisits.building_id.in_(ids))
                    .execution_options(synchronize_session=False))
    if rows:
        session.execute(insert(BuildingVisits), [
            {"building_id": b, "year": y, "visited": n} for (b, y), n in sorted(rows.items())])


def drift(session) -> list[tuple]:
    """(building, year, kept, true) wherever the kept rows are wrong: for tests."""
    true = true_counts(session)
    kept = {(b, y): n for b, y, n in session.execute(
        select(BuildingVisits.building_id, BuildingVisits.year, BuildingVisits.visited))}
    return sorted((b, y, kept.get((b, y)), true.get((b, y))) for b, y in {*true, *kept}
                  if kept.get((b, y)) != true.get((b, y)))
