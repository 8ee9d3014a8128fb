"""为你推荐: a member's menu ranked by fit (issue 29 §3; the rules are in docs/RANKING.md).

score = load × (skill + distance + time + past) + waiting
  skill     40  one of the member's skills (特长) is in the wish's category, title or text
  distance  20 same building · 12 same grid · 0 elsewhere in the community
  time      10  the wanted time falls in the member's weekly availability (no time wanted: 5)
  past      3 per earlier confirmed service of the wish's category, at most 15
  waiting   1 per day since publication, at most 14: a wish nobody takes rises
  load      1 / (1 + 0.25 × the member's open claims): a busy member's fit counts less, so for
            them the wishes that have waited longest come first
Ties: newer publication, then id. Each card says why in one line (the largest part).
"""
import re
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...db import begin_write
from ...models import LIVE_CLAIM_STATUSES, Category, Claim, Org, ServiceRecord, User, Wish, utcnow
from .. import policy
from . import present, versions

CANDIDATES = 200  # newest published wishes considered; the page shows the top `limit`
SKILL, BUILDING, GRID, TIME, NO_TIME = 40, 20, 12, 10, 5
PAST_EACH, PAST_MAX, WAIT_MAX, LOAD_STEP = 3, 15, 14, 0.25
_SPLIT = re.compile(r"[,，、;；/\s]+")
_TZ = ZoneInfo("Asia/Shanghai")
PARTS = ("am", "pm", "ev")  # 6–12, 12–18, 18–22 Beijing time
DAY_LABELS = (_l("周一"), _l("周二"), _l("周三"), _l("周四"), _l("周五"), _l("周六"), _l("周日"))
PART_LABELS = {"am": _l("上午"), "pm": _l("下午"), "ev": _l("晚上")}


def skills_of(text: str | None) -> set[str]:
    """A member's skills (特长, as typed) as words of two characters or more."""
    return {s for s in _SPLIT.split(text or "") if len(s) >= 2}


def slot_of(when: datetime | None) -> str | None:
    """The weekly slot ("3pm") a time falls in, in Beijing time; None outside 6–22 h."""
    if when is None:
        return None
    local = when.astimezone(_TZ)
    part = "am" if 6 <= local.hour < 12 else "pm" if 12 <= local.hour < 18 else (
        "ev" if 18 <= local.hour < 22 else None)
    return f"{local.isoweekday()}{part}" if part else None


def valid_slots(values) -> list[str]:
    """Only real slots ("1am" … "7ev"), each once, in week order."""
    allowed = [f"{d}{p}" for d in range(1, 8) for p in PARTS]
    chosen = set(values or ())
    return [s for s in allowed if s in chosen]


class Candidate(NamedTuple):
    """A published wish as the ranking reads it, with what is the same for every member worked
    out once per cache entry (the text skills are matched in, the weekly slot wanted)."""
    id: int
    category_id: int
    category: str
    title: str
    description: str | None
    building_id: int | None
    grid_id: int | None
    resident_id: int | None
    wanted_from: datetime | None
    wanted_until: datetime | None
    published_at: datetime | None
    text: str
    slot: str | None


def _parts(w: Candidate, me, grid_id, skills, slots, past: dict, now) -> dict:
    text = w.text
    skill = next((s for s in skills if s in text), None) if skills else None
    distance = (BUILDING if w.building_id == me.building_id else
                GRID if grid_id is not None and w.grid_id == grid_id else 0)
    if not slots:
        time = 0
    elif w.wanted_from is None:
        time = NO_TIME
    else:
        time = TIME if w.slot in slots else 0
    served = past.get(w.category_id, 0)
    days = max(0, (now - (w.published_at or now)).days)
    return {"skill": SKILL if skill else 0, "skill_word": skill, "distance": distance,
            "time": time, "past": min(served * PAST_EACH, PAST_MAX), "served": served,
            "waiting": min(days, WAIT_MAX), "days": days}


def _why(p: dict) -> tuple:
    """The one line's reason as (code, value): the largest part first. Words come from
    `why_text` only when a page is rendered (a cached page needs none)."""
    if p["skill"]:
        return ("skill", p["skill_word"])
    if p["distance"] == BUILDING:
        return ("building", None)
    if p["waiting"] >= 3:
        return ("waiting", p["days"])
    if p["past"]:
        return ("past", p["served"])
    if p["distance"] == GRID:
        return ("grid", None)
    if p["time"] == TIME:
        return ("time", None)
    return ("new", None)


def why_text(why: tuple) -> str:
    """The line a card shows for a reason from `ranked`, in the reader's language."""
    code, value = why
    if code == "skill":
        return str(_l("和您的特长“%(s)s”相符", s=value))
    if code == "waiting":
        return str(_l("已等待 %(d)s 天，还没有人认领", d=value))
    if code == "past":
        return str(_l("您做过 %(n)s 次同类服务", n=value))
    return str({"building": _l("就在您住的楼"), "grid": _l("在您的网格"),
                "time": _l("在您有空的时间")}.get(code, _l("本社区的新心愿")))


def candidates(session, communities, cache=None, stamp=None) -> tuple:
    """The published wishes still open in `communities`, newest first, as `Candidate`s (the
    columns the ranking reads). Shared by every member: with a `cache` (the menu's), kept
    under the communities' data versions, so any change to one of their wishes renews it."""
    stamp = stamp or versions.current(session, communities)
    key = (stamp, "foryou")
    rows = cache.get(key) if cache is not None else None
    if rows is None:
        rows = tuple(session.execute(
            select(Wish.id, Wish.category_id, Category.name.label("category"), Wish.title,
                   Wish.description, Wish.building_id, Wish.grid_id, Wish.resident_id,
                   Wish.wanted_from, Wish.wanted_until, Wish.published_at)
            .join(Category, Category.id == Wish.category_id)
            .where(Wish.community_id.in_(sorted(communities)), Wish.status == "published",
                   Wish.taken < Wish.capacity)
            .order_by(Wish.published_at.desc(), Wish.id.desc()).limit(CANDIDATES)))
        # Skills are typed in Chinese: matched against the category's own (Chinese) name.
        rows = tuple(Candidate(*r, text=f"{r.category} {r.title} {r.description}",
                               slot=slot_of(r.wanted_from)) for r in rows)
        if cache is not None:
            cache.put(key, rows)
    return rows


def _stamp_and_profile(session, me: User, communities) -> tuple[tuple, dict]:
    """The communities' data versions (versions.current) and what the ranking reads of the
    member (skills, weekly free times) in one statement: the signed-in user is a lean row
    without these columns, and this page should cost no more than the menu."""
    skills = select(User.skills).where(User.id == me.id).scalar_subquery()
    slots = select(User.availability).where(User.id == me.id).scalar_subquery()
    rows = session.execute(select(Org.id, Org.data_version, skills, slots)
                           .where(Org.id.in_(sorted(communities))).order_by(Org.id)).all()
    first = rows[0] if rows else (None, None, None, None)
    return (tuple((r[0], r[1]) for r in rows),
            {"skills": first[2] or "", "availability": list(first[3] or ())})


def _history(session, me: User, stamp, cache=None) -> tuple:
    """(the member's claims as (wish id, status), {category id: services}); with a cache,
    kept under the communities' versions (a claim or a confirmation bumps them; services in
    another community are counted at the next change here)."""
    key = (stamp, "foryou-me", me.id)
    found = cache.get(key) if cache is not None else None
    if found is None:
        mine = tuple(session.execute(select(Claim.wish_id, Claim.status).where(
            Claim.volunteer_id == me.id)).all())
        past = dict(session.execute(select(ServiceRecord.category_id, func.count()).where(
            ServiceRecord.volunteer_id == me.id, ServiceRecord.approval != "rejected")
            .group_by(ServiceRecord.category_id)).all())
        found = (mine, past)
        if cache is not None:
            cache.put(key, found)
    return found


def ranked(session, me: User, limit: int = 20, now=None, cache=None) -> list[tuple]:
    """(row, score, why) for the member's communities, best fit first; `row` has the wish's
    id, title and the columns the ranking read (see `candidates`)."""
    return page(session, me, limit, now, cache)[1]


def page(session, me: User, limit: int = 20, now=None, cache=None) -> tuple[dict, list]:
    """(the member's skills and free times, `ranked`'s list): what the page shows."""
    now = now or utcnow()
    communities = policy.community_ids_for(me, "member")
    if not communities:
        return {"skills": "", "availability": [], "stamp": ()}, []
    stamp, prof = _stamp_and_profile(session, me, communities)  # first: the rest is as new
    prof["stamp"] = stamp  # the cached page's key: a card's state changes with it
    grid_id = me.building.grid_id if me.building else None
    # The ranking itself, kept for as long as nothing it reads can change: the versions (any
    # wish or claim), the member's skills, free times and home, and the next instant a wish's
    # days of waiting tick or its wanted time ends (`_steady_until`).
    key = (stamp, "foryou-ranked", me.id, prof["skills"], tuple(prof["availability"]),
           me.building_id, grid_id, limit)
    kept = cache.get(key) if cache is not None else None
    if kept is not None and kept[0] <= now < kept[1]:
        return prof, kept[2]
    mine, past = _history(session, me, stamp, cache)
    claimed = {wid for wid, _st in mine}
    every = candidates(session, communities, cache, stamp)
    rows = [r for r in every
            if r.resident_id != me.id and r.id not in claimed and not _over(r, now)]
    open_claims = sum(1 for _w, st in mine if st in LIVE_CLAIM_STATUSES)
    load = 1 / (1 + LOAD_STEP * open_claims)
    skills, slots = skills_of(prof["skills"]), set(prof["availability"])
    out = []
    for r in rows:
        p = _parts(r, me, grid_id, skills, slots, past, now)
        score = load * (p["skill"] + p["distance"] + p["time"] + p["past"]) + p["waiting"]
        out.append((r, round(score, 2), p, (r.published_at or now).timestamp()))
    out.sort(key=lambda t: (-t[1], -t[3], -t[0].id))
    shown = [(r, s, _why(p)) for r, s, p, _t in out[:limit]]  # words only for those shown
    if cache is not None:
        cache.put(key, (now, _steady_until(every, now), shown))
    return prof, shown


def _steady_until(rows, now) -> datetime:
    """The first instant after `now` at which a candidate's days of waiting or its being over
    can change: until then the ranking of these candidates is the same."""
    until = now + timedelta(days=1)
    for r in rows:
        if r.published_at is not None:
            waited = max(0, (now - r.published_at).days)  # as _parts counts them
            until = min(until, r.published_at + timedelta(days=waited + 1))
        end = r.wanted_until or r.wanted_from
        if end is not None and end >= now:
            until = min(until, end + timedelta(microseconds=1))  # over once past its end
    return until


def cards(session, me: User, ids: list[int], cache=None, locale: str = "") -> list[dict]:
    """The menu's cards for these wishes, in this order: the shared parts from the menu's
    cache when none of their communities changed, the member's own parts laid over."""
    if not ids:
        return []
    stamp = versions.current(session, policy.community_ids_for(me, "member"))
    key = (stamp, "foryou-cards", tuple(ids), locale)
    parts = cache.get(key) if cache is not None else None
    if parts is None:
        by_id = {w.id: w for w in session.scalars(select(Wish).where(Wish.id.in_(ids)))}
        parts = tuple(present.shared_parts(session, [by_id[i] for i in ids if i in by_id]))
        if cache is not None:
            cache.put(key, parts)
    mine = present.my_claims(session, me, [facts.id for _card, facts, _name in parts])
    return [present.personal_card(card, facts, name, me, mine.get(facts.id))
            for card, facts, name in parts]


def _over(w: Wish, now) -> bool:
    end = w.wanted_until or w.wanted_from
    return end is not None and end < now


def set_availability(session, user: User, slots) -> list[str]:
    """Keep the member's weekly free times (unknown slots dropped); returns what was kept."""
    begin_write(session)
    user.availability = valid_slots(slots) or None
    session.commit()
    return user.availability or []
