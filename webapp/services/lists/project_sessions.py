"""Project sessions (场次): generated from the rule, moved or cancelled one by one, signed up
for with exact capacity, and checked in; a server's hours become a ServiceRecord that goes
through the ledger's approval path exactly like a wish's.
"""
from datetime import timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ...db import begin_write
from ...models import (Org, Project, ProjectSession, ServiceRecord, SessionSignup, User, utcnow)
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..ledger import ledger
from ..notify.notify import notify
from . import recurrence, states
from .resources import LOCAL_TZ, at

CHECKIN_EARLY = timedelta(hours=1)


def get(session, session_id) -> ProjectSession:
    """A session by id or NotFound."""
    s = session.get(ProjectSession, session_id) if isinstance(session_id, int) else None
    if s is None:
        raise NotFound(_l("找不到这一场活动。"), code="session_not_found")
    return s


def _label(s: ProjectSession) -> str:
    return f"{s.project.title} {s.starts_at.astimezone(LOCAL_TZ):%m-%d %H:%M}"


def generate(session, p: Project, now, skip_days=frozenset()) -> int:
    """Create the project's sessions for its period (from today on), in the caller's transaction."""
    n = 0
    for d in recurrence.occurrences(p.rrule, p.starts_on, p.ends_on):
        if d in skip_days or at(d, p.start) <= now:
            continue
        session.add(ProjectSession(project_id=p.id, starts_at=at(d, p.start), ends_at=at(d, p.end),
                                   place=p.place, capacity=p.session_capacity,
                                   server_capacity=p.server_capacity, updated_at=now))
        n += 1
    session.flush()
    return n


def hand_over(session, old: Project, new: Project, now) -> set:
    """On an amendment: future sessions with sign-ups move to the new version, empty ones go."""
    future = session.scalars(select(ProjectSession).where(
        ProjectSession.project_id == old.id, ProjectSession.status == "scheduled",
        ProjectSession.starts_at > now)).all()
    kept = set()
    for s in future:
        if session.scalar(select(SessionSignup.id).where(SessionSignup.session_id == s.id)):
            s.project_id = new.id
            kept.add(s.starts_at.astimezone(LOCAL_TZ).date())
        else:
            session.execute(delete(ProjectSession).where(ProjectSession.id == s.id))
    session.flush()
    return kept


def _registrants(session, s: ProjectSession) -> list[int]:
    return list(session.scalars(select(SessionSignup.user_id).where(
        SessionSignup.session_id == s.id, SessionSignup.live.is_(True))))


def _require_runner(actor: User, s: ProjectSession) -> Project:
    p = s.project
    if not policy.can_run_session(actor, p):
        raise Forbidden(_l("只有项目责任人或双方管理员可以操作场次。"))
    return p


def move(session, actor: User, session_id, data, now=None) -> ProjectSession:
    """Move one scheduled session to another day or time; everyone signed up is told."""
    begin_write(session)
    now = now or utcnow()
    s = get(session, session_id)
    _require_runner(actor, s)
    starts, ends = at(data.day, data.start), at(data.day, data.end)
    if starts <= now:
        raise Invalid({"date": _l("只能改到以后的时间。")})
    old = _label(s)
    states.move(session, s, "move", actor.id, now=now, starts_at=starts, ends_at=ends,
                note=data.reason, reminded_at=None)
    states.log(session, s.project, "move_session", actor.id, s.project.status, s.project.status,
               f"{old} → {starts.astimezone(LOCAL_TZ):%m-%d %H:%M}: {data.reason}", now)
    notify(session, _registrants(session, s), "session_changed",
           note=_l("“%(x)s”改到 %(t)s：%(r)s", x=old,
                   t=f"{starts.astimezone(LOCAL_TZ):%m-%d %H:%M}", r=data.reason),
           now=now, url=f"/lists/sessions/{s.id}")
    session.commit()
    return s


def cancel(session, actor: User, session_id, reason: str, now=None) -> ProjectSession:
    """Cancel one scheduled session with a reason; everyone signed up is told."""
    begin_write(session)
    now = now or utcnow()
    s = get(session, session_id)
    _require_runner(actor, s)
    if not (reason or "").strip():
        raise Invalid({"reason": _l("请填写取消的原因。")})
    _cancel(session, s, actor, reason.strip(), now)
    session.commit()
    return s


def _cancel(session, s, actor, reason, now):
    states.move(session, s, "cancel", actor.id if actor else None, now=now, note=reason[:200])
    states.log(session, s.project, "cancel_session", actor.id if actor else None,
               s.project.status, s.project.status, f"{_label(s)}: {reason}", now)
    notify(session, _registrants(session, s), "session_changed",
           note=_l("“%(x)s”取消了：%(r)s", x=_label(s), r=reason), now=now,
           url=f"/lists/sessions/{s.id}")


def cancel_future(session, p: Project, actor, reason, now) -> None:
    """A terminated project's future sessions are cancelled, registrants told (caller commits)."""
    for s in session.scalars(select(ProjectSession).where(
            ProjectSession.project_id == p.id, ProjectSession.status == "scheduled",
            ProjectSession.starts_at > now)).all():
        _cancel(session, s, actor, reason, now)


def signup(session, actor: User, session_id, as_: str = "attendee", now=None) -> SessionSignup:
    """Sign up to attend (residents) or serve (the unit's members, or any when allowed)."""
    now = now or utcnow()
    s = get(session, session_id)
    p = s.project
    if as_ == "server":
        if not policy.can_serve_project(actor, p):
            raise Forbidden(_l("这个项目由本单位党员服务；请先完成社区报到。"))
    elif not policy.can_attend_project(actor, p):
        raise Forbidden(_l("这个项目面向本社区居民。"))
    if p.status not in ("signed", "active") or s.status != "scheduled" or s.starts_at <= now:
        raise Conflict(_l("这一场已不能报名。"), code="not_open")
    begin_write(session)
    if session.scalar(select(SessionSignup.id).where(SessionSignup.session_id == s.id,
                                                     SessionSignup.user_id == actor.id,
                                                     SessionSignup.live.is_(True))):
        raise Conflict(_l("已经报名过这一场了。"), code="already_signed_up")
    col, cap = ((ProjectSession.servers_taken, ProjectSession.server_capacity) if as_ == "server"
                else (ProjectSession.taken, ProjectSession.capacity))
    res = session.execute(update(ProjectSession)
                          .where(ProjectSession.id == s.id, ProjectSession.status == "scheduled",
                                 col + 1 <= cap)
                          .values({col: col + 1}).execution_options(synchronize_session=False))
    if res.rowcount != 1:
        session.rollback()
        raise Conflict(_l("这一场名额已满。"), code="full")
    row = SessionSignup(session_id=s.id, user_id=actor.id, role=as_, live=True, created_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(_l("已经报名过这一场了。"), code="already_signed_up") from None
    session.commit()
    return row


def withdraw(session, actor: User, session_id, now=None) -> None:
    """Cancel one's own sign-up before the session starts; the place goes back."""
    begin_write(session)
    now = now or utcnow()
    s = get(session, session_id)
    row = session.scalar(select(SessionSignup).where(
        SessionSignup.session_id == s.id, SessionSignup.user_id == actor.id,
        SessionSignup.live.is_(True)))
    if row is None:
        raise Conflict(_l("您没有报名这一场。"), code="not_signed_up")
    if s.starts_at <= now or row.present:
        raise Conflict(_l("活动已经开始，不能取消报名。"), code="too_late")
    col = ProjectSession.servers_taken if row.role == "server" else ProjectSession.taken
    session.execute(update(ProjectSession).where(ProjectSession.id == s.id, col > 0)
                    .values({col: col - 1}).execution_options(synchronize_session=False))
    row.live = None
    session.commit()


def checkin(session, actor: User, session_id, user_id, hours=None, now=None) -> SessionSignup:
    """The responsible person checks in an attendee or a server; a server's hours go to the
    community's approval queue (auto-approved within tolerance of the session's length)."""
    begin_write(session)
    now = now or utcnow()
    s = get(session, session_id)
    p = _require_runner(actor, s)
    if p.status not in ("signed", "active") or s.status == "cancelled":
        raise Conflict(_l("这一场不能签到。"), code="not_open")
    if now < s.starts_at - CHECKIN_EARLY:
        raise Conflict(_l("活动开始前一小时起才能签到。"), code="too_early")
    row = session.scalar(select(SessionSignup).where(
        SessionSignup.session_id == s.id, SessionSignup.user_id == user_id,
        SessionSignup.live.is_(True)))
    if row is None:
        raise Conflict(_l("这个人没有报名这一场。"), code="not_signed_up")
    if row.present:
        raise Conflict(_l("已经签到过了。"), code="already_checked_in")
    length = Decimal((s.ends_at - s.starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
    if row.role == "server":
        if user_id == actor.id:
            raise Forbidden(_l("不能为自己登记服务时长，请由另一位负责人签到。"))
        h = ledger._check_hours(session, p.community_id, hours if hours is not None else length)
        row.hours = h
    row.present, row.checked_in_by_id, row.checked_in_at = True, actor.id, now
    if p.status == "signed":
        states.move(session, p, "activate", actor.id, None, now)
    if s.status == "scheduled":
        states.move(session, s, "hold", actor.id, now=now)
    if row.role == "server":
        rec = ServiceRecord(session_id=s.id, volunteer_id=user_id, community_id=p.community_id,
                            category_id=p.category_id, hours=row.hours, service_date=s.starts_at,
                            confirmed_by_id=actor.id, confirmed_at=now, confirm_note=p.title[:300])
        session.add(rec)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            raise Conflict(_l("已经签到过了。"), code="already_checked_in") from None
        ledger.on_confirmed(session, [rec], now, estimate=length)
    session.commit()
    return row


def of_project(session, p: Project) -> list[ProjectSession]:
    """A project's sessions in time order."""
    return list(session.scalars(select(ProjectSession).where(ProjectSession.project_id == p.id)
                                .order_by(ProjectSession.starts_at)))


def upcoming(session, community_id: int, now=None, limit: int = 10) -> list[ProjectSession]:
    """The next scheduled sessions of the community's running projects (服务清单)."""
    now = now or utcnow()
    return list(session.scalars(
        select(ProjectSession).join(Project, Project.id == ProjectSession.project_id)
        .where(Project.community_id == community_id, Project.status.in_(("signed", "active")),
               ProjectSession.status == "scheduled", ProjectSession.starts_at > now)
        .order_by(ProjectSession.starts_at).limit(limit)))


def signups(session, actor: User, s: ProjectSession) -> list[dict]:
    """The check-in list for the session's runners: names of who signed up (no phones)."""
    _require_runner(actor, s)
    rows = session.execute(select(SessionSignup, User.name).join(
        User, User.id == SessionSignup.user_id).where(
        SessionSignup.session_id == s.id, SessionSignup.live.is_(True))
        .order_by(SessionSignup.role.desc(), SessionSignup.id)).all()
    return [{"user_id": r.user_id, "name": n, "role": r.role, "present": r.present,
             "hours": r.hours} for r, n in rows]


def my_signup(session, user: User, s: ProjectSession) -> SessionSignup | None:
    """The user's live sign-up to this session, if any."""
    return session.scalar(select(SessionSignup).where(
        SessionSignup.session_id == s.id, SessionSignup.user_id == user.id,
        SessionSignup.live.is_(True)))


def card(s: ProjectSession) -> dict:
    """A session as anyone sees it: times, status, counts only."""
    return {"id": s.id, "project_id": s.project_id, "title": s.project.title,
            "starts_at": s.starts_at, "ends_at": s.ends_at, "place": s.place or s.project.place,
            "status": s.status, "status_label": str(states.SESSION_LABELS[s.status]),
            "taken": s.taken, "capacity": s.capacity, "servers_taken": s.servers_taken,
            "server_capacity": s.server_capacity, "note": s.note}


def remind_sessions(session, now) -> int:
    """Job: remind everyone signed up, once, within two hours of a session."""
    due = session.scalars(select(ProjectSession).where(
        ProjectSession.status == "scheduled", ProjectSession.reminded_at.is_(None),
        ProjectSession.starts_at > now, ProjectSession.starts_at <= now + timedelta(hours=2))).all()
    if not due:
        return 0
    begin_write(session)
    for s in due:
        notify(session, _registrants(session, s), "list_reminder",
               note=_l("活动提醒：%(x)s", x=_label(s)), now=now, url=f"/lists/sessions/{s.id}")
        s.reminded_at = now
    session.commit()
    return len(due)


def count_people(session, community_id: int) -> int:
    """Attendees checked in across the community's projects (for the unit page's numbers)."""
    return session.scalar(select(func.count(SessionSignup.id)).join(
        ProjectSession, ProjectSession.id == SessionSignup.session_id).join(
        Project, Project.id == ProjectSession.project_id).where(
        Project.community_id == community_id, SessionSignup.present.is_(True))) or 0
