"""Fixing a wish before anyone has claimed it: edit, resubmit after a rejection (issue 11 §6).

The edit is one conditional UPDATE (status unchanged and nobody on it yet) plus a timeline
event that lists each change old → new, in one transaction. A rejected wish goes back to
review; a published one too when its category is reviewed (not 免审核).
"""
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ...db import begin_write
from ...models import Category, User, Wish, utcnow
from .. import policy
from ..errors import Conflict, Forbidden, Invalid
from ..notify.notify import tell_community
from ..people.orgs import setting
from . import lifecycle
from .wishes import LOCAL_TZ, _aware, get_wish

FIELDS = ("title", "description", "category", "capacity", "estimated_hours", "value_yuan",
          "wanted_from", "wanted_until", "deadline")
FIELD_LABELS = {
    "title": _l("标题"), "description": _l("详细说明"), "category": _l("分类"),
    "capacity": _l("需要几位志愿者"), "estimated_hours": _l("预计时长（小时）"),
    "value_yuan": _l("物品价值（元）"), "wanted_from": _l("希望开始时间"),
    "wanted_until": _l("希望结束时间"), "deadline": _l("截止时间"),
}
DATES = ("wanted_from", "wanted_until", "deadline")
REQUIRED = ("title", "category", "capacity", "estimated_hours")
EDITABLE_STATUSES = ("pending_review", "rejected", "published")


def state_allows(wish: Wish) -> bool:
    """Pending review, rejected, or published with nobody on it yet."""
    return wish.status in EDITABLE_STATUSES and (wish.status != "published" or wish.taken == 0)


def can_edit(user: User, wish: Wish) -> bool:
    """Whether `user` may edit `wish` now (policy and state): the card's 修改 button."""
    return state_allows(wish) and policy.can_manage_wish(user, wish)


def refusal(wish: Wish):
    """Why the wish cannot be edited now."""
    if wish.status in ("published", "claimed", "in_service") and wish.taken > 0:
        return _l("已有志愿者认领，不能再修改。请先与志愿者沟通，或撤回后重新发布。")
    return lifecycle.refusal(wish.status)


def _shown(key: str, value) -> str:
    """A value as the timeline shows it (times in Beijing time, the same in every language)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    if key == "description" and len(str(value)) > 40:
        return str(value)[:40] + "…"
    return str(value)


def _new_values(session, wish: Wish, data, now, errors: dict) -> dict:
    """The validated new column values (every bad field reported at once)."""
    sent = {k: getattr(data, k) for k in FIELDS if k in data.model_fields_set and k not in errors}
    errors = dict(errors)
    errors.update({k: _l("请填写这一项。") for k in REQUIRED if k in sent and sent[k] is None})
    values = {}
    for key, value in sent.items():
        if key in errors:
            continue
        if key == "category":
            cat = session.get(Category, value)
            if cat is None or cat.community_id != wish.community_id or not cat.active:
                errors["category"] = _l("请从本社区的分类中选择。")
                continue
            values["category_id"] = cat.id
        elif key in DATES:
            values[key] = _aware(value)
        elif key == "description":
            values[key] = value or ""
        elif key == "estimated_hours":
            values[key] = Decimal(value)
        else:
            values[key] = value
    if wish.kind == "wish" and "value_yuan" in values:
        cap = setting(wish.community, "wish_value_cap")
        if values["value_yuan"] is None:
            errors["value_yuan"] = _l("请填写心愿物品的大致价值（元）。")
        elif values["value_yuan"] > cap:
            errors["value_yuan"] = _l("本社区微心愿价值上限为 %(cap)s 元。", cap=cap)
    elif "value_yuan" in values:
        values.pop("value_yuan")  # a service need has no value
    start = values.get("wanted_from", wish.wanted_from)
    end = values.get("wanted_until", wish.wanted_until)
    if start and end and end <= start and ({"wanted_from", "wanted_until"} & values.keys()):
        errors["wanted_until"] = _l("结束时间应晚于开始时间。")
    if values.get("deadline") and values["deadline"] <= now:
        errors["deadline"] = _l("截止时间应晚于现在。")
    if errors:
        raise Invalid(errors)
    return values


def _changes(session, wish: Wish, values: dict) -> list[list[str]]:
    out = []
    for col, new in values.items():
        key = "category" if col == "category_id" else col
        old = getattr(wish, col)
        same = (_shown(key, old) == _shown(key, new)) if key in DATES else old == new
        if same:
            continue
        if key == "category":
            old, new = wish.category.name, session.get(Category, new).name
        out.append([key, _shown(key, old), _shown(key, new)])
    return out


def edit(session, actor: User, wish_id, data, now=None, errors: dict | None = None) -> Wish:
    """Change a wish not yet claimed; a rejected wish (or a published one in a reviewed
    category) goes back to review. Conflict (409) once someone has claimed it.

    `errors`: the input's own field errors (schemas.parse_each), reported with ours at once."""
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    if not policy.can_manage_wish(actor, wish):
        raise Forbidden(_l("只有发布心愿的居民（或为其代登记的网格员）可以修改。"))
    if not state_allows(wish):
        raise Conflict(refusal(wish), code="not_editable")
    values = _new_values(session, wish, data, now, errors or {})
    changes = _changes(session, wish, values)
    status = wish.status
    if not changes and status != "rejected":
        session.rollback()
        return wish
    cond = [Wish.id == wish.id, Wish.status == status]
    if status == "published":
        cond.append(Wish.taken == 0)  # a claim that got in first wins; the edit is refused
    res = session.execute(update(Wish).where(*cond).values(updated_at=now, **values)
                          .execution_options(synchronize_session=False))
    if res.rowcount != 1:
        session.rollback()
        raise Conflict(refusal(get_wish(session, wish_id)), code="not_editable")
    session.refresh(wish)
    reviewed = not wish.category.auto_publish
    if status == "rejected":
        ev = lifecycle.move(session, wish, "resubmit", actor.id, now=now, reject_reason=None)
    elif status == "published" and reviewed:
        ev = lifecycle.move(session, wish, "send_back", actor.id, now=now, published_at=None)
    else:
        ev = lifecycle.log(session, wish, "edit", actor.id, status, status, None, now)
    ev.changes = changes
    if wish.status == "pending_review" and not reviewed:
        lifecycle.move(session, wish, "auto_publish", None, now=now, published_at=now)
    elif wish.status == "pending_review" and status != "pending_review":  # back for review
        tell_community(session, wish.community_id, "wish_review_needed", wish, now=now,
                       url=f"/admin/wishes/{wish.id}/review")
    session.commit()
    return wish


def form_values(wish: Wish) -> dict:
    """The wish as the edit form shows it (times as datetime-local text in Beijing time)."""
    def local(dt):
        return dt.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M") if dt else ""
    return {
        "kind": wish.kind, "title": wish.title, "description": wish.description or "",
        "category": wish.category_id, "capacity": wish.capacity,
        "estimated_hours": f"{wish.estimated_hours:.1f}".rstrip("0").rstrip("."),
        "value_yuan": "" if wish.value_yuan is None else wish.value_yuan,
        "wanted_from": local(wish.wanted_from), "wanted_until": local(wish.wanted_until),
        "deadline": local(wish.deadline),
    }
