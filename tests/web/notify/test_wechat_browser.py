"""WeChat's browser as a first-class browser: no push prompt it cannot honour, 分享给邻居 with a
JS-SDK signature that matches WeChat's algorithm for the page's own address, nothing of it
outside WeChat or with WeChat off."""
import hashlib
import html
import json
import re

from tests.conftest import login
from tests.unit.wechatkit import wechat  # noqa: F401 (fixture)
from tests.web.people.test_wechat_signin import UA


def _share(page: str) -> tuple[dict, dict]:
    config = re.search(r'data-config="([^"]+)"', page).group(1)
    card = re.search(r'data-card="([^"]+)"', page).group(1)
    return json.loads(html.unescape(config)), json.loads(html.unescape(card))


def test_landing_in_wechat_offers_a_share_signed_for_its_own_address(client, wechat):
    page = client.get("/", headers={"User-Agent": UA}).get_data(as_text=True)
    assert "分享给邻居" in page and "vendor/jweixin-1.6.5." in page
    config, card = _share(page)
    assert card["link"] == "http://127.0.0.1:5000/" and config["appId"] == wechat.config()["WECHAT_APP_ID"]
    # WeChat's documented signature: SHA-1 of the four fields, sorted by name, joined by "&".
    raw = (f"jsapi_ticket={wechat.ticket}&noncestr={config['nonceStr']}"
           f"&timestamp={config['timestamp']}&url={card['link']}")
    assert config["signature"] == hashlib.sha1(raw.encode()).hexdigest()
    client.get("/", headers={"User-Agent": UA})
    assert wechat.tickets == 1 and wechat.token_fetches == 1  # kept, not fetched per page


def test_wish_detail_share_card_names_the_wish(client, db, world, make_wish, wechat):
    wish = make_wish(resident=world.resident, title="帮忙换灯泡")
    login(client, world.resident)
    page = client.get(f"/wishes/{wish.id}", headers={"User-Agent": UA}).get_data(as_text=True)
    _config, card = _share(page)
    assert card["title"] == "帮忙换灯泡" and card["link"].endswith(f"/wishes/{wish.id}")
    assert world.resident.phone not in json.dumps(card)


def test_no_share_outside_wechat_or_when_off(client, app, wechat):
    assert "分享给邻居" not in client.get("/").get_data(as_text=True)
    app.config["WECHAT_APP_ID"] = ""
    assert "分享给邻居" not in client.get("/", headers={"User-Agent": UA}).get_data(as_text=True)
    assert wechat.tickets == 0


def test_settings_in_wechat_hide_the_push_prompt(client, world, wechat):
    login(client, world.resident)
    inside = client.get("/settings/notifications", headers={"User-Agent": UA}).get_data(as_text=True)
    assert 'id="push-enable"' not in inside and "公众号" in inside
    outside = client.get("/settings/notifications").get_data(as_text=True)
    assert 'id="push-enable"' in outside


def test_a_page_still_renders_when_wechat_cannot_be_reached(client, app, wechat):
    app.config["WECHAT_API_BASE"] = "http://127.0.0.1:9/"  # nothing listens there
    app.extensions.pop("wishgrid_wechat", None)
    r = client.get("/", headers={"User-Agent": UA})
    assert r.status_code == 200 and "分享给邻居" not in r.get_data(as_text=True)

