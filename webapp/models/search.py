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


# A table searched nearly always within one community keys its FTS rows by (community, id):
# rowid = community_id << KEY_BITS | id, so one community's hits are one rowid range, which FTS5
# seeks to. A text found all over the district (修水龙头12: 111,111 titles) is then counted and
# collected in the community's ~1,100 alone, not by reading the district's (issue 27). The
# rowid comes from a view over the table (`<fts>_src`); ids must stay below 2**KEY_BITS.
SCOPED = {"wishes": "community_id", "users": "community_id"}  # a user of no community: 0
KEY_BITS = 32


def _key(table: str, row: str = "") -> str:
    """The FTS rowid of a row of `table` (`row`: the trigger's new/old prefix)."""
    if table not in SCOPED:
        return f"{row}id"
    return f"((coalesce({row}{SCOPED[table]}, 0) << {KEY_BITS}) | {row}id)"


def _triggers(t: str, table: str, cols: tuple[str, ...], new: str, old: str,
              guard: str = "") -> list[str]:
    """The triggers that keep FTS table `t` in step with `table`: `new` and `old` are the values
    it is given for a row; `guard` runs first on an insert and an update."""
    c, first = ", ".join(cols), f"{guard} " if guard else ""
    watched = ", ".join(cols + ((SCOPED[table],) if table in SCOPED else ()))
    nk, ok = _key(table, "new."), _key(table, "old.")
    return [
        f"CREATE TRIGGER IF NOT EXISTS {t}_ai AFTER INSERT ON {table} BEGIN {first}"
        f"INSERT INTO {t}(rowid, {c}) VALUES ({nk}, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {t}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {t}({t}, rowid, {c}) VALUES ('delete', {ok}, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {t}_au AFTER UPDATE OF {watched} ON {table} BEGIN {first}"
        f"INSERT INTO {t}({t}, rowid, {c}) VALUES ('delete', {ok}, {old}); "
        f"INSERT INTO {t}(rowid, {c}) VALUES ({nk}, {new}); END",
    ]


def _sqlite(table: str, cols: tuple[str, ...]) -> list[str]:
    t, c = fts(table), ", ".join(cols)
    new, old = (", ".join(f"{p}.{x}" for x in cols) for p in ("new", "old"))
    content, rowid, view = table, "id", []
    if table in SCOPED:
        content, rowid = f"{t}_src", "fts_key"
        view = [f"CREATE VIEW IF NOT EXISTS {content} AS SELECT {_key(table)} AS {rowid}, {c} "
                f"FROM {table}"]
    return view + [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {t} USING fts5({c}, content='{content}', "
        f"content_rowid='{rowid}', tokenize='trigram')",
        f"INSERT INTO {t}({t}) VALUES ('rebuild')",  # rows already there (a migrated database)
    ] + _triggers(t, table, cols, new, old)


# One- and two-character text (a surname 王, a room 12) has no trigram, so it was a walk of the
# rows (issue 27: 王 in a community of 20,000 wishes, 90 ms). SQLite keeps a second, contentless
# FTS5 table per searched table whose words are every one- and two-character piece of each column
# ('王芳' → 王 芳 王芳), written by the same triggers: a short search is then one word's lookup,
# keyed by community like the trigram table. SQL has no loop, so the pieces are spelled out up to
# the column's declared length (`gram_span`), and the triggers refuse longer text as PostgreSQL's
# varchar(n) does (the forms refuse it first, with their message).
GRAM_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co'"  # space splits


def grams(table: str) -> str:
    """The SQLite FTS5 table of `table`'s one- and two-character pieces."""
    return f"{table}_grams"


def gram_span(table: str, col: str) -> int:
    """How many characters of `table.col` its pieces cover: the column's declared length."""
    return db.metadata.tables[table].c[col].type.length


def _pieces(table: str, col: str, row: str = "") -> str:
    """`col`'s one- and two-character pieces as words ('' for NULL); `row`: new./old."""
    span = gram_span(table, col)
    parts = [f"substr({row}{col}, {i}, {n})" for n in (1, 2) for i in range(1, span + 2 - n)]
    return "coalesce(" + " || ' ' || ".join(parts) + ", '')"


def _sqlite_grams(table: str, cols: tuple[str, ...]) -> list[str]:
    g, c = grams(table), ", ".join(cols)
    new, old = (", ".join(_pieces(table, x, p) for x in cols) for p in ("new.", "old."))
    guard = " ".join(f"SELECT RAISE(ABORT, '{table}.{x} is longer than {gram_span(table, x)}') "
                     f"WHERE length(new.{x}) > {gram_span(table, x)};" for x in cols)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {g} USING fts5({c}, content='', "
        f'tokenize="{GRAM_TOKENIZER}")',
        f"INSERT INTO {g}({g}) VALUES ('delete-all')",  # then the rows already there
        f"INSERT INTO {g}(rowid, {c}) SELECT {_key(table)}, "
        + ", ".join(_pieces(table, x) for x in cols) + f" FROM {table}",
    ] + _triggers(g, table, cols, new, old, guard)


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


# PostgreSQL's pieces (the same words as SQLite's tables of pieces) are a GIN index over an
# expression: a column's lower-cased characters, and its character pairs from even and from odd
# offsets (chr(1) splits them; the search never asks for a piece holding it). 7 µs a row, so
# services/textsearch.py never tests a row with it: it reads the ids of a few hits from the index.
PIECES = "wg_pieces"
PIECES_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {PIECES}(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT "
    "PARALLEL SAFE AS $$ SELECT string_to_array(lower(t), NULL) || string_to_array("
    "regexp_replace(lower(t), '(..)', '\\1' || chr(1), 'g'), chr(1)) || string_to_array("
    "regexp_replace(substr(lower(t), 2), '(..)', '\\1' || chr(1), 'g'), chr(1)) $$")


# PostgreSQL's trigram index covers the district, and a LIKE reads each trigram's entry whole:
# 水龙头 is in two million titles, so a text rare in one community (水龙头1234: 11 of its
# 20,000 wishes) cost what the district's entries cost (10 ms; the planner walked the community
# instead). So the columns searched within communities also have trigrams tagged by community,
# '5:水龙头': one community's entry of a trigram holds its rows alone, as SQLite's rowid ranges
# do. Lower-cased like the pieces; each of the three offsets cut to whole trigrams first, so no
# shorter tail is indexed (every tag asked has three characters after the community).
TAGGED = "wg_tagged"
TAGGED_COLUMNS = {"wishes": ("title",), "users": ("name", "phone")}  # what lists ask of them
TAGGED_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {TAGGED}(c integer, t text) RETURNS text[] LANGUAGE sql "
    "IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT " + " || ".join(
        f"string_to_array(rtrim(regexp_replace(substr(lower(t), {i}, "
        f"(length(lower(t)) - {i - 1}) / 3 * 3), '(...)', c || ':\\1' || chr(1), 'g'), "
        "chr(1)), chr(1))" for i in (1, 2, 3)) + " $$")


def create_ddl(dialect: str) -> list[str]:
    """Every statement that builds the search indexes on this engine (idempotent), and
    PostgreSQL's PLANNER_STATISTICS."""
    if dialect == "sqlite":
        return [s for table, cols in SEARCHED.items()
                for s in _sqlite(table, cols) + _sqlite_grams(table, cols)]
    if dialect == "postgresql":
        return ["CREATE EXTENSION IF NOT EXISTS pg_trgm", CHINESE_TRIGRAMS, *(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{col}_trgm ON {table} "
            f"USING gin ({col} gin_trgm_ops)"
            for table, cols in SEARCHED.items() for col in cols), PIECES_FUNCTION, *(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{col}_pieces ON {table} "
            f"USING gin ({PIECES}({col}))"
            for table, cols in SEARCHED.items() for col in cols), TAGGED_FUNCTION, *(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{col}_tagged ON {table} "
            f"USING gin ({TAGGED}({SCOPED[table]}, {col}))"
            for table, cols in TAGGED_COLUMNS.items() for col in cols), *PLANNER_STATISTICS]
    return []


def drop_ddl(dialect: str) -> list[str]:
    """What drop_all must remove first (the FTS tables and the pieces' function are not in the
    metadata)."""
    if dialect == "sqlite":
        return [f"DROP TABLE IF EXISTS {name(t)}" for t in SEARCHED for name in (fts, grams)] + [
            f"DROP VIEW IF EXISTS {fts(t)}_src" for t in SCOPED]
    if dialect == "postgresql":  # the functions outlive the tables (their indexes go with them)
        return [f"DROP FUNCTION IF EXISTS {PIECES}(text) CASCADE",
                f"DROP FUNCTION IF EXISTS {TAGGED}(integer, text) CASCADE"]
    return []


def is_search_object(name: str | None) -> bool:
    """An index or table of ours that the models do not declare (for the migration check)."""
    return bool(name) and (name.endswith(("_trgm", "_pieces", "_tagged")) or any(
        name == kind(t) or name.startswith(kind(t) + "_") for t in SEARCHED for kind in (fts, grams)))


@event.listens_for(db.metadata, "after_create")
def _create(_target, connection, **_kw):
    for statement in create_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)


@event.listens_for(db.metadata, "before_drop")
def _drop(_target, connection, **_kw):
    for statement in drop_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)
