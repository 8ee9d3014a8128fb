"""Projects (共建项目书) and their sessions: lifecycle by role, amendments, recurrence, sign-ups,
check-ins, and session hours reaching the hash-chained ledger exactly once."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.listsutil import NOW, after, project_input, signed_project
from webapp.models import (LedgerEntry, Notification, Project, ProjectEvent, ProjectSession,
                           RoleGrant, ServiceRecord)
from webapp.schemas.lists import MoveInput
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.services.ledger import ledger, tallies
from webapp.services.lists import project_sessions as ps
from webapp.services.lists import checkin, projects, recurrence, states


@pytest.mark.parametrize("rule,first,last,expected", [
    ("FREQ=MONTHLY;BYMONTHDAY=-1", "2024-01-01", "2024-04-30",
     ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]),       # month ends, leap Feb
    ("FREQ=MONTHLY;BYMONTHDAY=31", "2025-01-01", "2025-05-31",
     ["2025-01-31", "2025-03-31", "2025-05-31"]),                     # the 31st skips short months
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2023-01-01", "2028-12-31",
     ["2024-02-29", "2028-02-29"]),                                   # Feb 29: leap years only
    ("FREQ=MONTHLY;BYDAY=-1FR", "2025-01-01", "2025-03-31",
     ["2025-01-31", "2025-02-28", "2025-03-28"]),                     # last Friday
    ("FREQ=MONTHLY;BYDAY=2SA", "2025-03-01", "2025-05-31",
     ["2025-03-08", "2025-04-12", "2025-05-10"]),                     # second Saturday
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU", "2025-03-01", "2025-03-20",
     ["2025-03-01", "2025-03-02", "2025-03-15", "2025-03-16"]),
])
def test_recurrence(rule, first, last, expected):
    got = recurrence.occurrences(rule, date.fromisoformat(first), date.fromisoformat(last))
    assert [d.isoformat() for d in got] == expected


@pytest.mark.parametrize("rule", ["", "FREQ=HOURLY", "FREQ=MONTHLY;BYDAY=9XX",
                                  "FREQ=MONTHLY;BYMONTHDAY=32", "FREQ=WEEKLY;FOO=1"])
def test_bad_rules_are_invalid_on_the_rrule_field(rule):
    with pytest.raises(Invalid) as e:
        recurrence.occurrences(rule, date(2025, 1, 1), date(2025, 12, 31))
    assert "rrule" in e.value.fields


@pytest.mark.parametrize("who,ok", [("admin", True), ("unit_admin", True), ("resident", False),
                                    ("member", False), ("grid_worker", False),
                                    ("admin_b", False), ("street_admin", False)])
def test_who_may_draft(db, world, who, ok):
    actor = getattr(world, who)
    if ok:
        assert projects.draft(db, actor, project_input(world), now=NOW).status == "draft"
    else:
        with pytest.raises(Forbidden):
            projects.draft(db, actor, project_input(world), now=NOW)
        assert db.scalar(select(func.count()).select_from(Project)) == 0


def test_signed_when_both_sides_sign_then_sessions_exist(db, world):
    p = projects.draft(db, world.admin, project_input(world), now=NOW)
    assert db.scalar(select(Notification.event).where(
        Notification.user_id == world.unit_admin.id)) == "project_sign_needed"
    for who in (world.member, world.admin_b, world.resident):
        with pytest.raises(Forbidden):
            projects.sign(db, who, p.id, now=NOW)
    projects.sign(db, world.admin, p.id, now=NOW)
    assert p.status == "draft"
    with pytest.raises(Conflict) as e:
        projects.sign(db, world.admin, p.id, now=NOW)
    assert e.value.code == "already_signed"
    projects.sign(db, world.unit_admin, p.id, now=NOW)
    assert p.status == "signed"
    days = [s.starts_at.date().isoformat() for s in ps.of_project(db, p)]
    assert days == ["2025-03-08", "2025-04-12", "2025-05-10", "2025-06-14"]
    with pytest.raises(Conflict) as e:  # each side signs once
        projects.sign(db, world.unit_admin, p.id, now=NOW)


def test_a_signed_project_is_not_edited_but_amended_beside_the_old(db, world):
    p = signed_project(db, world)
    with pytest.raises(Conflict) as e:
        projects.edit(db, world.admin, p.id, project_input(world, title="改标题"), now=NOW)
    assert e.value.code == "not_editable" and p.title == "专家义诊进社区"
    # Someone signs up to the April session: it survives the amendment.
    april = ps.of_project(db, p)[1]
    ps.signup(db, world.resident, april.id, "attendee", now=NOW)
    v2 = projects.amend(db, world.unit_admin, p.id, project_input(
        world, title="专家义诊进社区（扩大）", session_capacity=30), now=NOW)
    assert (v2.version, v2.previous_id, v2.status, p.status) == (2, p.id, "draft", "signed")
    with pytest.raises(Conflict):
        projects.amend(db, world.admin, p.id, project_input(world), now=NOW)
    projects.sign(db, world.admin, v2.id, now=NOW)
    projects.sign(db, world.unit_admin, v2.id, now=NOW)
    db.expire_all()
    old = db.get(Project, p.id)
    assert (old.status, old.superseded, old.title) == ("completed", True, "专家义诊进社区")
    new_sessions = ps.of_project(db, v2)
    assert [s.starts_at.date().isoformat() for s in new_sessions] == [
        "2025-03-08", "2025-04-12", "2025-05-10", "2025-06-14"]
    assert april.id in [s.id for s in new_sessions] and ps.of_project(db, old) == []


def test_editing_a_draft_clears_signatures(db, world):
    p = projects.draft(db, world.admin, project_input(world), now=NOW)
    projects.sign(db, world.admin, p.id, now=NOW)
    projects.edit(db, world.unit_admin, p.id, project_input(world, target="每月 2 次"), now=NOW)
    assert p.community_signed_by_id is None and p.target == "每月 2 次"


@pytest.mark.parametrize("action,froms", [(a, f) for a, (f, _t) in states.PROJECT.items()])
def test_project_table(action, froms):
    for status in ("draft", "signed", "active", "completed", "terminated"):
        assert states.allowed(Project, action, status) == (status in froms)


def test_terminate_needs_a_reason_and_cancels_future_sessions_telling_registrants(db, world):
    p = signed_project(db, world)
    first = ps.of_project(db, p)[0]
    ps.signup(db, world.resident, first.id, now=NOW)
    with pytest.raises(Forbidden):
        projects.act(db, world.member, p.id, "terminate", "不办了", now=NOW)
    with pytest.raises(Invalid):
        projects.act(db, world.admin, p.id, "terminate", "", now=NOW)
    projects.act(db, world.unit_admin, p.id, "terminate", "医院搬迁", now=NOW)
    assert {s.status for s in ps.of_project(db, p)} == {"cancelled"}
    assert db.scalar(select(Notification.body).where(
        Notification.user_id == world.resident.id, Notification.event == "session_changed"))
    with pytest.raises(Conflict):
        projects.act(db, world.admin, p.id, "activate", now=NOW)


def test_calendar_job_activates_and_completes(db, world):
    p = signed_project(db, world)
    assert projects.run_calendar(db, NOW) == 1 and p.status == "active"
    assert projects.run_calendar(db, NOW + timedelta(days=200)) == 1
    db.refresh(p)
    assert p.status == "completed"


def test_move_and_cancel_one_session_tell_registrants(db, world):
    p = signed_project(db, world)
    s1, s2 = ps.of_project(db, p)[:2]
    ps.signup(db, world.resident, s1.id, now=NOW)
    move = MoveInput.model_validate({"date": "2025-03-09", "start": "14:00", "end": "16:00",
                                     "reason": "周六停电"})
    with pytest.raises(Forbidden):
        ps.move(db, world.resident, s1.id, move, now=NOW)
    ps.move(db, world.unit_admin, s1.id, move, now=NOW)
    assert s1.starts_at.isoformat() == "2025-03-09T06:00:00+00:00" and s1.status == "scheduled"
    body = db.scalar(select(Notification.body).where(Notification.user_id == world.resident.id,
                                                     Notification.event == "session_changed"))
    assert "周六停电" in body
    ps.cancel(db, world.admin, s2.id, "专家出差", now=NOW)
    assert s2.status == "cancelled"
    with pytest.raises(Conflict):
        ps.signup(db, world.resident2, s2.id, now=NOW)
    with pytest.raises(Conflict):
        ps.move(db, world.admin, s2.id, move, now=NOW)


def test_who_may_sign_up_and_capacity_per_role(db, world):
    p = signed_project(db, world)
    s = ps.of_project(db, p)[0]
    with pytest.raises(Forbidden):  # not from the unit, project not open to any member
        ps.signup(db, world.member3, s.id, "server", now=NOW)
    with pytest.raises(Forbidden):  # 城东 resident
        ps.signup(db, world.resident_b, s.id, "attendee", now=NOW)
    ps.signup(db, world.member, s.id, "server", now=NOW)
    ps.signup(db, world.member2, s.id, "server", now=NOW)
    ps.signup(db, world.resident, s.id, now=NOW)
    with pytest.raises(Conflict) as e:
        ps.signup(db, world.member, s.id, "attendee", now=NOW)
    assert e.value.code == "already_signed_up"
    ps.withdraw(db, world.resident, s.id, now=NOW)
    ps.signup(db, world.resident, s.id, now=NOW)
    ps.signup(db, world.resident2, s.id, now=NOW)
    db.refresh(s)
    assert (s.taken, s.servers_taken) == (2, 2)


def _held_session(db, world):
    p = signed_project(db, world)
    s = ps.of_project(db, p)[0]
    ps.signup(db, world.member, s.id, "server", now=NOW)
    ps.signup(db, world.resident, s.id, now=NOW)
    return p, s


def test_session_hours_reach_the_ledger_once_and_the_chain_verifies(db, world):
    p, s = _held_session(db, world)
    with pytest.raises(Conflict) as e:
        checkin.mark(db, world.unit_admin, s.id, world.member.id, now=NOW)
    assert e.value.code == "too_early"
    t = s.starts_at - timedelta(minutes=10)  # check-in opens 30 minutes before the start
    with pytest.raises(Forbidden):
        checkin.mark(db, world.member2, s.id, world.member.id, now=t)
    checkin.mark(db, world.unit_admin, s.id, world.resident.id, now=t)
    checkin.mark(db, world.unit_admin, s.id, world.member.id, now=t)
    db.refresh(s)
    db.refresh(p)
    assert s.status == "held" and p.status == "active"
    with pytest.raises(Conflict) as e:  # pressed again at once: still the same check-in
        checkin.mark(db, world.admin, s.id, world.member.id, now=t)
    assert e.value.code == "already_checked_in"
    assert db.scalar(select(func.count()).select_from(ServiceRecord)) == 0  # hours at check-out
    # Out 10 minutes after the end: 2.8 h present, capped by the session's 2.5 h.
    checkin.mark(db, world.unit_admin, s.id, world.member.id, now=s.ends_at + timedelta(minutes=10))
    (rec,) = db.scalars(select(ServiceRecord)).all()
    assert (rec.session_id, rec.wish_id, rec.hours, rec.approval, rec.basis) == (
        s.id, None, Decimal("2.5"), "approved", "presence")
    (entry,) = db.scalars(select(LedgerEntry)).all()
    assert (entry.volunteer_id, entry.hours, entry.record_id, entry.unit_id, entry.basis) == (
        world.member.id, Decimal("2.5"), rec.id, world.unit.id, "presence")
    assert ledger.verify(db, world.ca.id)[0]["ok"]
    (service,) = tallies.services_of(db, world.member.id)
    assert (service["title"], service["source"]) == ("专家义诊进社区", "project")
    assert projects.progress(db, p, s.starts_at) == {"month_held": 1, "target": 1,
                                                     "month_people": 1, "total_held": 1}


def test_a_forgotten_check_out_waits_in_the_queue_and_nobody_approves_their_own(db, world):
    p, s = _held_session(db, world)
    checkin.mark(db, world.unit_admin, s.id, world.member.id, now=after(s.starts_at))
    checkin.close_due(db, s.ends_at + timedelta(hours=1))
    (rec,) = db.scalars(select(ServiceRecord)).all()
    assert rec.approval == "pending" and rec.hours == Decimal("2.4")  # 09:05 → 11:30
    (row,) = ledger.queue(db, world.ca.id)
    assert (row["title"], row["source"], row["basis"]) == ("专家义诊进社区", "project", "presence")
    # The server is also a community admin: still not the one who approves their hours.
    db.add(RoleGrant(user_id=world.member.id, role="community_admin", org_id=world.ca.id))
    db.commit()
    db.expire_all()
    with pytest.raises(Forbidden):
        ledger.approve(db, db.get(type(world.member), world.member.id), rec.id)
    ledger.approve(db, world.admin, rec.id)
    assert db.scalar(select(func.sum(LedgerEntry.hours))) == Decimal("2.4")


def test_a_runner_cannot_check_in_their_own_service(db, world, make_user):
    p = signed_project(db, world, any_member=True)
    s = ps.of_project(db, p)[0]
    # The responsible person is a member who also serves: someone else checks them in.
    p.responsible_id = world.member.id
    db.commit()
    ps.signup(db, world.member, s.id, "server", now=NOW)
    with pytest.raises(Forbidden):
        checkin.mark(db, world.member, s.id, world.member.id, now=after(s.starts_at))
    assert db.scalar(select(func.count()).select_from(ServiceRecord)) == 0


def test_session_reminders_go_once(db, world):
    p, s = _held_session(db, world)
    assert ps.remind_sessions(db, s.starts_at - timedelta(hours=1)) == 1
    assert ps.remind_sessions(db, s.starts_at - timedelta(minutes=30)) == 0
    assert db.scalar(select(func.count()).select_from(Notification).where(
        Notification.event == "list_reminder")) == 2


def test_project_events_are_written_with_each_change(db, world):
    p = signed_project(db, world)
    assert [e.action for e in projects.events(db, p)] == ["draft", "sign", "sign"]
    assert db.scalar(select(ProjectEvent.to_status).order_by(ProjectEvent.id.desc())) == "signed"
    assert db.scalar(select(func.count()).select_from(ProjectSession)) == 4
