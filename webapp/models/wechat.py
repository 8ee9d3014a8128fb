"""WeChat 公众号: a person's openid per app id, and the shared access-token cache (issue 25)."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class WeChatBinding(db.Model):
    """A person's openid at one 公众号 (openids differ per app id). Personal information: shown
    to nobody, exported to its owner, deleted with the account."""

    __tablename__ = "wechat_bindings"
    __table_args__ = (UniqueConstraint("app_id", "openid"), UniqueConstraint("user_id", "app_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    app_id: Mapped[str] = mapped_column(String(32))
    openid: Mapped[str] = mapped_column(String(64))
    # Template messages reach only followers: cleared by an unsubscribe event or by WeChat
    # refusing a send (43004), set again by a subscribe event.
    subscribed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WeChatCache(db.Model):
    """wechatpy's session storage in the database: the access token and JS-SDK ticket, shared by
    every web and job process instead of each fetching its own (a fetch revokes the last)."""

    __tablename__ = "wechat_cache"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Optional[str]] = mapped_column(String(1000))
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
