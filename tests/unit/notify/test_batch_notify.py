"""Jobs notify in bulk (issue 27 §5): a batch reads its recipients' settings and its staff once,
and what it writes is what one notify() call at a time wrote."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, update

from tests.unit.wechatkit import bind, wechat  # noqa: F401 (fixture)
from webapp.models import (Notification, NotificationPreference, Outbox, PushSubscription,
                           RoleGrant, Wish, utcnow)
from webapp.services.notify import followup
from webapp.services.notify.notify import notify
from webapp.services.notify.recipients import Recipients

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 23, 30, tzinfo=SH).astimezone(timezone.utc)  # quiet hours


@pytest.fixture
def every_channel(app, wechat):
    """SMS on (beside the loopback WeChat) for a must-not-miss event and a fallback one."""
    saved = dict(app.config)
    app.config.update(SMS_PROVIDER="aliyun", SMS_ACCESS_KEY_ID="k", SMS_ACCESS_KEY_SECRET="s",
                      SMS_TEMPLATES={e: {"code": f"SMS_{e}", "params": {"title": "title"}}
                                     for e in ("wish_claimed", "wish_approved")})
    yield wechat
    app.config.clear()
    app.config.update(saved)


@pytest.fixture
def statements(db):
    """The SQL sent, one string per statement."""
    seen = []
    engine = db.get_bind()
    listener = lambda _c, _cur, stmt, *_a: seen.append(stmt)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    yield seen
    event.remove(engine, "before_cursor_execute", listener)


def _people(db, world, make_user, kit):
    """Recipients in every state notify() tells apart."""
    phoneless = make_user("无手机", building=world.ba1)
    phoneless.phone = None
    world.resident2.locale = "en"
    db.add_all([
        NotificationPreference(user_id=world.resident2.id, muted_events=["wish_claimed"]),
        NotificationPreference(user_id=world.member.id, quiet_start=None, quiet_end=None),
        NotificationPreference(user_id=world.member2.id, sms_off_events=["wish_approved"]),
        NotificationPreference(user_id=world.admin.id, digest_events=["wish_review_needed"]),
        PushSubscription(user_id=world.member.id, endpoint="https://push.example/m", p256dh="x",
                         auth="y", last_ack_at=utcnow()),
        PushSubscription(user_id=world.member2.id, endpoint="https://push.example/m2",
                         p256dh="x", auth="y"),
    ])
    db.commit()
    bind(db, world.member3, "oM3", kit)
    return phoneless


def _written(db) -> tuple[list, list]:
    notes = db.scalars(select(Notification).order_by(Notification.id)).all()
    index = {n.id: i for i, n in enumerate(notes)}
    return ([(n.user_id, n.event, n.title, n.body, n.params, n.url, n.wish_id, n.urgent,
              n.created_at) for n in notes],
            [(index[o.notification_id], o.channel, o.subscription_id, o.phone, o.community_id,
              o.template, o.params, o.status, o.next_attempt_at)
             for o in db.scalars(select(Outbox).order_by(Outbox.id))])


def test_a_batch_snapshot_writes_what_one_call_at_a_time_wrote(db, world, make_user, make_wish,
                                                               every_channel, statements):
    phoneless = _people(db, world, make_user, every_channel)
    one, two = make_wish("published"), make_wish("published", title="换灯泡")
    start = _written(db)
    calls = [
        ([world.resident.id, world.resident2.id, world.member.id, world.member2.id,
          world.member3.id, phoneless.id], "wish_claimed", one, "一"),
        ([world.resident.id, world.member.id, world.member2.id, phoneless.id], "wish_approved",
         two, ""),
        ([world.admin.id, world.grid_worker.id], "wish_review_needed", one, ""),
        ([world.member.id, world.resident2.id, phoneless.id], "wish_claimed", two, "二"),
    ]

    def run(known):
        statements.clear()
        for uids, ev, wish, note in calls:
            notify(db, uids, ev, wish, note=note, now=NOW, known=known)
        db.flush()
        return _written(db), list(statements)

    alone, alone_sql = run(None)
    db.rollback()
    assert _written(db) == start
    everyone = [u for uids, *_rest in calls for u in uids] + [world.admin_b.id]  # one more
    batched, sql = run(Recipients(db, everyone))
    assert batched == alone and alone != start
    assert {o[1] for o in alone[1][len(start[1]):]} == {"push", "sms", "wechat"}
    reads = {t: sum(f"FROM {t}" in s for s in sql) for t in
             ("notification_preferences", "push_subscriptions", "wechat_bindings")}
    # Once for the batch, not once per call (devices, and whose push arrives).
    assert reads == {"notification_preferences": 1, "push_subscriptions": 2,
                     "wechat_bindings": 1}
    assert sum("FROM notification_preferences" in s for s in alone_sql) == len(calls)


def test_escalating_a_batch_reads_its_staff_and_their_settings_once(db, world, make_wish,
                                                                    statements):
    wishes = [make_wish("published", title=f"心愿{i}") for i in range(3)]
    wishes.append(make_wish("published", resident=world.resident2, title="第二网格的心愿"))
    db.execute(update(RoleGrant).where(RoleGrant.user_id == world.grid_worker2.id)
               .values(active=False))  # 第二网格 has no grid worker now
    later = utcnow() + timedelta(days=30)
    db.commit()
    rows = db.scalars(select(Wish).where(Wish.id.in_([w.id for w in wishes]))
                      .order_by(Wish.id)).all()
    statements.clear()
    assert followup._escalate(db, rows, later) == 8
    db.commit()
    assert sum("FROM role_grants" in s for s in statements) == 1
    assert sum("FROM notification_preferences" in s for s in statements) == 1
    told = db.execute(select(Notification.event, Notification.user_id, Notification.wish_id)
                      .where(Notification.event.like("wish_escalated%"))
                      .order_by(Notification.id)).all()
    expected = []
    for w in wishes:
        grid = world.admin if w.grid_id == world.ga2.id else world.grid_worker
        expected += [("wish_escalated", grid.id, w.id),
                     ("wish_escalated_admin", world.admin.id, w.id)]
    assert told == expected


def test_a_wish_moved_meanwhile_is_left_to_whoever_moved_it(db, world, make_wish):
    a, b = make_wish("published", title="甲的心愿"), make_wish("published", title="乙的心愿")
    later = utcnow() + timedelta(days=30)
    db.commit()
    rows = db.scalars(select(Wish).where(Wish.id.in_([a.id, b.id])).order_by(Wish.id)).all()
    # Another run raised 甲 to level 1 after these rows were read.
    db.execute(update(Wish).where(Wish.id == a.id).values(escalation_level=1)
               .execution_options(synchronize_session=False))
    assert followup._escalate(db, rows, later) == 2  # 乙's two levels only
    db.commit()
    assert set(db.scalars(select(Notification.wish_id).where(
        Notification.event.like("wish_escalated%")))) == {b.id}
    assert db.get(Wish, a.id).escalation_level == 1
    assert followup.escalate(db, later) == 1  # 甲's second level, by the next run
