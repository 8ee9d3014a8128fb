"""The WeChat channel: template messages (模板消息) from the 公众号 to bound followers.

The order of channels is inbox → push → WeChat → SMS: `notify()` asks `context()` once per call
and `add()` for each notification; a person reached here gets no SMS for it (SMS costs the
street money, a template message does not). Rows are Outbox rows of channel "wechat", sent by the
job process (services/notify/wechatout.py). The openid is looked up at send time, so a message
queued before an unbind or an account deletion goes nowhere.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from ...models import Notification, Outbox, User, WeChatBinding
from ..platform import wechat as platform
from .messages import MESSAGES, thaw

TZ = ZoneInfo("Asia/Shanghai")
FIELD_LIMIT = 20  # thing.DATA values: 20 characters at most
NEVER = frozenset({"push_test"})  # a push test tests push


def template(event: str) -> dict | None:
    """The configured template of an event ({"id", "data"}), if any."""
    t = (current_app.config.get("WECHAT_TEMPLATES") or {}).get(event)
    return t if isinstance(t, dict) and t.get("id") and isinstance(t.get("data"), dict) else None


def events() -> list[str]:
    """The events that go out as template messages (the settings page lists them)."""
    return [e for e in (current_app.config.get("WECHAT_TEMPLATES") or {}) if template(e)]


def bound(session, uids) -> dict[int, int]:
    """user id → binding id, for the users WeChat can reach: bound here, following, active, no
    demo account (its phone is a stranger's, and so would be whoever bound it)."""
    if not platform.enabled() or not uids:
        return {}
    return dict(session.execute(
        select(WeChatBinding.user_id, WeChatBinding.id)
        .join(User, User.id == WeChatBinding.user_id)
        .where(WeChatBinding.user_id.in_(list(uids)), WeChatBinding.app_id == platform.app_id(),
               WeChatBinding.subscribed.is_(True), User.active.is_(True),
               User.is_demo.is_(False))).all())


def context(session, uids, event: str, wish, known) -> dict | None:
    """What `add` needs for one notify() call; None when this event goes by WeChat to nobody.
    `known` (recipients.Recipients covering `uids`) has the bindings read."""
    tpl = template(event)
    if tpl is None or event in NEVER or not platform.enabled():
        return None
    everyone = known.bound()
    reach = {uid: everyone[uid] for uid in uids if uid in everyone}
    return {"event": event, "tpl": tpl, "wish": wish, "reach": reach} if reach else None


def data(tpl: dict, n: Notification, wish, note: str, now: datetime) -> dict:
    """The template's fields, in Chinese like the templates registered at WeChat."""
    stored = n.params if isinstance(n.params, dict) else {}
    with force_locale("zh_CN"):
        label = str(MESSAGES[n.event][0]) if n.event in MESSAGES else n.title
        fields = {"title": wish.title if wish is not None else label,
                  "note": thaw(stored["note"]) if "note" in stored else str(note or ""),
                  "event": label, "time": now.astimezone(TZ).strftime("%Y-%m-%d %H:%M")}
    out = {}
    for key, src in tpl["data"].items():
        value = str(fields.get(src, src if src not in fields else ""))[:FIELD_LIMIT]
        out[key] = {"value": value or "-"}  # WeChat refuses an empty value
    return out


def add(session, ctx: dict | None, n: Notification, due: datetime, now: datetime,
        note: str = "") -> Outbox | None:
    """Queue the template message of notification `n` if its recipient is reachable (caller
    commits); returns the row, so the caller knows not to text them."""
    if ctx is None or n.user_id not in ctx["reach"]:
        return None
    url = n.url if not n.url or "://" in n.url else platform.public_base() + n.url
    row = Outbox(notification=n, channel="wechat", status="pending", next_attempt_at=due,
                 created_at=now, params={"tid": ctx["tpl"]["id"], "url": url,
                                         "data": data(ctx["tpl"], n, ctx["wish"], note, now)})
    session.add(row)
    return row
