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
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...db import begin_write
from ...models import LIVE_CLAIM_STATUSES, Claim, Org, ServiceRecord, User, Wish, utcnow
from .. import policy

CANDIDATES = 300  # newest published wishes considered; the page shows the top `limit`
SKILL, BUILDING, GRID, TIME, NO_TIME = 40, 20, 12, 10, 5
PAST_EACH, PAST_MAX, WAIT_MAX, LOAD_STEP = 3, 15, 14, 0.25
_SPLIT = re.compile(r"[,，、;；/\s]+")
_TZ = ZoneInfo("Asia/Shanghai")
PARTS = ("am", "pm", "ev")  # 6–12, 12–18, 18–22 Beijing time
DAY_LABELS = (_l("周一"), _l("周二"), _l("周三"), _l("周四"), _l("周五"), _l("周六"), _l("周日"))
PART_LABELS = {"am": _l("上午"), "pm": _l("下午"), "ev": _l("晚上")}


def skills_of(user: User) -> set[str]:
    """The member's skills as words (two characters or more)."""
    return {s for s in _SPLIT.split(user.skills or "") if len(s) >= 2}


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


def _parts(w: Wish, cat: str, me: User, grid_id, skills, slots, past: dict, now) -> dict:
    text = f"{cat} {w.title} {w.description}"
    skill = next((s for s in skills if s in text), None)
    distance = (BUILDING if w.building_id == me.building_id else
                GRID if grid_id is not None and w.grid_id == grid_id else 0)
    slot = slot_of(w.wanted_from)
    time = (NO_TIME if slot is None and w.wanted_from is None else
            TIME if slot is not None and slot in slots else 0) if slots else 0
    served = past.get(w.category_id, 0)
    days = max(0, (now - (w.published_at or now)).days)
    return {"skill": SKILL if skill else 0, "skill_word": skill, "distance": distance,
            "time": time, "past": min(served * PAST_EACH, PAST_MAX), "served": served,
            "waiting": min(days, WAIT_MAX), "days": days}


def _why(p: dict) -> str:
    """One line: the largest reason first."""
    if p["skill"]:
        return str(_l("和您的特长“%(s)s”相符", s=p["skill_word"]))
    if p["distance"] == BUILDING:
        return str(_l("就在您住的楼"))
    if p["waiting"] >= 3:
        return str(_l("已等待 %(d)s 天，还没有人认领", d=p["days"]))
    if p["past"]:
        return str(_l("您做过 %(n)s 次同类服务", n=p["served"]))
    if p["distance"] == GRID:
        return str(_l("在您的网格"))
    if p["time"] == TIME:
        return str(_l("在您有空的时间"))
    return str(_l("本社区的新心愿"))


def ranked(session, me: User, limit: int = 20, now=None) -> list[tuple[Wish, float, str]]:
    """(wish, score, why) for the member's communities, best fit first."""
    now = now or utcnow()
    communities = policy.community_ids_for(me, "member")
    if not communities:
        return []
    wishes = session.scalars(select(Wish).where(
        Wish.community_id.in_(communities), Wish.status == "published",
        Wish.resident_id != me.id, Wish.taken < Wish.capacity,
        ~Wish.id.in_(select(Claim.wish_id).where(Claim.volunteer_id == me.id)))
        .order_by(Wish.published_at.desc(), Wish.id.desc()).limit(CANDIDATES)).all()
    wishes = [w for w in wishes if not _over(w, now)]
    if not wishes:
        return []
    grid_id = session.scalar(select(Org.grid_id).where(Org.id == me.building_id)) \
        if me.building_id else None
    past = dict(session.execute(select(ServiceRecord.category_id, func.count()).where(
        ServiceRecord.volunteer_id == me.id, ServiceRecord.approval != "rejected")
        .group_by(ServiceRecord.category_id)).all())
    open_claims = session.scalar(select(func.count(Claim.id)).where(
        Claim.volunteer_id == me.id, Claim.status.in_(LIVE_CLAIM_STATUSES))) or 0
    load = 1 / (1 + LOAD_STEP * open_claims)
    skills, slots = skills_of(me), set(me.availability or ())
    out = []
    for w in wishes:
        # Skills are typed in Chinese: matched against the category's own (Chinese) name.
        p = _parts(w, w.category.name, me, grid_id, skills, slots, past, now)
        score = load * (p["skill"] + p["distance"] + p["time"] + p["past"]) + p["waiting"]
        out.append((w, round(score, 2), _why(p), (w.published_at or now).timestamp()))
    out.sort(key=lambda t: (-t[1], -t[3], -t[0].id))
    return [(w, s, why) for w, s, why, _t in out[:limit]]


def _over(w: Wish, now) -> bool:
    end = w.wanted_until or w.wanted_from
    return end is not None and end < now


def set_availability(session, user: User, slots) -> list[str]:
    """Keep the member's weekly free times (unknown slots dropped); returns what was kept."""
    begin_write(session)
    user.availability = valid_slots(slots) or None
    session.commit()
    return user.availability or []
