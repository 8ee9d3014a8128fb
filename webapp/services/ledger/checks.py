"""Full checks of the ledger's chains, run by the job process and kept for the ledger page.

Re-hashing a community's whole chain grows with it (50,000 entries, 3.5 s at district size,
bench/RESULTS.md): too long to hold a web worker, and a GET that any admin could repeat. So the
page re-hashes only the newest entries on each view (chain.chain_state) and shows the last full
check from `ledger_checks`; its button asks the job process for a new one. The job also checks
every chain that has not been checked for LEDGER_CHECK_HOURS, so a change to an old entry is
found within a day even if nobody asks.
"""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from ...db import begin_write, locked_row
from ...models import LedgerChain, LedgerCheck, User, utcnow
from ..notify.notify import tell_community
from .chain import verify
from .ledger import require_admin


def pending(check: LedgerCheck | None) -> bool:
    """Whether a full check was asked for and has not begun since."""
    return bool(check and check.requested_at and (
        check.checked_at is None or check.requested_at > check.checked_at))


def _locked(session, community_id: int) -> LedgerCheck:
    """The community's check row, locked for this transaction (created on first use): two
    admins pressing at once, or an admin and the job, never both insert it."""
    return locked_row(session, LedgerCheck, "community_id",
                      {"community_id": community_id, "entries": 0})


def request_check(session, actor: User, community_id: int, now: datetime | None = None) -> bool:
    """Ask the job process to check the community's whole chain; False if already asked.

    A request made while one waits keeps the first one's time: pressing again adds nothing."""
    require_admin(actor, community_id)
    now = now or utcnow()
    begin_write(session)
    check = _locked(session, community_id)
    if pending(check):
        session.rollback()
        return False
    check.requested_at, check.requested_by_id = now, actor.id
    session.commit()
    return True


def record(session, results: list[dict], began: datetime) -> None:
    """Keep the outcome of verify() for each community it checked (one short write). A break
    not found before is told to the community's admins at once, in the same transaction."""
    begin_write(session)
    for r in results:
        check = _locked(session, r["community_id"])
        if not r["ok"] and (check.ok is not False or check.broken != r["broken"]):
            tell_community(session, r["community_id"], "ledger_chain_broken",
                           note=str(r["broken"]["seq"]), now=began,
                           url=f"/ledger/?community={r['community_id']}")
        check.checked_at, check.entries = began, r["entries"]
        check.ok, check.broken = r["ok"], r["broken"]
    session.commit()


def due(session, now: datetime, every: timedelta, limit: int) -> list[int]:
    """Communities whose chain needs a full check: asked for first, then the longest unchecked."""
    asked = (LedgerCheck.requested_at.is_not(None)) & (
        LedgerCheck.checked_at.is_(None) | (LedgerCheck.requested_at > LedgerCheck.checked_at))
    rows = session.execute(
        select(LedgerChain.community_id, asked.label("asked"))
        .outerjoin(LedgerCheck, LedgerCheck.community_id == LedgerChain.community_id)
        .where(LedgerChain.last_seq > 0)
        .where(or_(LedgerCheck.community_id.is_(None), LedgerCheck.checked_at.is_(None),
                   LedgerCheck.checked_at < now - every, asked))
        .order_by(asked.desc(), LedgerCheck.checked_at.asc().nulls_first(),
                  LedgerChain.community_id)
        .limit(limit)).all()
    session.rollback()  # end the read before the long checks
    return [cid for cid, _asked in rows]


def run_due(session, now: datetime, every: timedelta, limit: int) -> int:
    """Check up to `limit` due chains, one at a time, keeping each result as it is found."""
    done = 0
    for cid in due(session, now, every, limit):
        results = verify(session, cid)
        session.rollback()  # the check only read; nothing may stay open on SQLite
        record(session, results, now)
        done += 1
    return done


def last(session, community_id: int) -> dict:
    """The community's last full check, for its ledger page."""
    check = session.get(LedgerCheck, community_id)
    if check is None:
        return {"pending": False, "checked_at": None, "ok": None, "entries": 0, "broken": None,
                "requested_at": None}
    return {"pending": pending(check), "checked_at": check.checked_at, "ok": check.ok,
            "entries": check.entries, "broken": check.broken, "requested_at": check.requested_at}


def check_due(session, now: datetime) -> int:
    """Job: the chains asked for, and those unchecked for LEDGER_CHECK_HOURS, a few per run."""
    cfg = current_app.config
    return run_due(session, now, timedelta(hours=cfg["LEDGER_CHECK_HOURS"]),
                   cfg["LEDGER_CHECKS_PER_RUN"])
