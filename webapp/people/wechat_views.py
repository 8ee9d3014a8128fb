"""微信登录 (网页授权) inside WeChat's browser, the first-time binding by phone + code or
password, and unbinding from the account page. Rules: services/people/wechat_signin.py."""
import hmac
import secrets

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from flask_limiter.util import get_remote_address

from ..extensions import db
from ..schemas import parse, parse_query
from ..schemas.inputs import CodeSend, CodeSignIn, Login
from ..schemas.queries import WeChatBack
from ..services.errors import Conflict, Forbidden, Invalid
from ..services.people import accounts, signin_codes, wechat_signin
from ..services.platform import wechat as platform
from ..web import guard, ticket
from ..web.blueprints import auth as bp
from ..web.htmx import attempt
from ..web.public import external_url
from ..web.routing import safe_next
from .code_views import masked

PENDING = "wx_openid"  # an openid back from WeChat, waiting to be bound (this browser only)
STATE, NEXT = "wx_state", "wx_next"


def _on():
    if not platform.enabled():
        abort(404)


@bp.get("/login/wechat")
def wechat_login():
    """微信登录: off to WeChat's 网页授权 (snsapi_base: the openid only, no profile asked)."""
    _on()
    state = secrets.token_urlsafe(16)
    session[STATE] = state
    session[NEXT] = safe_next(request.args.get("next")) or url_for("main.index")
    o = platform.oauth(external_url("auth.wechat_back"), "snsapi_base", state)
    return redirect(o.authorize_url)


def _sign_in(user, nxt):
    ticket.fresh_session()  # a fresh session on login (no fixation), a scan's ticket kept
    login_user(user)
    return redirect(nxt or url_for("main.index"))


@bp.get("/login/wechat/back")
def wechat_back():
    """WeChat sends the person back with a code: its openid signs in a bound account; an
    unbound one waits in this session for the person to prove who they are once."""
    _on()
    q = parse_query(WeChatBack, request.args)
    want = session.pop(STATE, None) or ""
    if not q.code or not hmac.compare_digest(want.encode(), (q.state or "").encode()):
        return _refused(_("微信登录没有完成，请重新打开链接再试。"))
    try:
        openid = platform.oauth(external_url("auth.wechat_back")).fetch_access_token(q.code)["openid"]
    except Exception:  # noqa: BLE001 - WeChat refused the code or could not be reached
        return _refused(_("微信暂时无法确认您的身份，请稍后重新打开链接，或用手机号登录。"))
    nxt = session.get(NEXT)
    user = wechat_signin.user_for(db.session, platform.app_id(), openid)
    if user is not None:
        return _sign_in(user, nxt)
    if current_user.is_authenticated:  # signed in already: bind this WeChat to the account
        with attempt(Conflict) as a:
            wechat_signin.bind(db.session, current_user._get_current_object(), platform.app_id(),
                               openid)
        flash(a.reason or _("已绑定微信，以后在微信里打开可直接登录。"), "error" if a.reason else "success")
        return redirect(nxt or url_for("main.me"))
    session[PENDING] = openid
    return redirect(url_for("auth.wechat_bind"))


def _refused(message: str):
    return render_template("people/wechat_bind.html", step="refused", message=message,
                           values={}, errors={}, challenge=None), 400


def _bind_page(step="start", values=None, errors=None, status=200, message=None):
    return render_template("people/wechat_bind.html", step=step, values=values or {},
                           errors=errors or {}, message=message,
                           challenge=guard.new_challenge() if step == "start" else None,
                           masked=masked((values or {}).get("phone", ""))), status


@bp.route("/login/wechat/bind", methods=["GET", "POST"])
def wechat_bind():
    """绑定手机号: the first time, phone + code (or password) proves the account to bind."""
    _on()
    openid = session.get(PENDING)
    if not openid:
        return redirect(url_for("auth.wechat_login"))
    if request.method != "POST":
        return _bind_page("password" if request.args.get("method") == "password" else "start")
    action = request.form.get("action")
    values = {"phone": (request.form.get("phone") or "").strip()}
    if action == "send":
        return _send(values)
    busy = guard.verify_over_limit(get_remote_address())
    if busy:
        return _bind_page(_step(action), values, {"code": busy}, 429)
    try:
        if action == "password":
            data = parse(Login, request.form.to_dict())
            with attempt(Forbidden) as a:
                user = accounts.authenticate(db.session, data.phone, data.password)
            if not a.ok:
                return _bind_page("password", values, {"password": a.reason}, 403)
            wrong = {"password": _("手机号或密码不对，请重新输入。")}
        else:
            data = parse(CodeSignIn, request.form.to_dict())
            user = signin_codes.sign_in(db.session, data.phone, data.code)
            wrong = {"code": _("验证码不对或已过期，请重新输入或重新获取。")}
    except Invalid as exc:
        return _bind_page(_step(action), values, exc.fields, 422)
    if user is None:
        return _bind_page(_step(action), values, wrong, 422)
    with attempt(Conflict) as a:
        wechat_signin.bind(db.session, user, platform.app_id(), openid)
    if not a.ok:
        return _bind_page("start", values, {}, 409, a.reason)
    nxt = session.get(NEXT)
    resp = _sign_in(user, nxt)
    flash(_("已绑定微信，以后在微信里打开可直接登录。"), "success")
    return resp


def _step(action) -> str:
    """The page a refused form is shown again on."""
    return {"verify": "code", "password": "password"}.get(action, "start")


def _send(values):
    """获取验证码 on the binding page: the same challenge and limits as 验证码登录."""
    try:
        data = parse(CodeSend, request.form.to_dict())
    except Invalid as exc:
        return _bind_page("start", values, exc.fields, 422)
    if not guard.challenge_ok(data.altcha):
        return _bind_page("start", values, {"phone": _("请等待页面完成安全验证后再获取验证码。")}, 422)
    wait = guard.over_limit(data.phone, get_remote_address(),
                            signin_codes.community_for_phone(db.session, data.phone))
    if wait:
        return _bind_page("start", values, {"phone": wait}, 429)
    signin_codes.send_code(db.session, data.phone, "signin")
    return _bind_page("code", {"phone": data.phone})


@bp.post("/me/wechat/unbind")
@login_required
def wechat_unbind():
    """解除绑定: WeChat no longer signs this account in nor gets its messages."""
    done = wechat_signin.unbind(db.session, current_user._get_current_object(), platform.app_id())
    flash(_("已解除微信绑定。") if done else _("这个账号没有绑定微信。"), "info")
    return redirect(url_for("main.me"))
