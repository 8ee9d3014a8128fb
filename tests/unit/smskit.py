"""Test helper: a loopback SMS provider playing Alibaba Cloud SMS and Tencent Cloud SMS.

The official SDKs are pointed at it (endpoint + scheme http). Every request's signature is
checked with the provider's published algorithm, written here from the documentation and not
from the SDKs: Alibaba ACS3-HMAC-SHA256 (what dysmsapi 4.x sends by default) and the RPC
HMAC-SHA1 signature (SignatureVersion 1.0, the SDK's `signature_algorithm="v2"`); Tencent
TC3-HMAC-SHA256. Answers use each provider's documented shapes and codes.
"""
import base64
import hashlib
import hmac
import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

KEY_ID, SECRET = "LTAI-test-key", "test-secret-of-the-community"
BEIJING = timezone(timedelta(hours=8))
RECEIPT_DELAY = timedelta(seconds=5)  # how long after acceptance each phone "receives" it

# What a plan entry means, per provider: (Alibaba Code, Tencent Code, Tencent: top-level Error?)
CODES = {
    "ok": ("OK", "Ok", False),
    "rate_limit": ("isv.BUSINESS_LIMIT_CONTROL", "LimitExceeded.PhoneNumberDailyLimit", False),
    "bad_number": ("isv.MOBILE_NUMBER_ILLEGAL", "InvalidParameterValue.IncorrectPhoneNumber", False),
    "template": ("isv.SMS_TEMPLATE_ILLEGAL", "FailedOperation.TemplateIncorrectOrUnapproved", True),
    "balance": ("isv.AMOUNT_NOT_ENOUGH", "FailedOperation.InsufficientBalanceInSmsPackage", True),
}


def _pct(s: str) -> str:
    """RFC 3986 percent-encoding (space %20, '~' kept), as both Alibaba algorithms specify."""
    return quote(str(s), safe="-_.~")


def _local(phone: str) -> str:
    return phone[3:] if phone.startswith("+86") else phone


def _sha256(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def acs3_ok(method, path, query: list, headers: dict, body: bytes, secret: str) -> bool:
    """Alibaba V3 signature: ACS3-HMAC-SHA256 over the canonical request."""
    auth = headers.get("authorization", "")
    if not auth.startswith("ACS3-HMAC-SHA256 "):
        return False
    parts = dict(p.split("=", 1) for p in auth[len("ACS3-HMAC-SHA256 "):].split(","))
    signed = parts.get("SignedHeaders", "").split(";")
    # Every x-acs-* header, host and content-type (when sent) must be signed.
    must = {h for h in headers if h.startswith("x-acs-")} | {"host"} | (
        {"content-type"} if "content-type" in headers else set())
    if not must <= set(signed) or headers.get("x-acs-content-sha256") != _sha256(body):
        return False
    cq = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(query))
    ch = "".join(f"{h}:{headers.get(h, '').strip()}\n" for h in sorted(signed))
    canonical = "\n".join([method, path or "/", cq, ch, ";".join(sorted(signed)), _sha256(body)])
    sts = "ACS3-HMAC-SHA256\n" + _sha256(canonical.encode())
    want = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, parts.get("Signature", ""))


def rpc_sha1_ok(method, params: dict, secret: str) -> bool:
    """Alibaba RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0)."""
    if params.get("SignatureMethod") != "HMAC-SHA1" or "Signature" not in params:
        return False
    rest = sorted((k, v) for k, v in params.items() if k != "Signature")
    cq = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in rest)
    sts = f"{method}&{_pct('/')}&{_pct(cq)}"
    want = base64.b64encode(hmac.new((secret + "&").encode(), sts.encode(),
                                     hashlib.sha1).digest()).decode()
    return hmac.compare_digest(want, params["Signature"])


def tc3_ok(method, path, raw_query, headers: dict, body: bytes, secret: str) -> bool:
    """Tencent TC3-HMAC-SHA256 (service "sms")."""
    auth = headers.get("authorization", "")
    if not auth.startswith("TC3-HMAC-SHA256 "):
        return False
    parts = dict(p.strip().split("=", 1) for p in auth[len("TC3-HMAC-SHA256 "):].split(","))
    _sid, date, service, term = parts["Credential"].split("/")
    ts = headers.get("x-tc-timestamp", "0")
    day = datetime.fromtimestamp(int(ts), timezone.utc).strftime("%Y-%m-%d")
    if term != "tc3_request" or service != "sms" or day != date:
        return False
    signed = parts["SignedHeaders"].split(";")
    if not {"content-type", "host"} <= set(signed):
        return False
    ch = "".join(f"{h}:{headers.get(h, '').strip().lower()}\n" for h in signed)
    canonical = "\n".join([method, path or "/", raw_query if method == "GET" else "", ch,
                           parts["SignedHeaders"], _sha256(body)])
    scope = f"{date}/{service}/tc3_request"
    sts = f"TC3-HMAC-SHA256\n{ts}\n{scope}\n{_sha256(canonical.encode())}"

    def mac(k, m):
        return hmac.new(k, m.encode(), hashlib.sha256).digest()
    k = mac(mac(mac(("TC3" + secret).encode(), date), service), "tc3_request")
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, parts["Signature"])


class SmsProvider:
    """The loopback provider. `plan[phone]` lists outcomes (keys of CODES) to give that number in
    order, then "ok". `sent` lists every accepted message as (key, phone, template, params).
    `receipt[key]`: Alibaba SendStatus (1 waiting, 2 failed, 3 delivered; default 3)."""

    def __init__(self, secret: str = SECRET, hold_at: int | None = None):
        self.secret = secret
        self.plan: dict[str, list[str]] = {}
        self.sent: list[tuple] = []
        self.requests: list[str] = []        # action of every request that passed the check
        self.bad_signatures = 0
        self.receipt: dict[str, int] = {}
        self.accepted_at: dict[str, datetime] = {}  # key → when it was accepted (UTC, whole s)
        self.cond = threading.Condition()
        self.hold_at, self.held, self.release_gate = hold_at, threading.Event(), threading.Event()
        self.sends = 0
        kit = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once, as from a real API

            def _reply(self, status, doc):
                raw = json.dumps(doc, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
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
                headers = {k.lower(): v for k, v in self.headers.items()}
                query = parse_qsl(url.query, keep_blank_values=True)
                if headers.get("authorization", "").startswith("TC3-"):
                    ok = tc3_ok(self.command, url.path, url.query, headers, body, kit.secret)
                    return kit._tencent(self, ok, headers.get("x-tc-action", ""),
                                        json.loads(body or b"{}"))
                params = dict(query) | dict(parse_qsl(body.decode(), keep_blank_values=True))
                if "Signature" in params:
                    ok = rpc_sha1_ok(self.command, params, kit.secret)
                else:
                    ok = acs3_ok(self.command, url.path, query, headers, body, kit.secret)
                action = headers.get("x-acs-action") or params.get("Action", "")
                return kit._aliyun(self, ok, action, params)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.endpoint = f"127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    # -- behaviour shared by both providers -------------------------------------------------
    def _outcome(self, phone: str) -> str:
        with self.cond:
            answers = self.plan.get(phone)
            return answers.pop(0) if answers else "ok"

    def _accept(self, key, phone, template, params):
        with self.cond:
            self.sent.append((key, phone, template, params))
            self.accepted_at[key] = datetime.now(timezone.utc).replace(microsecond=0)
            n = len(self.sent)
            self.cond.notify_all()
        return n

    def _maybe_hold(self):
        with self.cond:
            self.sends += 1
            hold = self.hold_at is not None and self.sends == self.hold_at
        if hold:
            self.held.set()
            self.release_gate.wait(60)

    def _bad_sig(self):
        with self.cond:
            self.bad_signatures += 1

    # -- Alibaba -----------------------------------------------------------------------------
    def _aliyun(self, h, ok, action, p):
        rid = "A1B2C3D4-0000-0000-0000-000000000000"
        if not ok:
            self._bad_sig()
            return h._reply(400, {"RequestId": rid, "Code": "SignatureDoesNotMatch",
                                  "Message": "Specified signature is not matched with our calculation."})
        self.requests.append(action)
        if action == "SendSms":
            phone = p.get("PhoneNumbers", "")
            self._maybe_hold()
            outcome = self._outcome(phone)
            code = CODES[outcome][0]
            if outcome != "ok":
                return h._reply(200, {"RequestId": rid, "Code": code, "Message": code})
            n = self._accept(p.get("OutId"), phone, p.get("TemplateCode"),
                             json.loads(p.get("TemplateParam") or "{}"))
            return h._reply(200, {"RequestId": rid, "Code": "OK", "Message": "OK",
                                  "BizId": f"{900000 + n}^0"})
        if action == "QuerySendDetails":
            phone, biz = p.get("PhoneNumber"), p.get("BizId")
            with self.cond:
                rows = [(i + 1, s) for i, s in enumerate(self.sent) if s[1] == phone]
            if biz:
                rows = [(i, s) for i, s in rows if f"{900000 + i}^0" == biz]
            dtos = [{"PhoneNum": phone, "SendStatus": self.receipt.get(s[0], 3),
                     "ErrCode": "DELIVERED" if self.receipt.get(s[0], 3) == 3 else "MK:0001",
                     "TemplateCode": s[2], "Content": "", "SendDate": self._bj(s[0]),
                     "ReceiveDate": self._bj(s[0], RECEIPT_DELAY), "OutId": s[0]}
                    for _i, s in rows]
            size, page = int(p.get("PageSize", 10)), int(p.get("CurrentPage", 1))
            return h._reply(200, {"RequestId": rid, "Code": "OK", "Message": "OK",
                                  "TotalCount": len(dtos), "SmsSendDetailDTOs": {
                                      "SmsSendDetailDTO": dtos[(page - 1) * size:page * size]}})
        return h._reply(404, {"RequestId": rid, "Code": "InvalidAction.NotFound", "Message": action})

    # -- Tencent -----------------------------------------------------------------------------
    def _tencent(self, h, ok, action, p):
        rid = "tc-req-0001"
        if not ok:
            self._bad_sig()
            return h._reply(200, {"Response": {"Error": {
                "Code": "AuthFailure.SignatureFailure", "Message": "signature mismatch"},
                "RequestId": rid}})
        self.requests.append(action)
        if action == "SendSms":
            phone = _local((p.get("PhoneNumberSet") or [""])[0])
            self._maybe_hold()
            outcome = self._outcome(phone)
            _a, code, top = CODES[outcome]
            if top:
                return h._reply(200, {"Response": {"Error": {"Code": code, "Message": code},
                                                   "RequestId": rid}})
            serial = ""
            if outcome == "ok":
                n = self._accept(p.get("SessionContext"), phone, p.get("TemplateId"),
                                 p.get("TemplateParamSet"))
                serial = f"2640:{n:024d}"
            return h._reply(200, {"Response": {"SendStatusSet": [{
                "SerialNo": serial, "PhoneNumber": phone, "Fee": 1 if serial else 0,
                "SessionContext": p.get("SessionContext"), "Code": code, "Message": code,
                "IsoCode": "CN"}], "RequestId": rid}})
        if action == "PullSmsSendStatusByPhoneNumber":
            phone = _local(p.get("PhoneNumber") or "")
            with self.cond:
                rows = [(i + 1, s) for i, s in enumerate(self.sent) if s[1] == phone]
            items = [{"UserReceiveTime": int((self.accepted_at[s[0]] + RECEIPT_DELAY).timestamp()), "CountryCode": "86", "SubscriberNumber": phone,
                      "PhoneNumber": "+86" + phone, "SerialNo": f"2640:{i:024d}",
                      "ReportStatus": "SUCCESS" if self.receipt.get(s[0], 3) == 3 else "FAIL",
                      "Description": "", "SessionContext": s[0]} for i, s in rows]
            return h._reply(200, {"Response": {"PullSmsSendStatusSet": items, "RequestId": rid}})
        return h._reply(200, {"Response": {"Error": {"Code": "InvalidAction", "Message": action},
                                           "RequestId": rid}})

    def _bj(self, key, after=timedelta(0)) -> str:
        """Alibaba's dates: "YYYY-MM-DD HH:MM:SS", Beijing time."""
        return (self.accepted_at[key] + after).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")

    # -- for tests -------------------------------------------------------------------------
    def keys(self) -> list:
        with self.cond:
            return [s[0] for s in self.sent]

    def wait_until(self, predicate, timeout: float = 60) -> bool:
        with self.cond:
            return self.cond.wait_for(predicate, timeout)

    def config(self, provider: str = "aliyun", **extra) -> dict:
        """App settings that point the SDK of `provider` here."""
        return {"SMS_PROVIDER": provider, "SMS_ACCESS_KEY_ID": KEY_ID,
                "SMS_ACCESS_KEY_SECRET": self.secret, "SMS_SIGN_NAME": "网格微心愿",
                "SMS_SDK_APP_ID": "1400000000", "SMS_REGION": "ap-guangzhou",
                "SMS_ENDPOINT": self.endpoint, "SMS_SCHEME": "http",
                "SMS_DOUBT_GRACE_SECONDS": 0, **extra}

    def close(self):
        self.release_gate.set()
        self.server.shutdown()
        self.server.server_close()
