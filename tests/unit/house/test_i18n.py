"""The English catalogue is complete and current, and English pages render in English.

When this fails after you add a string: run `scripts/i18n.sh`, translate the new entries in
translations/en/LC_MESSAGES/messages.po, run `scripts/i18n.sh compile`, commit .po and .mo.
"""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

# Runs once, in the SQLite pass of scripts/test.sh: the catalogue and its rendering do not touch the engine.
pytestmark = pytest.mark.engine_neutral

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
HAN = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
FIX = "run scripts/i18n.sh, translate the new entries, scripts/i18n.sh compile"


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.fixture(scope="module")
def po():
    with PO.open("rb") as f:
        return read_po(f, locale="en")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh extraction of every string in the code and templates, as scripts/i18n.sh does."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    cmd = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
           "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "_n:1,2",
           "--no-wrap", "-o", str(out), "."]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    with out.open("rb") as f:
        return read_po(f)


def test_catalogue_has_every_extracted_string(po, fresh):
    missing = sorted(map(str, _ids(fresh) - _ids(po)))
    assert not missing, f"{len(missing)} strings not in messages.po ({FIX}): {missing[:10]}"


def test_every_entry_translated_and_not_fuzzy(po):
    bad = []
    for m in po:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
        if m.fuzzy or not all(s and s.strip() for s in strings):
            bad.append(m.id)
    assert not bad, f"{len(bad)} untranslated or fuzzy entries ({FIX}): {bad[:10]}"


def test_translations_are_english_and_keep_placeholders(po):
    problems = []
    for m in po:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, (list, tuple)) else [m.id]
        strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
        wanted = set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", ids[0]))
        for s in strings:
            if HAN.search(s or ""):
                problems.append(("chinese left", m.id))
            if set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", s or "")) != wanted:
                problems.append(("placeholders differ", m.id))
    assert not problems, problems[:10]


def test_compiled_mo_matches_po(po):
    with MO.open("rb") as f:
        mo = read_mo(f)
    po_map = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in po if m.id}
    mo_map = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in mo if m.id}
    assert po_map == mo_map, "messages.mo is older than messages.po: scripts/i18n.sh compile"


def _visible_text(html: str) -> str:
    """The words a user sees: tags, scripts and attribute-free markup removed."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?is)<!--.*?-->", " ", html)
    labels = " ".join(re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', html))
    return re.sub(r"(?s)<[^>]+>", " ", html) + " " + labels


def _strip_data(text: str, data: list[str]) -> str:
    """Remove what users typed or admins named (people, places, categories): data, not UI.

    Also the language menu's own name for Chinese (an endonym) and the ＋ icon."""
    data = [*data, "简体中文", "中文", "＋"]
    for value in sorted({d for d in data if d}, key=len, reverse=True):
        text = text.replace(value, " ")
    return re.sub(r"[\u4e00-\u9fff]\*+", " ", text)  # masked names: 王**


def test_public_pages_render_in_english(client):
    client.set_cookie("lang", "en")
    for url in ("/auth/login", "/login", "/offline"):
        resp = client.get(url)
        if resp.status_code != 200:
            continue
        text = _strip_data(_visible_text(resp.get_data(as_text=True)), [])
        assert not HAN.findall(text), (url, sorted(set(HAN.findall(text)))[:20])
    assert "offline" in client.get("/offline").get_data(as_text=True).lower()


def _page_urls(app):
    """Every GET page without URL arguments (the main pages of each role)."""
    skip = ("/api/", "/static/", "/sw.js", "/manifest", "/pwa/", "/logout", "/auth/logout")
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(skip):
            yield rule.rule


@pytest.mark.parametrize("role", ["resident", "member", "admin", "grid_worker", "unit_admin",
                                  "street_admin"])
def test_signed_in_pages_render_in_english(app, client, db, world, make_wish, role):
    from tests.conftest import login
    from webapp.models import Category, Org, Unit, User

    user = getattr(world, role)
    user.locale = "en"  # first: messages are written in the recipient's language when sent
    db.commit()
    from webapp.models import Claim

    published = make_wish("published")
    pending = make_wish("pending_review", title="帮忙修水管")
    done = make_wish("done", title="帮忙修水管")
    claim = db.scalar(select(Claim).where(Claim.wish_id == done.id))
    extra = {  # pages behind an id, for the roles that open them
        "resident": [f"/wishes/{done.id}", f"/wishes/{done.id}/confirm"],
        "member": [f"/wishes/{done.id}", f"/claims/{claim.id}/done"],
        "admin": [f"/admin/wishes/{pending.id}/review", f"/admin/wishes/{published.id}/dispatch",
                  f"/wishes/{published.id}"],
    }.get(role, [])
    login(client, user)
    data = [*db.scalars(select(Org.name)), *db.scalars(select(Unit.name)),
            *db.scalars(select(Category.name)), *db.scalars(select(User.name)),
            "帮忙买菜送上楼", "帮忙修水管", "腿脚不便，需要有人帮忙。", "3单元502"]
    checked = 0
    for url in [*_page_urls(app), *extra]:
        resp = client.get(url)
        if resp.status_code != 200 or not resp.mimetype == "text/html":
            continue
        checked += 1
        text = _strip_data(_visible_text(resp.get_data(as_text=True)), data)
        found = sorted(set(HAN.findall(text)))
        assert not found, (role, url, found[:30])
    assert checked >= 2, f"only {checked} pages checked for {role}"


def test_language_switch_is_remembered(client, db, world):
    from tests.conftest import login

    login(client, world.member)
    resp = client.post("/me/preferences", data={"locale": "en"}, follow_redirects=True)
    assert resp.status_code == 200
    db.refresh(world.member)
    assert world.member.locale == "en"
    assert '<html lang="en"' in resp.get_data(as_text=True)
    # A new session (another device) still gets English: the choice lives on the user.
    other = client.application.test_client()
    login(other, world.member)
    assert '<html lang="en"' in other.get("/me").get_data(as_text=True)
    client.post("/me/preferences", data={"locale": "zh_CN"})
    assert '<html lang="zh-CN"' in other.get("/me").get_data(as_text=True)


def test_notifications_written_in_the_recipients_language(db, world, make_wish):
    from webapp.models import Notification

    world.resident.locale = "en"
    db.commit()
    wish = make_wish("claimed", resident=world.resident)
    mine = db.scalars(select(Notification).where(Notification.user_id == world.resident.id)
                      .order_by(Notification.id)).all()
    assert [n.title for n in mine][:2] == ["Wish published", "Wish claimed"]
    assert wish.title in mine[0].body and not HAN.search(mine[0].body.replace(wish.title, ""))
    # A Chinese-speaking volunteer of the same event stream still reads Chinese.
    volunteer = db.scalars(select(Notification).where(
        Notification.user_id != world.resident.id)).first()
    if volunteer is not None:
        assert HAN.search(volunteer.title)
