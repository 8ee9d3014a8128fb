"""What the pages show of complaints: one complaint with privacy applied, the lists, the
community's response times (backlog) and the complaints about a unit (evaluation)."""
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...models import Complaint, Org, User, Wish
from .. import policy
from ..errors import Forbidden
from . import subjects
from .complaints import ACTION_LABELS, STATUS_LABELS

ANONYMOUS = _l("匿名居民")


def _author(c: Complaint, viewer: User, name: str) -> str:
    return name if policy.sees_author(viewer, c) else str(ANONYMOUS)


def detail(session, c: Complaint, viewer: User) -> dict:
    """One complaint for `viewer`, or Forbidden; the author's name only where allowed."""
    subject = subjects.of(session, c)
    if not policy.can_view_complaint(viewer, c, subject.parties):
        raise Forbidden(_l("您不能查看这条反映。"))
    sees = policy.sees_author(viewer, c)
    return {
        "id": c.id, "subject": c.subject, "subject_label": str(subjects.KIND_LABELS[c.subject]),
        "title": str(subject.title), "url": subject.url, "text": c.text, "anonymous": c.anonymous,
        "author": _author(c, viewer, c.author.name), "status": c.status,
        "status_label": str(STATUS_LABELS[c.status]), "answer": c.answer,
        "created_at": c.created_at, "first_answer_at": c.first_answer_at,
        "settled_at": c.settled_at,
        # The photo is the author's; the volunteer never sees it when the author is hidden.
        "has_photo": c.photo_type is not None and sees,
        "mine": viewer.id == c.author_id,
        "can_answer": policy.can_answer_complaint(viewer, c) and c.status in ("received", "reopened"),
        "can_close": viewer.id == c.author_id and c.status == "answered",
        "events": [{"action": str(ACTION_LABELS.get(e.action, e.action)), "at": e.at,
                    "note": e.note if (e.action != "raise") else None,
                    "actor": (_author(c, viewer, e.actor.name) if e.actor_id == c.author_id
                              else e.actor.name if e.actor else str(_l("系统")))}
                   for e in c.events],
    }


def _row(c: Complaint, title: str | None = None) -> dict:
    return {"id": c.id, "subject_label": str(subjects.KIND_LABELS[c.subject]),
            "text": c.text[:60], "status": c.status, "status_label": str(STATUS_LABELS[c.status]),
            "created_at": c.created_at, "title": title}


def mine(session, user: User) -> list[dict]:
    """Problems the user raised, newest first."""
    return [_row(c) for c in session.scalars(select(Complaint).where(
        Complaint.author_id == user.id).order_by(Complaint.id.desc()).limit(100))]


def for_community(session, viewer: User, open_only: bool = False) -> list[dict]:
    """Problems raised in the viewer's communities (admins), waiting ones first."""
    cids = policy.community_ids_for(viewer, "community_admin")
    if not cids:
        return []
    q = select(Complaint, User.name).join(User, User.id == Complaint.author_id).where(
        Complaint.community_id.in_(cids))
    if open_only:
        q = q.where(Complaint.status.in_(("received", "reopened")))
    waiting = Complaint.status.in_(("received", "reopened"))
    rows = session.execute(q.order_by(waiting.desc(), Complaint.id.desc()).limit(200)).all()
    return [dict(_row(c), author=name) for c, name in rows]


def for_wish(session, wish_id: int, viewer: User) -> list[dict]:
    """Complaints about one wish that the viewer may read (its detail page)."""
    out = []
    for c in session.scalars(select(Complaint).where(Complaint.wish_id == wish_id)
                             .order_by(Complaint.id)):
        subject = subjects.of(session, c)
        if policy.can_view_complaint(viewer, c, subject.parties):
            out.append(dict(_row(c), author=_author(c, viewer, c.author.name)))
    return out


def _hours(pairs) -> float | None:
    spans = [(b - a).total_seconds() / 3600 for a, b in pairs if a and b]
    return round(median(spans), 1) if spans else None


def response_times(session, community_ids) -> list[dict]:
    """Per community: how many were raised, wait now, and the median hours from received to
    the first answer and to settled, and the finished wishes reopened (没办好) waiting for
    the community's review (the backlog dashboard's block)."""
    cids = sorted(community_ids)
    if not cids:
        return []
    names = dict(session.execute(select(Org.id, Org.name).where(Org.id.in_(cids))).all())
    rows = session.execute(select(Complaint.community_id, Complaint.status, Complaint.created_at,
                                  Complaint.first_answer_at, Complaint.settled_at)
                           .where(Complaint.community_id.in_(cids))).all()
    disputed = dict(session.execute(select(Wish.community_id, func.count(Wish.id)).where(
        Wish.community_id.in_(cids), Wish.status == "disputed").group_by(Wish.community_id)).all())
    out = []
    for cid in cids:
        mine_ = [r for r in rows if r.community_id == cid]
        out.append({"community_id": cid, "community": names.get(cid, ""), "raised": len(mine_),
                    "waiting": sum(1 for r in mine_ if r.status in ("received", "reopened")),
                    "settled": sum(1 for r in mine_ if r.status == "settled"),
                    "to_answer_hours": _hours((r.created_at, r.first_answer_at) for r in mine_),
                    "to_settle_hours": _hours((r.created_at, r.settled_at) for r in mine_),
                    "disputed": disputed.get(cid, 0)})  # 没办好 waiting for the review
    return out


def about_unit(session, community_id: int, unit_id: int, start, end, own_ids: set) -> tuple[int, int]:
    """(complaints about the unit in [start, end), of them left out as raised by its own side)."""
    authors = list(session.scalars(select(Complaint.author_id).where(
        Complaint.unit_id == unit_id, Complaint.community_id == community_id,
        Complaint.created_at >= start, Complaint.created_at < end)))
    own = sum(1 for a in authors if a in own_ids)
    return len(authors) - own, own


def count_open(session, community_id: int) -> int:
    """Problems waiting for the community's answer."""
    return session.scalar(select(func.count(Complaint.id)).where(
        Complaint.community_id == community_id,
        Complaint.status.in_(("received", "reopened")))) or 0
