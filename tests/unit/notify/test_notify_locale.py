"""Notifications are rendered in the reader's current language: inbox, push and SMS (issue 12 §5)."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.models import Notification
from webapp.services.notify import channels, inbox, push
from webapp.services.notify.messages import text
from webapp.services.notify.notify import notify
from webapp.services.wishes import wishes

SH = ZoneInfo("Asia/Shanghai")


def _only(db, event):
    (n,) = db.scalars(select(Notification).where(Notification.event == event))
    return n


def test_a_notification_written_in_chinese_reads_in_english_after_a_switch(db, world):
    from webapp.schemas.inputs import WishInput
    w = wishes.post(db, world.resident, WishInput(kind="service", title="帮忙买菜送上楼",
                                                  description="腿脚不便", category=world.cat.id,
                                                  capacity=1, estimated_hours=1))
    wishes.review(db, world.admin, w.id, "reject", "请写清楼层")
    n = _only(db, "wish_rejected")
    assert "未通过审核" in n.body  # written while the resident read Chinese
    world.resident.locale = "en"
    db.commit()
    with force_locale("en"):
        card = inbox.page(db, world.resident)["items"][0]
    assert card["title"] == "Wish not approved", card
    assert "帮忙买菜送上楼" in card["body"] and "请写清楼层" in card["body"]
    assert "未通过" not in card["body"]
    # ... and the push payload built at send time speaks the recipient's language.
    assert "Wish not approved" in push.payload(n, locale="en")
    assert "心愿未通过审核" in push.payload(n, locale="zh_CN")


def test_a_composed_note_is_translated_part_by_part(db, world, make_wish):
    from webapp.services.notify import followup
    make_wish("pending_review")
    day = datetime.now(SH).date() + timedelta(days=1)
    eight = datetime(day.year, day.month, day.day, 8, 0, tzinfo=SH).astimezone(timezone.utc)
    followup.daily_digest(db, eight)
    n = _only(db, "daily_digest")
    with force_locale("en"):
        title, body = text(n)
    assert "1 wish(es) awaiting review" in body and "待审核" not in body
    with force_locale("zh_CN"):
        assert "1 条心愿待审核" in text(n)[1]


def test_rows_without_params_keep_their_stored_text(db, world):
    db.add(Notification(user_id=world.resident.id, event="wish_approved", title="旧标题",
                        body="旧内容"))
    db.commit()
    with force_locale("en"):
        card = inbox.page(db, world.resident)["items"][0]
    assert (card["title"], card["body"]) == ("旧标题", "旧内容")


def test_sms_variables_come_from_the_event_in_chinese_not_the_readers_inbox_text(db, world, app):
    world.admin.locale = "en"
    db.commit()
    with force_locale("en"):
        (n,) = notify(db, [world.admin.id], "booking_decided",
                      note=_l("%(x)s %(w)s", x="会议室 11-26 09:00", w=_l("已确认，请按时前往")))
        db.commit()
    assert "Confirmed" in n.body or "confirmed" in n.body  # the English inbox text
    with force_locale("en"):
        params = channels._params({"params": {"t": "title", "n": "note"}}, n, world.admin,
                                  None, "")
    assert params["t"] == "预约结果"
    assert params["n"].startswith("会议室 11-26 09:00 已确认")
