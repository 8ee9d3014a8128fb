"""The WeChat channel against the loopback WeChat: who gets a template message, that it goes
before SMS, what the outbox does with WeChat's answers, the shared token and receipts."""
from datetime import timedelta

from sqlalchemy import select

from tests.unit.smskit import SmsProvider
from tests.unit.wechatkit import APP_ID, SECRET, WeChat, bind, wechat  # noqa: F401 (fixture)
from webapp.models import NotificationPreference, Outbox, WeChatBinding, WeChatCache, utcnow
from webapp.services.notify import wechatout
from webapp.services.notify.notify import notify
from webapp.services.platform import wechat as platform

OWNER = "test-owner"


def _queue(db, user, event="wish_claimed", wish=None, quiet=False):
    db.merge(NotificationPreference(user_id=user.id, quiet_start="22:00" if quiet else None,
                                    quiet_end="07:00" if quiet else None))
    db.commit()
    (n,) = notify(db, [user.id], event, wish=wish)
    db.commit()
    return n, list(db.scalars(select(Outbox).where(Outbox.notification_id == n.id)))


def _run(db, when=None):
    stats = wechatout.deliver(db, when or utcnow() + timedelta(seconds=1), platform.client(),
                              OWNER)
    db.expire_all()
    return stats


def test_bound_follower_gets_the_template_message_with_a_link_to_the_wish(db, world, make_wish,
                                                                         wechat):
    wish = make_wish(resident=world.resident, title="帮忙修理厨房水龙头")
    bind(db, world.resident, "oRES1", wechat)
    n, rows = _queue(db, world.resident, wish=wish)
    (row,) = [r for r in rows if r.channel == "wechat"]
    assert row.params["tid"] == "TPL_wish_claimed_0000000000000000000000000"
    assert "oRES1" not in str(row.params)  # the openid is looked up at send time, not kept
    assert _run(db) == {"sent": 1}
    (msgid, to, tid, data, url) = wechat.sent[0]
    assert to == "oRES1" and url == f"http://127.0.0.1:5000/wishes/{wish.id}"
    assert data["thing1"]["value"] == "帮忙修理厨房水龙头" and data["phrase2"]["value"] == "心愿已被认领"
    row = db.get(Outbox, row.id)
    assert row.status == "sent" and row.provider_ref == str(msgid) and row.attempt_at is None
    assert _run(db) == {} and len(wechat.sent) == 1  # never twice


def test_nobody_is_queued_without_settings_binding_or_template(db, world, app):
    bind(db, world.resident, "oRES1")
    _n, rows = _queue(db, world.resident)
    assert [r for r in rows if r.channel == "wechat"] == []  # WeChat off: as before
    assert platform.client(app) is None


def test_unbound_unfollowing_or_untemplated_get_nothing(db, world, wechat):
    bind(db, world.member, "oMEM", wechat, subscribed=False)
    for user, event in ((world.resident, "wish_claimed"), (world.member, "wish_claimed"),
                        (world.member2, "wish_approved")):
        if user is world.member2:
            bind(db, user, "oM2", wechat)
        _n, rows = _queue(db, user, event)
        assert not [r for r in rows if r.channel == "wechat"], (user.name, event)


def test_wechat_goes_before_sms_and_sms_only_to_those_it_cannot_reach(db, world, app, make_wish,
                                                                     wechat):
    sms_kit = SmsProvider()
    try:
        app.config.update(sms_kit.config("aliyun", SMS_TEMPLATES={
            "wish_claimed": {"code": "SMS_1", "params": {"title": "title"}}}))
        app.extensions.pop("wishgrid_sms", None)
        wish = make_wish(resident=world.resident)
        bind(db, world.resident, "oRES1", wechat)
        _n, rows = _queue(db, world.resident, wish=wish)
        assert sorted(r.channel for r in rows) == ["wechat"]  # bound and following: no SMS
        _n, rows = _queue(db, world.resident2, wish=wish)
        assert sorted(r.channel for r in rows) == ["sms"]  # not bound: SMS as before
    finally:
        app.extensions.pop("wishgrid_sms", None)
        sms_kit.close()


def test_quiet_hours_hold_the_message(db, world, wechat):
    bind(db, world.resident, "oRES1", wechat)
    _n, rows = _queue(db, world.resident, quiet=True)
    (row,) = rows
    assert row.next_attempt_at >= row.created_at  # due at the end of quiet hours, or now


def test_unsubscribed_follower_is_dropped_and_marked_so_sms_takes_over(db, world, wechat):
    bind(db, world.resident, "oRES1", wechat)
    wechat.followers.discard("oRES1")  # unfollowed without the app hearing of it
    _n, (row,) = _queue(db, world.resident)
    assert _run(db) == {"unreachable": 1}
    assert db.get(Outbox, row.id).status == "dropped"
    assert db.scalar(select(WeChatBinding.subscribed)) is False
    _n, rows = _queue(db, world.resident)
    assert not [r for r in rows if r.channel == "wechat"]


def test_busy_is_retried_bad_template_fails(db, world, wechat):
    bind(db, world.resident, "oRES1", wechat)
    _n, (row,) = _queue(db, world.resident)
    wechat.plan = [-1]  # 系统繁忙
    now = utcnow() + timedelta(seconds=1)
    assert _run(db, now) == {"retry": 1}
    row = db.get(Outbox, row.id)
    assert row.status == "pending" and row.attempts == 1 and row.next_attempt_at > now
    assert _run(db, row.next_attempt_at + timedelta(seconds=1)) == {"sent": 1}
    _n, (row2,) = _queue(db, world.resident)
    wechat.plan = [47003]
    assert _run(db) == {"failed": 1}
    assert db.get(Outbox, row2.id).status == "failed"


def test_one_token_for_every_process_and_refetched_when_expired(db, world, app, wechat):
    bind(db, world.resident, "oRES1", wechat)
    for _ in range(3):
        _queue(db, world.resident)
    _run(db)
    app.extensions.pop("wishgrid_wechat", None)  # another process: a client of its own
    _queue(db, world.resident)
    _run(db)
    assert len(wechat.sent) == 4 and wechat.token_fetches == 1
    assert db.scalar(select(WeChatCache.value)).strip('"') in wechat.tokens
    for tok in wechat.tokens:  # WeChat expired it before our clock said so
        wechat.tokens[tok] = 0
    _queue(db, world.resident)
    assert _run(db) == {"sent": 1} and wechat.token_fetches == 2
    assert (("/cgi-bin/message/template/send", 42001) in wechat.errors)


def test_wrong_secret_is_refused_by_wechat_and_retried_later(db, world, app, wechat):
    app.config["WECHAT_APP_SECRET"] = "wrong"
    app.extensions.pop("wishgrid_wechat", None)
    bind(db, world.resident, "oRES1", wechat)
    _queue(db, world.resident)
    assert _run(db) == {"retry": 1} and ("/cgi-bin/token", 40125) in wechat.errors
    assert wechat.sent == [] and SECRET != "wrong"


def test_lost_answer_is_settled_by_the_receipt_not_sent_again(db, world, wechat):
    bind(db, world.resident, "oRES1", wechat)
    _n, (row,) = _queue(db, world.resident)
    t = utcnow()
    db.query(Outbox).filter_by(id=row.id).update({"attempt_at": t})  # died mid-send
    db.commit()
    wechat.sent.append((777, "oRES1", "x", {}, None))  # WeChat got it all the same
    assert _run(db, t + timedelta(seconds=5)) == {}  # waits for WeChat's event first
    ev = {"openid": "oRES1", "msgid": 777, "status": "success", "at": int(t.timestamp()) + 1}
    from datetime import datetime, timezone
    assert wechatout.receipt(db, "oRES1", 777, "success",
                             datetime.fromtimestamp(ev["at"], timezone.utc), utcnow())
    db.expire_all()
    row = db.get(Outbox, row.id)
    assert (row.status, row.provider_ref, row.delivery) == ("sent", "777", "delivered")
    assert _run(db, t + timedelta(hours=1)) == {} and len(wechat.sent) == 1


def test_doubt_without_receipt_is_sent_again_after_the_grace(db, world, wechat):
    bind(db, world.resident, "oRES1", wechat)
    _n, (row,) = _queue(db, world.resident)
    t = utcnow()
    db.query(Outbox).filter_by(id=row.id).update({"attempt_at": t})
    db.commit()
    assert _run(db, t + timedelta(seconds=700)) == {"sent": 1} and len(wechat.sent) == 1


def test_unbound_before_sending_goes_nowhere(db, world, wechat):
    bind(db, world.resident, "oRES1", wechat)
    _n, (row,) = _queue(db, world.resident)
    db.query(WeChatBinding).delete()
    db.commit()
    _run(db)
    assert db.get(Outbox, row.id).status == "dropped" and wechat.sent == []
    assert APP_ID and isinstance(wechat, WeChat)


def test_a_message_wechat_cannot_carry_goes_by_sms_instead(db, world, app, make_wish, wechat):
    sms_kit = SmsProvider()
    try:
        app.config.update(sms_kit.config("aliyun", SMS_TEMPLATES={
            "wish_claimed": {"code": "SMS_1", "params": {"title": "title"}}}))
        app.extensions.pop("wishgrid_sms", None)
        wish = make_wish(resident=world.resident, title="帮忙换灯泡")
        bind(db, world.resident, "oRES1", wechat)
        wechat.followers.discard("oRES1")  # unfollowed: WeChat answers 43004
        n, (row,) = _queue(db, world.resident, wish=wish)
        assert row.channel == "wechat"
        # Muted after it was queued: notify() sends a muted event by SMS too, and so does this.
        db.get(NotificationPreference, world.resident.id).muted_events = ["wish_claimed"]
        db.commit()
        assert _run(db) == {"unreachable": 1}
        (sms,) = db.scalars(select(Outbox).where(Outbox.notification_id == n.id,
                                                 Outbox.channel == "sms")).all()
        assert (sms.status, sms.phone, sms.params) == ("pending", world.resident.phone,
                                                       {"title": "帮忙换灯泡"})
        # A template WeChat refuses for good (47003) also falls back; a retry does not.
        bind(db, world.member, "oMEM", wechat)
        n2, (row2,) = _queue(db, world.member, wish=wish)
        wechat.plan = [-1]
        assert _run(db) == {"retry": 1}
        assert not db.scalars(select(Outbox).where(Outbox.notification_id == n2.id,
                                                   Outbox.channel == "sms")).all()
        wechat.plan = [47003]
        assert _run(db, db.get(Outbox, row2.id).next_attempt_at + timedelta(seconds=1)) == {
            "failed": 1}
        assert sorted(db.scalars(select(Outbox.channel).where(Outbox.notification_id == n2.id)
                                 )) == ["sms", "wechat"]
    finally:
        app.extensions.pop("wishgrid_sms", None)
        sms_kit.close()
