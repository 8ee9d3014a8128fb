"""notify(): inbox rows and outbox rows in the caller's transaction; preferences; quiet hours."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from tests.unit.pushkit import Browser
from sqlalchemy import func, select

from webapp.models import Notification, NotificationPreference, Outbox, PushSubscription
from webapp.services.notify import inbox
from webapp.services.wishes import wishes
from webapp.services.errors import Invalid
from webapp.services.notify.messages import MESSAGES
from webapp.services.notify.notify import notify, push_due, unread_count

SH = ZoneInfo("Asia/Shanghai")


def at(h, m=0, day=23):
    return datetime(2026, 11, day, h, m, tzinfo=SH).astimezone(timezone.utc)


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("now,held_until", [
    (at(21, 59), None), (at(22, 0), at(7, 0, 24)), (at(23, 30), at(7, 0, 24)),
    (at(0, 10), at(7, 0)), (at(6, 59), at(7, 0)), (at(7, 0), None), (at(12, 0), None),
])
def test_default_quiet_hours_are_22_to_7_shanghai(now, held_until):
    assert push_due(None, now) == (held_until or now)


def test_custom_and_disabled_quiet_hours():
    day = NotificationPreference(quiet_start="12:00", quiet_end="14:00", timezone="Asia/Shanghai")
    assert push_due(day, at(13, 0)) == at(14, 0)
    assert push_due(day, at(14, 0)) == at(14, 0)
    off = NotificationPreference(quiet_start=None, quiet_end=None, timezone="Asia/Shanghai")
    assert push_due(off, at(23, 0)) == at(23, 0)


def test_quiet_hours_turned_off_stay_off_once_saved(db, world):
    # An explicit None used to fire the column default at INSERT: "off" came back as 22–07.
    db.add(NotificationPreference(user_id=world.resident.id, quiet_start=None, quiet_end=None))
    db.commit()
    db.expire_all()
    saved = db.get(NotificationPreference, world.resident.id)
    assert (saved.quiet_start, saved.quiet_end) == (None, None)
    assert push_due(saved, at(23, 0)) == at(23, 0)
    assert NotificationPreference().quiet_start == "22:00"  # a new row still defaults to on


def test_every_event_renders_with_title_and_note():
    for event, (title, body) in MESSAGES.items():
        assert str(title) and str(body).format(title="T", note="N")


def test_notify_writes_inbox_and_outbox_rows_together_or_not_at_all(db, world, make_wish):
    wish = make_wish("published")
    for name in ("phone", "tablet"):
        inbox.subscribe(db, world.resident, Browser().subscription(f"https://push.example/{name}"))
    before_n, before_o = count(db, Notification), count(db, Outbox)
    rows = notify(db, [world.resident.id, world.resident.id, None], "wish_claimed", wish,
                  now=at(12))
    assert len(rows) == 1  # deduplicated, None skipped
    db.rollback()          # the state change failed: nothing of it may remain
    assert (count(db, Notification), count(db, Outbox)) == (before_n, before_o)
    notify(db, [world.resident.id], "wish_claimed", wish, now=at(12))
    db.commit()
    assert count(db, Notification) == before_n + 1
    assert count(db, Outbox) == before_o + 2
    assert {o.status for o in db.scalars(select(Outbox))} == {"pending"}


def test_existing_callers_queue_pushes_without_sending_any(db, world, make_wish):
    """wishes.review (web process) only writes rows: the outbox holds the push, unsent."""
    inbox.subscribe(db, world.resident, Browser().subscription("https://push.example/r"))
    wish = make_wish("pending_review")
    wishes.review(db, world.admin, wish.id, "approve")
    (o,) = db.scalars(select(Outbox))
    assert o.notification.event == "wish_approved" and o.notification.user_id == world.resident.id
    assert o.status == "pending" and o.attempts == 0 and o.sent_at is None
    assert unread_count(db, world.resident.id) == 1


def test_subscribe_validates_the_browser_json(db, world):
    good = Browser().subscription("https://push.example/x")
    with pytest.raises(Invalid) as e:
        inbox.subscribe(db, world.resident, {"endpoint": "http://evil.example/x",
                                              "keys": good["keys"]})
    assert "endpoint" in e.value.fields
    with pytest.raises(Invalid) as e:
        inbox.subscribe(db, world.resident, {"endpoint": good["endpoint"],
                                              "keys": {"p256dh": "abc", "auth": "??"}})
    assert set(e.value.fields) == {"keys.p256dh", "keys.auth"}
    with pytest.raises(Invalid):
        inbox.subscribe(db, world.resident, None)
    assert count(db, PushSubscription) == 0


def test_one_device_one_row_and_it_follows_the_account_logged_in(db, world, make_wish):
    b = Browser()
    sub = b.subscription("https://push.example/device")
    inbox.subscribe(db, world.resident, sub)
    inbox.subscribe(db, world.resident, sub)
    assert count(db, PushSubscription) == 1
    wish = make_wish("published")
    notify(db, [world.resident.id], "wish_claimed", wish)
    db.commit()
    inbox.subscribe(db, world.member, sub)  # same phone, another account
    (row,) = db.scalars(select(PushSubscription))
    assert row.user_id == world.member.id
    outbox = db.scalars(select(Outbox)).all()
    assert outbox and {o.status for o in outbox} == {"dropped"}  # not shown to the member
    assert inbox.unsubscribe(db, world.resident, sub["endpoint"]) is False
    assert inbox.unsubscribe(db, world.member, sub["endpoint"]) is True
    assert count(db, PushSubscription) == 0


def test_preferences_validate_quiet_hours(db, world):
    with pytest.raises(Invalid) as e:
        inbox.save_preferences(db, world.resident, {"quiet_enabled": "1", "quiet_start": "25:00",
                                                    "quiet_end": "07:00"})
    assert "quiet_start" in e.value.fields
    p = inbox.save_preferences(db, world.resident, {"events": ["wish_done"], "quiet_enabled": "1",
                                                    "quiet_start": "21:30", "quiet_end": "06:30"})
    assert (p["quiet_start"], p["quiet_end"]) == ("21:30", "06:30")
    assert [e["event"] for e in p["events"] if e["on"]] == ["wish_done"]
