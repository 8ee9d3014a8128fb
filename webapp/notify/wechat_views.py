"""The 公众号's message endpoint (服务器配置): WeChat's URL check, then its pushes — plain or
encrypted (安全模式) — checked by signature and handed to services/notify/wechatin.py."""
from flask import abort, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from ..extensions import csrf, db
from ..models import utcnow
from ..services.notify import wechatin
from ..services.platform import wechat as platform
from ..web.blueprints import notifications as bp
from ..web.public import external_url

MAX_BODY = 64 * 1024  # WeChat's pushes are a few hundred bytes


def _reply_text(word: str) -> str:
    with force_locale("zh_CN"):  # the 公众号 speaks Chinese
        if word == "welcome":
            return _("欢迎关注！在这里发布微心愿、认领服务，进度会由公众号通知您。点此进入：%(url)s",
                     url=external_url("auth.wechat_login", next="/"))
        if word == "my_wishes":
            return _("查看我的心愿：%(url)s",
                     url=external_url("auth.wechat_login", next="/my/wishes"))
        return _("您好！发布和查看心愿请点击：%(url)s",
                 url=external_url("auth.wechat_login", next="/"))


@bp.route("/wechat/message", methods=["GET", "POST"])
@csrf.exempt

def wechat_message():
    """WeChat's server: GET verifies the URL (echostr), POST is a message or event."""
    cfg = current_app.config
    if not platform.enabled() or not cfg.get("WECHAT_TOKEN"):
        abort(404)
    a = request.args
    ts, nonce = a.get("timestamp", ""), a.get("nonce", "")
    try:
        check_signature(cfg["WECHAT_TOKEN"], a.get("signature", ""), ts, nonce)
    except InvalidSignatureException:
        abort(403)
    if request.method != "POST":
        return a.get("echostr", ""), 200, {"Content-Type": "text/plain"}
    body = request.get_data(cache=False)[:MAX_BODY + 1]
    if len(body) > MAX_BODY:
        abort(413)
    crypto = None
    if a.get("encrypt_type") == "aes":
        if not cfg.get("WECHAT_AES_KEY"):
            abort(403)
        crypto = WeChatCrypto(cfg["WECHAT_TOKEN"], cfg["WECHAT_AES_KEY"], cfg["WECHAT_APP_ID"])
        try:
            body = crypto.decrypt_message(body, a.get("msg_signature", ""), ts, nonce)
        except (InvalidSignatureException, InvalidAppIdException):
            abort(403)
        except Exception:  # noqa: BLE001 - not WeChat's XML: refused, never a 500
            abort(400)
    try:
        msg = parse_message(body)
    except Exception:  # noqa: BLE001
        abort(400)
    word = wechatin.handle(db.session, msg, utcnow())
    if word is None:
        return "success", 200, {"Content-Type": "text/plain"}  # WeChat's "nothing to say"
    xml = TextReply(content=_reply_text(word), message=msg).render()
    if crypto is not None:
        xml = crypto.encrypt_message(xml, nonce, ts)
    return xml, 200, {"Content-Type": "application/xml; charset=utf-8"}
