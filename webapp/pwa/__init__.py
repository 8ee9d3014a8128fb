"""The installable app: service worker at the root, web app manifest, offline page."""
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, current_app, jsonify, make_response, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from ..schemas import parse_query
from ..schemas.queries import LangQuery

bp = Blueprint("pwa", __name__)

THEME = "#C8102E"
# Shell files precached by the service worker (relative to static/); nothing personal lives here.
SHELL_GLOBS = ("css/*.css", "vendor/*.js", "js/*.js", "icons/*-192.png")  # 512s: install only
PUSH_HANDLERS = "js/sw-push.js"
DRAFTS = "js/offline-drafts.js"
# Marked for extraction here, translated at request time in every language.
OFFLINE_NOTICE = _l("当前没有网络，操作没有发送。请在网络恢复后重试。")
DRAFT_SAVED = _l("心愿已保存在本机，网络恢复后自动发送。")


def _static_dir() -> Path:
    return Path(current_app.static_folder)


def shell_files() -> list[str]:
    """Static files of the app shell, relative to static/, sorted for a stable version."""
    root = _static_dir()
    found = {str(p.relative_to(root)) for g in SHELL_GLOBS for p in root.glob(g) if p.is_file()}
    return sorted(found)


@lru_cache(maxsize=4)
def _version(stamp: tuple) -> str:
    digest = hashlib.sha256()
    for name, size, mtime, path in stamp:
        digest.update(name.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


def _offline_sources() -> list[Path]:
    """What the precached offline pages are made of besides static files."""
    paths = [Path(current_app.root_path) / "templates" / "pwa" / "offline.html"]
    for d in current_app.config.get("BABEL_TRANSLATION_DIRECTORIES", "").split(";"):
        paths += sorted(Path(d).glob("*/LC_MESSAGES/messages.mo")) if d else []
    return [p for p in paths if p.is_file()]


def shell_version() -> str:
    """A hash over the shell files, the worker and the offline page's template and catalogues:
    any change gives a new cache name (and a new worker)."""
    root = _static_dir()
    paths = [root / f for f in [*shell_files(), "sw.js"]] + _offline_sources()
    # (name, size, mtime, path): size and mtime key the cache, name and content the digest.
    stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns, str(p)) for p in paths)
    return _version(stamp)


def _in_every_language(message) -> dict:
    """A notice in every language, so the worker can show it with no server."""
    out = {}
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            out[lang] = str(message)
    return out


@bp.route("/sw.js")
def service_worker():
    """The service worker, from the root so its scope is the whole site; never HTTP-cached."""
    files = shell_files()
    precache = [url_for("static", filename=f) for f in files]
    langs = current_app.config["LANGUAGES"]
    offline = {lang: url_for("pwa.offline", lang=lang) for lang in langs}
    precache += [*offline.values(), url_for("pwa.manifest")]
    imports = [url_for("static", filename=f) for f in (DRAFTS, PUSH_HANDLERS) if f in files]
    config = {
        "version": shell_version(), "precache": precache, "offline": offline,
        "defaultLang": current_app.config["BABEL_DEFAULT_LOCALE"],
        "offlineMessage": _in_every_language(OFFLINE_NOTICE),
        "draftSavedMessage": _in_every_language(DRAFT_SAVED), "imports": imports,
        "staticPrefix": url_for("static", filename=""),
    }
    body = ("self.WISHGRID = " + json.dumps(config, ensure_ascii=False) + ";\n"
            + (_static_dir() / "sw.js").read_text(encoding="utf-8"))
    resp = make_response(body)
    resp.headers["Content-Type"] = "text/javascript; charset=utf-8"
    resp.headers["Cache-Control"] = "no-cache"
    resp.headers["Service-Worker-Allowed"] = "/"
    return resp


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest: name, icons, colours, standalone display."""
    icon = lambda f, size, purpose: {  # noqa: E731
        "src": url_for("static", filename=f"icons/{f}"), "sizes": size, "type": "image/png",
        "purpose": purpose}
    data = {
        "id": "/", "name": "网格微心愿", "short_name": "微心愿", "lang": "zh-CN", "dir": "ltr",
        "description": "社区居民发布微心愿，在职党员认领服务。",
        "start_url": "/?source=pwa",
        "scope": "/", "display": "standalone", "orientation": "portrait",
        "theme_color": THEME, "background_color": "#FFFFFF",
        "categories": ["social", "lifestyle"],
        "icons": [icon("icon-192.png", "192x192", "any"), icon("icon-512.png", "512x512", "any"),
                  icon("maskable-192.png", "192x192", "maskable"),
                  icon("maskable-512.png", "512x512", "maskable")],
    }
    resp = make_response(json.dumps(data, ensure_ascii=False))
    resp.headers["Content-Type"] = "application/manifest+json; charset=utf-8"
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.route("/offline")
def offline():
    """What a navigation shows with no network; precached, so it holds nothing personal."""
    lang = parse_query(LangQuery, request.args).lang
    if lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            html = render_template("pwa/offline.html", lang=lang)
    else:
        html = render_template("pwa/offline.html", lang=str(get_locale() or ""))
    resp = make_response(html)
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.route("/pwa/csrf")
def csrf_token():
    """A fresh CSRF token for replaying offline drafts (same-origin only: CORS keeps it private)."""
    resp = jsonify(token=generate_csrf())
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.after_app_request
def _headers(resp):
    """Pages and fragments from one URL differ by HX-Request; personal HTML is never stored."""
    if resp.mimetype == "text/html":
        resp.vary.add("HX-Request")
        if "Cache-Control" not in resp.headers:
            resp.headers["Cache-Control"] = "private, no-store"
    return resp
