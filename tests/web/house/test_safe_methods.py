"""Safe methods change nothing: HEAD and OPTIONS on every URL, as anyone, with a form body.

A view that branched on `request.method == "GET"` used to treat HEAD as a POST (no CSRF, no
POST rate limit): a password guess through HEAD /login returned a session. This walks the whole
URL map, so a view added later the same way fails here too.
"""
import hashlib
from itertools import product

import pytest
from flask import request
from sqlalchemy import func, select, text

from config import TestConfig
from tests.conftest import PASSWORD
from webapp import create_app
from webapp.extensions import db as _db
from webapp.models import (Certificate, Claim, Disclosure, ExportJob, LedgerEntry,
                           Notification, Registration, ServiceRecord)
from webapp.schemas.inputs import Register
from webapp.services.people import accounts

# Runs once, in the SQLite pass of scripts/test.sh: GET/HEAD never writing is the app guard, the same on both engines.
pytestmark = pytest.mark.engine_neutral  # its table snapshots cost SQLite less than PostgreSQL


def _snapshot() -> str:
    """A checksum of every committed row of every table (a separate connection)."""
    h = hashlib.sha256()
    with _db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # One round trip: the server hashes each table's rows (in a fixed order) itself.
            parts = [f"SELECT '{t.name}', count(*), md5(coalesce(string_agg(x::text, ',' "
                     f"ORDER BY x::text), '')) FROM \"{t.name}\" x"
                     for t in _db.metadata.sorted_tables]
            h.update(repr(conn.execute(text(" UNION ALL ".join(parts))).all()).encode())
            return h.hexdigest()
        for table in _db.metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
            h.update(f"{table.name}:{len(rows)}:{rows}".encode())
    return h.hexdigest()


def _ids(db, model) -> list[int]:
    return list(db.scalars(select(model.id).order_by(model.id).limit(3))) or [1]


@pytest.fixture
def scene(db, world, make_wish):
    """Something for every kind of path variable: wishes in each state, claims, records…"""
    wishes = [make_wish("pending_review"), make_wish("published"),
              make_wish("claimed", volunteers=[world.member2]),
              make_wish("in_service", volunteers=[world.member]),
              make_wish("done", volunteers=[world.member3])]
    accounts.register(db, Register(phone="13700000555", name="新党员", password="long-enough-pw",
                                   role="member", building_id=world.ba1.id, consent=True))
    values = {
        "wish_id": [w.id for w in wishes],
        "claim_id": sorted(set(_ids(db, Claim)) | set(db.scalars(
            select(Claim.id).where(Claim.status.in_(("active", "started")))))),
        "reg_id": _ids(db, Registration), "cert_id": _ids(db, Certificate),
        "entry_id": _ids(db, LedgerEntry), "record_id": _ids(db, ServiceRecord),
        "job_id": _ids(db, ExportJob), "notification_id": _ids(db, Notification),
        "unit_id": [world.unit.id], "category_id": [world.cat.id],
        "token": ["not-a-token"], "filename": ["css/app.css"],
        "user_id": [world.resident.id, world.member.id], "member_id": [world.member.id],
        "org_id": [world.ca.id, world.ga1.id, world.ba1.id], "community_id": [world.ca.id],
        "grid_id": [world.ga1.id], "building_id": [world.ba1.id],
        "grant_id": sorted(g.id for g in world.grid_worker.roles),
    }
    actors = {"anonymous": None}
    for name in ("resident", "member", "unit_admin", "grid_worker", "admin", "street_admin"):
        actors[name] = getattr(world, name).get_id()
    common = {  # every field a form of this site reads, with values that would be accepted
        "password": PASSWORD, "name": "新居民", "role": "resident", "consent": "1",
        "building_id": str(world.ba1.id), "address": "1单元101", "kind": "service",
        "title": "安全方法测试心愿", "description": "不应写入", "category": str(world.cat.id),
        "capacity": "1", "estimated_hours": "1", "on_behalf_of": str(world.resident.id),
        "rating": "5", "comment": "好", "note": "回访", "confirm": "注销", "decision": "approve",
        "reason": "测试", "target": f"member:{world.member.id}", "hours": "1",
        "member_ids": str(world.member.id), "locale": "en", "elder_mode": "1",
        "quiet_enabled": "1", "quiet_start": "22:00", "quiet_end": "07:00",
        "events": "claimed", "skills_match": "1", "next": "/me",
    }
    bodies = [dict(common, phone=world.resident.phone),  # a real account: login, delete
              dict(common, phone="13700000999")]  # a new person: sign-up, 代为登记
    return values, actors, bodies


def _choices(rule, name, values) -> list:
    """The values to try for one path variable: the scene's, a word converter's own words
    (`<any(a, b):verb>`), else ids 1 and 2 (they exist for every table the world fills)."""
    if name in values:
        return values[name]
    words = getattr(rule._converters.get(name), "items", None)
    return sorted(words) if words else [1, 2]


def _paths(app, values):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        names = sorted(rule.arguments)
        # A path variable this scene does not know yet still gets tried (ids 1 and 2 exist for
        # every table the world fixture fills), so a new route is never left out.
        for combo in product(*(_choices(rule, n, values) for n in names)):
            yield rule, rule.build(dict(zip(names, combo)), append_unknown=False)[1]


def _cookie_users(app, response) -> set:
    """The user ids carried by every session cookie the response sets."""
    serializer = app.session_interface.get_signing_serializer(app)
    found = set()
    for header in response.headers.getlist("Set-Cookie"):
        name, _eq, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if name == app.config["SESSION_COOKIE_NAME"] and value:
            found.add(serializer.loads(value).get("_user_id"))
    return found - {None}


@pytest.mark.slow  # about a thousand requests
def test_head_and_options_never_write_nor_sign_in(app, db, scene):
    values, actors, bodies = scene
    db.commit()
    _db.session.remove()
    serializer = app.session_interface.get_signing_serializer(app)
    cookies = {actor: serializer.dumps({"_user_id": sid, "_fresh": True})
               for actor, sid in actors.items() if sid}
    before = _snapshot()
    failures, tried = [], 0
    for rule, path in _paths(app, values):
        # Auto-OPTIONS never reaches a view: one body is enough for it.
        for (actor, sid), (method, body) in product(actors.items(), [
                ("HEAD", bodies[0]), ("HEAD", bodies[1]), ("OPTIONS", bodies[0])]):
            client = app.test_client()
            if sid:
                client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookies[actor])
            r = client.open(path, method=method, data=body)
            _db.session.remove()  # as a server does after each request
            tried += 1
            strangers = _cookie_users(app, r) - {sid}
            if strangers:
                failures.append(f"{method} {path} as {actor}: session for {strangers}")
            assert r.status_code < 500, (method, path, actor, r.status_code)
        after = _snapshot()  # once per path (every actor, both methods): the run stays short
        if after != before:
            failures.append(f"HEAD/OPTIONS {path}: the database changed")
            before = after
    assert tried > 1000  # the whole map was walked, every actor, both methods
    assert not failures, "\n".join(failures)


def test_a_safe_request_has_no_body(db):
    """GET, HEAD and OPTIONS reach the app with no body (form, JSON); POST still has it."""
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
    other = create_app(Cfg)
    seen = []

    @other.route("/echo", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
    def echo():
        seen.append((request.method, request.form.to_dict(), request.get_data()))
        return "ok"
    c = other.test_client()
    for method in ("GET", "HEAD", "OPTIONS"):
        c.open("/echo", method=method, data={"phone": "13800000101"})
        c.open("/echo", method=method, json={"phone": "13800000101"})
    c.post("/echo", data={"phone": "13800000101"})
    assert [s for s in seen if s[0] != "POST"] == [(m, {}, b"") for m in
                                                  ("GET", "GET", "HEAD", "HEAD", "OPTIONS",
                                                   "OPTIONS")]
    assert seen[-1] == ("POST", {"phone": "13800000101"}, b"")  # form parsed, stream consumed


def test_head_keeps_no_write_that_get_makes(client, db, world, make_wish):
    """A GET of a claimed wish logs the contact disclosure; a HEAD (nothing shown) does not."""
    path = f"/wishes/{make_wish('claimed', volunteers=[world.member]).id}"
    client.set_cookie("session", client.application.session_interface.get_signing_serializer(
        client.application).dumps({"_user_id": world.member.get_id(), "_fresh": True}))
    count = lambda: db.scalar(select(func.count()).select_from(Disclosure))  # noqa: E731
    assert client.head(path).status_code == 200
    _db.session.remove()
    assert count() == 0
    assert client.get(path).status_code == 200
    _db.session.remove()
    assert count() == 1


def test_head_login_with_the_right_password_is_not_a_login(client, world):
    r = client.head("/login", data={"phone": world.resident.phone, "password": PASSWORD})
    assert r.status_code == 200
    assert not _cookie_users(client.application, r)
    with client.session_transaction() as s:
        assert "_user_id" not in s
