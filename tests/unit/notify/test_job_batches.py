"""Jobs at district scale (issue 27 item 5): each job works in batches, one write transaction
per batch, so none holds SQLite's write lock for a whole run; the outcome is the same."""
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from webapp.models import Reminder, Wish, WishEvent, utcnow
from webapp.services.notify import followup
from webapp.services.platform import batches


@pytest.fixture
def transactions(db, monkeypatch):
    """Batches of two; for each committed transaction, the wishes whose timeline it wrote."""
    monkeypatch.setattr(batches, "BATCH", 2)
    seen, current = [], set()

    def flushed(session, _ctx, _instances):
        current.update(o.wish_id for o in session.new if isinstance(o, WishEvent))

    def committed(_session):
        if current:
            seen.append(set(current))
            current.clear()
    real = db()
    event.listen(real, "before_flush", flushed)
    event.listen(real, "after_commit", committed)
    yield seen
    event.remove(real, "before_flush", flushed)
    event.remove(real, "after_commit", committed)


def test_escalation_of_many_wishes_goes_in_batches(db, make_wish, transactions):
    wishes = [make_wish(title=f"心愿{i}") for i in range(5)]
    transactions.clear()
    later = utcnow() + timedelta(days=30)
    assert followup.escalate(db, later) == 10  # two levels each
    assert max(len(t) for t in transactions) <= 2 and len(transactions) >= 3
    assert sum(len(t) for t in transactions) == 5  # each wish escalated in one transaction
    assert set().union(*transactions) == {w.id for w in wishes}
    assert db.scalar(select(func.min(Wish.escalation_level))) == 2
    assert followup.escalate(db, later) == 0  # a second run finds its marks


def test_the_digest_and_confirmation_nags_commit_per_batch(db, world, make_wish, monkeypatch):
    monkeypatch.setattr(batches, "BATCH", 2)
    commits = []
    event.listen(db(), "after_commit", lambda _s: commits.append(1))
    for i in range(5):
        make_wish(status="done", title=f"心愿{i}")
    commits.clear()
    later = utcnow() + timedelta(days=60)
    assert followup.confirm_overdue(db, later) == 5
    assert len(commits) >= 3  # five wishes, two a transaction
    assert db.scalar(select(func.count(Reminder.id)).where(Reminder.kind == "confirm")) == 5
    assert followup.confirm_overdue(db, later) == 0


def test_batches_are_sized_from_the_time_a_row_takes(db, monkeypatch):
    sizes = []
    monkeypatch.setattr(batches, "FIRST", 1)
    monkeypatch.setattr(batches, "BATCH", 4)
    monkeypatch.setattr(batches, "TARGET_S", 1e3)  # rows "cheap": doubling up to the cap
    assert batches.each_batch(db, range(12), lambda b: sizes.append(len(b)) or len(b)) == 12
    assert sizes == [1, 2, 4, 4, 1]  # never more than twice the last: a cheap start is no proof
    sizes.clear()
    monkeypatch.setattr(batches, "TARGET_S", 1e-9)  # rows "too slow": one per transaction
    batches.each_batch(db, range(5), lambda b: sizes.append(len(b)))
    assert sizes == [1, 1, 1, 1, 1]


def test_between_batches_the_write_lock_is_left_free_for_a_waiting_writer(db, monkeypatch):
    """On SQLite each gap between two batches finds the lock free (another connection takes it
    at once, as a waiting web request would); none after the last batch; none on PostgreSQL,
    whose writes take row locks."""
    import sqlite3
    sqlite = db.get_bind().dialect.name == "sqlite"
    gaps, taken = [], []

    def gap(seconds):
        gaps.append(seconds)
        if sqlite:
            other = sqlite3.connect(db.get_bind().url.database, timeout=0, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if the job held it
            taken.append(True)
            other.execute("ROLLBACK")
            other.close()
    monkeypatch.setattr(batches.time, "sleep", gap)
    done = batches.each_batch(db, [1, 2, 3], lambda chunk: len(chunk), size=1)
    assert done == 3
    if sqlite:
        assert gaps == [batches.GAP_S] * 2 and taken == [True, True]
    else:
        assert gaps == []
