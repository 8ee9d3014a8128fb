"""微信登录 through the loopback WeChat's 网页授权: the first time binds by code or password,
afterwards WeChat alone signs in; unbinding, a WeChat bound elsewhere, a forged state, and the
openid shown nowhere and deleted with the account."""
from urllib.parse import urlsplit

import requests
from sqlalchemy import select

from tests.conftest import PASSWORD, login
from tests.unit.wechatkit import APP_ID, bind, wechat  # noqa: F401 (fixture)
from tests.web.people.test_code_signin import CODE_TPL, _code_for, _send, codes_on  # noqa: F401
from webapp.models import WeChatBinding
from webapp.services.wishes import privacy

UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MicroMessenger/8.0.47.2560(0x28002F35) "
      "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")


def _oauth(client, kit, openid, nxt=None):
    """Open /login/wechat as `openid` inside WeChat; returns the app's answer to the callback."""
    kit.current_openid = openid
    r = client.get("/login/wechat" + (f"?next={nxt}" if nxt else ""), headers={"User-Agent": UA})
    assert r.status_code == 302 and r.location.startswith(kit.base + "connect/oauth2/authorize")
    back = requests.get(r.location.split("#")[0], headers={"User-Agent": UA},
                        allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    url = urlsplit(back.headers["Location"])
    assert url.path == "/login/wechat/back"
    return client.get(f"{url.path}?{url.query}", headers={"User-Agent": UA})


def _me(client):
    return client.get("/me").status_code


def test_login_page_offers_wechat_only_inside_wechat(client, wechat):
    assert "微信登录" in client.get("/login", headers={"User-Agent": UA}).get_data(as_text=True)
    assert "微信登录" not in client.get("/login").get_data(as_text=True)


def test_first_time_binds_by_password_then_wechat_alone_signs_in(client, db, world, wechat):
    r = _oauth(client, wechat, "oRES1", nxt="/my/wishes")
    assert r.status_code == 302 and r.location.endswith("/login/wechat/bind")
    page = client.get("/login/wechat/bind").get_data(as_text=True)
    assert "oRES1" not in page and "获取验证码" in page
    assert _me(client) == 302  # not signed in yet
    r = client.post("/login/wechat/bind", data={"action": "password", "phone": world.resident.phone,
                                                 "password": "wrong-password"})
    assert r.status_code == 422 and db.scalar(select(WeChatBinding)) is None
    r = client.post("/login/wechat/bind", data={"action": "password", "phone": world.resident.phone,
                                                 "password": PASSWORD})
    assert r.status_code == 302 and r.location.endswith("/my/wishes")
    b = db.scalar(select(WeChatBinding))
    assert (b.user_id, b.app_id, b.openid) == (world.resident.id, APP_ID, "oRES1")
    assert "oRES1" not in client.get("/me").get_data(as_text=True)
    client.post("/logout")
    r = _oauth(client, wechat, "oRES1")
    assert r.status_code == 302 and r.location == "/"  # signed in by WeChat alone
    assert _me(client) == 200


def test_first_time_binds_by_sms_code(client, db, world, wechat, codes_on):
    _oauth(client, wechat, "oRES2")
    r = _send(client, world.resident.phone, path="/login/wechat/bind")
    assert r.status_code == 200 and "6 位验证码" in r.get_data(as_text=True)
    code = _code_for(db, world.resident.phone)
    r = client.post("/login/wechat/bind", data={"action": "verify", "phone": world.resident.phone,
                                                 "code": code})
    assert r.status_code == 302
    assert db.scalar(select(WeChatBinding.user_id)) == world.resident.id


def test_a_wechat_bound_to_another_account_is_refused(client, db, world, wechat):
    bind(db, world.member, "oSHARED")
    r = _oauth(client, wechat, "oSHARED")
    assert r.status_code == 302 and r.location == "/"  # it signs in its own account
    client.post("/logout")
    login(client, world.resident)
    client.post("/me/wechat/unbind")  # nothing to unbind: harmless
    # A signed-in person opening 微信登录 with someone else's WeChat: refused, nothing changes.
    r = _oauth(client, wechat, "oSHARED")
    assert db.scalar(select(WeChatBinding.user_id)) == world.member.id


def test_signed_in_person_binds_on_the_spot_and_unbinds(client, db, world, wechat):
    login(client, world.resident)
    r = _oauth(client, wechat, "oRES3", nxt="/me")
    assert r.status_code == 302 and db.scalar(select(WeChatBinding.openid)) == "oRES3"
    page = client.get("/me").get_data(as_text=True)
    assert "解除微信绑定" in page and "oRES3" not in page
    assert client.post("/me/wechat/unbind").status_code == 302
    assert db.scalar(select(WeChatBinding)) is None


def test_forged_state_or_code_is_refused(client, db, world, wechat):
    client.get("/login/wechat", headers={"User-Agent": UA})
    r = client.get("/login/wechat/back?code=abc&state=forged")
    assert r.status_code == 400 and db.scalar(select(WeChatBinding)) is None
    client.get("/login/wechat", headers={"User-Agent": UA})
    with client.session_transaction() as s:
        state = s["wx_state"]
    r = client.get(f"/login/wechat/back?code=never-issued&state={state}")
    assert r.status_code == 400 and ("/sns/oauth2/access_token", 40029) in wechat.errors


def test_outside_wechat_the_authorize_page_refuses(client, wechat):
    r = client.get("/login/wechat")
    assert requests.get(r.location, allow_redirects=False, timeout=5).status_code == 403


def test_off_by_default(client):
    assert client.get("/login/wechat").status_code == 404
    assert client.get("/login/wechat/bind").status_code == 404
    assert "微信" not in client.get("/login", headers={"User-Agent": UA}).get_data(as_text=True)


def test_openid_exported_to_its_owner_and_deleted_with_the_account(db, world, wechat):
    bind(db, world.resident2, "oGONE")
    data = privacy.export_my_data(db, world.resident2)
    assert data["wechat"][0]["openid"] == "oGONE"
    privacy.delete_account(db, world.resident2)
    assert db.scalar(select(WeChatBinding)) is None
