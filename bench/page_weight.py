"""Page weight of the menu page on a phone: first load vs. a repeat visit served by the worker.

Run: python bench/page_weight.py        (needs /usr/bin/chromium; a benchmark, not a test)

The demo community (seed-demo) runs on a loopback werkzeug server; Debian chromium at 390×844
signs in as the demo member (13800000002) without loading any page, then opens /menu twice.
Bytes are counted at the server, so only what crosses the network counts: "sent" is each
response body as the app sends it, compressed by the app itself (webapp/web/assets.py: the same
bytes gunicorn sends under the README's run command, no proxy in front); "gz" is what gzip -6
of the uncompressed body would give, for comparison. Target: first load ≤ 35 KB sent.
"""
import gzip
import os
import re
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("WISHGRID_INSTANCE", tempfile.mkdtemp(prefix="wishgrid-bench-"))

from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGET = 35 * 1024


class Meter:
    """WSGI wrapper: each response's path, fetch destination, sent and gzip -6 body size."""

    def __init__(self, app):
        self.app, self.rows, self.lock = app, [], threading.Lock()

    def __call__(self, environ, start_response):
        encoding = []

        def start(status, headers, exc_info=None):
            encoding.extend(v for k, v in headers if k.lower() == "content-encoding")
            return start_response(status, headers, exc_info)
        body = b"".join(self.app(environ, start))
        dest = environ.get("HTTP_SEC_FETCH_DEST", "")
        if environ.get("HTTP_SERVICE_WORKER") == "script":
            dest = "serviceworker"
        raw = body
        if encoding == ["gzip"]:
            raw = gzip.decompress(body)
        elif encoding == ["br"]:
            import brotli
            raw = brotli.decompress(body)
        with self.lock:
            self.rows.append((environ["PATH_INFO"], dest, len(body),
                              len(gzip.compress(raw, 6)) if raw else 0))
        return [body]

    def take(self):
        with self.lock:
            rows, self.rows = self.rows, []
        return rows


class _Quiet(WSGIRequestHandler):
    def log_request(self, *a, **k):
        pass


def _kb(n: int) -> str:
    return f"{n / 1024:6.1f} KB"


def _report(title: str, rows, first_visit: bool) -> int:
    """Print each response and the totals; returns the page's compressed bytes."""
    groups = defaultdict(lambda: [0, 0, 0])
    worker_started = False
    for path, dest, sent, gz in rows:
        if dest == "serviceworker":
            worker_started, kind = True, "service worker script"
        elif first_visit and worker_started and dest == "empty":
            kind = "worker precache"  # fetched by the worker's install, not by the page
        else:
            kind = "page"
        g = groups[kind]
        g[0], g[1], g[2] = g[0] + 1, g[1] + sent, g[2] + gz
    print(f"\n{title}")
    for path, dest, sent, gz in rows:
        print(f"  {dest or '-':<14} {path:<48} sent {_kb(sent)}  gz {_kb(gz)}")
    for kind, (n, sent, gz) in sorted(groups.items()):
        print(f"  = {kind:<22} {n:3d} requests  sent {_kb(sent)}  (gzip -6 would be {_kb(gz)})")
    total = sum(g[1] for g in groups.values())
    print(f"  = all network            {sum(g[0] for g in groups.values()):3d} requests"
          f"  sent {_kb(total)}")
    return groups["page"][1]


def main() -> int:
    """Seed, serve, load /menu twice, print the byte counts."""
    from config import Config
    from webapp import create_app
    from webapp.demo import seed
    from webapp.extensions import db

    class Bench(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(os.environ['WISHGRID_INSTANCE']) / 'bench.sqlite3'}"
        RATELIMIT_ENABLED = False

    app = create_app(Bench)
    with app.app_context():
        db.create_all()
        seed(db.session)
    meter = Meter(app)
    server = make_server("127.0.0.1", 0, meter, threaded=True, request_handler=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        ctx = browser.new_context(base_url=base, viewport={"width": 390, "height": 844},
                                  is_mobile=True, locale="zh-CN")
        # Sign in without loading a page: nothing is cached and no worker exists yet.
        form = ctx.request.get("/login").text()
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        ctx.request.post("/login", form={"phone": "13800000002", "password": "wishgrid-demo",
                                         "csrf_token": token})
        meter.take()
        page = ctx.new_page()
        page.goto("/menu", wait_until="load")
        page.evaluate("""() => new Promise((resolve) => {
            const done = () => navigator.serviceWorker.controller && resolve(true);
            if (!done()) navigator.serviceWorker.addEventListener('controllerchange', done);
        })""")  # the worker installed: its precache is part of the first visit's cost
        first_rows = meter.take()
        first = _report("First load of /menu (empty cache)", first_rows, True)
        page.goto("/menu", wait_until="load")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        repeat_rows = meter.take()
        repeat = _report("Repeat visit of /menu (shell from the service worker)", repeat_rows,
                         False)
        browser.close()
    server.shutdown()
    verdict = "OK" if first <= TARGET else "OVER"
    print(f"\nfirst load (page, as sent): {first / 1024:.1f} KB — target ≤ 35 KB: {verdict}")
    total_first = sum(r[2] for r in first_rows) / 1024
    print(f"first visit incl. worker install (as sent): {total_first:.1f} KB")
    print(f"repeat visit (as sent, all network): {repeat / 1024:.1f} KB")
    return 0 if first <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
