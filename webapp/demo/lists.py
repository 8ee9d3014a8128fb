"""The demo's other two lists (资源清单, 项目清单), driven through the real services in the past.

区人民医院 × 城西社区 sign "专家义诊进社区" (second Saturday of each month): past sessions were
attended and served (scanned in and out), so their hours are in the ledger; one server who
forgot to scan out waits in the review queue, and those who never came are marked absent. 区人民医院 shares 20 parking spaces, a
meeting room and a consultation hour; 新华小学 opens its playground at weekends. Bookings are
left in every state.
"""
from datetime import date, timedelta

from sqlalchemy import select

from ..models import Booking, User
from ..schemas.lists import BookingInput, InsuranceInput, ProjectInput, ResourceInput
from ..services.ledger.periods import LOCAL_TZ
from ..services.lists import bookings, checkin, insurance, project_sessions, projects, resources
from ..services import policy

D = timedelta(days=1)
H = timedelta(hours=1)


def _admin_of(s, unit) -> User:
    return next(u for u in s.scalars(select(User).where(User.unit_id == unit.id))
                if unit.id in policy.unit_ids_admined(u))


def _day_on_or_after(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.isoweekday()) % 7)


def seed_lists(s, ctx, residents) -> None:
    """Resources with bookings, and a signed project with past sessions (after the wishes)."""
    west, east = ctx.orgs["城西社区"], ctx.orgs["城东社区"]
    hospital, school = ctx.units["区人民医院"], ctx.units["新华小学"]
    doc, head = _admin_of(s, hospital), _admin_of(s, school)
    today = ctx.now.astimezone(LOCAL_TZ).date()
    weekend = [{"weekday": d, "start": "08:00", "end": "18:00", "capacity": 20} for d in (6, 7)]
    parking = resources.create(s, doc, ResourceInput.model_validate({
        "community_id": west.id, "unit_id": hospital.id, "kind": "parking",
        "name": "共享车位（周末）", "description": "医院职工停车场周末向居民开放，共 20 个车位。",
        "place": "区人民医院东门停车场", "needs_approval": False, "slots": weekend}),
        now=ctx.now - 60 * D)
    room = resources.create(s, doc, ResourceInput.model_validate({
        "community_id": west.id, "unit_id": hospital.id, "kind": "venue", "name": "三楼会议室",
        "description": "可容纳 30 人，有投影。", "place": "区人民医院行政楼三楼",
        "open_to": [east.id], "slots": [
            {"weekday": 2, "start": "14:00", "end": "17:00", "capacity": 1},
            {"weekday": 4, "start": "14:00", "end": "17:00", "capacity": 1}]}),
        now=ctx.now - 60 * D)
    resources.create(s, doc, ResourceInput.model_validate({
        "community_id": west.id, "unit_id": hospital.id, "kind": "expertise",
        "name": "医疗纠纷法律咨询一小时", "description": "医院法务志愿者提供一对一法律咨询。",
        "place": "区人民医院门诊楼一楼", "slots": [
            {"weekday": 3, "start": "15:00", "end": "16:00", "capacity": 2}]}),
        now=ctx.now - 50 * D)
    resources.create(s, head, ResourceInput.model_validate({
        "community_id": east.id, "unit_id": school.id, "kind": "venue", "name": "操场（周末开放）",
        "description": "周末清晨开放跑道，请勿带宠物。", "place": "新华小学北门",
        "needs_approval": False, "open_to": [west.id], "slots": [
            {"weekday": d, "start": "06:30", "end": "08:30", "capacity": 50} for d in (6, 7)]}),
        now=ctx.now - 50 * D)
    west_people = [r for r in residents if r.building and r.building.community_id == west.id
                   and r.phone]
    _bookings(s, ctx, today, parking, room, doc, west_people)
    _project(s, ctx, today, west, hospital, doc, west_people)


def _book(s, actor, r, day, start, now):
    return bookings.book(s, actor, r.id, BookingInput.model_validate(
        {"date": day.isoformat(), "start": start}), now=now)


def _bookings(s, ctx, today, parking, room, doc, people):
    """Parking used and rated, a no-show; the meeting room confirmed, declined, cancelled, pending."""
    sat = _day_on_or_after(today - 27 * D, 6)
    used = _book(s, people[0], parking, sat, "08:00", ctx.now - 30 * D)
    bookings.mark(s, doc, used.id, "attend", used.starts_at + 4 * H)
    bookings.rate(s, people[0], used.id, 5, "离菜场近，很方便", used.ends_at + 2 * H)
    missed = _book(s, people[1], parking, sat + 7 * D, "08:00", ctx.now - 23 * D)
    bookings.mark(s, doc, missed.id, "no_show", missed.ends_at + H)
    tue = _day_on_or_after(today - 14 * D, 2)
    talk = _book(s, people[2], room, tue, "14:00", ctx.now - 18 * D)
    bookings.decide(s, doc, talk.id, "confirm", now=ctx.now - 17 * D)
    bookings.mark(s, doc, talk.id, "attend", talk.ends_at)
    thu = _day_on_or_after(today + 2 * D, 4)
    no = _book(s, people[3], room, thu, "14:00", ctx.now - 5 * D)
    bookings.decide(s, doc, no.id, "decline", "当天医院有培训，请改约下周", now=ctx.now - 4 * D)
    later = _book(s, people[4], room, thu + 7 * D, "14:00", ctx.now - 4 * D)
    bookings.cancel(s, people[4], later.id, ctx.now - 3 * D)
    _book(s, people[3], room, thu + 7 * D, "14:00", ctx.now - 2 * D)  # waiting for the unit
    soon = _day_on_or_after(today + 1 * D, 6)
    for p in people[5:8]:
        _book(s, p, parking, soon, "08:00", ctx.now - 2 * D)
    assert s.scalar(select(Booking.id).where(Booking.status == "pending"))


def _project(s, ctx, today, west, hospital, doc, people):
    """Signed four months ago; every past session attended and served, hours in the ledger."""
    first = (today - 120 * D).replace(day=1)
    admin = ctx.admins[west.id]
    p = projects.draft(s, admin, ProjectInput.model_validate({
        "community_id": west.id, "unit_id": hospital.id, "title": "专家义诊进社区",
        "content": "区人民医院每月组织内科、骨科、眼科专家到社区义诊，免费测血压血糖。",
        "standard": "每次不少于 3 名专家、2.5 小时；为行动不便的老人预约上门随访。",
        "target": "每月不少于 1 次", "target_per_month": 1, "place": "城西社区卫生服务站",
        "responsible_name": doc.name, "starts_on": first.isoformat(),
        "ends_on": (first + 365 * D).isoformat(), "rrule": "FREQ=MONTHLY;BYDAY=2SA",
        "start": "09:00", "end": "11:30", "session_capacity": 40, "server_capacity": 4,
        "requires_insurance": True}),
        now=ctx.now - 130 * D)
    projects.sign(s, admin, p.id, now=ctx.now - 129 * D)
    projects.sign(s, doc, p.id, now=ctx.now - 128 * D)
    servers = [m for m in ctx.members.get(west.id, []) if m.unit_id == hospital.id][:3]
    signed = ctx.now - 128 * D
    # The hospital's group accident policy covers its servers for the year (保险登记).
    for m in servers:
        insurance.record(s, admin, west.id, InsuranceInput.model_validate({
            "phone": m.phone, "insurer": "中国人寿", "number": "GL-2025-0318",
            "covers_from": first.isoformat(), "covers_to": (first + 365 * D).isoformat()}),
            now=signed)
    for i, sess in enumerate(project_sessions.of_project(s, p)):
        if sess.starts_at >= ctx.now - D:
            break
        for j, person in enumerate(people[i % 5: i % 5 + 6]):
            when = max(sess.starts_at - (5 + j) * D, signed + (j + 1) * H)
            project_sessions.signup(s, person, sess.id, "attendee", now=when)
        for m in servers:
            project_sessions.signup(s, m, sess.id, "server",
                                    now=max(sess.starts_at - 7 * D, signed + H))
        t = sess.starts_at - timedelta(minutes=10)
        for k, person in enumerate(people[i % 5: i % 5 + 5]):  # one of six did not come: absent
            checkin.scan(s, person, sess.id, now=t + k * timedelta(minutes=2))
        for k, m in enumerate(servers):
            if (i, k) == (2, 2):
                continue  # came without a phone: 补录 below
            checkin.scan(s, m, sess.id, now=t + k * timedelta(minutes=1))
            # One server forgot to scan out: closed at the end, the hours wait for review.
            if (i, k) != (1, 0):
                checkin.scan(s, m, sess.id, now=sess.ends_at + (k + 2) * timedelta(minutes=3))
        checkin.close_due(s, sess.ends_at + 2 * H)
        if i == 2 and len(servers) > 2:
            checkin.honour(s, admin, sess.id, servers[2].id, "2.5", "手机没电未能扫码，责任人证明全程在场",
                           now=sess.ends_at + 3 * H)
    upcoming = [x for x in project_sessions.of_project(s, p) if x.starts_at > ctx.now]
    if upcoming:  # the venue's point, set by the responsible person on site (签到地点)
        checkin.set_place(s, doc, upcoming[0].id, 39.9163, 116.3972, now=ctx.now)
