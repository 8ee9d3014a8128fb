"""Resources and bookings: the booking state machine, caps, pauses, cut-offs, privacy."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.listsutil import NOW, SAT, after, at_local, book, make_resource, resource_input
from webapp.models import Booking, BookingEvent, Disclosure, Notification, SlotUse
from webapp.schemas.lists import ResourceInput
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.lists import bookings, resources, states


def _taken(db, b):
    db.expire_all()
    return db.get(SlotUse, b.use_id).taken


def test_only_the_unit_or_community_admin_lists_resources(db, world):
    for who in (world.resident, world.member, world.grid_worker, world.admin_b):
        with pytest.raises(Forbidden):
            resources.create(db, who, resource_input(world), now=NOW)
    r = make_resource(db, world)
    assert r.unit_id == world.unit.id and [s.capacity for s in r.slots] == [2]
    own = resources.create(db, world.admin, resource_input(world, unit_id=None, kind="venue",
                                                           name="社区活动室"), now=NOW)
    assert own.unit_id is None


def test_bad_slots_are_refused_before_anything_is_written(db, world):
    with pytest.raises(Exception):
        ResourceInput.model_validate({**resource_input(world).model_dump(), "slots": [
            {"weekday": 8, "start": "09:00", "end": "10:00"}]})
    dup = resource_input(world, slots=[{"weekday": 6, "start": "09:00", "end": "10:00"},
                                       {"weekday": 6, "start": "09:00", "end": "11:00"}])
    with pytest.raises(Invalid) as e:
        resources.create(db, world.unit_admin, dup, now=NOW)
    assert "slots" in e.value.fields
    assert db.scalar(select(func.count()).select_from(resources.Resource)) == 0


def test_booking_lifecycle_needs_approval_then_attended_and_rated(db, world):
    r = make_resource(db, world)
    b = book(db, world.resident, r)
    assert b.status == "pending" and _taken(db, b) == 1
    assert db.scalar(select(Notification.event).where(
        Notification.user_id == world.unit_admin.id)) == "booking_requested"
    with pytest.raises(Forbidden):
        bookings.decide(db, world.admin_b, b.id, "confirm", now=NOW)
    bookings.decide(db, world.unit_admin, b.id, "confirm", now=NOW)
    assert b.status == "confirmed"
    with pytest.raises(Conflict):  # not before the slot
        bookings.mark(db, world.unit_admin, b.id, "attend", now=NOW)
    bookings.mark(db, world.unit_admin, b.id, "attend", now=after(b.starts_at))
    assert b.status == "attended"
    bookings.rate(db, world.resident, b.id, 5, "方便", now=after(b.ends_at))
    with pytest.raises(Conflict):
        bookings.rate(db, world.resident, b.id, 4)
    actions = db.scalars(select(BookingEvent.action).where(BookingEvent.booking_id == b.id)
                         .order_by(BookingEvent.id)).all()
    assert actions == ["book", "confirm", "attend", "rate"]


@pytest.mark.parametrize("action,froms", [(a, f) for a, (f, _t) in states.BOOKING.items()])
def test_booking_table_refuses_every_other_state(db, world, action, froms):
    for status in ("pending", "confirmed", "declined", "cancelled", "attended", "no_show"):
        assert states.allowed(Booking, action, status) == (status in froms)


def test_auto_bookings_confirm_at_once_and_decline_needs_a_reason(db, world):
    auto = make_resource(db, world, needs_approval=False)
    assert book(db, world.resident, auto).status == "confirmed"
    r = make_resource(db, world, name="会议室", kind="venue")
    b = book(db, world.resident2, r)
    with pytest.raises(Invalid):
        bookings.decide(db, world.unit_admin, b.id, "decline", "  ", now=NOW)
    assert b.status == "pending"
    bookings.decide(db, world.unit_admin, b.id, "decline", "当天有检查", now=NOW)
    assert (b.status, b.reason, _taken(db, b)) == ("declined", "当天有检查", 0)
    with pytest.raises(Conflict) as e:
        bookings.decide(db, world.unit_admin, b.id, "confirm", now=NOW)
    assert e.value.code == "illegal_transition"


def test_full_closed_past_and_foreign_residents_are_refused(db, world):
    r = make_resource(db, world, capacity=1)
    book(db, world.resident, r)
    with pytest.raises(Conflict) as e:
        book(db, world.resident2, r)
    assert e.value.code == "full"
    with pytest.raises(Conflict) as e:
        book(db, world.resident2, r, start="10:00")  # no such slot
    assert e.value.code == "closed"
    resources.close_day(db, world.unit_admin, r.id, SAT + timedelta(days=7), "院内活动")
    with pytest.raises(Conflict) as e:
        book(db, world.resident2, r, day=SAT + timedelta(days=7))
    assert e.value.code == "closed"
    with pytest.raises(Conflict) as e:
        book(db, world.resident2, r, now=after(at_local(SAT, "09:00")))
    assert e.value.code == "past"
    with pytest.raises(Forbidden):  # 城东 resident, not opened to 城东
        book(db, world.resident_b, r)
    opened = make_resource(db, world, name="开放车位", open_to=[world.cb.id])
    assert book(db, world.resident_b, opened).status == "pending"


def test_open_bookings_are_capped_by_the_community_setting(db, world):
    world.ca.settings = {"max_open_bookings": 2}
    db.commit()
    r = make_resource(db, world, capacity=5)
    book(db, world.resident, r)
    book(db, world.resident, r, day=SAT + timedelta(days=7))
    with pytest.raises(Conflict) as e:
        book(db, world.resident, r, day=SAT + timedelta(days=14))
    assert e.value.code == "over_cap"
    with pytest.raises(Conflict) as e:  # the same slot twice
        book(db, world.resident2, r) and book(db, world.resident2, r)
    assert e.value.code == "already_booked"


def test_repeated_no_shows_pause_booking(db, world):
    world.ca.settings = {"no_show_pause_after": 2, "max_open_bookings": 9}
    db.commit()
    r = make_resource(db, world, capacity=5, needs_approval=False)
    for weeks in (0, 1):
        b = book(db, world.resident, r, day=SAT + timedelta(weeks=weeks))
        bookings.mark(db, world.unit_admin, b.id, "no_show", now=after(b.starts_at))
    later = after(at_local(SAT + timedelta(weeks=1), "12:00"))
    with pytest.raises(Conflict) as e:
        book(db, world.resident, r, day=SAT + timedelta(weeks=2), now=later)
    assert e.value.code == "paused"
    # Thirty days on, the pause is over.
    ok = book(db, world.resident, r, day=SAT + timedelta(weeks=6), now=later + timedelta(days=31))
    assert ok.status == "confirmed"


def test_cancel_before_cut_off_frees_the_place(db, world):
    r = make_resource(db, world, capacity=1, cancel_hours=2)
    b = book(db, world.resident, r)
    with pytest.raises(Forbidden):
        bookings.cancel(db, world.resident2, b.id, now=NOW)
    with pytest.raises(Conflict) as e:
        bookings.cancel(db, world.resident, b.id, now=b.starts_at - timedelta(hours=1))
    assert e.value.code == "too_late"
    bookings.cancel(db, world.resident, b.id, now=NOW)
    assert b.status == "cancelled" and _taken(db, b) == 0
    again = book(db, world.resident, r)  # the same person may book the slot again
    assert again.status == "pending"


def test_grid_worker_books_for_a_resident_of_their_grid_only(db, world):
    r = make_resource(db, world)
    b = book(db, world.grid_worker, r, on_behalf_of=world.resident.id)
    assert (b.user_id, b.booked_by_id) == (world.resident.id, world.grid_worker.id)
    with pytest.raises(Forbidden):  # resident2 lives in grid A2
        book(db, world.grid_worker, r, on_behalf_of=world.resident2.id)


def test_unit_sees_name_and_phone_of_confirmed_bookings_only_and_each_view_is_logged(db, world):
    r = make_resource(db, world)
    b = book(db, world.resident, r)
    assert bookings.contact(db, b, world.unit_admin, "web") is None  # still pending
    card = bookings.card(b, world.resident2)
    assert card["name"] == "王**" and card["phone"] is None
    bookings.decide(db, world.unit_admin, b.id, "confirm", now=NOW)
    assert bookings.contact(db, b, world.member, "web") is None
    assert bookings.contact(db, b, world.admin, "web") is None  # not the community's resource
    shown = bookings.contact(db, b, world.unit_admin, "api")
    assert shown == {"name": "王小明", "phone": "13800000101"}
    bookings.contact(db, b, world.unit_admin, "web")
    logged = db.scalars(select(Disclosure).where(Disclosure.booking_id == b.id)).all()
    assert [(d.viewer_id, d.resident_id, d.reason, d.channel) for d in logged] == [
        (world.unit_admin.id, world.resident.id, "booking_unit", "api"),
        (world.unit_admin.id, world.resident.id, "booking_unit", "web")]


def test_reminder_job_reminds_once(db, world):
    r = make_resource(db, world, needs_approval=False)
    b = book(db, world.resident, r)
    soon = b.starts_at - timedelta(hours=1)
    assert bookings.remind_bookings(db, NOW) == 0
    assert bookings.remind_bookings(db, soon) == 1
    assert bookings.remind_bookings(db, soon) == 0
    assert db.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == world.resident.id, Notification.event == "list_reminder")) == 1
