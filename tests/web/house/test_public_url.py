"""The public address: certificate links never come from the Host header; cookies are Secure
over HTTPS or when PUBLIC_URL is https."""

import pytest
from sqlalchemy import select

from config import TestConfig
from tests.conftest import login, beijing_today
from webapp import create_app
from webapp.models import Certificate
from webapp.services.ledger import certificates

PUBLIC = "https://wish.example.gov.cn"


def _certificate(client, db, world, make_wish) -> Certificate:
    make_wish("closed", estimated_hours=1.5)
    login(client, world.admin)
    r = client.post("/ledger/certificates", data={
        "volunteer_id": world.member.id, "period_from": "2020-01-01",
        "period_to": beijing_today().isoformat(), "head_name": "孙书记", "officer_name": "周干事",
        "contact": "0571-88886666"})
    assert r.status_code == 302
    return db.scalar(select(Certificate))


@pytest.mark.parametrize("public, expected", [(PUBLIC + "/", PUBLIC),
                                              (None, "http://127.0.0.1:5000")])
def test_certificate_link_and_qr_ignore_the_host_header(client, db, world, make_wish,
                                                        monkeypatch, public, expected):
    monkeypatch.setitem(client.application.config, "PUBLIC_URL", public)
    cert = _certificate(client, db, world, make_wish)
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    r = client.get(f"/ledger/certificates/{cert.id}", headers={"Host": "evil.example"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "evil.example" not in page
    link = f"{expected}/verify/{cert.token}"
    assert link in page
    with client.application.test_request_context():
        assert certificates.qr_svg(link) in page  # the QR code encodes exactly that link


def test_a_path_prefix_in_public_url_is_kept_once(client, db, world, make_wish, monkeypatch):
    monkeypatch.setitem(client.application.config, "PUBLIC_URL", PUBLIC + "/wish")
    cert = _certificate(client, db, world, make_wish)
    page = client.get(f"/ledger/certificates/{cert.id}",
                      base_url="http://localhost/wish").get_data(as_text=True)
    assert f"{PUBLIC}/wish/verify/{cert.token}" in page and "/wish/wish/" not in page


def test_a_malformed_public_url_stops_the_start():
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        PUBLIC_URL = "wish.example.gov.cn"
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app(Cfg)


def _session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_cookies_are_secure_over_https_or_with_an_https_public_url(client, world, monkeypatch):
    login(client, world.resident)
    assert "Secure" not in _session_cookie(client.get("/me/delete"))  # plain HTTP, LAN install
    login(client, world.resident)
    assert "Secure" in _session_cookie(client.get("/me/delete", base_url="https://localhost"))
    monkeypatch.setitem(client.application.config, "PUBLIC_URL", PUBLIC)
    login(client, world.resident)
    assert "Secure" in _session_cookie(client.get("/me/delete"))  # TLS ends at the proxy
    r = client.post("/me/preferences", data={"locale": "en"})
    assert "Secure" in next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("lang="))
