"""Star thresholds as a setting (issue 26 §3) and the public notice of honours (§2): levels are
derived from hours under today's thresholds, held only after a notice of at least seven days
has ended; objections reach the community's admins; the notice is a kernel Machine."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from webapp.models import (HonourItem, HonourNotice, HonourNoticeEvent, HonourObjection,
                           Notification, utcnow)
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.ledger import honours, stars
from webapp.services.pairing import board
from webapp.services.people import community

DAY = timedelta(days=1)


def test_thresholds_are_read_from_text_rising_whole_hours():
    assert stars.parse_thresholds("100, 300，600、1000 1500") == [100, 300, 600, 1000, 1500]
    assert stars.parse_thresholds("１０,２０") == [10, 20]  # full-width digits, as IMEs type
    for bad in ("", "100, 50", "100, 100", "0, 5", "a, b", "1.5", ",".join(["1"] * 11),
                "1,2,3,4,5,6,7,8,9,10,11", "200000"):
        with pytest.raises(Invalid) as e:
            stars.parse_thresholds(bad)
        assert "star_thresholds" in e.value.fields, bad


def test_the_setting_defaults_to_the_provincial_levels_and_saves_whole(db, world):
    view = community.view(db, world.admin, world.ca.id)
    assert view["values"]["star_thresholds"] == "100, 300, 600, 1000, 1500"
    with pytest.raises(Invalid) as e:  # one bad field: nothing saved, not even the good one
        community.update(db, world.admin, world.ca.id,
                         {"star_thresholds": "300, 100", "points_per_hour": "2"})
    assert set(e.value.fields) == {"star_thresholds"}
    db.rollback()
    assert "star_thresholds" not in (world.ca.settings or {})
    assert (world.ca.settings or {}).get("points_per_hour") is None
    community.update(db, world.admin, world.ca.id, {"star_thresholds": "1, 2, 3"})
    assert stars.thresholds(world.ca) == [1, 2, 3]
    with pytest.raises(Forbidden):
        community.update(db, world.member, world.ca.id, {"star_thresholds": "1"})


def test_many_peoples_stars_count_as_one_persons_do(db, world):
    """`earned_by` (the notice's candidates: a community's every member) gives what `earned`
    gives, at, just under and past each threshold, for hours as the ledger keeps them."""
    community.update(db, world.admin, world.ca.id, {"star_thresholds": "1, 2, 300"})
    for org in (world.ca, world.cb, None):  # its own thresholds, the default, no community
        earned = stars.earned_by(org)
        for h in (None, 0, "0.99", 1, "1.00", "1.5", 2, "299.99", 300, "300.01", 1500, 99_999):
            hours = None if h is None else Decimal(str(h))
            assert earned(hours) == stars.earned(hours, org), (org, h)
    assert stars.earned_by(world.ca)(Decimal("2")) == 2 and stars.earned_by(None)(300) == 2


def _publish(db, world, now, days=7):
    return honours.publish(db, world.admin, world.ca.id, now.year, days, now=now)


def test_a_level_is_held_after_its_notice_and_recomputed_when_thresholds_change(
        db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)  # 1.5 h for 李志愿 in 城西社区
    now = utcnow()
    assert stars.standing(db, world.member.id, Decimal("1.5"), world.ca, now)["earned"] == 0
    community.update(db, world.admin, world.ca.id, {"star_thresholds": "1, 2"})
    st = stars.standing(db, world.member.id, Decimal("1.5"), world.ca, now)
    assert (st["earned"], st["held"], st["next"]) == (1, 0, 2)  # earned, not yet noticed

    with pytest.raises(Invalid) as e:
        _publish(db, world, now, days=6)  # the rules: at least seven days
    assert "days" in e.value.fields
    with pytest.raises(Forbidden):
        honours.publish(db, world.member, world.ca.id, now.year, 7, now=now)
    notice = _publish(db, world, now)
    (item,) = db.scalars(select(HonourItem).where(HonourItem.notice_id == notice.id)).all()
    assert (item.volunteer_id, item.kind, item.stars) == (world.member.id, "star", 1)
    with pytest.raises(Conflict):  # one notice at a time
        _publish(db, world, now + DAY)

    shown = board.view(db, world.ca.id, now=now + DAY)["notices"]
    assert shown[0]["items"][0]["name"] == "李**" and shown[0]["items"][0]["stars"] == 1
    assert stars.noticed(db, world.member.id, now + 6 * DAY) == 0  # still in notice
    assert stars.noticed(db, world.member.id, now + 7 * DAY) == 1  # the notice has ended
    assert board.view(db, world.ca.id, now=now + 8 * DAY)["notices"] == []

    assert honours.end_due(db, now + 7 * DAY) == 1
    assert honours.end_due(db, now + 8 * DAY) == 0  # a second run changes nothing
    db.refresh(notice)
    assert notice.status == "ended"
    assert [e.action for e in db.scalars(select(HonourNoticeEvent).where(
        HonourNoticeEvent.notice_id == notice.id).order_by(HonourNoticeEvent.id))] == [
        "publish", "end"]
    later = now + 8 * DAY
    assert stars.standing(db, world.member.id, Decimal("1.5"), world.ca, later)["held"] == 1
    # Raised thresholds: the level earned and held fall at once, nothing stored to rewrite.
    community.update(db, world.admin, world.ca.id, {"star_thresholds": "5, 10"})
    st = stars.standing(db, world.member.id, Decimal("1.5"), world.ca, later)
    assert (st["earned"], st["held"]) == (0, 0)
    # Lowered again: held again what was noticed; a level above it waits for its own notice.
    community.update(db, world.admin, world.ca.id, {"star_thresholds": "1, 10"})
    assert stars.standing(db, world.member.id, Decimal("1.5"), world.ca, later)["held"] == 1
    assert stars.standing(db, world.member.id, Decimal("12"), world.ca, later)["held"] == 1
    assert honours.candidates(db, world.ca, later.year)["stars"] == []  # 1★ already noticed


def test_the_board_shows_each_volunteers_held_level_read_at_once(db, world, make_wish):
    """The board's volunteers (who agreed to be shown) with the stars they hold: earned under
    today's thresholds, never above what an ended notice named; one read for all of them."""
    from tests.planutil import statements_sent
    community.update(db, world.admin, world.ca.id, {"star_thresholds": "1, 2"})
    make_wish("closed", capacity=2)  # 李 and 张 serve 1.5 h: one star each
    now = utcnow()
    _publish(db, world, now)
    make_wish("closed")  # 李: 3 h, two stars earned, one held
    make_wish("closed", volunteers=[world.member3])  # 陈: one earned after it, none held
    for m in (world.member, world.member2, world.member3):
        board.set_consent(db, m, True)
    with statements_sent(db.get_bind()) as said:
        shown = board.view(db, world.ca.id, now=now + 8 * DAY)["stars"]
    assert [(s["name"], s["hours"], s["stars"]) for s in shown] == [
        ("李**", 3.0, 1), ("张**", 1.5, 1), ("陈**", 1.5, 0)]
    assert len([x for x in said if "max(honour_items.stars)" in x]) == 1, said
    assert [s["stars"] for s in board.view(db, world.ca.id, now=now + DAY)["stars"]] == [0, 0, 0]


def test_objections_reach_the_admins_until_the_notice_ends_and_withdrawal_holds_nothing(
        db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    community.update(db, world.admin, world.ca.id, {"star_thresholds": "1"})
    now = utcnow()
    notice = _publish(db, world, now)
    item = db.scalar(select(HonourItem))
    honours.object_to(db, notice.id, "这位志愿者的时长有误。", "13900000000", item.id,
                      now=now + DAY)
    told = db.scalars(select(Notification).where(Notification.event == "honour_objection")).all()
    assert [n.user_id for n in told] == [world.admin.id]
    view = honours.admin_view(db, world.admin, world.ca.id)
    assert view[0]["objections"][0]["about"] == "李志愿"
    with pytest.raises(Conflict):
        honours.object_to(db, notice.id, "公示结束后的异议。", "", now=now + 7 * DAY)
    with pytest.raises(Invalid):
        honours.withdraw(db, world.admin, notice.id, " ", now=now + DAY)
    honours.withdraw(db, world.admin, notice.id, "异议属实，核实后重新公示", now=now + DAY)
    with pytest.raises(Conflict):
        honours.withdraw(db, world.admin, notice.id, "再撤回", now=now + DAY)
    assert stars.noticed(db, world.member.id, now + 30 * DAY) == 0
    assert db.scalar(select(func.count(HonourObjection.id))) == 1
    # withdrawn: the level is a candidate again
    assert [r["volunteer_id"] for r in honours.candidates(db, world.ca, now.year)["stars"]] == [
        world.member.id]
    assert db.get(HonourNotice, notice.id).status == "withdrawn"
