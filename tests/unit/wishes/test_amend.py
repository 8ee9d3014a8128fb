"""Mistakes put right within the community's window: ratings, review decisions (issue 12 §3)."""
from datetime import timedelta

import pytest

from webapp.models import Notification, ServiceRecord, WishEvent, utcnow
from webapp.services.errors import Conflict, Forbidden
from webapp.services.wishes import amend, wishes


def test_rating_changed_within_window_updates_records_timeline_and_tells_volunteer(db, world,
                                                                                make_wish):
    w = make_wish("closed")
    amend.rerate(db, world.resident, w.id, 3, "来晚了一点")
    assert (w.rating, w.comment) == (3, "来晚了一点")
    assert {r.rating for r in db.query(ServiceRecord).filter_by(wish_id=w.id)} == {3}
    ev = db.query(WishEvent).filter_by(wish_id=w.id, action="rerate").one()
    assert ["rating", "5", "3"] in ev.changes
    assert db.query(Notification).filter_by(user_id=world.member.id, event="rating_changed").count() == 1


def test_rating_change_after_the_window_is_refused(db, world, make_wish):
    w = make_wish("closed")
    with pytest.raises(Conflict) as exc:
        amend.rerate(db, world.resident, w.id, 3, now=utcnow() + timedelta(hours=25))
    assert exc.value.code == "window_over"
    world.ca.settings = {**world.ca.settings, "amend_window_hours": 48}
    db.commit()
    amend.rerate(db, world.resident, w.id, 4, now=utcnow() + timedelta(hours=25))
    assert w.rating == 4


def test_other_people_may_not_change_a_rating(db, world, make_wish):
    w = make_wish("closed")
    with pytest.raises(Forbidden):
        amend.rerate(db, world.member, w.id, 1)


def test_admin_reconsiders_an_approval_and_a_rejection(db, world, make_wish):
    w = make_wish("published")
    amend.reconsider(db, world.admin, w.id, "分类选错了，请重新审核")
    assert w.status == "pending_review" and w.published_at is None
    r = make_wish("rejected", title="另一个心愿")
    amend.reconsider(db, world.admin, r.id, "误判，重新审核")
    assert r.status == "pending_review" and r.reject_reason is None
    assert db.query(WishEvent).filter_by(action="reconsider").count() == 2
    wishes.review(db, world.admin, r.id, "approve")
    assert r.status == "published"


def test_reconsider_refused_once_claimed_or_after_window(db, world, make_wish):
    w = make_wish("published", capacity=2)
    from webapp.services.wishes import claims
    claims.claim(db, world.member, w.id)
    with pytest.raises(Conflict):
        amend.reconsider(db, world.admin, w.id, "误判")
    v = make_wish("published", title="另一个心愿")
    with pytest.raises(Conflict):
        amend.reconsider(db, world.admin, v.id, "误判", now=utcnow() + timedelta(hours=30))
    with pytest.raises(Forbidden):
        amend.reconsider(db, world.grid_worker, v.id, "误判")


def test_auto_confirmed_service_never_says_rating_dash(db, world, make_wish):
    w = make_wish("done")
    wishes.confirm(db, None, w.id, None, system=True)
    n = db.query(Notification).filter_by(user_id=world.member.id).order_by(Notification.id.desc()).first()
    assert "自动确认" in n.body and "-" not in n.body and "评价" not in n.body
