"""反映问题 and "没办好" through the pages: the form (photo, anonymous), the answer, solved or
not, the wish page for the volunteer and for staff, the review, the backlog's block."""
import io

from sqlalchemy import select

from tests.conftest import login
from webapp.models import Complaint, LedgerEntry

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _raise(client, wish, **over):
    data = {"kind": "wish", "id": str(wish.id), "text": "志愿者迟到了，也没打电话",
            "photo": (io.BytesIO(PNG), "a.png"), **over}
    return client.post(f"/voice/new?kind=wish&id={wish.id}", data=data,
                       content_type="multipart/form-data")


def test_raise_with_photo_anonymous_then_answer_then_settle(client, db, world, make_wish):
    w = make_wish("closed")
    login(client, world.resident)
    form = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert f"/voice/new?kind=wish&amp;id={w.id}" in form and 'id="dispute"' in form
    assert "不让志愿者看到我的名字" in client.get(f"/voice/new?kind=wish&id={w.id}").get_data(as_text=True)
    resp = _raise(client, w, anonymous="1")
    c = db.scalar(select(Complaint))
    assert resp.status_code == 302 and resp.headers["Location"] == f"/voice/{c.id}"
    assert (c.anonymous, c.photo_type, c.status) == (True, "image/png", "received")
    # The volunteer reads it on the wish without the name or the photo; staff see both.
    login(client, world.member)
    page = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert "匿名居民" in page
    detail = client.get(f"/voice/{c.id}").get_data(as_text=True)
    assert world.resident.name not in detail and "/photo" not in detail
    assert client.get(f"/voice/{c.id}/photo").status_code == 404
    login(client, world.admin)
    detail = client.get(f"/voice/{c.id}").get_data(as_text=True)
    assert world.resident.name in detail and 'id="answer-form"' in detail
    photo = client.get(f"/voice/{c.id}/photo")
    assert photo.status_code == 200 and photo.data == PNG and photo.mimetype == "image/png"
    assert client.post(f"/voice/{c.id}/answer", data={"answer": ""}).status_code == 422
    assert client.post(f"/voice/{c.id}/answer", data={"answer": "已提醒志愿者"}).status_code == 302
    login(client, world.resident)
    page = client.get(f"/voice/{c.id}").get_data(as_text=True)
    assert "已提醒志愿者" in page and 'id="close-box"' in page
    assert client.post(f"/voice/{c.id}/close", data={"solved": "1"}).status_code == 302
    assert db.get(Complaint, c.id).status == "settled"


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(client, db, world, make_wish):
    w = make_wish("closed")
    login(client, world.resident)
    resp = _raise(client, w, text="")
    assert resp.status_code == 422 and "err-text" in resp.get_data(as_text=True)
    resp = _raise(client, w, photo=(io.BytesIO(b"GIF89a" + b"\0" * 10), "a.gif"))
    assert resp.status_code == 422 and "err-photo" in resp.get_data(as_text=True)
    assert db.scalar(select(Complaint)) is None
    login(client, world.member)  # not the one served
    assert _raise(client, w).status_code == 403


def test_not_done_well_holds_then_the_admin_voids_it(client, db, world, make_wish):
    w = make_wish("closed")
    login(client, world.resident)
    assert client.post(f"/wishes/{w.id}/dispute", data={"reason": ""}).status_code == 302
    assert w.status == "closed"  # refused with the reason, nothing written
    client.post(f"/wishes/{w.id}/dispute", data={"reason": "只擦了一半"})
    db.refresh(w)
    assert w.status == "disputed"
    login(client, world.member)  # the volunteer sees the hours held on his own page
    assert 'id="my-held"' in client.get("/ledger/me").get_data(as_text=True)
    login(client, world.admin)
    page = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert 'id="settle"' in page and "复核中" in page
    listed = client.get("/admin/wishes?status=disputed")  # the backlog's link
    assert listed.status_code == 200 and w.title in listed.get_data(as_text=True)
    assert 'data-figure="disputed"' in client.get("/staff/backlog").get_data(as_text=True)
    client.post(f"/admin/wishes/{w.id}/settle", data={"decision": "redo", "note": "核实属实"})
    db.refresh(w)
    assert w.status == "published"
    assert [e.kind for e in db.scalars(select(LedgerEntry).where(LedgerEntry.wish_id == w.id)
                                                    .order_by(LedgerEntry.id))] \
        == ["entry", "reversal"]


def test_backlog_shows_response_times_and_the_list_the_waiting(client, db, world, make_wish):
    from webapp.services.voice import complaints
    w = make_wish("closed")
    complaints.raise_(db, world.resident, "wish", w.id, "问题一")
    login(client, world.admin)
    page = client.get("/staff/backlog").get_data(as_text=True)
    assert 'id="voice-times"' in page and 'data-figure="voice_waiting"' in page
    assert "问题一" in client.get("/voice/").get_data(as_text=True)


def test_for_you_page_ranks_and_saves_availability(client, db, world, make_wish):
    make_wish("published", title="修理洗衣机", category=world.categories["家电维修"].id,
              resident=world.resident2)
    make_wish("published", title="陪聊天", resident=world.resident2)
    world.member.skills = "维修"
    db.commit()
    login(client, world.member)
    page = client.get("/menu/foryou").get_data(as_text=True)
    assert page.index("修理洗衣机") < page.index("陪聊天") and "和您的特长“维修”相符" in page
    client.post("/menu/foryou/availability", data={"slot": ["2pm", "9zz", "1am"]})
    db.refresh(world.member)
    assert world.member.availability == ["1am", "2pm"]
