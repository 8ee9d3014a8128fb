"""tests.planutil.plan_of: the plan a test checks is the one the test's own rows call for, not
one chosen from whatever statistics autovacuum last wrote (CI once saw a community's members
read through another index because role_grants had been analysed while a test had emptied it)."""
import pytest
from sqlalchemy import text

from tests.planutil import plan_of
from webapp.services.pairing import pairings

_TABLES = ("role_grants", "users", "orgs")


def _analyse_as_empty(db):
    """Leave the statistics autovacuum writes when it looks at the tables between two tests.
    ANALYZE writes pg_class's row counts in place, so they stay after the rollback."""
    with db.get_bind().connect() as conn:
        with conn.begin() as tx:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # no FK checks
            for table in _TABLES:
                conn.execute(text(f"DELETE FROM {table}"))
                conn.execute(text(f"ANALYZE {table}"))
            tx.rollback()
        return dict(conn.execute(text("SELECT relname, reltuples FROM pg_class "
                                      "WHERE relname IN ('role_grants', 'users', 'orgs')")).all())


def test_a_plan_follows_the_tests_rows_whatever_the_last_statistics_said(db, world):
    if db.get_bind().dialect.name == "sqlite":
        pytest.skip("PostgreSQL only: SQLite's statistics change only when ANALYZE runs, "
                    "never in the background")
    try:
        assert _analyse_as_empty(db) == {t: 0.0 for t in _TABLES}  # the stale state is set up
        plan = plan_of(db, pairings.members_query(world.ca.id))
        assert "Index Only Scan using ix_role_grants_org_role" in plan, plan
    finally:
        with db.get_bind().connect() as conn:  # the next test starts from true statistics
            conn.execute(text("ANALYZE " + ", ".join(_TABLES)))
            conn.commit()
