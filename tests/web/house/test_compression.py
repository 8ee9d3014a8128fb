"""The app itself sends compressed text (webapp/web/assets.py): pages gzipped above a threshold,
static files under fingerprinted names, precompressed and cached for a year."""
import gzip
import json
import re
from pathlib import Path

from flask import url_for

from tests.conftest import login
from webapp.web import assets

import pytest

# Runs once, in the SQLite pass of scripts/test.sh: response compression is the app's.
pytestmark = pytest.mark.engine_neutral

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_big_page_is_sent_gzipped_with_vary(client, world, make_wish):
    for i in range(8):
        make_wish(title=f"一号楼帮忙{i}")
    login(client, world.member)
    plain = client.get("/menu")
    assert plain.headers.get("Content-Encoding") is None  # the client did not ask for it
    resp = client.get("/menu", headers=GZIP)
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in resp.headers["Vary"]
    html = gzip.decompress(resp.data).decode()
    assert "一号楼帮忙7" in html and len(resp.data) < len(html.encode()) / 3
    assert int(resp.headers["Content-Length"]) == len(resp.data)


def test_small_responses_and_cross_site_requests_stay_plain(client, world):
    login(client, world.member)
    small = client.get("/inbox/count", headers=GZIP)
    assert small.headers.get("Content-Encoding") is None
    # A page another site made the browser load: never compressed (BREACH).
    cross = client.get("/menu", headers={**GZIP, "Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 200 and cross.headers.get("Content-Encoding") is None
    same = client.get("/menu", headers={**GZIP, "Sec-Fetch-Site": "same-origin"})
    assert same.headers["Content-Encoding"] == "gzip"


def test_static_urls_are_fingerprinted_precompressed_and_cached_for_a_year(app, client):
    with app.test_request_context():
        url = url_for("static", filename="vendor/htmx-2.0.11.min.js")
    assert re.fullmatch(r"/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{10}\.js", url)
    resp = client.get(url, headers=GZIP)
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] in ("gzip", "br")
    assert "max-age=31536000" in resp.headers["Cache-Control"]
    assert "immutable" in resp.headers["Cache-Control"]
    assert "Accept-Encoding" in resp.headers["Vary"]
    source = (Path(app.static_folder) / "vendor/htmx-2.0.11.min.js").read_bytes()
    if resp.headers["Content-Encoding"] == "gzip":
        assert gzip.decompress(resp.data) == source
    assert len(resp.data) < len(source) / 2
    identity = client.get(url)
    assert identity.headers.get("Content-Encoding") is None and identity.data == source
    assert client.get("/static/vendor/htmx-2.0.11.min.js").data == source  # plain name too
    assert client.get("/static/vendor/htmx-2.0.11.min.0000000000.js").status_code == 404


def test_pages_and_the_service_worker_name_the_fingerprinted_files(app, client, world):
    login(client, world.member)
    html = client.get("/menu").get_data(as_text=True)
    assert re.search(r'/static/css/app\.[0-9a-f]{10}\.css', html)
    sw = client.get("/sw.js").get_data(as_text=True)
    config = json.loads(sw.split("self.WISHGRID = ", 1)[1].split(";\n", 1)[0])
    shell = [u for u in config["precache"] if u.startswith("/static/")]
    assert shell and all(re.search(r"\.[0-9a-f]{10}\.\w+$", u) for u in shell)
    assert config["staticPrefix"] == "/static/"


def test_a_changed_file_gets_a_new_name(tmp_path):
    src, out = tmp_path / "static", tmp_path / "build"
    (src / "js").mkdir(parents=True)
    (src / "js" / "a.js").write_text("console.log('one');" * 40)
    first = assets.build(src, out)["js/a.js"]
    assert (out / (first + ".gz")).exists()
    (src / "js" / "a.js").write_text("console.log('two');" * 40)
    second = assets.build(src, out)["js/a.js"]
    assert first != second and gzip.decompress((out / (second + ".gz")).read_bytes()).startswith(
        b"console.log('two')")
