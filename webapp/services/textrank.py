"""The order of what a text search found (issue 27 item 3): the exact match first, then those
starting with the text, then the rest; `rank_tiers` gives the three as conditions, so a list
reads a page a rank at a time in an index's order instead of ranking every match."""
from sqlalchemy import and_, case
from sqlalchemy import text as sql_text

from .textsearch import clean, escaped


def _starts(column, text: str):
    return column.like(escaped(text) + "%", escape="\\")


def rank(column, text: str):
    """An ORDER BY term: the exact match first, then those starting with the text, then the rest."""
    text = clean(text)
    return case((column == text, 0), (_starts(column, text), 1), else_=2)


def rank_tiers(session, column, text: str) -> tuple:
    """The conditions `rank(column, text) == 0, 1, 2`, each to be read in `column`'s index
    order a page at a time: the exact match; those starting with the text (also as a range of
    the index where that is the same rows: `_one_range`); the rest."""
    text = clean(text)
    starts = [column != text, _starts(column, text)]
    # (no range past the last character of all, nor into the surrogates, which UTF-8 refuses)
    if text and ord(text[-1]) not in (0xD7FF, 0x10FFFF) and _one_range(session, text):
        starts += [column >= text, column < text[:-1] + chr(ord(text[-1]) + 1)]
    return column == text, and_(*starts), rank(column, text) == 2


_CODE_POINT_ORDER: dict[str, bool] = {}


def _one_range(session, text: str) -> bool:
    """Whether the text's prefix LIKE finds one range of an index of the column. SQLite: text
    is ordered by code point, and its LIKE folds ASCII letters only, so a text without them.
    PostgreSQL: its LIKE is case-sensitive, so any text where the database orders by code point
    (its C collations: the tests' cluster; a language's ordering is not one range); asked once."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        return not any(c.isascii() and c.isalpha() for c in text)
    key = str(bind.url)
    if key not in _CODE_POINT_ORDER:
        collate, provider = session.execute(sql_text(
            "SELECT datcollate, to_jsonb(d) ->> 'datlocprovider' FROM pg_database d "
            "WHERE datname = current_database()")).one()
        _CODE_POINT_ORDER[key] = (provider in (None, "c")
                                  and collate in ("C", "POSIX", "C.UTF-8", "C.utf8"))
    return _CODE_POINT_ORDER[key]
