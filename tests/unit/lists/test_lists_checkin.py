"""On-site check-in by QR code (issue 24): the rotating code, early and late scans, double
scans, check-out and capped hours, walk-ins, forgotten check-outs, absences pausing sign-ups,
补录 (honour) hours that never become points, and fifty volunteers scanning at once."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.listsutil import NOW, signed_project
from webapp.extensions import db as _db
from webapp.models import (LedgerEntry, ProjectSession, RecordReview, ServiceRecord,
                           SessionSignup, User)
from webapp.services.errors import Conflict, Forbidden, Invalid, NotFound
from webapp.services.ledger import ledger
from webapp.services.lists import checkin
from webapp.services.lists import project_sessions as ps

M = timedelta(minutes=1)


def _session(db, world, **kw):
    """The first session of a signed project (Sat 2025-03-08 09:00–11:30 Beijing), member serving,
    resident attending."""
    p = signed_project(db, world, **kw)
    s = ps.of_project(db, p)[0]
    ps.signup(db, world.member, s.id, "server", now=NOW)
    ps.signup(db, world.resident, s.id, now=NOW)
    return p, s


def _row(db, s, user) -> SessionSignup:
    db.expire_all()
    return db.scalar(select(SessionSignup).where(SessionSignup.session_id == s.id,
                                                 SessionSignup.user_id == user.id))


# ---- the code ------------------------------------------------------------------------------


def test_a_code_lives_in_its_window_and_the_next_only(db, world):
    _p, s = _session(db, world)
    t = s.starts_at
    token = checkin.code_for(s.id, t)
    assert checkin.code_for(s.id, t + timedelta(seconds=1)) in (token, checkin.code_for(
        s.id, t + timedelta(seconds=31)))  # the same code for a whole 30-second window
    for age in (0, 29, 45, 59):
        assert checkin.read_code(token, t + timedelta(seconds=age)) == s.id
    for age in (61, 90, 3600):  # a photo of it sent home: refused
        with pytest.raises(Conflict) as e:
            checkin.read_code(token, t + timedelta(seconds=age))
        assert e.value.code == "code_expired"
    with pytest.raises(Conflict):  # a code from the future is no code either
        checkin.read_code(checkin.code_for(s.id, t + timedelta(seconds=90)), t)


@pytest.mark.parametrize("mangle", [
    lambda tok: tok[:-2] + ("AA" if not tok.endswith("AA") else "BB"),  # a forged signature
    lambda tok: "9" + tok,                                              # another session id
    lambda tok: "", lambda tok: "x" * 500, lambda tok: "1-2-3.abc",
])
def test_a_forged_or_mangled_code_is_not_found(db, world, mangle):
    _p, s = _session(db, world)
    with pytest.raises(NotFound):
        checkin.read_code(mangle(checkin.code_for(s.id, s.starts_at)), s.starts_at)


def test_a_code_signed_with_another_key_is_refused(app, db, world):
    _p, s = _session(db, world)
    token = checkin.code_for(s.id, s.starts_at)
    key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another-deployment"
    try:
        with pytest.raises(NotFound):
            checkin.read_code(token, s.starts_at)
    finally:
        app.config["SECRET_KEY"] = key


# ---- scans ---------------------------------------------------------------------------------


def test_early_scans_are_refused_until_check_in_opens(db, world):
    _p, s = _session(db, world)
    for t in (NOW, s.starts_at - 31 * M):
        with pytest.raises(Conflict) as e:
            checkin.scan_code(db, world.member, checkin.code_for(s.id, t), now=t)
        assert e.value.code == "too_early" and "30 分钟" in str(e.value.message)
    assert _row(db, s, world.member).checked_in_at is None
    t = s.starts_at - 30 * M
    _row_, outcome = checkin.scan_code(db, world.member, checkin.code_for(s.id, t), now=t)
    assert outcome == "in" and _row(db, s, world.member).checked_in_at == t


def test_the_opening_time_is_a_community_setting(db, world):
    _p, s = _session(db, world)
    world.ca.settings = {"checkin_open_minutes": 10}
    db.commit()
    with pytest.raises(Conflict):
        checkin.scan(db, world.member, s.id, now=s.starts_at - 11 * M)
    assert checkin.scan(db, world.member, s.id, now=s.starts_at - 10 * M)[1] == "in"


def test_late_scans_check_in_until_the_end_and_out_until_the_grace(db, world):
    _p, s = _session(db, world)
    assert checkin.scan(db, world.resident, s.id, now=s.ends_at - M)[1] == "in"  # late, but in
    with pytest.raises(Conflict) as e:  # after the end nobody scans in any more
        checkin.scan(db, world.member, s.id, now=s.ends_at)
    assert e.value.code == "too_late"
    assert _row(db, s, world.member).checked_in_at is None
    # Checked in on time, out too late (past the 30-minute grace): refused, closed by the job.
    _p2, s2 = _session(db, world, title="健康讲座")
    checkin.scan(db, world.member, s2.id, now=s2.starts_at)
    with pytest.raises(Conflict) as e:
        checkin.scan(db, world.member, s2.id, now=s2.ends_at + 31 * M)
    assert e.value.code == "too_late"
    assert checkin.scan(db, world.member, s2.id, now=s2.ends_at + 30 * M)[1] == "out"


def test_double_scans_change_nothing_and_a_later_scan_checks_out_with_capped_hours(db, world):
    _p, s = _session(db, world)
    t = s.starts_at - 20 * M
    assert checkin.scan(db, world.member, s.id, now=t)[1] == "in"
    for later in (0, 1, 4):  # the same check-in scanned again within five minutes
        assert checkin.scan(db, world.member, s.id, now=t + later * M)[1] == "already_in"
    row = _row(db, s, world.member)
    assert row.checked_in_at == t and row.checked_out_at is None
    assert db.scalar(select(func.count()).select_from(ServiceRecord)) == 0
    out = s.ends_at + 15 * M  # 3 h 05 min present, the session lasts 2 h 30 min
    assert checkin.scan(db, world.member, s.id, now=out)[1] == "out"
    row = _row(db, s, world.member)
    assert (row.checked_out_at, row.presence_hours, row.hours) == (out, Decimal("3.1"),
                                                                   Decimal("2.5"))
    assert checkin.scan(db, world.member, s.id, now=out + 10 * M)[1] == "already_out"
    (rec,) = db.scalars(select(ServiceRecord)).all()
    assert (rec.basis, rec.hours, rec.approval) == ("presence", Decimal("2.5"), "approved")
    assert "在场 3.1 小时，按活动时长计 2.5 小时" in rec.confirm_note
    (entry,) = db.scalars(select(LedgerEntry)).all()
    assert (entry.hours, entry.points, entry.basis) == (Decimal("2.5"), Decimal("2.5"), "presence")
    # Staff may grant more than the cap, with a reason, as a correction.
    ledger.correct(db, world.admin, entry.id, "3.1", "提前到场布置")
    assert db.scalar(select(func.sum(LedgerEntry.hours))) == Decimal("3.1")
    assert ledger.verify(db, world.ca.id)[0]["ok"]


def test_an_attendee_has_presence_but_no_hours(db, world):
    _p, s = _session(db, world)
    checkin.scan(db, world.resident, s.id, now=s.starts_at)
    checkin.scan(db, world.resident, s.id, now=s.starts_at + 60 * M)
    row = _row(db, s, world.resident)
    assert row.present and row.presence_hours == Decimal("1.0") and row.hours is None
    assert db.scalar(select(func.count()).select_from(ServiceRecord)) == 0


def test_only_those_signed_up_scan_and_not_for_a_cancelled_session(db, world):
    _p, s = _session(db, world)
    with pytest.raises(Conflict) as e:
        checkin.scan(db, world.member2, s.id, now=s.starts_at)
    assert e.value.code == "not_signed_up"
    ps.cancel(db, world.admin, s.id, "暴雨", now=NOW)
    with pytest.raises(Conflict) as e:
        checkin.scan(db, world.member, s.id, now=s.starts_at)
    assert e.value.code == "not_open"


def test_a_runner_scanning_their_own_service_waits_for_review(db, world):
    p, s = _session(db, world, any_member=True)
    p.responsible_id = world.member.id
    db.commit()
    checkin.scan(db, world.member, s.id, now=s.starts_at)
    checkin.scan(db, world.member, s.id, now=s.ends_at)
    (rec,) = db.scalars(select(ServiceRecord)).all()
    assert rec.approval == "pending" and rec.hours == Decimal("2.5")
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_a_runner_marks_someone_in_and_out_but_not_themself(db, world):
    _p, s = _session(db, world)
    with pytest.raises(Forbidden):
        checkin.mark(db, world.member2, s.id, world.member.id, now=s.starts_at)
    assert checkin.mark(db, world.unit_admin, s.id, world.member.id, now=s.starts_at)[1] == "in"
    assert _row(db, s, world.member).checkin_method == "staff"
    assert checkin.mark(db, world.admin, s.id, world.member.id, now=s.ends_at)[1] == "out"
    with pytest.raises(Conflict) as e:
        checkin.mark(db, world.admin, s.id, world.member.id, now=s.ends_at + M)
    assert e.value.code == "already_checked_out"


# ---- walk-ins ------------------------------------------------------------------------------


def test_a_walk_in_with_no_account_gets_one_and_is_checked_in(db, world):
    _p, s = _session(db, world)
    t = s.starts_at + 10 * M
    with pytest.raises(Invalid) as e:  # a new number needs a name
        checkin.walk_in(db, world.unit_admin, s.id, "13912345678", None, now=t)
    assert "name" in e.value.fields
    with pytest.raises(Forbidden):
        checkin.walk_in(db, world.resident, s.id, "13912345678", "路过的", now=t)
    row = checkin.walk_in(db, world.unit_admin, s.id, "13912345678", "钱大爷", now=t)
    user = db.scalar(select(User).where(User.phone == "13912345678"))
    assert user.name == "钱大爷" and user.password_hash is None  # gets in later by a code
    assert (row.user_id, row.role, row.walk_in, row.checkin_method, row.checked_in_at) == (
        user.id, "attendee", True, "walk_in", t)
    assert db.get(ProjectSession, s.id).taken == 2
    with pytest.raises(Conflict) as e:  # added twice: one check-in
        checkin.walk_in(db, world.unit_admin, s.id, "13912345678", "钱大爷", now=t + M)
    assert e.value.code == "already_checked_in"
    # A new account cannot be made a server; a member of the unit can.
    with pytest.raises(Invalid):
        checkin.walk_in(db, world.unit_admin, s.id, "13912345679", "新人", "server", now=t)
    row = checkin.walk_in(db, world.unit_admin, s.id, world.member2.phone, None, "server", now=t)
    assert row.role == "server" and row.user_id == world.member2.id
    # The second session is full (two places): a walk-in takes no third.
    _p2, s2 = _session(db, world, title="健康讲座")
    checkin.walk_in(db, world.admin, s2.id, "13912345670", "甲", now=s2.starts_at)
    with pytest.raises(Conflict) as e:
        checkin.walk_in(db, world.admin, s2.id, "13912345671", "乙", now=s2.starts_at)
    assert e.value.code == "full"
    assert db.scalar(select(User.id).where(User.phone == "13912345671")) is None


def test_a_walk_in_of_someone_signed_up_just_checks_them_in(db, world):
    _p, s = _session(db, world)
    row = checkin.walk_in(db, world.unit_admin, s.id, world.resident.phone, None,
                          now=s.starts_at)
    assert row.checked_in_at == s.starts_at and not row.walk_in
    assert db.get(ProjectSession, s.id).taken == 1


# ---- closing: forgotten check-outs and absences ----------------------------------------------


def test_closing_sends_a_forgotten_check_out_to_review_and_marks_absences(db, world, make_user):
    _p, s = _session(db, world)
    ps.signup(db, world.member2, s.id, "server", now=NOW)
    checkin.scan(db, world.member, s.id, now=s.starts_at + 30 * M)
    assert checkin.close_due(db, s.ends_at + 29 * M) == 0  # still within the grace
    assert checkin.close_due(db, s.ends_at + 31 * M) == 1
    assert checkin.close_due(db, s.ends_at + 40 * M) == 0  # once
    row = _row(db, s, world.member)
    assert (row.checked_out_at, row.auto_closed, row.hours) == (s.ends_at, True, Decimal("2.0"))
    (rec,) = db.scalars(select(ServiceRecord)).all()
    assert rec.approval == "pending" and "未签退" in rec.confirm_note
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    assert _row(db, s, world.resident).absent_at is not None
    assert _row(db, s, world.member2).absent_at is not None
    assert _row(db, s, world.member).absent_at is None
    with pytest.raises(Conflict) as e:
        checkin.scan(db, world.member, s.id, now=s.ends_at + 41 * M)
    assert e.value.code == "closed"


def test_repeated_absences_pause_sign_ups_for_a_while(db, world):
    p = signed_project(db, world, rrule="FREQ=WEEKLY;BYDAY=SA", session_capacity=5)
    s1, s2, s3, s4, s5 = ps.of_project(db, p)[:5]
    for s in (s1, s2, s3):
        ps.signup(db, world.resident, s.id, now=NOW)
        checkin.close_due(db, s.ends_at + timedelta(hours=1))
    after3 = s3.ends_at + timedelta(hours=1)
    assert ps.absences(db, world.resident.id, after3 - timedelta(days=30)) == 3
    with pytest.raises(Conflict) as e:
        ps.signup(db, world.resident, s5.id, now=after3)
    assert e.value.code == "paused"
    # The setting counts: five absences allowed, the same person signs up again.
    world.ca.settings = {"absence_pause_after": 5}
    db.commit()
    ps.signup(db, world.resident, s5.id, now=after3)
    # After the window (30 days from the last absence) the pause is over by itself.
    world.ca.settings = {}
    db.commit()
    ps.withdraw(db, world.resident, s5.id, now=after3)
    assert ps.absence_paused(db, world.ca, world.resident.id, after3)
    assert not ps.absence_paused(db, world.ca, world.resident.id, after3 + timedelta(days=31))


# ---- 补录 -----------------------------------------------------------------------------------


def test_honour_hours_are_kept_apart_and_never_become_points(db, world):
    _p, s = _session(db, world)
    t = s.ends_at + timedelta(hours=2)
    with pytest.raises(Forbidden):  # the community keeps the ledger, not the unit
        checkin.honour(db, world.unit_admin, s.id, world.member.id, "2", "忘带手机", now=t)
    with pytest.raises(Invalid):
        checkin.honour(db, world.admin, s.id, world.member.id, "2", " ", now=t)
    with pytest.raises(Conflict):  # not before the session
        checkin.honour(db, world.admin, s.id, world.member.id, "2", "忘带手机", now=NOW)
    rec = checkin.honour(db, world.admin, s.id, world.member.id, "2", "忘带手机", now=t)
    assert (rec.basis, rec.approval, rec.hours) == ("honour", "approved", Decimal("2.0"))
    (entry,) = db.scalars(select(LedgerEntry)).all()
    assert (entry.hours, entry.points, entry.basis) == (Decimal("2.0"), Decimal("0"), "honour")
    assert db.scalar(select(RecordReview.reason)) == "忘带手机"
    # A correction of honour hours is honour hours again: still no points.
    ledger.correct(db, world.admin, entry.id, "3", "核实后补足")
    assert db.scalar(select(func.sum(LedgerEntry.points))) == Decimal("0")
    assert {e.basis for e in db.scalars(select(LedgerEntry))} == {"honour"}
    hours, points = ledger.totals(db, world.member.id)
    assert (hours, points) == (Decimal("3.0"), Decimal("0"))
    assert ledger.hours_by_basis(db, world.member.id)["honour"] == Decimal("3.0")
    assert [e["basis"] for e in ledger.recent_entries(db, world.ca.id)] == ["honour"] * 3
    assert ledger.verify(db, world.ca.id)[0]["ok"]
    with pytest.raises(Conflict) as e:  # one record per person per session
        checkin.honour(db, world.admin, s.id, world.member.id, "1", "再补", now=t)
    assert e.value.code == "already_recorded"


def test_honour_is_refused_where_there_is_presence_and_for_oneself(db, world):
    _p, s = _session(db, world)
    checkin.scan(db, world.member, s.id, now=s.starts_at)
    t = s.ends_at + timedelta(hours=2)
    with pytest.raises(Conflict) as e:
        checkin.honour(db, world.admin, s.id, world.member.id, "2", "补", now=t)
    assert e.value.code == "has_presence"
    with pytest.raises(Forbidden):
        checkin.honour(db, world.admin, s.id, world.admin.id, "2", "我自己", now=t)
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_presence_and_honour_hours_show_apart_for_the_volunteer(db, world):
    _p, s = _session(db, world)
    checkin.scan(db, world.member, s.id, now=s.starts_at)
    checkin.scan(db, world.member, s.id, now=s.starts_at + 90 * M)
    _p2, s2 = _session(db, world, title="健康讲座")
    checkin.honour(db, world.admin, s2.id, world.member.id, "1", "忘带手机",
                   now=s2.ends_at + M)
    got = ledger.hours_by_basis(db, world.member.id)
    assert (got["presence"], got["honour"], got["confirmed"]) == (
        Decimal("1.5"), Decimal("1.0"), Decimal("0"))
    assert ledger.totals(db, world.member.id) == (Decimal("2.5"), Decimal("1.5"))


# ---- the race --------------------------------------------------------------------------------


def _race(app, calls):
    """Each call in its own thread with its own app context and session, released together."""
    barrier = threading.Barrier(len(calls), timeout=60)
    results = []
    lock = threading.Lock()

    def worker(uid):
        with app.app_context():
            barrier.wait()
            try:
                user = _db.session.get(User, uid)
                out = calls_fn(_db.session, user)
                with lock:
                    results.append(("ok", uid, out))
            except Conflict as exc:
                with lock:
                    results.append(("conflict", uid, exc.code))
            finally:
                _db.session.remove()

    calls_fn = calls[1]
    threads = [threading.Thread(target=worker, args=(u,)) for u in calls[0]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_fifty_volunteers_scanning_the_same_code_at_once_are_each_checked_in_once(
        app, db, world, make_user):
    p = signed_project(db, world, any_member=True, server_capacity=50)
    sid = ps.of_project(db, p)[0].id
    people = [make_user(f"志愿者{i}", None, world.ba1, [("member", world.ca, None)]).id
              for i in range(50)]
    for uid in people:
        ps.signup(db, db.get(User, uid), sid, "server", now=NOW)
    s = db.get(ProjectSession, sid)
    t = s.starts_at - 5 * M
    token = checkin.code_for(sid, t)
    db.rollback()
    results = _race(app, (people, lambda sess, u: checkin.scan_code(sess, u, token, now=t)[1]))
    assert sorted(r[2] for r in results) == ["in"] * 50, results
    db.expire_all()
    rows = db.scalars(select(SessionSignup).where(SessionSignup.session_id == sid)).all()
    assert len(rows) == 50 and all(r.checked_in_at == t and r.present for r in rows)
    assert db.get(ProjectSession, sid).status == "held"


def test_one_volunteer_scanning_twenty_times_at_once_is_checked_in_once(app, db, world):
    _p, s = _session(db, world)
    sid, t = s.id, s.starts_at
    token = checkin.code_for(sid, t)
    db.rollback()
    results = _race(app, ([world.member.id] * 20,
                          lambda sess, u: checkin.scan_code(sess, u, token, now=t)[1]))
    outcomes = sorted(r[2] for r in results)
    assert outcomes.count("in") == 1 and set(outcomes) <= {"in", "already_in"}, outcomes


def test_the_certificate_summary_says_how_many_hours_were_recorded_on_site(db, world):
    from webapp.services.ledger import certificates
    from webapp.services.ledger.periods import local
    _p, s = _session(db, world)
    checkin.scan(db, world.member, s.id, now=s.starts_at)
    checkin.scan(db, world.member, s.id, now=s.starts_at + 90 * M)
    _p2, s2 = _session(db, world, title="健康讲座")
    checkin.honour(db, world.admin, s2.id, world.member.id, "1", "忘带手机", now=s2.ends_at + M)
    day = local(s.starts_at).date()
    got = certificates.summary(db, world.member.id, world.ca.id, day, day)
    assert (got["hours"], got["presence_hours"], got["honour_hours"]) == (
        Decimal("2.5"), Decimal("1.5"), Decimal("1.0"))


# ---- place (optional, private) ---------------------------------------------------------------

VENUE = (39.9087, 116.3975)  # the venue's point, set by a runner standing there
NEAR = (39.9100, 116.3975)   # about 145 m north
FAR = (39.9200, 116.3975)    # about 1.26 km north


def test_distance_is_haversine_metres():
    assert checkin.distance_m(*VENUE, *VENUE) == 0
    assert 140 <= checkin.distance_m(*VENUE, *NEAR) <= 150
    assert 1250 <= checkin.distance_m(*VENUE, *FAR) <= 1270


def test_only_a_runner_sets_the_place(db, world):
    _p, s = _session(db, world)
    with pytest.raises(Forbidden):
        checkin.set_place(db, world.member, s.id, *VENUE)
    with pytest.raises(Invalid):
        checkin.set_place(db, world.unit_admin, s.id, 95, 10)
    checkin.set_place(db, world.unit_admin, s.id, *VENUE)
    assert (float(s.lat), float(s.lng)) == VENUE
    checkin.set_place(db, world.unit_admin, s.id, None, None)
    db.refresh(s)
    assert s.lat is None


def test_outside_the_fence_is_taken_and_reviewed_and_no_point_is_kept(db, world):
    _p, s = _session(db, world)
    checkin.set_place(db, world.unit_admin, s.id, *VENUE)
    # No consent: the point is not used at all.
    assert checkin.scan(db, world.resident, s.id, s.starts_at, where=FAR)[1] == "in"
    row = _row(db, s, world.resident)
    assert (row.in_distance_m, row.in_fence) == (None, None)
    assert db.get(User, world.resident.id).geo_consent_at is None
    # With consent (asked once, kept): far away is taken, and marked.
    assert checkin.scan(db, world.member, s.id, s.starts_at, where=FAR, consent=True)[1] == "in"
    row = _row(db, s, world.member)
    assert row.in_fence is False and 1250 <= row.in_distance_m <= 1270
    assert db.get(User, world.member.id).geo_consent_at == s.starts_at
    checkin.scan(db, world.member, s.id, s.ends_at, where=NEAR)  # consent already given
    row = _row(db, s, world.member)
    assert row.out_fence is True and row.out_distance_m < 200
    (rec,) = db.scalars(select(ServiceRecord)).all()
    assert rec.approval == "pending" and "范围内" in rec.confirm_note
    assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    # Nowhere in the database is there a coordinate of a person.
    cols = {c.name for c in SessionSignup.__table__.columns} | {c.name for c in User.__table__.columns}
    assert not {"lat", "lng", "latitude", "longitude"} & cols
    checkin.withdraw_consent(db, world.member)
    assert db.get(User, world.member.id).geo_consent_at is None


def test_inside_the_fence_is_approved_at_once(db, world):
    _p, s = _session(db, world)
    checkin.set_place(db, world.admin, s.id, *VENUE)
    world.ca.settings = {"fence_metres": 100}
    db.commit()
    checkin.scan(db, world.member, s.id, s.starts_at, where=VENUE, consent=True)
    checkin.scan(db, world.member, s.id, s.ends_at, where=VENUE)
    assert db.scalar(select(ServiceRecord.approval)) == "approved"
    _p2, s2 = _session(db, world, title="健康讲座")
    checkin.set_place(db, world.admin, s2.id, *VENUE)
    checkin.scan(db, world.member, s2.id, s2.starts_at, where=NEAR)  # 145 m > 100 m
    assert _row(db, s2, world.member).in_fence is False


def test_honour_hours_only_for_servers_or_the_communitys_volunteers(db, world):
    _p, s = _session(db, world)
    with pytest.raises(Invalid) as e:  # a resident who came to be served
        checkin.honour(db, world.admin, s.id, world.resident2.id, "1", "补", now=s.ends_at + M)
    assert "user_id" in e.value.fields
    assert checkin.honour(db, world.admin, s.id, world.member3.id, "1", "帮忙搬桌椅",
                          now=s.ends_at + M).basis == "honour"  # a member, not signed up
