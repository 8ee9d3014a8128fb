"""SMS delivery through the outbox against a loopback provider that checks every signature:
what the outbox does with each documented answer, doubts, receipts, and a wrong key."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.unit.smskit import SmsProvider
from webapp.models import NotificationPreference, Outbox, User, utcnow
from webapp.services.notify import sms, smsout
from webapp.services.notify.notify import notify

TEMPLATES = {"reminder_before": {"code": "SMS_100", "params": {"title": "title", "time": "note"}},
             "wish_approved": {"code": "SMS_101", "params": {"title": "title"}}}
PROVIDERS = ["aliyun", "tencent"]


@pytest.fixture
def kit():
    k = SmsProvider()
    yield k
    k.close()


@pytest.fixture
def sms_on(app, kit):
    """Turn SMS on for the test with `provider`, pointed at the loopback provider."""
    saved = dict(app.config)

    def on(provider="aliyun", **extra):
        app.config.update(kit.config(provider, SMS_TEMPLATES=TEMPLATES, **extra))
        app.extensions.pop("wishgrid_sms", None)
        return sms.app_provider(app)
    yield on
    app.config.clear()
    app.config.update(saved)
    app.extensions.pop("wishgrid_sms", None)


def _queue(db, user, event="reminder_before", note="明天 09:00"):
    db.merge(NotificationPreference(user_id=user.id, quiet_start=None, quiet_end=None))
    db.commit()
    (n,) = notify(db, [user.id], event, note=note)
    db.commit()
    return db.scalar(select(Outbox).where(Outbox.notification_id == n.id, Outbox.channel == "sms"))


def _run(db, provider, when=None):
    stats = smsout.deliver(db, when or utcnow() + timedelta(seconds=1), provider, "test-owner")
    db.expire_all()
    return stats


@pytest.mark.parametrize("provider", PROVIDERS)
def test_accepted_sms_is_sent_once_with_its_key_and_template(db, world, sms_on, kit, provider):
    p = sms_on(provider)
    row = _queue(db, world.member)
    assert row.phone == world.member.phone and row.template == "SMS_100"
    stats = _run(db, p)
    row = db.get(Outbox, row.id)
    assert stats == {"sent": 1} and row.status == "sent" and row.provider_ref
    assert row.attempt_at is None
    (key, phone, template, params) = kit.sent[0]
    assert (key, phone, template) == (f"wg{row.id}", world.member.phone, "SMS_100")
    assert list(params.values() if isinstance(params, dict) else params) == ["服务提醒", "明天 09:00"]
    assert kit.bad_signatures == 0
    assert _run(db, p) == {}  # nothing sent twice
    assert len(kit.sent) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_rate_limit_is_retried_with_backoff_then_sent(db, world, sms_on, kit, provider):
    p = sms_on(provider)
    row = _queue(db, world.member)
    kit.plan[world.member.phone] = ["rate_limit", "rate_limit"]
    now = utcnow() + timedelta(seconds=1)
    _run(db, p, now)
    row = db.get(Outbox, row.id)
    assert row.status == "pending" and row.attempts == 1 and row.attempt_at is None
    first = row.next_attempt_at
    assert first >= now + timedelta(seconds=29)
    assert _run(db, p, now + timedelta(seconds=5)) == {}  # not due yet
    _run(db, p, first + timedelta(seconds=1))
    row = db.get(Outbox, row.id)
    assert row.attempts == 2 and row.next_attempt_at - first >= timedelta(seconds=59)
    _run(db, p, row.next_attempt_at + timedelta(seconds=1))
    assert db.get(Outbox, row.id).status == "sent" and len(kit.sent) == 1


def _send_refused(db, world, kit, p, refusal: str) -> Outbox:
    """One SMS to `member` that the loopback provider refuses with `refusal`: the row after."""
    row = _queue(db, world.member)
    kit.plan[world.member.phone] = [refusal]
    _run(db, p)
    return db.get(Outbox, row.id)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_invalid_number_is_dropped_and_flagged_on_the_person(db, world, sms_on, kit, provider):
    p = sms_on(provider)
    row = _send_refused(db, world, kit, p, "bad_number")
    assert row.status == "dropped"
    assert "IncorrectPhoneNumber" in row.last_error or "MOBILE_NUMBER_ILLEGAL" in row.last_error
    assert db.get(User, world.member.id).sms_bad_number == world.member.phone
    assert _queue(db, world.member) is None  # no SMS to a number known to be wrong
    assert kit.sent == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_template_not_approved_fails_the_row_without_retrying(db, world, sms_on, kit, provider):
    p = sms_on(provider)
    row = _send_refused(db, world, kit, p, "template")
    assert row.status == "failed"
    assert "TemplateIncorrect" in row.last_error or "SMS_TEMPLATE_ILLEGAL" in row.last_error
    _run(db, p, utcnow() + timedelta(days=1))
    assert db.get(Outbox, row.id).attempts == 1 and kit.sent == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_out_of_balance_waits_an_hour_then_sends(db, world, sms_on, kit, provider):
    p = sms_on(provider)
    row = _queue(db, world.member)
    kit.plan[world.member.phone] = ["balance"]
    now = utcnow() + timedelta(seconds=1)
    _run(db, p, now)
    row = db.get(Outbox, row.id)
    assert row.status == "pending" and row.next_attempt_at >= now + timedelta(minutes=59)
    assert _run(db, p, now + timedelta(minutes=30)) == {}
    _run(db, p, row.next_attempt_at + timedelta(seconds=1))
    assert db.get(Outbox, row.id).status == "sent" and len(kit.sent) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_doubt_is_resolved_by_the_status_query_before_any_resend(db, world, sms_on, kit,
                                                                 provider):
    """A send that went out but was never recorded (the process died) is found, not resent;
    one that was marked but never reached the provider is sent."""
    p = sms_on(provider)
    went, lost = _queue(db, world.member), _queue(db, world.member2)
    now = utcnow() + timedelta(seconds=1)
    rows = smsout.claim(db, now, "dead-owner")  # records both attempts before any send
    assert {r[0] for r in rows} == {went.id, lost.id}
    db.expire_all()
    assert db.get(Outbox, lost.id).attempt_at == now
    p.send(went.phone, went.template, went.params, smsout.key(went.id))  # then: SIGKILL
    from sqlalchemy import update
    db.execute(update(Outbox).values(leased_until=now))  # the lease runs out
    db.commit()
    stats = _run(db, p, now + timedelta(seconds=2))
    assert stats == {"sent": 2}
    assert sorted(kit.keys()) == sorted([f"wg{went.id}", f"wg{lost.id}"])  # each exactly once
    assert "QuerySendDetails" in kit.requests or "PullSmsSendStatusByPhoneNumber" in kit.requests


def test_tencent_doubt_waits_for_the_grace_period(db, world, sms_on, kit):
    p = sms_on("tencent", SMS_DOUBT_GRACE_SECONDS=300)
    row = _queue(db, world.member)
    now = utcnow() + timedelta(seconds=1)
    smsout.claim(db, now, "dead")
    from sqlalchemy import update
    db.execute(update(Outbox).values(leased_until=now))
    db.commit()
    assert _run(db, p, now + timedelta(seconds=60)) == {"waiting": 1}
    assert kit.sent == [] and db.get(Outbox, row.id).next_attempt_at == now + timedelta(minutes=5)
    _run(db, p, now + timedelta(minutes=5, seconds=1))
    assert kit.keys() == [f"wg{row.id}"]


def test_wrong_key_is_refused_by_the_signature_check(db, world, sms_on, kit):
    p = sms_on("aliyun", SMS_ACCESS_KEY_SECRET="not-the-secret")
    row = _queue(db, world.member)
    _run(db, p)
    assert kit.bad_signatures == 1 and kit.sent == []
    assert db.get(Outbox, row.id).status == "failed"


def test_alibaba_rpc_hmac_sha1_signature_is_accepted(db, world, sms_on, kit):
    p = sms_on("aliyun", SMS_ALIYUN_SIGNATURE="v2")
    _queue(db, world.member)
    assert _run(db, p) == {"sent": 1} and kit.bad_signatures == 0


@pytest.mark.parametrize("status,state", [(3, "delivered"), (2, "undelivered")])
def test_alibaba_receipts_are_polled(db, world, sms_on, kit, status, state):
    p = sms_on("aliyun")
    row = _queue(db, world.member)
    _run(db, p)
    later = utcnow() + timedelta(seconds=5)
    kit.receipt[f"wg{row.id}"] = 1  # waiting for the operator
    assert smsout.poll_receipts(db, later, p) == 0
    kit.receipt[f"wg{row.id}"] = status
    later += smsout.receipt_step(timedelta(seconds=5))  # asked again at the next step
    assert smsout.poll_receipts(db, later, p) == 1
    db.expire_all()
    assert db.get(Outbox, row.id).delivery == state
    assert smsout.poll_receipts(db, later + timedelta(hours=1), p) == 0  # not asked again


def test_no_provider_means_no_sms_rows(db, world, app):
    assert not app.config.get("SMS_PROVIDER")
    assert _queue(db, world.member) is None
    assert smsout.deliver(db, utcnow(), None, "x") == {}


def test_tencent_receipts_are_pulled_only_when_the_callback_is_late(db, world, sms_on, kit):
    p = sms_on("tencent")
    row = _queue(db, world.member)
    _run(db, p)
    assert smsout.poll_receipts(db, utcnow(), p) == 0  # the callback has ten minutes
    assert "PullSmsSendStatusByPhoneNumber" not in kit.requests
    assert smsout.poll_receipts(db, utcnow() + timedelta(minutes=11), p) == 1
    db.expire_all()
    assert db.get(Outbox, row.id).delivery == "delivered"
