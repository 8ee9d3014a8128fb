"""At 390×844: a resident who forgot her password gets back in by SMS code and sets a new one;
imported residents activate by code (English, elder mode) and by a printed slip."""
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.e2e.conftest import shot, ui_login
from webapp.extensions import limiter
from webapp.models import Outbox, User
from webapp.services.people import signin_codes

CODE_TPL = {"code": {"code": "SMS_CODE", "params": {"code": "code"}}}


@pytest.fixture
def codes_on(app):
    saved = app.config.get("SMS_TEMPLATES")
    app.config["SMS_TEMPLATES"] = dict(saved or {}, **CODE_TPL)
    limiter.storage.reset()
    yield
    app.config["SMS_TEMPLATES"] = saved
    limiter.storage.reset()


def _sms_code(db, phone: str) -> str:
    """What the SMS carries (read from its outbox row, as the provider would send it)."""
    db.rollback()  # a fresh snapshot: the live server wrote the row in its own transaction
    return db.scalar(select(Outbox.params).where(Outbox.phone == phone)
                     .order_by(Outbox.id.desc()))["code"]


def _ask_code(page, phone: str, button: str) -> None:
    page.locator("#f-phone").fill(phone)
    page.get_by_role("button", name=button).click()  # the page solves the ALTCHA first
    page.locator("#f-code").wait_for()


def _imported(db, world, phone, name, elder=False) -> User:
    u = User(phone=phone, name=name, password_hash=None, building_id=world.ba1.id,
             elder_mode=elder)
    db.add(u)
    db.commit()
    return u


def test_forgotten_password_back_in_by_code(new_context, db, world, codes_on):
    from playwright.sync_api import expect
    page = new_context().new_page()
    page.goto("/login")
    page.get_by_role("link", name="忘记密码").click()
    _ask_code(page, world.resident.phone, "获取验证码")
    code = page.locator("#f-code")
    assert code.get_attribute("autocomplete") == "one-time-code"
    assert code.get_attribute("inputmode") == "numeric"
    # The count is written by the page's deferred script: expect() waits for it (bounded).
    expect(page.locator("[data-countdown]")).to_contain_text("秒后可重新获取", timeout=30_000)
    # Typed by a Chinese input method: full-width digits.
    code.fill(_sms_code(db, world.resident.phone).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")))
    page.locator("#f-new_password").fill("my-new-pass-2026")
    shot(page, "code-forgot-390")
    page.get_by_role("button", name="设置新密码并登录").click()
    page.wait_for_url(lambda url: urlsplit(url).path not in ("/forgot",))
    page.context.clear_cookies()
    ui_login(page, world.resident, password="my-new-pass-2026")


def test_imported_resident_activates_by_code_in_english_elder_mode(new_context, site, db, world,
                                                                    codes_on):
    u = _imported(db, world, "13877770001", "导入居民", elder=True)
    ctx = new_context(locale="en-US")
    ctx.add_cookies([{"name": "lang", "value": "en", "url": site.url}])
    page = ctx.new_page()
    page.goto("/login")
    page.get_by_role("link", name="Sign in with a code").click()
    _ask_code(page, u.phone, "Get code")
    page.locator("#f-code").fill(_sms_code(db, u.phone))
    shot(page, "code-activate-en-390")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/login/code")
    assert page.locator("body[data-elder='1']").count() == 1
    db.rollback()
    db.refresh(u)
    assert u.activated_at is not None and u.phone_verified_at is not None


def test_imported_resident_activates_by_a_printed_slip(new_context, db, world):
    u = _imported(db, world, "13877770002", "导入阿姨")
    slip = signin_codes.make_slip(db, u)
    db.commit()
    page = new_context().new_page()
    page.goto("/login")
    page.get_by_role("link", name="社区已为我登记？用验证码或激活单激活").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/activate")
    page.locator("#f-code").fill(f"{slip[:4].lower()} {slip[4:]}")  # as read aloud
    page.get_by_role("button", name="激活并登录").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/activate")
    db.rollback()
    db.refresh(u)
    assert u.activated_at is not None


@pytest.fixture
def signup_proof(app):
    app.config["SIGNUP_PHONE_PROOF"] = True
    yield
    app.config["SIGNUP_PHONE_PROOF"] = False


def test_a_tap_before_the_proof_is_solved_waits_for_it_and_keeps_its_button(
        new_context, console_errors, signup_proof, codes_on):
    console_errors.offline_ok = True  # the script is cut on purpose below
    page = new_context(service_workers="block").new_page()  # page.route sees every fetch
    # Without the script (not loaded yet, on a slow phone) the code button cannot be tapped:
    # it would send no proof and be refused.
    page.route("**/js/code.*js", lambda route: route.abort())
    page.goto("/register")
    ask = page.get_by_role("button", name="获取验证码")
    assert ask.is_disabled()
    page.unroute("**/js/code.*js")
    page.reload()
    ask.wait_for()
    page.locator("#f-name").fill("新来的邻居")
    page.locator("#f-phone").fill("13877770003")
    # A tap before the proof is solved: the page waits for it, then sends the form by the same
    # button (its formaction, /register/code), not by the form's own action (/register).
    page.locator("input[name=altcha]").evaluate("box => { box.value = ''; }")
    ask.click()
    page.get_by_text("验证码已发送，5 分钟内有效。").wait_for()
    assert urlsplit(page.url).path == "/register/code"
