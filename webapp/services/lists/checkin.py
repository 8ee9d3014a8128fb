"""On-site check-in of project sessions by a rotating QR code (issue 24): presence is the source
of a server's hours.

- **The code.** A session's runner shows a QR code of a plain URL carrying a signed token of
  (session, 30-second window). A token is taken in its own window and the one before — at most
  60 s old — so a photo sent home stops working. Signed with the app's SECRET_KEY (itsdangerous,
  its own salt); nothing is stored.
- **Scans.** The first scan checks a signed-up person in, a later one (at least `DOUBLE_SCAN`
  after) checks them out; a repeated scan in between, or after the check-out, changes nothing.
  Scanning in opens `checkin_open_minutes` before the start and closes at the end; scanning out
  is taken until `checkout_grace_minutes` after the end. Every write is a compare-and-set on the
  sign-up row under the session's row lock: fifty people scanning at once are each checked in
  exactly once.
- **Hours.** A server's hours = check-out − check-in, capped by the session's length (staff may
  grant more with a reason: `ledger.correct`). Measured presence is approved at once, unless the
  server runs the session (self-attested) or never checked out: `close_due` closes an open
  presence at the session's end and sends it to the review queue, and marks everyone signed up
  who never came as absent (repeated absences pause sign-ups: project_sessions.signup).
- **Place** (optional, private): a runner standing at the venue makes it the session's fence
  centre; where a session has one, the scan page asks the phone's location with the person's
  consent (asked once, PIPL art. 28–29). Only the distance and inside/outside the fence
  (`fence_metres`, 500 m) are kept, never the point; outside, the scan is taken and the hours
  wait for review.
- **Walk-ins** are signed up and checked in by a runner by phone number (an account is made, as
  for 代为登记). **补录** (honour) hours are entered by the community's admin for someone with
  no presence record: kept and shown as such, never turned into points.
"""
import math
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ...db import begin_write
from ...models import (Org, Project, ProjectSession, RecordReview, ServiceRecord, SessionSignup,
                       User)
from ...models.base import utcnow
from .. import codes, policy
from ..errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from ..ledger import ledger
from ..people import residents
from ..people.orgs import setting
from . import project_sessions, states

DOUBLE_SCAN = timedelta(minutes=5)  # a second scan sooner than this is the same check-in
TENTH = Decimal("0.1")
SALT = "wishgrid.session-checkin"
OUTSIDE_NOTE = _l("签到或签退不在活动地点范围内，待审核")
HONOUR_NOTE = _l("补录")


# ---- the code ------------------------------------------------------------------------------



def _add_once(session, rec: ServiceRecord) -> None:
    """Add a session's service record; a second one for the same person and session is refused
    by the unique constraint (two scans or a 补录 racing a check-out)."""
    session.add(rec)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(_l("这一场的服务时长已经记录过了。"), code="already_recorded") from None

def code_for(session_id: int, now=None) -> str:
    """The token shown in the session's QR code during `now`'s window."""
    return codes.make(SALT, session_id, now or utcnow())


def read_code(token: str, now=None) -> int:
    """The session id of a code scanned at `now`, or a refusal: a code of the current or the
    previous window only (at most 60 s old); a forged or mangled code is not found."""
    return codes.read(SALT, token, now or utcnow())


# ---- rules -----------------------------------------------------------------------------------


def _locked(session, session_id) -> ProjectSession:
    """The session, its row locked for this transaction (after begin_write), fresh from the db."""
    s = session.scalar(select(ProjectSession).where(ProjectSession.id == session_id)
                       .with_for_update().execution_options(populate_existing=True)
                       ) if isinstance(session_id, int) else None
    if s is None:
        raise NotFound(_l("找不到这一场活动。"), code="session_not_found")
    session.scalar(select(Project).where(Project.id == s.project_id).with_for_update()
                   .execution_options(populate_existing=True))
    return s


def _length(s: ProjectSession) -> Decimal:
    return _hours(s.ends_at - s.starts_at)


def _hours(span: timedelta) -> Decimal:
    return (Decimal(max(span.total_seconds(), 0)) / 3600).quantize(TENTH, ROUND_HALF_UP)


def _open_at(s: ProjectSession, community: Org):
    return s.starts_at - timedelta(minutes=int(setting(community, "checkin_open_minutes")))


def _grace_end(s: ProjectSession, community: Org):
    return s.ends_at + timedelta(minutes=int(setting(community, "checkout_grace_minutes")))


def _require_open(s: ProjectSession, p: Project) -> None:
    if p.status not in ("signed", "active") or s.status == "cancelled":
        raise Conflict(_l("这一场不能签到。"), code="not_open")
    if s.closed_at is not None:
        raise Conflict(_l("这一场已经结束并完成考勤，不能再签到或签退。"), code="closed")


def _require_checkin_time(s, community, now) -> None:
    if now < _open_at(s, community):
        raise Conflict(_l("还没到签到时间：活动开始前 %(m)s 分钟起才能签到。",
                          m=setting(community, "checkin_open_minutes")), code="too_early")
    if now >= s.ends_at:
        raise Conflict(_l("活动已经结束，不能再签到；如确实参加了，请联系社区补录。"),
                       code="too_late")


def _require_runner(actor: User, s: ProjectSession) -> Project:
    if not policy.can_run_session(actor, s.project):
        raise Forbidden(_l("只有项目责任人或双方管理员可以操作场次。"))
    return s.project


def _live_signup(session, s: ProjectSession, user_id) -> SessionSignup | None:
    return session.scalar(select(SessionSignup).where(
        SessionSignup.session_id == s.id, SessionSignup.user_id == user_id,
        SessionSignup.live.is_(True)).execution_options(populate_existing=True))


# ---- place (optional, private) -----------------------------------------------------------

EARTH_M = 6_371_000


def distance_m(lat1, lng1, lat2, lng2) -> int:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_M * math.asin(min(1.0, math.sqrt(a))))


def fence_of(s: ProjectSession, community: Org) -> int:
    """The fence's radius in metres: the session's own, else the community's setting."""
    return s.fence_m or int(setting(community, "fence_metres"))


def _fence(session, s, community, person: User, where, consent: bool, now) -> dict:
    """The distance to the venue and inside/outside, from a point the browser gave with the
    person's consent (given once, kept); the point itself is used here and dropped."""
    if s.lat is None or where is None:
        return {}
    if person.geo_consent_at is None:
        if not consent:
            return {}
        session.execute(update(User).where(User.id == person.id).values(geo_consent_at=now)
                        .execution_options(synchronize_session=False))
    d = distance_m(s.lat, s.lng, *where)
    return {"distance": d, "inside": d <= fence_of(s, community)}


def set_place(session, actor: User, session_id, lat, lng, now=None) -> ProjectSession:
    """A runner standing at the venue makes their current point the session's fence centre
    (lat/lng None clears it). A venue is a place, not a person: it is kept."""
    begin_write(session)
    now = now or utcnow()
    s = _locked(session, session_id)
    _require_runner(actor, s)
    if (lat is None) != (lng is None):
        raise Invalid({"lat": _l("没有取得位置，请允许浏览器使用位置后重试。")})
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Invalid({"lat": _l("位置不正确。")})
    s.lat = Decimal(str(lat)).quantize(Decimal("0.000001")) if lat is not None else None
    s.lng = Decimal(str(lng)).quantize(Decimal("0.000001")) if lng is not None else None
    s.updated_at = now
    session.commit()
    return s


def withdraw_consent(session, user: User) -> None:
    """The person withdraws their consent to location at check-in (asked again next time)."""
    begin_write(session)
    session.execute(update(User).where(User.id == user.id).values(geo_consent_at=None)
                    .execution_options(synchronize_session=False))
    session.commit()


# ---- presence --------------------------------------------------------------------------------


def _mark_in(session, s, p, row, actor_id, method, now, fence=None) -> None:
    """Check `row` in (compare-and-set: a second writer finds it done and is refused)."""
    fence = fence or {}
    res = session.execute(update(SessionSignup).where(
        SessionSignup.id == row.id, SessionSignup.checked_in_at.is_(None)).values(
        present=True, checked_in_at=now, checked_in_by_id=actor_id, checkin_method=method,
        in_distance_m=fence.get("distance"), in_fence=fence.get("inside"))
        .execution_options(synchronize_session=False))
    if res.rowcount != 1:
        raise Conflict(_l("已经签到过了。"), code="already_checked_in")
    session.refresh(row)
    if p.status == "signed":
        states.move(session, p, "activate", actor_id, None, now)
    if s.status == "scheduled":
        states.move(session, s, "hold", actor_id, now=now)


def _mark_out(session, s, p, row, actor_id, now, auto=False, fence=None) -> ServiceRecord | None:
    """Check `row` out at `now` (or, closing a forgotten one, at the session's end); a server's
    hours become a ServiceRecord of basis "presence" — approved at once unless self-attested,
    closed by the job, or scanned outside the venue's fence."""
    fence = fence or {}
    out = s.ends_at if auto else now
    presence = _hours(out - row.checked_in_at)
    community = session.get(Org, p.community_id)
    cap = min(_length(s), Decimal(str(setting(community, "max_service_hours"))))
    credited = min(presence, cap) if row.role == "server" else None
    res = session.execute(update(SessionSignup).where(
        SessionSignup.id == row.id, SessionSignup.checked_out_at.is_(None)).values(
        checked_out_at=out, checked_out_by_id=actor_id, presence_hours=presence, hours=credited,
        auto_closed=auto, out_distance_m=fence.get("distance"), out_fence=fence.get("inside"))
        .execution_options(synchronize_session=False))
    if res.rowcount != 1:
        raise Conflict(_l("已经签退过了。"), code="already_checked_out")
    session.refresh(row)
    if credited is None or credited < TENTH:
        return None
    if auto:
        note = _l("未签退，按活动结束时间计，待审核")
    elif presence > credited:
        note = _l("在场 %(p)s 小时，按活动时长计 %(c)s 小时", p=presence, c=credited)
    else:
        note = _l("在场 %(p)s 小时", p=presence)
    outside = row.in_fence is False or row.out_fence is False
    if outside:
        note = f"{note} · {OUTSIDE_NOTE}"
    rec = ServiceRecord(session_id=s.id, volunteer_id=row.user_id, community_id=p.community_id,
                        category_id=p.category_id, hours=credited, service_date=s.starts_at,
                        confirmed_by_id=actor_id, confirmed_at=now, basis="presence",
                        confirm_note=f"{p.title[:200]} · {note}")
    _add_once(session, rec)
    self_attested = row.user_id == p.responsible_id or policy.project_side(
        session.get(User, row.user_id), p) is not None
    if not auto and not self_attested and not outside:
        ledger.auto_approve(session, rec, now)
    return rec


OUTCOMES = {
    "in": _l("签到成功"), "out": _l("签退成功"),
    "already_in": _l("您已签到，不用重复扫码；活动结束时再扫一次签退。"),
    "already_out": _l("您已签退，本场考勤已完成。"),
}


def scan(session, actor: User, session_id, now=None, where=None, consent: bool = False
         ) -> tuple[SessionSignup, str]:
    """A scan of the session's code by a signed-up person: check in, check out or nothing.

    `where` (lat, lng) is the phone's point, used only where the session has a venue point and
    the person consents (now, or before): it becomes a distance and inside/outside, and outside
    the check-in is taken and marked for review. Returns the sign-up and the outcome: "in",
    "out", "already_in", "already_out".
    """
    begin_write(session)
    now = now or utcnow()
    s = _locked(session, session_id)
    p = s.project
    community = session.get(Org, p.community_id)
    _require_open(s, p)
    row = _live_signup(session, s, actor.id)
    if row is None:
        raise Conflict(_l("您没有报名这一场。请先报名，或请现场负责人为您登记。"), code="not_signed_up")
    if row.checked_in_at is None:
        _require_checkin_time(s, community, now)
        _mark_in(session, s, p, row, actor.id, "scan", now,
                 _fence(session, s, community, actor, where, consent, now))
        outcome = "in"
    elif row.checked_out_at is not None:
        outcome = "already_out"
    elif now - row.checked_in_at < DOUBLE_SCAN:
        outcome = "already_in"
    else:
        if now > _grace_end(s, community):
            raise Conflict(_l("签退时间已过，本场将按活动结束时间签退并交社区审核。"), code="too_late")
        _mark_out(session, s, p, row, actor.id, now,
                  fence=_fence(session, s, community, actor, where, consent, now))
        outcome = "out"
    session.commit()
    return row, outcome


def scan_code(session, actor: User, token: str, now=None) -> tuple[SessionSignup, str]:
    """Read a scanned code and act on it (the API and the tests; the web reads the code when the
    page opens and acts on the tap, see lists/checkin_views.py)."""
    now = now or utcnow()
    return scan(session, actor, read_code(token, now), now)


def mark(session, actor: User, session_id, user_id, now=None) -> tuple[SessionSignup, str]:
    """A runner checks in (or, later, out) someone who cannot scan; never their own service."""
    begin_write(session)
    now = now or utcnow()
    s = _locked(session, session_id)
    p = _require_runner(actor, s)
    community = session.get(Org, p.community_id)
    _require_open(s, p)
    row = _live_signup(session, s, user_id)
    if row is None:
        raise Conflict(_l("这个人没有报名这一场。"), code="not_signed_up")
    if row.role == "server" and row.user_id == actor.id:
        raise Forbidden(_l("不能为自己登记服务时长，请由另一位负责人签到，或扫码签到。"))
    if row.checked_in_at is None:
        _require_checkin_time(s, community, now)
        _mark_in(session, s, p, row, actor.id, "staff", now)
        outcome = "in"
    elif row.checked_out_at is None:
        if now - row.checked_in_at < DOUBLE_SCAN:
            raise Conflict(_l("刚刚签到，请在活动结束时再签退。"), code="already_checked_in")
        if now > _grace_end(s, community):
            raise Conflict(_l("签退时间已过，本场将按活动结束时间签退并交社区审核。"), code="too_late")
        _mark_out(session, s, p, row, actor.id, now)
        outcome = "out"
    else:
        raise Conflict(_l("已经签退过了。"), code="already_checked_out")
    session.commit()
    return row, outcome


def walk_in(session, actor: User, session_id, phone: str, name: str | None, as_: str = "attendee",
            now=None) -> SessionSignup:
    """A runner adds someone who turned up without signing up, by phone number: an account is
    made for a new number (as for 代为登记), a place taken, and the person checked in."""
    begin_write(session)
    now = now or utcnow()
    try:
        row = _walk_in(session, actor, session_id, phone, name, as_, now)
    except DomainError:
        session.rollback()  # an account made for a walk-in refused is not kept
        raise
    session.commit()
    return row


def _walk_in(session, actor, session_id, phone, name, as_, now) -> SessionSignup:
    s = _locked(session, session_id)
    p = _require_runner(actor, s)
    community = session.get(Org, p.community_id)
    _require_open(s, p)
    _require_checkin_time(s, community, now)
    user = session.scalar(select(User).where(User.phone == phone))
    if user is None:
        if not (name or "").strip():
            raise Invalid({"name": _l("这个手机号还没有账号，请填写姓名，将为其登记账号。")})
        user = residents.make_account(session, name.strip(), phone)
    elif not user.active:
        raise Invalid({"phone": _l("这个账号已停用。")})
    if as_ == "server":
        if not policy.can_serve_project(user, p):
            raise Invalid({"as": _l("只有本单位已报到的党员可以登记为服务人员。")})
        if user.id == actor.id:
            raise Forbidden(_l("不能为自己登记服务时长，请由另一位负责人签到，或扫码签到。"))
    row = _live_signup(session, s, user.id)
    if row is not None and row.checked_in_at is not None:
        raise Conflict(_l("%(n)s 已经签到过了。", n=user.name), code="already_checked_in")
    if row is None:
        col, cap = ((ProjectSession.servers_taken, ProjectSession.server_capacity)
                    if as_ == "server" else (ProjectSession.taken, ProjectSession.capacity))
        res = session.execute(update(ProjectSession).where(ProjectSession.id == s.id,
                                                           col + 1 <= cap)
                              .values({col: col + 1}).execution_options(synchronize_session=False))
        if res.rowcount != 1:
            raise Conflict(_l("这一场名额已满。"), code="full")
        row = SessionSignup(session_id=s.id, user_id=user.id, role=as_, live=True, walk_in=True,
                            created_at=now)
        session.add(row)
        session.flush()
        session.refresh(s)
    _mark_in(session, s, p, row, actor.id, "walk_in", now)
    return row


def honour(session, actor: User, session_id, user_id, hours, reason: str, now=None
           ) -> ServiceRecord:
    """补录: the community's admin enters hours for someone with no presence record of the
    session. Kept and shown as honour hours, never points; a reason is required."""
    begin_write(session)
    now = now or utcnow()
    s = project_sessions.get(session, session_id)
    p = s.project
    ledger.require_admin(actor, p.community_id)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound(_l("找不到这个人。"), code="user_not_found")
    policy.refuse(policy.hours_review_refusal(actor, user.id, None))
    if s.status == "cancelled" or s.starts_at > now:
        raise Conflict(_l("活动开展后才能补录时长。"), code="not_held")
    if not (reason or "").strip():
        raise Invalid({"reason": _l("补录时长请填写原因。")})
    row = _live_signup(session, s, user.id)
    if not (row is not None and row.role == "server") and not policy.is_volunteer_in(
            user, p.community_id):
        raise Invalid({"user_id": _l("只能为这一场的服务人员或本社区报到的党员补录。")})
    if row is not None and row.checked_in_at is not None:
        raise Conflict(_l("这个人有现场签到记录，时长按签到签退计算；如需调整请在台账中更正。"),
                       code="has_presence")
    h = ledger._check_hours(session, p.community_id, hours)
    rec = ServiceRecord(session_id=s.id, volunteer_id=user.id, community_id=p.community_id,
                        category_id=p.category_id, hours=h, service_date=s.starts_at,
                        confirmed_by_id=actor.id, confirmed_at=now, basis="honour",
                        confirm_note=f"{p.title[:200]} · {HONOUR_NOTE}: {reason.strip()[:80]}",
                        approval="approved")
    _add_once(session, rec)
    session.add(RecordReview(record_id=rec.id, decision="approve", hours=h,
                             reason=reason.strip()[:200], actor_id=actor.id, at=now))
    ledger._enter(session, rec, h, actor.id, reason.strip()[:200], now)
    session.commit()
    return rec


# ---- closing ---------------------------------------------------------------------------------


def close_due(session, now) -> int:
    """Job: settle the attendance of sessions past their check-out grace — an open presence is
    closed at the session's end (hours to review), everyone who never came is marked absent."""
    candidates = session.execute(
        select(ProjectSession.id, Project.community_id).join(
            Project, Project.id == ProjectSession.project_id)
        .where(ProjectSession.closed_at.is_(None), ProjectSession.status != "cancelled",
               ProjectSession.ends_at <= now)).all()
    due = []
    for sid, cid in candidates:
        community = session.get(Org, cid)
        s = session.get(ProjectSession, sid)
        if _grace_end(s, community) <= now:
            due.append(sid)
    session.rollback()  # no read snapshot held into the writes below
    for sid in due:
        begin_write(session)
        s = _locked(session, sid)
        if s.closed_at is not None or s.status == "cancelled":
            session.rollback()
            continue
        for row in session.scalars(select(SessionSignup).where(
                SessionSignup.session_id == s.id, SessionSignup.live.is_(True))
                .execution_options(populate_existing=True)).all():
            if row.checked_in_at is None:
                row.absent_at = now
            elif row.checked_out_at is None:
                _mark_out(session, s, s.project, row, None, now, auto=True)
        s.closed_at = now
        session.commit()
    return len(due)


# ---- what the pages show -------------------------------------------------------------------


def live(session, actor: User, session_id) -> dict:
    """The numbers under the code: signed up, in now, checked out (runners only)."""
    s = project_sessions.get(session, session_id)
    _require_runner(actor, s)
    base = select(func.count(SessionSignup.id)).where(SessionSignup.session_id == s.id,
                                                      SessionSignup.live.is_(True))
    return {
        "signed_up": session.scalar(base) or 0,
        "in": session.scalar(base.where(SessionSignup.checked_in_at.is_not(None),
                                        SessionSignup.checked_out_at.is_(None))) or 0,
        "out": session.scalar(base.where(SessionSignup.checked_out_at.is_not(None))) or 0,
    }


def state(row: SessionSignup | None) -> str:
    """Where a person stands: none (not signed up), signed, in, out, absent."""
    if row is None:
        return "none"
    if row.checked_out_at is not None:
        return "out"
    if row.checked_in_at is not None:
        return "in"
    return "absent" if row.absent_at is not None else "signed"
