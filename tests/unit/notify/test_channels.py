"""Channel choice: for every event kind and person state, the right channels; quiet hours and
the community's daily SMS budget hold."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from webapp.models import (Notification, NotificationPreference, Org, Outbox, PushSubscription,
                           User, utcnow)
from webapp.services.notify import channels
from webapp.services.notify.notify import notify

EVENTS = ["reminder_before", "claim_dispatched", "wish_done", "wish_claimed", "wish_expired",
          "wish_approved", "wish_started"]
MUST = set(EVENTS[:5])
TEMPLATES = {e: {"code": f"SMS_{i}", "params": {"title": "title"}} for i, e in enumerate(EVENTS)}
STATES = ["push_working", "push_unproven", "push_silent", "no_push", "sms_off",
          "phoneless_contact", "phoneless_no_contact"]


@pytest.fixture
def sms_on(app):
    saved = dict(app.config)
    app.config.update(SMS_PROVIDER="aliyun", SMS_ACCESS_KEY_ID="k", SMS_ACCESS_KEY_SECRET="s",
                      SMS_TEMPLATES=TEMPLATES)
    yield
    app.config.clear()
    app.config.update(saved)


def _device(db, user, **kw):
    sub = PushSubscription(user_id=user.id, endpoint=f"https://push.example/{user.id}-{len(kw)}",
                           p256dh="x", auth="y", **kw)
    db.add(sub)
    db.commit()
    return sub


def _person(db, world, make_user, state, event):
    phone = None if state.startswith("phoneless") else f"1370000{len(state):04d}"
    u = make_user("居民", phone=phone or "tmp", building=world.ba1)
    if phone is None:
        u.phone = None
    if state == "phoneless_contact":
        u.sms_contact_phone, u.sms_contact_name = "13611112222", "女儿"
        u.sms_contact_consent_at, u.sms_contact_by_id = utcnow(), world.grid_worker.id
    db.add(NotificationPreference(user_id=u.id, quiet_start=None, quiet_end=None,
                                  sms_off_events=[event] if state == "sms_off" else []))
    db.commit()
    if state in ("push_working", "sms_off"):
        _device(db, u, last_ack_at=utcnow())
    elif state == "push_unproven":
        _device(db, u)
    elif state == "push_silent":
        _device(db, u, last_ack_at=utcnow() - timedelta(days=3), silent_pushes=3)
    return u


def _expected_sms(state, event, world, user):
    if state == "sms_off":
        return None
    wanted = event in MUST or state not in ("push_working",)
    if not wanted:
        return None
    if state == "phoneless_contact":
        return "13611112222"
    if state == "phoneless_no_contact":
        return world.grid_worker.phone  # the grid worker of building 1 (grid A1)
    return user.phone


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("event", EVENTS)
def test_channel_matrix(db, world, make_user, sms_on, state, event):
    u = _person(db, world, make_user, state, event)
    (n,) = notify(db, [u.id], event, note="x")
    db.commit()
    rows = list(db.scalars(select(Outbox).where(Outbox.notification_id == n.id)))
    pushes = [r for r in rows if r.channel == "push"]
    texts = [r.phone for r in rows if r.channel == "sms"]
    assert db.get(Notification, n.id) is not None  # the inbox always
    assert len(pushes) == (1 if state in ("push_working", "push_unproven", "sms_off") else 0)
    want = _expected_sms(state, event, world, u)
    assert texts == ([want] if want else [])


def test_password_reset_sms_cannot_be_turned_off(db, world, app, sms_on, monkeypatch):
    app.config["SMS_TEMPLATES"] = dict(TEMPLATES, password_reset={"code": "SMS_PW", "params": {}})
    from webapp.services.notify import messages as notify_mod
    if "password_reset" not in notify_mod.MESSAGES:  # the event belongs to the accounts work
        monkeypatch.setitem(notify_mod.MESSAGES, "password_reset", ("重置密码", "临时密码已发出。"))
    db.add(NotificationPreference(user_id=world.member.id, sms_off_events=["password_reset"]))
    _device(db, world.member, last_ack_at=utcnow())
    (n,) = notify(db, [world.member.id], "password_reset", urgent=True)
    db.commit()
    assert db.scalar(select(Outbox.phone).where(Outbox.notification_id == n.id,
                                                Outbox.channel == "sms")) == world.member.phone


def test_flagged_number_and_missing_grid_worker_mean_no_sms(db, world, make_user, sms_on):
    u = make_user("居民", building=world.ba1)
    u.sms_bad_number = u.phone
    lone = make_user("独居老人", building=world.bb1)  # grid B1 has no grid worker
    lone.phone = None
    db.commit()
    notify(db, [u.id, lone.id], "wish_claimed")
    db.commit()
    assert db.scalars(select(Outbox).where(Outbox.channel == "sms")).all() == []


def test_quiet_hours_hold_sms_unless_urgent(db, world, sms_on):
    night = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)  # 23:30 in Beijing
    db.add(NotificationPreference(user_id=world.member.id))  # default quiet 22:00–07:00
    db.commit()
    (n,) = notify(db, [world.member.id], "reminder_before", now=night)
    (u,) = notify(db, [world.member.id], "reminder_before", now=night, urgent=True)
    db.commit()
    due = {r.notification_id: r.next_attempt_at for r in
           db.scalars(select(Outbox).where(Outbox.channel == "sms"))}
    assert due[n.id] == datetime(2026, 3, 2, 23, 0, tzinfo=timezone.utc)  # 07:00 Beijing
    assert due[u.id] == night


def test_daily_budget_keeps_essentials_and_tells_the_admin_once(db, world, make_user, sms_on):
    org = db.get(Org, world.ca.id)
    org.settings = {"sms_daily_budget": 2}
    db.commit()
    people = [make_user(f"居民{i}", building=world.ba1) for i in range(4)]
    now = utcnow()
    for p in people[:3]:
        notify(db, [p.id], "wish_claimed", now=now)
    notify(db, [people[3].id], "claim_dispatched", now=now)
    notify(db, [people[3].id], "reminder_before", now=now)  # still goes out
    notify(db, [people[3].id], "wish_done", now=now)        # a request to confirm: too
    db.commit()
    sms = list(db.scalars(select(Outbox).where(Outbox.channel == "sms")))
    events = sorted(db.get(Notification, r.notification_id).event for r in sms)
    assert events == ["reminder_before", "wish_claimed", "wish_claimed", "wish_done"]
    told = db.scalars(select(Notification.user_id).where(
        Notification.event == channels.BUDGET_NOTICE)).all()
    assert told == [world.admin.id]
    assert channels.sent_today(db, world.ca.id, now) == 4
    other = make_user("东区居民", building=world.bb1)  # another community's budget is its own
    notify(db, [other.id], "wish_claimed", now=now)
    db.commit()
    assert db.scalar(select(Outbox.community_id).where(Outbox.phone == other.phone)) == world.cb.id
    counts = {c["event"]: c["count"] for c in channels.month_counts(db, world.ca.id, now)}
    assert counts == {"wish_claimed": 2, "reminder_before": 1, "wish_done": 1}


def test_sms_off_without_provider_changes_nothing(db, world):
    _device(db, world.member)
    notify(db, [world.member.id], "wish_claimed")
    db.commit()
    assert [r.channel for r in db.scalars(select(Outbox))] == ["push"]
    assert db.get(User, world.member.id).sms_bad_number is None


def test_a_rejected_send_is_not_counted_in_the_budget_but_shown_apart(db, world, make_user, sms_on):
    """Issue 30 §2: the budget and 今天已发 count what the provider accepted (or may still accept);
    a send it rejected is shown apart and does not hold back the next message."""
    org = db.get(Org, world.ca.id)
    org.settings = {"sms_daily_budget": 1}
    db.commit()
    a, b = make_user("居民甲", building=world.ba1), make_user("居民乙", building=world.ba1)
    now = utcnow()
    notify(db, [a.id], "wish_claimed", now=now)
    db.commit()
    row = db.scalar(select(Outbox).where(Outbox.channel == "sms"))
    row.status, row.last_error = "failed", "isv.SMS_TEMPLATE_ILLEGAL"  # the provider said no
    db.commit()
    assert channels.sent_today(db, world.ca.id, now) == 0
    notify(db, [b.id], "wish_claimed", now=now)  # the budget of 1 is still free
    db.commit()
    assert db.scalar(select(Outbox.id).where(Outbox.phone == b.phone)) is not None
    summary = channels.ledger_summary(db, org, now)
    assert (summary["today"], summary["rejected"]) == (1, 1)
