"""The shop's accounts (积分台账): points earned, spent and expired per community and period,
on a page and as an .xlsx for the accounts."""
from datetime import datetime, timezone
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, or_, select, true, union

from ...models import LedgerPoints, Org, ShopAccount, ShopExchange, ShopLapse, User, utcnow
from .. import idlists, paging, policy
from ..errors import Forbidden, NotFound
from ..ledger.exports import Sheet
from ..ledger.periods import Period
from . import kept, points

ZERO = Decimal("0")
MIN = datetime.min.replace(tzinfo=timezone.utc)  # before any lapse
FIGURES = ("earned", "spent", "expired", "balance")
PAGE = 30  # members a page of 积分台账 lists
LAST_MONTH = 999912  # YYYYMM: after any service month


def _community(session, actor: User, community_id) -> Org:
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise NotFound(code="community_not_found")
    if not policy.can_run_shop(actor, org.id):
        raise Forbidden(_l("只有本社区管理员可以查看积分台账。"))
    return org


def tally(session, actor: User, community_id, period: Period, now=None,
          page: int | None = None) -> dict:
    """Per member and in total: earned (ledger points dated in the period, 补录 excluded), spent
    (exchanges reserved in it, not cancelled), expired (lapsed in it: a lapse at the instant the
    year ends belongs to the year's last period), held at its end (or now, if sooner). `page`:
    that page of members (PAGE, by name), else all of them (the .xlsx). A past period is shown
    as known now (`_past_kept`), so its closing balance is its opening one plus earned, less
    spent and expired."""
    org = _community(session, actor, community_id)
    now = now or utcnow()
    until = min(period.end, now)
    if until == now:
        rows, total, count = _current(session, org, period, now, page)
    else:
        rows, total, count = _past_kept(session, org, period, now, page)
    for r in rows + [total]:
        for k in FIGURES:
            r[k] = points.plain(r[k])
    page, pages = paging.clamp(count, page or 1, PAGE if page else max(count, 1))
    return {"community": {"id": org.id, "name": org.name}, "period": period, "rows": rows,
            "total": total, "page": page, "pages": pages, "past": until != now}


def _points(community_id: int, first: int, last: int):
    """Points dated in the months first..last (YYYYMM), by member."""
    return (select(LedgerPoints.volunteer_id, func.sum(LedgerPoints.points))
            .where(LedgerPoints.community_id == community_id,
                   LedgerPoints.service_month.between(first, last))
            .group_by(LedgerPoints.volunteer_id))


def _earned(period: Period, community_id: int):
    return _points(community_id, period.first_month, period.last_month)


def _after(period: Period, community_id: int):
    """Points dated in the months after `period`, by member."""
    # Bounded above as well: SQLite guesses a one-sided range keeps a quarter of the rows and
    # walked the community's every month by its key instead of the month index.
    return _points(community_id, period.last_month + 1, LAST_MONTH)


def _exchanged(community_id: int, *when):
    """Points reserved (not cancelled) at the times `when` allows, by member."""
    return (select(ShopExchange.member_id, func.sum(ShopExchange.points))
            .where(ShopExchange.community_id == community_id, ShopExchange.status != "cancelled",
                   *when)
            .group_by(ShopExchange.member_id))


def _spent(period: Period, community_id: int):
    return _exchanged(community_id, ShopExchange.created_at >= period.start,
                      ShopExchange.created_at < period.end)


def _in(lapses, start, until) -> Decimal:
    return sum((p for at, p in lapses if start < at <= until), ZERO)


def _current(session, org: Org, period: Period, now, page) -> tuple[list, dict, int]:
    """This period, from the kept accounts (services/shop/kept.py): a page of members and the
    totals by aggregates; accounts not true at `now` (a lapse the job has not yet caught up
    with, a changed rule) replayed here."""
    years, a, lapse = kept.years_of(org), ShopAccount, ShopLapse
    stale = kept.stale(session, org, years, now)
    fresh = (a.community_id == org.id, a.member_id.not_in(stale) if stale else true())
    replayed = {m: acc for m, (acc, _at) in kept.replayed(session, org.id, years, stale,
                                                          now).items()}
    earners, spenders = _earned(period, org.id).subquery(), _spent(period, org.id).subquery()
    listed = union(  # whoever earned or spent in the period, holds points or lost some
        select(a.member_id).where(a.community_id == org.id, or_(
            a.balance != 0, a.expired != 0,
            a.member_id.in_([m for m, x in replayed.items() if x.balance or x.expired])
            if replayed else false())),
        select(earners.c.volunteer_id), select(spenders.c.member_id)).subquery()
    mid = listed.c[0]
    count = session.scalar(select(func.count()).select_from(listed))
    q = select(User.id, User.name).join(listed, mid == User.id).order_by(User.name, User.id)
    if page:
        page, _pages = paging.clamp(count, page, PAGE)
        q = q.limit(PAGE).offset((page - 1) * PAGE)
    people = session.execute(q).all()
    ids = [i for i, _n in people]
    earned = dict(session.execute(_earned(period, org.id).where(
        LedgerPoints.volunteer_id.in_(ids))).all())
    spent = dict(session.execute(_spent(period, org.id).where(
        ShopExchange.member_id.in_(ids))).all())
    balance = dict(session.execute(select(a.member_id, a.balance).where(
        *fresh, a.member_id.in_(ids))).all())
    in_period = (lapse.community_id == org.id, lapse.at > period.start, lapse.at <= now)
    expired = dict(session.execute(
        select(lapse.member_id, func.sum(lapse.points)).where(*in_period, lapse.member_id.in_(ids))
        .group_by(lapse.member_id)).all())
    for m, acc in replayed.items():
        balance[m], expired[m] = acc.balance, _in(acc.lapses, period.start, now)
    rows = [{"member_id": i, "name": name, "earned": Decimal(earned.get(i) or 0),
             "spent": Decimal(spent.get(i) or 0), "expired": Decimal(expired.get(i) or 0),
             "balance": Decimal(balance.get(i) or 0)} for i, name in people]
    kept_balance, kept_expired = session.execute(select(
        select(func.sum(a.balance)).where(*fresh).scalar_subquery(),
        select(func.sum(lapse.points)).join(a, (a.community_id == lapse.community_id)
                                            & (a.member_id == lapse.member_id))
        .where(*in_period, *fresh).scalar_subquery())).one()
    total = {
        "earned": Decimal(session.scalar(select(func.sum(earners.c[1]))) or 0),
        "spent": Decimal(session.scalar(select(func.sum(spenders.c[1]))) or 0),
        "balance": Decimal(kept_balance or 0) + sum((x.balance for x in replayed.values()), ZERO),
        "expired": Decimal(kept_expired or 0) + sum(
            (_in(x.lapses, period.start, now) for x in replayed.values()), ZERO)}
    return rows, total, count


def _sums(session, q) -> dict:
    # Core, not the ORM's row loading: a district community's hundreds of members a figure.
    return {m: Decimal(v or 0) for m, v in session.connection().execute(q).all()}


def _past_kept(session, org: Org, period: Period, now, page) -> tuple[list, dict, int]:
    """A past period as known now, from the kept accounts and what changed after the period
    (the tests' shoputil.replayed_past is its reference), instead of summing every month of
    every member's history. A member's balance at the period's end is what they earned dated
    up to its last month, less what they spent before its end and what lapsed by then: points
    lapsing by then were earned by then and are spent oldest first, so later points and spends
    change none of those lapses, and the kept account's (kept.py) are the replay's. So it is
    the account's balance now, less points dated after the period, plus spends and lapses
    after its end. Accounts not true now are replayed, as in `_current`."""
    end, years, lapse, a = period.end, kept.years_of(org), ShopLapse, ShopAccount
    stale = kept.stale(session, org, years, now)
    fresh = (lambda col: col.not_in(stale)) if stale else (lambda col: true())
    later = _sums(session, _after(period, org.id))
    # Up to now: a stale account's replay (as of now) leaves out later spends; a fresh one
    # has none (kept.stale).
    spent_after = _sums(session, _exchanged(org.id, ShopExchange.created_at >= end,
                                            ShopExchange.created_at <= now))
    lost_after = _sums(session, select(lapse.member_id, func.sum(lapse.points)).where(
        lapse.community_id == org.id, lapse.at > end, fresh(lapse.member_id))
        .group_by(lapse.member_id))
    expired = _sums(session, select(lapse.member_id, func.sum(lapse.points)).where(
        lapse.community_id == org.id, lapse.at > period.start, lapse.at <= end,
        fresh(lapse.member_id)).group_by(lapse.member_id))
    balance, lost = {}, {}
    accounts = select(a.member_id, a.balance, a.expired).where(a.community_id == org.id,
                                                                fresh(a.member_id))
    for m, held, ever in session.connection().execute(accounts).all():
        after = lost_after.get(m, ZERO)
        balance[m] = held - later.get(m, ZERO) + spent_after.get(m, ZERO) + after
        lost[m] = ever - after
    for m, (acc, _at) in kept.replayed(session, org.id, years, stale, now).items():
        lost[m], expired[m] = _in(acc.lapses, MIN, end), _in(acc.lapses, period.start, end)
        balance[m] = acc.balance - later.get(m, ZERO) + spent_after.get(m, ZERO) + _in(
            acc.lapses, end, now)
    earned, spent = _sums(session, _earned(period, org.id)), _sums(session, _spent(period, org.id))
    ids = set(earned) | set(spent) | {m for m, b in balance.items() if b or lost.get(m)}
    return _listed(session, ids, page, earned=earned, spent=spent, expired=expired,
                   balance=balance)


def _listed(session, ids: set, page, **figures: dict) -> tuple[list, dict, int]:
    """A past period's rows (members `ids` by name: `page` of them, else all) and its totals,
    from each figure's {member: amount}."""
    total = {k: sum((v for m, v in figures[k].items() if m in ids), ZERO) for k in FIGURES}
    names = dict(session.connection().execute(select(User.id, User.name).where(
        idlists.id_in(session, User.id, ids))).all()) if ids else {}
    shown = sorted(ids, key=lambda i: (names.get(i, ""), i))
    if page:  # only the page's rows are made: a district community lists hundreds
        page, _pages = paging.clamp(len(shown), page, PAGE)
        shown = shown[(page - 1) * PAGE:page * PAGE]
    rows = [{"member_id": m, "name": names.get(m, ""),
             **{k: Decimal(figures[k].get(m) or 0) for k in FIGURES}} for m in shown]
    return rows, total, len(ids)


def sheet(data: dict) -> Sheet:
    """The tally as one .xlsx sheet with a totals row (written by ledger/exports)."""
    p, name = data["period"], data["community"]["name"]
    rows = [[r["name"], r["earned"], r["spent"], r["expired"], r["balance"]] for r in data["rows"]]
    return Sheet("积分台账", ["姓名", "获得积分", "兑换积分", "过期积分", "期末余额"],
                 [14, 12, 12, 12, 12], rows, (1, 2, 3, 4), len(rows),
                 [f"{name}爱心超市积分台账（{p.label}）",
                  "获得积分只计现场记录或经审核认定的服务时长（补录时长不计积分）；兑换不扣减服务时长。"])
