"""The demo community behind `flask --app webapp seed-demo` (idempotent).

People and orgs are inserted directly (staff are appointed, not registered); every wish moves
through the real services with a `now=` in the past, so each one has a coherent timeline,
notifications, claims and service records, exactly as if people had used the app.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from ..db import begin_write
from .data import DISPUTE_REASON
from .data import (ACCOUNTS, ADDRESSES, BUILDINGS, COMMENTS, COMMUNITIES, MEMBER_NAMES,
                        PENDING_NAMES, REJECT_REASONS, RESIDENT_NAMES, SKILLS, STREET, UNITS,
                        WISHES)
from ..models import (Category, Notification, Org, Registration, RoleGrant, Unit, User, Wish,
                     utcnow)
from ..schemas.inputs import WishInput
from ..services.wishes import claims, dispute, lifecycle, wishes
from ..services.notify import followup
from ..services.people import orgs, registrations, units
from ..services.people.passwords import hash_password

DEMO_PASSWORD = "wishgrid-demo"
H = timedelta(hours=1)
D = timedelta(days=1)

# How many wishes end in each state (every state of the lifecycle appears).
SPREAD = {"closed": 13, "disputed": 1, "confirmed": 4, "done": 5, "in_service": 5, "claimed": 6,
          "published": 12, "pending_review": 6, "rejected": 3, "withdrawn": 3, "expired": 2,
          "draft": 2}
# How long ago (days) wishes in each state were posted: the later the state, the older.
AGE = {"closed": (8, 42), "disputed": (3, 4), "confirmed": (6, 20), "done": (3, 6), "in_service": (2, 2.5),
       "claimed": (1, 3), "published": (1.5, 6), "pending_review": (0.1, 2), "rejected": (5, 20),
       "withdrawn": (4, 15), "expired": (15, 30), "draft": (1, 3)}


@dataclass
class _Ctx:
    now: object
    pw: str
    orgs: dict = field(default_factory=dict)       # name -> Org
    admins: dict = field(default_factory=dict)     # community id -> admin User
    workers: dict = field(default_factory=dict)    # grid id -> grid worker User
    members: dict = field(default_factory=dict)    # community id -> [User]
    units: dict = field(default_factory=dict)      # name -> Unit
    cats: dict = field(default_factory=dict)       # (community id, name) -> Category
    turn: int = 0                                  # rotates volunteers and comments


def seed(session, now=None) -> bool:
    """Create the demo street once; returns False (and changes nothing) when it exists."""
    if session.scalar(select(Org.id).where(Org.kind == "street", Org.name == STREET)):
        return False
    begin_write(session)
    first_id = (session.scalar(select(func.max(User.id))) or 0) + 1
    ctx = _Ctx(now=now or utcnow(), pw=hash_password(DEMO_PASSWORD))  # hashed once: seconds, not minutes
    _tree(session, ctx)
    residents = _people(session, ctx)
    _mark_demo(session, first_id)
    session.commit()
    _registrations(session, ctx)
    _wishes(session, ctx, residents)
    from .voice import seed_voice  # 反映问题: raised and answered (issue 29 §2)
    seed_voice(session, ctx, residents, _at)
    from .lists import seed_lists  # resources, bookings, projects (资源清单, 项目清单)
    seed_lists(session, ctx, residents)
    from .admin import seed_admin  # appointments, an import, resets, a retired building
    seed_admin(session, ctx, DEMO_PASSWORD)
    from .pairing import seed_pairing  # 结对联户, visits, last year's 双向评议
    seed_pairing(session, ctx, residents)
    from .records import seed_records  # a seal, a certificate, the notice of honours
    seed_records(session, ctx)
    from .shop import seed_shop  # 爱心超市: donated goods, an exchange handed over
    seed_shop(session, ctx)
    begin_write(session)
    _mark_demo(session, first_id)  # and everyone the later steps made (appointments, imports)
    session.commit()
    _settle_notifications(session, ctx)
    return True


def _mark_demo(session, first_id: int) -> None:
    """Every account the demo made is a demo account: its 138… phone belongs to a stranger,
    so no SMS (nor anything else that leaves the app) is ever sent to it."""
    session.execute(update(User).where(User.id >= first_id).values(is_demo=True)
                    .execution_options(synchronize_session=False))
    from ..services.notify.channels import drop_demo_sms
    drop_demo_sms(session)


def _tree(s, ctx):
    street = orgs.add_org(s, "street", STREET)
    ctx.orgs[STREET] = street
    for cname, grids in COMMUNITIES.items():
        c = ctx.orgs[cname] = orgs.add_org(s, "community", cname, street)
        for gname in grids:
            g = ctx.orgs[gname] = orgs.add_org(s, "grid", gname, c)
            for bname in BUILDINGS[gname]:
                ctx.orgs[bname] = orgs.add_org(s, "building", bname, g)
    for cat in s.scalars(select(Category)):
        ctx.cats[(cat.community_id, cat.name)] = cat


def _user(s, ctx, phone, name, building, roles=(), unit=None, skills=None, days_ago=60, n=0):
    u = User(phone=phone, name=name, password_hash=ctx.pw, building_id=building.id,
             address=ADDRESSES[n % len(ADDRESSES)], unit_id=unit.id if unit else None,
             skills=skills, created_at=ctx.now - days_ago * D)
    s.add(u)
    s.flush()
    for role, org in roles:
        s.add(RoleGrant(user_id=u.id, role=role, org_id=org.id))
    return u


def _buildings_of(ctx, cname):
    return [ctx.orgs[b] for g in COMMUNITIES[cname] for b in BUILDINGS[g]]


def _people(s, ctx) -> list[User]:
    """Staff, the fixed accounts, residents; members and units get pending 报到 to approve."""
    o = ctx.orgs
    west, east, b1 = o["城西社区"], o["城东社区"], o["1号楼"]
    for name, cname, status in UNITS:
        ctx.units[name] = Unit(name=name, community_id=o[cname].id, status="pending")
        s.add(ctx.units[name])
    s.flush()
    fixed = {role: (phone, name) for phone, name, role in ACCOUNTS}
    ctx.admins[west.id] = _user(s, ctx, *fixed["community_admin"], b1, [("community_admin", west)])
    _user(s, ctx, *fixed["street_admin"], b1, [("street_admin", o[STREET])])
    ctx.admins[east.id] = _user(s, ctx, "13800030001", "冯建军", o["东苑1栋"],
                                [("community_admin", east)])
    ctx.workers[o["第一网格"].id] = _user(s, ctx, *fixed["grid_worker"], b1,
                                         [("grid_worker", o["第一网格"])])
    for i, (g, name) in enumerate(zip(["第二网格", "第三网格", "东一网格", "东二网格"],
                                      ["钱玉凤", "孙海燕", "李春生", "吴秀兰"])):
        ctx.workers[o[g].id] = _user(s, ctx, f"1380003{i + 2:04d}", name, o[BUILDINGS[g][0]],
                                     [("grid_worker", o[g])])
    # Residents: the fixed one first; about one in eight has no phone (代为登记 by the grid).
    residents = [_user(s, ctx, *fixed["resident"], b1, [("resident", b1)], days_ago=50)]
    homes = _buildings_of(ctx, "城西社区") * 2 + _buildings_of(ctx, "城东社区") * 2
    for i, name in enumerate(RESIDENT_NAMES):
        b = homes[i % len(homes)]
        phone = None if i % 8 == 5 else f"1380001{i:04d}"
        residents.append(_user(s, ctx, phone, name, b, [("resident", b)], n=i,
                               days_ago=55 - i))
    return residents


def _report(s, ctx, user, community, unit=None, kind="personal", days_ago=40):
    s.add(Registration(kind=kind, user_id=user.id, community_id=community.id,
                       unit_id=unit.id if unit else None, created_at=ctx.now - days_ago * D))


def _registrations(s, ctx):
    """个人报到 and 单位报到, approved by each community admin through the real service."""
    begin_write(s)
    o, fixed = ctx.orgs, {role: (p, n) for p, n, role in ACCOUNTS}
    admins = [(_user(s, ctx, *fixed["unit_admin"], o["1号楼"], [("resident", o["1号楼"])],
                     ctx.units["区人民医院"]), "区人民医院"),
              (_user(s, ctx, "13800030010", "黄志明", o["东苑2栋"], [("resident", o["东苑2栋"])],
                     ctx.units["新华小学"]), "新华小学"),
              (_user(s, ctx, "13800040009", PENDING_NAMES[3], o["2号楼"],
                     [("resident", o["2号楼"])], ctx.units["区税务局第二分局"]), "区税务局第二分局")]
    for i, (u, uname) in enumerate(admins):
        _report(s, ctx, u, ctx.units[uname].community, ctx.units[uname], "unit", days_ago=45 - i)
    # Members: the fixed one (区人民医院) first; a third of the rest from a reported unit.
    people = [(fixed["member"][0], fixed["member"][1], o["1号楼"], ctx.units["区人民医院"])]
    for i, name in enumerate(MEMBER_NAMES):
        west_side = i < 17
        homes = _buildings_of(ctx, "城西社区" if west_side else "城东社区")
        unit = (ctx.units["区人民医院"] if west_side else ctx.units["新华小学"]) if i % 3 == 0 else None
        people.append((f"1380002{i:04d}", name, homes[i % len(homes)], unit))
    for i, (phone, name, b, unit) in enumerate(people):
        skills = ",".join([SKILLS[i % len(SKILLS)], SKILLS[(i * 5 + 3) % len(SKILLS)]])
        u = _user(s, ctx, phone, name, b, [("resident", b)], unit, skills, days_ago=48, n=i)
        _report(s, ctx, u, ctx.orgs[_community_name(ctx, b)], unit, days_ago=40 - i % 20)
        ctx.members.setdefault(b.community_id, []).append(u)
    for i, name in enumerate(PENDING_NAMES[:3]):  # still waiting for the community
        b = o[["2号楼", "8号楼", "东苑1栋"][i]]
        u = _user(s, ctx, f"1380004{i:04d}", name, b, [("resident", b)], skills=SKILLS[i * 4])
        _report(s, ctx, u, ctx.orgs[_community_name(ctx, b)], days_ago=1 + i)
    s.commit()
    for reg in s.scalars(select(Registration).order_by(Registration.id)).all():
        if reg.unit_id == ctx.units["区税务局第二分局"].id or reg.created_at > ctx.now - 5 * D:
            continue
        registrations.approve(s, ctx.admins[reg.community_id], reg.id)
    # Each unit's admin confirms the members who named it: only then do their hours count for it.
    for unit in ctx.units.values():
        admin = s.scalar(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
            RoleGrant.unit_id == unit.id, RoleGrant.role == "unit_admin").limit(1))
        for m in units.unconfirmed_members(s, unit) if admin else ():
            units.confirm_member(s, admin, m.id, accept=True, now=ctx.now - 30 * D)
    begin_write(s)
    for reg in s.scalars(select(Registration).where(Registration.status == "approved")):
        reg.decided_at = reg.created_at + 20 * H
    s.commit()


def _community_name(ctx, building):
    return next(n for n in COMMUNITIES if ctx.orgs[n].id == building.community_id)


def _plan(residents):
    """(target state, resident, template) for every wish; the fixed accounts get good stories."""
    r0, t = residents[0], {w[1]: w for w in WISHES}
    plan = [("closed", r0, t["陪同去区人民医院复查"]), ("done", r0, t["洗衣机漏水请人看看"]),
            ("claimed", r0, t["帮忙买菜送上楼"]), ("published", r0, t["教我用智能手机视频通话"]),
            ("pending_review", r0, t["一副老花镜"])]
    # A neighbour of grid 1 without a phone: the grid worker (13800000004) confirms for them.
    phoneless = [r for r in residents if r.phone is None and r.building_id == r0.building_id]
    plan += [("done", phoneless[0], t["上门理发"]), ("closed", phoneless[0], t["一台电饭煲"])]
    left = dict(SPREAD)
    for state, _r, _t in plan:
        left[state] -= 1
    states = [st for st, n in left.items() for _ in range(n)]
    others = residents[1:]
    for i, st in enumerate(states):
        plan.append((st, others[(i * 7) % len(others)], WISHES[(i * 5 + 1) % len(WISHES)]))
    return plan


def _wishes(s, ctx, residents):
    west = ctx.orgs["城西社区"].id
    m0 = ctx.members[west][0]  # 13800000002
    # 13800000002 also serves other neighbours: one under way, one to confirm, a record.
    serves = ["in_service", "done", "closed", "closed", "confirmed"]
    for i, (state, resident, tpl) in enumerate(_plan(residents)):
        lo, hi = AGE[state]
        t0 = ctx.now - timedelta(days=lo + (hi - lo) * ((i * 37) % 100) / 100)
        first = m0 if resident is residents[0] and state in ("closed", "claimed") else None
        if (first is None and i >= 7 and state in serves
                and s.get(Org, resident.building_id).community_id == west):
            serves.remove(state)
            first = m0
        _drive(s, ctx, state, resident, tpl, t0, first, i)


def _drive(s, ctx, target, resident, tpl, t, first, i):
    """Post one wish at `t` and move it through the services to `target`."""
    kind, title, desc, cat_name, value, hours, cap = tpl
    b = s.get(Org, resident.building_id)
    cat = ctx.cats[(b.community_id, cat_name)]
    worker = ctx.workers[b.grid_id]
    admin = ctx.admins[b.community_id]
    open_ = target in ("published", "expired")
    deadline = t + 3 * D if target == "expired" else (
        ctx.now + (5 + i % 10) * D if open_ else t + 10 * D)
    data = WishInput(kind=kind, title=title, description=desc, category=cat.id, capacity=cap,
                     estimated_hours=Decimal(str(hours)), value_yuan=value,
                     # The agreed visit: started on time below (t + 44 h), never hours early.
                     wanted_from=t + 44 * H if kind == "service" and i % 2 else None,
                     wanted_until=t + 47 * H if kind == "service" and i % 2 else None,
                     deadline=deadline,
                     on_behalf_of=resident.id if resident.phone is None else None,
                     # Health needs are sensitive (issue 26): marked, with their own consent.
                     sensitive=cat_name == "医疗健康", sensitive_consent=cat_name == "医疗健康")
    poster = worker if resident.phone is None else resident
    if target == "draft":
        return _draft(s, ctx, resident, b, cat, data, t)
    w = _at(s, ctx, t, wishes.post, s, poster, data)
    if target == "pending_review":
        return
    if target == "rejected":
        return _at(s, ctx, t + 4 * H, wishes.review, s, admin, w.id, "reject",
                   REJECT_REASONS[i % len(REJECT_REASONS)])
    if target == "withdrawn" and i % 3 == 0:
        return _at(s, ctx, t + 5 * H, wishes.withdraw, s, poster, w.id)
    _at(s, ctx, t + 3 * H, wishes.review, s, admin, w.id, "approve")
    if target == "expired":
        _at(s, ctx, deadline + H, followup.expire, s)  # the job's own function
        return
    team = _team(ctx, b.community_id, cap, first)
    if target == "published":
        if cap > 1:  # partly taken: still on the menu
            _at(s, ctx, t + 9 * H, claims.claim, s, team[0], w.id)
        return
    cl = _claim(s, ctx, w, team, t + 20 * H, i, answer=target != "claimed")
    if target == "withdrawn":
        return _at(s, ctx, t + 30 * H, wishes.withdraw, s, poster, w.id)
    if target == "claimed":
        return
    for c in cl:
        _at(s, ctx, t + 44 * H, claims.start, s, c.volunteer, c.id)
    if target == "in_service":
        return
    for c in cl:
        _at(s, ctx, t + 47 * H, claims.mark_done, s, c.volunteer, c.id,
            Decimal(str(hours)) + Decimal("0.5") * (i % 2))
    if target == "done":
        return
    ctx.turn += 1
    comment = COMMENTS[ctx.turn % len(COMMENTS)]
    if target == "confirmed":
        if i % 2:
            return _at(s, ctx, t + 5 * D, wishes.confirm, s, None, w.id, None,
                       note="居民超过 3 天未确认，系统自动确认", system=True)
        return _at(s, ctx, t + 60 * H, wishes.confirm, s, worker, w.id, None,
                   note="电话回访，居民表示服务已完成")
    if resident.phone is None:
        _at(s, ctx, t + 60 * H, wishes.confirm, s, worker, w.id, 5, comment,
            note="上门回访，老人很满意")
    else:
        _at(s, ctx, t + 60 * H, wishes.confirm, s, resident, w.id, 4 + (i % 3 > 0), comment)
    if target == "disputed":  # "没办好" two days later: the community has yet to review it
        _at(s, ctx, t + 66 * H, dispute.dispute, s, worker if resident.phone is None else resident,
            w.id, DISPUTE_REASON)


def _team(ctx, community_id, cap, first):
    pool = ctx.members[community_id]
    ctx.turn += 1
    team = [pool[(ctx.turn + k) % len(pool)] for k in range(cap)]
    if first is not None and first in pool and first not in team:
        team[0] = first
    return team


def _claim(s, ctx, w, team, t, i, answer=True):
    """Claims for a team: self-claims, a unit claim for hospital staff, a dispatch, a release."""
    unit = ctx.units["区人民医院"]
    if all(m.unit_id == unit.id for m in team) and i % 2 == 0:
        admin = s.scalar(select(User).where(User.phone == ACCOUNTS[2][0]))
        return _at(s, ctx, t, claims.claim, s, admin, w.id, unit.id, [m.id for m in team])
    if len(team) == 1 and i % 5 == 2:
        offer = _at(s, ctx, t, claims.dispatch, s, ctx.admins[w.community_id], w.id, team[0].id)
        if not answer:  # 派单 waiting for the member to accept or decline
            return [offer]
        return [_at(s, ctx, t + 2 * H, claims.answer_offer, s, team[0], offer.id, True)]
    if len(team) == 1 and i % 5 == 3:  # somebody claimed first, then had to give it back
        other = _team(ctx, w.community_id, 1, None)[0]
        if other is not team[0]:
            (c,) = _at(s, ctx, t - 6 * H, claims.claim, s, other, w.id)
            _at(s, ctx, t - 2 * H, claims.release, s, other, c.id)
    return [c for m in team for c in _at(s, ctx, t, claims.claim, s, m, w.id)]


def _draft(s, ctx, resident, b, cat, data, t):
    """A draft is saved but never submitted: no service posts drafts, so write it here."""
    begin_write(s)
    w = Wish(kind=data.kind, title=data.title, description=data.description, category_id=cat.id,
             value_yuan=data.value_yuan, estimated_hours=data.estimated_hours,
             capacity=data.capacity, status="draft", resident_id=resident.id,
             posted_by_id=resident.id, community_id=b.community_id, grid_id=b.grid_id,
             building_id=b.id, created_at=t, updated_at=t)
    s.add(w)
    s.flush()
    lifecycle.log(s, w, "post", resident.id, None, "draft", "保存为草稿", t)
    s.commit()


def _at(s, ctx, t, fn, *args, **kw):
    """Call a service as if at time `t`; its notifications get that time too."""
    result = fn(*args, **kw, now=t)
    begin_write(s)
    s.execute(update(Notification).where(Notification.created_at >= ctx.now)
              .values(created_at=t))
    s.commit()
    return result


def _settle_notifications(s, ctx):
    """Older messages have been read; the last two days' stay unread in the inbox."""
    begin_write(s)
    for n in s.scalars(select(Notification).where(Notification.created_at < ctx.now - 2 * D)):
        n.read_at = n.created_at + 2 * H
    s.commit()
