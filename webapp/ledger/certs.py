"""Service certificates: the register, the issue form, the printable page, public verification."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..schemas import parse, parse_query, to_id
from ..schemas.queries import SearchQuery
from ..schemas.ledger import CertificateInput, Reject
from ..services.ledger import certificates, periods
from ..services.people import units
from ..services.errors import Invalid
from ..models import utcnow
from ..web.public import external_url
from ..web.htmx import attempt
from ..web.pdf import pdf_response
from . import access, bp


def _form(c, values=None, errors=None, status=200):
    today = periods.local(utcnow()).date()
    values = values or {"period_from": today.replace(month=1, day=1).isoformat(),
                        "period_to": today.isoformat(),
                        **certificates.last_signers(db.session, c.id)}
    # A former member may still need their certificate: the picker does not ask for an active account.
    pick = units.member_choices(db.session, c.id, parse_query(SearchQuery, request.args).q,
                                keep=to_id(values.get("volunteer_id")), active_only=False)
    return render_template("ledger/certificates.html", community=c, pick=pick,
                           register=certificates.list_for(db.session, c.id),
                           values=values, errors=errors or {}), status


@bp.get("/ledger/certificates")
@login_required
def certificates_page():
    """The community's certificate register and the issue form."""
    return _form(access.community())


@bp.post("/ledger/certificates")
@login_required
def issue_certificate():
    """Issue a certificate for a member and period."""
    c = access.community()
    with attempt(Invalid) as a:
        data = parse(CertificateInput, request.form.to_dict())
        cert = certificates.issue(db.session, current_user, c.id, data)
    if not a.ok:
        return _form(c, request.form.to_dict(), a.errors, 422)
    return redirect(url_for("ledger.certificate", cert_id=cert.id))


def _document(cert) -> dict:
    # Printed and scanned elsewhere: the configured public address, never the Host header.
    url = external_url("ledger.verify_certificate", token=cert.token)
    return certificates.document(db.session, cert, url)


def _certificate_page(cert, errors=None, status=200):
    return render_template("ledger/certificate.html", d=_document(cert),
                           can_revoke=certificates.may_revoke(current_user, cert),
                           errors=errors or {}), status


@bp.get("/ledger/certificates/<int:cert_id>")
@login_required
def certificate(cert_id):
    """The printable certificate with its verification QR code."""
    return _certificate_page(certificates.get(db.session, current_user, cert_id))


@bp.get("/ledger/certificates/<int:cert_id>.pdf")
@login_required
def certificate_pdf(cert_id):
    """The certificate as a printable A4 PDF (same fields as the page, the QR code as PNG)."""
    cert = certificates.get(db.session, current_user, cert_id)
    html = render_template("ledger/certificate_pdf.html", d=_document(cert), pdf=True,
                           lang=str(get_locale() or "zh"))
    return pdf_response(html, "pdf-certificate.css", f"志愿服务证明{cert.number}",
                        f"certificate-{cert.number}")


@bp.post("/ledger/certificates/<int:cert_id>/revoke")
@login_required
def revoke_certificate(cert_id):
    """Void a certificate issued in error, with the reason (kept in the register)."""
    cert = certificates.revocable(db.session, current_user, cert_id)  # who, before what
    try:
        data = parse(Reject, request.form.to_dict())
    except Invalid as exc:
        return _certificate_page(cert, exc.fields, 422)
    certificates.revoke(db.session, current_user, cert.id, data.reason)
    flash(_("证明已作废；查验页面会显示作废。"), "success")
    return redirect(url_for("ledger.certificate", cert_id=cert_id))


@bp.get("/verify/<token>")
@limiter.limit("30 per minute")
def verify_certificate(token):
    """Public: number, masked name, hours, period and issuer — nothing else."""
    return render_template("ledger/verify.html", cert=certificates.public_view(db.session, token),
                           title=_("志愿服务证明查验"))
