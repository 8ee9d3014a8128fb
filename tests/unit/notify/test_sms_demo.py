"""The demo never texts a stranger (issue 30 §1): its 138… numbers are real people's. With a
provider configured, building the demo and running SMS delivery sends nothing to the loopback
provider; the delivery list says 演示账号，不发送."""
from datetime import timedelta

from sqlalchemy import func, select

from tests.unit.notify.test_sms_delivery import TEMPLATES, kit, sms_on  # noqa: F401  (fixtures)
from webapp.demo import seed
from webapp.models import Notification, Outbox, User, utcnow
from webapp.services.notify import receipts, smsout
from webapp.services.notify.notify import notify


def test_the_demo_with_a_provider_sends_nothing_outside_the_app(app, db, sms_on, kit):
    provider = sms_on("aliyun")
    app.config["SMS_TEMPLATES"] = {e: {"code": "SMS_1", "params": {}} for e in
                                   ("reminder_before", "claim_dispatched", "wish_done",
                                    "wish_claimed", "wish_expired", "password_reset",
                                    "role_granted")}
    assert seed(db) is True
    assert db.scalar(select(func.count(User.id)).where(User.is_demo.is_(False))) == 0
    someone = db.scalar(select(User).where(User.phone == "13800000002"))
    (n,) = notify(db, [someone.id], "reminder_before", note="明天 09:00")  # after the seed too
    db.commit()
    for _ in range(3):
        smsout.deliver(db, utcnow() + timedelta(minutes=5), provider, "demo-check")
    assert kit.keys() == []  # the loopback provider got no request at all
    assert db.scalar(select(func.count(Outbox.id)).where(
        Outbox.channel == "sms", Outbox.status == "pending")) == 0
    row = db.scalar(select(Outbox).where(Outbox.notification_id == n.id))
    assert (row.status, row.last_error) == ("dropped", "demo account")
    assert receipts.state([row]) == "demo"
    assert str(receipts.LABELS["demo"]) == "演示账号，不发送"


def test_a_real_account_beside_the_demo_is_still_texted(db, world, sms_on, kit):
    provider = sms_on("aliyun")
    db.merge(__import__("webapp.models", fromlist=["NotificationPreference"])
             .NotificationPreference(user_id=world.member.id, quiet_start=None, quiet_end=None))
    db.commit()
    notify(db, [world.member.id], "reminder_before", note="明天 09:00")
    db.commit()
    smsout.deliver(db, utcnow() + timedelta(seconds=1), provider, "real-check")
    assert len(kit.keys()) == 1
    assert db.scalar(select(Notification.id)) is not None
