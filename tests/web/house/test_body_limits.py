"""Request bodies have a limit: refused from the Content-Length (413) before being read,
with the limit said in the user's language, and nothing of the body echoed back."""
import io

import pytest

from config import TestConfig
from tests.conftest import login
from tests.web.apiutil import Api
from webapp import create_app
from webapp.web.body_limits import allow_body

MARKER = "请勿回显"


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, _buffer):
        raise AssertionError("the body was read")


def _form(world, title):
    return {"kind": "service", "title": title, "description": "x", "capacity": "1",
            "category": str(world.cat.id), "estimated_hours": "1"}


def test_web_form_over_the_limit_gets_a_413_page_with_the_limit(client, world):
    assert client.application.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    login(client, world.resident)
    big = MARKER * (2 * 1024 * 1024 // len(MARKER.encode()) + 1)
    r = client.post("/wishes/new", data=_form(world, big))
    page = r.get_data(as_text=True)
    assert r.status_code == 413
    assert "最多 2 MB" in page and MARKER not in page and len(page) < 50_000
    client.set_cookie("lang", "en")
    login(client, world.resident2)  # no saved language: the cookie decides
    r = client.post("/wishes/new", data=_form(world, big))
    assert r.status_code == 413 and "at most 2 MB" in r.get_data(as_text=True)
    # Just under the limit is an ordinary form (here: a title too long, said next to it).
    r = client.post("/wishes/new", data=_form(world, "长" * 200))
    assert r.status_code in (200, 422)


def test_api_refuses_a_long_body_from_its_content_length_unread(client, world):
    api = Api(client, world.resident)
    r = client.post("/api/v1/wishes", headers=api._headers(), content_type="application/json",
                    environ_overrides={"wsgi.input": Unreadable(),
                                       "CONTENT_LENGTH": str(30 * 1024 * 1024)})
    assert r.status_code == 413
    err = r.get_json()["error"]
    assert err["code"] == "too_large" and "64 KB" in err["message"]
    r = api.post("/wishes", json={"kind": "service", "title": MARKER * 30_000,
                                  "category": world.cat.id})
    assert r.status_code == 413 and MARKER not in r.get_data(as_text=True)
    # Anonymous sign-up and tokens too (the limit comes before authentication).
    r = client.post("/api/v1/tokens", data="x" * 70_000, content_type="application/json")
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"


@pytest.fixture
def upload_app():
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        MAX_CONTENT_LENGTH = 1000
        IMPORT_MAX_BYTES = 5000
    app = create_app(Cfg)

    @app.post("/test-import")
    @allow_body("IMPORT_MAX_BYTES")
    def test_import():
        from flask import request
        return str(len(request.files["file"].read()))
    return app


def test_an_upload_view_has_its_own_larger_limit(upload_app):
    c = upload_app.test_client()
    r = c.post("/test-import", data={"file": (io.BytesIO(b"x" * 3000), "a.xlsx")})
    assert r.status_code == 200 and r.get_data(as_text=True) == "3000"
    r = c.post("/test-import", data={"file": (io.BytesIO(b"x" * 6000), "a.xlsx")})
    assert r.status_code == 413 and "4 KB" in r.get_data(as_text=True)
    # Every other view keeps the site-wide limit.
    r = c.post("/login", data={"phone": "13800000000", "password": "x" * 2000})
    assert r.status_code == 413
