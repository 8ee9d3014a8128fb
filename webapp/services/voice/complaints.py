"""反映问题: a resident raises a problem, the community answers, the resident says whether it
is solved. received → answered → settled, or → reopened → answered again (the kernel's table).

Raised by whoever received the service; it reaches the community's admins through the outbox
(notify), never directly. Optionally anonymous to the volunteer and the unit, never to staff.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...db import begin_write
from ...models import Complaint, ComplaintEvent, RoleGrant, User, utcnow
from .. import policy
from ..errors import Forbidden, Invalid, NotFound
from ..kernel import Machine
from ..notify.notify import notify
from . import subjects

TEXT_MAX = 500
ANSWER_MAX = 1000
PHOTO_MAX = 5 * 1024 * 1024
# The photo's type by its first bytes, never by the name or the browser's word for it.
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
          (b"RIFF", "image/webp"))

TRANSITIONS = {
    "answer": (frozenset({"received", "reopened"}), "answered"),
    "settle": (frozenset({"answered"}), "settled"),
    "reopen": (frozenset({"answered"}), "reopened"),
}
STATUS_LABELS = {"received": _l("待答复"), "answered": _l("已答复"), "settled": _l("已解决"),
                 "reopened": _l("仍未解决")}
ACTION_LABELS = {"raise": _l("反映问题"), "answer": _l("社区答复"), "settle": _l("确认已解决"),
                 "reopen": _l("仍未解决")}
_REFUSALS = {"received": _l("社区还没有答复。"), "settled": _l("这个问题已经解决了。"),
             "reopened": _l("已告诉社区问题仍未解决，请等待新的答复。"),
             "answered": _l("社区已经答复了，请先看答复。")}

COMPLAINT = Machine(Complaint, TRANSITIONS, labels=STATUS_LABELS, refusals=_REFUSALS,
                    event_model=ComplaintEvent, fk="complaint_id")


def photo_type(data: bytes | None) -> str | None:
    """The image type of an uploaded photo, or Invalid for anything that is not one."""
    if not data:
        return None
    if len(data) > PHOTO_MAX:
        raise Invalid({"photo": _l("照片太大了：最多 5 MB。")})
    for magic, mime in _MAGIC:
        if data.startswith(magic) and (mime != "image/webp" or data[8:12] == b"WEBP"):
            return mime
    raise Invalid({"photo": _l("请上传 JPG、PNG 或 WebP 格式的照片。")})


def get(session, complaint_id) -> Complaint:
    """A complaint by id, or NotFound."""
    c = session.get(Complaint, complaint_id) if isinstance(complaint_id, int) else None
    if c is None:
        raise NotFound(_l("找不到这条反映。"), code="complaint_not_found")
    return c


def admin_ids(session, community_id: int) -> list[int]:
    """The community's active admins: whoever answers."""
    return list(session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.role == "community_admin", RoleGrant.org_id == community_id,
        RoleGrant.active.is_(True))))


def _text(value, field: str, limit: int, empty) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid({field: empty})
    if len(text) > limit:
        raise Invalid({field: _l("请写在 %(n)s 字以内。", n=limit)})
    return text


def raise_(session, actor: User, kind: str, subject_id, text: str, anonymous: bool = False,
           photo: bytes | None = None, now=None) -> Complaint:
    """Raise a problem about a service one received; the community's admins are told."""
    begin_write(session)
    now = now or utcnow()
    subject = subjects.resolve(session, kind, subject_id)
    if not policy.can_raise_complaint(actor, subject.recipients):
        raise Forbidden(_l("只有接受服务的居民本人可以反映这项服务的问题。"))
    text = _text(text, "text", TEXT_MAX, _l("请写下遇到的问题。"))
    mime = photo_type(photo)
    c = Complaint(subject=kind, community_id=subject.community_id, unit_id=subject.unit_id,
                  author_id=actor.id, anonymous=bool(anonymous), text=text,
                  photo=photo or None, photo_type=mime, status="received", created_at=now,
                  updated_at=now, **{f"{kind}_id": subject.id})
    session.add(c)
    session.flush()
    COMPLAINT.log(session, c, "raise", actor.id, None, "received", None, now)
    notify(session, admin_ids(session, c.community_id), "complaint_raised",
           note=_l("%(kind)s“%(title)s”", kind=subjects.KIND_LABELS[kind], title=subject.title),
           now=now,
           url=f"/voice/{c.id}")
    session.commit()
    return c


def answer(session, actor: User, complaint_id, text: str, now=None) -> Complaint:
    """The community's answer; the author is told and asked whether it solved the problem."""
    begin_write(session)
    now = now or utcnow()
    c = get(session, complaint_id)
    if not policy.can_answer_complaint(actor, c):
        raise Forbidden(_l("只有本社区管理员可以答复。"))
    COMPLAINT.check("answer", c.status)
    text = _text(text, "answer", ANSWER_MAX, _l("请填写答复内容。"))
    COMPLAINT.move(session, c, "answer", actor.id, text, now=now, answer=text,
                   answered_by_id=actor.id, first_answer_at=c.first_answer_at or now)
    notify(session, [c.author_id], "complaint_answered", note=text[:120], now=now,
           url=f"/voice/{c.id}")
    session.commit()
    return c


def close_loop(session, actor: User, complaint_id, solved: bool, note: str | None = None,
               now=None) -> Complaint:
    """The author says whether the answer solved it: settled, or reopened (admins told)."""
    begin_write(session)
    now = now or utcnow()
    c = get(session, complaint_id)
    if not policy.can_close_complaint(actor, c):
        raise Forbidden(_l("只有反映问题的居民本人可以确认。"))
    if solved:
        COMPLAINT.move(session, c, "settle", actor.id, (note or "").strip()[:300] or None,
                       now=now, settled_at=now)
    else:
        COMPLAINT.check("reopen", c.status)
        note = _text(note, "note", 300, _l("请说说还有什么没解决。"))
        COMPLAINT.move(session, c, "reopen", actor.id, note, now=now)
        notify(session, admin_ids(session, c.community_id), "complaint_reopened", note=note,
               now=now, url=f"/voice/{c.id}")
    session.commit()
    return c
