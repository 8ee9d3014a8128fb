"""结对联户 and 双向评议 for bench/district.py's district: pairings, visits, one finished round.

Read from the built district (so a cached one gets them too, see `needed`) and written by bulk
Core inserts that keep the rules of services/pairing: a member paired only with residents of the
community they reported to (nearest first: same building, then grid, then community), at most
`pairing_max_households` each, one live pairing per household; a pairing made by the community
admin with its "pair" event, a few ended or declined later (their event, `live` NULL); visits
only while the pairing was active, never before it began nor in the future; per community the
previous year's round opened with every approved unit, answered by both sides, closed with the
scores of services/pairing/scores.py and published, its events and admin-log lines as the
service writes them. At scale 1.0: ~45,000 pairings, ~155,000 visits, 100 rounds of 3 units.
"""
import random
from datetime import datetime, time, timedelta, timezone
from itertools import chain
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text, update

from webapp.extensions import db
from webapp.models import (AdminLog, EvaluationEvent, EvaluationRound, LedgerChain, Org, Pairing,
                           PairingEvent, RoleGrant, Unit, UnitEvaluation, User, Visit)
from webapp.services.ledger.periods import LOCAL_TZ
from webapp.services.pairing import evaluation as ev
from webapp.services.pairing import scores
from webapp.services.people.orgs import setting

SHARE = 0.75  # of a community's members paired, with 1-3 households each: ≈ 1.5 pairings a member
ENDED, DECLINED = 0.05, 0.02  # of pairings: ended later, or declined by the household
VISITS_PER_YEAR = 4
BATCH = 20_000
TABLES = ("pairings", "pairing_events", "visits", "evaluation_rounds", "unit_evaluations",
          "evaluation_events", "admin_log")
KINDS = ("home",) * 6 + ("phone",) * 3 + ("other",)
NOTES = ("身体状况良好", "聊了家常，老人精神不错", "检查了燃气和电路", "送去了社区通知",
         "提醒按时服药", "了解了孩子上学情况")
NEEDS = ("希望有人帮忙修理水管", "想找人陪同去医院复查", "需要代买生活用品", "想了解养老补贴政策")


def _bulk(model, rows):
    # The table, not the ORM's bulk insert: that drops a None and fires the column's default
    # (an ended pairing's `live` came out True, breaking one live pairing per household).
    for k in range(0, len(rows), BATCH):
        db.session.execute(insert(model.__table__), rows[k:k + BATCH])


def _at(day, hour, minute=0):
    """A Beijing wall-clock time as UTC (the services keep instants in UTC, days local)."""
    return datetime.combine(day, time(hour, minute), LOCAL_TZ).astimezone(timezone.utc)


def _office(rng, when):
    """The same local day, during office hours: an admin's act."""
    return _at(when.astimezone(LOCAL_TZ).date(), rng.randrange(9, 17), rng.randrange(60))


def needed() -> bool:
    """Whether the district is finished (every ledger chain written) but has no pairings yet."""
    s = db.session
    if s.scalar(select(Pairing.id).limit(1)) is not None:
        return False
    # A cache another process is still building has fewer chains than communities: left alone.
    comms = s.scalar(select(func.count(Org.id)).where(Org.kind == "community")) or 0
    return comms > 0 and (s.scalar(select(func.count(LedgerChain.community_id))) or 0) >= comms


def build(now=None) -> dict:
    """Pairings, visits and the previous year's published round into the built district."""
    s, rng = db.session, random.Random(23)
    now = now or datetime.now(timezone.utc)
    comms = {c.id: c for c in s.scalars(select(Org).where(Org.kind == "community"))}
    admin = {}  # community → its first admin: who pairs, opens and closes
    for uid, org in s.execute(select(RoleGrant.user_id, RoleGrant.org_id).where(
            RoleGrant.role == "community_admin", RoleGrant.active.is_(True))
            .order_by(RoleGrant.id)):
        admin.setdefault(org, uid)
    grid_of = dict(s.execute(select(Org.id, Org.grid_id).where(Org.kind == "building")).all())
    plan = _pairings(s, comms, admin, grid_of, now, rng)
    n = {"pairings": len(plan), "visits": _visits(plan, now, rng),
         "rounds": _rounds(s, comms, admin, now, rng)}
    for t in TABLES:  # the planner's numbers for what was just written (build() analyzes all)
        s.execute(text(f"ANALYZE {t}"))
    s.commit()
    return n


def _pairings(s, comms, admin, grid_of, now, rng) -> list[tuple]:
    """Insert the pairings and their events; (id, member, household, community, grid,
    created_at, ended_at) of each, for the visits."""
    # Households as services/pairing/pairings.households() finds them: active users with an
    # active resident grant whose building is in the community; pools by building.
    pools: dict[int, list[int]] = {}
    by_comm: dict[int, list[int]] = {}
    for uid, b, cid in s.execute(
            select(User.id, User.building_id, Org.community_id)
            .join(Org, Org.id == User.building_id)
            .where(User.active.is_(True), select(RoleGrant.id).where(
                RoleGrant.user_id == User.id, RoleGrant.role == "resident",
                RoleGrant.active.is_(True)).exists()).order_by(User.id)):
        if b not in pools:
            pools[b] = []
            by_comm.setdefault(cid, []).append(b)
        pools[b].append(uid)
    in_grid: dict[int, list[int]] = {}
    for bs in by_comm.values():
        for b in bs:
            in_grid.setdefault(grid_of.get(b), []).append(b)
    for p in pools.values():
        rng.shuffle(p)  # not always the building's last residents
    # Members as pairings.members() finds them: active, with an active member grant there.
    rows, seen, year = [], set(), timedelta(days=365)
    for mid, mb, cid in s.execute(
            select(User.id, User.building_id, RoleGrant.org_id)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == "member", RoleGrant.active.is_(True),
                   User.active.is_(True)).order_by(User.id)).all():
        # One community a member (the cap counts every active pairing of theirs); communities
        # without an admin have nobody to pair.
        if mid in seen or cid not in comms or cid not in admin or rng.random() >= SHARE:
            continue
        seen.add(mid)
        k = rng.randint(1, min(3, int(setting(comms[cid], "pairing_max_households"))))
        # suggest()'s order: the member's building, then their grid, then the community.
        own = [mb] if mb in pools and mb in by_comm.get(cid, ()) else []
        near = in_grid.get(grid_of.get(mb), []) if own else []
        got = []
        for b in chain(own, near, by_comm.get(cid, [])):
            while pools[b] and len(got) < k:
                hid = pools[b].pop()
                if hid != mid:  # nobody is paired with themselves
                    got.append((hid, b))
            if len(got) == k:
                break
        # One pair() call a member: its households share the timestamp (batches.last_batch).
        # Most pairings are older than the year of visits; a fifth began during it.
        created = _office(rng, now - (year + timedelta(days=rng.randrange(730)))
                          if rng.random() < 0.8 else now - timedelta(days=rng.randrange(20, 365)))
        for hid, b in got:
            r, status, ended, reason = rng.random(), "active", None, None
            span = (now - created).days - 31  # days an end could fall on, a month in, by today
            if r < DECLINED:  # the household said no within days of being paired (≥ 20 ago)
                status, reason = "declined", "居民婉拒结对"
                ended = _office(rng, created + timedelta(days=rng.randrange(1, 20)))
            elif r < DECLINED + ENDED and span > 0:
                status, reason = "ended", "党员工作调动"
                ended = _office(rng, created + timedelta(days=30 + rng.randrange(span)))
            rows.append({"community_id": cid, "member_id": mid, "household_id": hid,
                         "status": status, "live": True if status == "active" else None,
                         "created_by_id": admin[cid], "created_at": created,
                         "ended_at": ended, "reason": reason, "_grid": grid_of.get(b)})
    first = (s.scalar(select(func.max(Pairing.id))) or 0) + 1
    _bulk(Pairing, [{k: v for k, v in r.items() if k != "_grid"} for r in rows])
    # Ids as the database gave them (PostgreSQL's sequence stays its own): a household has one
    # pairing here, so it names its row.
    ids = dict(s.execute(select(Pairing.household_id, Pairing.id).where(Pairing.id >= first)).all())
    events, plan = [], []
    for r in rows:
        pid = ids[r["household_id"]]
        # PAIRING.log(…, "pair", actor, None, "active") in _pair; end()/decline via PAIRING.move.
        events.append({"pairing_id": pid, "actor_id": r["created_by_id"], "action": "pair",
                       "from_status": None, "to_status": "active", "note": None,
                       "at": r["created_at"]})
        if r["status"] != "active":
            events.append({"pairing_id": pid, "actor_id": r["created_by_id"],
                           "action": "decline" if r["status"] == "declined" else "end",
                           "from_status": "active", "to_status": r["status"],
                           "note": r["reason"], "at": r["ended_at"]})
        plan.append((pid, r["member_id"], r["household_id"], r["community_id"], r["_grid"],
                     r["created_at"], r["ended_at"]))
    _bulk(PairingEvent, events)
    s.commit()
    return plan


def _visits(plan, now, rng) -> int:
    """About VISITS_PER_YEAR visits a pairing over the last year, while it was active; logged on
    the evening of the visit (visits.log: not before the pairing's day, not after today)."""
    today = now.astimezone(LOCAL_TZ).date()
    rows, n = [], 0
    for pid, mid, hid, cid, grid, created, ended in plan:
        stop = ended or now  # log() needs an active pairing: nothing after it ended
        lo = max(created.astimezone(LOCAL_TZ).date(), today - timedelta(days=365))
        hi = min(stop.astimezone(LOCAL_TZ).date(), today)
        if lo > hi:
            continue
        days = (hi - lo).days + 1
        # Uneven on purpose: some households fall short of visits_per_year (coverage < 100%).
        for _ in range(int(days / 365 * VISITS_PER_YEAR * rng.uniform(0.3, 1.7) + rng.random())):
            day = lo + timedelta(days=rng.randrange(days))
            rows.append({"pairing_id": pid, "member_id": mid, "household_id": hid,
                         "community_id": cid, "grid_id": grid, "visited_on": day,
                         "kind": KINDS[rng.randrange(len(KINDS))],
                         "note": NOTES[rng.randrange(len(NOTES))],
                         "needs": NEEDS[rng.randrange(len(NEEDS))] if rng.random() < 0.15 else "",
                         "created_at": min(_at(day, 20, rng.randrange(60)), stop)})
        if len(rows) >= BATCH:
            _bulk(Visit, rows)
            n, rows = n + len(rows), []
    _bulk(Visit, rows)
    db.session.commit()
    return n + len(rows)


def _rounds(s, comms, admin, now, rng) -> int:
    """Per community the previous year's round: opened in its December with every approved unit,
    both sides' answers, closed (scored by scores.parts) in January, published a week later."""
    year = now.astimezone(LOCAL_TZ).year - 1
    opened = _at(datetime(year, 12, 1).date(), 9)
    closed = min(_at(datetime(year + 1, 1, 8).date(), 10), now - timedelta(hours=2))
    shown = min(_at(datetime(year + 1, 1, 15).date(), 10), now - timedelta(hours=1))
    units: dict[int, list[int]] = {}
    for uid, cid in s.execute(select(Unit.id, Unit.community_id).where(
            Unit.status == "approved").order_by(Unit.id)):  # evaluation.approved_units()
        units.setdefault(cid, []).append(uid)
    cids = sorted(c for c in comms if c in admin and c not in set(s.scalars(
        select(EvaluationRound.community_id).where(EvaluationRound.year == year))))
    _bulk(EvaluationRound, [{
        "community_id": c, "year": year, "status": "published",
        "weights": dict(ev.DEFAULT_WEIGHTS), "thresholds": list(ev.DEFAULT_THRESHOLDS),
        "items": [dict(i) for i in ev.DEFAULT_ITEMS], "opened_by_id": admin[c],
        "opened_at": opened, "closed_at": closed, "published_at": shown} for c in cids])
    rid = dict(s.execute(select(EvaluationRound.community_id, EvaluationRound.id).where(
        EvaluationRound.year == year, EvaluationRound.community_id.in_(cids or [0]))).all())
    rows = []
    for c in cids:
        for u in units.get(c, []):
            rows.append({
                "round_id": rid[c], "unit_id": u,
                "community_answers": {i["key"]: rng.randrange(55, 101) for i in ev.DEFAULT_ITEMS},
                "unit_answers": {q: rng.randrange(3, 6) for q in ev.UNIT_QUESTIONS},
                "unit_comment": "社区对接及时，需求清楚", "score": None, "grade": None,
                "report_text": f"{year}年本单位党员进社区报到服务，开展结对联户、入户走访和共建活动。",
                "parts": {}, "updated_at": closed})  # close() sets every row's updated_at
    _bulk(UnitEvaluation, rows)
    # close(): each unit's parts, score and grade by the service's own arithmetic as of closing
    # (reads the answers just written, and whatever records, bookings and projects there are).
    scored = []
    for row_id, r_id, unit_id, cid in s.execute(
            select(UnitEvaluation.id, UnitEvaluation.round_id, UnitEvaluation.unit_id,
                   EvaluationRound.community_id).join(EvaluationRound)
            .where(EvaluationRound.id.in_(list(rid.values()) or [0]))).all():
        r = SimpleNamespace(id=r_id, community_id=cid, year=year,
                            items=[dict(i) for i in ev.DEFAULT_ITEMS])
        p = scores.parts(s, r, unit_id, closed)
        score = scores.total(p, ev.DEFAULT_WEIGHTS)
        scored.append({"id": row_id, "parts": p, "score": score,
                       "grade": scores.grade(score, ev.DEFAULT_THRESHOLDS)})
    if scored:
        s.execute(update(UnitEvaluation), scored)  # ORM bulk UPDATE by primary key
    # The round's timeline (ROUND.log / ROUND.move) and the admin log lines of each step.
    steps = (("open", None, "open", opened), ("close", "open", "closed", closed),
             ("publish", "closed", "published", shown))
    _bulk(EvaluationEvent, [{"round_id": rid[c], "actor_id": admin[c], "action": a,
                             "from_status": f, "to_status": t, "note": None, "at": at}
                            for c in cids for a, f, t, at in steps])
    _bulk(AdminLog, [{"at": at, "actor_id": admin[c], "kind": f"evaluation_{a}",
                      "street_id": comms[c].street_id, "community_id": c, "org_id": c,
                      "target_user_id": None, "summary": str(year), "details": {}}
                     for c in cids for a, _f, _t, at in steps])
    s.commit()
    return len(cids)
