"""The insurance register (issue 24 item 6; 志愿服务条例 art. 17: volunteers get accident
insurance before risky services).

A project, or a wish category, can require cover. The community's admin records policies
(insurer, number, who, from–to, Beijing dates, both included); signing up to serve such a
project, or claiming such a wish, warns someone with no cover on the day (a warning, never a
refusal: the community decides); and the insurer gets an .xlsx of who served on which session
and under which policy.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...db import begin_write
from ...models import (InsurancePolicy, Project, ProjectSession, SessionSignup, User, Wish,
                       utcnow)
from .. import policy
from ..errors import Conflict, Forbidden, Invalid
from ..ledger.exports import Sheet
from ..ledger.periods import local
from . import project_sessions

WARNING = _l("这项服务要求志愿者有意外保险，社区还没有登记您在当天有效的保险。请联系社区办理或登记后再参加。")


def _require_admin(actor: User, community_id: int) -> None:
    if not policy.is_community_admin(actor, community_id):
        raise Forbidden(_l("只有本社区管理员可以登记保险。"))


def record(session, actor: User, community_id: int, data, now=None) -> InsurancePolicy:
    """Record one person's cover under a policy (the person found by phone)."""
    begin_write(session)
    now = now or utcnow()
    _require_admin(actor, community_id)
    person = session.scalar(select(User).where(User.phone == data.phone))
    if person is None:
        raise Invalid({"phone": _l("这个手机号还没有账号。")})
    if data.covers_to < data.covers_from:
        raise Invalid({"covers_to": _l("结束日期应不早于开始日期。")})
    row = InsurancePolicy(community_id=community_id, user_id=person.id, insurer=data.insurer,
                          number=data.number, covers_from=data.covers_from,
                          covers_to=data.covers_to, recorded_by_id=actor.id, created_at=now)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(_l("这个人已登记在这张保单下。"), code="already_recorded") from None
    return row


def policies(session, actor: User, community_id: int) -> list[dict]:
    """The community's register, newest first (its admin only)."""
    _require_admin(actor, community_id)
    rows = session.execute(select(InsurancePolicy, User.name).join(
        User, User.id == InsurancePolicy.user_id).where(
        InsurancePolicy.community_id == community_id).order_by(InsurancePolicy.id.desc())).all()
    return [{"id": r.id, "name": n, "insurer": r.insurer, "number": r.number,
             "covers_from": r.covers_from, "covers_to": r.covers_to} for r, n in rows]


def cover(session, user_id: int, day: date) -> InsurancePolicy | None:
    """A policy covering the person on `day`, from any community's register."""
    return session.scalar(select(InsurancePolicy).where(
        InsurancePolicy.user_id == user_id, InsurancePolicy.covers_from <= day,
        InsurancePolicy.covers_to >= day).order_by(InsurancePolicy.covers_to.desc()).limit(1))


def lacks_cover_for_session(session, user: User, s: ProjectSession) -> bool:
    """Whether a server of `s` should be warned: the project requires cover, they have none."""
    return bool(s.project.requires_insurance) and cover(
        session, user.id, local(s.starts_at).date()) is None


def lacks_cover_for_wish(session, user: User, wish: Wish, now=None) -> bool:
    """Whether a claimer of `wish` should be warned (its category requires cover)."""
    if not wish.category.requires_insurance:
        return False
    day = local(wish.wanted_from or now or utcnow()).date()
    return cover(session, user.id, day) is None


def project_sheet(session, actor: User, project_id) -> tuple[Project, Sheet]:
    """For the insurer: each session of the project, each server, and the cover on that day."""
    from . import projects
    p = projects.get(session, project_id)
    _require_admin(actor, p.community_id)
    sessions = project_sessions.of_project(session, p)

    def rows():
        for s in sessions:
            if s.status == "cancelled":
                continue
            day = local(s.starts_at).date()
            for row, user in session.execute(select(SessionSignup, User).join(
                    User, User.id == SessionSignup.user_id).where(
                    SessionSignup.session_id == s.id, SessionSignup.live.is_(True),
                    SessionSignup.role == "server").order_by(SessionSignup.id)).all():
                c = cover(session, user.id, day)
                yield [day.isoformat(), p.title, user.name, user.phone or "",
                       "是" if row.checked_in_at else "否",
                       c.insurer if c else "", c.number if c else "",
                       f"{c.covers_from}—{c.covers_to}" if c else "", "是" if c else "否"]

    return p, Sheet("保险名单", ["活动日期", "活动", "姓名", "手机号", "到场", "保险公司", "保单号",
                             "保险期间", "当天在保"],
                    [12, 20, 10, 14, 6, 16, 20, 24, 10], rows(),
                    caption=[f"{p.title} 服务人员保险名单"])
