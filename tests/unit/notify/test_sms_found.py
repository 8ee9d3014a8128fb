"""Issue 30 §4: a send found by the status query after a crash records what the query's answer
says (send time, SerialNo, receipt), not the time of the query (through the Alibaba and
Tencent SDKs against the loopback provider)."""
from datetime import timedelta, timezone

from sqlalchemy import update

from tests.unit.smskit import RECEIPT_DELAY
from tests.unit.notify.test_sms_delivery import _queue, _run, kit, sms_on  # noqa: F401 - fixtures
from webapp.models import Outbox, utcnow
from webapp.services.notify import smsout


def _utc(dt):
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def _crash_after_send(db, p, row):
    """The attempt is recorded, the message goes out, then the process dies (SIGKILL)."""
    now = utcnow() + timedelta(seconds=1)
    smsout.claim(db, now, "dead-owner")
    p.send(row.phone, row.template, row.params, smsout.key(row.id))
    db.execute(update(Outbox).values(leased_until=now))  # the lease runs out
    db.commit()
    return now


def test_found_send_records_the_providers_send_time(db, world, sms_on, kit):  # noqa: F811
    p = sms_on("aliyun")
    went = _queue(db, world.member)
    now = _crash_after_send(db, p, went)
    assert _run(db, p, now + timedelta(seconds=2)) == {"sent": 1}
    assert kit.keys() == [f"wg{went.id}"]  # found, not resent
    row = db.get(Outbox, went.id)
    # the loopback lists it with its SendDate (Beijing time), not the query's time
    accepted = kit.accepted_at[smsout.key(went.id)]
    assert _utc(row.sent_at) == accepted
    # and its receipt (SendStatus 3, ReceiveDate) comes with the answer
    assert row.delivery == "delivered" and _utc(row.delivered_at) == accepted + RECEIPT_DELAY
    # QuerySendDetails' detail has no BizId field: nothing is invented
    assert row.provider_ref is None


def test_alibaba_found_send_still_waiting_gets_its_receipt_by_outid(db, world, sms_on,  # noqa: F811
                                                                  kit):  # noqa: F811
    p = sms_on("aliyun")
    went = _queue(db, world.member)
    kit.receipt[smsout.key(went.id)] = 1  # the operator has not answered yet
    now = _crash_after_send(db, p, went)
    _run(db, p, now + timedelta(seconds=2))
    row = db.get(Outbox, went.id)
    assert (row.status, row.delivery, row.provider_ref) == ("sent", None, None)
    kit.receipt[smsout.key(went.id)] = 3
    assert smsout.poll_receipts(db, now + timedelta(minutes=3), p) == 1  # found by OutId
    db.expire_all()
    assert db.get(Outbox, went.id).delivery == "delivered"


def test_tencent_found_send_records_its_serialno_and_receipt(db, world, sms_on, kit):  # noqa: F811
    p = sms_on("tencent")
    went = _queue(db, world.member)
    now = _crash_after_send(db, p, went)
    later = now + timedelta(minutes=5)
    assert _run(db, p, later) == {"sent": 1}
    assert kit.keys() == [f"wg{went.id}"]
    row = db.get(Outbox, went.id)
    assert row.provider_ref == f"2640:{1:024d}"  # the SerialNo from the pull's answer
    # the pull has no send time: the attempt's time, not the query's (five minutes later)
    assert _utc(row.sent_at) == _utc(now)
    accepted = kit.accepted_at[smsout.key(went.id)]
    assert row.delivery == "delivered" and _utc(row.delivered_at) == accepted + RECEIPT_DELAY


def test_each_failed_attempt_is_logged_with_provider_and_template_code(db, world, sms_on,  # noqa: F811
                                                                       kit, caplog):  # noqa: F811
    """Issue 30 §3: a rate-limited attempt names the provider's code and the template."""
    p = sms_on("aliyun")
    row = _queue(db, world.member)
    kit.plan[world.member.phone] = ["rate_limit"]
    caplog.set_level("WARNING", logger="webapp.services.notify.smsout")
    _run(db, p)
    assert db.get(Outbox, row.id).status == "pending"
    text = caplog.text
    assert "isv.BUSINESS_LIMIT_CONTROL" in text and row.template in text and "attempt 1" in text
