"""SMS codes as a service: single use, expiry, 5 wrong tries, hashed at rest, recovery ends
other sessions, slips, activation, and the code SMS delivered through the real SDKs."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.unit.smskit import SmsProvider
from webapp.models import Outbox, SignInCode, User, utcnow
from webapp.services.notify import sms, smsout
from webapp.services.people import accounts, signin_codes as sc

CODE_TPL = {"code": {"code": "SMS_CODE", "params": {"code": "code"}}}


@pytest.fixture
def code_tpl(app):
    saved = app.config.get("SMS_TEMPLATES")
    app.config["SMS_TEMPLATES"] = dict(saved or {}, **CODE_TPL)
    yield
    app.config["SMS_TEMPLATES"] = saved


def test_a_code_signs_in_once_and_never_again(db, world, code_tpl):
    code = sc.send_code(db, world.resident.phone)
    assert len(code) == 6 and code.isdigit()
    assert sc.sign_in(db, world.resident.phone, code).id == world.resident.id
    assert sc.sign_in(db, world.resident.phone, code) is None


def test_only_the_hash_is_kept(db, world, code_tpl):
    code = sc.send_code(db, world.resident.phone)
    row = db.scalar(select(SignInCode))
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_a_code_expires_after_five_minutes(db, world, code_tpl):
    now = utcnow()
    code = sc.send_code(db, world.resident.phone, now=now)
    assert sc.sign_in(db, world.resident.phone, code, now=now + timedelta(minutes=5, seconds=1)) is None
    code = sc.send_code(db, world.resident.phone, now=now)
    assert sc.sign_in(db, world.resident.phone, code, now=now + timedelta(minutes=4)) is not None


def test_five_wrong_tries_kill_the_code(db, world, code_tpl):
    code = sc.send_code(db, world.resident.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert sc.sign_in(db, world.resident.phone, wrong) is None
    assert sc.sign_in(db, world.resident.phone, code) is None  # the right one is dead now


def test_four_wrong_tries_leave_the_code_alive(db, world, code_tpl):
    code = sc.send_code(db, world.resident.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        sc.sign_in(db, world.resident.phone, wrong)
    assert sc.sign_in(db, world.resident.phone, code) is not None


def test_a_new_code_replaces_the_old(db, world, code_tpl):
    old = sc.send_code(db, world.resident.phone)
    new = sc.send_code(db, world.resident.phone)
    if old != new:
        assert sc.sign_in(db, world.resident.phone, old) is None
    assert sc.sign_in(db, world.resident.phone, new) is not None


def test_code_sign_in_proves_the_phone_and_activates(db, world, code_tpl):
    u = world.resident
    assert u.activated_at is None and u.phone_verified_at is None
    sc.sign_in(db, u.phone, sc.send_code(db, u.phone))
    db.refresh(u)
    assert u.activated_at is not None and u.phone_verified_at is not None


def test_password_sign_in_activates_once(db, world):
    from tests.conftest import PASSWORD
    u = accounts.authenticate(db, world.resident.phone, PASSWORD)
    first = u.activated_at
    assert first is not None
    accounts.authenticate(db, world.resident.phone, PASSWORD)
    db.refresh(u)
    assert u.activated_at == first


def test_recovery_sets_the_password_and_ends_other_sessions(db, world, code_tpl):
    from webapp.services.people.passwords import verify_password
    u = world.resident
    gen = u.session_gen or 0
    accounts.issue_token(db, u)
    user = sc.recover(db, u.phone, sc.send_code(db, u.phone), "a-brand-new-pass")
    db.refresh(user)
    assert verify_password(user.password_hash, "a-brand-new-pass")
    assert user.session_gen == gen + 1
    from webapp.models import ApiToken
    assert db.scalar(select(ApiToken).where(ApiToken.user_id == u.id)) is None


def test_recovery_with_a_wrong_code_changes_nothing(db, world, code_tpl):
    u = world.resident
    before = u.password_hash
    code = sc.send_code(db, u.phone)
    assert sc.recover(db, u.phone, f"{(int(code) + 1) % 10**6:06d}", "a-brand-new-pass") is None
    db.refresh(u)
    assert u.password_hash == before


def test_a_code_goes_out_ahead_of_bulk_sms_and_counts_in_the_budget(db, world, code_tpl):
    sc.send_code(db, world.resident.phone)
    row = db.scalar(select(Outbox).where(Outbox.phone == world.resident.phone))
    assert row.template == "SMS_CODE" and row.notification_id is None
    assert row.next_attempt_at < utcnow() - timedelta(hours=1)  # first in the outbox order
    assert row.community_id == world.ca.id  # counts in the community's SMS budget


def test_no_sms_to_a_number_without_an_account(db, world, code_tpl):
    sc.send_code(db, "13912345678")
    assert db.scalar(select(Outbox).where(Outbox.phone == "13912345678")) is None
    assert db.scalar(select(SignInCode).where(SignInCode.phone == "13912345678")) is not None


def test_staff_reset_of_a_proven_phone_sends_a_code_not_a_password(db, world, code_tpl):
    from webapp.services.admin import accounts_admin
    u = world.resident
    u.phone_verified_at = utcnow()
    db.commit()
    assert accounts_admin.reset_password(db, world.grid_worker, u.id) is None
    assert db.scalar(select(Outbox).where(Outbox.phone == u.phone,
                                          Outbox.template == "SMS_CODE")) is not None
    # An unproven phone: the one-time password for staff remains.
    temp = accounts_admin.reset_password(db, world.admin, world.resident2.id)
    assert isinstance(temp, str) and len(temp) >= 8


def test_a_slip_signs_in_once_and_reads_aloud(db, world):
    u = world.resident
    code = sc.make_slip(db, u)
    db.commit()
    assert len(code) == 8 and not set(code) & set("0O1IL2Z5S8B")
    spaced = code[:4].lower() + " " + code[4:]
    assert sc.redeem_slip(db, spaced).id == u.id
    assert sc.redeem_slip(db, code) is None


def test_a_slip_expires_after_thirty_days(db, world):
    now = utcnow()
    code = sc.make_slip(db, world.resident, now=now)
    db.commit()
    assert sc.redeem_slip(db, code, now=now + timedelta(days=30, seconds=1)) is None


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_the_code_sms_is_delivered_through_the_real_sdk(db, world, app, provider):
    kit = SmsProvider()
    saved = dict(app.config)
    try:
        app.config.update(kit.config(provider, SMS_TEMPLATES=CODE_TPL))
        app.extensions.pop("wishgrid_sms", None)
        p = sms.app_provider(app)
        code = sc.send_code(db, world.resident.phone)
        smsout.deliver(db, utcnow() + timedelta(seconds=1), p, "test-owner")
        (_key, phone, template, params) = kit.sent[0]
        assert (phone, template) == (world.resident.phone, "SMS_CODE")
        assert code in list(params.values() if isinstance(params, dict) else params)
        assert kit.bad_signatures == 0
    finally:
        kit.close()
        app.config.clear()
        app.config.update(saved)
        app.extensions.pop("wishgrid_sms", None)
