"""服务清单 pages: thin views over services/lists (parse → one service call → render/redirect)."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import utcnow
from ..schemas import parse
from ..schemas.lists import (BookingInput, CheckinInput, MoveInput, ProjectInput, RateInput,
                             ReasonInput, ResourceInput, SignupInput)
from ..services import policy
from ..services.errors import Forbidden, Invalid
from ..services.lists import (bookings, calendar, checkin, insurance, project_sessions, projects,
                              recurrence, resources, timeline)
from ..services.people import orgs
from ..web.htmx import attempt, form_answer
from . import bp, manage_views

S = db.session


def _community_id() -> int | None:
    """The community whose lists the user sees: home first, then where they work."""
    home = policy.home_community_id(current_user)
    if home:
        return home
    ids = sorted(policy.community_ids_for(current_user, "member", "unit_admin", "grid_worker",
                                          "community_admin"))
    return ids[0] if ids else None


def _form() -> dict:
    return request.form.to_dict()


@bp.get("/")
@login_required
def index():
    """服务清单: the community's bookable resources and upcoming sessions, counts only."""
    cid = _community_id()
    res = resources.visible(S, current_user, cid) if cid else []
    names = resources.unit_names(S, res)
    upcoming = project_sessions.upcoming(S, cid) if cid else []
    projs = projects.visible(S, current_user, community_id=cid) if cid else []
    return render_template(
        "lists/index.html", resources=[resources.card(r, names) for r in res],
        sessions=[project_sessions.card(s) for s in upcoming],
        projects=[projects.card(p, projects.progress(S, p)) for p in projs],
        can_publish=bool(policy.unit_ids_admined(current_user))
        or policy.is_community_admin(current_user),
        is_admin=policy.is_community_admin(current_user))


def _slots_from_form(form: dict) -> list[dict]:
    slots = []
    for i in range(3):
        if form.get(f"weekday{i}"):
            slots.append({"weekday": form.get(f"weekday{i}"), "start": form.get(f"start{i}"),
                          "end": form.get(f"end{i}"), "capacity": form.get(f"capacity{i}") or 1})
    return slots


@bp.route("/resources/new", methods=["GET", "POST"])
@login_required
def new_resource():
    """A unit admin (or the community admin, for its own) lists a resource."""
    cid = _community_id()
    if not policy.unit_ids_admined(current_user) and not policy.is_community_admin(
            current_user, cid):
        raise Forbidden(_("只有单位管理员（或社区管理员，对社区自有资源）可以发布资源。"))
    values, errors = {}, {}
    if request.method == "POST":
        values = _form()
        data = {**values, "community_id": cid, "slots": _slots_from_form(values),
                "needs_approval": values.get("needs_approval") == "1"}
        with attempt(Invalid) as a:
            r = resources.create(S, current_user, parse(ResourceInput, data))
            flash(_("资源已发布。"), "success")
            return redirect(url_for("lists.resource", resource_id=r.id))
        if not a.ok:
            errors = a.errors
    return form_answer("lists/resource_form.html", values, errors, kinds=resources.KIND_LABELS)


@bp.get("/resources/<id:resource_id>")
@login_required
def resource(resource_id):
    """A resource and its next two weeks of slots (places left, never who booked)."""
    return manage_views.resource_page(resource_id)


@bp.post("/resources/<id:resource_id>/book")
@login_required
def book(resource_id):
    """Book one slot (a grid worker may book for a resident of theirs)."""
    b = bookings.book(S, current_user, resource_id, parse(BookingInput, _form()))
    flash(_("已提交预约，等待单位确认。") if b.status == "pending" else _("预约成功。"), "success")
    return redirect(url_for("lists.my_bookings"))


@bp.get("/resources/<id:resource_id>/bookings")
@login_required
def resource_bookings(resource_id):
    """The unit's view: confirmed bookers' names and phones (each view logged), others masked."""
    rows = bookings.of_resource(S, current_user, resource_id)
    cards = [bookings.card(b, current_user, bookings.contact(S, b, current_user, "web"))
             for b in rows]
    return render_template("lists/resource_bookings.html", r=resources.get(S, resource_id),
                           bookings=cards)


@bp.get("/bookings")
@login_required
def my_bookings():
    """My bookings (and those I made for residents)."""
    return render_template("lists/my_bookings.html",
                           bookings=[bookings.card(b, current_user) for b in bookings.mine(S, current_user)])


@bp.post("/bookings/<id:booking_id>/<any(confirm,decline,cancel,attend,no_show,rate):verb>")
@login_required
def booking_action(booking_id, verb):
    """confirm / decline (reason) / attend / no-show by the unit; cancel / rate by the booker."""
    form, action = _form(), verb
    if action in ("confirm", "decline"):
        reason = parse(ReasonInput, form).reason if action == "decline" else None
        b = bookings.decide(S, current_user, booking_id, action, reason)
    elif action == "cancel":
        b = bookings.cancel(S, current_user, booking_id)
    elif action == "rate":
        data = parse(RateInput, form)
        b = bookings.rate(S, current_user, booking_id, data.rating, data.comment)
    else:
        b = bookings.mark(S, current_user, booking_id, action)
    flash(_("已更新。"), "success")
    if action in ("cancel", "rate"):
        return redirect(url_for("lists.my_bookings"))
    return redirect(url_for("lists.resource_bookings", resource_id=b.resource_id))


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def new_project():
    """Either side drafts a project (服务项目书)."""
    cid = _community_id()
    units = orgs.approved_units(S, cid) if cid else []
    admined = policy.unit_ids_admined(current_user)
    if not policy.is_community_admin(current_user, cid):
        units = [u for u in units if u.id in admined]
    if not units:
        raise Forbidden(_("只有项目双方（社区管理员、单位管理员）可以操作项目书。"))
    values, errors = {"start": "09:00", "end": "11:30"}, {}
    if request.method == "POST":
        values = _form()
        with attempt(Invalid) as a:
            p = projects.draft(S, current_user, parse(ProjectInput, {
                **values, "community_id": cid, "any_member": values.get("any_member") == "1",
                "requires_insurance": values.get("requires_insurance") == "1"}))
            flash(_("项目书草稿已保存，等待双方签订。"), "success")
            return redirect(url_for("lists.project", project_id=p.id))
        if not a.ok:
            errors = a.errors
    return form_answer("lists/project_form.html", values, errors, units=units,
                       presets=recurrence.PRESETS)


@bp.get("/projects/<id:project_id>")
@login_required
def project(project_id):
    """A project: content, signatures, progress, its sessions and timeline."""
    p = projects.get(S, project_id)
    if not projects.can_view(current_user, p):
        abort(404)
    return render_template("lists/project.html", p=projects.card(p, projects.progress(S, p)),
                           side=policy.project_side(current_user, p),
                           sessions=[project_sessions.card(s) for s in project_sessions.of_project(S, p)],
                           events=timeline.project_timeline(S, p))


@bp.post("/projects/<id:project_id>/<any(sign,activate,complete,terminate):step>")
@login_required
def project_action(project_id, step):
    """Sign (each side once), activate, complete, or terminate with a reason."""
    action = step
    if action == "sign":
        projects.sign(S, current_user, project_id)
    else:
        reason = parse(ReasonInput, _form()).reason if action == "terminate" else None
        projects.act(S, current_user, project_id, action, reason)
    flash(_("已更新。"), "success")
    return redirect(url_for("lists.project", project_id=project_id))


@bp.get("/sessions/<id:session_id>")
@login_required
def session_page(session_id):
    """One session: counts for everyone, the check-in list for its runners."""
    s = project_sessions.get(S, session_id)
    if not projects.can_view(current_user, s.project):
        abort(404)
    runner = policy.can_run_session(current_user, s.project)
    return render_template(
        "lists/session.html", s=project_sessions.card(s), runner=runner,
        people=project_sessions.signups(S, current_user, s) if runner else [],
        mine=project_sessions.my_signup(S, current_user, s),
        can_serve=policy.can_serve_project(current_user, s.project),
        can_attend=policy.can_attend_project(current_user, s.project),
        can_honour=policy.is_community_admin(current_user, s.project.community_id),
        needs_cover=policy.can_serve_project(current_user, s.project)
        and insurance.lacks_cover_for_session(S, current_user, s),
        now=utcnow())


@bp.post("/sessions/<id:session_id>/<any(signup,withdraw,checkin,move,cancel):what>")
@login_required
def session_action(session_id, what):
    """Sign up / withdraw (people), check in / move / cancel (runners)."""
    form, action = _form(), what
    if action == "signup":
        row = project_sessions.signup(S, current_user, session_id, parse(SignupInput, form).as_)
        s = project_sessions.get(S, session_id)
        if row.role == "server" and insurance.lacks_cover_for_session(S, current_user, s):
            flash(str(insurance.WARNING), "warning")
    elif action == "withdraw":
        project_sessions.withdraw(S, current_user, session_id)
    elif action == "checkin":  # in, or (a later press) out: hours follow from the two times
        checkin.mark(S, current_user, session_id, parse(CheckinInput, form).user_id)
    elif action == "move":
        project_sessions.move(S, current_user, session_id, parse(MoveInput, form))
    else:
        project_sessions.cancel(S, current_user, session_id, parse(ReasonInput, form).reason)
    flash(_("已更新。"), "success")
    return redirect(url_for("lists.session_page", session_id=session_id))


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def calendar_page():
    """My private calendar feed: its secret URL, and a button to make a new one."""
    if request.method == "POST":
        calendar.reset(S, current_user)
        flash(_("已生成新的订阅地址，旧地址已失效。"), "success")
        return redirect(url_for("lists.calendar_page"))
    token = calendar.token_for(S, current_user)
    return render_template("lists/calendar.html",
                           url=url_for("lists.feed", token=token, _external=True))


@bp.get("/calendar/<token>.ics")
def feed(token):
    """The iCalendar feed itself (no login: the secret URL is the key)."""
    body = calendar.feed(S, token)
    if body is None:
        abort(404)
    resp = make_response(body)
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
