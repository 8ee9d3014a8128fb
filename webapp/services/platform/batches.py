"""Jobs work in batches (issue 27 item 5): each batch is its own write transaction, so a run over
a whole district never holds SQLite's write lock (one writer at a time) for more than a batch's
worth of work, and the web's writes get their turn between batches."""
from ...db import begin_write

BATCH = 50  # rows per write transaction: ~1-2 ms each on SQLite, so well under 100 ms


def chunks(items: list, size: int | None = None):
    """`items` in consecutive slices of at most `size` (BATCH by default)."""
    size = size or BATCH
    for i in range(0, len(items), size):
        yield items[i:i + size]


def each_batch(session, items, work, size: int | None = None) -> int:
    """work(batch) for each batch of `items` in its own write transaction (taken first, committed
    after); the sum of what work returned. The reading that found `items` is ended first, so no
    lock is held between batches; work re-checks its rows under the lock."""
    session.commit()
    total = 0
    for batch in chunks(list(items), size):
        begin_write(session)
        try:
            total += work(batch) or 0
        except BaseException:
            session.rollback()
            raise
        session.commit()
    return total
