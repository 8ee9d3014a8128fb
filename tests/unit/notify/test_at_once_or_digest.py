"""Issue 23 item 7: a community admin hears of a new wish and a new 报到 at once, or, by their
own choice per event, only in the daily digest; other admins and other communities not at all."""
from datetime import datetime, timezone

from sqlalchemy import select

from webapp.models import Notification
from webapp.services.notify import followup, inbox
from tests.unit.notify.test_who_hears import _apply, _heard


def _digest_to(db, world, admin, when) -> list[str]:
    followup.daily_digest(db, when)
    return [n.body for n in _heard(db, admin, "daily_digest")]


def test_new_wish_and_new_registration_reach_the_admin_at_once(db, world, make_wish):
    wish = make_wish("pending_review")
    heard = _heard(db, world.admin, "wish_review_needed")
    assert [n.wish_id for n in heard] == [wish.id] and "/review" in heard[0].url
    reg = _apply(db, world, "13700000301")
    told = _heard(db, world.admin, "registration_submitted")
    assert len(told) == 1 and "新党员" in told[0].body and told[0].url == "/admin/registrations"
    assert reg.community_id == world.ca.id
    for other in (world.admin_b, world.grid_worker, world.street_admin):
        assert _heard(db, other, "wish_review_needed") == []
        assert _heard(db, other, "registration_submitted") == []


def test_an_admin_who_chose_the_digest_hears_it_there_only(db, world, make_wish):
    inbox.save_preferences(db, world.admin, {"events": list(inbox.PREF_EVENTS),
                                             "timing_form": "1",
                                             "timing_wish_review_needed": "digest",
                                             "timing_registration_submitted": "now"})
    prefs = inbox.preferences(db, world.admin)
    assert {t["event"]: t["digest"] for t in prefs["timing"]} == {
        "wish_review_needed": True, "registration_submitted": False}
    make_wish("pending_review")
    _apply(db, world, "13700000302")
    assert _heard(db, world.admin, "wish_review_needed") == []  # not at once
    assert len(_heard(db, world.admin, "registration_submitted")) == 1  # still at once
    morning = datetime(2030, 1, 7, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing
    bodies = _digest_to(db, world, world.admin, morning)
    assert len(bodies) == 1 and "1 条心愿待审核" in bodies[0] and "1 条报到待审批" in bodies[0]


def test_only_community_admins_get_the_choice(db, world):
    assert inbox.preferences(db, world.resident)["timing"] == []
    inbox.save_preferences(db, world.member, {"events": [], "timing_form": "1",
                                              "timing_wish_review_needed": "digest"})
    from webapp.models import NotificationPreference
    assert not db.get(NotificationPreference, world.member.id).digest_events
