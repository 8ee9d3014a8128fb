"""The shop's accounts (积分台账): points earned, spent and expired per community and period,
on a page and as an .xlsx for the accounts."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...models import LedgerPoints, Org, ShopExchange, User, utcnow
from .. import policy
from ..errors import Forbidden, NotFound
from ..ledger.exports import Sheet
from ..ledger.periods import Period
from . import points

ZERO = Decimal("0")


def _community(session, actor: User, community_id) -> Org:
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise NotFound(code="community_not_found")
    if not policy.can_run_shop(actor, org.id):
        raise Forbidden(_l("只有本社区管理员可以查看积分台账。"))
    return org


def tally(session, actor: User, community_id, period: Period, now=None) -> dict:
    """Per member and in total: earned (ledger points dated in the period, 补录 excluded), spent
    (exchanges reserved in it, not cancelled), expired (lapsed in it: a lapse at the instant the
    year ends belongs to the year's last period), held at its end (or now, if sooner)."""
    org = _community(session, actor, community_id)
    now = now or utcnow()
    until = min(period.end, now)
    after = points.accounts(session, org, until, current=until == now)
    earned = dict(session.execute(  # every line dated in the period, whenever it was added
        select(LedgerPoints.volunteer_id, func.sum(LedgerPoints.points))
        .where(LedgerPoints.community_id == org.id,
               LedgerPoints.service_month.between(period.first_month, period.last_month))
        .group_by(LedgerPoints.volunteer_id)).all())
    spent = dict(session.execute(
        select(ShopExchange.member_id, func.sum(ShopExchange.points))
        .where(ShopExchange.community_id == org.id, ShopExchange.status != "cancelled",
               ShopExchange.created_at >= period.start, ShopExchange.created_at < period.end)
        .group_by(ShopExchange.member_id)).all())
    ids = set(earned) | set(spent) | {m for m, a in after.items() if a.balance or a.expired}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    rows = []
    start = period.start
    for mid in sorted(ids, key=lambda i: names.get(i, "")):
        a = after.get(mid)
        expired = sum((p for at, p in (a.lapses if a else []) if start < at <= until), ZERO)
        rows.append({"member_id": mid, "name": names.get(mid, ""),
                     "earned": Decimal(earned.get(mid) or 0), "spent": Decimal(spent.get(mid) or 0),
                     "expired": expired, "balance": a.balance if a else ZERO})
    total = {k: sum((r[k] for r in rows), ZERO) for k in ("earned", "spent", "expired", "balance")}
    for r in rows + [total]:
        for k in ("earned", "spent", "expired", "balance"):
            r[k] = points.plain(r[k])
    return {"community": {"id": org.id, "name": org.name}, "period": period, "rows": rows,
            "total": total}


def sheet(data: dict) -> Sheet:
    """The tally as one .xlsx sheet with a totals row (written by ledger/exports)."""
    p, name = data["period"], data["community"]["name"]
    rows = [[r["name"], r["earned"], r["spent"], r["expired"], r["balance"]] for r in data["rows"]]
    return Sheet("积分台账", ["姓名", "获得积分", "兑换积分", "过期积分", "期末余额"],
                 [14, 12, 12, 12, 12], rows, (1, 2, 3, 4), len(rows),
                 [f"{name}爱心超市积分台账（{p.label}）",
                  "获得积分只计现场记录或经审核认定的服务时长（补录时长不计积分）；兑换不扣减服务时长。"])
