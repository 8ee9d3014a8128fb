"""荣誉公示 through the test client (issue 26 §2-3): the thresholds in the settings, the admin's
notice page, the board's notice with masked names, an anonymous objection that reaches the admin,
and the member's page saying a level waits for its notice."""
import re

from sqlalchemy import select

from tests.conftest import login
from webapp.models import HonourNotice, HonourObjection, Notification


def test_thresholds_notice_board_objection_and_member_page(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    login(client, world.admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="100, 300, 600, 1000, 1500"' in page
    bad = client.post("/admin/settings", data={"star_thresholds": "300, 100"})
    assert bad.status_code == 422 and 'id="err-star_thresholds"' in bad.get_data(as_text=True)
    assert client.post("/admin/settings", data={"star_thresholds": "1, 2"}).status_code == 302

    login(client, world.member)
    me = client.get("/ledger/me").get_data(as_text=True)
    assert 'id="my-stars-pending"' in me and "1 星" in me  # earned, waits for the notice

    login(client, world.admin)
    year = re.search(r'name="year" value="(\d{4})"', client.get(
        "/ledger/honours").get_data(as_text=True)).group(1)
    html = client.get(f"/ledger/honours?year={year}").get_data(as_text=True)
    assert "李志愿" in html and "1 星志愿者" in html
    short = client.post("/ledger/honours", data={"year": year, "days": "5"})
    assert short.status_code == 422 and 'id="err-days"' in short.get_data(as_text=True)
    assert client.post("/ledger/honours", data={"year": year, "days": "7"}).status_code == 302
    again = client.post("/ledger/honours", data={"year": year, "days": "7"})
    assert again.status_code == 409 and "公示期内" in again.get_data(as_text=True)
    notice = db.scalar(select(HonourNotice))

    with client.session_transaction() as s:
        s.clear()
    board = client.get(f"/board/{world.ca.id}").get_data(as_text=True)
    assert "荣誉公示" in board and "李**" in board and "李志愿" not in board
    assert f"/notices/{notice.id}/objection" in board
    form = client.get(f"/notices/{notice.id}/objection").get_data(as_text=True)
    assert "李**" in form and "李志愿" not in form
    empty = client.post(f"/notices/{notice.id}/objection", data={"text": ""})
    assert empty.status_code == 422 and 'id="err-text"' in empty.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(HonourObjection)) is None  # nothing half-written
    sent = client.post(f"/notices/{notice.id}/objection",
                       data={"text": "他今年没有在社区服务过。", "item_id": ""})
    assert sent.status_code == 200 and "异议已提交" in sent.get_data(as_text=True)
    assert db.scalar(select(Notification.user_id).where(
        Notification.event == "honour_objection")) == world.admin.id

    login(client, world.admin)
    html = client.get("/ledger/honours").get_data(as_text=True)
    assert "他今年没有在社区服务过" in html and "撤回公示" in html
    no_reason = client.post(f"/ledger/honours/{notice.id}/withdraw", data={"reason": ""})
    assert no_reason.status_code == 422 and 'id="err-reason"' in no_reason.get_data(as_text=True)
    assert client.post(f"/ledger/honours/{notice.id}/withdraw",
                       data={"reason": "异议属实"}).status_code == 302
    db.refresh(notice)
    assert notice.status == "withdrawn"
    with client.session_transaction() as s:
        s.clear()
    assert "李**" not in client.get(f"/board/{world.ca.id}").get_data(as_text=True)
    assert client.post(f"/notices/{notice.id}/objection",
                       data={"text": "撤回后还能提异议吗"}).status_code == 409
