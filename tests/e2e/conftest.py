"""Real-browser fixtures: the real app on a loopback port, Debian chromium through Playwright.

The server is the session's app (tests/conftest.py) served by werkzeug's threaded server, so each
test gets the same empty database + `world` data as the other suites; CSRF is switched ON here,
as in production. Chromium must be Debian's /usr/bin/chromium (Playwright cannot download
browsers here): without it every e2e test FAILS with the install command.
"""
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def pytest_collection_modifyitems(items):
    """Every test in this folder is an e2e test (`-m "not e2e"` skips them on purpose)."""
    for item in items:
        if "/tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


class Recorder:
    """WSGI wrapper that records each request (method, path) so tests count what was sent."""

    def __init__(self, app):
        self.app = app
        self.requests: list[tuple[str, str]] = []
        self.log: list[tuple] = []  # with the replay source and HX-Request, for messages
        self.cond = threading.Condition()

    def __call__(self, environ, start_response):
        entry = [environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""),
                 environ.get("HTTP_X_WISHGRID_REPLAY"), environ.get("HTTP_HX_REQUEST"), None]

        def start(status, headers, exc_info=None):
            entry[4] = status
            return start_response(status, headers, exc_info)

        result = self.app(environ, start)
        with self.cond:  # recorded once answered, so a test that saw it can read the database
            self.requests.append((entry[0], entry[1]))
            self.log.append(tuple(entry))
            self.cond.notify_all()
        return result

    def count(self, method: str, path: str) -> int:
        """How many `method` requests reached `path`."""
        with self.cond:
            return sum(1 for m, p in self.requests if m == method and p == path)

    def wait_for(self, method: str, path: str, n: int = 1, timeout: float = 15) -> None:
        """Block until `n` such requests arrived (a condition wait, not a sleep)."""
        with self.cond:
            ok = self.cond.wait_for(lambda: sum(
                1 for m, p in self.requests if m == method and p == path) >= n, timeout)
        assert ok, f"expected {n} × {method} {path}; got {self.count(method, path)}"

    def clear(self) -> None:
        with self.cond:
            self.requests.clear()
            self.log.clear()


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # the recorder keeps what the tests need
        pass


@pytest.fixture(scope="session")
def live_server(app):
    """The app on 127.0.0.1 (a secure context for service workers) on a free port."""
    rec = Recorder(app)
    server = make_server("127.0.0.1", 0, rec, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    rec.url = f"http://127.0.0.1:{server.server_port}"
    yield rec
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def pw():
    """Playwright, once Debian chromium is known to be there (missing: a failure with the fix)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}. The browser tests need Debian's chromium: "
                    "run `apt-get install -y chromium` (the README's test command does this), "
                    "or set CHROMIUM=/path/to/chromium.", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(pw):
    """Headless chromium; each test opens its own (incognito) contexts."""
    b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    yield b
    b.close()


@pytest.fixture
def site(app, db, world, live_server):
    """The running site with `world` in its database, CSRF on; yields the recorder."""
    app.config["WTF_CSRF_ENABLED"] = True
    live_server.clear()
    yield live_server
    app.config["WTF_CSRF_ENABLED"] = False


# Chromium logs every 4xx/5xx response as a console error. A 4xx is the app answering as
# designed (422 form errors, 409 refusals shown in place, 401/403/404 checks); a 5xx is not.
_EXPECTED_STATUS = re.compile(r"^Failed to load resource: the server responded with a status "
                              r"of 4\d\d ")
# Offline tests cut the network on purpose; the browser reports each refused request, and a
# request caught by the switch back online is reported as aborted (ERR_FAILED, seen once in 2
# PostgreSQL runs of the draft replay).
_OFFLINE = re.compile(r"net::ERR_INTERNET_DISCONNECTED|net::ERR_FAILED")

# Reports CSP violations as console errors even where Chromium would only fire the event
# (e.g. in report-only cases), with the blocked directive, so the failure names the cause.
CSP_REPORTER = """document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
    + ' at ' + (e.sourceFile || location.href) + ':' + e.lineNumber);
});"""


class ConsoleErrors:
    """Console errors, uncaught page errors and CSP violations of every page a test opens."""

    def __init__(self):
        self.seen: list[str] = []
        self.offline_ok = False  # set by tests that cut the network on purpose

    def watch(self, ctx) -> None:
        ctx.add_init_script(CSP_REPORTER)
        ctx.on("page", self._page)
        for page in ctx.pages:
            self._page(page)

    def _page(self, page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda err: self.seen.append(f"{page.url}: pageerror {err}"))
        # A renderer that dies leaves every locator waiting until its timeout: say so instead.
        page.on("crash", lambda p: self.seen.append(f"{p.url}: the page's renderer crashed"))

    def _console(self, page, msg) -> None:
        if msg.type != "error":
            return
        text = msg.text
        if _EXPECTED_STATUS.match(text) or (self.offline_ok and _OFFLINE.search(text)):
            return
        self.seen.append(f"{page.url}: {text}")


@pytest.fixture
def console_errors():
    """Every e2e test fails at teardown if a page it opened logged an error (issue 12 §7)."""
    errors = ConsoleErrors()
    yield errors
    assert not errors.seen, "console errors / CSP violations:\n" + "\n".join(errors.seen[:20])


@pytest.fixture
def new_context(browser, site, console_errors):
    """Factory for phone-sized browser contexts (390×844, zh-CN); all closed after the test.

    Each context's pages are watched for console errors (see `console_errors`)."""
    made = []

    def make(**kw):
        opts = dict(base_url=site.url, viewport=PHONE, is_mobile=True, has_touch=True,
                    locale="zh-CN", service_workers="allow")
        opts.update(kw)
        ctx = browser.new_context(**opts)
        ctx.set_default_timeout(30_000)  # a loaded 2-core CI machine, not a wait
        console_errors.watch(ctx)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def ui_login(page, user, password=PASSWORD):
    """Sign in through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("手机号").fill(user.phone)
    page.get_by_label("密码").fill(password)
    with page.expect_response(lambda r: r.request.method == "POST"
                              and urlsplit(r.url).path == "/login") as answer:
        page.get_by_role("button", name="登录").click()
    assert answer.value.status in (302, 303), f"login of {user.phone}: {answer.value.status}"
    try:
        page.wait_for_url(lambda url: urlsplit(url).path != "/login", wait_until="domcontentloaded")
    except PlaywrightTimeout:  # say where the sign-in ended, not only that it timed out
        raise AssertionError(f"login of {user.phone} answered {answer.value.status} → "
                             f"{answer.value.headers.get('location')}, then ended on {page.url}: "
                             f"{page.locator('body').inner_text()[:300]!r}") from None


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under the artefacts folder the README names."""
    # test-artifacts/ (or $WISHGRID_TEST_ARTIFACTS, one folder per database run)/screenshots/
    root = Path(os.environ.get("WISHGRID_TEST_ARTIFACTS") or ROOT / "test-artifacts")
    shots = root / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    path = shots / (re.sub(r"[^\w.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


# The site's CSP forbids eval, so Playwright's wait_for_function (it evals its predicate) cannot
# run in these pages: waits are promises the page resolves on the event itself.
WAIT_CONTROLLED = """() => new Promise((resolve) => {
  const done = () => navigator.serviceWorker.controller && resolve(true);
  if (!done()) navigator.serviceWorker.addEventListener('controllerchange', done);
  setTimeout(() => resolve(false), 15000);
})"""

WAIT_NOTIFICATIONS = """async ([n, seconds]) => {
  const reg = await navigator.serviceWorker.ready;
  // showNotification() has no event of its own to wait on: poll, for at most `seconds`.
  for (let i = 0; i < seconds * 40; i++) {
    const shown = await reg.getNotifications();
    if (shown.length === n) return shown.length;
    await new Promise((r) => setTimeout(r, 25));
  }
  return (await reg.getNotifications()).length;
}"""


def settled(page) -> None:
    """Wait for the page's offline-draft replay to finish (bounded: 15 s)."""
    assert page.evaluate("""() => Promise.race([WishgridDrafts.settled().then(() => true),
        new Promise((r) => setTimeout(() => r(false), 15000))])""") is True, "replay hung"


def sw_ready(page) -> None:
    """Wait until the service worker is active and controls this page.

    A page whose navigation began before the worker activated is not claimed by clients.claim()
    (its document did not exist yet): as in a browser, the next load of it is controlled."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    if page.evaluate(WAIT_CONTROLLED) is not True:
        state = page.evaluate("""navigator.serviceWorker.getRegistration().then((r) => r && {
            installing: !!r.installing, waiting: !!r.waiting, active: r.active && r.active.state})""")
        raise AssertionError(f"the service worker does not control {page.url}: {state}")


class DevTools:
    """A CDP session on a page with the ServiceWorker domain on, to reach its registration."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.registrations: dict[str, str] = {}
        self.versions: list[dict] = []
        self.cdp.on("ServiceWorker.workerRegistrationUpdated", self._regs)
        self.cdp.on("ServiceWorker.workerVersionUpdated", self._versions)
        self.cdp.send("ServiceWorker.enable")

    def _regs(self, params):
        for r in params["registrations"]:
            if not r.get("isDeleted"):
                self.registrations[r["scopeURL"]] = r["registrationId"]

    def _versions(self, params):
        self.versions.extend(params["versions"])

    def wait_activated(self, page, rid: str) -> None:
        """Until the registration's worker version is activated (bounded)."""
        for _ in range(400):
            if any(v["registrationId"] == rid and v["status"] == "activated"
                   for v in self.versions):
                return
            page.evaluate("1")
        raise AssertionError(f"worker of registration {rid} not activated: {self.versions[-5:]}")

    def push(self, page, origin: str, rid: str, data: str) -> int:
        """Deliver `data` as a push message and wait until the worker shows it (bounded).

        A push service retries a message the browser has not taken: so does this stand-in,
        once. Under full load Chromium was seen (1 run in 8) to drop the DevTools delivery
        without running the worker's push handler; the handler's own behaviour is what the
        tests check, and a second delivery of a lost message is what a push service does."""
        message = {"origin": origin, "registrationId": rid, "data": data}
        self.cdp.send("ServiceWorker.deliverPushMessage", message)
        shown = page.evaluate(WAIT_NOTIFICATIONS, [1, 20])
        if shown == 0:
            print(f"push to registration {rid} not shown in 20 s: delivered again; "
                  f"versions {self.versions[-3:]}")
            self.cdp.send("ServiceWorker.deliverPushMessage", message)
            shown = page.evaluate(WAIT_NOTIFICATIONS, [1, 60])
        return shown

    def registration_id(self, page, origin: str) -> str:
        """The registration of the root scope (events arrive while the page answers)."""
        for _ in range(200):  # bounded: each round trip lets pending CDP events in
            rid = self.registrations.get(origin + "/")
            if rid:
                return rid
            page.evaluate("1")
        raise AssertionError(f"no service worker registration for {origin}: {self.registrations}")
