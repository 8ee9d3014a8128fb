"""结对联户: suggestions, pairing rules, visits across the year boundary, coverage, reminders,
a need heard on a visit becoming a wish in one step, and privacy (care tags, disclosures)."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from webapp.models import (Disclosure, Notification, Pairing, PairingEvent, Reminder, VisitWish,
                           Wish, WishEvent)
from webapp.schemas.pairing import VisitInput, VisitWishInput
from webapp.services.errors import Conflict, Forbidden, Invalid, NotFound
from webapp.services.pairing import care_page, coverage, pairings, suggestions, visits

# 2025-06-01 12:00 Beijing
NOW = datetime(2025, 6, 1, 4, 0, tzinfo=timezone.utc)


@pytest.fixture
def homes(world, make_user):
    """Three more households of 城西社区: one in 1号楼, two in 7号楼."""
    return [make_user(n, None, b, [("resident", b, None)])
            for n, b in (("甲大爷", world.ba1), ("乙奶奶", world.ba2), ("丙阿姨", world.ba2))]


def _visit(hid, day, kind="home", needs=""):
    return VisitInput.model_validate({"household_id": hid, "date": day.isoformat(),
                                      "kind": kind, "note": "聊了聊近况", "needs": needs})


def test_suggestions_care_first_then_building_then_skills(db, world, homes):
    world.member3.skills = "助老,陪伴"
    db.commit()
    pairings.set_care(db, world.grid_worker2, homes[2].id, ["lonely_elder"], consent=True)
    got = suggestions.suggest(db, world.admin, world.ca.id)
    first = got[0]
    # the care-tagged household comes first, to the 7号楼 member whose skills fit (not member2)
    assert (first["household_id"], first["member_id"], first["why"]) == (
        homes[2].id, world.member3.id, "same_building")
    assert first["care"] == ["独居老人"] and first["skills"] == ["助老", "陪伴"]
    by_home = {s["household_id"]: s for s in got}
    # 1号楼 households go to the 1号楼 member, never to themselves
    assert by_home[homes[0].id]["member_id"] == world.member.id
    assert world.member.id not in by_home or by_home[world.member.id]["member_id"] != world.member.id


def test_suggestions_fall_back_to_grid_and_respect_the_cap(db, world, homes):
    world.ca.settings = {"pairing_max_households": 1}
    db.commit()
    got = suggestions.suggest(db, world.admin, world.ca.id)
    load = {}
    for s in got:
        load[s["member_id"]] = load.get(s["member_id"], 0) + 1
    assert max(load.values()) == 1 and len(got) == 3  # three members, one household each


def test_pair_end_and_decline_with_events(db, world, homes):
    rows = pairings.pair(db, world.admin, world.member.id, [homes[0].id, homes[1].id], now=NOW)
    assert [p.status for p in rows] == ["active", "active"]
    assert db.scalar(select(func.count(PairingEvent.id))) == 2
    assert db.scalar(select(Notification.event).where(
        Notification.user_id == world.member.id)) == "pairing_assigned"
    with pytest.raises(Conflict):  # one active pairing per household
        pairings.pair(db, world.admin, world.member2.id, [homes[0].id])
    with pytest.raises(Forbidden):
        pairings.pair(db, world.member2, world.member2.id, [homes[2].id])
    with pytest.raises(Forbidden):  # another community's admin
        pairings.pair(db, world.admin_b, world.member.id, [homes[2].id])
    with pytest.raises(Invalid):  # not a household of the community
        pairings.pair(db, world.admin, world.member.id, [world.resident_b.id])
    pairings.end(db, world.admin, rows[1].id, "居民不需要", declined=True, now=NOW)
    assert {s["household_id"] for s in suggestions.suggest(db, world.admin, world.ca.id)}.isdisjoint(
        {homes[0].id, homes[1].id})  # paired, and declined
    with pytest.raises(Conflict):
        pairings.end(db, world.admin, rows[1].id, "again")


def test_cap_refuses_the_whole_batch(db, world, homes):
    world.ca.settings = {"pairing_max_households": 2}
    db.commit()
    with pytest.raises(Invalid) as exc:
        pairings.pair(db, world.admin, world.member.id, [h.id for h in homes])
    assert "household_ids" in exc.value.fields
    assert db.scalar(select(func.count(Pairing.id))) == 0


def test_visits_count_by_local_year_and_coverage(db, world, homes):
    start = datetime(2024, 11, 1, tzinfo=timezone.utc)
    pairings.pair(db, world.admin, world.member.id, [homes[0].id, homes[1].id], now=start)
    pairings.pair(db, world.admin, world.member2.id, [homes[2].id], now=start)
    late = datetime(2024, 12, 31, 20, 0, tzinfo=timezone.utc)  # 1 Jan 2025 in Beijing
    visits.log(db, world.member, _visit(homes[0].id, date(2024, 12, 31)), now=late)
    visits.log(db, world.member, _visit(homes[0].id, date(2025, 1, 1)), now=late)
    visits.log(db, world.member, _visit(homes[0].id, date(2025, 3, 1), "phone"), now=NOW)
    visits.log(db, world.member, _visit(homes[1].id, date(2025, 3, 2)), now=NOW)
    with pytest.raises(Invalid):  # the future
        visits.log(db, world.member, _visit(homes[0].id, date(2025, 6, 2)), now=NOW)
    with pytest.raises(Invalid):  # not their household
        visits.log(db, world.member, _visit(homes[2].id, date(2025, 3, 2)), now=NOW)
    mine = {r["household_id"]: r for r in visits.mine(db, world.member, now=NOW)}
    assert (mine[homes[0].id]["visits"], mine[homes[1].id]["visits"]) == (2, 1)
    assert mine[homes[1].id]["due"] == 1
    cov = coverage.coverage(db, world.admin, world.ca.id, 2025)
    # households: resident, resident2, member (resident role) + three homes = 6
    assert (cov["households"], cov["paired"], cov["visited"]) == (6, 3, 1)
    assert cov["paired_share"] == 50.0 and cov["visited_share"] == 16.7
    grid1 = next(g for g in cov["by_grid"] if g["grid_id"] == world.ga1.id)
    assert (grid1["households"], grid1["paired"], grid1["visited"]) == (3, 1, 1)
    by_member = {m["member_id"]: m for m in cov["by_member"]}
    assert by_member[world.member.id]["visited_share"] == 50.0
    assert by_member[world.member2.id]["visited"] == 0
    assert by_member[world.member2.id]["below_min"]  # 1 household, the minimum is 5
    assert coverage.coverage(db, world.admin, world.ca.id, 2024)["visited"] == 0
    with pytest.raises(Forbidden):
        coverage.coverage(db, world.member, world.ca.id, 2025)


def test_reminders_once_at_the_right_time(db, world, homes):
    world.ca.settings = {"visit_remind_days": 30}
    db.commit()
    pairings.pair(db, world.admin, world.member.id, [homes[0].id, homes[1].id], now=NOW)
    visits.log(db, world.member, _visit(homes[0].id, date(2025, 6, 1)), now=NOW)
    visits.log(db, world.member, _visit(homes[0].id, date(2025, 6, 1)), now=NOW)
    before = datetime(2025, 11, 30, 15, 59, tzinfo=timezone.utc)  # 30 Nov 23:59 Beijing
    assert visits.remind_visits(db, before) == 0
    on = datetime(2025, 11, 30, 16, 0, tzinfo=timezone.utc)  # 1 Dec 00:00 Beijing = 31 Dec - 30
    assert visits.remind_visits(db, on) == 1
    assert visits.remind_visits(db, on + timedelta(days=3)) == 0  # never twice
    note = db.scalar(select(Notification).where(Notification.event == "visits_due"))
    assert note.user_id == world.member.id and "1" in note.body
    assert db.scalar(select(Reminder.key)) == f"visits:{world.member.id}:2025"


def test_need_becomes_a_wish_in_one_step(db, world, homes):
    pairings.pair(db, world.admin, world.member.id, [homes[0].id], now=NOW)
    v = visits.log(db, world.member, _visit(homes[0].id, date(2025, 6, 1), needs="想修水龙头"),
                   now=NOW)
    data = {"kind": "service", "title": "修水龙头", "category": world.cat.id}
    with pytest.raises(Invalid) as exc:
        visits.to_wish(db, world.member, v.id, VisitWishInput.model_validate(data), now=NOW)
    assert "consent" in exc.value.fields
    with pytest.raises(NotFound):  # only the visit's member
        visits.to_wish(db, world.member2, v.id,
                       VisitWishInput.model_validate({**data, "consent": True}), now=NOW)
    w = visits.to_wish(db, world.member, v.id,
                       VisitWishInput.model_validate({**data, "consent": True}), now=NOW)
    assert (w.status, w.resident_id, w.posted_by_id, w.on_behalf) == (
        "pending_review", homes[0].id, world.member.id, True)
    link = db.scalar(select(VisitWish).where(VisitWish.wish_id == w.id))
    assert link.visit_id == v.id and link.consent is True
    ev = db.scalar(select(WishEvent).where(WishEvent.wish_id == w.id))
    assert "入户走访" in ev.note
    assert visits.wishes_of(db, v) == [w.id]


def test_wish_from_a_visit_is_refused_when_unpaired(db, world, homes):
    p = pairings.pair(db, world.admin, world.member.id, [homes[0].id], now=NOW)[0]
    v = visits.log(db, world.member, _visit(homes[0].id, date(2025, 6, 1)), now=NOW)
    pairings.end(db, world.admin, p.id, "搬家", now=NOW)
    with pytest.raises(Conflict):
        visits.to_wish(db, world.member, v.id, VisitWishInput.model_validate(
            {"kind": "service", "title": "修水龙头", "category": world.cat.id, "consent": True}))
    assert db.scalar(select(func.count(Wish.id))) == 0


def test_care_tags_only_for_grid_staff(db, world, homes):
    assert pairings.set_care(db, world.grid_worker2, homes[1].id, ["disabled", "hardship"], consent=True) == [
        "disabled", "hardship"]
    with pytest.raises(NotFound):  # grid 1's worker does not look after 7号楼
        pairings.set_care(db, world.grid_worker, homes[1].id, ["disabled"])
    with pytest.raises(NotFound):
        pairings.set_care(db, world.member, homes[1].id, [])
    with pytest.raises(Forbidden):
        care_page.care_list(db, world.member)
    listed = {r["id"]: r["tags"] for r in care_page.care_list(db, world.admin)}
    assert listed[homes[1].id] == ["disabled", "hardship"]
    assert homes[1].id not in {r["id"] for r in care_page.care_list(db, world.grid_worker)}
    # a member's own view of their households never carries tags
    pairings.pair(db, world.admin, world.member.id, [homes[1].id], now=NOW)
    assert all("tags" not in r and "care" not in r for r in visits.mine(db, world.member, now=NOW))


def test_contact_for_the_paired_member_only_and_logged(db, world, homes):
    p = pairings.pair(db, world.admin, world.member.id, [homes[0].id], now=NOW)[0]
    assert pairings.contact(db, p, world.member2, "web") is None
    shown = pairings.contact(db, p, world.member, "api")
    assert shown == {"name": "甲大爷", "phone": homes[0].phone, "address": "1号楼 3单元502"}
    d = db.scalar(select(Disclosure))
    assert (d.pairing_id, d.resident_id, d.viewer_id, d.reason, d.channel) == (
        p.id, homes[0].id, world.member.id, "paired_member", "api")
    assert pairings.my_member(db, homes[0])["name"] == world.member.name
    assert pairings.my_member(db, homes[1]) is None


def test_the_first_suggestions_are_those_of_the_whole_list(db, world, homes):
    # suggest works out only the first few pairs (thousands of households in a district); they
    # must be the same as the start of the full list, care-tagged household and loads included
    world.ca.settings = {"pairing_max_households": 2}
    db.commit()
    pairings.set_care(db, world.grid_worker2, homes[2].id, ["lonely_elder"], consent=True)
    whole = suggestions.suggest(db, world.admin, world.ca.id, limit=100)
    assert len(whole) > 2 and whole[0]["household_id"] == homes[2].id
    for n in (1, 2, len(whole) - 1):
        assert suggestions.suggest(db, world.admin, world.ca.id, limit=n) == whole[:n]
