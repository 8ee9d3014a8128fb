"""What the 公众号 hears: follows and unfollows, menu clicks, and WeChat's delivery reports.

The message endpoint (webapp/notify/wechat_views.py) checks the signature, decrypts, and hands
the parsed message here; what to answer is returned as a word the view turns into a reply.
"""
from datetime import datetime, timezone

from sqlalchemy import update

from ...db import begin_write
from ...models import WeChatBinding
from ..platform import wechat as platform
from . import wechatout

MENU_MY_WISHES = "MY_WISHES"  # the menu button's key (docs/DEPLOY.md: the 公众号's menu)


def _follow(session, openid: str, on: bool) -> bool:
    """Mark the person bound to `openid` (if any) as following or not; whether one is bound."""
    begin_write(session)
    n = session.execute(update(WeChatBinding).where(WeChatBinding.openid == openid,
                                                    WeChatBinding.app_id == platform.app_id())
                        .values(subscribed=on).execution_options(synchronize_session=False))
    session.commit()
    return bool(n.rowcount)


def handle(session, msg, now: datetime) -> str | None:
    """Act on one message; the answer to give: "welcome", "my_wishes", "help" or None."""
    kind, event = msg.type, getattr(msg, "event", None)
    openid = msg.source
    if kind == "event" and event in ("subscribe", "subscribe_scan"):
        _follow(session, openid, True)
        return "welcome"
    if kind == "event" and event == "unsubscribe":
        _follow(session, openid, False)
        return None
    if kind == "event" and event == "click":
        return "my_wishes" if msg.key == MENU_MY_WISHES else None
    if kind == "event" and event == "templatesendjobfinish":
        at = msg.create_time if isinstance(msg.create_time, datetime) else now
        at = at.astimezone(timezone.utc) if at.tzinfo else at.replace(tzinfo=timezone.utc)
        wechatout.receipt(session, openid, msg.id, msg.status or "", at, now)
        return None
    if kind == "text":
        return "help"
    return None
