"""Issue 30 §5: receipts of a fresh SMS are asked for soon and then less and less often, and
each row keeps when the provider was last asked (staff see it on the delivery list). Through
the Alibaba SDK against the loopback provider."""
from datetime import timedelta

from tests.unit.notify.test_sms_delivery import _queue, _run, kit, sms_on  # noqa: F401 - fixtures
from webapp.models import Outbox
from webapp.services.notify import receipts, smsout


def test_the_steps_back_off_with_age():
    steps = [smsout.receipt_step(timedelta(minutes=m)) for m in (0, 2, 10, 60, 24 * 60)]
    assert steps == sorted(steps) and steps[0] == timedelta(seconds=10)
    assert steps[-1] == timedelta(hours=1)


def _queries(kit) -> int:
    return kit.requests.count("QuerySendDetails")


def test_a_fresh_send_is_asked_about_soon_then_less_often(db, world, sms_on, kit):  # noqa: F811
    p = sms_on("aliyun")
    row = _queue(db, world.member)
    _run(db, p)
    key = smsout.key(row.id)
    kit.receipt[key] = 1  # the operator's receipt is not in yet
    sent_at = db.get(Outbox, row.id).sent_at
    t = sent_at + timedelta(seconds=2)
    assert smsout.poll_receipts(db, t, p) == 0 and _queries(kit) == 1  # asked at once
    db.expire_all()
    got = db.get(Outbox, row.id)
    assert got.receipt_checked_at == t and got.receipt_next_at == t + timedelta(seconds=10)
    assert receipts.state([got]) == "awaiting"
    assert smsout.poll_receipts(db, t + timedelta(seconds=5), p) == 0 and _queries(kit) == 1
    smsout.poll_receipts(db, t + timedelta(seconds=10), p)
    assert _queries(kit) == 2  # the next step, ten seconds on
    # an hour on, it is asked only every ten minutes
    t = sent_at + timedelta(hours=1)
    smsout.poll_receipts(db, t, p)
    n = _queries(kit)
    smsout.poll_receipts(db, t + timedelta(minutes=5), p)
    assert _queries(kit) == n
    kit.receipt[key] = 3
    assert smsout.poll_receipts(db, t + timedelta(minutes=10), p) == 1
    db.expire_all()
    got = db.get(Outbox, row.id)
    assert got.delivery == "delivered" and got.receipt_checked_at == t + timedelta(minutes=10)
    assert receipts.state([got]) == "delivered"


def test_tencent_waits_for_its_callback_first(db, world, sms_on, kit):  # noqa: F811
    p = sms_on("tencent")
    row = _queue(db, world.member)
    _run(db, p)
    sent_at = db.get(Outbox, row.id).sent_at
    smsout.poll_receipts(db, sent_at + timedelta(minutes=9), p)
    assert "PullSmsSendStatusByPhoneNumber" not in kit.requests
    assert smsout.poll_receipts(db, sent_at + timedelta(minutes=10), p) == 1
