"""The text-search indexes (issue 27 item 3), as DDL outside the model classes because each
engine needs its own: PostgreSQL trigram GIN indexes (pg_trgm), which ILIKE '%x%' uses for three
characters or more; SQLite FTS5 tables with the trigram tokenizer (Chinese needs no segmenter),
external-content over the real table and kept in step by triggers. `create_ddl(dialect)` is the
one list of statements: run after create_all (the listener below, which the tests use) and by
the migration (migrations/script.py.mako appends it to upgrade())."""
from sqlalchemy import event

from ..extensions import db

# table → the columns searched by text; services/textsearch.py queries these
SEARCHED = {"users": ("name", "phone", "address"), "wishes": ("title",), "orgs": ("name",),
            "units": ("name",)}


def fts(table: str) -> str:
    """The SQLite FTS5 table that indexes `table`."""
    return f"{table}_fts"


def _sqlite(table: str, cols: tuple[str, ...]) -> list[str]:
    t, c = fts(table), ", ".join(cols)
    new, old = (", ".join(f"{p}.{x}" for x in cols) for p in ("new", "old"))
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {t} USING fts5({c}, content='{table}', "
        f"content_rowid='id', tokenize='trigram')",
        f"INSERT INTO {t}({t}) VALUES ('rebuild')",  # rows already there (a migrated database)
        f"CREATE TRIGGER IF NOT EXISTS {t}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {t}(rowid, {c}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {t}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {t}({t}, rowid, {c}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {t}_au AFTER UPDATE OF {c} ON {table} BEGIN "
        f"INSERT INTO {t}({t}, rowid, {c}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {t}(rowid, {c}) VALUES (new.id, {new}); END",
    ]


# pg_trgm takes trigrams only of what the database's LC_CTYPE calls letters: under C (initdb
# --no-locale) Chinese has none, each GIN index then matches every row, and a search of a name
# reads the whole table (100 ms for 500,000 residents). Refused where the indexes are made.
CHINESE_TRIGRAMS = (  # no percent sign: the statement also runs through DB-API execute
    "DO $$ BEGIN IF show_trgm('水龙头') = '{}' THEN RAISE EXCEPTION USING MESSAGE = "
    "'This database''s LC_CTYPE (' || current_setting('lc_ctype') || ') gives Chinese text no "
    "trigrams, so its search indexes cannot find Chinese names or titles. Create the database "
    "with a UTF-8 ctype: createdb --template=template0 --lc-ctype=C.UTF-8 (or initdb "
    "--lc-ctype=C.UTF-8).'; END IF; END $$")


# Not search, but PostgreSQL-only DDL of the same kind: a wish's grid decides its community, and
# a planner that takes the two filters as independent guesses a grid's published wishes at a
# handful, so the menu's own-grid page intersected the community's every wish (19,921 at
# district size) and sorted, instead of reading the grid's index in order (the next ANALYZE
# makes it count).
PLANNER_STATISTICS = ["CREATE STATISTICS IF NOT EXISTS st_wishes_grid_community (dependencies) "
                      "ON grid_id, community_id FROM wishes"]


def create_ddl(dialect: str) -> list[str]:
    """Every statement that builds the search indexes on this engine (idempotent), and
    PostgreSQL's PLANNER_STATISTICS."""
    if dialect == "sqlite":
        return [s for table, cols in SEARCHED.items() for s in _sqlite(table, cols)]
    if dialect == "postgresql":
        return ["CREATE EXTENSION IF NOT EXISTS pg_trgm", CHINESE_TRIGRAMS, *(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{col}_trgm ON {table} "
            f"USING gin ({col} gin_trgm_ops)"
            for table, cols in SEARCHED.items() for col in cols), *PLANNER_STATISTICS]
    return []


def drop_ddl(dialect: str) -> list[str]:
    """What drop_all must remove first (the FTS tables are not in the metadata)."""
    if dialect == "sqlite":
        return [f"DROP TABLE IF EXISTS {fts(t)}" for t in SEARCHED]
    return []


def is_search_object(name: str | None) -> bool:
    """An index or table of ours that the models do not declare (for the migration check)."""
    return bool(name) and (name.endswith("_trgm") or any(
        name == fts(t) or name.startswith(fts(t) + "_") for t in SEARCHED))


@event.listens_for(db.metadata, "after_create")
def _create(_target, connection, **_kw):
    for statement in create_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)


@event.listens_for(db.metadata, "before_drop")
def _drop(_target, connection, **_kw):
    for statement in drop_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)
