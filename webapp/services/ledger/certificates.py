"""Service certificates (志愿服务证明): issued, numbered and archived by the community."""
import secrets
from datetime import date, datetime, time, timezone
from decimal import Decimal

import segno
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from ...db import begin_write
from ...models import (Category, Certificate, LedgerEntry, Org, Project, ProjectSession,
                       ServiceRecord, User, Wish, utcnow)
from . import ledger
from .. import policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from .periods import LOCAL_TZ, local
from ..people.residents import mask_phone
from ..wishes.present import mask_name

MAX_ITEMS = 500  # services listed on one certificate (a year of weekly service is ~50)


def _instant(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def summary(session, volunteer_id: int, community_id: int, d_from: date, d_to: date) -> dict:
    """Net hours, services standing and categories served in the community between two dates;
    of the hours, how many were recorded on site (presence) and entered after (补录)."""
    start, end = _instant(d_from), _instant(date.fromordinal(d_to.toordinal() + 1))
    where = (LedgerEntry.volunteer_id == volunteer_id, LedgerEntry.community_id == community_id,
             LedgerEntry.service_date >= start, LedgerEntry.service_date < end)
    h, s = session.execute(select(func.coalesce(func.sum(LedgerEntry.hours), 0),
                                  func.coalesce(func.sum(case((LedgerEntry.kind == "reversal", -1),
                                                              else_=1)), 0))
                           .where(*where)).one()
    presence, honour = session.execute(select(
        func.coalesce(func.sum(case((LedgerEntry.basis == "presence", LedgerEntry.hours),
                                    else_=0)), 0),
        func.coalesce(func.sum(case((LedgerEntry.basis == "honour", LedgerEntry.hours),
                                    else_=0)), 0)).where(*where)).one()
    cats = session.execute(select(Category.name, func.sum(LedgerEntry.hours))
                           .join(Category, Category.id == LedgerEntry.category_id)
                           .where(*where).group_by(Category.name)).all()
    content = "、".join(n for n, hh in sorted(cats, key=lambda r: -r[1]) if hh and hh > 0)
    return {"hours": Decimal(h), "services": int(s), "content": content,
            "presence_hours": Decimal(presence), "honour_hours": Decimal(honour)}


def holder_name(user: User | None) -> str:
    """The volunteer's name as a certificate prints it: the one place a certificate reads it
    (a deleted person's name is replaced where accounts are anonymised)."""
    return (user.name if user is not None else "") or ""


def masked_identity(user: User | None) -> str:
    """The holder's identity, masked (138****0101): we hold no ID-card number (DOMAIN.md)."""
    return (mask_phone(user.phone) if user is not None else None) or ""


def items(session, volunteer_id: int, community_id: int, d_from: date, d_to: date) -> list[dict]:
    """The services a certificate counts: wish or project, date and net approved hours, oldest
    first; a service whose hours were reversed to nothing is left out."""
    start, end = _instant(d_from), _instant(date.fromordinal(d_to.toordinal() + 1))
    rows = session.execute(
        select(LedgerEntry.record_id, func.min(LedgerEntry.service_date),
               func.sum(LedgerEntry.hours), func.max(LedgerEntry.basis),
               func.max(Wish.title), func.max(Project.title), func.max(ServiceRecord.session_id))
        .join(ServiceRecord, ServiceRecord.id == LedgerEntry.record_id)
        .outerjoin(Wish, Wish.id == ServiceRecord.wish_id)
        .outerjoin(ProjectSession, ProjectSession.id == ServiceRecord.session_id)
        .outerjoin(Project, Project.id == ProjectSession.project_id)
        .where(LedgerEntry.volunteer_id == volunteer_id, LedgerEntry.community_id == community_id,
               LedgerEntry.service_date >= start, LedgerEntry.service_date < end)
        .group_by(LedgerEntry.record_id)
        .order_by(func.min(LedgerEntry.service_date), LedgerEntry.record_id)
        .limit(MAX_ITEMS)).all()
    return [{"date": local(day).date().isoformat(), "title": (wt or pt or "")[:80],
             "source": "project" if sid else "wish", "hours": str(Decimal(h)),
             "basis": basis or "confirmed"}
            for _rid, day, h, basis, wt, pt, sid in rows if h and Decimal(h) > 0]


def issue(session, actor: User, community_id: int, data, now=None) -> Certificate:
    """Issue a certificate for a member and period; the number is sequential per community."""
    begin_write(session)
    now = now or utcnow()
    ledger.require_admin(actor, community_id)
    vol = session.get(User, data.volunteer_id)
    if vol is None or not policy.is_volunteer_in(vol, community_id):
        raise Invalid({"volunteer_id": _l("请选择本社区报到的党员/志愿者。")})
    policy.refuse(policy.certify_refusal(actor, vol.id))
    if data.period_to < data.period_from:
        raise Invalid({"period_to": _l("结束日期应不早于开始日期。")})
    if data.period_to > local(now).date():
        raise Invalid({"period_to": _l("结束日期不能晚于今天。")})
    s = summary(session, vol.id, community_id, data.period_from, data.period_to)
    if s["hours"] <= 0:
        raise Invalid({"volunteer_id": _l("这段时间没有经认定的服务时长，无法出具证明。")})
    community = session.get(Org, community_id)
    chain = ledger.lock_chain(session, community_id)  # serialises the numbering too
    chain.cert_seq += 1
    cert = Certificate(
        number=f"ZY{community_id:04d}{local(now).year}{chain.cert_seq:05d}",
        volunteer_id=vol.id, community_id=community_id, period_from=data.period_from,
        period_to=data.period_to, hours=s["hours"], services=s["services"],
        presence_hours=s["presence_hours"], honour_hours=s["honour_hours"],
        content=s["content"][:300], issuer_name=community.name, head_name=data.head_name,
        officer_name=data.officer_name, contact=data.contact, issued_by_id=actor.id,
        issued_at=now, token=secrets.token_urlsafe(24),
        items=items(session, vol.id, community_id, data.period_from, data.period_to))
    session.add(cert)
    session.commit()
    return cert


def last_signers(session, community_id: int) -> dict:
    """负责人, 经办人 and 电话 of the community's latest certificate: the next one is
    usually signed by the same people (the issue form starts from them)."""
    last = session.scalar(select(Certificate).where(Certificate.community_id == community_id)
                          .order_by(Certificate.id.desc()).limit(1))
    if last is None:
        return {"head_name": "", "officer_name": "", "contact": ""}
    return {"head_name": last.head_name or "", "officer_name": last.officer_name or "",
            "contact": last.contact or ""}


def list_for(session, community_id: int) -> list[Certificate]:
    """A community's certificate register, newest first."""
    return list(session.scalars(select(Certificate).where(
        Certificate.community_id == community_id).order_by(Certificate.id.desc())))


def get(session, actor: User, cert_id) -> Certificate:
    """A certificate its community's admin or its volunteer may open."""
    cert = session.get(Certificate, cert_id) if isinstance(cert_id, int) else None
    if cert is None or not (cert.volunteer_id == actor.id or policy.is_community_admin(
            actor, cert.community_id)):
        raise NotFound(_l("找不到这份证明。"), code="certificate_not_found")
    return cert


def may_revoke(actor: User, cert: Certificate) -> bool:
    """Whether the actor can void this certificate now (its community's admin, not yet void)."""
    return cert.revoked_at is None and policy.can_revoke_certificate(actor, cert)


def revocable(session, actor: User, cert_id) -> Certificate:
    """A certificate the actor may void: its community's admin only (else 404 / 403)."""
    cert = get(session, actor, cert_id)
    if not policy.can_revoke_certificate(actor, cert):
        raise Forbidden(_l("只有出具证明的社区管理员可以作废证明。"))
    return cert


def revoke(session, actor: User, cert_id, reason: str, now=None) -> Certificate:
    """Void a certificate issued in error (the issuer answers for its truth); 409 if already."""
    begin_write(session)
    cert = revocable(session, actor, cert_id)
    if cert.revoked_at is not None:
        raise Conflict(_l("这份证明已经作废了。"), code="certificate_revoked")
    cert.revoked_at, cert.revoked_by_id, cert.revoked_reason = now or utcnow(), actor.id, reason
    from ..admin import adminlog  # the act is logged with it, in the same transaction
    adminlog.record(session, actor, "other", cert.community, target=cert.volunteer,
                    summary=f"作废志愿服务证明 {cert.number}：{reason}"[:300],
                    details={"certificate": cert.number}, now=cert.revoked_at)
    session.commit()
    return cert


def public_view(session, token: str) -> dict:
    """What the public verification page may show: number, masked name, hours, period, issuer
    and, for a void certificate, the date it was voided (not why: that may be personal)."""
    cert = session.scalar(select(Certificate).where(Certificate.token == token)) if token else None
    if cert is None:
        raise NotFound(_l("没有查到这份证明，请核对二维码。"), code="certificate_not_found")
    return {"number": cert.number, "name": mask_name(holder_name(cert.volunteer)),
            "hours": cert.hours, "presence_hours": cert.presence_hours,
            "honour_hours": cert.honour_hours,
            "period_from": cert.period_from, "period_to": cert.period_to,
            "issuer": cert.issuer_name,
            "revoked_on": local(cert.revoked_at).date() if cert.revoked_at else None}


def qr_svg(url: str, scale: int = 4, title=None) -> str:
    """A link (by default the verification link) as inline SVG markup (no script, no style
    attribute)."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2,
                                                 title=str(title or _l("验证二维码")))


def qr_png_uri(url: str, scale: int = 6) -> str:
    """The link's QR code as a PNG data: URI (what the PDF embeds: one pixel block per
    module, so the printed code is sharp)."""
    return segno.make(url, error="m").png_data_uri(scale=scale, border=4)


def document(session, cert: Certificate, verify_url: str) -> dict:
    """Everything the certificate page and its PDF print, as plain data (民政部令第67号):
    holder, masked identity, hours with content and period, on-site and 补录 hours apart,
    the services counted, issuer, signers, date, number, seal and the verification QR."""
    from . import seals  # the seal belongs to the community, read when printing
    hours, presence, honour = (Decimal(cert.hours), Decimal(cert.presence_hours or 0),
                               Decimal(cert.honour_hours or 0))
    return {
        "id": cert.id, "number": cert.number, "name": holder_name(cert.volunteer),
        "volunteer_no": cert.volunteer.volunteer_no if cert.volunteer else None,
        "identity": masked_identity(cert.volunteer),
        "period_from": cert.period_from, "period_to": cert.period_to,
        "hours": hours, "services": cert.services, "content": cert.content,
        "presence_hours": presence, "honour_hours": honour,
        "confirmed_hours": hours - presence - honour,
        "items": cert.items or [], "issuer": cert.issuer_name, "head_name": cert.head_name,
        "officer_name": cert.officer_name, "contact": cert.contact,
        "issued": local(cert.issued_at).date(),
        "seal": seals.data_uri(session, cert.community_id),
        "revoked_on": local(cert.revoked_at).date() if cert.revoked_at else None,
        "revoked_reason": cert.revoked_reason,
        "verify_url": verify_url, "qr_svg": qr_svg(verify_url), "qr_png": qr_png_uri(verify_url),
    }
