"""Issue 30 §4: a send found by the status query after a crash records the provider's send
time, not the time of the query (through the Alibaba SDK against the loopback provider)."""
from datetime import datetime, timedelta

from sqlalchemy import update

from tests.unit.test_sms_delivery import _queue, _run, kit, sms_on  # noqa: F401 - fixtures
from webapp.models import Outbox, utcnow
from webapp.services.notify import smsout


def test_found_send_records_the_providers_send_time(db, world, sms_on, kit):  # noqa: F811
    p = sms_on("aliyun")
    went = _queue(db, world.member)
    now = utcnow() + timedelta(seconds=1)
    smsout.claim(db, now, "dead-owner")  # the attempt is recorded, then the send goes out
    p.send(went.phone, went.template, went.params, smsout.key(went.id))  # then: SIGKILL
    db.execute(update(Outbox).values(leased_until=now))
    db.commit()
    assert _run(db, p, now + timedelta(seconds=2)) == {"sent": 1}
    assert kit.keys() == [f"wg{went.id}"]  # found, not resent
    # the loopback lists it with SendDate 2026-01-01 10:00:00 Beijing time = 02:00 UTC
    assert db.get(Outbox, went.id).sent_at.replace(tzinfo=None) == datetime(2026, 1, 1, 2, 0)


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
