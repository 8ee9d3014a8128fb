"""Before a code is sent: an ALTCHA proof of work (no foreign service) and limits per number,
per client IP and per community, counted in the limiter's store (shared across processes
when RATELIMIT_STORAGE_URI is redis://)."""
import base64
import json
import math
import time
from datetime import datetime, timedelta, timezone

import logging

import altcha
from flask import current_app
from flask_babel import gettext as _
from limits import parse_many

from ..extensions import limiter

CHALLENGE_TTL = timedelta(minutes=10)
log = logging.getLogger(__name__)
_checked = 0.0  # when this process last asked whether the shared store is back


def _counting(op):
    """`op(strategy)` on the limiter's store. These counters are not decorated limits, so
    Flask-Limiter's own fallback never sees the store fail here: when the shared store (Redis)
    is unreachable, switch the limiter to its in-memory fallback as a decorated limit would,
    and count there (per process) until it recovers — never a 500 (docs/DEPLOY.md)."""
    global _checked
    if getattr(limiter, "_storage_dead", False) and time.monotonic() - _checked > 1:
        _checked = time.monotonic()  # at most one ping a second per process while it is down
        if limiter.storage.check():
            log.info("rate limit storage recovered")
            limiter._storage_dead = False
    try:
        return op(limiter.limiter)
    except Exception:  # noqa: BLE001 - redis-py's errors: connection refused, timeout, …
        if not getattr(limiter, "_in_memory_fallback_enabled", False) or limiter._storage_dead:
            raise
        log.warning("rate limit storage unreachable - counting codes in memory")
        limiter._storage_dead = True  # the flag Flask-Limiter sets itself on the same failure
        return op(limiter.limiter)


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
    return _counting(lambda strategy: strategy.storage.incr(
        "altcha-used/" + str(sig)[:80], int(CHALLENGE_TTL.total_seconds()))) == 1


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
    buckets = [(cfg["CODE_LIMIT_PHONE"], ("code-phone", phone),
                _("这个手机号获取验证码太频繁，请 %(when)s后再试。")),
               (cfg["CODE_LIMIT_IP"], ("code-ip", ip),
                _("您的网络获取验证码太频繁，请 %(when)s后再试。"))]
    if community_id:
        buckets.append((cfg["CODE_LIMIT_COMMUNITY"], ("code-community", str(community_id)),
                        _("现在获取验证码的人太多，请 %(when)s后再试。")))
    return _counting(lambda strategy: _count(strategy, buckets))


def _count(strategy, buckets) -> str | None:
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
    return _counting(lambda strategy: _verify(strategy, cfg["CODE_VERIFY_LIMIT_IP"], ip))


def _verify(strategy, spec: str, ip: str) -> str | None:
    for item in parse_many(spec):
        if not strategy.hit(item, "code-verify-ip", ip):
            reset = strategy.get_window_stats(item, "code-verify-ip", ip).reset_time
            return _("尝试次数太多，请 %(when)s后再试。") % {"when": _wait_text(reset - time.time())}
    return None
