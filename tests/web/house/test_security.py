"""Security hardening: headers (CSP, frames, HSTS behind a proxy), secure cookies, rate limits."""
import importlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
import time_machine

import config as settings
from tests.conftest import PASSWORD, login
from tests.web.apiutil import Api
from webapp import create_app
from webapp.extensions import limiter
from webapp.models import Wish

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "webapp" / "templates"


@pytest.fixture
def limits_on(app):
    """Rate limits switched on for one test (TestConfig keeps them off), with empty counters."""
    limiter.enabled = True
    limiter.reset()
    yield limiter
    limiter.reset()
    limiter.enabled = False


def _second_app(**overrides):
    class Cfg(settings.TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
    for k, v in overrides.items():
        setattr(Cfg, k, v)
    return create_app(Cfg)


def test_headers_on_every_kind_of_response(client, world):
    login(client, world.resident)
    for path in ("/", "/login", "/api/v1/openapi.json", "/no-such-page"):
        r = client.get(path)
        csp = r.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        for part in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                     "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'self'",
                     "form-action 'self'"):
            assert part in csp, (path, part)
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in r.headers, path  # plain HTTP


def test_hsts_only_over_https(client):
    r = client.get("/login", base_url="https://wishgrid.example")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Without a configured proxy, a forged X-Forwarded-Proto is not believed.
    r = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in r.headers


def test_proxy_fix_trusts_configured_proxy_only():
    app = _second_app(PROXY_COUNT=1)
    c = app.test_client()
    r = c.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert "Strict-Transport-Security" in r.headers
    assert "Strict-Transport-Security" not in c.get("/login").headers


def test_cookie_secure_env_sets_secure_cookies(monkeypatch):
    monkeypatch.setenv("COOKIE_SECURE", "1")
    try:
        cfg = importlib.reload(settings)
        assert cfg.Config.SESSION_COOKIE_SECURE and cfg.Config.REMEMBER_COOKIE_SECURE

        class Cfg(cfg.TestConfig):
            SQLALCHEMY_DATABASE_URI = "sqlite://"
            SESSION_COOKIE_SECURE = cfg.Config.SESSION_COOKIE_SECURE
        app = create_app(Cfg)
        c = app.test_client()
        with c.session_transaction() as s:
            s["x"] = 1
        r = c.get("/login", base_url="https://wishgrid.example")
        cookie = r.headers.get("Set-Cookie", "")
        assert "session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
    finally:
        monkeypatch.delenv("COOKIE_SECURE")
        importlib.reload(settings)


def test_templates_have_nothing_csp_would_block():
    """CSP has no unsafe-inline: no inline <script>, <style>, style= or on*= handlers."""
    bad = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=\s*[\"']",
                     re.I)
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.S)
        found += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in bad.finditer(text)]
    assert not found, found


def test_limited_views_exist(app):
    """Every configured limit is attached to a real view (names drift when views move)."""
    from webapp.web.security import attach_limits
    for kind, endpoints in app.config["RATE_LIMITED_ENDPOINTS"].items():
        for e in endpoints:
            assert e in app.view_functions, (kind, e)
    assert set(attach_limits(app)) == {e for es in app.config["RATE_LIMITED_ENDPOINTS"].values()
                                       for e in es}


def test_the_limiter_hook_is_gone_when_no_limit_needs_it(app, monkeypatch):
    """No application/default limits: no per-request limiter check (the views check theirs)."""
    from flask import Flask
    from webapp.web.security import drop_idle_limiter_hook
    assert limiter._check_request_limit not in app.before_request_funcs[None]
    other = Flask(__name__)
    other.before_request_funcs[None] = [limiter._check_request_limit]
    monkeypatch.setattr(limiter.limit_manager, "_application_limits", [["a limit"]])
    assert drop_idle_limiter_hook(other) is False  # an application limit: the hook stays
    assert other.before_request_funcs[None] == [limiter._check_request_limit]
    monkeypatch.setattr(limiter.limit_manager, "_application_limits", [])
    assert drop_idle_limiter_hook(other) is True
    assert other.before_request_funcs[None] == []


def test_login_limited_per_ip_and_per_account(client, world, limits_on, monkeypatch):
    monkeypatch.setitem(client.application.config, "LOGIN_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(client.application.config, "LOGIN_ACCOUNT_RATE_LIMIT", "3 per minute")
    for i in range(3):  # three different accounts from one IP
        assert client.post("/login", data={"phone": f"1390000000{i}", "password": "x"}
                           ).status_code == 422
    r = client.post("/login", data={"phone": world.resident.phone, "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert "操作太频繁" in r.get_data(as_text=True)
    # One account from many IPs: the per-phone bucket stops the guessing.
    for i in range(3):
        client.post("/login", data={"phone": world.member.phone, "password": "bad"},
                    environ_overrides={"REMOTE_ADDR": f"198.51.100.{i}"})
    r = client.post("/login", data={"phone": world.member.phone, "password": PASSWORD},
                    environ_overrides={"REMOTE_ADDR": "198.51.100.99"})
    assert r.status_code == 429


def test_api_token_limited_per_account(client, world, limits_on, monkeypatch):
    monkeypatch.setitem(client.application.config, "LOGIN_ACCOUNT_RATE_LIMIT", "2 per minute")
    body = {"phone": world.member.phone, "password": "wrong-password"}
    for i in range(2):
        r = client.post("/api/v1/tokens", json=body,
                        environ_overrides={"REMOTE_ADDR": f"198.51.100.{i}"})
        assert r.status_code == 401
    r = client.post("/api/v1/tokens", json={**body, "password": PASSWORD},
                    environ_overrides={"REMOTE_ADDR": "198.51.100.50"})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "too_many_requests"
    assert "Retry-After" in r.headers
    # Another account is unaffected.
    r = client.post("/api/v1/tokens", json={"phone": world.member2.phone, "password": PASSWORD},
                    environ_overrides={"REMOTE_ADDR": "198.51.100.51"})
    assert r.status_code == 201


def test_api_token_limit_keys_on_the_phone_the_view_reads(client, world, limits_on,
                                                          monkeypatch):
    """The view parses the body as JSON whatever the Content-Type: so does the limit's key."""
    monkeypatch.setitem(client.application.config, "LOGIN_ACCOUNT_RATE_LIMIT", "2 per minute")
    ips = iter(f"198.51.100.{i}" for i in range(1, 100))

    def token(phone, password="wrong-password", content_type="text/plain"):
        raw = json.dumps({"phone": phone, "password": password})
        return client.post("/api/v1/tokens", data=raw, content_type=content_type,
                           environ_overrides={"REMOTE_ADDR": next(ips)})
    assert [token(world.member.phone).status_code for _ in range(2)] == [401, 401]
    # The third guess is refused however it is labelled: text/plain, JSON, spaces around.
    assert token(world.member.phone, PASSWORD).status_code == 429
    assert token(world.member.phone, PASSWORD, "application/json").status_code == 429
    assert token(f" {world.member.phone} ", PASSWORD).status_code == 429
    # Text/plain requests for other accounts do not share one bucket.
    assert token(world.member2.phone, PASSWORD).status_code == 201
    # The web form counts into the same bucket per phone.
    r = client.post("/login", data={"phone": world.member.phone, "password": PASSWORD},
                    environ_overrides={"REMOTE_ADDR": next(ips)})
    assert r.status_code == 429


def test_login_per_phone_limit_has_an_hourly_cap(client, world, limits_on):
    """5 a minute and 30 an hour per phone (docs/DEPLOY.md): the 31st within the hour fails."""
    limit = client.application.config["LOGIN_ACCOUNT_RATE_LIMIT"]
    assert limit == "5 per minute;30 per hour"
    assert f"`{limit}` per phone" in (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    ips = iter(f"203.0.113.{i}" for i in range(1, 200))
    bad = {"phone": world.resident.phone, "password": "wrong-password"}
    with time_machine.travel(datetime(2030, 1, 1, 8, 0, tzinfo=timezone.utc), tick=False) as t:
        for _minute in range(6):
            for _ in range(5):
                r = client.post("/login", data=bad, environ_overrides={"REMOTE_ADDR": next(ips)})
                assert r.status_code == 422
            t.shift(61)
        r = client.post("/login", data=bad, environ_overrides={"REMOTE_ADDR": next(ips)})
        assert r.status_code == 429  # the 31st within the hour
        r = client.post("/api/v1/tokens", json={**bad, "password": PASSWORD},
                        environ_overrides={"REMOTE_ADDR": next(ips)})
        assert r.status_code == 429  # the API shares the hour's count
        t.shift(3600)
        r = client.post("/login", data={**bad, "password": PASSWORD},
                        environ_overrides={"REMOTE_ADDR": next(ips)})
        assert r.status_code == 302  # an hour later the account can sign in again


def _wish_form(world, **extra):
    return {"kind": "service", "title": "帮忙换灯泡", "description": "客厅灯坏了",
            "category": str(world.cat.id), "capacity": "1", "estimated_hours": "1", **extra}


def test_wish_posting_limited_per_resident_per_day(client, db, world, limits_on, monkeypatch):
    monkeypatch.setitem(client.application.config, "WISH_POST_RATE_LIMIT", "2 per day")
    login(client, world.resident)
    # A form with errors does not use up the day's allowance.
    assert client.post("/wishes/new", data=_wish_form(world, title="")).status_code == 200
    for _ in range(2):
        assert client.post("/wishes/new", data=_wish_form(world)).status_code in (302, 303)
    r = client.post("/wishes/new", data=_wish_form(world))
    assert r.status_code == 429 and "Retry-After" in r.headers
    # The API shares the resident's bucket.
    api = Api(client, world.resident)
    r = api.post("/wishes", json={"kind": "service", "title": "帮忙搬东西", "category": world.cat.id})
    assert r.status_code == 429
    assert db.query(Wish).filter_by(resident_id=world.resident.id).count() == 2
    # Another resident, and grid staff posting for residents (代为登记), are not held back.
    assert Api(client, world.resident2).post("/wishes", json={
        "kind": "service", "title": "帮忙搬东西", "category": world.cat.id}).status_code == 201
    staff = Api(client, world.grid_worker)
    for _ in range(3):
        r = staff.post("/wishes", json={"kind": "service", "title": "代登记：买药",
                                         "category": world.cat.id,
                                         "on_behalf_of": world.resident.id})
        assert r.status_code == 201, r.get_json()


def test_registrations_limited_per_ip(client, world, limits_on, monkeypatch):
    monkeypatch.setitem(client.application.config, "REGISTER_RATE_LIMIT", "2 per hour")
    for i in range(2):
        r = client.post("/register", data={"phone": f"1370000000{i}", "name": "新居民",
                                            "password": "long-enough-pw", "role": "resident",
                                            "building_id": str(world.ba1.id), "consent": "1"})
        assert r.status_code in (302, 303), r.get_data(as_text=True)[:300]
    r = client.post("/register", data={"phone": "13700000009", "name": "新居民",
                                        "password": "long-enough-pw", "role": "resident",
                                        "building_id": str(world.ba1.id), "consent": "1"})
    assert r.status_code == 429
    r = client.post("/api/v1/users", json={"phone": "13700000008", "name": "新居民",
                                            "password": "long-enough-pw",
                                            "building_id": world.ba1.id})
    assert r.status_code == 429
    # A different address can still sign up.
    r = client.post("/api/v1/users", json={"phone": "13700000007", "name": "新居民",
                                            "password": "long-enough-pw", "consent": True,
                                            "building_id": world.ba1.id},
                    environ_overrides={"REMOTE_ADDR": "198.51.100.7"})
    assert r.status_code == 201
