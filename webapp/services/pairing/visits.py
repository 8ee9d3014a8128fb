"""入户走访: a paired member logs visits; a need heard becomes a wish in one step (with the
household's consent); coverage by grid and member; reminders before the year ends.
"""
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...db import begin_write
from ...models import Org, Pairing, Reminder, User, Visit, VisitWish, utcnow
from ...schemas.inputs import WishInput
from .. import policy
from ..errors import Conflict, Invalid, NotFound
from ..ledger.periods import LOCAL_TZ
from ..notify.notify import notify
from ..people.orgs import setting
from ..wishes import wishes
from . import pairings

KIND_LABELS = {"home": _l("入户"), "phone": _l("电话"), "other": _l("其他")}


def local_today(now: datetime) -> date:
    """The community's (Beijing) calendar day of an instant."""
    return now.astimezone(LOCAL_TZ).date()


def log(session, actor: User, data, now=None) -> Visit:
    """The paired member records a visit (入户/电话/其他) with the date, a note and needs heard."""
    begin_write(session)
    now = now or utcnow()
    rows = pairings.active_pairings(session, member_id=actor.id, household_id=data.household_id)
    if not rows:
        raise Invalid({"household_id": _l("只能为与您结对的家庭记录走访。")})
    p = rows[0]
    if data.visit_date > local_today(now):
        raise Invalid({"date": _l("走访日期不能晚于今天。")})
    if data.visit_date < local_today(p.created_at):
        raise Invalid({"date": _l("走访日期不能早于结对日期。")})
    h = p.household
    v = Visit(pairing_id=p.id, member_id=actor.id, household_id=h.id,
              community_id=p.community_id, grid_id=h.building.grid_id if h.building else None,
              visited_on=data.visit_date, kind=data.kind, note=data.note or "",
              needs=data.needs or "", created_at=now)
    session.add(v)
    session.commit()
    return v


def get(session, viewer: User, visit_id) -> Visit:
    """A visit, for its member or the community admin (NotFound to anyone else)."""
    v = session.get(Visit, visit_id) if isinstance(visit_id, int) else None
    if v is None or not (v.member_id == viewer.id or policy.can_pair_in(viewer, v.community_id)):
        raise NotFound(_l("找不到这次走访记录。"), code="visit_not_found")
    return v


def to_wish(session, actor: User, visit_id, data, now=None):
    """Turn a need heard on a visit into a wish on the household's behalf, in one step.

    The wish goes through review like any other; its timeline says it was gathered on a visit
    with the household's consent, and a VisitWish row links the two in the same transaction."""
    begin_write(session)
    now = now or utcnow()
    v = get(session, actor, visit_id)
    if v.member_id != actor.id:
        raise NotFound(_l("找不到这次走访记录。"), code="visit_not_found")
    if v.pairing.status != "active":
        raise Conflict(_l("结对已结束，不能再代为登记心愿。"), code="not_paired")
    if data.consent is not True:
        raise Invalid({"consent": _l("请先征得居民同意，并勾选“居民已同意”。")})
    wish_data = WishInput.model_validate({
        **data.model_dump(exclude={"consent"}), "on_behalf_of": v.household_id})
    return wishes.post(session, actor, wish_data, now=now, visit=v)


def wishes_of(session, visit: Visit) -> list[int]:
    """Ids of the wishes posted from a visit."""
    return list(session.scalars(select(VisitWish.wish_id).where(VisitWish.visit_id == visit.id)
                                .order_by(VisitWish.id)))


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def counts(session, pairing_ids, year: int) -> dict[int, int]:
    """Visits per pairing in a calendar year (local dates: 31 Dec late evening is that year)."""
    if not pairing_ids:
        return {}
    lo, hi = _year_bounds(year)
    return dict(session.execute(
        select(Visit.pairing_id, func.count(Visit.id))
        .where(Visit.pairing_id.in_(list(pairing_ids)), Visit.visited_on >= lo,
               Visit.visited_on < hi).group_by(Visit.pairing_id)).all())


def mine(session, member: User, now=None) -> list[dict]:
    """A member's households this year: pairing, visits so far, visits still due (no contact)."""
    now = now or utcnow()
    year = local_today(now).year
    rows = pairings.active_pairings(session, member_id=member.id)
    done = counts(session, [p.id for p in rows], year)
    out = []
    for p in rows:
        need = int(setting(session.get(Org, p.community_id), "visits_per_year"))
        last = session.scalar(select(Visit).where(Visit.pairing_id == p.id)
                              .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(1))
        out.append({"pairing_id": p.id, "household_id": p.household_id,
                    "visits": done.get(p.id, 0), "required": need,
                    "due": max(need - done.get(p.id, 0), 0),
                    "last_visit": last.visited_on if last else None,
                    "last_visit_id": last.id if last else None})
    return out


def coverage(session, actor: User, community_id, year: int) -> dict:
    """Share of households paired, and visited at least N times in `year`, by grid and member."""
    org = pairings.community_of(session, actor, community_id)
    need = int(setting(org, "visits_per_year"))
    lowest = int(setting(org, "pairing_min_households"))
    # Counted by the database: the community's thousands of households are never loaded.
    names = dict(session.execute(select(Org.id, Org.name).where(
        Org.community_id == org.id, Org.kind == "grid")).all())
    # Households by grid from the buildings' kept counts (pairing/tally.py), in the order the
    # database sorts the grids (where NULL goes differs by engine).
    grids: dict = {gid: {"grid_id": gid, "grid": names.get(gid, ""), "households": int(n),
                         "paired": 0, "visited": 0} for gid, n in session.execute(
        select(Org.grid_id, func.sum(Org.households)).where(
            Org.community_id == org.id, Org.kind == "building", Org.households > 0)
        .group_by(Org.grid_id).order_by(Org.grid_id))}
    active = session.execute(
        select(Pairing.id, Pairing.member_id, Pairing.household_id)
        .where(Pairing.community_id == org.id, Pairing.status == "active")).all()
    done = counts(session, [p.id for p in active], year)
    # the households' grids: only pairings of households still living here count by grid
    grid_of = dict(session.execute(
        select(User.id, Org.grid_id).join(Org, Org.id == User.building_id)
        .join(Pairing, Pairing.household_id == User.id)
        .where(Pairing.community_id == org.id, Pairing.status == "active",
               *pairings.is_household(org.id))).all())
    member_names = dict(session.execute(
        select(User.id, User.name).where(User.id.in_({p.member_id for p in active}))).all())
    for p in active:
        if p.household_id in grid_of:
            g = grids[grid_of[p.household_id]]
            g["paired"] += 1
            g["visited"] += done.get(p.id, 0) >= need
    by_member: dict = {}
    for p in active:
        m = by_member.setdefault(p.member_id, {"member_id": p.member_id,
                                               "member": member_names[p.member_id],
                                               "paired": 0, "visited": 0})
        m["paired"] += 1
        m["visited"] += done.get(p.id, 0) >= need
    total = sum(g["households"] for g in grids.values())
    paired = sum(g["paired"] for g in grids.values())
    visited = sum(g["visited"] for g in grids.values())
    return {"community_id": org.id, "community": org.name, "year": year, "required": need,
            "households": total, "paired": paired, "visited": visited,
            "paired_share": _share(paired, total), "visited_share": _share(visited, total),
            "by_grid": [{**g, "paired_share": _share(g["paired"], g["households"]),
                         "visited_share": _share(g["visited"], g["households"])}
                        for g in grids.values()],
            "by_member": [{**m, "visited_share": _share(m["visited"], m["paired"]),
                           "below_min": m["paired"] < lowest}
                          for m in sorted(by_member.values(), key=lambda r: r["member_id"])]}


def _share(n: int, total: int) -> float:
    return round(100.0 * n / total, 1) if total else 0.0


def remind_visits(session, now) -> int:
    """Job: from `visit_remind_days` before 31 Dec, remind each member with households still
    short of the yearly visits — once per member and year (a Reminder row is the mark)."""
    today = local_today(now)
    sent = 0
    for org in session.scalars(select(Org).where(Org.kind == "community",
                                                 Org.active.is_(True))):
        start = date(today.year, 12, 31) - timedelta(days=int(setting(org, "visit_remind_days")))
        if today < start:
            continue
        need = int(setting(org, "visits_per_year"))
        rows = pairings.active_pairings(session, org.id)
        done = counts(session, [p.id for p in rows], today.year)
        short: dict[int, int] = {}
        for p in rows:
            if done.get(p.id, 0) < need:
                short[p.member_id] = short.get(p.member_id, 0) + 1
        for member_id, n in sorted(short.items()):
            key = f"visits:{member_id}:{today.year}"
            if session.scalar(select(Reminder.id).where(Reminder.key == key)) is not None:
                continue
            begin_write(session)
            session.add(Reminder(key=key, kind="visit_due", user_id=member_id, due_at=now,
                                 fired_at=now))
            notify(session, [member_id], "visits_due", note=str(n), now=now, url="/pairing/")
            session.commit()
            sent += 1
    return sent
