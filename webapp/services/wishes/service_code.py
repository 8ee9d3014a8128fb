"""A wish's service code (issue 24 item 2): at the resident's door the volunteer starts, and
later finishes, the service by scanning a code the resident (or, for a resident without a
phone, their grid worker) shows on their phone.

The code rotates like a session's check-in code (services/codes.py: 30 s windows, at most
60 s old). The first scan by a claimer starts their claim (not more than the community's
`service_start_early_minutes` before the agreed time: claims.start), a later one (at least
`DOUBLE_SCAN` after) finishes it with the hours measured between the two, capped by the agreed
span (wanted_from–wanted_until) or the community's longest service. Started and finished by code,
the confirmed record's hours are presence (`ServiceRecord.basis`), approved without matching the
estimate. Without the code the volunteer starts and finishes as before, with the resident's
confirmation.
"""
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...models import Claim, Org, User, Wish, utcnow
from .. import codes, policy
from ..errors import Conflict, Forbidden
from ..people.orgs import setting
from . import claims
from .wishes import get_wish

SALT = "wishgrid.wish-service"
DOUBLE_SCAN = timedelta(minutes=5)
TENTH = Decimal("0.1")

OUTCOMES = {
    "started": _l("已开始服务"), "done": _l("服务已完成，等待居民确认"),
    "already_started": _l("已经开始服务了，不用重复扫码；服务结束时再扫一次。"),
    "already_done": _l("这次服务已经完成。"),
}


def code_for(wish_id: int, now=None) -> str:
    """The token in the wish's service code during `now`'s window."""
    return codes.make(SALT, wish_id, now or utcnow())


def read_code(token: str, now=None) -> int:
    """The wish id of a scanned service code, or a refusal (expired, forged)."""
    return codes.read(SALT, token, now or utcnow())


def can_show(user: User, wish: Wish) -> bool:
    """The resident, or the grid staff acting for them, shows the code — while a volunteer
    has the wish to start or finish."""
    return policy.can_act_for_resident(user, wish) and wish.status in ("claimed", "in_service")


def showable(session, actor: User, wish_id) -> Wish:
    """The wish whose service code `actor` may show, or a refusal."""
    wish = get_wish(session, wish_id)
    if not policy.can_act_for_resident(actor, wish):
        raise Forbidden(_l("只有居民本人或本网格工作人员可以出示服务码。"))
    return wish


def progress(session, wish: Wish) -> dict:
    """What the resident's screen counts: volunteers to start, serving, done."""
    statuses = list(session.scalars(select(Claim.status).where(Claim.wish_id == wish.id)))
    return {"waiting": statuses.count("active"), "serving": statuses.count("started"),
            "done": statuses.count("done") + statuses.count("confirmed")}


def my_claim(session, actor: User, wish_id) -> Claim | None:
    """The actor's live (or finished) claim on the wish."""
    return session.scalar(select(Claim).where(
        Claim.wish_id == wish_id, Claim.volunteer_id == actor.id,
        Claim.status.in_(("offered", "active", "started", "done", "confirmed")))
        .execution_options(populate_existing=True))


def _hours(session, wish: Wish, claim: Claim, now) -> Decimal:
    measured = Decimal((now - claim.started_at).total_seconds() / 3600)
    cap = Decimal(str(setting(session.get(Org, wish.community_id), "max_service_hours")))
    if wish.wanted_from is not None and wish.wanted_until is not None \
            and wish.wanted_until > wish.wanted_from:
        cap = min(cap, Decimal((wish.wanted_until - wish.wanted_from).total_seconds() / 3600))
    return max(TENTH, min(measured, cap).quantize(TENTH, ROUND_HALF_UP))


def scan(session, actor: User, wish_id, now=None) -> tuple[Claim, str]:
    """A claimer's scan of the wish's service code: start, finish, or nothing.

    Returns the claim and the outcome: "started", "done", "already_started", "already_done".
    """
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    c = my_claim(session, actor, wish.id)
    if c is None:
        raise Conflict(_l("您没有认领这个心愿，不能用它的服务码。"), code="not_claimer")
    if c.status == "offered":
        raise Conflict(_l("请先在“我的订单”接受派单，再扫码开始服务。"), code="not_accepted")
    if c.status in ("done", "confirmed"):
        return c, "already_done"
    if c.status == "started":
        if now - c.started_at < DOUBLE_SCAN:
            return c, "already_started"
        try:
            return claims.mark_done(session, actor, c.id, _hours(session, wish, c, now), now,
                                    by_code=True), "done"
        except Conflict as exc:  # the same phone scanned twice at once: the other one finished
            if exc.code == "illegal_claim_transition":
                return my_claim(session, actor, wish.id), "already_done"
            raise
    try:
        return claims.start(session, actor, c.id, now, by_code=True), "started"
    except Conflict as exc:
        if exc.code == "illegal_claim_transition":
            return my_claim(session, actor, wish.id), "already_started"
        raise
