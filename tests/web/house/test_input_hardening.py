"""Hostile input as a class: query strings of every GET route (fuzzed, each role), ids and
digits in forms, redirect targets, invisible characters, exports after a role removal."""
import base64
import json
from urllib.parse import urlencode, urlsplit

import pytest
from flask import has_request_context, request
from sqlalchemy import func, select

import webapp.schemas as schemas
import webapp.web.pdf as pdf
from tests.conftest import PASSWORD, login
from tests.web.permission_matrix import ROLES
from tests.web.ids_world import RULES, _url
from webapp.models import Claim, ExportJob, RoleGrant, ServiceRecord, User, Wish
from webapp.services.people import accounts
from webapp.services.errors import Invalid
from webapp.services.wishes import claims


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


HOSTILE = ["9" * 30, "-1", "0", "²", "١٣", "𝟏𝟑", "\x00", "x" * 3000, "%ff", "[]",
           "99999999-01", "2026-13", "-2026-01", _cursor(["rest", None, True]),
           _cursor(["all", "9999-12-31T23:59:59", 2**70]), _cursor(["own", "x", 1]), "@@@"]
ALL_AT_ONCE = ["9" * 30, "²", "\x00", "99999999-01", _cursor(["rest", None, True]), "x" * 3000]
ALL_PARAMS = ("next", "cursor", "before", "period", "kind", "community", "unit", "grid",
              "category", "status", "role", "lang", "for", "fmt", "by", "view", "limit")


def _clients(app, db, users):
    """One signed-in client (web) and one bearer token (API) per role."""
    out = {}
    for role in ROLES:
        client = app.test_client()
        token = None
        if role != "anon":
            login(client, users[role])
            token = accounts.issue_token(db, users[role])
        out[role] = (client, token)
    return out


def _get(clients, role, url):
    client, token = clients[role]
    headers = {"Authorization": f"Bearer {token}"} if token and url.startswith("/api/") else {}
    return client.get(url, headers=headers)


GET_RULES = [r for r in RULES if r[0] == "GET" and r[2] != "pwa.service_worker"]
CHUNKS = 8  # the walk is split by route, so the workers share it
REFUSALS = (302, 401, 403, 404)


@pytest.mark.engine_neutral  # query parsing is the app's; runs in the SQLite pass only
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_no_query_string_gets_a_5xx_on_any_get_route(app, db, ids, chunk, monkeypatch):  # noqa: F811
    """Every GET rule of the URL map, as every role: first plainly (recording which query
    schemas the view parses), then each parameter it read alone with each hostile value, then
    every parameter at once. A value one role's schemas refused (422) is not sent again for a
    role whose plain request parsed the very same schemas: validation does not look at the
    role, so the answer would be the same 422 (this halves the walk); a 422 a view gave after
    its schemas accepted the value is not taken as the schema's. A role refused the route
    exactly as another was (same status, same redirect, same schemas read first) is not walked
    again: the refusal ran the same code for both (this saves a quarter of the requests)."""
    parsed: list = []
    invalid: list = []  # schemas that refused the request's query
    real_parse = schemas.parse

    def spy(schema, data):
        if has_request_context() and request.url_rule is not None:
            parsed.append(schema)
            try:
                return real_parse(schema, data)
            except Invalid:
                invalid.append(schema)
                raise
        return real_parse(schema, data)

    monkeypatch.setattr(schemas, "parse", spy)
    real_pdf = pdf.render

    def printed(html, css):  # a route's plain request is printed; its hostile ones stop at HTML
        return real_pdf(html, css) if not request.query_string else b"%PDF-1.7 (walk)"

    monkeypatch.setattr(pdf, "render", printed)
    clients = _clients(app, db, ids.users)
    bad, sent, spared = [], 0, 0
    menu_reads = {}
    for _method, rule, _endpoint, args in GET_RULES[chunk::CHUNKS]:
        base = _url(rule, args, ids.values)
        refused = set()  # (schemas, param, value) some role's schemas answered 422
        turned_away = set()  # how roles were refused here: (status, redirect path, schemas)
        for role in ROLES:
            parsed.clear()
            first = _get(clients, role, base)
            assert first.status_code < 500, (role, rule, first.status_code)
            kinds = frozenset(parsed)
            if first.status_code in REFUSALS:
                how = (first.status_code, urlsplit(first.headers.get("Location", "")).path, kinds)
                if how in turned_away:  # another role was refused just so: the same code path
                    spared += 1
                    continue
                turned_away.add(how)
            reads = {f.alias or n for schema in kinds for n, f in schema.model_fields.items()}
            if rule == "/menu":
                menu_reads[role] = reads
            tries = [{p: v} for p in sorted(reads) for v in HOSTILE]
            # Parameters a view reads without a schema: every name at once, a few values each.
            tries += [dict.fromkeys(ALL_PARAMS, v) for v in ALL_AT_ONCE]
            for params in tries:
                key = (kinds, tuple(params.items())) if len(params) == 1 else None
                if key in refused:
                    spared += 1
                    continue
                invalid.clear()
                resp = _get(clients, role, f"{base}?{urlencode(params)}")
                sent += 1
                if resp.status_code == 422 and key and invalid:  # the schema, not the view
                    refused.add(key)
                if resp.status_code >= 500:
                    bad.append(f"{role} GET {base}?{urlencode(params)[:80]} → {resp.status_code}")
    assert not bad, "\n".join(bad[:40])
    assert sent > spared / 4  # most of the walk is still sent
    if "/menu" in menu_reads:
        for role in ("member", "unit_admin"):
            assert menu_reads[role] >= {"cursor", "category", "grid", "kind"}, role


def test_the_reviewed_500s_are_refused(client, db, world):
    login(client, world.admin)
    assert client.get("/admin/wishes?cursor=" + _cursor(["rest", None, True])).status_code == 422
    assert client.get("/ledger/tallies?period=99999999-01").status_code == 422
    login(client, world.street_admin)
    assert client.get("/ledger/street?period=99999999-01").status_code == 422
    login(client, world.unit_admin)
    assert client.get("/ledger/unit?period=99999999-01").status_code == 422
    login(client, world.member)
    assert client.get("/inbox?before=" + "9" * 30).status_code == 422
    assert client.get("/menu?cursor=" + _cursor(["rest", None, True])).status_code == 422
    assert client.get("/my/wishes?cursor=" + _cursor(["rest", None, True])).status_code == 422
    token = accounts.issue_token(db, world.member)
    r = client.get("/api/v1/wishes?cursor=" + _cursor(["rest", None, True]),
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422 and "cursor" in r.json["error"]["fields"]


# ---- ids and digits in forms -----------------------------------------------------------------

def _arabic(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def test_bulk_approve_takes_only_ascii_ids(client, db, world, make_wish):
    make_wish("closed", estimated_hours=4, volunteers=[world.member2])
    rec = db.scalar(select(ServiceRecord).where(ServiceRecord.approval == "pending"))
    login(client, world.admin)
    for value in ("²", _arabic(rec.id), "𝟏", "-1", "9" * 30, "\x00", "1e3"):
        r = client.post("/ledger/records/bulk-approve", data={"record_ids": value})
        assert r.status_code == 422, value
    db.expire_all()
    assert db.get(ServiceRecord, rec.id).approval == "pending"  # ١٣ was never read as 13
    r = client.post("/ledger/records/bulk-approve", data={"record_ids": str(rec.id)})
    assert r.status_code == 302
    db.expire_all()
    assert db.get(ServiceRecord, rec.id).approval == "approved"


def test_form_ids_in_other_digits_are_refused(client, db, world, make_wish):
    wish = make_wish("published", capacity=2)
    login(client, world.unit_admin)
    r = client.post(f"/wishes/{wish.id}/unit-claim",
                    data={"member_ids": _arabic(world.member.id)})
    assert r.status_code == 422
    assert db.scalar(select(Claim).where(Claim.wish_id == wish.id)) is None
    login(client, world.admin)
    for target in (f"member:{_arabic(world.member.id)}", "member:²"):
        r = client.post(f"/admin/wishes/{wish.id}/dispatch", data={"target": target})
        assert r.status_code == 422, target
    assert client.get(f"/wishes/{_arabic(wish.id)}").status_code == 404  # the URL converter
    assert client.get(f"/menu?category={_arabic(world.cat.id)}").status_code == 422
    assert client.get(f"/admin/wishes?grid={_arabic(world.ga1.id)}").status_code == 422


def _register(client, phone, name="新居民"):
    return client.post("/register", data={
        "phone": phone, "name": name, "password": "long-enough-1", "role": "resident",
        "building_id": "", "consent": "on"})


def test_phones_full_width_fold_other_digits_are_refused(client, db, world):
    form = {"password": "long-enough-1", "role": "resident", "consent": "on"}
    r = client.post("/register", data={**form, "phone": "１３８００１３８０９９", "name": "全角",
                                       "building_id": str(world.ba1.id)})
    assert r.status_code == 302
    assert db.scalar(select(User.phone).where(User.name == "全角")) == "13800138099"
    for phone in ("13٨00138098", "138001380৯৮", "1𝟑800138097", "13800138099"):
        r = client.post("/register", data={**form, "phone": phone, "name": "异体",
                                           "building_id": str(world.ba1.id)})
        assert r.status_code == 422, phone  # other digits refused; the folded one is taken
    assert db.scalar(select(User.id).where(User.name == "异体")) is None
    r = client.post("/api/v1/auth/register", json={
        "phone": "13٨00138096", "name": "接口", "password": "long-enough-1",
        "building_id": world.ba1.id, "consent": True})
    assert r.status_code in (404, 422)
    login(client, world.grid_worker)
    r = client.post("/residents/new", data={"name": "代登", "building_id": str(world.ba1.id),
                                            "phone": "13٨00138095"})
    assert r.status_code == 422
    r = client.post("/residents/new", data={"name": "代登", "building_id": _arabic(world.ba1.id)})
    assert r.status_code == 422


def test_names_and_titles_lose_bidi_and_zero_width_characters(client, db, world):
    r = client.post("/register", data={
        "phone": "13800138011", "name": "\u202e王\u200b芳\u2066\ufeff", "password": "long-enough-1",
        "role": "resident", "building_id": str(world.ba1.id), "consent": "on"})
    assert r.status_code == 302
    assert db.scalar(select(User.name).where(User.phone == "13800138011")) == "王芳"
    login(client, world.resident)
    client.post("/wishes/new", data={"kind": "service", "title": "帮忙\u202egnp.exe\u2060修灯",
                                      "category": str(world.cat.id), "capacity": "1",
                                      "estimated_hours": "1"})
    assert db.scalar(select(Wish.title).order_by(Wish.id.desc())) == "帮忙gnp.exe修灯"
    n = db.scalar(select(func.count(Wish.id)))
    r = client.post("/wishes/new", data={"kind": "service", "title": "\u200b\u200b",
                                          "category": str(world.cat.id)})
    assert 'id="err-title"' in r.get_data(as_text=True)  # nothing visible left: refused
    assert db.scalar(select(func.count(Wish.id))) == n


# ---- redirect targets ------------------------------------------------------------------------

EVIL_NEXT = ["//evil.com", "/\t/evil.com", "/\n/evil.com", "/\r\n/evil.com", "\t//evil.com",
             " //evil.com", "/\\evil.com", "\\/evil.com", "///evil.com", "https://evil.com",
             "javascript:alert(1)", "/\x00/evil.com", "/\u3000/evil.com", "/\x0b/evil.com",
             "/%09/../\t/evil.com"]


def _offsite(location: str) -> bool:
    # What a browser does: drop tabs and newlines, trim spaces and controls, then resolve.
    cleaned = "".join(c for c in location if c not in "\t\n\r").strip(" \x00\x0b\x0c")
    parts = urlsplit(cleaned)
    return bool(parts.netloc and parts.netloc != "localhost") or cleaned.startswith(
        ("//", "\\", "/\\")) or parts.scheme not in ("", "http")


@pytest.mark.parametrize("target", EVIL_NEXT, ids=[repr(t) for t in EVIL_NEXT])
def test_no_next_leads_off_site(app, db, world, make_wish, target):
    wish = make_wish("published", capacity=3)
    claim = claims.claim(db, world.member, wish.id)[0]
    c = app.test_client()
    answers = [c.post("/login", data={"phone": world.member.phone, "password": PASSWORD,
                                      "next": target}),
               c.get("/login?" + urlencode({"next": target})),
               c.post(f"/claims/{claim.id}/release", data={"next": target})]
    mine = make_wish("published", title="要撤回的心愿")
    login(c, world.resident)
    answers.append(c.post(f"/wishes/{mine.id}/withdraw", data={"next": target}))
    for resp in answers:
        assert resp.status_code in (302, 303), resp.status_code
        assert not _offsite(resp.headers["Location"]), resp.headers["Location"]
    assert db.get(Claim, claim.id).status == "released"  # the actions themselves still ran


def test_a_safe_next_is_still_honoured(client, db, world, make_wish):
    wish = make_wish("published", capacity=3)
    claim = claims.claim(db, world.member, wish.id)[0]
    login(client, world.member)
    r = client.post(f"/claims/{claim.id}/release", data={"next": f"/wishes/{wish.id}?x=1"})
    assert urlsplit(r.headers["Location"]).path == f"/wishes/{wish.id}"


# ---- exports after the role is gone ----------------------------------------------------------

def test_exports_are_refused_once_the_admin_role_is_removed(app, client, db, world, tmp_path,
                                                            monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    (tmp_path / "ledger-x.xlsx").write_bytes(b"PK")
    job = ExportJob(community_id=world.ca.id, requested_by_id=world.admin.id, kind="ledger",
                    fmt="xlsx", params={}, status="done", progress=100, file_path="ledger-x.xlsx")
    db.add(job)
    db.commit()
    login(client, world.admin)
    assert client.get(f"/ledger/exports/{job.id}").status_code == 200
    assert client.get(f"/ledger/exports/{job.id}/file").status_code == 200
    grant = db.scalar(select(RoleGrant).where(RoleGrant.user_id == world.admin.id,
                                              RoleGrant.role == "community_admin"))
    grant.active = False
    db.commit()
    for url in (f"/ledger/exports/{job.id}", f"/ledger/exports/{job.id}/file",
                "/ledger/tallies/export?fmt=csv"):
        assert client.get(url).status_code == 403, url
    assert client.post("/ledger/export").status_code == 403


def test_quiet_hours_take_full_width_but_not_other_digits(client, db, world):
    login(client, world.resident)
    form = {"quiet_enabled": "1", "quiet_end": "07:00"}
    r = client.post("/settings/notifications", data={**form, "quiet_start": "٢٢:٠٠"})
    assert r.status_code == 422
    r = client.post("/settings/notifications", data={**form, "quiet_start": "２２：００"})
    assert r.status_code == 302
    from webapp.models import NotificationPreference
    assert db.get(NotificationPreference, world.resident.id).quiet_start == "22:00"
