"""反映问题 pages: raise a problem, read it, answer it, say whether it is solved."""
from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse, to_id
from ..schemas.voice import AnswerInput, CloseInput, ComplaintInput
from ..services import policy
from ..services.errors import Forbidden, NotFound
from ..services.voice import complaints, reports, subjects
from ..web import uploads
from ..web.body_limits import UPLOAD_MARGIN, allow_body
from ..web.htmx import answer, attempt, form_answer
from . import bp

S = db.session


def _subject_or_404():
    kind = request.values.get("kind", "")
    return subjects.resolve(S, kind, to_id(request.values.get("id")))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@allow_body("COMPLAINT_PHOTO_MAX_BYTES", UPLOAD_MARGIN)
def new():
    """The form: what went wrong, an optional photo, anonymous to the volunteer or not."""
    subject = _subject_or_404()
    if not policy.can_raise_complaint(current_user, subject.recipients):
        raise Forbidden(_("只有接受服务的居民本人可以反映这项服务的问题。"))
    values, errors = {"kind": subject.kind, "id": subject.id}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        with attempt() as a:
            data = parse(ComplaintInput, dict(values, subject_id=values.get("id")))
            photo = uploads.photo(current_app.config["COMPLAINT_PHOTO_MAX_BYTES"])
            c = complaints.raise_(S, current_user, data.kind, data.subject_id, data.text,
                                  data.anonymous, photo)
        if a.ok:
            return answer(_("已提交，社区会尽快答复。"), url_for("voice.detail", complaint_id=c.id),
                          navigate=True)
        errors = a.errors or {"text": a.reason}
    return form_answer("voice/new.html", values, errors, subject=subject,
                       kind_label=subjects.KIND_LABELS[subject.kind])


@bp.get("/")
@login_required
def index():
    """Problems I raised; for community admins, those raised in their communities."""
    return render_template("voice/index.html", mine=reports.mine(S, current_user),
                           community=reports.for_community(S, current_user),
                           staff=bool(policy.community_ids_for(current_user, "community_admin")))


def _page(complaint_id: int, values=None, errors=None, status: int = 200):
    c = complaints.get(S, complaint_id)
    d = reports.detail(S, c, current_user)
    resp = make_response(render_template("voice/detail.html", c=d, values=values or {},
                                         errors=errors or {}), status)
    resp.headers["Cache-Control"] = "private, no-store"  # a resident's own words
    return resp


@bp.get("/<int:complaint_id>")
@login_required
def detail(complaint_id: int):
    """One problem: what was raised, the answer, the timeline and what the viewer can do."""
    return _page(complaint_id)


@bp.post("/<int:complaint_id>/answer")
@login_required
def answer_it(complaint_id: int):
    """The community's answer; the resident is told through the outbox."""
    if not policy.can_answer_complaint(current_user, complaints.get(S, complaint_id)):
        raise Forbidden(_("只有本社区管理员可以答复。"))
    with attempt() as a:
        data = parse(AnswerInput, request.form.to_dict())
        complaints.answer(S, current_user, complaint_id, data.answer)
    if not a.ok:
        return _page(complaint_id, request.form.to_dict(),
                     a.errors or {"answer": a.reason}, a.status)
    return answer(_("已答复。"), url_for("voice.detail", complaint_id=complaint_id))


@bp.post("/<int:complaint_id>/close")
@login_required
def close(complaint_id: int):
    """The author: 已解决 (settled) or 仍未解决 (reopened, with what is still wrong)."""
    if not policy.can_close_complaint(current_user, complaints.get(S, complaint_id)):
        raise Forbidden(_("只有反映问题的居民本人可以确认。"))
    with attempt() as a:
        data = parse(CloseInput, request.form.to_dict())
        complaints.close_loop(S, current_user, complaint_id, data.solved, data.note)
    if not a.ok:
        return _page(complaint_id, request.form.to_dict(), a.errors or {"note": a.reason},
                     a.status)
    return answer(_("谢谢您的反馈。"), url_for("voice.detail", complaint_id=complaint_id))


@bp.get("/<int:complaint_id>/photo")
@login_required
def photo(complaint_id: int):
    """The photo, for whoever may read the complaint and see its author."""
    c = complaints.get(S, complaint_id)
    d = reports.detail(S, c, current_user)
    if not d["has_photo"]:
        raise NotFound(code="photo_not_found")
    resp = make_response(c.photo)
    resp.headers["Content-Type"] = c.photo_type
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
