"""A database state built once (per run, or per module) and put back for each test that wants it.

The `world` fixture (tests/conftest.py) and the permission sweep's world
(tests/web/ids_world.py `ids`, about 2 s to build through the services on
PostgreSQL, wanted by 346 tests) are built once; copying their rows back from tables kept
beside them takes a few milliseconds (issue 21 §4). The rows are really committed,
so requests, PostgreSQL's autocommit reads, the live server and job processes see them as they
would see a world the test built itself. Row order, ids and sequences come back as they were.
"""
from collections import defaultdict
from secrets import randbits
from types import SimpleNamespace

from sqlalchemy import select, text

PREFIX = "snap_"
_SEQUENCES = ("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
              "WHERE c.relkind = 'S' AND n.nspname = current_schema()")


class Snapshot:
    """Copies of every table that has rows now (and PostgreSQL's sequences)."""

    def __init__(self, engine, metadata, name: str):
        self.engine, self.prefix = engine, f"{PREFIX}{name}_"
        self.tables = [t.name for t in metadata.sorted_tables]  # parents first
        with engine.begin() as conn:
            self.kept = [t for t in self.tables
                         if conn.execute(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first()]
            for t in self.kept:
                conn.execute(text(f'DROP TABLE IF EXISTS "{self.prefix}{t}"'))
                conn.execute(text(f'CREATE TABLE "{self.prefix}{t}" AS SELECT * FROM "{t}"'))
            self.sequences = _sequences(conn) if conn.dialect.name == "postgresql" else None

    def restore(self, clear: bool = True) -> None:
        """Every table as it was when taken: what the copy does not have is emptied. With
        `clear=False` the rows are only added (to an empty database; rows already there that
        clash raise IntegrityError, and nothing is added)."""
        statements = delete_all(self.tables) if clear else []
        statements += [f'INSERT INTO "{t}" SELECT * FROM "{self.prefix}{t}"' for t in self.kept]
        if "orgs" in self.kept:  # as a build's: an org made anew starts at a random version,
            # so the in-process menu caches never serve it another test's pages
            statements.append(f"UPDATE orgs SET data_version = data_version + {randbits(52)}")
        run_all(self.engine, statements + ([self.sequences] if self.sequences else []))

    def drop(self) -> None:
        """Remove the copies (the tables themselves are left as they are)."""
        with self.engine.begin() as conn:
            for t in self.kept:
                conn.execute(text(f'DROP TABLE IF EXISTS "{self.prefix}{t}"'))


def delete_all(tables: list[str]) -> list[str]:
    """DELETE of every table, children first (`tables` parents first, as sorted_tables)."""
    return [f'DELETE FROM "{t}"' for t in reversed(tables)]


def run_all(engine, statements: list[str]) -> None:
    """Parameterless statements in one transaction: one round trip on PostgreSQL (psycopg sends
    the string whole), one by one on SQLite (its driver runs one statement a call)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("; ".join(statements))
            return
        for statement in statements:
            conn.exec_driver_sql(statement)


def _sequences(conn) -> str | None:
    """One statement that sets every sequence back to where it is now."""
    parts = []
    for name in conn.scalars(text(_SEQUENCES)).all():
        last, called = conn.execute(text(f'SELECT last_value, is_called FROM "{name}"')).one()
        parts.append(f"setval('\"{name}\"', {int(last)}, {'true' if called else 'false'})")
    return "SELECT " + ", ".join(parts) if parts else None


def refs(namespace) -> dict:
    """What `reload` needs to give a namespace's rows (and dicts of rows) back in a session."""
    out = {}
    for name, obj in vars(namespace).items():
        if isinstance(obj, dict):
            out[name] = {k: (type(v), v.id) for k, v in obj.items() if hasattr(v, "__table__")}
        elif hasattr(obj, "__table__"):
            out[name] = (type(obj), obj.id)
    return out


def reload(session, references: dict) -> SimpleNamespace:
    """The namespace `refs` described, its rows read in `session` (one query per model)."""
    wanted = defaultdict(set)
    for ref in references.values():
        for model, id_ in (ref.values() if isinstance(ref, dict) else [ref]):
            wanted[model].add(id_)
    rows = {(model, obj.id): obj for model, ids in wanted.items()
            for obj in session.scalars(select(model).where(model.id.in_(ids)))}
    return SimpleNamespace(**{
        name: {k: rows[r] for k, r in ref.items()} if isinstance(ref, dict) else rows[ref]
        for name, ref in references.items()})
