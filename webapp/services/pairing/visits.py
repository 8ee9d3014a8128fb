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
