"""Each member's points account at a community, kept (models.ShopAccount, ShopLapse), so that
积分台账 reads a page of members instead of replaying every member's points on each view.

An account is a replay (replay.replay: oldest points first, lapses by the community's rule) of
the member's points there (the ledger's monthly summary, LedgerPoints) and their exchanges not
cancelled. It changes when a ledger line with points is appended and when the member reserves
or a reservation is cancelled: each of those notes the member (`note`), and the transaction
replays and stores the noted accounts as it commits, the members' rows locked so two
refreshes of one member queue (session events, as pairing/tally.py keeps the buildings'
counts: no write path can forget it). It also changes when time reaches
its next lapse (`valid_until`) or the community changes its expiry rule: the job process
refreshes those (`refresh_due`), and until it has, readers replay them (`stale`, `replayed`).
"""
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import delete, insert, or_, select

from ...db import begin_write, listen_on_sessions
from ...models import LedgerPoints, Org, ShopAccount, ShopExchange, ShopLapse, User
from ..people.orgs import setting
from .replay import replay

BATCH = 100  # members refreshed per transaction by the job: ~35 ms of write lock on SQLite
_NOTED = "wishgrid_points_accounts"


def years_of(community: Org) -> int:
    """The community's expiry rule (points.expires_at)."""
    return int(setting(community, "points_expiry_years"))


def replayed(session, community_id: int, years: int, ids, now, keep: bool = False) -> dict:
    """{member: (Account, as_of)} replayed from the rows. `keep`: as of `now` or the member's
    latest exchange if later (what is stored); else as of `now` (what a reader sees)."""
    ids = sorted(set(ids))
    lots: dict = defaultdict(dict)
    spends: dict = defaultdict(list)
    if not ids:
        return {}
    for mid, month, pts in session.execute(
            select(LedgerPoints.volunteer_id, LedgerPoints.service_month, LedgerPoints.points)
            .where(LedgerPoints.community_id == community_id,
                   LedgerPoints.volunteer_id.in_(ids))):
        lots[mid][month] = pts
    for mid, at, pts in session.execute(
            select(ShopExchange.member_id, ShopExchange.created_at, ShopExchange.points)
            .where(ShopExchange.community_id == community_id, ShopExchange.member_id.in_(ids),
                   ShopExchange.status != "cancelled")
            .order_by(ShopExchange.created_at, ShopExchange.id)):
        spends[mid].append((at, pts))
    out = {}
    for mid in ids:
        as_of = max([now] + [at for at, _p in spends[mid]]) if keep else now
        out[mid] = (replay(lots[mid], spends[mid], years, as_of), as_of)
    return out


def _lock(session, ids) -> None:
    # PostgreSQL: the members' rows, in id order (the order every refresh takes them in), so a
    # reservation, a ledger line and the job never refresh one member from two snapshots.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(User.id).where(User.id.in_(sorted(ids))).order_by(User.id)
                        .with_for_update())


def _lock_free(session, ids) -> list[int]:
    # The job takes only the members nobody is writing (PostgreSQL): it never waits on, nor
    # holds up, a reservation or an approval.
    if session.get_bind().dialect.name != "postgresql":
        return ids
    return list(session.scalars(select(User.id).where(User.id.in_(ids)).order_by(User.id)
                                .with_for_update(skip_locked=True)))


def _store(session, community_id: int, years: int, accounts: dict) -> None:
    ids = list(accounts)
    session.execute(delete(ShopLapse).where(ShopLapse.community_id == community_id,
                                            ShopLapse.member_id.in_(ids)))
    session.execute(delete(ShopAccount).where(ShopAccount.community_id == community_id,
                                              ShopAccount.member_id.in_(ids)))
    session.execute(insert(ShopAccount), [
        {"community_id": community_id, "member_id": mid, "balance": acc.balance,
         "expired": acc.expired, "years": years, "as_of": as_of,
         "valid_until": acc.next_expiry[0] if acc.next_expiry else None}
        for mid, (acc, as_of) in accounts.items()])
    lapses: dict = defaultdict(Decimal)
    for mid, (acc, _as_of) in accounts.items():
        for at, pts in acc.lapses:  # lots of several months may lapse at one instant
            lapses[(mid, at)] += pts
    if lapses:
        session.execute(insert(ShopLapse), [
            {"community_id": community_id, "member_id": mid, "at": at, "points": pts}
            for (mid, at), pts in lapses.items()])


def _refresh(session, community_id: int, years: int, ids, now) -> None:
    # BATCH members a statement: a bulk import's thousands stay bounded statements
    ids = sorted(ids)
    for at in range(0, len(ids), BATCH):
        part = ids[at:at + BATCH]
        _store(session, community_id, years,
               replayed(session, community_id, years, part, now, keep=True))


def note(session, community_id: int, member_id: int, now) -> None:
    """Have the member's account refreshed as `session` commits (as of `now` at the latest)."""
    noted = session.info.setdefault(_NOTED, {})
    key = (community_id, member_id)
    noted[key] = max(noted.get(key, now), now)


def _before_commit(session):
    noted = session.info.pop(_NOTED, None)
    if not noted:
        return
    # All of the transaction's members at once, in id order: a bulk approval (which holds the
    # community's chain) and a reservation (its member) never wait on each other in a circle.
    _lock(session, {m for _c, m in noted})
    by_community: dict = defaultdict(dict)
    for (cid, mid), now in noted.items():
        by_community[cid][mid] = now
    for cid, members in sorted(by_community.items()):
        _refresh(session, cid, years_of(session.get(Org, cid)), members, max(members.values()))


def _forget(session, previous_transaction):
    if previous_transaction.parent is None:  # a savepoint's rollback keeps the rest's notes
        session.info.pop(_NOTED, None)


def install() -> None:
    """Listen on every ORM session (web requests, jobs, CLI): idempotent."""
    listen_on_sessions(before_commit=_before_commit, after_soft_rollback=_forget)


def rebuild(session, community: Org, now) -> int:
    """Every account of a community from the rows (a new cache, a repair); the caller commits."""
    ids = set(session.scalars(select(LedgerPoints.volunteer_id).distinct()
                              .where(LedgerPoints.community_id == community.id)))
    ids |= set(session.scalars(select(ShopExchange.member_id).distinct()
                               .where(ShopExchange.community_id == community.id)))
    _refresh(session, community.id, years_of(community), ids, now)
    return len(ids)


def stale(session, community: Org, years: int, now) -> list[int]:
    """Members of `community` whose kept account is not true at `now`."""
    a = ShopAccount
    return list(session.scalars(select(a.member_id).where(
        a.community_id == community.id,
        or_(a.years != years, a.as_of > now, a.valid_until <= now))))


def refresh_due(session, now) -> int:
    """The job: refresh the accounts past their next lapse or under a changed rule, BATCH at
    a time, each batch its own short transaction."""
    done = 0
    communities = session.scalars(select(Org).where(Org.kind == "community")).all()
    for years, cid in sorted((years_of(c), c.id) for c in communities):
        while True:
            ids = list(session.scalars(select(ShopAccount.member_id).where(
                ShopAccount.community_id == cid,
                or_(ShopAccount.years != years, ShopAccount.valid_until <= now))
                .order_by(ShopAccount.member_id).limit(BATCH)))
            if not ids:
                break
            begin_write(session)
            ids = _lock_free(session, ids)
            if not ids:  # all being written now: their writers refresh them, or the next run
                session.rollback()
                break
            _refresh(session, cid, years, ids, now)
            session.commit()
            done += len(ids)
    return done


def drift(session) -> list[tuple]:
    """(community, member, what) where a kept account is not the replay it claims: for tests."""
    out = []
    owed = set(session.execute(select(LedgerPoints.community_id, LedgerPoints.volunteer_id)))
    owed |= set(session.execute(select(ShopExchange.community_id, ShopExchange.member_id)))
    rows = {(r.community_id, r.member_id): r for r in session.scalars(select(ShopAccount))}
    out += [(c, m, "no account") for c, m in sorted(owed - set(rows))]
    lapses: dict = defaultdict(dict)
    for lapse in session.scalars(select(ShopLapse)):
        lapses[(lapse.community_id, lapse.member_id)][lapse.at] = lapse.points
    for (cid, mid), row in sorted(rows.items()):
        ((acc, _), ) = replayed(session, cid, row.years, [mid], row.as_of).values()
        last = session.scalar(select(ShopExchange.created_at).where(
            ShopExchange.community_id == cid, ShopExchange.member_id == mid,
            ShopExchange.status != "cancelled").order_by(ShopExchange.created_at.desc()).limit(1))
        true_lapses: dict = defaultdict(Decimal)
        for at, pts in acc.lapses:
            true_lapses[at] += pts
        kept = (row.balance, row.expired, row.valid_until, dict(lapses[(cid, mid)]))
        true = (acc.balance, acc.expired, acc.next_expiry[0] if acc.next_expiry else None,
                dict(true_lapses))
        if kept != true or (last is not None and last > row.as_of):
            out.append((cid, mid, f"kept {kept}, true {true}"))
    return out
