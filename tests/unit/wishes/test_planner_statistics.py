"""PostgreSQL knows a wish's grid decides its community (models/search.PLANNER_STATISTICS): its
estimate of a grid's wishes in that community is the grid's, not the grid's share times the
community's share, which made the menu's own-grid page read the community's every wish."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, text

from webapp.models import Wish

WHEN = datetime(2026, 11, 2, 2, tzinfo=timezone.utc)


def _estimate(db, grid, community) -> float:
    plan = db.execute(text("EXPLAIN (FORMAT JSON) SELECT id FROM wishes "
                           "WHERE grid_id = :g AND community_id = :c"),
                      {"g": grid.id, "c": community.id}).scalar()[0]["Plan"]
    return plan["Plan Rows"]


def test_a_grids_wishes_are_estimated_as_the_grids(db, world):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's extended statistics only; SQLite's planner reads its indexes' "
                    "own statistics")
    # Two grids in community A, one in B, 300 wishes each: A holds two thirds of the wishes.
    places = [(world.ga1, world.ba1, world.ca), (world.ga2, world.ba2, world.ca),
              (world.gb1, world.bb1, world.cb)]
    db.execute(insert(Wish), [
        {"kind": "service", "title": f"帮忙修水龙头{i}", "description": "厨房漏水",
         "category_id": world.cat.id, "estimated_hours": 1, "capacity": 1, "taken": 0,
         "status": "published", "resident_id": world.resident.id,
         "posted_by_id": world.resident.id, "on_behalf": False, "community_id": c.id,
         "grid_id": g.id, "building_id": b.id, "escalation_level": 0, "created_at": WHEN,
         "updated_at": WHEN, "published_at": WHEN}
        for i in range(900) for g, b, c in [places[i % 3]]])
    db.commit()
    db.execute(text("ANALYZE wishes"))
    # Independent filters would give 900 × 1/3 × 2/3 = 200; the grid holds 300.
    assert 270 <= _estimate(db, world.ga1, world.ca) <= 330
    assert 270 <= _estimate(db, world.gb1, world.cb) <= 330
