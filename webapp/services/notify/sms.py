"""SMS providers: one small interface over Alibaba Cloud SMS and Tencent Cloud SMS (official SDKs).

Each adapter turns the provider's answer into an outcome the outbox acts on:
  sent        accepted; `ref` is the provider's id (Alibaba BizId, Tencent SerialNo)
  retry       rate limited: nothing was sent, try again later with backoff
  balance     out of balance: nothing was sent, try again much later (someone tops up)
  bad_number  the number is invalid: drop the row and flag the number on the person
  rejected    template/signature not approved or another permanent refusal: fail the row
  doubt       no answer (network, timeout, 5xx): the message may have gone out, so the provider's
              status query decides before any resend
Every send carries the outbox row's key (Alibaba OutId, Tencent SessionContext); the status
query finds a message by it. Neither SendSms API takes an idempotency key.
"""
import json
import logging
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from .devsms import BANNER, Dev
from .smsresult import Result

log = logging.getLogger(__name__)
BEIJING = ZoneInfo("Asia/Shanghai")
TIMEOUT_MS = 10_000

ALIYUN_CODES = {
    "OK": "sent",
    "isv.BUSINESS_LIMIT_CONTROL": "retry",     # per-number minute/hour/day flow control
    "Throttling.User": "retry",
    "isv.MOBILE_NUMBER_ILLEGAL": "bad_number",
    "isv.SMS_TEMPLATE_ILLEGAL": "rejected",
    "isv.SMS_SIGNATURE_ILLEGAL": "rejected",
    "isv.AMOUNT_NOT_ENOUGH": "balance",
    "isv.OUT_OF_SERVICE": "balance",           # account in arrears
}
TENCENT_CODES = {
    "Ok": "sent",
    "LimitExceeded.PhoneNumberDailyLimit": "retry",
    "LimitExceeded.PhoneNumberThirtySecondLimit": "retry",
    "LimitExceeded.PhoneNumberOneHourLimit": "retry",
    "LimitExceeded.PhoneNumberSameContentDailyLimit": "retry",
    "RequestLimitExceeded": "retry",
    "InvalidParameterValue.IncorrectPhoneNumber": "bad_number",
    "FailedOperation.PhoneNumberOnBlacklist": "bad_number",
    "FailedOperation.TemplateIncorrectOrUnapproved": "rejected",
    "FailedOperation.SignatureIncorrectOrUnapproved": "rejected",
    "FailedOperation.InsufficientBalanceInSmsPackage": "balance",
    "FailedOperation.ContainDomesticAndInternationalPhoneNumber": "rejected",
    "InternalError.Timeout": "doubt",
    "ClientNetworkError": "doubt",
    "ServerNetworkError": "doubt",
}


def outcome_of(code: str | None) -> str:
    """What a stored provider code (an outbox row's last_error) meant, as an adapter outcome."""
    code = code or ""
    known = ALIYUN_CODES.get(code) or TENCENT_CODES.get(code)
    if known:
        return known
    return "retry" if "Throttling" in code or code.startswith("LimitExceeded") else "doubt"


def _beijing(text: str | None) -> datetime | None:
    """The provider's "YYYY-MM-DD HH:MM:SS" (Beijing time) as an aware datetime."""
    try:
        return datetime.strptime(text or "", "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    except ValueError:
        return None


def _mainland(phone: str) -> str:
    p = phone.strip().replace(" ", "")
    return p[3:] if p.startswith("+86") else p


class Aliyun:
    """Alibaba Cloud SMS (dysmsapi 2017-05-25). The SDK signs with ACS3-HMAC-SHA256 by default;
    `signature="v2"` makes it use the older RPC HMAC-SHA1 signature instead."""

    name = "aliyun"
    lookup_grace = timedelta(0)  # QuerySendDetails lists a message at once (status 1: waiting)
    receipt_poll_after = timedelta(0)  # receipts come only by polling

    def __init__(self, key_id, secret, sign_name, endpoint="", scheme="https", signature=None):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config
        cfg = Config(access_key_id=key_id, access_key_secret=secret,
                     endpoint=endpoint or "dysmsapi.aliyuncs.com", protocol=scheme.upper(),
                     read_timeout=TIMEOUT_MS, connect_timeout=TIMEOUT_MS)
        if signature == "v2":
            cfg.signature_algorithm = "v2"
        self.client, self.sign_name = Client(cfg), sign_name

    def send(self, phone: str, template: str, params: dict, key: str) -> Result:
        """SendSms to one number; OutId carries the outbox key."""
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_openapi.exceptions import ClientException
        req = models.SendSmsRequest(phone_numbers=_mainland(phone), sign_name=self.sign_name,
                                    template_code=template, out_id=key,
                                    template_param=json.dumps(params, ensure_ascii=False))
        try:
            body = self.client.send_sms(req).body
        except ClientException as exc:  # 4xx: the request was refused, nothing was sent
            code = str(exc.code)
            return Result(ALIYUN_CODES.get(code, "retry" if "Throttling" in code else "rejected"),
                          code=code)
        except Exception as exc:  # noqa: BLE001 - 5xx, network, timeout: outcome unknown
            return Result("doubt", code=f"{type(exc).__name__}: {exc}"[:200])
        code = body.code or ""
        outcome = ALIYUN_CODES.get(code, "rejected")
        return Result(outcome, body.biz_id if outcome == "sent" else None, code)

    def _details(self, phone: str, day: datetime, ref: str | None):
        from alibabacloud_dysmsapi20170525 import models
        page = 1
        while True:
            req = models.QuerySendDetailsRequest(
                phone_number=_mainland(phone), biz_id=ref or None, page_size=50, current_page=page,
                send_date=day.astimezone(BEIJING).strftime("%Y%m%d"))
            body = self.client.query_send_details(req).body
            if body.code != "OK":
                raise RuntimeError(f"QuerySendDetails {body.code}")
            dtos = body.sms_send_detail_dtos.sms_send_detail_dto or [] \
                if body.sms_send_detail_dtos else []
            yield from dtos
            if page * 50 >= (body.total_count or 0) or not dtos:
                return
            page += 1

    def lookup(self, phone: str, key: str, since: datetime) -> Result:
        """Was the message with this OutId sent? `sent` (found: the provider's SendDate, and the
        receipt if it is in) or `doubt` (not listed). QuerySendDetails' detail has no BizId
        field (PhoneNum, SendStatus, ErrCode, TemplateCode, Content, SendDate, ReceiveDate,
        OutId): a found row has none, and its receipt is polled by OutId."""
        for d in self._details(phone, since, None):
            if d.out_id == key:
                receipt = {3: "delivered", 2: "undelivered"}.get(int(d.send_status or 1))
                return Result("sent", code="found by OutId", at=_beijing(d.send_date),
                              receipt=receipt,
                              received_at=_beijing(d.receive_date) if receipt else None)
        return Result("doubt", code="not listed")

    def status(self, phone: str, ref: str | None, key: str, sent_at: datetime) -> str | None:
        """The receipt: "delivered", "undelivered", or None while it is not in yet."""
        for d in self._details(phone, sent_at, ref):
            if d.out_id == key or (ref and not d.out_id):
                return {3: "delivered", 2: "undelivered"}.get(int(d.send_status or 1))
        return None


class Tencent:
    """Tencent Cloud SMS (2021-01-11), TC3-HMAC-SHA256 signed by the SDK."""

    name = "tencent"
    # PullSmsSendStatusByPhoneNumber lists a message only once its receipt is in.
    lookup_grace = timedelta(minutes=5)
    receipt_poll_after = timedelta(minutes=10)  # the status callback normally comes first

    def __init__(self, key_id, secret, sign_name, app_id, region="", endpoint="", scheme="https"):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client
        http = HttpProfile(endpoint=endpoint or "sms.tencentcloudapi.com", protocol=scheme,
                           reqTimeout=TIMEOUT_MS // 1000, keepAlive=True)
        self.client = sms_client.SmsClient(credential.Credential(key_id, secret),
                                           region or "ap-guangzhou", ClientProfile(httpProfile=http))
        self.sign_name, self.app_id = sign_name, app_id

    @staticmethod
    def _e164(phone: str) -> str:
        p = phone.strip().replace(" ", "")
        return p if p.startswith("+") else "+86" + p

    def send(self, phone: str, template: str, params: dict, key: str) -> Result:
        """SendSms to one number; SessionContext carries the outbox key. Per-number codes are in
        SendStatusSet; account-wide refusals come back as the response's Error."""
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import \
            TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models
        req = models.SendSmsRequest()
        req.PhoneNumberSet, req.SmsSdkAppId = [self._e164(phone)], self.app_id
        req.SignName, req.TemplateId, req.SessionContext = self.sign_name, template, key
        req.TemplateParamSet = [str(v) for v in params.values()]
        try:
            resp = self.client.SendSms(req)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or ""
            default = "retry" if code.startswith("LimitExceeded") else (
                "doubt" if code.startswith(("InternalError", "ClientNetwork", "ServerNetwork"))
                else "rejected")
            return Result(TENCENT_CODES.get(code, default), code=code)
        except Exception as exc:  # noqa: BLE001
            return Result("doubt", code=f"{type(exc).__name__}: {exc}"[:200])
        st = (resp.SendStatusSet or [None])[0]
        if st is None:
            return Result("doubt", code="empty SendStatusSet")
        code = st.Code or ""
        outcome = TENCENT_CODES.get(code, "retry" if code.startswith("LimitExceeded") else "rejected")
        return Result(outcome, st.SerialNo if outcome == "sent" else None, code)

    def _pull(self, phone: str, since: datetime):
        from tencentcloud.sms.v20210111 import models
        req = models.PullSmsSendStatusByPhoneNumberRequest()
        req.PhoneNumber, req.SmsSdkAppId = self._e164(phone), self.app_id
        req.BeginTime = int((since - timedelta(minutes=1)).timestamp())
        req.EndTime = int(datetime.now(timezone.utc).timestamp()) + 60
        req.Offset, req.Limit = 0, 100
        return self.client.PullSmsSendStatusByPhoneNumber(req).PullSmsSendStatusSet or []

    def lookup(self, phone: str, key: str, since: datetime) -> Result:
        """Was the message with this SessionContext sent? `sent` with its SerialNo and receipt
        (the pull lists a message only with its receipt), or `doubt`. The answer carries no
        send time (UserReceiveTime is the phone's): the outbox keeps the attempt's time."""
        for s in self._pull(phone, since):
            if s.SessionContext == key:
                got = datetime.fromtimestamp(s.UserReceiveTime, timezone.utc) \
                    if s.UserReceiveTime else None
                return Result("sent", s.SerialNo, "found by SessionContext",
                              receipt="delivered" if s.ReportStatus == "SUCCESS" else "undelivered",
                              received_at=got)
        return Result("doubt", code="not listed")

    def status(self, phone: str, ref: str | None, key: str, sent_at: datetime) -> str | None:
        """Receipts come by the status callback; this pull is the fallback."""
        for s in self._pull(phone, sent_at):
            if s.SessionContext == key or (ref and s.SerialNo == ref):
                return "delivered" if s.ReportStatus == "SUCCESS" else "undelivered"
        return None


def provider(config):
    """The configured provider, or None when SMS is off (no provider or no keys); "dev" is
    the development provider that sends nothing (services/notify/devsms.py)."""
    name = (config.get("SMS_PROVIDER") or "").strip().lower()
    if name == "dev":
        log.warning("SMS_PROVIDER=dev: %s", BANNER)
        return Dev()
    key_id, secret = config.get("SMS_ACCESS_KEY_ID"), config.get("SMS_ACCESS_KEY_SECRET")
    if not name or not key_id or not secret:
        return None
    endpoint, scheme = config.get("SMS_ENDPOINT") or "", config.get("SMS_SCHEME") or "https"
    if name == "aliyun":
        p = Aliyun(key_id, secret, config.get("SMS_SIGN_NAME") or "", endpoint, scheme,
                   config.get("SMS_ALIYUN_SIGNATURE"))
    elif name == "tencent":
        p = Tencent(key_id, secret, config.get("SMS_SIGN_NAME") or "",
                    config.get("SMS_SDK_APP_ID") or "", config.get("SMS_REGION") or "",
                    endpoint, scheme)
    else:
        log.warning("SMS_PROVIDER=%r is not aliyun, tencent or dev: SMS is off", name)
        return None
    grace = int(config.get("SMS_DOUBT_GRACE_SECONDS", -1) or 0)
    if grace >= 0:
        p.lookup_grace = timedelta(seconds=grace)
    return p


def reaches_outside(config) -> bool:
    """Whether SMS reach real phones (Alibaba or Tencent with keys): then demo accounts, whose
    numbers are strangers', are never texted (issue 30 §1)."""
    return bool((config.get("SMS_PROVIDER") or "").strip().lower() in ("aliyun", "tencent")
                and config.get("SMS_ACCESS_KEY_ID") and config.get("SMS_ACCESS_KEY_SECRET"))


def is_dev(config) -> bool:
    """The development provider is on (messages go to /staff/dev-sms and the job log)."""
    return (config.get("SMS_PROVIDER") or "").strip().lower() == "dev"


def enabled(config) -> bool:
    """Whether SMS go out at all (a provider with its keys, or the development provider)."""
    return reaches_outside(config) or is_dev(config)


def app_provider(app):
    """The app's provider, built once per process (its HTTP connections are kept alive)."""
    if "wishgrid_sms" not in app.extensions:
        app.extensions["wishgrid_sms"] = provider(app.config)
    return app.extensions["wishgrid_sms"]
