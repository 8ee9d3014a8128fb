"""Fixing a wish (issue 11 §6) and resubmitting a rejected one (issue 12 §2)."""
from datetime import datetime, timedelta

import pytest

from webapp.models import WishEvent
from webapp.schemas import parse
from webapp.schemas.inputs import WishEdit
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.wishes import editing, wishes


def _edit(db, actor, wish, **fields):
    return editing.edit(db, actor, wish.id, parse(WishEdit, fields))


def _last_event(db, wish):
    return db.query(WishEvent).filter_by(wish_id=wish.id).order_by(WishEvent.id.desc()).first()


def test_pending_wish_edit_is_on_the_timeline_old_to_new(db, world, make_wish):
    w = make_wish("pending_review")
    _edit(db, world.resident, w, title="帮忙买菜和药送上楼", capacity=2)
    assert (w.title, w.capacity, w.status) == ("帮忙买菜和药送上楼", 2, "pending_review")
    ev = _last_event(db, w)
    assert ev.action == "edit" and ev.from_status == ev.to_status == "pending_review"
    assert ["title", "帮忙买菜送上楼", "帮忙买菜和药送上楼"] in ev.changes
    assert ["capacity", "1", "2"] in ev.changes


def test_rejected_wish_edited_goes_back_to_review_without_the_old_reason(db, world, make_wish):
    w = make_wish("rejected")
    assert w.reject_reason == "信息不全"
    _edit(db, world.resident, w, description="周三上午，需要买菜和药，送到 3 单元 5 楼。")
    assert w.status == "pending_review" and w.reject_reason is None
    ev = _last_event(db, w)
    assert (ev.action, ev.from_status, ev.to_status) == ("resubmit", "rejected", "pending_review")
    assert ev.changes[0][0] == "description"


def test_published_wish_in_reviewed_category_goes_back_to_review(db, world, make_wish):
    w = make_wish("published")
    _edit(db, world.resident, w, title="帮忙买菜（改）")
    assert w.status == "pending_review" and w.published_at is None
    assert _last_event(db, w).action == "send_back"


def test_published_wish_in_auto_publish_category_stays_published(db, world, make_wish):
    world.cat.auto_publish = True
    db.commit()
    w = make_wish("pending_review")  # auto-published at once
    assert w.status == "published"
    _edit(db, world.resident, w, capacity=3)
    assert w.status == "published" and w.capacity == 3
    assert _last_event(db, w).action == "edit"


@pytest.mark.parametrize("status", ["claimed", "in_service", "done", "closed", "withdrawn"])
def test_claimed_or_later_is_refused_with_409(db, world, make_wish, status):
    w = make_wish(status)
    with pytest.raises(Conflict):
        _edit(db, world.resident, w, title="改一下标题")


def test_published_with_one_volunteer_already_on_it_is_refused(db, world, make_wish):
    from webapp.services.wishes import claims
    w = make_wish("published", capacity=3)
    claims.claim(db, world.member, w.id)
    with pytest.raises(Conflict) as exc:
        _edit(db, world.resident, w, title="改一下标题")
    assert "已有志愿者认领" in str(exc.value.message)


def test_all_errors_at_once_and_nothing_written(db, world, make_wish):
    w = make_wish("pending_review", kind="wish")
    past = datetime.now() - timedelta(days=1)
    with pytest.raises(Invalid) as exc:
        _edit(db, world.resident, w, value_yuan=9999, deadline=past.isoformat(),
              wanted_from="2030-01-02T10:00", wanted_until="2030-01-02T09:00")
    assert {"value_yuan", "deadline", "wanted_until"} <= exc.value.fields.keys()
    assert "500" in str(exc.value.fields["value_yuan"])  # the community's cap, as the hint says
    db.expire_all()
    assert w.value_yuan == 100 and _last_event(db, w).action == "post"


def test_other_resident_and_grid_worker_may_not_edit_a_residents_own_wish(db, world, make_wish):
    w = make_wish("pending_review")
    for who in (world.resident2, world.grid_worker, world.member):
        with pytest.raises(Forbidden):
            _edit(db, who, w, title="别人改的标题")


def test_grid_worker_edits_a_wish_they_registered_for_a_resident(db, world):
    from webapp.schemas.inputs import WishInput
    w = wishes.post(db, world.grid_worker, WishInput(
        kind="service", title="帮忙换灯泡", category=world.cat.id, on_behalf_of=world.resident.id))
    _edit(db, world.grid_worker, w, title="帮忙换厨房灯泡")
    assert w.title == "帮忙换厨房灯泡"


def test_grid_worker_may_not_withdraw_a_residents_own_wish(db, world, make_wish):
    w = make_wish("claimed")
    with pytest.raises(Forbidden):
        wishes.withdraw(db, world.grid_worker, w.id)


def test_no_change_writes_no_event(db, world, make_wish):
    w = make_wish("pending_review")
    n = db.query(WishEvent).filter_by(wish_id=w.id).count()
    _edit(db, world.resident, w, title=w.title)
    assert db.query(WishEvent).filter_by(wish_id=w.id).count() == n
