"""Star levels (星级志愿者): thresholds of cumulative hours, a community setting (default the
common provincial 100 / 300 / 600 / 1,000 / 1,500 hours).

Nothing stores a level as truth: the level earned is derived from the ledger under the current
thresholds every time it is read, so a change of thresholds re-computes every page at once. A
level is *held* once a public notice (公示, services/ledger/honours) that named it has ended;
the level held is never above the level earned under today's thresholds.
"""
import re
from bisect import bisect_right
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...models import HonourItem, HonourNotice, Org
from ...schemas import ascii_number
from ..errors import Invalid
from ..people.orgs import DEFAULT_SETTINGS, setting
from .ledger import star_level

MAX_LEVELS = 10
MAX_HOURS = 100_000


def thresholds(community: Org | None) -> list[int]:
    """The community's thresholds in hours, lowest first (the default without a community)."""
    return list(setting(community, "star_thresholds") if community is not None
                else DEFAULT_SETTINGS["star_thresholds"])


def parse_thresholds(text) -> list[int]:
    """"100, 300, 600" (commas, spaces or 、; full-width digits folded) → [100, 300, 600]:
    1 to 10 whole numbers of hours, strictly rising; else Invalid next to the field."""
    try:
        parts = [p for p in re.split(r"[\s,，、;；/]+", ascii_number(str(text or "")).strip()) if p]
    except ValueError as exc:
        raise Invalid({"star_thresholds": str(exc)}) from None
    if not parts or len(parts) > MAX_LEVELS or not all(p.isascii() and p.isdigit() for p in parts):
        raise Invalid({"star_thresholds": _l("请按从低到高填写 1 到 10 个整数小时，用逗号隔开，"
                                             "如 100, 300, 600, 1000, 1500。")})
    nums = [int(p) for p in parts]
    if nums[0] < 1 or nums[-1] > MAX_HOURS or any(b <= a for a, b in zip(nums, nums[1:])):
        raise Invalid({"star_thresholds": _l("每一级都应比上一级多，且在 1 到 100000 小时之间。")})
    return nums


def as_text(values) -> str:
    """Thresholds as the settings form shows them: "100, 300, 600"."""
    return ", ".join(str(int(v)) for v in values)


def earned(hours, community: Org | None) -> int:
    """Stars the hours reach under the community's current thresholds."""
    return star_level(hours or 0, thresholds(community))[0]


def earned_by(community: Org | None):
    """`earned` for many people of one community: hours → stars, its thresholds read once
    (荣誉公示's candidates: a district community's 300 members each read them, 1 ms)."""
    levels = sorted(Decimal(str(t)) for t in thresholds(community))
    return lambda hours: bisect_right(levels, Decimal(hours or 0))


def noticed(session, volunteer_id: int, now, community_id: int | None = None) -> int:
    """The highest star level named for the volunteer in a notice that has run its course
    (ended, or past its end and not withdrawn); 0 if none."""
    return noticed_all(session, [volunteer_id], now, community_id).get(volunteer_id, 0)


def noticed_all(session, volunteer_ids, now, community_id: int | None = None) -> dict:
    """`noticed` for several volunteers in one read: {volunteer id: level} (none: 0)."""
    ids = list(volunteer_ids)
    if not ids:  # an empty board: nothing to read
        return {}
    q = (select(HonourItem.volunteer_id, func.max(HonourItem.stars))
         .join(HonourNotice, HonourNotice.id == HonourItem.notice_id)
         .where(HonourItem.volunteer_id.in_(ids), HonourItem.kind == "star",
                HonourNotice.status.in_(("notice", "ended")), HonourNotice.ends_at <= now)
         .group_by(HonourItem.volunteer_id))
    if community_id is not None:
        q = q.where(HonourNotice.community_id == community_id)
    return {v: int(n or 0) for v, n in session.execute(q)}


def standing(session, volunteer_id: int, hours, community: Org | None, now) -> dict:
    """A volunteer's stars: earned (by hours now), held (after a notice), the next threshold."""
    levels = thresholds(community)
    got, nxt = star_level(hours or 0, levels)
    held = min(got, noticed(session, volunteer_id, now))
    return {"earned": got, "held": held, "levels": len(levels), "next": nxt,
            "to_next": (Decimal(nxt) - Decimal(hours or 0)) if nxt else None,
            "thresholds": levels}
