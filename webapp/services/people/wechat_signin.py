"""微信登录: a person's openid at the 公众号, bound once by phone + code or password, then
enough to sign them in inside WeChat's browser. The openid is shown to nobody."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ...db import begin_write
from ...models import User, WeChatBinding, utcnow
from ..errors import Conflict


def user_for(session, app_id: str, openid: str) -> User | None:
    """The active account bound to this openid, if any."""
    return session.scalar(select(User).join(WeChatBinding, WeChatBinding.user_id == User.id)
                          .where(WeChatBinding.app_id == app_id, WeChatBinding.openid == openid,
                                 User.active.is_(True)))


def is_bound(session, user_id: int, app_id: str) -> bool:
    """Whether the person has bound a WeChat at this 公众号."""
    return bool(app_id) and session.scalar(select(WeChatBinding.id).where(
        WeChatBinding.user_id == user_id, WeChatBinding.app_id == app_id)) is not None


def bind(session, user: User, app_id: str, openid: str, now: datetime | None = None) -> None:
    """Bind `openid` to `user` (a WeChat bound elsewhere is refused; binding another WeChat
    replaces the person's last one)."""
    begin_write(session)
    other = session.scalar(select(WeChatBinding).where(WeChatBinding.app_id == app_id,
                                                       WeChatBinding.openid == openid))
    if other is not None and other.user_id != user.id:
        raise Conflict(_l("这个微信已绑定了另一个账号。请先在那个账号的“我的”页面解除绑定。"),
                       code="wechat_bound_elsewhere")
    if other is None:
        session.execute(delete(WeChatBinding).where(WeChatBinding.user_id == user.id,
                                                    WeChatBinding.app_id == app_id))
        # Following is assumed: a template message to a non-follower is refused (43004) and
        # then marks it; a subscribe event marks it again.
        session.add(WeChatBinding(user_id=user.id, app_id=app_id, openid=openid,
                                  created_at=now or utcnow()))
    session.commit()


def unbind(session, user: User, app_id: str) -> bool:
    """Forget the person's WeChat at this 公众号; whether there was one."""
    begin_write(session)
    n = session.execute(delete(WeChatBinding).where(WeChatBinding.user_id == user.id,
                                                    WeChatBinding.app_id == app_id)
                        .execution_options(synchronize_session=False)).rowcount
    session.commit()
    return bool(n)
