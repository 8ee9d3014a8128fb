"""结对安排 at real size (issue 23 item 2): nothing pre-ticked, a batch undone in one click, several
pairings ended at once, and a manual pairing of a chosen member with chosen households."""
import re

import pytest
from sqlalchemy import select

from tests.conftest import login
from webapp.models import Pairing
from webapp.services.errors import Conflict, NotFound
from webapp.services.pairing import batches, pairings, suggestions


def _active(db):
    return {p.household_id: p.member_id for p in
            db.scalars(select(Pairing).where(Pairing.status == "active"))}


def test_no_suggestion_is_pre_ticked(client, world, homes):
    login(client, world.admin)
    page = client.get("/pairing/manage").get_data(as_text=True)
    boxes = re.findall(r'<input type="checkbox" name="pair" [^>]*>', page)
    assert len(boxes) >= 4 and not any("checked" in b for b in boxes)


def test_nothing_ticked_says_so_on_the_page(client, world, homes, db):
    login(client, world.admin)
    r = client.post(f"/pairing/manage/accept?community={world.ca.id}", data={})
    assert r.status_code == 422 and "请至少勾选一组。" in r.get_data(as_text=True)
    assert "结对建议" in r.get_data(as_text=True) and not _active(db)


def test_a_batch_is_undone_in_one_click(client, db, world, homes):
    login(client, world.admin)
    pairs = [f"{world.member.id}:{homes[0].id}", f"{world.member3.id}:{homes[1].id}"]
    r = client.post("/pairing/manage/accept", data={"pair": pairs})
    assert r.status_code == 302 and r.headers["Location"].endswith("#last-batch")
    assert len(_active(db)) == 2
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "撤销这 2 户" in page
    undo = re.search(r'<section class="card" id="last-batch">(.*?)</section>', page, re.S)[1]
    data = {"pairing": re.findall(r'name="pairing" value="(\d+)"', undo),
            "reason": re.search(r'name="reason" value="([^"]+)"', undo)[1],
            "community": str(world.ca.id)}
    assert client.post("/pairing/manage/end", data=data).status_code == 302
    assert not _active(db)
    ended = db.scalars(select(Pairing)).all()
    assert {p.status for p in ended} == {"ended"} and ended[0].reason == "撤销刚才的结对"
    # undone households are suggested again
    assert {homes[0].id, homes[1].id} <= {
        s["household_id"] for s in suggestions.suggest(db, world.admin, world.ca.id)}


def test_end_several_at_once_needs_a_reason(client, db, world, homes):
    rows = pairings.pair(db, world.admin, world.member.id, [h.id for h in homes[:3]])
    login(client, world.admin)
    ids = [str(rows[0].id), str(rows[2].id)]
    r = client.post("/pairing/manage/end", data={"pairing": ids, "reason": " "})
    assert r.status_code == 422 and "请填写原因。" in r.get_data(as_text=True)
    r = client.post("/pairing/manage/end", data={"pairing": ids, "reason": "党员调离"})
    assert r.status_code == 302
    assert _active(db) == {homes[1].id: world.member.id}


def test_manual_pairing_of_a_chosen_member(client, db, world, homes):
    login(client, world.admin)
    page = client.get(f"/pairing/manage?building={world.ba1.id}").get_data(as_text=True)
    assert 'name="member_id"' in page and f'name="household" value="{homes[3].id}"' in page
    r = client.post("/pairing/manage/pair", data={
        "community": world.ca.id, "member_id": world.member2.id,
        "household": [homes[0].id, homes[3].id]})
    assert r.status_code == 302
    assert _active(db) == {homes[0].id: world.member2.id, homes[3].id: world.member2.id}
    # no member chosen, or a household of another community: said beside the field
    r = client.post("/pairing/manage/pair", data={"household": [homes[1].id]})
    assert r.status_code == 422 and 'id="err-member_id"' in r.get_data(as_text=True)
    r = client.post("/pairing/manage/pair", data={"member_id": world.member3.id,
                                                  "household": [world.resident_b.id]})
    assert r.status_code == 422 and "只能选择本社区的居民家庭" in r.get_data(as_text=True)
    assert len(_active(db)) == 2


def test_end_many_is_all_or_nothing_and_scoped(db, world, homes):
    rows = pairings.pair(db, world.admin, world.member.id, [homes[0].id, homes[3].id])
    with pytest.raises(NotFound):  # another community's admin
        batches.end_many(db, world.admin_b, [rows[0].id], "x")
    batches.end_many(db, world.admin, [rows[0].id], "误操作")
    with pytest.raises(Conflict):  # one already ended: none of the batch is ended
        batches.end_many(db, world.admin, [rows[1].id, rows[0].id], "again")
    assert _active(db) == {homes[3].id: world.member.id}
    assert [p.id for p in batches.last_batch(db, world.admin, world.ca.id)] == [rows[1].id]


def test_the_care_list_is_counted_filtered_and_paged(app, client, db, world, make_user):
    """A sibling of 居民与账号 (issue 23 item 5): 需关爱家庭标注 at real size."""
    from webapp.services.errors import Forbidden
    from webapp.services.pairing import care_page
    app.config["WTF_CSRF_ENABLED"] = False
    many = [make_user(f"住户{i:02d}", None, world.ba1, [("resident", world.ba1, None)])
            for i in range(35)]
    pairings.set_care(db, world.admin, many[0].id, ["lonely_elder"], consent=True)
    login(client, world.admin)
    page = client.get("/pairing/care").get_data(as_text=True)
    total = int(re.search(r"共 (\d+) 户", page)[1])
    # 城西社区: 王小明 and 李志愿 in 1号楼, 赵阿姨 in 7号楼, and the 35 (the buildings' kept counts)
    assert total == 38 and "第 1 / 2 页" in page and 'rel="next"' in page
    one = client.get("/pairing/care", query_string={"building": world.ba2.id}).get_data(
        as_text=True)
    assert world.resident2.name in one and "住户00" not in one and "共 1 户" in one
    tagged = client.get("/pairing/care?tagged=1").get_data(as_text=True)
    assert "共 1 户" in tagged and "住户00" in tagged and "住户01" not in tagged
    # saving keeps the filter and the page
    r = client.post(f"/pairing/care/{many[1].id}?tagged=1", data={"tags": ["disabled"], "consent": "1"})
    assert r.status_code == 302 and "tagged=1" in r.headers["Location"]
    assert client.get("/pairing/care", query_string={"building": world.bb1.id}).status_code == 422
    with pytest.raises(Forbidden):
        care_page.care_page(db, world.member)
