"""The inbox's order switch: unread first on request, and the next page keeps the order."""
from datetime import datetime, timedelta, timezone

from tests.conftest import login
from webapp.models import Notification


def test_inbox_unread_first_link_and_paging(client, db, world):
    t = datetime(2026, 3, 1, 2, tzinfo=timezone.utc)
    for i in range(35):
        db.add(Notification(user_id=world.resident.id, event="wish_approved", title=f"m{i}",
                            body="", created_at=t + timedelta(minutes=i),
                            read_at=None if i == 0 else t))
    db.commit()
    login(client, world.resident)
    page = client.get("/inbox").get_data(as_text=True)
    assert 'id="inbox-order"' in page and "order=unread" in page
    unread = client.get("/inbox?order=unread").get_data(as_text=True)
    assert "order=unread" in unread.split('id="inbox-more"')[1]  # the next page keeps the order
    assert client.get("/inbox?order=bogus").status_code in (400, 422)
