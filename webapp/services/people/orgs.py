"""The grid tree, wish categories and per-community settings."""
from flask_babel import get_locale
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ...models import Category, Org, Unit
from ..errors import NotFound

DEFAULT_CATEGORIES = (
    "生活照料", "助老助残", "学业辅导", "医疗健康", "法律咨询",
    "家电维修", "物资心愿", "心理陪伴", "环境卫生", "文体活动",
)
# English names of the defaults: new communities get them; older rows fall back to them.
DEFAULT_CATEGORIES_EN = dict(zip(DEFAULT_CATEGORIES, (
    "Daily care", "Elderly and disabled", "Tutoring", "Health", "Legal advice",
    "Appliance repair", "Material wishes", "Companionship", "Environment", "Culture and sports",
)))


def category_label(cat=None, *, name: str | None = None, name_en: str | None = None) -> str:
    """A category's name in the reader's current language: the English name for English
    readers (the community's own, else the default's, else the Chinese name)."""
    if cat is not None:
        name, name_en = cat.name, cat.name_en
    name = name or ""
    locale = get_locale()
    if locale is not None and locale.language == "en":
        return name_en or DEFAULT_CATEGORIES_EN.get(name) or name
    return name

# Community settings and their defaults; a community overrides any of them in Org.settings.
DEFAULT_SETTINGS = {
    "wish_value_cap": 500,          # yuan, for material micro-wishes (广州: ¥300–500)
    "escalate_after_hours": 48,     # unclaimed → grid worker
    "escalate_again_hours": 48,     # then → community admin
    "confirm_after_days": 3,        # resident silent → grid worker asked to confirm
    "remind_before_minutes": 120,   # volunteer reminded this long before the wanted time
    "max_service_hours": 12,        # one service, travel excluded
    "hours_tolerance": 0.5,         # ledger: auto-approve within ±50 % of the estimate
    "max_releases_per_day": 5,      # claim/release churn: more releases in 24 h → no new claims
    "points_per_hour": 1,
    "amend_window_hours": 24,       # a rating or a review decision can be undone
    "star_thresholds": [100, 300, 600, 1000, 1500],
    "max_open_bookings": 3,         # resources: a person's pending + confirmed bookings
    "no_show_pause_after": 3,       # no-shows within the window that pause booking
    "no_show_pause_days": 30,       # the window, and the pause after the last no-show
    "service_start_early_minutes": 60,  # a wish's service starts at most this long before the
                                        # agreed (wanted) time
    "fence_metres": 500,            # check-in farther than this from the venue: staff review
    "checkin_open_minutes": 30,     # project sessions: scanning in opens this long before start
    "checkout_grace_minutes": 30,   # scanning out is taken until this long after the end
    "absence_pause_after": 3,       # absences (signed up, never checked in) that pause sign-ups
    "absence_pause_days": 30,       # the window, and the pause after the last absence
    "sms_daily_budget": 100,        # SMS per day; over it only essentials go (notify/channels)
    "pairing_min_households": 5,    # 结对联户: each member pairs with 5–10 households
    "pairing_max_households": 10,
    "visits_per_year": 2,           # visits per paired household per year (入户走访)
    "visit_remind_days": 30,        # members reminded this long before the year ends
    "points_expiry_years": 0,       # points shop: 0 = points lapse at the end of the calendar
                                    # year they were earned in; N = N years after that month
    "reopen_window_days": 7,        # "没办好": a resident may reopen a finished wish this long
}


def setting(community: Org, key: str):
    """A community setting, falling back to the default."""
    return (community.settings or {}).get(key, DEFAULT_SETTINGS[key])


def get_org(session, org_id, kind: str | None = None) -> Org:
    """An org by id (optionally of a given kind) or NotFound."""
    org = session.get(Org, org_id) if isinstance(org_id, int) else None
    if org is None or (kind and org.kind != kind):
        raise NotFound(code="org_not_found")
    return org


def add_org(session, kind: str, name: str, parent: Org | None = None) -> Org:
    """Create a tree node with its denormalised ancestor ids."""
    org = Org(kind=kind, name=name, parent=parent, settings={})
    if parent is not None:
        org.street_id = parent.id if parent.kind == "street" else parent.street_id
        org.community_id = parent.id if parent.kind == "community" else parent.community_id
        org.grid_id = parent.id if parent.kind == "grid" else parent.grid_id
    session.add(org)
    session.flush()
    if kind == "community":
        for i, n in enumerate(DEFAULT_CATEGORIES):
            session.add(Category(community_id=org.id, name=n, name_en=DEFAULT_CATEGORIES_EN[n],
                                 position=i))
    return org


def tree(session, community_id: int | None = None, to_communities: bool = False) -> list[dict]:
    """The tree in use as nested dicts (id, kind, name, children), streets at the top; retired
    nodes (and everything under them) are left out, as in every picker. `community_id`: that
    live community's own tree (NotFound otherwise); `to_communities`: streets and communities
    only (a district's ten thousand buildings are asked for a community at a time)."""
    q = select(Org.id, Org.kind, Org.name, Org.parent_id).where(Org.active.is_(True))
    if community_id is not None:
        if not get_org(session, community_id, "community").active:
            raise NotFound(code="org_not_found")
        q = q.where(or_(Org.id == community_id, Org.community_id == community_id))
    elif to_communities:
        q = q.where(Org.kind.in_(("street", "community")))
    rows = session.execute(q.order_by(Org.id)).all()
    nodes = {o.id: {"id": o.id, "kind": o.kind, "name": o.name, "children": []} for o in rows}
    roots = []
    for o in rows:
        (nodes[o.parent_id]["children"] if o.parent_id in nodes else roots).append(nodes[o.id])
    return roots


def buildings(session, community_id: int | None = None) -> list[Org]:
    """Buildings in use (optionally of one community), ordered for a picker: a building whose
    grid or community was retired is left out with it."""
    live_grids = select(Org.id).where(Org.kind == "grid", Org.active.is_(True))
    live_communities = select(Org.id).where(Org.kind == "community", Org.active.is_(True))
    q = select(Org).where(Org.kind == "building", Org.active.is_(True),
                          Org.grid_id.in_(live_grids), Org.community_id.in_(live_communities))
    if community_id:
        q = q.where(Org.community_id == community_id)
    return list(session.scalars(q.order_by(Org.community_id, Org.grid_id, Org.id)))


def community_of_building(session, building_id) -> int | None:
    """The community of a building (by a typed id), or None when the id is no building's."""
    b = session.get(Org, building_id) if isinstance(building_id, int) else None
    return b.community_id if b is not None and b.kind == "building" else None


def live_buildings(session) -> int:
    """How many buildings a sign-up could be for (one small count: whether they fit one list)."""
    return session.scalar(select(func.count(Org.id)).where(Org.kind == "building",
                                                           Org.active.is_(True))) or 0


_STREET = aliased(Org, name="street")  # made once (see pairing/pairings._NAMED)


def communities(session) -> list[dict]:
    """Communities in use, each with its street's name, by street: a sign-up's first choice
    where a district's buildings are too many for one list."""
    street = _STREET
    return [{"id": i, "name": n, "street": s or ""} for i, n, s in session.execute(
        select(Org.id, Org.name, street.name).outerjoin(street, street.id == Org.street_id)
        .where(Org.kind == "community", Org.active.is_(True))
        .order_by(Org.street_id, Org.id))]


def org_names(session, ids) -> dict[int, str]:
    """Names of several orgs in one query."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(Org.id, Org.name).where(Org.id.in_(ids))).all())


def categories(session, community_id: int, active_only: bool = True) -> list[Category]:
    """A community's wish categories in display order."""
    q = select(Category).where(Category.community_id == community_id)
    if active_only:
        q = q.where(Category.active.is_(True))
    return list(session.scalars(q.order_by(Category.position, Category.id)))


def approved_units(session, community_id: int | None = None) -> list[Unit]:
    """Units whose registration was approved (optionally in one community)."""
    q = select(Unit).where(Unit.status == "approved")
    if community_id:
        q = q.where(Unit.community_id == community_id)
    return list(session.scalars(q.order_by(Unit.id)))
