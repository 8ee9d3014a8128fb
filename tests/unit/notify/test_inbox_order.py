"""The inbox by time, newest first (a message stamped in the past lands in its place), or with
the unread ones first; paging by keyset gives every message exactly once."""
from datetime import datetime, timedelta, timezone

from webapp.models import Notification
from webapp.services.notify import inbox

T = datetime(2026, 3, 1, 2, tzinfo=timezone.utc)


def _messages(db, user):
    # Inserted out of time order: id order is not time order.
    made = {}
    for key, hours, read in (("b", 2, False), ("d", 4, True), ("a", 1, True), ("e", 5, False),
                             ("c", 3, True), ("c2", 3, False)):
        n = Notification(user_id=user.id, event="wish_approved", title=key, body="",
                         created_at=T + timedelta(hours=hours),
                         read_at=T + timedelta(hours=6) if read else None)
        db.add(n)
        db.flush()
        made[n.id] = key
    db.commit()
    return made


def _walk(db, user, **kw):
    out, before = [], None
    while True:
        page = inbox.page(db, user, before, limit=2, **kw)
        out += [i["id"] for i in page["items"]]
        before = page["next_before"]
        if before is None:
            return out


def test_newest_first_by_time_across_pages(db, world):
    made = _messages(db, world.resident)
    assert [made[i] for i in _walk(db, world.resident)] == ["e", "d", "c2", "c", "b", "a"]


def test_unread_first_then_by_time_across_pages(db, world):
    made = _messages(db, world.resident)
    order = [made[i] for i in _walk(db, world.resident, unread_first=True)]
    assert order == ["e", "c2", "b", "d", "c", "a"]


def test_someone_elses_id_as_before_pages_nothing_of_theirs(db, world):
    made = _messages(db, world.resident)
    other = inbox.page(db, world.resident2, before=max(made))
    assert other["items"] == []
