"""The PWA routes over the test client: worker headers and precache list, manifest and icons,
an offline page with nothing personal, Vary/no-store on HTML."""
import json
import re
import shutil
import struct
from pathlib import Path

from tests.conftest import login

STATIC = Path(__file__).resolve().parents[3] / "webapp" / "static"


def _worker_config(body: str) -> dict:
    head = body.split("\n", 1)[0]
    assert head.startswith("self.WISHGRID = ") and head.endswith(";")
    return json.loads(head[len("self.WISHGRID = "):-1])


def _plain(url: str) -> str:
    """/static/css/app.0123456789.css → /static/css/app.css"""
    return re.sub(r"\.[0-9a-f]{10}(\.\w+)$", r"\1", url)


def test_service_worker_served_from_root_uncached(client):
    resp = client.get("/sw.js")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-cache"
    assert resp.headers["Service-Worker-Allowed"] == "/"
    assert resp.mimetype == "text/javascript"
    cfg = _worker_config(resp.get_data(as_text=True))
    assert re.fullmatch(r"[0-9a-f]{12}", cfg["version"])
    # Static files go by fingerprinted names (webapp/web/assets.py): compare without the hash.
    imports, shell = [_plain(u) for u in cfg["imports"]], [_plain(u) for u in cfg["precache"]]
    assert "/static/js/offline-drafts.js" in imports
    if (STATIC / "js" / "sw-push.js").exists():
        assert "/static/js/sw-push.js" in imports
    # The shell only: static files, offline pages, the manifest; never a page with user data.
    for url in cfg["precache"]:
        assert url.startswith(("/static/", "/offline?lang=", "/manifest.webmanifest")), url
    assert "/static/css/app.css" in shell
    assert any(u.startswith("/static/vendor/htmx-") for u in cfg["precache"])
    assert set(cfg["offline"]) == {"zh_CN", "en"}
    assert cfg["offlineMessage"]["en"] != cfg["offlineMessage"]["zh_CN"]
    # Every precached URL exists, or the worker's install would fail.
    for url in cfg["precache"]:
        assert client.get(url).status_code == 200, url


def test_worker_version_follows_the_shell(client, tmp_path, app, monkeypatch):
    before = _worker_config(client.get("/sw.js").get_data(as_text=True))["version"]
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)  # a private copy: the shared tree is never touched
    monkeypatch.setattr(app, "static_folder", str(copy))
    assert _worker_config(client.get("/sw.js").get_data(as_text=True))["version"] == before
    (copy / "css" / "app.css").write_text("/* changed */", encoding="utf-8")
    after = _worker_config(client.get("/sw.js").get_data(as_text=True))
    assert after["version"] != before  # a new cache name: the old shell is dropped


def test_manifest_is_installable(client):
    resp = client.get("/manifest.webmanifest")
    assert resp.mimetype == "application/manifest+json"
    data = resp.get_json(force=True)
    assert data["name"] == "网格微心愿" and data["short_name"]
    assert data["display"] == "standalone" and data["theme_color"] == "#C8102E"
    assert data["lang"] == "zh-CN" and data["start_url"].startswith("/") and data["scope"] == "/"
    purposes = {}
    for icon in data["icons"]:
        png = client.get(icon["src"]).get_data()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", icon["src"]
        w, h = struct.unpack(">II", png[16:24])
        assert f"{w}x{h}" == icon["sizes"], icon
        purposes.setdefault(icon["purpose"], set()).add(w)
    assert purposes == {"any": {192, 512}, "maskable": {192, 512}}


def test_offline_page_has_nothing_personal(client, world):
    login(client, world.resident)
    for url in ("/offline", "/offline?lang=en", "/offline?lang=zh_CN"):
        html = client.get(url).get_data(as_text=True)
        assert "csrf" not in html.lower() and world.resident.name not in html
        assert world.resident.phone not in html
    assert "You are offline" in client.get("/offline?lang=en").get_data(as_text=True)
    assert "当前没有网络" in client.get("/offline?lang=zh_CN").get_data(as_text=True)


def test_html_varies_on_htmx_and_is_not_stored(client, world):
    login(client, world.resident)
    resp = client.get("/me")
    assert "HX-Request" in resp.headers.get("Vary", "")
    assert "no-store" in resp.headers["Cache-Control"]


def test_csrf_token_for_replays_is_fresh_and_unstored(client):
    resp = client.get("/pwa/csrf")
    assert resp.headers["Cache-Control"] == "no-store"
    assert len(resp.get_json()["token"]) > 20


def test_pages_link_manifest_and_scripts(client, world):
    login(client, world.resident)
    html = client.get("/me").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert re.search(r"/static/js/pwa\.[0-9a-f]{10}\.js", html)
    assert re.search(r"/static/js/offline-drafts\.[0-9a-f]{10}\.js", html)
    assert 'id="pwa-strings"' in html and 'id="net-status"' in html
    # htmx keeps no page snapshots in localStorage (personal data must not land there).
    assert '"historyCacheSize":0' in html
