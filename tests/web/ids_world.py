"""The world every route is walked against (the permission sweep, the query walk, the audit
logs): every URL parameter of the map with a real object behind it, built once per module
through the services and put back before each test (tests/snapshot.py). Also the URL map's
rules and how the sweeps request and count.
"""
from datetime import date, datetime, timezone
from functools import cache
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text

from config import TestConfig
from tests.conftest import _wipe, build_world, login, user_factory, wish_factory
from tests.snapshot import Snapshot, refs, reload
from tests.web.permission_matrix import BODIES
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
                    "the `ids` fixture in tests/web/ids_world.py")
    url = rule
    for a in args:
        start = url.index("<")
        url = url[:start] + str(values[a]) + url[url.index(">", start) + 1:]
    return url


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


def _notice(session, world) -> int:
    """A running notice of honours of community A (it names the certificate above)."""
    from webapp.services.ledger import honours
    from webapp.services.ledger.periods import local
    now = datetime.now(timezone.utc)
    return honours.publish(session, world.admin, world.ca.id, local(now).year, 7, now=now).id
