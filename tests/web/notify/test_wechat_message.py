"""The 公众号's message endpoint: WeChat's URL check, signatures, encrypted mode, follow and
unfollow, the menu's 我的心愿, and delivery reports settling the outbox."""
import xmltodict
from sqlalchemy import select

from tests.unit.wechatkit import TOKEN, WeChat, bind, decrypt, signature, wechat  # noqa: F401
from webapp.models import Outbox, WeChatBinding
from webapp.services.notify.notify import notify

PATH = "/wechat/message"


def _post(client, kit, xml, encrypted=False):
    q, body = kit.push(xml, encrypted)
    return client.post(f"{PATH}?{q}", data=body, content_type="text/xml")


def test_url_check_echoes_only_when_signed(client, wechat):
    ts, nonce = "1700000000", "n1"
    ok = client.get(f"{PATH}?signature={signature(TOKEN, ts, nonce)}&timestamp={ts}&nonce={nonce}"
                    "&echostr=hello123")
    assert ok.status_code == 200 and ok.get_data(as_text=True) == "hello123"
    bad = client.get(f"{PATH}?signature=00&timestamp={ts}&nonce={nonce}&echostr=hello123")
    assert bad.status_code == 403


def test_off_by_default_is_not_found(client):
    assert client.get(f"{PATH}?signature=x&timestamp=1&nonce=2&echostr=e").status_code == 404


def test_subscribe_gets_a_welcome_with_a_link_and_marks_the_binding(client, db, world, wechat):
    bind(db, world.resident, "oRES1", subscribed=False)
    r = _post(client, wechat, WeChat.event_xml("oRES1", "subscribe"))
    reply = xmltodict.parse(r.data)["xml"]
    assert r.status_code == 200 and reply["ToUserName"] == "oRES1" and reply["MsgType"] == "text"
    assert "欢迎关注" in reply["Content"] and "/login/wechat?next=/" in reply["Content"]
    db.expire_all()
    assert db.scalar(select(WeChatBinding.subscribed)) is True
    assert _post(client, wechat, WeChat.event_xml("oRES1", "unsubscribe")).data == b"success"
    db.expire_all()
    assert db.scalar(select(WeChatBinding.subscribed)) is False


def test_menu_click_answers_my_wishes_encrypted(client, wechat):
    r = _post(client, wechat, WeChat.event_xml("oX", "CLICK", EventKey="MY_WISHES"), encrypted=True)
    outer = xmltodict.parse(r.data)["xml"]
    assert outer["MsgSignature"] == signature(TOKEN, outer["TimeStamp"], outer["Nonce"],
                                              outer["Encrypt"])
    inner = xmltodict.parse(decrypt(outer["Encrypt"]))["xml"]
    assert "我的心愿" in inner["Content"] and "next=/my/wishes" in inner["Content"]


def test_wrong_signatures_and_garbage_are_refused(client, wechat):
    xml = WeChat.event_xml("oX", "subscribe")
    q, body = wechat.push(xml)
    assert client.post(f"{PATH}?{q.replace('signature=', 'signature=0')}", data=body).status_code == 403
    q, body = wechat.push(xml, encrypted=True)
    tampered = q.replace("msg_signature=", "msg_signature=0")
    assert client.post(f"{PATH}?{tampered}", data=body).status_code == 403
    q, _body = wechat.push(xml)
    assert client.post(f"{PATH}?{q}", data=b"<xml><unclosed>").status_code == 400


def test_delivery_report_marks_the_message_delivered(client, db, world, wechat):
    bind(db, world.resident, "oRES1", wechat)
    (n,) = notify(db, [world.resident.id], "wish_claimed")
    db.commit()
    row = db.scalar(select(Outbox).where(Outbox.notification_id == n.id))
    row.status, row.provider_ref = "sent", "2000123"
    db.commit()
    xml = WeChat.event_xml("oRES1", "TEMPLATESENDJOBFINISH", MsgID=2000123, Status="success")
    assert _post(client, wechat, xml, encrypted=True).status_code == 200
    db.expire_all()
    assert db.get(Outbox, row.id).delivery == "delivered"
