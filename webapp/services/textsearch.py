"""Text search over names, phones, addresses and titles with an index on both engines (issue
27 item 3). Same rows as `ILIKE '%text%'` (wildcards the user typed taken literally):
PostgreSQL answers that ILIKE from its pg_trgm GIN indexes for three characters or more; SQLite
from its FTS5 trigram tables. Shorter text (one or two characters) comes from each engine's
index of one- and two-character pieces (models/search.py). `textrank` orders what was found."""
import unicodedata

from sqlalchemy import (Boolean, Integer, Text, func, literal, literal_column, or_, select,
                        table, union_all)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.orm import scoped_session

from ..models.search import KEY_BITS, PIECES, SCOPED, SEARCHED, TAGGED, TAGGED_COLUMNS, fts, grams
from .idlists import id_among

SEARCH_MAX = 40  # characters of a search that count
TRIGRAM = 3
# Hits an id list may carry. A text found more often than this across the whole district
# (修水龙头 in two million titles) is tested on the rows the list walks instead: its own index
# finds a page of them long before it would have read every hit of every community.
FEW = 10_000
# Communities a search reads as rowid ranges of their part of a SCOPED index, one each; a scope
# wider than this (a district's hundred) reads the whole index once instead.
RANGES = 12
# PostgreSQL reads the ids of the rows holding a short text from its pieces' index while there are
# at most this many (the rows the list then reads are found by primary key); a text found more
# often (居民: 500,000) is tested on the rows the list reads, as before the index.
PIECES_FEW = 1_000


def clean(text: str | None) -> str:
    """The search as typed, trimmed and cut to SEARCH_MAX characters."""
    return (text or "").strip()[:SEARCH_MAX]


def like_pattern(text: str) -> str:
    """`%text%` for LIKE with the wildcards the user typed taken literally (escape '\\')."""
    text = clean(text)
    return "%" + escaped(text) + "%"


def escaped(text: str) -> str:
    """`text` for a LIKE pattern with escape '\\': its wildcards and the escape taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _piece(text: str) -> bool:
    """Whether `text` is one word of the pieces' tokenizer: every character a letter, mark,
    number, punctuation, symbol or private-use one (models/search.GRAM_TOKENIZER)."""
    return bool(text) and all(unicodedata.category(ch)[0] in "LMNPS"
                              or unicodedata.category(ch) == "Co" for ch in text)


def indexed(text: str) -> bool:
    """Whether a search for `text` is answered from the indexes: a trigram or more, or one or
    two characters of the pieces' kind."""
    text = clean(text)
    return len(text) >= TRIGRAM or _piece(text)


def _holds(model, column, text):
    """PostgreSQL: the column's pieces hold the short `text` (what its pieces' index answers)."""
    return getattr(func, PIECES)(getattr(model, column), type_=ARRAY(Text)).op(
        "@>", return_type=Boolean)(array([func.lower(literal(text, Text))]))


# Above this estimate a short text is taken as found all over without reading its hits: a
# capped read still collects its whole entry of the index first (12 in 500,000 phones: 4 ms
# spent to learn it is many). A piece in none of the statistics is guessed at 0.5% of the
# table: 10,000 of two million titles, still read.
PIECES_COUNTED = 20_000


def _once(session, key, read):
    """What `read()` returns, read once a transaction under `key` (a list asks for the same
    text more than once, and its reads must agree)."""
    session.connection()  # a transaction begun, so that it is known
    now = (session() if isinstance(session, scoped_session) else session).get_transaction()
    done = session.info.get("search_ids")
    if done is None or done[0] is not now:
        done = session.info["search_ids"] = (now, {})
    if key not in done[1]:
        done[1][key] = read()
    return done[1][key]


def estimated(session, statement) -> float:
    """PostgreSQL: how many rows its planner expects `statement` to give (EXPLAIN, not run)."""
    compiled = statement.compile(dialect=session.get_bind().dialect)
    plan = session.connection().exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar()
    return plan[0]["Plan"]["Plan Rows"]


def _pieces_ids(session, model, columns, text, few=None):
    """PostgreSQL: the ids of the rows holding the short `text`, or None when more than `few`
    (or its planner's estimate from the pieces' statistics says far more). The estimate alone
    cannot say few: a piece in none of its statistics is guessed at 0.5% of a big table. Read
    once a transaction (`_once`)."""
    few = PIECES_FEW if few is None else few

    def read():
        found = None
        # The pieces alone (for one or two characters, lower-cased containment is the ILIKE):
        # beside the ILIKE the planner also read the trigram index, which for two characters
        # offers every row (60 ms for 12 in 500,000 phones).
        hits = select(model.id).where(or_(*(_holds(model, c, text) for c in columns)))
        if estimated(session, hits) <= PIECES_COUNTED:
            # At 0.5% of two million the planner sends workers for a read of a few rows (5 ms
            # to start them); the setting is back to the server's for the rest of the request.
            session.execute(sql_text("SET LOCAL max_parallel_workers_per_gather = 0"))
            found = session.scalars(hits.limit(few + 1)).all()
            session.execute(sql_text("SET LOCAL max_parallel_workers_per_gather TO DEFAULT"))
        return found if found is not None and len(found) <= few else None
    return _once(session, ("pieces", model.__tablename__, columns, text, few), read)


# PostgreSQL reads the ids of the rows of a few communities holding a text from its tagged
# trigrams (models/search.TAGGED) while there are at most this many: found more often (修水龙头12,
# 1,100 of a community's titles), the list's walk in its own order fills a page sooner.
TAGGED_FEW = 50


def tagged(session, model, columns, text, communities) -> bool:
    """Whether PostgreSQL reads `text`'s hits among `communities` from its tagged trigrams:
    three characters or more (none splitting its trigrams: chr(1)), in columns that have them,
    of one to RANGES known communities."""
    return (session.get_bind().dialect.name == "postgresql" and len(text) >= TRIGRAM
            and bool(communities) and len(communities) <= RANGES and "\x01" not in text
            and set(columns) <= set(TAGGED_COLUMNS.get(model.__tablename__, ())))


def tagged_hits(session, model, columns, text, communities, chosen=None):
    """PostgreSQL: a SELECT of the ids of the rows of `communities` whose `columns` hold
    `text`, found by their tagged trigrams (where `tagged` says so); `chosen`: {community: some
    of the text's tags} to ask instead of them all (services/tagstats.rarest)."""
    scope = getattr(model, SCOPED[model.__tablename__])
    tags = getattr(func, TAGGED)
    # The text's own tags come from the same function (its planner computes them once, before
    # it plans), so the text is lower-cased as the rows were, whatever the database's ctype.
    has = [tags(scope, getattr(model, c), type_=ARRAY(Text)).op("@>", return_type=Boolean)(
        literal(chosen[one], ARRAY(Text)) if chosen else
        tags(literal(one, Integer), literal(text, Text), type_=ARRAY(Text)))
        for one in sorted(communities) for c in columns]
    # Each hit is then tested by its value (`|| ''`): offered the column, the planner could take
    # the district's trigram index instead, which is what the tags are for avoiding.
    value = [getattr(model, c).op("||", return_type=Text)(literal_column("''")) for c in columns]
    return select(model.id).where(or_(*has), or_(*(contains(session, v, text) for v in value)))


def _tagged_ids(session, model, columns, text, communities):
    """PostgreSQL: the ids `tagged_hits` finds, or None when more than TAGGED_FEW; read once a
    transaction (`_once`)."""
    def read():
        found = session.scalars(tagged_hits(session, model, columns, text, communities)
                                .limit(TAGGED_FEW + 1)).all()
        return found if len(found) <= TAGGED_FEW else None
    key = ("tagged", model.__tablename__, columns, text, frozenset(communities))
    return _once(session, key, read)


def postgres_pieces(session, text) -> bool:
    """Whether PostgreSQL answers `text` from its pieces' index: short text of their kind."""
    text = clean(text)
    return (session.get_bind().dialect.name == "postgresql" and len(text) < TRIGRAM
            and _piece(text))


def hits_first(session, text: str) -> bool:
    """Whether a list should collect the ids of the hits before it walks its rows: on SQLite,
    whose FTS5 tables give those ids at once. PostgreSQL's planner weighs its trigram indexes
    against the list's ordered walk by itself (given a UNION of hits, it scanned the table)."""
    return session.get_bind().dialect.name == "sqlite" and indexed(text)


def _phrase(text: str) -> str:
    """An FTS5 query for `text` as one phrase: with the trigram tokenizer, a substring."""
    return '"' + text.replace('"', '""') + '"'


def _fts_ids(model, columns, text, communities=None):
    """The ids of `model`'s rows whose `columns` hold `text`, from an FTS table; for a SCOPED
    table and a known list of `communities`, from those communities' rowid ranges only."""
    name = model.__tablename__
    t = fts(name) if len(text) >= TRIGRAM else grams(name)  # a short text: one piece's word
    scope = "{" + " ".join(columns) + "} : " if len(columns) < len(SEARCHED[name]) else ""
    rowid = literal_column("rowid")
    match = literal_column(t).op("MATCH")(literal(scope + _phrase(text)))
    if name not in SCOPED:
        return select(rowid).select_from(table(t)).where(match)
    ids = select(rowid.op("&")((1 << KEY_BITS) - 1).label("id")).select_from(table(t))
    if communities is None or len(communities) > RANGES:
        return ids.where(match)
    parts = [ids.where(match, rowid.between(c << KEY_BITS, ((c + 1) << KEY_BITS) - 1))
             for c in sorted(communities)] or [ids.where(match, rowid < 0)]  # none: no rows
    if len(parts) == 1:
        return parts[0]
    both = union_all(*parts).subquery()  # a plain SELECT, so it can join another UNION
    return select(both.c.id)


def few_hits(session, model, columns: tuple[str, ...], text: str, communities=None,
             few: int | None = None) -> bool:
    """Whether the index finds at most `few` (default FEW) rows for `text` (SQLite: one capped
    read of its FTS table, of `communities`' part for a SCOPED table); False: call
    `matches(..., walk=True)`. PostgreSQL: for short text, whether its pieces' index holds at
    most `few` and PIECES_FEW; within known communities, whether their `tagged` trigrams hold
    at most `few` and TAGGED_FEW; else True (its planner weighs the trigram index against the
    list's walk)."""
    text = clean(text)
    few = FEW if few is None else few
    if postgres_pieces(session, text):
        return _pieces_ids(session, model, columns, text, min(few, PIECES_FEW)) is not None
    if tagged(session, model, columns, text, communities):
        ids = _tagged_ids(session, model, columns, text, communities)
        return ids is not None and len(ids) <= few
    n = hits_counted(session, model, columns, text, communities, few)
    return n is None or n <= few


def hits_counted(session, model, columns: tuple[str, ...], text: str, communities=None,
                 few: int | None = None) -> int | None:
    """SQLite: how many rows its FTS table finds for `text` (of `communities`' part for a SCOPED
    table), counted up to `few` (default FEW) + 1; None where no count is read (PostgreSQL,
    or text the indexes do not answer)."""
    text = clean(text)
    few = FEW if few is None else few
    if session.get_bind().dialect.name != "sqlite" or not indexed(text):
        return None
    found = _fts_ids(model, columns, text, communities).limit(few + 1).subquery()
    return session.scalar(select(func.count()).select_from(found))


def matches(session, model, columns: tuple[str, ...], text: str, walk: bool = False,
            communities=None):
    """A condition: the row's `columns` contain `text` (case-insensitive for Latin letters).
    `walk`: tested on each row the statement reads (after `few_hits` said False).
    `communities`: every community the statement's rows can be in (None: any), so that a
    SCOPED index reads only their part; rows of other communities may then be missed."""
    text = clean(text)
    name = model.__tablename__
    assert set(columns) <= set(SEARCHED[name]), "a column without a search index"
    if session.get_bind().dialect.name == "sqlite" and indexed(text) and not walk:
        return model.id.in_(_fts_ids(model, columns, text, communities))
    if not walk and postgres_pieces(session, text):
        ids = _pieces_ids(session, model, columns, text)
        if ids is not None:
            return id_among(model.id, ids)
    if not walk and tagged(session, model, columns, text, communities):
        ids = _tagged_ids(session, model, columns, text, communities)
        if ids is not None:
            return id_among(model.id, ids)
    return or_(*(contains(session, getattr(model, c), text) for c in columns))


def contains(session, column, text: str):
    """`column ILIKE '%text%'` (the wildcards typed taken literally). SQLite's own LIKE folds the
    case of ASCII letters, and only those, just as its lower() does: `lower(x) LIKE lower(y)`
    computed lower() on every row it tested (5,000 names: 1.1 ms against 0.5). PostgreSQL's
    ILIKE folds both sides of every row it tests (5,000 names: 1.8 ms against LIKE's 0.5): for
    a text with no letter that has a case (Chinese, digits) the two find the same rows."""
    like = like_pattern(text)
    if session.get_bind().dialect.name == "sqlite" or uncased(text):
        return column.like(like, escape="\\")
    return column.ilike(like, escape="\\")


def uncased(text: str) -> bool:
    """Whether no character of `text` has another case (一, 1, ，: yes; a, É: no)."""
    return text.lower() == text == text.upper()


def hit_ids(session, model, columns: tuple[str, ...], text: str, communities=None):
    """A SELECT of the ids of `model`'s rows that `matches`: straight from the FTS table where
    that answers (no lookup of each hit's row just to give back its id); of `communities`
    only, for a SCOPED table."""
    text = clean(text)
    if session.get_bind().dialect.name == "sqlite" and indexed(text):
        return _fts_ids(model, columns, text, communities)
    found = select(model.id).where(matches(session, model, columns, text,
                                           communities=communities))
    if communities is not None and model.__tablename__ in SCOPED:  # as SQLite's parts do
        found = found.where(getattr(model, SCOPED[model.__tablename__]).in_(communities))
    return found
