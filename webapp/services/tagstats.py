"""PostgreSQL: how often each tagged trigram occurs (models/search.TAGGED), from the planner's
own statistics of the tagged indexes. A search then knows, before it reads anything, about how
many rows its rarest tag is in, and asks the index for its rarest tags alone (issue 27: the
tagged index built the whole entry of 修水龙头12's four tags, 4.4 ms, where its rarest took 1.1)."""
import threading
import time

from sqlalchemy import text as sql_text

from .textsearch import TRIGRAM, uncased

# Seconds a process keeps an index's statistics (autovacuum's ANALYZE renews them seldom more).
STATS_TTL = 600.0
# Tags asked of the index per community: the rarest two, where the second is about as rare (one
# more rarely narrows much further, and a tag the statistics misjudge is then not alone).
ASKED = 2

_lock = threading.Lock()
_kept: dict = {}  # (database, index) -> (read at, {tag: share of rows}, floor, rows)


def tags_of(community: int, text: str) -> list[str] | None:
    """The tags `wg_tagged(community, text)` gives, where no case folding can change the text
    (Chinese, digits, punctuation); None otherwise, as the database's lower() decides those."""
    if not uncased(text) or any(ord(ch) < 32 for ch in text) or len(text) < TRIGRAM:
        return None
    return _trigrams(community, text)


def _trigrams(community: int, text: str) -> list[str]:
    return sorted({f"{community}:{text[i:i + TRIGRAM]}" for i in range(len(text) - TRIGRAM + 1)})


def _stats(session, index: str):
    """({tag: share}, floor, rows) of `index`: its most common elements, the share below which
    none is listed, and its row count (all 0 before the first ANALYZE)."""
    key, now = (str(session.get_bind().url), index), time.monotonic()
    with _lock:
        got = _kept.get(key)
    if got is None or now - got[0] > STATS_TTL:
        row = session.execute(sql_text(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = c.relname WHERE c.relname = :index"), {"index": index}).first()
        elems, freqs, rows = row if row is not None else (None, None, 0)
        shares = dict(zip(elems, freqs)) if elems else {}
        # After the elements' shares come the lowest and highest of them (and the nulls').
        floor = freqs[len(elems)] if elems and len(freqs) > len(elems) else 0.0
        got = (now, shares, floor, max(rows or 0, 0))
        with _lock:
            _kept[key] = got
    return got[1:]


def rarest(session, model, column: str, communities, text: str):
    """({community: its rarest ASKED tags of `text`} or None where `tags_of` gives none, and
    the rows the statistics expect the rarest tag of each community to be in, summed). A tag
    no statistic lists is counted at the floor: it is in fewer rows than that, or about."""
    shares, floor, rows = _stats(session, f"ix_{model.__tablename__}_{column}_tagged")
    chosen, expected = {}, 0.0
    for one in sorted(communities):
        tags = _trigrams(one, text.lower())  # as the database would fold it, about
        ranked = sorted(tags, key=lambda t: (shares.get(t, floor), t))
        least = shares.get(ranked[0], floor) if ranked else 0.0
        # A tag listed as several times commoner narrows little and costs its whole entry.
        chosen[one] = [t for t in ranked[:ASKED] if shares.get(t, floor) <= 2 * least]
        expected += least * rows
    return (chosen if tags_of(0, text) is not None else None), expected


def forget() -> None:
    """Drop every kept statistic (tests that ANALYZE a table they just filled)."""
    with _lock:
        _kept.clear()
