"""反映问题: raised by the one served, answered by the community, settled or reopened; the
author hidden from the volunteer when asked, never from staff; counted in the evaluation."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.models import ComplaintEvent, Notification, Outbox, utcnow
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.voice import complaints, reports

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_raise_answer_settle_with_events_and_notifications(db, world, make_wish):
    w = make_wish("closed")
    c = complaints.raise_(db, world.resident, "wish", w.id, "志愿者迟到了一个小时", photo=PNG)
    assert (c.status, c.photo_type, c.community_id) == ("received", "image/png", world.ca.id)
    assert db.scalar(select(Notification.user_id).where(
        Notification.event == "complaint_raised")) == world.admin.id
    complaints.answer(db, world.admin, c.id, "已提醒志愿者，下次会准时。")
    assert c.status == "answered" and c.first_answer_at is not None
    assert db.scalar(select(Notification.user_id).where(
        Notification.event == "complaint_answered")) == world.resident.id
    complaints.close_loop(db, world.resident, c.id, solved=False, note="还是没说清楚")
    assert c.status == "reopened"
    complaints.answer(db, world.admin, c.id, "已当面道歉。")
    complaints.close_loop(db, world.resident, c.id, solved=True)
    assert c.status == "settled" and c.settled_at is not None
    actions = list(db.scalars(select(ComplaintEvent.action).where(
        ComplaintEvent.complaint_id == c.id).order_by(ComplaintEvent.id)))
    assert actions == ["raise", "answer", "reopen", "answer", "settle"]
    with pytest.raises(Conflict):
        complaints.close_loop(db, world.resident, c.id, solved=False, note="again")


def test_only_the_one_served_raises_and_only_admins_answer(db, world, make_wish):
    w = make_wish("closed")
    with pytest.raises(Forbidden):
        complaints.raise_(db, world.member, "wish", w.id, "我来投诉")
    with pytest.raises(Invalid):
        complaints.raise_(db, world.resident, "wish", w.id, "   ")
    with pytest.raises(Invalid) as e:
        complaints.raise_(db, world.resident, "wish", w.id, "照片", photo=b"GIF89a....")
    assert "photo" in e.value.fields
    c = complaints.raise_(db, world.resident, "wish", w.id, "没办好")
    for other in (world.member, world.admin_b, world.grid_worker):
        with pytest.raises(Forbidden):
            complaints.answer(db, other, c.id, "答复")
    with pytest.raises(Forbidden):
        complaints.close_loop(db, world.admin, c.id, solved=True)  # only the author settles


def test_anonymous_complaint_is_hidden_from_the_volunteer_never_from_staff(db, world, make_wish):
    w = make_wish("closed")
    c = complaints.raise_(db, world.resident, "wish", w.id, "态度不好", anonymous=True, photo=PNG)
    for_volunteer = reports.detail(db, c, world.member)
    assert for_volunteer["author"] != world.resident.name
    assert world.resident.name not in str(for_volunteer)
    assert for_volunteer["has_photo"] is False
    assert reports.for_wish(db, w.id, world.member)[0]["author"] != world.resident.name
    assert reports.detail(db, c, world.admin)["author"] == world.resident.name
    assert reports.detail(db, c, world.admin)["has_photo"] is True
    with pytest.raises(Forbidden):
        reports.detail(db, c, world.member3)  # not the volunteer of this wish
    named = complaints.raise_(db, world.resident, "wish", w.id, "另一件事")
    assert reports.detail(db, named, world.member)["author"] == world.resident.name


def test_response_times_on_the_backlog(db, world, make_wish):
    w = make_wish("closed")
    t0 = utcnow()
    c = complaints.raise_(db, world.resident, "wish", w.id, "慢", now=t0)
    complaints.answer(db, world.admin, c.id, "好", now=t0 + timedelta(hours=4))
    complaints.close_loop(db, world.resident, c.id, True, now=t0 + timedelta(hours=10))
    complaints.raise_(db, world.resident, "wish", w.id, "还有", now=t0)
    (row,) = reports.response_times(db, {world.ca.id})
    assert (row["raised"], row["waiting"], row["settled"]) == (2, 1, 1)
    assert (row["to_answer_hours"], row["to_settle_hours"]) == (4.0, 10.0)
    from webapp.services.wishes import dispute
    dispute.dispute(db, world.resident, w.id, "没擦干净")
    assert reports.response_times(db, {world.ca.id})[0]["disputed"] == 1


def test_complaints_about_a_unit_count_in_its_evaluation_but_not_from_its_own_side(
        db, world, make_wish):
    from webapp.services.pairing import evaluation, scores
    from webapp.services.wishes import claims
    w = make_wish("published")
    claims.claim(db, world.unit_admin, w.id, unit_id=world.unit.id, member_ids=[world.member2.id])
    c = complaints.raise_(db, world.resident, "wish", w.id, "单位志愿者没按时来")
    assert c.unit_id == world.unit.id
    # Someone of the unit's own side (its member) complaining about it is left out.
    w2 = make_wish("published", resident=world.member)
    claims.claim(db, world.unit_admin, w2.id, unit_id=world.unit.id, member_ids=[world.member2.id])
    complaints.raise_(db, world.member, "wish", w2.id, "自己人")
    r = evaluation.open_round(db, world.admin, world.ca.id, utcnow().year)
    p = scores.parts(db, r, world.unit.id)
    assert (p["complaints"], p["own_side_complaints_left_out"]) == (1, 1)


def test_a_booking_and_a_session_are_raised_by_whoever_was_served(db, world):
    from tests.web.apilists import lists_objects
    from webapp.services.errors import NotFound
    from webapp.services.lists import project_sessions
    objs = lists_objects(db, world)
    c = complaints.raise_(db, world.resident, "booking", objs["booking_id"], "场地没开门")
    assert (c.booking_id, c.unit_id) == (objs["booking_id"], world.unit.id)  # the unit's venue
    with pytest.raises(Forbidden):
        complaints.raise_(db, world.resident2, "booking", objs["booking_id"], "不是我的")
    with pytest.raises(Forbidden):  # not signed up
        complaints.raise_(db, world.resident, "session", objs["session_id"], "没开始")
    project_sessions.signup(db, world.resident, objs["session_id"], "attendee")
    s = complaints.raise_(db, world.resident, "session", objs["session_id"], "讲得太快")
    assert s.session_id == objs["session_id"] and s.unit_id is not None
    with pytest.raises(NotFound):  # an unknown kind names nothing
        complaints.raise_(db, world.resident, "shop", 1, "x")
