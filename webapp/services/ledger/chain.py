"""The ledger's hash chain: canonical hashing of entries and verification of each chain.

Each entry's hash covers its content and the previous entry's hash, so changing, inserting or
deleting a row in the database breaks the chain at that row (tests/unit/ledger/test_ledger.py).
"""
import hashlib
import json
from datetime import timezone
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...models import LedgerChain, LedgerEntry, Org, utcnow

GENESIS = "0" * 64

HASHED_FIELDS = ("community_id", "seq", "volunteer_id", "unit_id", "wish_id", "record_id",
                 "grid_id", "category_id", "service_date", "service_month", "hours", "points",
                 "kind", "reverses_id", "reason", "actor_id", "created_at", "prev_hash")
# Hashed when set, left out when NULL: entries written before these existed keep their hash.
OPTIONAL_HASHED = ("basis",)


def _canon(value):
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    if hasattr(value, "astimezone"):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return value


def entry_hash(values) -> str:
    """SHA-256 over the canonical JSON of an entry's content and its previous hash."""
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k)
    doc = {k: _canon(get(k)) for k in HASHED_FIELDS}
    for k in OPTIONAL_HASHED:
        v = values.get(k) if isinstance(values, dict) else getattr(values, k, None)
        if v is not None:
            doc[k] = _canon(v)
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def verify(session, community_id: int | None = None, last: int | None = None) -> list[dict]:
    """Check every chain (or one): seq, links and hashes; name the first broken entry.

    `last` (one community only) checks just the newest `last` entries, linked onto the stored
    hash before them: the quick check a page can afford; the CLI and the job check all.
    """
    heads = {c.community_id: c for c in session.scalars(select(LedgerChain))}
    # The hashed columns as plain rows, not entries: building 200 objects cost the page more
    # than hashing them (issue 27).
    q = (select(LedgerEntry.id, LedgerEntry.hash, *(getattr(LedgerEntry, k) for k in (
        *HASHED_FIELDS, *OPTIONAL_HASHED))).order_by(LedgerEntry.community_id, LedgerEntry.seq))
    state: dict[int, tuple[int, str]] = {}
    if community_id is not None:
        q = q.where(LedgerEntry.community_id == community_id)
        head = heads.get(community_id)
        if last and head and head.last_seq > last:
            start = head.last_seq - last + 1
            q = q.where(LedgerEntry.seq >= start)
            before = session.scalar(select(LedgerEntry.hash).where(
                LedgerEntry.community_id == community_id, LedgerEntry.seq == start - 1))
            state[community_id] = (start - 1, before or "")
    results: dict[int, dict] = {}
    for row in session.execute(q.execution_options(yield_per=5000)):
        e = dict(row._mapping)
        cid = e["community_id"]
        res = results.setdefault(cid, {"community_id": cid, "ok": True, "entries": 0,
                                       "broken": None})
        res["entries"] += 1
        if not res["ok"]:
            continue
        seq, prev = state.get(cid, (0, GENESIS))
        problem = None
        if e["seq"] != seq + 1:
            problem = _l("序号不连续（应为 %(n)s）", n=seq + 1)
        elif e["prev_hash"] != prev:
            problem = _l("与上一条的链接不符")
        elif entry_hash(e) != e["hash"]:
            problem = _l("内容与哈希不符（记录被改动）")
        if problem:
            res.update(ok=False, broken={"id": e["id"], "seq": e["seq"], "problem": str(problem)})
        state[cid] = (e["seq"], e["hash"])
    for cid, head in heads.items():
        if community_id is not None and cid != community_id:
            continue
        res = results.setdefault(cid, {"community_id": cid, "ok": True, "entries": 0,
                                       "broken": None})
        if res["ok"] and state.get(cid, (0, GENESIS)) != (head.last_seq, head.last_hash):
            res.update(ok=False, broken={"id": None, "seq": head.last_seq,
                                         "problem": str(_l("链尾与最后一条记录不符（记录被删除？）"))})
    names = dict(session.execute(select(Org.id, Org.name).where(Org.id.in_(results))).all())
    for r in results.values():
        r["name"] = names.get(r["community_id"], "")
    return sorted(results.values(), key=lambda r: r["community_id"])


# The ledger page re-hashes this many newest entries on each view; the whole chain is checked by
# the job process (checks.py): 1,000 cost ~150 ms a view at district size, and the page's growth
# over the demo (where a chain is shorter than that) was 3.1x (bench/district.py, issue 27).
QUICK_CHECK = 200


def chain_state(session, community_id: int) -> dict:
    """The community's chain: length, head hash, and whether its newest entries verify."""
    res = verify(session, community_id, QUICK_CHECK)
    r = res[0] if res else {"ok": True, "entries": 0, "broken": None}
    head = session.get(LedgerChain, community_id)
    r["head"] = head.last_hash if head else GENESIS
    r["length"] = head.last_seq if head else 0
    r["full"] = r["length"] <= QUICK_CHECK
    r["checked_at"] = utcnow()  # the check ran just now, on this request
    return r
