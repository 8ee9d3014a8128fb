"""Project sessions (场次): generated from the rule, moved or cancelled one by one, signed up
for with exact capacity (paused after repeated absences). Check-in and check-out — the source
of a server's hours — are in checkin.py.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ...db import begin_write
from ...models import Org, Project, ProjectSession, SessionSignup, User, utcnow
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..notify.notify import notify
from ..people.orgs import setting
from . import recurrence, states
from .resources import LOCAL_TZ, at


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
    if absence_paused(session, p.community, actor.id, now):
        raise Conflict(_l("近期多次报名后未到场，报名功能暂停，请稍后再试或联系社区。"), code="paused")
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


def absences(session, user_id: int, since) -> int:
    """Sessions the person signed up for and never came to, marked since `since`."""
    return session.scalar(select(func.count(SessionSignup.id)).where(
        SessionSignup.user_id == user_id, SessionSignup.absent_at.is_not(None),
        SessionSignup.absent_at >= since)) or 0


def absence_paused(session, community: Org, user_id: int, now) -> bool:
    """Repeated absences pause sign-ups: N within the window, the last one inside it."""
    days = int(setting(community, "absence_pause_days"))
    return absences(session, user_id, now - timedelta(days=days)) >= int(
        setting(community, "absence_pause_after"))


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
             "hours": r.hours, "checked_in_at": r.checked_in_at,
             "checked_out_at": r.checked_out_at, "auto_closed": r.auto_closed,
             "absent": r.absent_at is not None, "walk_in": r.walk_in,
             "method": r.checkin_method, "in_distance_m": r.in_distance_m,
             "in_fence": r.in_fence, "out_distance_m": r.out_distance_m,
             "out_fence": r.out_fence} for r, n in rows]


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
            "server_capacity": s.server_capacity, "note": s.note,
            "has_place": s.lat is not None}


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
