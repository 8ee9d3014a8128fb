"""Public notice of honours (荣誉公示): star levels reached and certificates issued in a year,
published on the community's board with masked names for at least seven days, with a channel for
objections that reaches the community's admins. A star level is held once its notice has ended
(services/ledger/stars.py). notice → ended (by the job, once past its end) | withdrawn (with a
reason, by the admin) — the kernel Machine below.
"""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, selectinload

from ...db import begin_write
from ...models import (Certificate, HonourItem, HonourNotice, HonourNoticeEvent, HonourObjection,
                       LedgerTotal, Org, RoleGrant, User, utcnow)
from .. import paging, policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..kernel import Machine
from ..notify.notify import notify
from ..wishes.present import mask_name
from . import stars
from .certificates import holder_name
from .periods import LOCAL_TZ, local

MIN_DAYS, MAX_DAYS = 7, 30  # 公示 at least seven days (the rules); a month at most
MAX_ITEMS = 500
BOARD_ITEMS = 20  # lines of a notice on the board, poster and objection form; the rest paged
NOTICE_PAGE = 30  # lines a page of the whole list (/notices/<id>)

NOTICE = Machine(HonourNotice, {
    "end": (frozenset({"notice"}), "ended"),
    "withdraw": (frozenset({"notice"}), "withdrawn"),
}, labels={"notice": _l("公示中"), "ended": _l("公示期满"), "withdrawn": _l("已撤回")},
    action_refusals={"withdraw": (_l("只有公示中的名单可以撤回。"), "not_in_notice"),
                     "end": (_l("这份公示已经结束了。"), "not_in_notice")},
    event_model=HonourNoticeEvent, fk="notice_id")


def _community(session, actor: User, community_id) -> Org:
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise NotFound(code="community_not_found")
    if not policy.can_run_honours(actor, org.id):
        raise Forbidden(_l("只有本社区管理员可以发布荣誉公示。"))
    return org


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    def at(d):
        return datetime.combine(d, time(0), tzinfo=LOCAL_TZ).astimezone(timezone.utc)
    return at(date(year, 1, 1)), at(date(year + 1, 1, 1))


def candidates(session, org: Org, year: int) -> dict:
    """What a notice for `year` would name: volunteers whose cumulative hours in the community
    reach a star level not yet in a notice (under today's thresholds), and the year's valid
    certificates not yet in one."""
    live = select(HonourNotice.id).where(HonourNotice.community_id == org.id,
                                         HonourNotice.status != "withdrawn")
    named = dict(session.execute(
        select(HonourItem.volunteer_id, func.max(HonourItem.stars))
        .where(HonourItem.notice_id.in_(live), HonourItem.kind == "star")
        .group_by(HonourItem.volunteer_id)).all())
    rows = session.execute(  # cumulative hours from the summary the ledger keeps; ids only:
        # the people are read for the page that names them
        select(LedgerTotal.volunteer_id, LedgerTotal.hours)
        .where(LedgerTotal.community_id == org.id, LedgerTotal.hours > 0)
        .order_by(LedgerTotal.hours.desc(), LedgerTotal.volunteer_id)).all()
    earned = stars.earned_by(org)
    star_rows = [{"volunteer_id": v, "hours": Decimal(h), "stars": earned(h)} for v, h in rows]
    star_rows = [r for r in star_rows
                 if r["stars"] > (named.get(r["volunteer_id"]) or 0)][:MAX_ITEMS]
    start, end = _year_bounds(year)
    in_notice = select(HonourItem.certificate_id).where(HonourItem.notice_id.in_(live),
                                                        HonourItem.certificate_id.is_not(None))
    certs = list(session.scalars(select(Certificate).where(
        Certificate.community_id == org.id, Certificate.revoked_at.is_(None),
        Certificate.issued_at >= start, Certificate.issued_at < end,
        Certificate.id.not_in(in_notice)).order_by(Certificate.id).limit(MAX_ITEMS)
        .options(selectinload(Certificate.volunteer).lazyload(User.roles))))
    return {"stars": star_rows, "certificates": certs}


def preview(session, actor: User, community_id, year: int, page: int = 1,
            per_page: int = NOTICE_PAGE) -> dict:
    """One page of a year's candidates for the admin's page, full names (staff only), with
    the total and the page count: the admin reads them all, a page at a time, before publishing."""
    org = _community(session, actor, community_id)
    c = candidates(session, org, year)
    lines = ([{"kind": "star", "volunteer_id": r["volunteer_id"], "stars": r["stars"],
               "hours": r["hours"]} for r in c["stars"]]
             + [{"kind": "certificate", "cert": x, "hours": Decimal(x.hours)}
                for x in c["certificates"]])
    page, pages = paging.clamp(len(lines), page, per_page)
    shown = lines[(page - 1) * per_page:page * per_page]
    people = {u.id: u for u in session.scalars(select(User).where(User.id.in_(
        [x["volunteer_id"] for x in shown if x["kind"] == "star"]))
        .options(lazyload(User.roles)))}
    rows = [{"kind": x["kind"], "stars": x.get("stars"), "hours": x["hours"],
             "name": holder_name(people.get(x["volunteer_id"]) if x["kind"] == "star"
                                 else x["cert"].volunteer),
             "number": x["cert"].number if x["kind"] == "certificate" else None}
            for x in shown]
    return {"rows": rows, "total": len(lines), "page": page, "pages": pages}


def publish(session, actor: User, community_id, year: int, days: int, now=None) -> HonourNotice:
    """Publish the year's star levels and certificates for `days` (7–30) days; 409 while
    another notice of the community is still running, 422 when there is nothing to publish."""
    begin_write(session)
    now = (now or utcnow()).replace(microsecond=0)
    org = _community(session, actor, community_id)
    if not MIN_DAYS <= int(days) <= MAX_DAYS:
        raise Invalid({"days": _l("公示期应为 %(lo)s 到 %(hi)s 天。", lo=MIN_DAYS, hi=MAX_DAYS)})
    if not 2000 <= int(year) <= local(now).year:
        raise Invalid({"year": _l("请选择今年或以前的年度。")})
    if session.scalar(select(HonourNotice.id).where(HonourNotice.community_id == org.id,
                                                    HonourNotice.status == "notice",
                                                    HonourNotice.ends_at > now)):
        raise Conflict(_l("上一份公示还在公示期内，结束后再发布新的公示。"), code="notice_running")
    c = candidates(session, org, int(year))
    if not c["stars"] and not c["certificates"]:
        raise Invalid({"year": _l("这一年没有新的星级或证明需要公示。")})
    notice = HonourNotice(community_id=org.id, year=int(year), status="notice", starts_at=now,
                          ends_at=now + timedelta(days=int(days)), created_by_id=actor.id,
                          created_at=now, updated_at=now)
    session.add(notice)
    session.flush()
    for r in c["stars"]:
        session.add(HonourItem(notice_id=notice.id, volunteer_id=r["volunteer_id"], kind="star",
                               stars=r["stars"], hours=r["hours"]))
    for x in c["certificates"]:
        session.add(HonourItem(notice_id=notice.id, volunteer_id=x.volunteer_id,
                               kind="certificate", hours=x.hours, certificate_id=x.id))
    NOTICE.log(session, notice, "publish", actor.id, None, "notice", None, now)
    session.commit()
    return notice


def _notice(session, notice_id) -> HonourNotice:
    n = session.get(HonourNotice, notice_id) if isinstance(notice_id, int) else None
    if n is None:
        raise NotFound(_l("找不到这份公示。"), code="notice_not_found")
    return n


def of_admin(session, actor: User, notice_id) -> HonourNotice:
    """A notice its community's admin may act on (else 404 / 403): asked before the form."""
    n = _notice(session, notice_id)
    _community(session, actor, n.community_id)
    return n


def withdraw(session, actor: User, notice_id, reason: str, now=None) -> HonourNotice:
    """Withdraw a running notice with a reason (an objection upheld): nothing in it is held."""
    begin_write(session)
    n = of_admin(session, actor, notice_id)
    if not (reason or "").strip():
        raise Invalid({"reason": _l("请填写撤回原因。")})
    NOTICE.move(session, n, "withdraw", actor.id, reason.strip()[:300], now=now)
    session.commit()
    return n


def end_due(session, now) -> int:
    """Job: notices past their end become ended (the star levels in them are held from then)."""
    ids = list(session.scalars(select(HonourNotice.id).where(HonourNotice.status == "notice",
                                                             HonourNotice.ends_at <= now)))
    for nid in ids:
        begin_write(session)
        n = session.get(HonourNotice, nid)
        if n.status == "notice":
            NOTICE.move(session, n, "end", None, now=now)
        session.commit()
    return len(ids)


def object_to(session, notice_id, text: str, contact: str | None, item_id=None,
              now=None) -> HonourObjection:
    """Anyone's objection to a running notice (or one line of it); it reaches the community's
    admins as a notification. 409 once the notice is over."""
    begin_write(session)
    now = now or utcnow()
    n = _notice(session, notice_id)
    if n.status != "notice" or n.ends_at <= now:
        raise Conflict(_l("公示期已结束，不再受理异议。如有问题请直接联系社区。"),
                       code="notice_over")
    if item_id is not None and session.scalar(select(HonourItem.notice_id).where(
            HonourItem.id == item_id)) != n.id:
        raise Invalid({"item_id": _l("请从名单中选择。")})
    row = HonourObjection(notice_id=n.id, item_id=item_id, text=text, contact=contact or None,
                          created_at=now)
    session.add(row)
    admins = session.scalars(select(RoleGrant.user_id).where(
        RoleGrant.role == "community_admin", RoleGrant.org_id == n.community_id,
        RoleGrant.active.is_(True)))
    notify(session, list(admins), "honour_objection", note=str(n.year), now=now,
           url=f"/ledger/honours?community={n.community_id}")
    session.commit()
    return row


def _items(session, notice_id: int, limit: int | None = None, offset: int = 0,
           only=None) -> list[tuple[HonourItem, User, str | None]]:
    q = (select(HonourItem, User, Certificate.number).join(User, User.id == HonourItem.volunteer_id)
         .outerjoin(Certificate, Certificate.id == HonourItem.certificate_id)
         .where(HonourItem.notice_id == notice_id)
         .order_by(HonourItem.kind.desc(), HonourItem.stars.desc(), HonourItem.id)
         .options(lazyload(User.roles)))  # a line needs the name, not the holder's roles
    if only is not None:  # these lines only (ids)
        q = q.where(HonourItem.id.in_(list(only)))
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return session.execute(q).all()


def _count(session, notice_id: int) -> int:
    return session.scalar(select(func.count(HonourItem.id)).where(HonourItem.notice_id == notice_id))


def _shown(i: HonourItem, u: User, number: str | None) -> dict:
    """One line of a public notice: the masked name, the level or number, the hours."""
    return {"id": i.id, "kind": i.kind, "name": mask_name(holder_name(u)), "stars": i.stars,
            "hours": float(i.hours), "number": number,
            "label": f"{mask_name(holder_name(u))} · "
                     + ("★" * (i.stars or 0) if i.kind == "star" else (number or ""))}


def public(session, community_id: int, now=None) -> list[dict]:
    """The notices running on a community's board: masked names, levels, hours, numbers."""
    now = now or utcnow()
    out = []
    for n in session.scalars(select(HonourNotice).where(
            HonourNotice.community_id == community_id, HonourNotice.status == "notice",
            HonourNotice.ends_at > now).order_by(HonourNotice.id)):
        out.append({"id": n.id, "year": n.year, "starts": local(n.starts_at).date(),
                    "ends": local(n.ends_at).date(), "total": _count(session, n.id),
                    "items": [_shown(*r) for r in _items(session, n.id, BOARD_ITEMS)]})
    return out


def notice_page(session, notice_id, page: int = 1, per_page: int = NOTICE_PAGE) -> dict:
    """One page of a running notice's whole list (masked names), for anyone, with the total
    and the page count (a page past the last shows the last); NotFound once it is not running."""
    n = _running(session, notice_id)
    total = _count(session, n.id)
    page, pages = paging.clamp(total, page, per_page)
    rows = [_shown(*r) for r in _items(session, n.id, per_page, (page - 1) * per_page)]
    return {**_heading(n), "rows": rows, "total": total, "page": page, "pages": pages}


def admin_view(session, actor: User, community_id) -> list[dict]:
    """Every notice of the community, newest first, with full names and the objections."""
    org = _community(session, actor, community_id)
    out = []
    for n in session.scalars(select(HonourNotice).where(HonourNotice.community_id == org.id)
                             .order_by(HonourNotice.id.desc()).limit(20)):
        objections = session.scalars(select(HonourObjection).where(
            HonourObjection.notice_id == n.id).order_by(HonourObjection.id)).all()
        lines = _items(session, n.id, BOARD_ITEMS)  # the first lines; the whole list is paged
        about = {o.item_id for o in objections if o.item_id} - {i.id for i, _u, _n in lines}
        names = {i.id: holder_name(u) for i, u, _num in lines}
        if about:  # lines objected to beyond the first ones: their names too
            names.update({i.id: holder_name(u) for i, u, _n in _items(session, n.id, only=about)})
        out.append({"id": n.id, "year": n.year, "status": n.status,
                    "status_label": str(NOTICE.labels[n.status]),
                    "starts": local(n.starts_at).date(), "ends": local(n.ends_at).date(),
                    "running": n.status == "notice", "total": _count(session, n.id),
                    "items": [{"kind": i.kind, "name": holder_name(u), "stars": i.stars,
                               "hours": i.hours, "number": num} for i, u, num in lines],
                    "objections": [{"text": o.text, "contact": o.contact,
                                    "about": names.get(o.item_id), "at": o.created_at}
                                   for o in objections]})
    return out


def _running(session, notice_id) -> HonourNotice:
    n = _notice(session, notice_id)
    if n.status != "notice":
        raise NotFound(_l("找不到这份公示。"), code="notice_not_found")
    return n


def _heading(n: HonourNotice) -> dict:
    return {"id": n.id, "year": n.year, "community": n.community.name,
            "community_id": n.community_id, "starts": local(n.starts_at).date(),
            "ends": local(n.ends_at).date(), "over": n.ends_at <= utcnow()}


def notice_for_objection(session, notice_id, keep: int | None = None) -> dict:
    """A running notice as the public objection form shows it (masked names), or NotFound: the
    lines the board shows, and the line `keep` (chosen on the whole list) if it is the notice's."""
    n = _running(session, notice_id)
    rows = _items(session, n.id, BOARD_ITEMS)
    if keep is not None and keep not in {i.id for i, _u, _n in rows}:
        rows += _items(session, n.id, only=[keep])
    total = _count(session, n.id)
    return {**_heading(n), "total": total, "more": total > BOARD_ITEMS, "first": BOARD_ITEMS,
            "items": [_shown(*r) for r in rows]}
