"""Issue 22 §6: with no SMS provider the run command uses the development provider, which sends
nothing: texts go to the job log and to /staff/dev-sms, which only the street's admins may open,
marked as not for production, so code sign-in can be tried on the demo. With a real provider
(the Alibaba SDK against the loopback provider) a demo account gets no code at all."""
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.unit.notify.test_sms_delivery import kit, sms_on  # noqa: F401 - fixtures
from webapp.models import Outbox, User, utcnow
from webapp.services.notify import devsms, receipts, sms, smsout
from webapp.services.people import orgs as org_svc, signin_codes


@pytest.fixture
def dev_on(app):
    saved = dict(app.config)
    app.config.update(SMS_PROVIDER="dev", SMS_TEMPLATES={})
    app.extensions.pop("wishgrid_sms", None)
    yield sms.app_provider(app)
    app.config.clear()
    app.config.update(saved)
    app.extensions.pop("wishgrid_sms", None)


def _deliver(db, provider):
    stats = smsout.deliver(db, utcnow() + timedelta(seconds=1), provider, "dev-test")
    db.expire_all()
    return stats


def test_a_code_goes_to_the_log_and_the_street_admins_page(client, db, world, dev_on, caplog):
    world.resident.is_demo = True  # the demo's residents are whom the page is for
    db.commit()
    assert isinstance(dev_on, devsms.Dev) and sms.enabled({"SMS_PROVIDER": "dev"})
    assert not sms.reaches_outside({"SMS_PROVIDER": "dev"})
    code = signin_codes.send_code(db, world.resident.phone)  # no template configured: built in
    caplog.set_level(logging.WARNING, logger="webapp.services.notify.devsms")
    assert _deliver(db, dev_on) == {"sent": 1}
    assert f"您的验证码为{code}" in caplog.text and "not for production" in caplog.text
    row = db.scalar(select(Outbox).where(Outbox.phone == world.resident.phone))
    assert row.status == "sent" and devsms.is_dev(row)
    assert receipts.state([row]) == "dev"
    assert smsout.poll_receipts(db, utcnow() + timedelta(days=1), dev_on) == 0  # no receipts
    login(client, world.street_admin)
    page = client.get("/staff/dev-sms").get_data(as_text=True)
    assert "切勿用于正式环境" in page and code in page and world.resident.phone in page
    # and the code signs the resident in
    client.post("/logout")
    r = client.post("/login/code", data={"phone": world.resident.phone, "code": code})
    assert r.status_code == 302


def test_a_real_accounts_code_never_shows_on_the_page(client, db, world, dev_on):
    """A street that runs on the development provider by mistake: its admins must not read a
    real resident's code there (it would sign them in as the resident)."""
    code = signin_codes.send_code(db, world.resident.phone)
    assert _deliver(db, dev_on) == {"sent": 1}
    login(client, world.street_admin)
    page = client.get("/staff/dev-sms").get_data(as_text=True)
    assert world.resident.phone in page and "真实账号的短信内容不在此显示" in page
    assert code not in page


@pytest.mark.parametrize("who", ["admin", "grid_worker", "resident", "admin_b"])
def test_nobody_but_the_streets_admins_opens_the_page(client, db, world, dev_on, who):
    login(client, getattr(world, who))
    assert client.get("/staff/dev-sms").status_code == 403


def test_another_streets_admin_does_not_see_this_streets_codes(client, db, world, dev_on,
                                                               make_user):
    code = signin_codes.send_code(db, world.resident.phone)
    _deliver(db, dev_on)
    street = org_svc.add_org(db, "street", "另一街道")
    db.commit()
    other = make_user("蒋街道", "13800000199", None, [("street_admin", street, None)])
    login(client, other)
    page = client.get("/staff/dev-sms").get_data(as_text=True)
    assert "切勿用于正式环境" in page and code not in page


def test_the_code_page_says_nothing_is_really_sent(client, dev_on):
    page = client.get("/login/code").get_data(as_text=True)
    assert 'id="dev-sms-note"' in page and "/staff/dev-sms" in page


def test_no_note_without_the_dev_provider(client):
    assert 'id="dev-sms-note"' not in client.get("/login/code").get_data(as_text=True)


def _demo(db, world):
    demo = db.get(User, world.resident.id)
    demo.is_demo = True
    db.commit()
    return demo


def test_a_demo_account_gets_no_code_from_a_real_provider(db, world, sms_on, kit):  # noqa: F811
    p = sms_on("aliyun")
    from flask import current_app
    current_app.config["SMS_TEMPLATES"] = {"code": {"code": "SMS_9", "params": {"code": "code"}}}
    demo = _demo(db, world)
    signin_codes.send_code(db, demo.phone)
    signin_codes.send_code(db, world.member.phone)  # a real account beside it still gets one
    _deliver(db, p)
    assert [s[1] for s in kit.sent] == [world.member.phone]
    assert db.scalar(select(Outbox).where(Outbox.phone == demo.phone)) is None


def test_with_the_dev_provider_the_demo_can_try_code_sign_in(db, world, dev_on):
    demo = _demo(db, world)
    code = signin_codes.send_code(db, demo.phone)
    _deliver(db, dev_on)
    msgs = devsms.messages(db, {world.street.id})
    assert [(m["phone"], m["code"]) for m in msgs] == [(demo.phone, code)]


def test_the_page_in_english_says_it_is_not_for_production(client, db, world, dev_on):
    world.resident.is_demo = True
    db.commit()
    code = signin_codes.send_code(db, world.resident.phone)
    _deliver(db, dev_on)
    login(client, world.street_admin)
    client.set_cookie("lang", "en")
    page = client.get("/staff/dev-sms").get_data(as_text=True)
    assert "Development SMS" in page and "never in production" in page and code in page
