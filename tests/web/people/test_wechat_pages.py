"""The pages WeChat adds, which the site-wide sweeps cannot reach (they need WeChat on and an
openid in the session): valid HTML (Nu Html Checker), and no Chinese for an English reader."""
import json
import subprocess

import pytest

from tests.conftest import login
from tests.unit.wechatkit import bind, wechat  # noqa: F401 (fixture)
from tests.web.house.test_english_everywhere import CJK, _data, _visible
from tests.web.house.test_html_valid import _vnu
from tests.web.people.test_wechat_signin import UA
from webapp.db import begin_write
from webapp.models import User, WeChatBinding

pytestmark = pytest.mark.engine_neutral  # templates and words, not the database


def _pages(client, db, world):
    """(name, html) of each WeChat page and state, for the client's current language."""
    out = []
    with client.session_transaction() as s:
        s["wx_openid"] = "oPAGES"
    for name, url in (("bind", "/login/wechat/bind"),
                      ("bind-password", "/login/wechat/bind?method=password")):
        r = client.get(url, headers={"User-Agent": UA})
        assert r.status_code == 200, name
        out.append((name, r.get_data(as_text=True)))
    r = client.post("/login/wechat/bind", data={"action": "verify", "phone": world.resident.phone,
                                                 "code": "000000"})
    out.append(("bind-code-wrong", r.get_data(as_text=True)))
    r = client.get("/login/wechat/back?code=x&state=y", headers={"User-Agent": UA})
    out.append(("refused", r.get_data(as_text=True)))
    login(client, world.resident)
    for name, url in (("me", "/me"), ("settings", "/settings/notifications"), ("landing", "/")):
        r = client.get(url, headers={"User-Agent": UA})
        out.append((name, r.get_data(as_text=True)))
    bind(db, world.resident, "oPAGES2")
    out.append(("me-bound", client.get("/me", headers={"User-Agent": UA}).get_data(as_text=True)))
    return out


def test_wechat_pages_are_valid_html_and_english_for_english_readers(app, db, world, wechat,
                                                                     tmp_path):
    zh = _pages(app.test_client(), db, world)
    begin_write(db)
    db.query(User).filter_by(id=world.resident.id).update({"locale": "en"})
    db.query(WeChatBinding).delete()
    db.commit()
    en_client = app.test_client()
    en_client.set_cookie("lang", "en")
    en = _pages(en_client, db, world)
    data = _data(db)
    chinese = {name: CJK.findall(_visible(html, data))[:8] for name, html in en
               if CJK.search(_visible(html, data))}
    assert not chinese, chinese
    files = []
    for lang, pages in (("zh", zh), ("en", en)):
        for name, html in pages:
            path = tmp_path / f"{lang}-{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
    run = subprocess.run(_vnu() + ["--errors-only", "--format", "json", "--exit-zero-always",
                                   *files], capture_output=True, text=True, timeout=240)
    errors = [m for m in json.loads(run.stderr or run.stdout)["messages"]
              if m["type"] in ("error", "non-document-error")]
    assert not errors, [(m.get("url", "").rsplit("/", 1)[-1], m["message"]) for m in errors[:8]]
