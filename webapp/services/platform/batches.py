"""Jobs work in batches (issue 27 item 5): each batch is its own write transaction, so a run over
a whole district never holds SQLite's write lock (one writer at a time) for long, and the web's
writes get their turn between batches. Batch sizes adapt to the time a row takes: an escalation
(notification and outbox rows for every grid worker) cost ~23 ms on the loaded bench machine, so
a fixed fifty held the lock 2.5 s; the size now aims at TARGET_S per transaction."""
import time

from ...db import begin_write

BATCH = 50  # at most this many rows per write transaction
FIRST = 4  # the first batch, before the time a row takes is known
TARGET_S = 0.05  # aim: half the 100 ms a write transaction may hold SQLite's lock
# Between two batches on SQLite, the lock is left free this long: a web request waiting to write
# (it tries every millisecond, db.begin_immediate) takes it, instead of waiting out the whole run.
GAP_S = 0.002


def chunks(items: list, size: int | None = None):
    """`items` in consecutive slices of at most `size` (BATCH by default)."""
    size = size or BATCH
    for i in range(0, len(items), size):
        yield items[i:i + size]


def each_batch(session, items, work, size: int | None = None) -> int:
    """work(batch) for each batch of `items` in its own write transaction (taken first, committed
    after); the sum of what work returned. The reading that found `items` is ended first, so no
    lock is held between batches; work re-checks its rows under the lock. Without `size`, each
    batch is sized from the last one's time per row to take about TARGET_S, growing at most
    twofold from one batch to the next."""
    session.commit()
    gap = GAP_S if session.get_bind().dialect.name == "sqlite" else 0
    items, total, i = list(items), 0, 0
    cap = size or BATCH
    n = min(FIRST, cap) if size is None else cap
    while i < len(items):
        batch = items[i:i + n]
        t = time.perf_counter()
        begin_write(session)
        try:
            total += work(batch) or 0
        except BaseException:
            session.rollback()
            raise
        session.commit()
        i += len(batch)
        if gap and i < len(items):
            time.sleep(gap)  # pacing for waiting writers, not a wait for anything
        if size is None:
            # At most twice the last batch: rows cheap at first (a digest's quiet communities)
            # must not send the next batch straight to the cap (the bench saw 164 ms at 50).
            per_row = max((time.perf_counter() - t) / len(batch), 1e-6)
            n = max(1, min(cap, 2 * len(batch), int(TARGET_S / per_row)))
    return total
