"""What a test asks of the database (issue 27: at district size a scan or a list of every
namesake is the slow path, and a tiny test table hides it): the plan it chooses for a
statement, and the statements a block of code sends."""
from contextlib import contextmanager

from sqlalchemy import Table, event, text
from sqlalchemy.sql.util import find_tables


def plan_of(db, stmt) -> str:
    """SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN with scans priced out (a test's tiny
    tables would be scanned anyway) and statistics of the test's own rows, as one line."""
    sql = str(stmt.compile(db.get_bind(), compile_kwargs={"literal_binds": True}))
    if db.get_bind().dialect.name == "sqlite":
        return " ".join(str(r[-1]) for r in db.execute(text("EXPLAIN QUERY PLAN " + sql)))
    db.execute(text("SET LOCAL enable_seqscan = off"))
    # Autovacuum analyses a table whenever it likes, often while a test has emptied it: with
    # statistics that say "no rows" every index costs the same and the plan is a coin toss.
    names = sorted({t.name for t in find_tables(stmt, check_columns=True) if isinstance(t, Table)})
    db.execute(text("ANALYZE " + ", ".join(names)))
    plan = " ".join(r[0] for r in db.execute(text("EXPLAIN " + sql)))
    db.rollback()
    return plan


@contextmanager
def statements_sent(engine):
    """The SQL text of every statement sent on `engine` inside the block, in order."""
    said: list[str] = []

    def note(_conn, _cursor, statement, *_rest):
        said.append(statement)
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield said
    finally:
        event.remove(engine, "before_cursor_execute", note)
