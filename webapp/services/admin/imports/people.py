"""Importing people into one community: residents (matched by phone, or by name and building
when they have none: 代登记) and a unit's 报到名单 of members (matched by phone)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from ....models import Org, Registration, RoleGrant, Unit, User, utcnow
from ... import policy
from ...people import registrations
from .. import accounts_admin, invites
from . import similar
from .reader import Table
from .rows import Plan, RowCheck, mask

CHUNK = 500  # IN (...) lists stay well under SQLite's variable limit


def _by_phone(session, phones) -> dict[str, tuple]:
    """phone → (id, name, building_id, address, community of the building, skills)."""
    out = {}
    phones = sorted(set(phones))
    for i in range(0, len(phones), CHUNK):
        rows = session.execute(
            select(User.phone, User.id, User.name, User.building_id, User.address,
                   Org.community_id, User.skills).outerjoin(Org, Org.id == User.building_id).where(User.phone.in_(phones[i:i + CHUNK])))
        out.update({r[0]: tuple(r[1:]) for r in rows})
    return out


def _uncovered(session, ids, scope: Org, reported: set[int] = frozenset()) -> set[int]:
    """Existing accounts the community's admins do not cover (DESIGN §2): an import only
    invites them; nothing about their account changes until they accept. An account whose only
    tie is a 报到 to this community (made by an earlier import of its list) is covered."""
    out, ids = set(), sorted(set(ids))
    for i in range(0, len(ids), CHUNK):
        for user in session.scalars(select(User).where(User.id.in_(ids[i:i + CHUNK]))):
            if user.id in reported and not policy.places(user):
                continue
            if not policy.covered_in(user, scope.id):
                out.add(user.id)
    return out


def _dup(chk: RowCheck, seen: dict, key, message) -> bool:
    # `message(n)` builds the text, so that the catalogue extracts (and translates) it.
    if key in seen:
        chk.fail("phone" if isinstance(key, str) else "name", message(seen[key]))
        return True
    seen[key] = chk.row
    return False


def _maybe(message, name: str, names) -> str:
    """The message, with the existing name a typo'd one resembles (是不是“第一网格”？)."""
    near = similar.like(name, names)
    return f"{message}{_l('是不是“%(name)s”？', name=near)}" if near else str(message)


# ---- residents -----------------------------------------------------------------------------

def plan_residents(session, scope: Org, table: Table, progress=None, **_) -> Plan:
    """Residents of the community: grid and building must exist there."""
    p = Plan("residents")
    grids = {g.name: g for g in session.scalars(select(Org).where(
        Org.kind == "grid", Org.community_id == scope.id))}
    buildings = {(b.grid_id, b.name): b for b in session.scalars(select(Org).where(
        Org.kind == "building", Org.community_id == scope.id))}
    checked = []
    for i, (row, values) in enumerate(table.rows):
        if progress and i % 500 == 0:
            progress(i, len(table.rows))
        chk = RowCheck(p, row, values)
        name, phone = chk.text("name"), chk.phone(required=False)
        g_name, b_name = chk.text("grid"), chk.text("building")
        address = chk.text("address", required=False)
        grid = grids.get(g_name) if g_name else None
        if g_name and (grid is None or getattr(grid, "active", True) is False):
            chk.fail("grid", _maybe(_l("本社区没有名为“%(name)s”的网格。请先导入或添加组织树。",
                                       name=g_name), g_name, grids))
        building = buildings.get((grid.id, b_name)) if grid and b_name else None
        if grid and b_name and (building is None or getattr(building, "active", True) is False):
            chk.fail("building", _maybe(_l("网格“%(grid)s”下没有名为“%(name)s”的楼栋。",
                                           grid=g_name, name=b_name), b_name,
                                        [n for (gid, n) in buildings if gid == grid.id]))
        if chk.ok:
            checked.append((chk, name, phone, building, address))
    found = _by_phone(session, [c[2] for c in checked if c[2]])
    foreign = _uncovered(session, [v[0] for v in found.values()], scope)
    phoned, phoneless_rows = _share_phones(p, checked, found)
    for chk, name, phone, building, address in phoned:
        hit = found.get(phone)
        if hit is None:
            p.actions.append(("create", chk.row, name, phone, building.id, address))
            continue
        uid, uname, bid, addr, community_id, _skills = hit
        if bid is not None and community_id != scope.id:
            chk.fail("phone", _l("这个手机号已被其他社区或其他身份的账号使用，请核对。"))
        elif uname != name:
            chk.fail("phone", _l("这个手机号已登记为“%(who)s”，与表中姓名不一致，请核对。"
                                 "一户人家共用一个手机号时，请填写与其相同的楼栋和门牌/地址。",
                                 who=mask(uname)))
        elif bid == building.id and (not address or addr == address):
            p.actions.append(("unchanged", chk.row, uid))
        elif uid in foreign:
            p.actions.append(("invite", chk.row, "resident", uid, building.id, address))
        else:
            p.actions.append(("update", chk.row, uid, building.id, address or addr))
    phoneless = {}
    if phoneless_rows:
        ids = [b.id for b in buildings.values()]
        for i in range(0, len(ids), CHUNK):
            for uid, uname, bid, addr in session.execute(
                    select(User.id, User.name, User.building_id, User.address).where(
                        User.phone.is_(None), User.building_id.in_(ids[i:i + CHUNK]))):
                phoneless.setdefault((uname, bid), (uid, addr))
    seen: dict = {}
    for chk, name, _phone, building, address in phoneless_rows:
        if _dup(chk, seen, (name, building.id),
                lambda n: _l("与第 %(n)s 行重复（同一楼栋、同名、都没有手机号）。", n=n)):
            continue
        hit = phoneless.get((name, building.id))
        if hit is None:
            p.actions.append(("create", chk.row, name, None, building.id, address))
        elif not address or hit[1] == address:
            p.actions.append(("unchanged", chk.row, hit[0]))
        else:
            p.actions.append(("update", chk.row, hit[0], building.id, address))
    return p


def _household(bid, addr, building_id, address) -> bool:
    """Same building and the same (non-empty) door: one household, whose phone may be shared."""
    return bid == building_id and bool(addr) and bool(address) and \
        "".join(addr.split()) == "".join(address.split())


def _share_phones(p: Plan, checked: list, found: dict) -> tuple[list, list]:
    """Rows with a phone, and rows to import without one. A phone on several people of ONE
    household (elderly couples) stays with whoever registered it first (an existing account,
    else the first row); the others are imported without a phone, served through the grid
    worker, and the preview says so (`p.shared`). A phone twice otherwise is a bad row."""
    holders: dict[str, tuple] = {}  # phone → (row, name, building id, address)
    phoned, phoneless = [], []
    for chk, name, phone, building, address in checked:
        if not phone:
            phoneless.append((chk, name, None, building, address))
            continue
        first, hit = holders.get(phone), found.get(phone)
        if first is None and hit is not None and hit[1] != name and \
                _household(hit[2], hit[3], building.id, address):
            first = (None, mask(hit[1]), hit[2], hit[3])
        if first is None:
            holders[phone] = (chk.row, name, building.id, address)
            phoned.append((chk, name, phone, building, address))
        elif first[1] != name and _household(first[2], first[3], building.id, address):
            p.shared.append({"row": chk.row, "name": name, "holder": first[1],
                             "holder_row": first[0]})
            phoneless.append((chk, name, None, building, address))
        elif first[1] == name:
            chk.fail("phone", _l("与第 %(n)s 行的手机号重复。", n=first[0]))
        else:
            chk.fail("phone", _l("与第 %(n)s 行的手机号重复。一户人家共用一个手机号时，请填写相同的"
                                 "楼栋和门牌/地址。", n=first[0]))
    return phoned, phoneless


def apply_residents(session, actor, scope: Org, p: Plan, **_) -> None:
    """Accounts without a password (the person signs in after a reset by staff) and the
    resident role in the building, as 代为登记 does; a matched resident moves building."""
    # A Core insert skips the flush that keeps users.community_id: every building is the scope's.
    new = [{"phone": phone, "name": name, "password_hash": None, "building_id": building_id,
            "community_id": scope.id, "address": address or None}
           for verb, _row, name, phone, building_id, address in
           (a for a in p.actions if a[0] == "create")]
    if new:
        # A Core INSERT … RETURNING over many rows: the unit of work takes seconds for 10,000
        # rows, and the ORM's bulk insert splits them into runs of equal None-patterns (a
        # phoneless row every few rows → batches of three, spliced quadratically).
        users = User.__table__
        made = session.execute(insert(users).returning(users.c.id, users.c.phone, users.c.name,
                                                       users.c.building_id), new).all()
        assert len(made) == len(new)
        session.execute(insert(RoleGrant.__table__), [{"user_id": uid, "role": "resident",
                                             "org_id": building_id, "active": True}
                                            for uid, _phone, _name, building_id in made])
    now = utcnow()
    moves = {a[2]: a for a in p.actions if a[0] == "update"}
    ids = list(moves)
    for j in range(0, len(ids), CHUNK):
        for user in session.scalars(select(User).where(User.id.in_(ids[j:j + CHUNK]))):
            _v, _row, _uid, building_id, address = moves[user.id]
            if user.building_id == building_id:
                user.address = address or None
                continue
            # A move between buildings: pairings and bookings that no longer fit end.
            accounts_admin.rehome(session, user, session.get(Org, building_id), address, now,
                                  actor=actor)
    _invite(session, actor, scope, p, now)
    session.flush()


def _invite(session, actor, scope: Org, p: Plan, now) -> None:
    """Rows naming an account the importer does not cover become invitations to its owner."""
    for _v, _row, kind, uid, org_or_unit, *rest in (a for a in p.actions if a[0] == "invite"):
        user = session.get(User, uid)
        if kind == "resident":
            invites.invite(session, actor, user, "resident", session.get(Org, org_or_unit),
                           {"address": rest[0]}, now, again_ok=True)
        else:
            invites.invite(session, actor, user, "member", scope,
                           {"unit_id": org_or_unit, "skills": rest[0], "verified": p.verified},
                           now, again_ok=True)


# ---- members (报到名单) --------------------------------------------------------------------

def plan_members(session, scope: Org, table: Table, progress=None, verified=False, **_) -> Plan:
    """A unit's list of members reporting to the community: pending 报到, or approved ones when
    the admin ticked 名单已核实."""
    p = Plan("members", verified=verified)
    units = {u.name: u for u in session.scalars(select(Unit).where(
        Unit.community_id == scope.id, Unit.status == "approved"))}
    checked, seen = [], {}
    for i, (row, values) in enumerate(table.rows):
        if progress and i % 500 == 0:
            progress(i, len(table.rows))
        chk = RowCheck(p, row, values)
        name, phone = chk.text("name"), chk.phone(required=True)
        u_name, skills = chk.text("unit", required=False), chk.text("skills", required=False)
        unit = units.get(u_name) if u_name else None
        if u_name and unit is None:
            chk.fail("unit", _l("单位“%(name)s”还没有在本社区报到（或未通过）。请先办理单位报到，"
                                "或把这一格留空。", name=u_name))
        if chk.ok and not _dup(chk, seen, phone, lambda n: _l("与第 %(n)s 行的手机号重复。", n=n)):
            skills = ",".join(s.strip() for s in skills.replace("、", ",").replace("，", ",")
                              .replace("；", ",").replace(";", ",").split(",") if s.strip())
            checked.append((chk, name, phone, unit.id if unit else None, skills or None))
    found = _by_phone(session, [c[2] for c in checked])
    ids = [v[0] for v in found.values()]
    members, regs = set(), {}
    for i in range(0, len(ids), CHUNK):
        members.update(session.scalars(select(RoleGrant.user_id).where(
            RoleGrant.user_id.in_(ids[i:i + CHUNK]), RoleGrant.role == "member",
            RoleGrant.org_id == scope.id, RoleGrant.active.is_(True))))
        for rid, uid, status in session.execute(
                select(Registration.id, Registration.user_id, Registration.status).where(
                    Registration.user_id.in_(ids[i:i + CHUNK]), Registration.kind == "personal",
                    Registration.community_id == scope.id).order_by(Registration.id)):
            regs[uid] = (rid, status)  # the latest wins
    foreign = _uncovered(session, ids, scope, set(regs))
    for chk, name, phone, unit_id, skills in checked:
        hit = found.get(phone)
        if hit is None:
            p.actions.append(("create", chk.row, "new", name, phone, unit_id, skills))
            continue
        uid, uname, old_skills = hit[0], hit[1], hit[5]
        if uname != name:
            chk.fail("phone", _l("这个手机号已登记为“%(who)s”，与表中姓名不一致，请核对。",
                                 who=mask(uname)))
        elif uid in foreign and uid not in members:
            p.actions.append(("invite", chk.row, "member", uid, unit_id, skills))
        elif uid in members:
            p.actions.append(("update", chk.row, "skills", uid, skills)
                             if skills and old_skills != skills
                             else ("unchanged", chk.row, uid))
        elif regs.get(uid, (0, ""))[1] == "pending":
            p.actions.append(("update", chk.row, "approve", regs[uid][0]) if verified
                             else ("unchanged", chk.row, uid))
        else:
            p.actions.append(("create", chk.row, "reg", uid, unit_id, skills))
    return p


def apply_members(session, actor, scope: Org, p: Plan, verified=False, **_) -> None:
    """New accounts (no password yet) with their 报到; existing people get a 报到 or approval."""
    now = utcnow()
    status = "approved" if verified else "pending"
    decided = {"decided_by_id": actor.id, "decided_at": now} if verified else {}
    new = {}
    for a in p.actions:
        if a[0] == "create" and a[2] == "new":
            _v, row, _k, name, phone, unit_id, skills = a
            new[row] = User(phone=phone, name=name, password_hash=None, unit_id=unit_id,
                            skills=skills)
    session.add_all(new.values())
    session.flush()
    for a in p.actions:
        if a[0] == "create":
            if a[2] == "new":
                user, unit_id = new[a[1]], a[5]
            else:
                user, unit_id = session.get(User, a[3]), a[4]
                if user.unit_id is None and unit_id:
                    user.unit_id = unit_id
                if a[5] and not user.skills:
                    user.skills = a[5]
            session.add(Registration(kind="personal", user_id=user.id, community_id=scope.id,
                                     unit_id=unit_id, status=status, **decided))
            if verified:
                registrations.grant_member(session, user, scope.id)
        elif a[0] == "update" and a[2] == "approve":
            reg = session.get(Registration, a[3])
            reg.status, reg.decided_by_id, reg.decided_at = "approved", actor.id, now
            registrations.grant_member(session, reg.user, scope.id)
        elif a[0] == "update":
            session.get(User, a[3]).skills = a[4]
    _invite(session, actor, scope, p, now)
    session.flush()
