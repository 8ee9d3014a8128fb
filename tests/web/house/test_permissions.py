"""The permission matrix: every rule of the URL map × every role → the outcome in EXPECTED.

Rules come from `app.url_map` at collection time, so a new route without an entry in
tests/web/permission_matrix.py fails here. Each rule runs against a fresh world; the roles
expected to be refused go first, and a refused request must not write anything.
"""
from datetime import date, datetime, timezone
from functools import cache
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, text

from config import TestConfig
from tests.conftest import _wipe, build_world, login, user_factory, wish_factory
from tests.snapshot import Snapshot, refs, reload
from tests.web.permission_matrix import BODIES, EXPECTED, OUTCOMES, ROLES
from webapp import create_app
from webapp.extensions import db as _db
from webapp.models import (ApiToken, Disclosure, Notification, Registration, ServiceRecord,
                           User)
from webapp.schemas.inputs import Register
from webapp.services.people import accounts
from webapp.services.wishes import claims
from webapp.services.ledger.exports import export_dir

SKIP_METHODS = {"HEAD", "OPTIONS"}


def _rules():
    """(method, rule, endpoint) of every route but static files, read from a fresh app."""
    app = create_app(TestConfig)
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        for method in sorted(rule.methods - SKIP_METHODS):
            out.append((method, rule.rule, rule.endpoint, sorted(rule.arguments)))
    return sorted(out, key=lambda r: (r[1], r[0]))


RULES = _rules()


EXPORT_FILE = "ledger-perm.xlsx"
ROLE_USERS = {"resident": "resident", "member": "member", "unit_admin": "unit_admin",
              "grid_worker": "grid_worker", "community_admin": "admin",
              "street_admin": "street_admin", "outsider": "admin_b", "other_street": "other"}


@pytest.fixture(scope="module")
def _ids_built(app, password_hash, tmp_path_factory):
    """The `ids` world, built once for the module through the services, then copied aside."""
    exports = tmp_path_factory.mktemp("exports")
    ctx = app.app_context()
    ctx.push()
    saved = app.config.get("EXPORT_DIR")
    app.config["EXPORT_DIR"] = str(exports)
    snap = None
    try:
        session = _db.session
        make_user = user_factory(session, password_hash)
        world = build_world(session, make_user)
        world, values, other = _build_ids(app, session, world, make_user,
                                          wish_factory(session, world))
        world.other = other
        session.commit()
        snap = Snapshot(_db.engine, _db.metadata, "ids")
        yield snap, values, refs(world), exports, _written(session)
    finally:
        app.config["EXPORT_DIR"] = saved
        _db.session.remove()
        ctx.pop()
        if snap is not None:
            snap.drop()
        _wipe(app)


@pytest.fixture
def ids(app, db, _ids_built, monkeypatch):
    """Real objects for every URL parameter name used by a rule: the module's world, put back
    as it was built (a test's requests may change it), its rows read in this test's session."""
    snap, values, references, exports, pristine = _ids_built
    snap.restore()
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(exports))
    (export_dir(app) / EXPORT_FILE).write_bytes(b"PK")
    world = reload(db, references)
    return SimpleNamespace(values=values, world=world, pristine=pristine,
                           users={role: getattr(world, attr) for role, attr in ROLE_USERS.items()})


def _build_ids(app, db, world, make_user, make_wish):
    """Build what `ids` names: a wish in each state, a record, a certificate, lists, …"""
    from webapp.models import Certificate, ExportJob, ImportJob, LedgerEntry
    wish = make_wish("published", capacity=3)
    claim = claims.claim(db, world.member, wish.id)[0]
    pending_rec = make_wish("closed", estimated_hours=4, volunteers=[world.member2])
    record = db.scalar(select(ServiceRecord).where(ServiceRecord.wish_id == pending_rec.id))
    make_wish("closed", estimated_hours=1.5, volunteers=[world.member], title="帮忙取快递")
    entry = db.scalar(select(LedgerEntry).where(LedgerEntry.volunteer_id == world.member.id))
    _user, reg = accounts.register(db, Register(
        consent=True, phone="13700000077", name="待审党员", password="long-enough-1", role="member",
        building_id=world.ba1.id))
    now = datetime.now(timezone.utc)
    cert = Certificate(number="ZY-TEST-1", volunteer_id=world.member.id, community_id=world.ca.id,
                       period_from=date(2026, 1, 1), period_to=now.date(), hours=1.5,
                       services=1, content="助老助残", issuer_name="城西社区", head_name="孙书记",
                       officer_name="周干事", contact="0571-1", issued_by_id=world.admin.id,
                       issued_at=now, token="t" * 32)
    export = export_dir(app) / EXPORT_FILE
    job = ExportJob(community_id=world.ca.id, requested_by_id=world.admin.id, kind="ledger",
                    fmt="xlsx", params={}, status="done", progress=100, file_path=export.name)
    imp = ImportJob(kind="residents", org_id=world.ca.id, requested_by_id=world.admin.id,
                    filename="居民.csv", sha256="0" * 64, status="done", counts={}, errors=[])
    db.add_all([cert, job, imp])
    db.commit()
    from webapp.services.admin import invites  # another community asks `member` (issue 20)
    inv = invites.invite(db, world.admin_b, world.member, "appoint", world.gb1,
                         {"role": "grid_worker"})
    db.commit()
    other = _other_street(db, make_user)
    note = db.scalar(select(Notification).where(Notification.user_id == world.resident.id))
    from tests.web.apilists import lists_objects
    lists = lists_objects(db, world)
    from tests.web.apipairing import pairing_objects
    lists.update(pairing_objects(db, world), household_ids=[world.resident.id])
    lists["pairing_ids"] = [lists["pairing_id"]]
    from tests.shoputil import shop_objects
    lists.update(shop_objects(db, world))
    from webapp.services.voice import complaints  # issue 29 §2: the resident's, about `wish`
    lists["complaint_id"] = complaints.raise_(db, world.resident, "wish", wish.id, "迟到了").id
    return world, {**lists,
        "wish_id": wish.id, "claim_id": claim.id, "reg_id": reg.id, "registration_id": reg.id,
        "record_id": record.id, "entry_id": entry.id, "cert_id": cert.id, "token": cert.token,
        "job_id": job.id, "unit_id": world.unit.id, "category_id": world.cat.id,
        "notification_id": note.id, "user_id": world.resident.id, "member_id": world.member.id,
        "org_id": world.ga2.id, "community_id": world.ca.id, "grid_id": world.ga1.id,
        "building_id": world.ba1.id, "grant_id": _grant(db, world.grid_worker, "grid_worker"),
        "import_id": imp.id, "invitation_id": inv.id, "notice_id": _notice(db, world),
    }, other


def _grant(session, user, role) -> int:
    from webapp.models import RoleGrant
    return session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == user.id,
                                                     RoleGrant.role == role))


def _other_street(session, make_user):
    """A second street whose one staff account holds every staff role there."""
    from webapp.services.people import orgs as org_svc
    street = org_svc.add_org(session, "street", "另一街道")
    community = org_svc.add_org(session, "community", "河北社区", street)
    grid = org_svc.add_org(session, "grid", "河北一网格", community)
    building = org_svc.add_org(session, "building", "河北1栋", grid)
    session.commit()
    return make_user("蒋街道", "13800000199", building, [
        ("street_admin", street, None), ("community_admin", community, None),
        ("grid_worker", grid, None)])



def _url(rule: str, args, values) -> str:
    unknown = [a for a in args if a not in values]
    if unknown:
        pytest.fail(f"No fixture value for URL parameter(s) {unknown} of {rule}: add them to "
                    "the `ids` fixture in tests/web/house/test_permissions.py")
    url = rule
    for a in args:
        start = url.index("<")
        url = url[:start] + str(values[a]) + url[url.index(">", start) + 1:]
    return url


def _expected(endpoint: str, method: str, rule: str) -> dict:
    entry = EXPECTED.get(f"{endpoint} {method}") or EXPECTED.get(endpoint)
    if entry is None:
        pytest.fail(f"No EXPECTED entry for {endpoint} ({method} {rule}): add it to "
                    "tests/web/permission_matrix.py with an outcome for every role.")
    missing = [r for r in ROLES if r not in entry]
    assert not missing, f"EXPECTED[{endpoint!r}] lacks roles {missing}"
    assert set(entry.values()) <= set(OUTCOMES), entry
    return entry


def _outcome(resp, api: bool) -> str:
    code = resp.status_code
    if code == 401:
        return "login"
    if 300 <= code < 400:
        target = urlsplit(resp.headers.get("Location", "")).path
        return "login" if (not api and target.rstrip("/") == "/login") else "ok"
    if code in (403, 404):
        return "deny"
    if 200 <= code < 300 or code in (409, 422):
        return "ok"
    return f"status {code}"


@cache
def _counts_sql():
    """The row count of every table but tokens and disclosure logs, in one statement: one round
    trip, and the same text each time (built once; PostgreSQL plans it once per connection)."""
    return text(" UNION ALL ".join(
        f"SELECT '{table.name}' AS t, count(*) AS n FROM \"{table.name}\""
        for table in _db.metadata.sorted_tables
        if table.name not in (ApiToken.__tablename__, Disclosure.__tablename__)))


def _written(session) -> tuple:
    """What a refused request must not change (tokens and disclosure logs aside): the row count
    of every table, the registrations' states, the last user id."""
    session.expire_all()
    counts = _counts_sql()
    reg_states = tuple(session.execute(select(Registration.id, Registration.status)
                                       .order_by(Registration.id)).all())
    return (tuple(sorted(session.execute(counts).all())), reg_states,
            session.scalar(select(func.max(User.id))))


def _body(endpoint: str, method: str, values: dict) -> dict:
    sample = BODIES.get(f"{endpoint} {method}") or BODIES.get(endpoint) or {}
    out = {}
    for key, value in sample.items():
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            value = values[value[1:-1]]
        out[key] = value
    return out


def _request(app, method, url, role, users, api, body):
    client = app.test_client()
    headers = {}
    if role != "anon":
        user = users[role]
        if api:
            headers["Authorization"] = "Bearer " + accounts.issue_token(_db.session, user)
        else:
            login(client, user)
    kwargs = {"headers": headers}
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        if api:
            kwargs["json"] = body
        elif body:
            kwargs["data"] = {k: str(v) for k, v in body.items()}
    return client.open(url, method=method, **kwargs)


@pytest.mark.parametrize("method,rule,endpoint,args", RULES,
                         ids=[f"{m} {r}" for m, r, _e, _a in RULES])
def test_permission_matrix(app, db, ids, method, rule, endpoint, args):
    expected = _expected(endpoint, method, rule)
    url = _url(rule, args, ids.values)
    api = rule.startswith("/api/")
    body = _body(endpoint, method, ids.values)
    # Refusals first, on a pristine world; then the allowed roles (409/422 still count as ok).
    order = sorted(ROLES, key=lambda r: expected[r] == "ok")
    wrong = []
    for role in order:
        # Refused roles go first, so each starts from the world as restored: what `_written`
        # counted once when it was built (a refused role that wrote is caught as it writes).
        before = ids.pristine if expected[role] != "ok" else None
        resp = _request(app, method, url, role, ids.users, api, body)
        got = _outcome(resp, api)
        if got != expected[role]:
            wrong.append(f"{role}: expected {expected[role]}, got {got} ({resp.status_code})")
        elif before is not None and _written(db) != before:
            wrong.append(f"{role}: refused ({resp.status_code}) but data changed")
    assert not wrong, f"{method} {rule} [{endpoint}]:\n  " + "\n  ".join(wrong)


def test_a_route_without_an_entry_fails_with_a_hint():
    with pytest.raises(pytest.fail.Exception, match="add it to tests/web/permission_matrix.py"):
        _expected("newbp.new_page", "GET", "/new")
    with pytest.raises(pytest.fail.Exception, match="add them to the `ids` fixture"):
        _url("/things/<int:thing_id>", ["thing_id"], {"wish_id": 1})


def test_no_stale_entries():
    """Every EXPECTED/BODIES key names a live endpoint (renamed routes must move their entry)."""
    live = {e for _m, _r, e, _a in RULES} | {f"{e} {m}" for m, _r, e, _a in RULES}
    stale = sorted((set(EXPECTED) | set(BODIES)) - live)
    assert not stale, f"remove or rename in tests/web/permission_matrix.py: {stale}"


def _notice(session, world) -> int:
    """A running notice of honours of community A (it names the certificate above)."""
    from webapp.services.ledger import honours
    from webapp.services.ledger.periods import local
    now = datetime.now(timezone.utc)
    return honours.publish(session, world.admin, world.ca.id, local(now).year, 7, now=now).id
