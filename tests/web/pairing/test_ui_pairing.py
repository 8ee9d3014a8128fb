"""结对联户 and 双向评议 through the web: pairing from suggestions, a visit and its need as a
wish, care tags kept from members, a round opened, closed and published, the public board."""
import re

from sqlalchemy import func, select

from tests.conftest import login
from webapp.models import AdminLog, Disclosure, Pairing, Visit, VisitWish, Wish


def _csrf_free(app):
    app.config["WTF_CSRF_ENABLED"] = False


def test_admin_pairs_member_visits_and_need_becomes_wish(app, client, db, world, make_user):
    _csrf_free(app)
    home = make_user("甲大爷", None, world.ba1, [("resident", world.ba1, None)])
    login(client, world.grid_worker)
    assert client.post(f"/pairing/care/{home.id}", data={"tags": ["lonely_elder"], "consent": "1"}).status_code == 302
    login(client, world.admin)
    page = client.get("/pairing/manage").get_data(as_text=True)
    assert "独居老人" in page and f'value="{world.member.id}:{home.id}"' in page
    r = client.post("/pairing/manage/accept", data={"pair": [f"{world.member.id}:{home.id}"]})
    assert r.status_code == 302
    p = db.scalar(select(Pairing).where(Pairing.household_id == home.id))
    assert p.member_id == world.member.id

    login(client, world.member)
    page = client.get("/pairing/").get_data(as_text=True)
    assert "甲大爷" in page and home.phone in page and "独居老人" not in page
    assert db.scalar(select(func.count(Disclosure.id)).where(Disclosure.pairing_id == p.id)) == 1
    r = client.post(f"/pairing/pairings/{p.id}/visit", data={"date": "2999-01-01", "kind": "home"})
    assert r.status_code == 422 and "不能晚于今天" in r.get_data(as_text=True)
    r = client.get(f"/pairing/pairings/{p.id}/visit")
    today = re.search(r'name="date" type="date" value="([0-9-]+)"', r.get_data(as_text=True))[1]
    r = client.post(f"/pairing/pairings/{p.id}/visit",
                    data={"date": today, "kind": "home", "note": "身体不错", "needs": "想修水龙头"})
    assert r.status_code == 302
    v = db.scalar(select(Visit))
    r = client.post(f"/pairing/visits/{v.id}/wish", data={
        "kind": "service", "title": "修水龙头", "category": world.cat.id})
    assert r.status_code == 422 and "居民已同意" in r.get_data(as_text=True)
    assert db.scalar(select(func.count(Wish.id))) == 0
    r = client.post(f"/pairing/visits/{v.id}/wish", data={
        "kind": "service", "title": "修水龙头", "category": world.cat.id, "consent": "1"})
    w = db.scalar(select(Wish))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/wishes/{w.id}")
    assert (w.status, w.resident_id) == ("pending_review", home.id)
    assert db.scalar(select(VisitWish.visit_id)) == v.id
    # another member cannot open the visit
    login(client, world.member2)
    assert client.get(f"/pairing/visits/{v.id}").status_code == 404


def test_round_on_the_web_and_the_public_board(app, client, db, world, make_wish):
    _csrf_free(app)
    make_wish("closed")
    login(client, world.admin)
    r = client.post("/pairing/evaluations", data={"community_id": world.ca.id, "year": "2025"})
    assert r.status_code == 302
    rid = int(r.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/pairing/evaluations/{rid}/score", data={
        "unit_id": world.unit.id, "support": "100", "effect": "100", "activity": "100"}
    ).status_code == 302
    login(client, world.unit_admin)
    page = client.get(f"/pairing/evaluations/{rid}").get_data(as_text=True)
    assert "单位履行社会责任报告" in page and f"/ledger/units/{world.unit.id}/report" in page
    assert client.post(f"/pairing/evaluations/{rid}/answer", data={
        "unit_id": world.unit.id, "support": "5", "report_text": "全年义诊 12 场"}).status_code == 302
    assert client.post(f"/pairing/evaluations/{rid}/close").status_code == 403
    login(client, world.admin)
    assert client.post(f"/pairing/evaluations/{rid}/close").status_code == 302
    assert client.post(f"/pairing/evaluations/{rid}/close").status_code == 409
    assert client.post(f"/pairing/evaluations/{rid}/publish").status_code == 302
    page = client.get(f"/pairing/evaluations/{rid}").get_data(as_text=True)
    # the unit's members joined after 2025 and it had no ratings nor sessions then: only the
    # community's questionnaire (100) is measured
    assert "全年义诊 12 场" in page and "优秀" in page and "100.0" in page
    assert client.post(f"/pairing/evaluations/{rid}/reopen", data={"reason": ""}).status_code == 422
    guest = app.test_client()
    board = guest.get(f"/board/{world.ca.id}")
    text = board.get_data(as_text=True)
    assert board.status_code == 200 and "区人民医院" in text and "优秀" in text
    assert "public" in board.headers["Cache-Control"] and "Set-Cookie" not in board.headers
    for person in (world.resident, world.member, world.member2, world.admin):
        assert person.name not in text and person.phone not in text
    assert guest.get(f"/board/{world.ga1.id}").status_code == 404
    poster = guest.get(f"/board/{world.ca.id}/poster").get_data(as_text=True)
    assert "<svg" in poster and f"/board/{world.ca.id}" in poster
    assert db.scalar(select(func.count(AdminLog.id)).where(
        AdminLog.kind.like("evaluation_%"))) == 3
