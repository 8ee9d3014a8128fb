"""Login, logout and registration. Login is rate-limited per IP here, and per phone number
(shared with the API's token endpoint) in webapp/web/security.py."""
from flask import (current_app, flash, redirect, render_template, request, session, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..extensions import db, limiter
from ..web import ticket
from ..web.routing import safe_next
from ..schemas import parse, parse_query, to_id
from ..schemas.inputs import Login, Register
from ..schemas.queries import RoleQuery
from ..services.admin import invites
from ..services.people import accounts, orgs, signin_codes
from ..services.errors import Forbidden, Invalid
from ..web.blueprints import auth as bp
from ..web import guard
from ..web.htmx import attempt

SKILLS = (_l("家电维修"), _l("水电维修"), _l("医疗护理"), _l("法律咨询"), _l("心理疏导"),
          _l("学业辅导"), _l("理发"), _l("手机电脑"), _l("文艺体育"), _l("驾驶接送"))
ROLE_CHOICES = (("resident", _l("居民")), ("member", _l("党员个人报到")),
                ("unit_admin", _l("单位报到（单位党组织）")))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Phone + password; `next` is honoured only when it stays on this site."""
    nxt = safe_next(request.values.get("next"))
    if request.method != "POST":  # GET and HEAD only show the form (HEAD is never a write)
        if current_user.is_authenticated:
            return redirect(nxt or url_for("main.index"))
        return render_template("people/login.html", values={}, errors={}, next=nxt)
    values = {"phone": (request.form.get("phone") or "").strip()}
    try:
        data = parse(Login, request.form.to_dict())
    except Invalid as exc:
        return render_template("people/login.html", values=values, errors=exc.fields,
                               next=nxt), 422
    with attempt(Forbidden) as a:
        user = accounts.authenticate(db.session, data.phone, data.password)
    if not a.ok:
        return render_template("people/login.html", values=values,
                               errors={"password": a.reason}, message=a.reason, next=nxt), 403
    if user is None:
        msg = _("手机号或密码不对，请重新输入。忘记密码可以用验证码登录后重设。")
        return render_template("people/login.html", values=values, errors={"password": msg},
                               message=msg, next=nxt), 422
    ticket.fresh_session()  # a fresh session on login (no fixation), a scan's ticket kept
    login_user(user)
    if invites.count_pending(db.session, user.id):  # asked by admins elsewhere: see it first
        return redirect(url_for("account.invitations"))
    return redirect(nxt or url_for("main.index"))


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session (POST only, so a link elsewhere cannot log anyone out). The session
    generation moves on, so a copy of this cookie (or one on another device) is dead too."""
    if current_user.is_authenticated:
        accounts.log_out(db.session, current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("main.index"))


def building_groups(session, community_id: int | None = None) -> list[dict]:
    """Buildings (of one community, if given) grouped as "community · grid" for one <select>
    with <optgroup>s."""
    blds = orgs.buildings(session, community_id)
    names = orgs.org_names(session, {b.community_id for b in blds} | {b.grid_id for b in blds})
    groups: dict[tuple, dict] = {}
    for b in blds:
        key = (b.community_id, b.grid_id)
        label = f"{names.get(b.community_id, '')} · {names.get(b.grid_id, '')}"
        groups.setdefault(key, {"label": label, "buildings": []})["buildings"].append(
            {"id": b.id, "name": b.name})
    return list(groups.values())


def _proof_on() -> bool:
    return bool(current_app.config.get("SIGNUP_PHONE_PROOF")) and signin_codes.template() is not None


def _community(values: dict, many: bool) -> int | None:
    """The community whose buildings the form lists: the one chosen, else (in a district) the
    typed building's (a refused form shows its own community again)."""
    chosen = to_id(values.get("community"))
    if chosen is None and many:
        chosen = orgs.community_of_building(db.session, to_id(values.get("building_id")))
    return chosen


def _register_form(values: dict, errors: dict, status: int = 200, code_sent=None):
    # A district's buildings (thousands) are too many for one list, and a phone would fetch
    # them all: there the form first asks for the community, then lists its buildings. A
    # community named in the link (its public board's) narrows the list on any street.
    many = orgs.live_buildings(db.session) > current_app.config["SIGNUP_BUILDINGS_AT_ONCE"]
    community, narrowed = _community(values, many), None
    if many or community is not None:
        places = {c["id"]: c for c in orgs.communities(db.session)}
        if community not in places:
            if community is not None:
                errors = {**errors, "community": _("请从列表中选择社区。")}
                status = 422 if status == 200 else status
            return render_template("people/register_community.html", values=values,
                                   errors=errors, communities=list(places.values())), status
        narrowed, values = places[community], {**values, "community": str(community)}
    units = orgs.approved_units(db.session)
    names = orgs.org_names(db.session, {u.community_id for u in units})
    return render_template(
        "people/register.html", values=values, errors=errors,
        groups=building_groups(db.session, community), skills=[str(s) for s in SKILLS],
        narrowed=narrowed,
        roles=[(k, str(v)) for k, v in ROLE_CHOICES],
        units=[{"id": u.id, "name": u.name, "community": names.get(u.community_id, "")}
               for u in units],
        challenge=guard.new_challenge() if _proof_on() else None, code_sent=code_sent), status


def _register_data() -> tuple[dict, dict]:
    """The form as the Register schema wants it, and the values to show again on error."""
    form = request.form
    picked = [s for s in form.getlist("skills") if s.strip()]
    other = (form.get("skills_other") or "").strip()
    skills = ",".join(dict.fromkeys(picked + ([other] if other else [])))
    data = {k: form.get(k, "") for k in ("phone", "name", "password", "role", "building_id",
                                            "address", "unit_id", "unit_name", "code")}
    community = form.get("community", "")  # the list the buildings came from (not registered)
    data["skills"] = skills
    data["consent"] = form.get("consent") in ("1", "on", "true", "yes")
    values = {k: v for k, v in data.items() if k not in ("password", "code")}
    values["skills_list"] = picked
    values["skills_other"] = other
    values["community"] = community
    return data, values


@bp.route("/register", methods=["GET", "POST"])
def register():
    """居民注册, 党员个人报到 or 单位报到; member and unit reports wait for the community."""
    if request.method != "POST":  # GET and HEAD only show the form (HEAD is never a write)
        q = parse_query(RoleQuery, request.args)
        return _register_form({"role": q.role or "resident",
                               "community": str(q.community) if q.community else ""}, {})
    data, values = _register_data()
    with attempt(Invalid) as a:
        parsed = parse(Register, data)
        user, reg = accounts.register(db.session, parsed)
    if a.errors:
        errors = dict(a.errors)
        # The schema stops before the service checks consent: say it now, not on the next try.
        if not data["consent"]:
            errors.setdefault("consent", _("请阅读并同意个人信息使用说明。"))
        return _register_form(values, errors, 422)
    ticket.fresh_session()  # a fresh session on login (no fixation), a scan's ticket kept
    login_user(user)
    if reg is not None:
        flash(_("注册成功。您的报到已提交，社区管理员审核通过后即可认领心愿。"), "success")
        return redirect(url_for("main.me"))
    flash(_("注册成功，欢迎使用网格微心愿。"), "success")
    return redirect(url_for("main.index"))


@bp.post("/register/code")
def register_code():
    """获取验证码 on the sign-up form: a code proving the phone (challenge and limits first)."""
    from flask_limiter.util import get_remote_address
    from ..schemas.inputs import CodeSend
    _data, values = _register_data()
    try:
        send = parse(CodeSend, {"phone": request.form.get("phone", ""),
                                "altcha": request.form.get("altcha")})
    except Invalid as exc:
        return _register_form(values, exc.fields, 422)
    if not guard.challenge_ok(send.altcha):
        return _register_form(values, {"code": _("请等待页面完成安全验证后再获取验证码。")}, 422)
    wait = guard.over_limit(send.phone, get_remote_address(), None)
    if wait:
        return _register_form(values, {"phone": wait}, 429)
    signin_codes.send_code(db.session, send.phone, "phone")
    return _register_form(values, {}, code_sent=_("验证码已发送，5 分钟内有效。"))
