"""The plan a database chooses for a statement, as text, for tests that a statement reads an
index (issue 27: at district size a scan is the slow path, and a tiny test table hides it)."""
from sqlalchemy import text


def plan_of(db, stmt) -> str:
    """SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN with scans priced out (a test's tiny
    tables would be scanned anyway), as one line."""
    sql = str(stmt.compile(db.get_bind(), compile_kwargs={"literal_binds": True}))
    if db.get_bind().dialect.name == "sqlite":
        return " ".join(str(r[-1]) for r in db.execute(text("EXPLAIN QUERY PLAN " + sql)))
    db.execute(text("SET LOCAL enable_seqscan = off"))
    plan = " ".join(r[0] for r in db.execute(text("EXPLAIN " + sql)))
    db.rollback()
    return plan
