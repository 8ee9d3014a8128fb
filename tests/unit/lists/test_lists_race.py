"""Simultaneous bookings and session sign-ups: exactly `capacity` of 20 succeed."""
import threading

import pytest
from sqlalchemy import func, select

from tests.listsutil import NOW, SAT, make_resource, signed_project
from webapp.extensions import db as _db
from webapp.models import Booking, ProjectSession, SessionSignup, SlotUse, User
from webapp.schemas.lists import BookingInput
from webapp.services.errors import Conflict
from webapp.services.lists import bookings
from webapp.services.lists import project_sessions as ps


def _race(app, user_ids, call):
    """Each thread: its own app context and session, all released by one barrier."""
    barrier = threading.Barrier(len(user_ids), timeout=30)
    won, lost = [], []

    def worker(uid):
        with app.app_context():
            barrier.wait()
            try:
                call(_db.session, _db.session.get(User, uid))
                won.append(uid)
            except Conflict as exc:
                lost.append(exc.code)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(u,)) for u in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won, lost


def _residents(world, make_user, n):
    return [make_user(f"居民{i}", None, world.ba1, [("resident", world.ba1, None)]).id
            for i in range(n)]


@pytest.mark.parametrize("capacity", [1, 3])
def test_twenty_simultaneous_bookings_get_exactly_capacity(app, db, world, make_user, capacity):
    r = make_resource(db, world, capacity=capacity)
    users = _residents(world, make_user, 20)
    data = BookingInput.model_validate({"date": SAT.isoformat(), "start": "09:00"})
    won, lost = _race(app, users, lambda s, u: bookings.book(s, u, r.id, data, now=NOW))
    assert len(won) == capacity and set(lost) == {"full"}
    db.rollback()
    assert db.scalar(select(SlotUse.taken)) == capacity
    assert sorted(db.scalars(select(Booking.user_id))) == sorted(won)


def test_one_person_twenty_times_gets_one_booking(app, db, world):
    r = make_resource(db, world, capacity=5)
    data = BookingInput.model_validate({"date": SAT.isoformat(), "start": "09:00"})
    won, lost = _race(app, [world.resident.id] * 20,
                      lambda s, u: bookings.book(s, u, r.id, data, now=NOW))
    assert len(won) == 1 and set(lost) == {"already_booked"}
    db.rollback()
    assert db.scalar(select(SlotUse.taken)) == 1


@pytest.mark.parametrize("capacity", [1, 3])
def test_twenty_simultaneous_signups_get_exactly_capacity(app, db, world, make_user, capacity):
    p = signed_project(db, world, session_capacity=capacity)
    sid = ps.of_project(db, p)[0].id
    users = _residents(world, make_user, 20)
    won, lost = _race(app, users, lambda s, u: ps.signup(s, u, sid, "attendee", now=NOW))
    assert len(won) == capacity and set(lost) == {"full"}
    db.rollback()
    assert db.get(ProjectSession, sid).taken == capacity
    assert db.scalar(select(func.count()).select_from(SessionSignup)) == capacity
