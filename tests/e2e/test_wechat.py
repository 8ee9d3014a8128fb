"""In WeChat's browser at 390×844 (its user agent): a resident opens the community's link, signs
in with WeChat, binds her phone once by SMS code and posts a wish; a member claims it; the
template message arrives at the loopback WeChat, no SMS goes to her, and its link opens the
wish in her WeChat browser."""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.e2e.conftest import shot, ui_login
from tests.unit.wechatkit import WeChat
from tests.web.people.test_wechat_signin import UA
from webapp.extensions import limiter
from webapp.models import Notification, NotificationPreference, Outbox, WeChatBinding, utcnow
from webapp.services.notify import wechatout
from webapp.services.platform import wechat as platform
from webapp.services.wishes import wishes

SMS = {"code": {"code": "SMS_CODE", "params": {"code": "code"}},
       "wish_claimed": {"code": "SMS_CLAIMED", "params": {"title": "title"}}}


@pytest.fixture
def wechat_site(app, site):
    """WeChat and (development) SMS on, links built for the live server's address."""
    kit = WeChat()
    saved = dict(app.config)
    app.config.update(kit.config(PUBLIC_URL=site.url, SMS_PROVIDER="dev", SMS_TEMPLATES=SMS))
    app.extensions.pop("wishgrid_wechat", None)
    app.extensions.pop("wishgrid_sms", None)
    limiter.storage.reset()
    yield kit
    app.config.clear()
    app.config.update(saved)
    app.extensions.pop("wishgrid_wechat", None)
    app.extensions.pop("wishgrid_sms", None)
    kit.close()


def test_wechat_sign_in_bind_post_and_the_claim_message(new_context, db, world, site, app,
                                                       wechat_site):
    kit = wechat_site
    # Quiet hours off: at night (Beijing) the claim's message would wait for the morning.
    db.merge(NotificationPreference(user_id=world.resident.id, quiet_start=None, quiet_end=None))
    db.commit()
    kit.current_openid = "oWX_RESIDENT"
    kit.follow("oWX_RESIDENT")
    page = new_context(user_agent=UA).new_page()
    page.goto("/")  # the community's link, opened from the grid's WeChat group
    page.get_by_role("link", name="登录").first.click()
    page.get_by_role("link", name="微信登录").click()  # off to WeChat's 网页授权 and back
    page.wait_for_url(lambda url: urlsplit(url).path == "/login/wechat/bind")
    shot(page, "wechat-bind-390")
    page.locator("#f-phone").fill(world.resident.phone)
    page.get_by_role("button", name="获取验证码").click()  # the page solves the ALTCHA first
    page.locator("#f-code").wait_for()
    db.rollback()
    code = db.scalar(select(Outbox.params).where(Outbox.phone == world.resident.phone)
                     .order_by(Outbox.id.desc()))["code"]
    page.locator("#f-code").fill(code)
    page.get_by_role("button", name="绑定并登录").click()
    page.wait_for_url(lambda url: "/login" not in urlsplit(url).path)
    db.rollback()
    assert db.scalar(select(WeChatBinding.user_id)) == world.resident.id

    page.goto("/wishes/new")
    page.get_by_label("标题").fill("帮忙换厨房灯泡")
    page.get_by_label("详细说明").fill("灯泡在高处，我够不着。")
    page.locator("#f-category").select_option(label="助老助残")
    page.get_by_role("button", name="提交心愿").click()
    page.wait_for_url(re.compile(r"/wishes/\d+$"))
    wish_id = int(page.url.rsplit("/", 1)[1])
    with app.app_context():
        wishes.review(db, world.admin, wish_id, "approve")  # the community publishes it

    member = new_context().new_page()
    ui_login(member, world.member)
    member.goto("/menu")
    member.locator(f"#wish-{wish_id} [data-action=claim]").click()
    member.locator(f"#wish-{wish_id}").filter(has_text="您已认领").wait_for()

    db.rollback()  # the job process's turn: deliver the outbox
    stats = wechatout.deliver(db, utcnow() + timedelta(seconds=1), platform.client(app), "e2e")
    assert stats.get("sent", 0) >= 1, stats
    (msg,) = [m for m in kit.sent if m[1] == "oWX_RESIDENT"]
    assert msg[2] == "TPL_wish_claimed_0000000000000000000000000"
    assert msg[3]["thing1"]["value"] == "帮忙换厨房灯泡"
    claimed = db.scalar(select(Notification.id).where(Notification.event == "wish_claimed",
                                                      Notification.user_id == world.resident.id))
    channels = set(db.scalars(select(Outbox.channel).where(Outbox.notification_id == claimed)))
    assert channels == {"wechat"}  # WeChat reached her: no SMS for it

    page.goto(msg[4])  # the link in the template message, opened in WeChat
    assert urlsplit(page.url).path == f"/wishes/{wish_id}"
    page.get_by_role("heading", name="帮忙换厨房灯泡").wait_for()
    shot(page, "wechat-wish-from-message-390")
