"""走访覆盖's kept "visited" per building and year (services/pairing/visited.py) follows every
change that moves it, and the grid table it feeds equals a plain count over the pairings.

(The `db` fixture also checks, after every test of the suite, that no building's rows drifted.)
"""
from datetime import date, datetime, timezone

from sqlalchemy import delete, insert, select, update

from webapp.models import Org, Pairing, User, Visit
from webapp.schemas.pairing import VisitInput
from webapp.services.people import community
from webapp.services.people.orgs import setting
from webapp.services.pairing import coverage, pairings, visited, visits

START = datetime(2024, 11, 1, tzinfo=timezone.utc)
NOW = datetime(2025, 6, 1, 4, 0, tzinfo=timezone.utc)  # 2025-06-01 12:00 Beijing


def _visit(db, member, household, day):
    visits.log(db, member, VisitInput.model_validate(
        {"household_id": household.id, "date": day.isoformat(), "kind": "home"}), now=NOW)


def _plain(db, org_id: int, year: int) -> dict:
    """{grid: [paired, visited]} counted the long way: every active pairing, its visits."""
    db.expire_all()
    org = db.get(Org, org_id)
    need = int(setting(org, "visits_per_year"))
    out: dict = {}
    for p in db.scalars(select(Pairing).where(Pairing.community_id == org.id,
                                              Pairing.status == "active")):
        h = p.household
        if not h.active or h.community_id != org.id or "resident" not in h.role_names() \
                or h.building is None:
            continue
        n = sum(1 for v in db.scalars(select(Visit).where(Visit.pairing_id == p.id))
                if v.visited_on.year == year)
        row = out.setdefault(h.building.grid_id, [0, 0])
        row[0] += 1
        row[1] += n >= need
    return out


def _grids(db, world, year: int) -> dict:
    cov = coverage.coverage(db, world.admin, world.ca.id, year)
    return {g["grid_id"]: [g["paired"], g["visited"]] for g in cov["by_grid"] if g["paired"]}


def test_visits_the_yearly_number_an_ended_pairing_and_a_move_each_recount(db, world):
    pairings.pair(db, world.admin, world.member2.id, [world.resident.id, world.resident2.id],
                  now=START)
    _visit(db, world.member2, world.resident, date(2025, 1, 5))
    assert _grids(db, world, 2025) == _plain(db, world.ca.id, 2025) == {
        world.ga1.id: [1, 0], world.ga2.id: [1, 0]}  # one visit of the two a year asks
    _visit(db, world.member2, world.resident, date(2025, 3, 5))
    _visit(db, world.member2, world.resident2, date(2024, 12, 1))  # the year before
    assert _grids(db, world, 2025) == _plain(db, world.ca.id, 2025) == {
        world.ga1.id: [1, 1], world.ga2.id: [1, 0]}
    assert _grids(db, world, 2024) == _plain(db, world.ca.id, 2024)
    # the community asks one visit a year: every building of it is recounted
    community.update(db, world.admin, world.ca.id, {"visits_per_year": "1"})
    assert _grids(db, world, 2024) == _plain(db, world.ca.id, 2024) == {
        world.ga1.id: [1, 0], world.ga2.id: [1, 1]}
    # the visited household moves to the other grid's building: the figure moves with it
    person = db.get(User, world.resident.id)
    person.building_id = world.ba2.id
    db.commit()
    assert _grids(db, world, 2025) == _plain(db, world.ca.id, 2025) == {world.ga2.id: [2, 1]}
    # its pairing ends: no longer counted, in any year
    ended = db.scalar(select(Pairing).where(Pairing.household_id == world.resident.id))
    pairings.end(db, world.admin, ended.id, "搬走了")
    assert _grids(db, world, 2025) == _plain(db, world.ca.id, 2025) == {world.ga2.id: [1, 0]}
    assert visited.drift(db) == []


def test_statements_through_the_session_and_a_rollback(db, world):
    (p,) = pairings.pair(db, world.admin, world.member2.id, [world.resident.id], now=START)
    row = {"pairing_id": p.id, "member_id": world.member2.id, "household_id": world.resident.id,
           "community_id": world.ca.id, "kind": "home"}
    db.execute(insert(Visit), [{**row, "visited_on": date(2025, m, 1)} for m in (2, 3)])
    db.commit()
    assert _grids(db, world, 2025) == {world.ga1.id: [1, 1]} == _plain(db, world.ca.id, 2025)
    # an UPDATE that moves a visit into the year before
    db.execute(update(Visit).where(Visit.visited_on == date(2025, 2, 1))
               .values(visited_on=date(2024, 12, 1)).execution_options(synchronize_session=False))
    db.commit()
    assert _grids(db, world, 2025) == {world.ga1.id: [1, 0]} == _plain(db, world.ca.id, 2025)
    # a visit added and rolled back leaves nothing; a DELETE recounts
    _visit(db, world.member2, world.resident, date(2025, 4, 1))
    db.execute(insert(Visit), [{**row, "visited_on": date(2025, 5, 1)}])
    db.rollback()
    assert _grids(db, world, 2025) == {world.ga1.id: [1, 1]}
    db.execute(delete(Visit).where(Visit.pairing_id == p.id))
    db.commit()
    assert _grids(db, world, 2025) == {world.ga1.id: [1, 0]} == _plain(db, world.ca.id, 2025)
    assert visited.drift(db) == []
