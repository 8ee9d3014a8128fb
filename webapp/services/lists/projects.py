"""Projects (项目清单 · 共建项目书): drafted by a community and a unit, signed by both, run as
sessions. A signed project is never edited: an amendment is a new version beside the old.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...db import begin_write
from ...models import (Category, Org, Project, ProjectEvent, ProjectSession, RoleGrant,
                       SessionSignup, Unit, User, utcnow)
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..notify.notify import notify
from ..ledger.periods import LOCAL_TZ
from . import project_sessions, recurrence, states

FIELDS = ("title", "content", "standard", "target", "target_per_month", "place",
          "responsible_name", "responsible_id", "category_id", "starts_on", "ends_on", "rrule",
          "start", "end", "session_capacity", "server_capacity", "any_member",
          "requires_insurance")


def get(session, project_id) -> Project:
    """A project by id or NotFound."""
    p = session.get(Project, project_id) if isinstance(project_id, int) else None
    if p is None:
        raise NotFound(_l("找不到这个项目。"), code="project_not_found")
    return p


def _side(actor: User, p: Project) -> str:
    side = policy.project_side(actor, p)
    if side is None:
        raise Forbidden(_l("只有项目双方（社区管理员、单位管理员）可以操作项目书。"))
    return side


def _other_side(session, p: Project, side: str) -> list[int]:
    q = select(RoleGrant.user_id).where(RoleGrant.active.is_(True))
    q = (q.where(RoleGrant.role == "unit_admin", RoleGrant.unit_id == p.unit_id) if side == "community"
         else q.where(RoleGrant.role == "community_admin", RoleGrant.org_id == p.community_id))
    return list(session.scalars(q))


def _values(session, data) -> dict:
    """Checked column values from a ProjectInput (Invalid names the field)."""
    community = session.get(Org, data.community_id)
    if community is None or community.kind != "community":
        raise Invalid({"community_id": _l("请选择社区。")})
    unit = session.get(Unit, data.unit_id)
    if unit is None or unit.community_id != community.id or unit.status != "approved":
        raise Invalid({"unit_id": _l("单位需先向这个社区报到并通过审核。")})
    values = {k: getattr(data, k) for k in FIELDS}
    if data.category_id is None:
        values["category_id"] = session.scalar(select(Category.id).where(
            Category.community_id == community.id, Category.active.is_(True))
            .order_by(Category.position, Category.id))
    elif session.scalar(select(Category.id).where(Category.id == data.category_id,
                                                  Category.community_id == community.id)) is None:
        raise Invalid({"category_id": _l("请从列表中选择。")})
    if values["category_id"] is None:
        raise Invalid({"category_id": _l("社区还没有服务类别，请先设置。")})
    if data.responsible_id is not None:
        person = session.get(User, data.responsible_id)
        if person is None or person.unit_id != unit.id:
            raise Invalid({"responsible_id": _l("责任人应为本单位人员。")})
        values["responsible_name"] = values["responsible_name"] or person.name
    recurrence.occurrences(data.rrule, data.starts_on, data.ends_on)  # Invalid on the rrule
    values["rrule"] = data.rrule.strip().upper()
    return {"community_id": community.id, "unit_id": unit.id, **values}


def draft(session, actor: User, data, now=None) -> Project:
    """Either side drafts a project; the other side is asked to look at it."""
    begin_write(session)
    now = now or utcnow()
    values = _values(session, data)
    probe = Project(community_id=values["community_id"], unit_id=values["unit_id"])
    side = _side(actor, probe)
    p = Project(**values, status="draft", created_by_id=actor.id, created_at=now, updated_at=now)
    session.add(p)
    session.flush()
    states.log(session, p, "draft", actor.id, None, "draft", None, now)
    notify(session, _other_side(session, p, side), "project_sign_needed", note=p.title, now=now,
           url=f"/lists/projects/{p.id}")
    session.commit()
    return p


def edit(session, actor: User, project_id, data, now=None) -> Project:
    """Change a draft; both signatures are cleared, since what was signed has changed."""
    begin_write(session)
    now = now or utcnow()
    p = get(session, project_id)
    _side(actor, p)
    if p.status != "draft":
        raise Conflict(states.refusal(Project, p.status), code="not_editable")
    values = _values(session, data)
    if (values["community_id"], values["unit_id"]) != (p.community_id, p.unit_id):
        raise Invalid({"unit_id": _l("不能更换项目双方，请新建项目。")})
    for k, v in values.items():
        setattr(p, k, v)
    p.community_signed_by_id = p.unit_signed_by_id = None
    p.updated_at = now
    states.log(session, p, "edit", actor.id, "draft", "draft", None, now)
    session.commit()
    return p


def sign(session, actor: User, project_id, now=None) -> Project:
    """One side signs; once both have, the project is signed and its sessions are scheduled."""
    begin_write(session)
    now = now or utcnow()
    p = get(session, project_id)
    side = _side(actor, p)
    if p.status != "draft":
        raise Conflict(states.refusal(Project, p.status), code="illegal_transition")
    col = "community_signed_by_id" if side == "community" else "unit_signed_by_id"
    if getattr(p, col) is not None:
        raise Conflict(_l("您方已经签过了，正在等待对方确认。"), code="already_signed")
    setattr(p, col, actor.id)
    if p.community_signed_by_id and p.unit_signed_by_id:
        states.move(session, p, "sign", actor.id, str(side), now)
        kept = _supersede_previous(session, p, actor, now)
        project_sessions.generate(session, p, now, skip_days=kept)
    else:
        states.log(session, p, "sign", actor.id, "draft", "draft", str(side), now)
        notify(session, _other_side(session, p, side), "project_sign_needed", note=p.title,
               now=now, url=f"/lists/projects/{p.id}")
    session.commit()
    return p


def _supersede_previous(session, p: Project, actor: User, now) -> set:
    """A signed amendment replaces its previous version; booked future sessions move over."""
    if p.previous_id is None:
        return set()
    old = session.get(Project, p.previous_id)
    old.superseded = True
    if old.status in ("signed", "active"):
        states.move(session, old, "supersede", actor.id, str(_l("由第 %(v)s 版取代", v=p.version)), now)
    return project_sessions.hand_over(session, old, p, now)


def amend(session, actor: User, project_id, data, now=None) -> Project:
    """Propose a new version of a signed or running project; the old one stands until it's signed."""
    begin_write(session)
    now = now or utcnow()
    old = get(session, project_id)
    _side(actor, old)
    if old.status not in ("signed", "active") or old.superseded:
        raise Conflict(states.refusal(Project, old.status), code="not_amendable")
    if session.scalar(select(Project.id).where(Project.previous_id == old.id,
                                               Project.status == "draft")):
        raise Conflict(_l("已有一份修订版在等待签订。"), code="amendment_pending")
    values = _values(session, data)
    if (values["community_id"], values["unit_id"]) != (old.community_id, old.unit_id):
        raise Invalid({"unit_id": _l("不能更换项目双方，请新建项目。")})
    p = Project(**values, status="draft", version=old.version + 1, previous_id=old.id,
                created_by_id=actor.id, created_at=now, updated_at=now)
    session.add(p)
    session.flush()
    states.log(session, p, "amend", actor.id, None, "draft", f"v{old.version}", now)
    states.log(session, old, "amend", actor.id, old.status, old.status, f"v{p.version}", now)
    session.commit()
    return p


def act(session, actor: User | None, project_id, action: str, reason: str | None = None,
        now=None) -> Project:
    """activate, complete or terminate (with a reason) by either side; None = the job."""
    if action not in ("activate", "complete", "terminate"):
        raise NotFound()
    begin_write(session)
    now = now or utcnow()
    p = get(session, project_id)
    if actor is not None:
        _side(actor, p)
    if action == "terminate" and not (reason or "").strip():
        raise Invalid({"reason": _l("请填写终止的原因。")})
    states.move(session, p, action, actor.id if actor else None, reason, now,
                **({"reason": reason.strip()[:200]} if action == "terminate" else {}))
    if action == "terminate":
        project_sessions.cancel_future(session, p, actor, reason, now)
    session.commit()
    return p


def run_calendar(session, now) -> int:
    """Job: signed projects start on their first day; running ones complete after their last."""
    today = now.astimezone(LOCAL_TZ).date()
    due = session.execute(select(Project.id, Project.status).where(
        ((Project.status == "signed") & (Project.starts_on <= today))
        | ((Project.status == "active") & (Project.ends_on < today)))).all()
    for pid, status in due:
        act(session, None, pid, "activate" if status == "signed" else "complete", now=now)
    return len(due)


def progress(session, p: Project, now=None) -> dict:
    """This month's sessions held against the target, and people served (present attendees)."""
    now = now or utcnow()
    local = now.astimezone(LOCAL_TZ)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    nxt = (first + timedelta(days=32)).replace(day=1)
    held = session.scalar(select(func.count(ProjectSession.id)).where(
        ProjectSession.project_id == p.id, ProjectSession.status == "held",
        ProjectSession.starts_at >= first, ProjectSession.starts_at < nxt))
    people = session.scalar(select(func.count(SessionSignup.id)).join(
        ProjectSession, ProjectSession.id == SessionSignup.session_id).where(
        ProjectSession.project_id == p.id, SessionSignup.present.is_(True),
        SessionSignup.role == "attendee", ProjectSession.starts_at >= first,
        ProjectSession.starts_at < nxt))
    total = session.scalar(select(func.count(ProjectSession.id)).where(
        ProjectSession.project_id == p.id, ProjectSession.status == "held"))
    return {"month_held": held or 0, "target": p.target_per_month, "month_people": people or 0,
            "total_held": total or 0}


def unit_progress(session, unit_id: int, community_id: int, period) -> list[dict]:
    """One line per project of the unit in the community that overlaps `period` (a ledger
    Period): sessions held and people served in it, against the monthly target × its months."""
    months = ((period.last_month // 100 - period.first_month // 100) * 12
              + period.last_month % 100 - period.first_month % 100 + 1)
    in_period = (ProjectSession.starts_at >= period.start, ProjectSession.starts_at < period.end)
    held = dict(session.execute(
        select(ProjectSession.project_id, func.count(ProjectSession.id))
        .where(ProjectSession.status == "held", *in_period)
        .group_by(ProjectSession.project_id)).all())
    people = dict(session.execute(
        select(ProjectSession.project_id, func.count(SessionSignup.id))
        .join(SessionSignup, SessionSignup.session_id == ProjectSession.id)
        .where(SessionSignup.present.is_(True), SessionSignup.role == "attendee", *in_period)
        .group_by(ProjectSession.project_id)).all())
    first, last = period.start.astimezone(LOCAL_TZ).date(), period.end.astimezone(LOCAL_TZ).date()
    rows = session.scalars(select(Project).where(
        Project.unit_id == unit_id, Project.community_id == community_id,
        Project.status.in_(("signed", "active", "completed", "terminated")),
        Project.starts_on < last, Project.ends_on >= first).order_by(Project.starts_on))
    return [{"id": p.id, "title": p.title, "status_label": str(states.PROJECT_LABELS[p.status]),
             "held": held.get(p.id, 0), "people": people.get(p.id, 0),
             "target": p.target_per_month * months if p.target_per_month else None}
            # an amended version's old text stays only for the sessions it held
            for p in rows if not p.superseded or held.get(p.id)]


def card(p: Project, prog: dict | None = None) -> dict:
    """What anyone in the community may see of a project (a signed project is public there)."""
    return {"id": p.id, "title": p.title, "content": p.content, "standard": p.standard,
            "target": p.target, "place": p.place, "responsible_name": p.responsible_name,
            "unit": p.unit.name, "unit_id": p.unit_id, "community_id": p.community_id,
            "starts_on": p.starts_on, "ends_on": p.ends_on, "rrule": p.rrule,
            "start": p.start, "end": p.end, "status": p.status,
            "status_label": str(states.PROJECT_LABELS[p.status]), "version": p.version,
            "previous_id": p.previous_id, "superseded": p.superseded, "reason": p.reason,
            "community_signed": p.community_signed_by_id is not None,
            "unit_signed": p.unit_signed_by_id is not None,
            "session_capacity": p.session_capacity, "server_capacity": p.server_capacity,
            "requires_insurance": p.requires_insurance, "progress": prog}


def visible(session, viewer: User, community_id: int | None = None,
            unit_id: int | None = None) -> list[Project]:
    """Projects of a community or unit; drafts only for the two sides."""
    q = select(Project).where(Project.superseded.is_(False))
    if community_id is not None:
        q = q.where(Project.community_id == community_id)
    if unit_id is not None:
        q = q.where(Project.unit_id == unit_id)
    rows = session.scalars(q.order_by(Project.id.desc()).limit(200)).all()
    return [p for p in rows if p.status != "draft" or policy.project_side(viewer, p)]


def can_view(viewer: User, p: Project) -> bool:
    """Drafts are for the two sides; the rest for anyone of the community or the unit."""
    if policy.project_side(viewer, p):
        return True
    if p.status == "draft":
        return False
    return (policy.home_community_id(viewer) == p.community_id
            or p.community_id in policy.community_ids_for(viewer, "member", "grid_worker",
                                                          "unit_admin", "community_admin")
            or viewer.unit_id == p.unit_id
            or policy.is_street_admin(viewer, p.community.street_id))


def events(session, p: Project) -> list[ProjectEvent]:
    """The project's timeline, oldest first."""
    return list(session.scalars(select(ProjectEvent).where(ProjectEvent.project_id == p.id)
                                .order_by(ProjectEvent.id)))
