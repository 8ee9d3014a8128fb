"""A community's own settings: categories (auto-publish for trusted ones) and timings."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...db import begin_write
from ...models import Category, Org, User
from ...schemas import ascii_number
from .. import policy
from ..errors import Forbidden, Invalid, NotFound
from .orgs import DEFAULT_CATEGORIES_EN, DEFAULT_SETTINGS, categories, setting

# Settings a community admin may change here, with their bounds (min, max).
EDITABLE = {
    "wish_value_cap": (0, 5000),
    "escalate_after_hours": (1, 24 * 14),
    "escalate_again_hours": (1, 24 * 14),
    "confirm_after_days": (1, 30),
    "remind_before_minutes": (10, 24 * 60),
    "max_service_hours": (1, 24),
    "hours_tolerance": (0, 5),
    "points_per_hour": (0, 10),
    "max_releases_per_day": (1, 100),
    "amend_window_hours": (1, 24 * 7),
    "service_start_early_minutes": (0, 24 * 60),
    "fence_metres": (50, 5000),
    "checkin_open_minutes": (0, 240),
    "checkout_grace_minutes": (0, 240),
    "absence_pause_after": (1, 20),
    "absence_pause_days": (1, 365),
    "sms_daily_budget": (0, 100_000),
    "pairing_min_households": (1, 30),
    "pairing_max_households": (1, 30),
    "visits_per_year": (1, 12),
    "visit_remind_days": (1, 180),
    "points_expiry_years": (0, 10),
}


def _community(session, actor: User, community_id) -> Org:
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise NotFound(code="community_not_found")
    if not policy.is_community_admin(actor, org.id):
        raise Forbidden(_l("只有本社区管理员可以修改社区设置。"))
    return org


def view(session, actor: User, community_id) -> dict:
    """Current settings and categories of a community, for its admin."""
    org = _community(session, actor, community_id)
    from ..ledger import stars  # the ledger reads settings from here, not the other way round
    values = {k: setting(org, k) for k in EDITABLE}
    values["star_thresholds"] = stars.as_text(stars.thresholds(org))
    return {"community": org, "values": values,
            "defaults": {k: DEFAULT_SETTINGS[k] for k in EDITABLE},
            "categories": categories(session, org.id, active_only=False),
            "default_en": DEFAULT_CATEGORIES_EN}


def update(session, actor: User, community_id, values: dict) -> Org:
    """Save changed settings; each number is checked against its bounds, nothing half-saved."""
    begin_write(session)
    org = _community(session, actor, community_id)
    new, errors = dict(org.settings or {}), {}
    for key, (lo, hi) in EDITABLE.items():
        if key not in values or values[key] in (None, ""):
            continue
        try:
            num = float(ascii_number(values[key]))  # ١٣ is not 13
        except (TypeError, ValueError):
            errors[key] = _l("请填写数字。")
            continue
        if not lo <= num <= hi:
            errors[key] = _l("应在 %(lo)s 到 %(hi)s 之间。", lo=lo, hi=hi)
            continue
        new[key] = num if key == "hours_tolerance" else int(num)
    if values.get("star_thresholds") not in (None, ""):
        from ..ledger import stars
        try:  # a list, not a number: every page derives star levels from it when read
            new["star_thresholds"] = stars.parse_thresholds(values["star_thresholds"])
        except Invalid as exc:
            errors.update(exc.fields)
    if errors:
        raise Invalid(errors)
    org.settings = new  # reassign: a JSON column does not see in-place changes
    session.commit()
    return org


def _name_en(value) -> str | None:
    value = " ".join(str(value or "").split())
    if len(value) > 40:
        raise Invalid({"name_en": _l("英文名称最多 40 个字符。")})
    return value or None


def set_category(session, actor: User, category_id, active: bool, auto_publish: bool,
                 name_en=None, requires_insurance: bool | None = None) -> Category:
    """Switch a category on/off, whether its wishes skip review (trusted categories) and,
    when given, its English name (blank: the default's)."""
    begin_write(session)
    cat = session.get(Category, category_id) if isinstance(category_id, int) else None
    if cat is None:
        raise NotFound(code="category_not_found")
    _community(session, actor, cat.community_id)
    if name_en is not None:
        cat.name_en = _name_en(name_en)
    cat.active, cat.auto_publish = active, auto_publish and active
    if requires_insurance is not None:
        cat.requires_insurance = requires_insurance
    session.commit()
    return cat


def category_community(session, category_id: int) -> int | None:
    """The community a category belongs to (to re-show its settings page)."""
    return session.scalar(select(Category.community_id).where(Category.id == category_id))


def add_category(session, actor: User, community_id, name: str, name_en=None) -> Category:
    """Add a category (with its English name, optional) at the end of the community's list."""
    begin_write(session)
    org = _community(session, actor, community_id)
    name = (name or "").strip()
    if not 1 <= len(name) <= 40:
        raise Invalid({"name": _l("分类名称为 1 到 40 个字。")})
    english = _name_en(name_en)
    if session.scalar(select(Category.id).where(Category.community_id == org.id,
                                                Category.name == name)):
        raise Invalid({"name": _l("已经有这个分类了。")})
    last = session.scalar(select(func.max(Category.position)).where(
        Category.community_id == org.id)) or 0
    cat = Category(community_id=org.id, name=name, name_en=english, position=last + 1)
    session.add(cat)
    session.commit()
    return cat
