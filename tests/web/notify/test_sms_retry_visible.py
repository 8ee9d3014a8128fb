"""Issue 30 §3 and §5: while an SMS is being retried, staff's delivery list says 重试中（原因） with
the next attempt's time, and each failed attempt is logged with the provider's code and the
template code; once sent, it says when the receipt was last asked for. Through the real SDKs
against the loopback provider."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.unit.notify.test_sms_delivery import kit, sms_on  # noqa: F401 - fixtures
from webapp.models import Notification, NotificationPreference, Outbox, utcnow
from webapp.services.notify import receipts, smsout
from webapp.services.notify.notify import notify


def _wish_sms(db, make_wish, world):
    # Quiet hours off before the wish is claimed: at night (Beijing) the claim's own SMS would
    # otherwise wait for the morning and show 发送中 beside the retried one.
    db.merge(NotificationPreference(user_id=world.resident.id, quiet_start=None, quiet_end=None))
    db.commit()
    wish = make_wish("claimed")
    notify(db, [world.resident.id], "reminder_before", wish, note="明天 09:00")
    db.commit()
    rows = db.scalars(select(Outbox).join(Notification).where(
        Notification.wish_id == wish.id, Outbox.channel == "sms")).all()
    return wish, [r for r in rows if r.notification.event == "reminder_before"][0], len(rows)


@pytest.mark.parametrize("provider,plan,reason", [
    ("aliyun", "rate_limit", "短信服务商限流"), ("tencent", "rate_limit", "短信服务商限流"),
    ("aliyun", "balance", "短信账户余额不足")])
def test_a_retried_sms_shows_why_and_when_next(client, db, world, make_wish, sms_on, kit,  # noqa: F811
                                               caplog, provider, plan, reason):
    p = sms_on(provider)
    wish, row, n = _wish_sms(db, make_wish, world)
    kit.plan[world.resident.phone] = [plan] * n  # every SMS about the wish is refused once
    caplog.set_level("WARNING", logger="webapp.services.notify.smsout")
    smsout.deliver(db, utcnow() + timedelta(seconds=1), p, "retry-test")
    db.expire_all()
    row = db.get(Outbox, row.id)
    assert row.status == "pending" and row.attempts == 1
    assert row.template in caplog.text and row.last_error in caplog.text  # the job's log
    assert "attempt 1 failed" in caplog.text
    login(client, world.grid_worker)
    page = client.get(f"/wishes/{wish.id}").get_data(as_text=True)
    assert f"重试中（{reason}）" in page and 'data-state="retrying"' in page
    assert row.next_attempt_at.isoformat(timespec="seconds") in page
    assert row.last_error in page and "发送中" not in page
    # the retry goes through: the list no longer says 重试中
    smsout.deliver(db, row.next_attempt_at + timedelta(seconds=1), p, "retry-test")
    db.expire_all()
    page = client.get(f"/wishes/{wish.id}").get_data(as_text=True)
    assert "重试中" not in page and db.get(Outbox, row.id).status == "sent"


def test_a_send_of_unknown_outcome_says_it_is_being_checked():
    row = Outbox(channel="sms", status="pending", attempts=1, attempt_at=utcnow(),
                 last_error="ReadTimeout: timed out", next_attempt_at=utcnow())
    assert receipts.state([row]) == "retrying"
    assert receipts.retry_info(row)["label"] == "重试中（正在向短信服务商核实是否已发出）"


def test_staff_see_when_the_receipt_was_last_checked(client, db, world, make_wish, sms_on,  # noqa: F811
                                                     kit):  # noqa: F811
    """Issue 30 §5: a sent SMS without its receipt says so, and when the status was checked."""
    p = sms_on("aliyun")
    wish, row, _n = _wish_sms(db, make_wish, world)
    smsout.deliver(db, utcnow() + timedelta(seconds=1), p, "receipt-test")
    kit.receipt.update({k: 1 for k in kit.keys()})  # no receipt in yet
    checked = utcnow() + timedelta(seconds=3)
    smsout.poll_receipts(db, checked, p)
    login(client, world.grid_worker)
    page = client.get(f"/wishes/{wish.id}").get_data(as_text=True)
    assert "短信已发出，等待回执" in page and "状态查询于" in page
    assert checked.isoformat(timespec="seconds") in page
