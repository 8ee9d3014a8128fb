"""Timed follow-ups the job process runs: reminders, escalation, confirmation nags, expiry,
skills matches and the daily digest. Each is a function of (session, now), idempotent: a second
run at the same instant finds its marks (Reminder rows, escalation_level, status) and does nothing.
"""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from ...db import begin_write
from ...models import (Claim, NotificationPreference, Org, Registration, Reminder, RoleGrant, User,
                      Wish)
from ..wishes import lifecycle
from .. import policy
from ..errors import Conflict
from .notify import notify
from .recipients import Recipients
from ..people.orgs import setting
from ..platform.batches import each_batch

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
DIGEST_HOUR = 8              # local time the daily digest goes out
MATCH_WINDOW = timedelta(hours=24)  # only wishes published this recently get skills matches
_SPLIT = re.compile(r"[,，、;；/\s]+")


def _staff(session, grids=(), communities=()) -> dict[tuple[str, int], list[int]]:
    """(role, org id) → its active holders, oldest grant first: the grids' workers and the
    communities' admins, in one query for a whole batch."""
    grids, communities = set(grids), set(communities)
    out: dict[tuple[str, int], list[int]] = {}
    if not (grids or communities):
        return out
    for role, org_id, uid in session.execute(
            select(RoleGrant.role, RoleGrant.org_id, RoleGrant.user_id)
            .where(RoleGrant.active.is_(True),
                   or_(and_(RoleGrant.role == "grid_worker", RoleGrant.org_id.in_(grids)),
                       and_(RoleGrant.role == "community_admin",
                            RoleGrant.org_id.in_(communities))))
            .order_by(RoleGrant.id)):
        out.setdefault((role, org_id), []).append(uid)
    return out


def _staff_of(session, wishes) -> dict[tuple[str, int], list[int]]:
    """The staff of these wishes' grids and communities (see _staff)."""
    return _staff(session, {w.grid_id for w in wishes}, {w.community_id for w in wishes})


def _admins(staff: dict, community_id: int) -> list[int]:
    """The community's admins."""
    return staff.get(("community_admin", community_id), [])


def _grid_staff(staff: dict, wish: Wish) -> list[int]:
    """The wish's grid workers, or its community admins if the grid has none."""
    return staff.get(("grid_worker", wish.grid_id)) or _admins(staff, wish.community_id)


def _known(session, staff: dict) -> Recipients:
    """What notify() reads about all these staff, read once for the batch."""
    return Recipients(session, [u for uids in staff.values() for u in uids])


def _ts(dt: datetime) -> int:
    return int(dt.timestamp())


def _marked(session, keys) -> set[str]:
    keys = list(keys)
    if not keys:
        return set()
    return set(session.scalars(select(Reminder.key).where(Reminder.key.in_(keys))))


def _reminder_key(c: Claim, wish: Wish) -> str:
    # A volunteer who releases and claims again reuses the claim row: created_at tells them apart.
    return f"wanted:{c.id}:{_ts(c.created_at)}:{_ts(wish.wanted_from)}"


def _claims_ahead(now: datetime):
    return (select(Claim, Wish).join(Wish, Wish.id == Claim.wish_id)
            .where(Claim.status == "active", Wish.status.in_(("published", "claimed")),
                   Wish.wanted_from > now))


def schedule_reminders(session, now: datetime) -> int:
    """Create a reminder row for each active claim whose wish has a wanted time ahead."""
    ids = session.scalars(_claims_ahead(now).with_only_columns(Claim.id)).all()

    def batch(chunk):
        pairs = session.execute(_claims_ahead(now).where(Claim.id.in_(chunk))).all()
        have = _marked(session, (_reminder_key(c, w) for c, w in pairs))
        made = 0
        for c, w in pairs:
            key = _reminder_key(c, w)
            if key in have:
                continue
            lead = timedelta(minutes=setting(w.community, "remind_before_minutes"))
            session.add(Reminder(key=key, kind="wanted", wish_id=w.id, claim_id=c.id,
                                 user_id=c.volunteer_id,
                                 due_at=max(w.wanted_from - lead, c.created_at)))
            made += 1
        return made
    return each_batch(session, ids, batch)


def fire_reminders(session, now: datetime) -> int:
    """Send the reminders that are due; cancel those whose claim was released meanwhile."""
    open_ = (select(Reminder, Claim, Wish).join(Claim, Claim.id == Reminder.claim_id)
             .join(Wish, Wish.id == Reminder.wish_id)
             .where(Reminder.kind == "wanted", Reminder.fired_at.is_(None),
                    Reminder.cancelled_at.is_(None)))
    ids = session.scalars(open_.with_only_columns(Reminder.id)).all()
    return each_batch(session, ids, lambda chunk: _fire(
        session, session.execute(open_.where(Reminder.id.in_(chunk))).all(), now))


def _fire(session, rows, now: datetime) -> int:
    sent = 0
    for r, c, w in rows:
        live = (c.status == "active" and w.status in ("published", "claimed", "in_service")
                and w.wanted_from is not None and r.key == _reminder_key(c, w))
        if not live:
            r.cancelled_at = now  # the claim was released (or the wish moved on): no reminder
            continue
        if r.due_at > now:
            continue
        res = session.execute(update(Reminder).where(Reminder.id == r.id,
                                                     Reminder.fired_at.is_(None))
                              .values(fired_at=now).execution_options(synchronize_session=False))
        if res.rowcount == 1:
            when = w.wanted_from.astimezone(LOCAL_TZ)
            notify(session, [c.volunteer_id], "reminder_before", w,
                   note=_l("%(m)s月%(d)s日 %(t)s", m=when.month, d=when.day,
                           t=f"{when:%H:%M}"), now=now)
            sent += 1
    return sent


def escalate(session, now: datetime) -> int:
    """Unclaimed after N hours → grid worker (level 1); after M more → community admin (2)."""
    open_ = select(Wish).where(Wish.status == "published", Wish.taken == 0,
                               Wish.escalation_level < 2, Wish.published_at.is_not(None))
    ids = session.scalars(open_.with_only_columns(Wish.id)).all()
    return each_batch(session, ids, lambda chunk: _escalate(session, session.scalars(
        open_.where(Wish.id.in_(chunk)).options(selectinload(Wish.community))).all(), now))


def _escalate(session, wishes, now: datetime) -> int:
    due = []  # (wish, level read, level due, N, M)
    for w in wishes:
        n = setting(w.community, "escalate_after_hours")
        m = setting(w.community, "escalate_again_hours")
        target = 2 if w.published_at + timedelta(hours=n + m) <= now else (
            1 if w.published_at + timedelta(hours=n) <= now else 0)
        if target > w.escalation_level:
            due.append((w, w.escalation_level, target, n, m))
    moved = _raise(session, [(w.id, old, new) for w, old, new, _n, _m in due])
    due = [d for d in due if d[0].id in moved]
    staff = _staff_of(session, [w for w, *_rest in due])
    known = _known(session, staff)
    done = 0
    for w, old, new, n, m in due:
        for level in range(old + 1, new + 1):
            hours = n if level == 1 else n + m
            if level == 1:
                notify(session, _grid_staff(staff, w), "wish_escalated", w, note=str(hours),
                       now=now, known=known)
            else:
                notify(session, _admins(staff, w.community_id), "wish_escalated_admin", w,
                       note=str(hours), now=now, known=known)
            lifecycle.log(session, w, "escalate", None, w.status, w.status,
                          f"level {level}", now)
            done += 1
    return done


def _raise(session, steps) -> set[int]:
    """Compare-and-set of escalation_level from the level read to the level due, for
    (wish id, old, new) steps: one UPDATE per (old, new), returning the ids it moved. A wish
    another run moved meanwhile is not among them (its notices are that run's)."""
    groups: dict[tuple[int, int], list[int]] = {}
    for wid, old, new in steps:
        groups.setdefault((old, new), []).append(wid)
    moved: set[int] = set()
    for (old, new), ids in sorted(groups.items()):
        moved.update(session.execute(
            update(Wish).where(Wish.id.in_(ids), Wish.escalation_level == old)
            .values(escalation_level=new).returning(Wish.id)
            .execution_options(synchronize_session=False)).scalars())
    return moved


def confirm_overdue(session, now: datetime) -> int:
    """Done but not confirmed after N days → the grid worker is asked to confirm for them."""
    open_ = select(Wish).where(Wish.status == "done", Wish.done_at.is_not(None))
    ids = session.scalars(open_.with_only_columns(Wish.id)).all()
    return each_batch(session, ids, lambda chunk: _ask_confirm(session, session.scalars(
        open_.where(Wish.id.in_(chunk)).options(selectinload(Wish.community))).all(), now))


def _ask_confirm(session, wishes, now: datetime) -> int:
    due = []
    for w in wishes:
        days = setting(w.community, "confirm_after_days")
        if w.done_at + timedelta(days=days) <= now:
            due.append((w, days, f"confirm:{w.id}:{_ts(w.done_at)}"))
    have = _marked(session, (k for _w, _d, k in due))
    due = [d for d in due if d[2] not in have]
    staff = _staff_of(session, [w for w, _d, _k in due])
    known = _known(session, staff)
    for w, days, key in due:
        session.add(Reminder(key=key, kind="confirm", wish_id=w.id, due_at=now, fired_at=now))
        notify(session, _grid_staff(staff, w), "confirm_overdue", w, note=str(days), now=now,
               known=known)
    return len(due)


def expire(session, now: datetime) -> int:
    """Published wishes past their deadline with nobody signed up → expired, resident told."""
    ids = session.scalars(select(Wish.id).where(
        Wish.status == "published", Wish.taken == 0, Wish.deadline.is_not(None),
        Wish.deadline <= now)).all()
    session.commit()
    expired = 0
    for wid in ids:
        begin_write(session)
        w = session.get(Wish, wid)
        try:
            if w.taken != 0:
                raise Conflict("claimed meanwhile")
            lifecycle.move(session, w, "expire", None, now=now)
        except Conflict:
            session.rollback()  # someone claimed or withdrew it meanwhile: leave it be
            continue
        notify(session, [w.resident_id], "wish_expired", w, now=now)
        session.commit()
        expired += 1
    return expired


def _skills(user: User) -> set[str]:
    return {s for s in _SPLIT.split(user.skills or "") if len(s) >= 2}


def skills_match(session, now: datetime) -> int:
    """Tell opted-in members of a grid about a newly published wish that fits their skills."""
    fresh = select(Wish).where(Wish.status == "published", Wish.published_at > now - MATCH_WINDOW,
                               Wish.published_at <= now)
    ids = session.scalars(fresh.with_only_columns(Wish.id)).all()
    keys = {f"skills:{i}": i for i in ids}
    for key in _marked(session, keys):
        keys.pop(key)
    if not keys:
        session.commit()
        return 0
    members = session.execute(
        select(User, Org.grid_id).join(NotificationPreference,
                                       NotificationPreference.user_id == User.id)
        .join(Org, Org.id == User.building_id)
        .where(NotificationPreference.skills_match.is_(True), User.active.is_(True),
               User.skills.is_not(None))).all()

    def batch(chunk):
        wishes = session.scalars(fresh.where(Wish.id.in_(chunk))).all()
        todo = {f"skills:{w.id}": w for w in wishes}
        for key in _marked(session, todo):
            todo.pop(key)
        return _tell(session, todo, members, now)
    return each_batch(session, list(keys.values()), batch)


def _tell(session, todo: dict, members, now: datetime) -> int:
    told = 0
    for key, w in todo.items():
        text = f"{w.category.name} {w.title} {w.description}"
        who = [u.id for u, grid in members
               if grid == w.grid_id and u.id != w.resident_id
               and policy.is_volunteer_in(u, w.community_id)
               and any(s in text for s in _skills(u))]
        session.add(Reminder(key=key, kind="skills", wish_id=w.id, due_at=now, fired_at=now))
        notify(session, who, "skills_match", w, now=now)
        told += len(who)
    return told


def daily_digest(session, now: datetime) -> int:
    """Once a day from 08:00 local: each community admin hears what waits for review."""
    local = now.astimezone(LOCAL_TZ)
    if local.hour < DIGEST_HOUR:
        return 0
    communities = session.scalars(select(Org.id).where(Org.kind == "community")).all()
    day = local.date().isoformat()
    return each_batch(session, communities, lambda chunk: _digest(session, chunk, day, now))


def _digest(session, communities, day: str, now: datetime) -> int:
    todo = {f"digest:{cid}:{day}": cid for cid in communities}
    for key in _marked(session, todo):
        todo.pop(key)
    if not todo:
        return 0
    cids = list(todo.values())
    waiting = dict(session.execute(
        select(Wish.community_id, func.count(Wish.id))
        .where(Wish.community_id.in_(cids), Wish.status == "pending_review")
        .group_by(Wish.community_id)).all())
    pending = dict(session.execute(
        select(Registration.community_id, func.count(Registration.id))
        .where(Registration.community_id.in_(cids), Registration.status == "pending")
        .group_by(Registration.community_id)).all())
    staff = _staff(session, communities=cids)
    known = _known(session, staff)
    sent = 0
    for key, cid in todo.items():
        session.add(Reminder(key=key, kind="digest", due_at=now, fired_at=now))
        wishes, regs = waiting.get(cid, 0), pending.get(cid, 0)
        if not (wishes or regs):
            continue
        parts = ([_l("%(n)s 条心愿待审核", n=wishes)] if wishes else []) + (
            [_l("%(n)s 条报到待审批", n=regs)] if regs else [])
        # Lazy parts: each admin reads the digest in their own language.
        note = parts[0] if len(parts) == 1 else _l("%(a)s、%(b)s", a=parts[0], b=parts[1])
        sent += len(notify(session, _admins(staff, cid), "daily_digest", note=note, now=now,
                           url="/inbox", known=known))
    return sent
