"""Every page on a phone, for every role, in normal, elder and English mode (issue 12 §1, §8),
and in English with elder mode on for width alone (the widest text: an English word at elder
sizes, where a chip and two tables still pushed pages sideways).

One pass over every HTML GET page of the URL map (tests/page_catalogue.py) that the role may
open (200), per mode; on each page:
  - at 360×780 (the narrowest phone we promise; everything below is checked at that size),
    nothing is wider than the phone (`scrollWidth` ≤ viewport), else the page and its widest
    element are named;
  - a screenshot (JPEG, taken through DevTools) goes to artifacts_dir/screenshots/pages-<mode>/;
and in normal and elder mode (sizes and focus do not depend on the language):
  - every visible interactive element is at least 44×44 CSS px (56×56 in elder mode);
  - every focusable element, focused in tab order, is not covered by the fixed `nav.tabbar`;
  - in elder mode, status chips and badges have 7:1 contrast and text of at least 18 px.
Focus is moved with element.focus() in sequential (tab) order rather than one Tab key press per
element: the browser scrolls a focused element into view the same way, at a fraction of the
round trips (the whole file must stay well under a few minutes on a 2-core machine).
Console errors and CSP violations fail each test through the e2e fixtures (conftest.py).
"""
import base64
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import PASSWORD, login
from tests.page_catalogue import make_ids, pages, users

NARROW = {"width": 360, "height": 780}

# Pages not yet right, each with the reason; keyed by (check, endpoint). Keep it short.
ALLOWED: dict[tuple[str, str], str] = {}

OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= vw) return null;
  let widest = null, right = vw;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > right + 0.5) { right = r.right; widest = el; }
  }
  const name = widest ? widest.tagName.toLowerCase() + (widest.id ? '#' + widest.id : '')
    + (widest.className && typeof widest.className === 'string'
       ? '.' + widest.className.trim().split(/\\s+/).join('.') : '')
    + ' "' + (widest.textContent || '').trim().slice(0, 30) + '"' : '?';
  return { scrollWidth: sw, viewport: vw, widest: name, right: Math.round(right) };
}"""

# Visible interactive elements smaller than `min` in either direction. A control inside a
# <label> (or named by one) is hit through its label, so the label's box is what a finger gets.
TARGETS = """(min) => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const out = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('.skip-link') || !el.checkVisibility({ visibilityProperty: true })) continue;
    let box = el;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      box = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    if (seen.has(box)) continue;
    seen.add(box);
    const r = box.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.width + 0.5 < min || r.height + 0.5 < min) {
      out.push(`${box.tagName.toLowerCase()}${box.className && typeof box.className === 'string'
        ? '.' + box.className.trim().split(/\\s+/).join('.') : ''} "${
        (box.textContent || box.name || box.getAttribute('aria-label') || '').trim().slice(0, 20)}" `
        + `${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return out;
}"""

# Focus each focusable element in tab order; report those the tab bar covers.
COVERED = """() => {
  const bar = document.querySelector('nav.tabbar');
  if (!bar) return [];
  const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), '
    + 'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]';
  const els = [...document.querySelectorAll(sel)]
    .filter((el) => el.tabIndex >= 0 && !bar.contains(el) && el.checkVisibility())
    .map((el, i) => [el, i])
    .sort(([a, i], [b, j]) => ((a.tabIndex || 1e9) - (b.tabIndex || 1e9)) || i - j)
    .map(([el]) => el);
  const out = [];
  for (const el of els) {
    el.focus({ focusVisible: true });
    if (document.activeElement !== el) continue;
    const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
    // Covered: the bar overlaps the control's first 44 px (all of a button; the first line of
    // a tall textarea, where the caret is: browsers scroll the caret, not the whole box, into view).
    if (r.height && r.top + Math.min(r.height, 44) > b.top + 0.5 && r.top < b.bottom) {
      out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 20)}"`
        + ` y ${Math.round(r.top)}–${Math.round(r.bottom)} under the bar at ${Math.round(b.top)}`);
    }
  }
  document.activeElement && document.activeElement.blur();
  return out;
}"""


def _login(page, user):
    """Sign in through the form in any language (fields by id; ui_login reads Chinese labels)."""
    page.goto("/login")
    page.locator("#f-phone").fill(user.phone)
    page.locator("#f-password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/login'] button[type=submit]").click()
    assert urlsplit(page.url).path != "/login", f"login of {user.phone} failed"


# Elder mode promises AAA: status chips and badges at 7:1 against their own background.
LOW_CONTRAST = """(min) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bg = (el) => { for (; el; el = el.parentElement) {
    const c = getComputedStyle(el).backgroundColor;
    if (!c.endsWith(', 0)') && c !== 'transparent') return rgb(c); } return [255, 255, 255]; };
  const out = [];
  for (const el of document.querySelectorAll('.chip, .badge')) {
    if (!el.checkVisibility()) continue;
    const st = getComputedStyle(el);
    const [a, b] = [lum(rgb(st.color)), lum(bg(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const px = parseFloat(st.fontSize);
    if (ratio < min || px < 18) out.push(`${el.className} "${el.textContent.trim().slice(0, 10)}" `
      + `${ratio.toFixed(2)}:1 ${px}px`);
  }
  return out;
}"""


@pytest.fixture
def ids(db, world, make_wish):
    return make_ids(db, world, make_wish)


def _role_pages(app, user, catalogue) -> list[tuple[str, str]]:
    """The catalogue's pages `user` may open (200, HTML), each final path once.

    Asked through the test client first: a browser visit costs about ten client requests, and
    half the catalogue is another role's page (403, 404) or a redirect to a page already seen."""
    client = app.test_client()
    if user is not None:
        login(client, user)
    seen, out = set(), []
    for endpoint, url in catalogue:
        resp = client.get(url, follow_redirects=True)
        path = resp.request.path
        if resp.status_code == 200 and resp.mimetype == "text/html" and path not in seen:
            seen.add(path)
            out.append((endpoint, url))
    return out


def _slug(url: str) -> str:
    return re.sub(r"[^\w]+", "-", url).strip("-") or "home"


def _capture(page, cdp) -> bytes:
    """What the phone shows, as JPEG, by DevTools; Playwright's own screenshot when DevTools has
    no frame to give (Chromium answered "Unable to capture screenshot" once in a CI run)."""
    try:
        shot = cdp.send("Page.captureScreenshot", {"format": "jpeg", "quality": 80,
                                                   "optimizeForSpeed": True})
        return base64.b64decode(shot["data"])
    except PlaywrightError as exc:
        if "Unable to capture screenshot" not in str(exc):
            raise
    # page.screenshot() waits for a frame of its own before it captures
    return page.screenshot(type="jpeg", quality=80)


# Layout, targets and focus depend on the templates and CSS, not on the database: the sweep runs
# in one pass of scripts/test.sh (it takes minutes), and the other says so.
@pytest.mark.engine_neutral
@pytest.mark.parametrize("mode", ["normal", "elder", "english", "english-elder"])
def test_every_page_fits_the_phone_reaches_the_finger_and_keeps_focus_visible(
        app, new_context, site, db, world, ids, artifacts_dir, mode):
    minimum = 56 if mode == "elder" else 44  # english-elder checks width alone
    shots = artifacts_dir / "screenshots" / f"pages-{mode}"
    shots.mkdir(parents=True, exist_ok=True)
    catalogue = pages(app, ids)
    problems: dict[str, list] = {"overflow": [], "targets": [], "covered": [], "contrast": [],
                                 "status": []}
    opened = 0
    for role, user in users(world).items():
        elder, english = mode in ("elder", "english-elder"), mode.startswith("english")
        if user is None and elder:
            continue  # elder mode is a per-user setting: a guest has none
        if user is not None:
            db.rollback()  # a fresh transaction: the server wrote since our last read
            user.elder_mode = elder
            user.locale = "en" if english else None
            db.commit()
        ctx = new_context(viewport=NARROW, locale="en-US" if english else "zh-CN",
                          service_workers="block")
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        if user is not None:
            _login(page, user)
        for endpoint, url in _role_pages(app, user, catalogue):
            resp = page.goto(url)
            if resp.status != 200:  # the test client had a page here: the browser must too
                problems["status"].append(f"{role} {url} ({endpoint}): {resp.status}")
                continue
            opened += 1
            where = f"{role} {url} ({endpoint})"
            wide = page.evaluate(OVERFLOW)
            if wide and ("overflow", endpoint) not in ALLOWED:
                problems["overflow"].append(f"{where}: {wide}")
            if mode == "english-elder":
                continue  # the widest text of all (an English word at elder sizes): width only
            # What the phone shows, as JPEG (about 60% of PNG's time), taken by DevTools with
            # encoding optimised for speed: 27 ms a page here against page.screenshot()'s 40.
            (shots / f"{role}-{_slug(url)}.jpg").write_bytes(_capture(page, cdp))
            if mode == "english":
                continue  # sizes and focus do not depend on the language: checked twice already
            small = page.evaluate(TARGETS, minimum)
            if small and ("targets", endpoint) not in ALLOWED:
                problems["targets"].append(f"{where}: {small[:6]}{' …' if len(small) > 6 else ''}")
            if mode == "elder" and (low := page.evaluate(LOW_CONTRAST, 7)):
                problems["contrast"].append(f"{where}: {low[:4]}")
            covered = page.evaluate(COVERED)
            if covered and ("covered", endpoint) not in ALLOWED:
                problems["covered"].append(f"{where}: {covered[:4]}")
        ctx.close()
    assert opened > 40, opened  # the whole site, not a login redirect
    bad = {k: v for k, v in problems.items() if v}
    assert not bad, "\n".join(f"{k} ({len(v)} pages):\n  " + "\n  ".join(v) for k, v in bad.items())
