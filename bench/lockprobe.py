"""What a web request's write would wait for while a job runs on SQLite (issue 27 item 5).

A second process opens the same database file, as a web worker does, and takes SQLite's write
lock (BEGIN IMMEDIATE … ROLLBACK) every few milliseconds until told to stop; each attempt's
wait is recorded. Unlike the job's own "longest write transaction", this counts only the time
the lock was really held against another writer: a WAL checkpoint that the job's connection
runs after its commit (which does not block writers) is not in it. A separate process, so the
job's Python (the GIL) does not delay the probe.
"""
import multiprocessing as mp
import sqlite3
import statistics
import time

PACE_S = 0.005  # one attempt every 5 ms: a busy web worker's writes, not a flood


def _probe(path: str, ready, stop, out) -> None:
    from webapp.db import POLL_S
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=0")
    waits = []
    ready.set()
    while not stop.is_set():
        t = time.perf_counter()
        while True:  # as the web's engine takes the lock (webapp/db.py begin_immediate)
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError:
                time.sleep(POLL_S)
        waits.append(time.perf_counter() - t)
        conn.execute("ROLLBACK")
        time.sleep(PACE_S)
    conn.close()
    out.put(waits)


class LockProbe:
    """`with LockProbe(path) as probe: run_job()`, then `probe.summary()`."""

    def __init__(self, path: str):
        # fork: the child only opens its own connection (nothing inherited is used), and starts
        # at once; a spawned one re-imported the whole bench first
        ctx = mp.get_context("fork")
        self._ready, self._stop, self._out = ctx.Event(), ctx.Event(), ctx.Queue()
        self._proc = ctx.Process(target=_probe, args=(path, self._ready, self._stop, self._out),
                                 daemon=True)
        self.waits: list[float] = []

    def __enter__(self):
        self._proc.start()
        if not self._ready.wait(timeout=60):
            raise RuntimeError("the lock probe did not start")
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self.waits = self._out.get(timeout=120)
        self._proc.join(timeout=30)
        return False

    def summary(self) -> str:
        """'N attempts; longest wait X ms; p99 Y ms' for the probe's writes."""
        if not self.waits:
            return "no attempts"
        ms = sorted(w * 1000 for w in self.waits)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        return (f"{len(ms)} writes tried; longest wait {ms[-1]:.0f} ms; p99 {p99:.1f} ms; "
                f"median {statistics.median(ms):.2f} ms")
