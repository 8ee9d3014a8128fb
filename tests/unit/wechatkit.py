"""Test helper: a loopback WeChat playing the parts of the 公众号 API the app calls.

wechatpy is pointed at it through WECHAT_API_BASE / WECHAT_OAUTH_BASE. It checks what WeChat
checks, written from WeChat's documentation and not from wechatpy: the app id and secret of a
token request; every call's access_token (40001 unknown, 42001 expired); a template send's
follower (43004 not subscribed, 40003 unknown openid), template id (40037) and fields (47003: a
registered key missing, or a thing.DATA value over 20 characters); 网页授权 only inside WeChat's
browser and to the registered domain, each code once (40029). For the message endpoint it signs
(SHA-1 of the sorted token, timestamp, nonce) and encrypts (AES-256-CBC, PKCS#7 to 32 bytes)
pushes as WeChat does.
"""
import base64
import hashlib
import json
import os
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

APP_ID, SECRET, TOKEN = "wx0123456789abcdef", "test-wechat-secret-0123456789ab", "wishgridtoken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues
TEMPLATES = {  # template id at WeChat -> its keys; the app's settings map events onto these
    "TPL_wish_claimed_0000000000000000000000000": ("thing1", "phrase2", "time3"),
    "TPL_reminder_before_000000000000000000000": ("thing1", "time2"),
}
APP_TEMPLATES = {
    "wish_claimed": {"id": "TPL_wish_claimed_0000000000000000000000000",
                     "data": {"thing1": "title", "phrase2": "event", "time3": "time"}},
    "reminder_before": {"id": "TPL_reminder_before_000000000000000000000",
                        "data": {"thing1": "title", "time2": "time"}},
}


def signature(token: str, *parts: str) -> str:
    """WeChat's message signature: SHA-1 of the sorted strings."""
    return hashlib.sha1("".join(sorted([token, *parts])).encode()).hexdigest()


def encrypt(xml: str, aes_key: str = AES_KEY, app_id: str = APP_ID) -> str:
    """Encrypt a push as WeChat's safe mode does."""
    key = base64.b64decode(aes_key + "=")
    raw = os.urandom(16) + struct.pack(">I", len(xml.encode())) + xml.encode() + app_id.encode()
    pad = 32 - len(raw) % 32
    raw += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(raw) + enc.finalize()).decode()


def decrypt(text: str, aes_key: str = AES_KEY) -> str:
    """Decrypt an encrypted reply (what WeChat would do with the app's answer)."""
    key = base64.b64decode(aes_key + "=")
    dec = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    raw = dec.update(base64.b64decode(text)) + dec.finalize()
    raw = raw[:-raw[-1]]
    n = struct.unpack(">I", raw[16:20])[0]
    return raw[20:20 + n].decode()


class WeChat:
    """The loopback WeChat. `followers` are openids subscribed to the 公众号; `sent` lists each
    accepted template message as (msgid, openid, template id, data, url); `events` the
    TEMPLATESENDJOBFINISH pushes WeChat would make for them."""

    def __init__(self, token_ttl: int = 7200, hold_at: int | None = None,
                 oauth_domain: str = "127.0.0.1", latency: float = 0.0):
        self.token_ttl, self.oauth_domain, self.latency = token_ttl, oauth_domain, latency
        self.tokens: dict[str, float] = {}     # access token -> expiry (epoch seconds)
        self.token_fetches = 0
        self.followers: set[str] = set()
        self.known: set[str] = set()           # openids WeChat knows for this app
        self.current_openid: str | None = None  # who is "using WeChat" for 网页授权
        self.codes: dict[str, str] = {}        # OAuth code -> openid
        self.sent: list[tuple] = []
        self.events: list[dict] = []
        self.errors: list[tuple] = []          # (path, errcode) of every refusal
        self.tickets = 0
        self.ticket = None                      # the last JS-SDK ticket issued
        self.plan: list[int] = []              # errcodes to answer the next sends with
        self.cond = threading.Condition()
        self.hold_at, self.held, self.release_gate = hold_at, threading.Event(), threading.Event()
        self.sends = 0
        kit = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def _reply(self, doc, status=200, headers=()):
                raw = json.dumps(doc, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    for k, v in headers:
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:
                    self.close_connection = True

            def do_GET(self):  # noqa: N802
                self.do_POST()

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                url = urlsplit(self.path)
                q = dict(parse_qsl(url.query, keep_blank_values=True))
                if kit.latency:
                    time.sleep(kit.latency)  # what a request to api.weixin.qq.com costs
                return kit._route(self, url.path, q, body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    # -- the API ------------------------------------------------------------------------------
    def _err(self, h, path, code, msg):
        with self.cond:
            self.errors.append((path, code))
        return h._reply({"errcode": code, "errmsg": msg})

    def _token_ok(self, h, path, q):
        exp = self.tokens.get(q.get("access_token", ""))
        if exp is None:
            self._err(h, path, 40001, "invalid credential, access_token is invalid or not latest")
            return False
        if exp < time.time():
            self._err(h, path, 42001, "access_token expired")
            return False
        return True

    def _route(self, h, path, q, body):
        if path == "/cgi-bin/token":
            if q.get("grant_type") != "client_credential" or q.get("appid") != APP_ID:
                return self._err(h, path, 40013, "invalid appid")
            if q.get("secret") != SECRET:
                return self._err(h, path, 40125, "invalid appsecret")
            tok = "TOKEN_" + os.urandom(12).hex()
            with self.cond:
                self.token_fetches += 1
                self.tokens[tok] = time.time() + self.token_ttl
            return h._reply({"access_token": tok, "expires_in": self.token_ttl})
        if path == "/cgi-bin/message/template/send":
            if not self._token_ok(h, path, q):
                return None
            return self._template(h, path, json.loads(body or b"{}"))
        if path == "/cgi-bin/ticket/getticket":
            if not self._token_ok(h, path, q):
                return None
            if q.get("type") != "jsapi":
                return self._err(h, path, 40097, "invalid args")
            with self.cond:
                self.tickets += 1
                self.ticket = "TICKET_" + os.urandom(8).hex()
            return h._reply({"errcode": 0, "errmsg": "ok", "ticket": self.ticket,
                             "expires_in": 7200})
        if path == "/connect/oauth2/authorize":
            return self._authorize(h, q)
        if path == "/sns/oauth2/access_token":
            if q.get("appid") != APP_ID or q.get("secret") != SECRET:
                return self._err(h, path, 40125, "invalid appsecret")
            with self.cond:
                openid = self.codes.pop(q.get("code", ""), None)
            if openid is None or q.get("grant_type") != "authorization_code":
                return self._err(h, path, 40029, "invalid code")
            return h._reply({"access_token": "SNS_" + os.urandom(8).hex(), "expires_in": 7200,
                             "refresh_token": "R", "openid": openid, "scope": "snsapi_base"})
        return h._reply({"errcode": 404, "errmsg": f"no such api {path}"}, 404)

    def _authorize(self, h, q):
        """The page WeChat shows for 网页授权: it redirects back with a one-time code."""
        ua = h.headers.get("User-Agent", "")
        target = urlsplit(q.get("redirect_uri", ""))
        if "MicroMessenger" not in ua:
            return h._reply({"errmsg": "请在微信客户端打开链接"}, 403)
        if q.get("appid") != APP_ID or target.hostname != self.oauth_domain or \
                q.get("response_type") != "code" or \
                q.get("scope") not in ("snsapi_base", "snsapi_userinfo"):
            return self._err(h, "/connect/oauth2/authorize", 10003, "redirect_uri domain error")
        if self.current_openid is None:
            return h._reply({"errmsg": "no WeChat user"}, 403)
        code = os.urandom(8).hex()
        with self.cond:
            self.codes[code] = self.current_openid
            self.known.add(self.current_openid)
        sep = "&" if target.query else "?"
        back = q["redirect_uri"] + sep + urlencode({"code": code, "state": q.get("state", "")})
        return h._reply({}, 302, [("Location", back)])

    def _template(self, h, path, doc):
        with self.cond:
            self.sends += 1
            hold = self.hold_at is not None and self.sends == self.hold_at
            planned = self.plan.pop(0) if self.plan else 0
        if hold:
            self.held.set()
            self.release_gate.wait(60)
        to, tid, data = doc.get("touser"), doc.get("template_id"), doc.get("data") or {}
        if planned:
            return self._err(h, path, planned, "planned refusal")
        if to not in self.known and to not in self.followers:
            return self._err(h, path, 40003, "invalid openid")
        if to not in self.followers:
            return self._err(h, path, 43004, "require subscribe")
        if tid not in TEMPLATES:
            return self._err(h, path, 40037, "invalid template_id")
        for k in TEMPLATES[tid]:
            v = (data.get(k) or {}).get("value") if isinstance(data.get(k), dict) else None
            if not isinstance(v, str) or not v or (k.startswith("thing") and len(v) > 20):
                return self._err(h, path, 47003, f"argument invalid! data.{k}.value invalid")
        with self.cond:
            msgid = 2_000_000 + len(self.sent)
            self.sent.append((msgid, to, tid, data, doc.get("url")))
            self.events.append({"openid": to, "msgid": msgid, "status": "success",
                                "at": int(time.time())})
            self.cond.notify_all()
        return h._reply({"errcode": 0, "errmsg": "ok", "msgid": msgid})

    # -- for tests ------------------------------------------------------------------------------
    def follow(self, openid: str) -> None:
        """`openid` follows the 公众号."""
        with self.cond:
            self.known.add(openid)
            self.followers.add(openid)

    def wait_until(self, predicate, timeout: float = 60) -> bool:
        with self.cond:
            return self.cond.wait_for(predicate, timeout)

    def push(self, xml: str, encrypted: bool = False, token: str = TOKEN) -> tuple[str, bytes]:
        """The query string and body WeChat would POST to the message endpoint for `xml`."""
        ts, nonce = str(int(time.time())), os.urandom(4).hex()
        q = {"timestamp": ts, "nonce": nonce, "signature": signature(token, ts, nonce),
             "openid": "x"}
        if not encrypted:
            return urlencode(q), xml.encode()
        enc = encrypt(xml)
        q |= {"encrypt_type": "aes", "msg_signature": signature(token, ts, nonce, enc)}
        body = (f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>"
                f"<Encrypt><![CDATA[{enc}]]></Encrypt></xml>")
        return urlencode(q), body.encode()

    @staticmethod
    def event_xml(openid: str, event: str, **extra) -> str:
        """An event push (subscribe, unsubscribe, CLICK, TEMPLATESENDJOBFINISH)."""
        more = "".join(f"<{k}><![CDATA[{v}]]></{k}>" if isinstance(v, str) else f"<{k}>{v}</{k}>"
                       for k, v in extra.items())
        return (f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>"
                f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                f"<Event><![CDATA[{event}]]></Event>{more}</xml>")

    def receipt_xml(self, ev: dict) -> str:
        """The TEMPLATESENDJOBFINISH push for one accepted message."""
        return self.event_xml(ev["openid"], "TEMPLATESENDJOBFINISH", MsgID=ev["msgid"],
                              Status=ev["status"])

    def config(self, **extra) -> dict:
        """App settings that point wechatpy here."""
        return {"WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": SECRET, "WECHAT_TOKEN": TOKEN,
                "WECHAT_AES_KEY": AES_KEY, "WECHAT_TEMPLATES": APP_TEMPLATES,
                "WECHAT_API_BASE": self.base, "WECHAT_OAUTH_BASE": self.base + "connect/",
                **extra}

    def close(self):
        self.release_gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def wechat(app):
    """The loopback WeChat with the app pointed at it; yields the kit; settings restored after.
    Tests import it (`from tests.unit.wechatkit import wechat`)."""
    kit = WeChat()
    saved = dict(app.config)
    app.config.update(kit.config())
    app.extensions.pop("wishgrid_wechat", None)
    yield kit
    app.config.clear()
    app.config.update(saved)
    app.extensions.pop("wishgrid_wechat", None)
    kit.close()


def bind(db, user, openid: str, kit: "WeChat | None" = None, subscribed: bool = True):
    """Bind `user` to `openid` directly (the sign-in flow has its own tests); `kit` follows."""
    from webapp.db import begin_write
    from webapp.models import WeChatBinding
    begin_write(db)  # a read snapshot older than another connection's write cannot upgrade
    db.add(WeChatBinding(user_id=user.id, app_id=APP_ID, openid=openid, subscribed=subscribed))
    db.commit()
    if kit is not None and subscribed:
        kit.follow(openid)
