"""Full checks of the ledger's chains: asked for by an admin, run by the job, kept for the page."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from tests.emptyutil import street_with_a_member
from tests.shoputil import earn
from webapp.extensions import db as _db
from webapp.models import LedgerCheck, Notification, utcnow
from webapp.services.errors import Forbidden
from webapp.services.ledger import chain, checks

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
DAY = timedelta(hours=24)


def test_an_admin_asks_once_and_a_second_press_keeps_the_first(db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    assert checks.request_check(db, world.admin, world.ca.id, T0)
    assert not checks.request_check(db, world.admin, world.ca.id, T0 + timedelta(minutes=1))
    row = db.get(LedgerCheck, world.ca.id)
    assert (row.requested_at, row.requested_by_id, row.checked_at) == (T0, world.admin.id, None)
    assert checks.last(db, world.ca.id)["pending"]


@pytest.mark.parametrize("who", ["admin_b", "member", "street_admin", "grid_worker"])
def test_only_the_communitys_own_admin_may_ask(db, world, who):
    with pytest.raises(Forbidden):
        checks.request_check(db, getattr(world, who), world.ca.id, T0)
    assert db.get(LedgerCheck, world.ca.id) is None


def test_due_takes_chains_never_checked_asked_for_or_older_than_a_day(db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)  # world.ca has a chain; world.cb has none
    assert checks.due(db, T0, DAY, 10) == [world.ca.id]  # never checked
    assert checks.run_due(db, T0, DAY, 10) == 1
    assert checks.due(db, T0 + timedelta(hours=23), DAY, 10) == []
    assert checks.due(db, T0 + timedelta(hours=25), DAY, 10) == [world.ca.id]
    checks.request_check(db, world.admin, world.ca.id, T0 + timedelta(hours=1))
    assert checks.due(db, T0 + timedelta(hours=1), DAY, 10) == [world.ca.id]  # asked for
    assert checks.run_due(db, T0 + timedelta(hours=1), DAY, 10) == 1
    assert checks.due(db, T0 + timedelta(hours=2), DAY, 10) == []
    assert not checks.last(db, world.ca.id)["pending"]


def test_a_request_made_while_a_check_runs_is_served_by_the_next(db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    checks.run_due(db, T0, DAY, 10)  # this check began at T0 ...
    checks.request_check(db, world.admin, world.ca.id, T0 - timedelta(seconds=1))
    assert checks.due(db, T0, DAY, 10) == []  # ... after a request made before it began
    checks.request_check(db, world.admin, world.ca.id, T0 + timedelta(seconds=1))
    assert checks.due(db, T0 + timedelta(seconds=2), DAY, 10) == [world.ca.id]


@pytest.mark.tampers_ledger
def test_the_job_finds_a_change_outside_the_pages_window(db, world, make_wish, monkeypatch):
    monkeypatch.setattr(chain, "QUICK_CHECK", 1)
    for _ in range(3):
        make_wish("closed", estimated_hours=1.5)
    db.execute(text("UPDATE ledger_entries SET hours = 7 WHERE seq = 1"))
    db.commit()
    checks.run_due(db, T0, DAY, 10)
    last = checks.last(db, world.ca.id)
    assert (last["ok"], last["entries"], last["checked_at"]) == (False, 3, T0)
    assert last["broken"]["seq"] == 1 and "哈希" in last["broken"]["problem"]
    assert chain.chain_state(db, world.ca.id)["ok"]  # the page's own window misses it
    (told,) = db.scalars(select(Notification).where(
        Notification.event == "ledger_chain_broken")).all()  # the admin hears, with where
    assert (told.user_id, told.url) == (world.admin.id, f"/ledger/?community={world.ca.id}")
    assert "第 1 条" in told.body
    checks.run_due(db, T0 + 2 * DAY, DAY, 10)  # the next day's check finds the same break
    assert db.scalar(select(func.count(Notification.id)).where(
        Notification.event == "ledger_chain_broken")) == 1  # told once, not every day


def test_presses_at_once_make_one_request_without_an_error(app, db, world, make_wish):
    """Four presses at the same moment (two admins' phones, a double tap): one request, no
    clash on the new row (SQLite's write lock, PostgreSQL's ON CONFLICT and row lock)."""
    make_wish("closed", estimated_hours=1.5)
    admin_id, cid = world.admin.id, world.ca.id
    db.remove()
    answers, errors, start = [], [], threading.Barrier(4)

    def press():
        with app.app_context():
            s = _db.session
            try:
                actor = s.get(type(world.admin), admin_id)
                start.wait()
                answers.append(checks.request_check(s, actor, cid, T0))
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
            finally:
                s.remove()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(answers) == [False, False, False, True]
    assert checks.last(db, cid)["pending"]


def test_a_street_from_an_empty_database_has_its_chain_checked(db):
    """flask setup's service, a community and its admin, two ledger lines: the admin asks, the
    job checks the new community's chain and keeps the result (no demo, no fixture world)."""
    new = street_with_a_member(db)
    community, admin, member = new.community, new.admin, new.member
    assert checks.check_due(db, utcnow()) == 0  # no chain yet: nothing to check
    for _ in range(2):
        earn(db, community, member, 2, when=utcnow())
    assert checks.request_check(db, admin, community.id)
    assert checks.check_due(db, utcnow()) == 1
    last = checks.last(db, community.id)
    assert (last["ok"], last["entries"], last["pending"]) == (True, 2, False)
