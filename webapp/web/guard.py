"""Before a code is sent: an ALTCHA proof of work (no foreign service) and limits per number,
per client IP and per community, counted in the limiter's store (shared across processes
when RATELIMIT_STORAGE_URI is redis://)."""
import base64
import json
import math
import time
from datetime import datetime, timedelta, timezone

import altcha
from flask import current_app
from flask_babel import gettext as _
from limits import parse_many

from ..extensions import limiter

CHALLENGE_TTL = timedelta(minutes=10)


def _key() -> str:
    return "altcha:" + str(current_app.config.get("SECRET_KEY") or "")


def new_challenge() -> dict:
    """A fresh signed challenge, as the ALTCHA widget (and our small solver) reads it."""
    cfg = current_app.config
    c = altcha.create_challenge_v1(altcha.ChallengeOptionsV1(
        hmac_key=_key(), max_number=cfg["ALTCHA_MAX_NUMBER"],
        expires=datetime.now(timezone.utc) + CHALLENGE_TTL))
    return {"algorithm": c.algorithm, "challenge": c.challenge, "salt": c.salt,
            "signature": c.signature, "maxnumber": cfg["ALTCHA_MAX_NUMBER"]}


def solve(ch: dict) -> str:
    """The payload a solved challenge posts back (tests, bench; browsers use static/js)."""
    s = altcha.solve_challenge_v1(ch["challenge"], ch["salt"], ch["algorithm"], ch["maxnumber"])
    return base64.b64encode(json.dumps({
        "algorithm": ch["algorithm"], "challenge": ch["challenge"], "number": s.number,
        "salt": ch["salt"], "signature": ch["signature"]}).encode()).decode()


def challenge_ok(payload: str | None) -> bool:
    """A valid, unexpired solution, accepted once (a replayed one is refused)."""
    if not current_app.config["CODE_CHALLENGE"]:
        return True
    if not payload or len(payload) > 2000:
        return False
    try:
        ok, _err = altcha.verify_solution_v1(payload, _key(), True)
    except Exception:  # noqa: BLE001 — any malformed payload is simply not a solution
        return False
    if not ok:
        return False
    sig = json.loads(base64.b64decode(payload))["signature"]
    return limiter.storage.incr("altcha-used/" + str(sig)[:80],
                                int(CHALLENGE_TTL.total_seconds())) == 1


def _wait_text(seconds: float) -> str:
    if seconds < 120:
        return _("%(n)d 秒", n=max(1, math.ceil(seconds)))
    if seconds < 7200:
        return _("%(n)d 分钟", n=math.ceil(seconds / 60))
    return _("%(n)d 小时", n=math.ceil(seconds / 3600))


def over_limit(phone: str, ip: str, community_id: int | None) -> str | None:
    """Count one send against every limit, or say (in the user's language) which limit is
    reached and when to try again; nothing is counted when one is reached."""
    cfg = current_app.config
    if not cfg["CODE_LIMITS_ENABLED"]:
        return None
    strategy = limiter.limiter
    buckets = [(cfg["CODE_LIMIT_PHONE"], ("code-phone", phone),
                _("这个手机号获取验证码太频繁，请 %(when)s后再试。")),
               (cfg["CODE_LIMIT_IP"], ("code-ip", ip),
                _("您的网络获取验证码太频繁，请 %(when)s后再试。"))]
    if community_id:
        buckets.append((cfg["CODE_LIMIT_COMMUNITY"], ("code-community", str(community_id)),
                        _("现在获取验证码的人太多，请 %(when)s后再试。")))
    for spec, ids, msg in buckets:
        for item in parse_many(spec):
            if not strategy.test(item, *ids):
                reset = strategy.get_window_stats(item, *ids).reset_time
                return msg % {"when": _wait_text(reset - time.time())}
    for spec, ids, _msg in buckets:
        for item in parse_many(spec):
            strategy.hit(item, *ids)
    return None


def verify_over_limit(ip: str) -> str | None:
    """Wrong codes and slips per IP: guessing across many numbers is slowed down too."""
    cfg = current_app.config
    if not cfg["CODE_LIMITS_ENABLED"]:
        return None
    for item in parse_many(cfg["CODE_VERIFY_LIMIT_IP"]):
        if not limiter.limiter.hit(item, "code-verify-ip", ip):
            reset = limiter.limiter.get_window_stats(item, "code-verify-ip", ip).reset_time
            return _("尝试次数太多，请 %(when)s后再试。") % {"when": _wait_text(reset - time.time())}
    return None
