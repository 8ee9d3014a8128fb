"""The 公众号's client: wechatpy aimed at the configured API, its token kept in the database.

One access token per app id serves every web and job process (WeChat revokes a token a few
minutes after the next is fetched, and counts fetches per day): wechatpy's session storage is
the table wechat_cache, and a refresh happens under a lock, re-reading first, so that of several
processes that find the token stale only one fetches it.
"""
import json
import time
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from wechatpy import WeChatClient
from wechatpy.oauth import WeChatOAuth
from wechatpy.session import SessionStorage

from ...db import begin_write
from ...extensions import db
from ...models import WeChatCache

TIMEOUT = 10    # seconds per request to WeChat
EARLY = 300     # a token this close to its end counts as stale (WeChat overlaps old and new 5 min)


def enabled(config=None) -> bool:
    """WeChat is on when the 公众号's app id and secret are set."""
    cfg = config if config is not None else current_app.config
    return bool(cfg.get("WECHAT_APP_ID") and cfg.get("WECHAT_APP_SECRET"))


def app_id(config=None) -> str:
    """The configured 公众号 app id ('' when WeChat is off)."""
    cfg = config if config is not None else current_app.config
    return cfg.get("WECHAT_APP_ID") or ""


def public_base() -> str:
    """The address residents open (PUBLIC_URL): links in messages must work outside a request."""
    cfg = current_app.config
    if cfg.get("PUBLIC_URL"):
        return cfg["PUBLIC_URL"].rstrip("/")
    if cfg.get("SERVER_NAME"):
        return f"{cfg.get('PREFERRED_URL_SCHEME') or 'http'}://{cfg['SERVER_NAME']}"
    return "http://127.0.0.1:5000"  # as web/public.py: where scripts/run.sh serves


def _now() -> datetime:
    return datetime.now(timezone.utc)


class DbStorage(SessionStorage):
    """wechatpy's session storage over wechat_cache, each call its own short transaction. A
    value read is kept in memory until its stored expiry (a query per message halved the rate);
    a token WeChat refuses is re-read from the database by `Client.fetch_access_token`."""

    def __init__(self, engine):
        self.engine = engine
        self.local: dict[str, tuple] = {}  # key -> (value, expires_at or None)

    def get(self, key, default=None):
        hit = self.local.get(key)
        if hit is not None and (hit[1] is None or hit[1] > _now()):
            return hit[0]
        with Session(self.engine) as s:
            row = s.get(WeChatCache, key)
            if row is None or row.value is None:
                return default
            if row.expires_at is not None and row.expires_at <= _now():
                return default
            self.local[key] = (json.loads(row.value), row.expires_at)
            return self.local[key][0]

    def set(self, key, value, ttl=None):
        if value is None:
            return
        with Session(self.engine) as s:
            begin_write(s)
            self._put(s, key, value, ttl)
            s.commit()

    def _put(self, s, key, value, ttl):
        row = s.get(WeChatCache, key) or WeChatCache(key=key)
        row.value = json.dumps(value)
        # Stored EARLY seconds short, so that every process refreshes before WeChat's end.
        row.expires_at = _now() + timedelta(seconds=max(int(ttl) - EARLY, 1)) if ttl else None
        s.add(row)
        self.local[key] = (value, row.expires_at)

    def delete(self, key):
        self.local.pop(key, None)
        with Session(self.engine) as s:
            begin_write(s)
            s.execute(delete(WeChatCache).where(WeChatCache.key == key))
            s.commit()


class Client(WeChatClient):
    """WeChatClient whose token comes from API_BASE_URL (wechatpy fixes api.weixin.qq.com) and
    is refreshed once for all processes."""

    def fetch_access_token(self):
        """Fetch a token unless another process has stored a fresh one since ours went bad."""
        seen = getattr(self, "_seen", None)
        self.session.local.pop(self.access_token_key, None)  # WeChat refused it: ask the table
        with Session(self.session.engine) as s:
            begin_write(s)  # the lock: BEGIN IMMEDIATE on SQLite, the row below on PostgreSQL
            row = s.scalar(select(WeChatCache).where(WeChatCache.key == self.access_token_key)
                           .with_for_update())
            fresh = row is not None and row.value and (row.expires_at is None or
                                                       row.expires_at > _now())
            if fresh and json.loads(row.value) != seen:  # another process refreshed it
                s.commit()
                return {"access_token": json.loads(row.value)}
            res = self._http.get(self.API_BASE_URL + "token", timeout=self.timeout, params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
            res.raise_for_status()
            result = res.json()
            if result.get("errcode"):
                s.rollback()
                from wechatpy.exceptions import WeChatClientException
                raise WeChatClientException(result["errcode"], result.get("errmsg"), client=self,
                                            request=res.request, response=res)
            self.session._put(s, self.access_token_key, result["access_token"],
                           result.get("expires_in", 7200))
            s.commit()
        self.expires_at = None  # the storage's expiry rules, not this process's clock
        return result

    @property
    def access_token(self):
        """The shared token (fetched when the storage has none that is still fresh)."""
        token = self.session.get(self.access_token_key)
        if not token:
            self.fetch_access_token()
            token = self.session.get(self.access_token_key)
        self._seen = token
        return token


def client(app=None) -> Client:
    """The process's client (kept: it holds the HTTP connections), None when WeChat is off."""
    app = app or current_app._get_current_object()
    if not enabled(app.config):
        return None
    c = app.extensions.get("wishgrid_wechat")
    if c is None:
        c = Client(app.config["WECHAT_APP_ID"], app.config["WECHAT_APP_SECRET"],
                   session=DbStorage(db.engine), timeout=TIMEOUT)
        c.API_BASE_URL = app.config["WECHAT_API_BASE"].rstrip("/") + "/cgi-bin/"
        app.extensions["wishgrid_wechat"] = c
    return c


def oauth(redirect_uri: str, scope: str = "snsapi_base", state: str = "") -> WeChatOAuth:
    """网页授权 for one round trip, aimed at the configured addresses."""
    cfg = current_app.config
    o = WeChatOAuth(cfg["WECHAT_APP_ID"], cfg["WECHAT_APP_SECRET"], redirect_uri, scope, state)
    o.API_BASE_URL = cfg["WECHAT_API_BASE"].rstrip("/") + "/"
    o.OAUTH_BASE_URL = cfg["WECHAT_OAUTH_BASE"].rstrip("/") + "/"
    return o


def js_config(url: str) -> dict | None:
    """wx.config's fields for the page at `url` (JS-SDK signature), None when WeChat is off or
    WeChat cannot be reached (the page still works, only without the share card)."""
    c = client()
    if c is None:
        return None
    try:
        ticket = c.jsapi.get_jsapi_ticket()
    except Exception:  # noqa: BLE001 - a share card is not worth a failed page
        current_app.logger.warning("wechat: no JS-SDK ticket", exc_info=True)
        return None
    nonce, ts = json.dumps(time.time_ns())[-12:], int(time.time())
    return {"appId": c.appid, "timestamp": ts, "nonceStr": nonce,
            "signature": c.jsapi.get_jsapi_signature(nonce, ticket, ts, url.split("#")[0])}
