"""Residents as grid staff see them: the 代为登记 picker and adding residents without a phone."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ...db import begin_write
from ...models import Org, RoleGrant, User
from .. import policy, textrank, textsearch
from ..errors import Forbidden, Invalid


def staff_scope(user: User) -> tuple[set[int], set[int]]:
    """(grid ids, community ids) in which the user is grid staff."""
    grids = policy.org_ids_for(user, "grid_worker")
    communities = policy.community_ids_for(user, "community_admin")
    return grids, communities


def is_grid_staff(user: User) -> bool:
    """Whether the user may post for residents at all (grid worker or community admin)."""
    grids, communities = staff_scope(user)
    return bool(grids or communities)


def _staff_orgs(user: User):
    """WHERE clause on Org for the places the user is grid staff of, or None if nowhere."""
    grids, communities = staff_scope(user)
    conds = ([Org.grid_id.in_(grids)] if grids else []) + (
        [Org.community_id.in_(communities)] if communities else [])
    return or_(*conds) if conds else None


def mask_phone(phone: str | None) -> str | None:
    """138****0101: enough for staff to tell two residents apart, not to call them."""
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) >= 8 else None


def _residents_query(session, user: User, q: str | None):
    """The statement behind the picker (None: the user is grid staff nowhere), closest first."""
    where = _staff_orgs(user)
    if where is None:
        return None
    filters = [User.active.is_(True), where,
               # EXISTS, not a join + DISTINCT: PostgreSQL refuses DISTINCT with ORDER BY on
               # columns outside the select list.
               select(RoleGrant.id).where(RoleGrant.user_id == User.id,
                                          RoleGrant.role == "resident",
                                          RoleGrant.active.is_(True)).exists()]
    order = [Org.grid_id, Org.id, User.name, User.id]
    if q and q.strip():  # through the search indexes; the closest names first
        filters.append(or_(textsearch.matches(session, User, ("name", "address", "phone"), q),
                           textsearch.matches(session, Org, ("name",), q)))
        order.insert(0, textrank.rank(User.name, q))
    return (select(User.id, User.name, User.phone, User.address, Org.name)
            .join(Org, Org.id == User.building_id).where(*filters).order_by(*order))


def _shown(rows) -> list[dict]:
    return [{"id": uid, "name": name, "building": bname, "has_phone": bool(phone),
             "room": address, "phone_masked": mask_phone(phone)}
            for uid, name, phone, address, bname in rows]


def residents_for_staff(session, user: User, q: str | None = None) -> list[dict]:
    """Residents of the staff member's grids/communities, for the 代为登记 picker; `q` searches
    name, building, room and phone. Each carries its room and masked phone, so two residents
    of the same name in one building are told apart."""
    stmt = _residents_query(session, user, q)
    return [] if stmt is None else _shown(session.execute(stmt).all())


PICK_RESIDENTS = 50  # residents the 代为登记 picker lists at once; its search finds the others


def resident_choices(session, user: User, q: str | None = None, keep=None) -> dict:
    """The 代为登记 picker: the first PICK_RESIDENTS of residents_for_staff, in its order, and
    whether there are more (a community admin's community has thousands in a district: one
    select of them all was a 470 KB page); `keep` (the one already chosen) always among them.
    Unsearched, the lived-in buildings are read in turn until the page is full: ordering the
    whole community to cut its first page read every resident (22 ms at district size)."""
    stmt = _residents_query(session, user, q)
    if stmt is None:
        return {"residents": [], "more": False, "q": q}
    if q and q.strip():
        rows = session.execute(stmt.limit(PICK_RESIDENTS + 1)).all()
    else:
        rows = []
        # Only buildings with households (Org.households: active residents, kept at commit by
        # pairing/tally.py): a new street's hundred empty buildings are not read one by one.
        buildings = session.scalars(select(Org.id).where(Org.kind == "building",
                                                         _staff_orgs(user), Org.households > 0)
                                    .order_by(Org.grid_id, Org.id)).all()
        for b in buildings:
            rows += session.execute(stmt.where(User.building_id == b).limit(
                PICK_RESIDENTS + 1 - len(rows))).all()
            if len(rows) > PICK_RESIDENTS:
                break
    shown = _shown(rows[:PICK_RESIDENTS])
    if isinstance(keep, int) and all(r["id"] != keep for r in shown):
        base = _residents_query(session, user, None)
        shown = _shown(session.execute(base.where(User.id == keep)).all()) + shown
    return {"residents": shown, "more": len(rows) > PICK_RESIDENTS, "q": q}


def buildings_for_staff(session, user: User) -> list[Org]:
    """Buildings where the staff member may register residents."""
    where = _staff_orgs(user)
    if where is None:
        return []
    live_grids = select(Org.id).where(Org.kind == "grid", Org.active.is_(True))
    return list(session.scalars(select(Org).where(Org.kind == "building", where,
                                                  Org.active.is_(True),
                                                  Org.grid_id.in_(live_grids))
                                .order_by(Org.grid_id, Org.id)))


def add_resident_by_staff(session, actor: User, name: str, building_id: int,
                          address: str | None, phone: str | None = None) -> User:
    """Register a resident with no account of their own (no password), in the staff's grid."""
    begin_write(session)
    if not is_grid_staff(actor):
        raise Forbidden(_l("只有网格员或社区管理员可以代为登记居民。"))
    building = session.get(Org, building_id) if isinstance(building_id, int) else None
    if building is None or building.kind != "building" or not building.active:
        raise Invalid({"building_id": _l("请选择所在楼栋。")})
    if not policy.serves_building(actor, building):
        raise Invalid({"building_id": _l("只能登记本网格的居民。")})
    user = make_account(session, name, phone, building, address)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Invalid({"phone": _l("这个手机号已登记过了。")}) from None
    return user


def make_account(session, name: str, phone: str | None, building: Org | None = None,
                 address: str | None = None) -> User:
    """An account made by staff for someone who has none (代为登记, or a walk-in at a session):
    no password — the owner gets in later by a code to the phone; a resident of `building`
    when one is given. In the caller's transaction (the caller commits)."""
    if phone and session.scalar(select(User.id).where(User.phone == phone)):
        raise Invalid({"phone": _l("这个手机号已登记过了。")})
    user = User(phone=phone or None, name=name, password_hash=None,
                building_id=building.id if building is not None else None,
                address=address or None)
    session.add(user)
    session.flush()
    if building is not None:
        session.add(RoleGrant(user_id=user.id, role="resident", org_id=building.id))
    return user


def sms_contact(session, actor: User, resident_id) -> User:
    """A resident whose SMS contact the actor (their grid staff) may see and set."""
    user = session.get(User, resident_id) if isinstance(resident_id, int) else None
    bld = session.get(Org, user.building_id) if user is not None and user.building_id else None
    if bld is None or not policy.serves_building(actor, bld):
        raise Forbidden(_l("只有该居民所在网格的网格员或社区管理员可以设置短信联系人。"))
    return user


def set_sms_contact(session, actor: User, resident_id, phone: str | None, name: str | None,
                    consent: bool, now) -> User:
    """Save (or clear, with no phone) where a phoneless resident's SMS go; consent required."""
    begin_write(session)
    user = sms_contact(session, actor, resident_id)
    if user.phone:
        raise Invalid({"phone": _l("这位居民有自己的手机号，短信直接发给本人。")})
    if phone and not consent:
        raise Invalid({"consent": _l("请先征得居民本人同意，再勾选“居民已同意”。")})
    user.sms_contact_phone, user.sms_contact_name = phone, (name if phone else None)
    user.sms_contact_consent_at = now if phone else None
    user.sms_contact_by_id = actor.id if phone else None
    if phone and user.sms_bad_number == phone:
        user.sms_bad_number = None  # re-entered by staff: give the number another chance
    session.commit()
    return user
