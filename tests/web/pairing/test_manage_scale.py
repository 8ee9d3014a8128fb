"""结对安排 at district size (issue 27): the page lists buildings with their unpaired counts and
only the chosen building's households; 现有结对 is paged; a refused manual pairing keeps its
building and ticks; another community's building shows nothing."""
import html
import re

import pytest
from sqlalchemy import select

from tests.conftest import login
from webapp.models import Pairing, RoleGrant
from webapp.services.pairing import pairings


def _manual(page: str) -> str:
    return re.search(r'<section class="card" id="manual">(.*?)</section>', page, re.S)[1]


def _listed(page: str) -> set[int]:
    """The households offered as checkboxes for a manual pairing."""
    return {int(i) for i in re.findall(r'name="household" value="(\d+)"', _manual(page))}


def _buildings(page: str) -> dict[int, int]:
    """building id → its unpaired count, from the manual pairing's building picker."""
    return {int(b): int(n) for b, n in re.findall(
        r'<option value="(\d+)"(?: selected)?>[^<(]* \((\d+)\)</option>', _manual(page))}


def _picker_keeps(page: str) -> dict[str, str]:
    """The hidden fields the building picker's GET form sends along with the building."""
    form = re.search(r'<form method="get"[^>]*>(.*?)</form>', _manual(page), re.S)[1]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))


def _shown_pairings(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="pairing" value="(\d+)" form="end-many"', page)]


def test_buildings_with_counts_and_only_the_chosen_buildings_households(client, db, world,
                                                                        homes):
    pairings.pair(db, world.admin, world.member3.id, [homes[1].id])
    login(client, world.admin)
    page = client.get("/pairing/manage").get_data(as_text=True)
    assert not _listed(page)  # no building chosen: no household read
    paired = {homes[1].id}
    want = {}
    for h in pairings.households(db, world.ca.id):
        if h.id not in paired:
            want[h.building_id] = want.get(h.building_id, 0) + 1
    assert _buildings(page) == want
    page = client.get("/pairing/manage", query_string={
        "building": world.ba2.id, "year": 2025}).get_data(as_text=True)
    assert _listed(page) == {homes[2].id, world.resident2.id}  # 7号楼's unpaired only
    assert homes[3].id not in _listed(page) and homes[1].id not in _listed(page)
    assert f'name="building" value="{world.ba2.id}"' in page
    # the picker keeps the community and the year, and shows the open building as chosen
    assert _picker_keeps(page) == {"community": str(world.ca.id), "year": "2025"}
    assert f'<option value="{world.ba2.id}" selected>' in _manual(page)


@pytest.mark.parametrize("which", ["foreign", "unknown"])
def test_another_communitys_building_does_not_leak(client, world, homes, which):
    login(client, world.admin)
    building = world.bb1.id if which == "foreign" else 10 ** 8
    r = client.get("/pairing/manage", query_string={"building": building})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "请从列表中选择楼栋。" in page
    assert 'aria-invalid="true" aria-describedby="err-building"' in page  # the picker says so
    assert not _listed(page) and world.resident_b.name not in page
    assert client.get("/pairing/manage?building=abc").status_code == 422


def test_a_refused_manual_pairing_keeps_the_building_and_the_ticks(client, db, world, homes):
    login(client, world.admin)
    ticked = [homes[1].id, homes[2].id]
    r = client.post("/pairing/manage/pair", data={
        "community": world.ca.id, "building": world.ba2.id, "household": ticked})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="err-member_id"' in page
    assert _listed(page) == {homes[1].id, homes[2].id, world.resident2.id}
    checked = {int(i) for i in re.findall(r'name="household" value="(\d+)" checked', page)}
    assert checked == set(ticked)
    # over the member's limit: without the building field, the ticks' building opens
    world.ca.settings = {**(world.ca.settings or {}), "pairing_max_households": 1}
    db.commit()
    r = client.post("/pairing/manage/pair", data={
        "community": world.ca.id, "member_id": world.member2.id,
        "household": [homes[0].id, homes[3].id]})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "每名党员最多结对 1 户" in page
    assert {homes[0].id, homes[3].id} <= _listed(page) and homes[1].id not in _listed(page)
    assert f'value="{world.member2.id}" selected' in page
    assert not db.scalars(select(Pairing)).all()


def test_current_pairings_are_paged_and_ended_a_page_at_a_time(client, db, world, homes,
                                                               monkeypatch):
    monkeypatch.setattr(pairings, "PAIRINGS_PER_PAGE", 2)
    rows = pairings.pair(db, world.admin, world.member3.id, [h.id for h in homes])
    rows += pairings.pair(db, world.admin, world.member2.id, [world.resident2.id])
    ids = [p.id for p in rows]
    login(client, world.admin)
    pages = [client.get("/pairing/manage", query_string={"page": n}).get_data(as_text=True)
             for n in (1, 2, 3)]
    assert [_shown_pairings(p) for p in pages] == [ids[:2], ids[2:4], ids[4:]]
    assert all("共 5 组" in p for p in pages) and "第 2 / 3 页" in pages[1]
    assert 'rel="next"' in pages[0] and 'rel="prev"' not in pages[0]
    assert 'rel="prev"' in pages[2] and 'rel="next"' not in pages[2]
    # a page past the end shows the last; the pager keeps the open building
    assert _shown_pairings(client.get("/pairing/manage?page=99").get_data(as_text=True)) == ids[4:]
    opened = client.get("/pairing/manage", query_string={"page": 2, "building": world.ba1.id})
    prev = html.unescape(re.search(r'rel="prev" href="([^"]+)"', opened.get_data(as_text=True))[1])
    assert f"building={world.ba1.id}" in prev and "page=1" in prev
    # the bulk form ends what is ticked on the shown page and comes back to it
    r = client.post("/pairing/manage/end", data={
        "community": world.ca.id, "page": "2", "pairing": [str(i) for i in ids[2:4]],
        "reason": "党员调离"})
    assert r.status_code == 302 and "page=2" in r.headers["Location"]
    assert r.headers["Location"].endswith("#pairings")
    live = {p.id for p in db.scalars(select(Pairing).where(Pairing.status == "active"))}
    assert live == {ids[0], ids[1], ids[4]}
    # refused (no reason): the same page is shown again
    r = client.post("/pairing/manage/end", data={
        "community": world.ca.id, "page": "2", "pairing": [str(ids[4])]})
    assert r.status_code == 422 and _shown_pairings(r.get_data(as_text=True)) == [ids[4]]


def test_the_manual_pairing_needs_members_and_lists_them_once_a_building_is_chosen(
        client, db, world):
    # the other community's only member leaves: it has households but nobody to pick
    grant = db.scalar(select(RoleGrant).where(RoleGrant.user_id == world.member_b.id))
    grant.active = False
    db.commit()
    login(client, world.admin_b)
    alone = _manual(client.get("/pairing/manage").get_data(as_text=True))
    assert "本社区还没有已报到的党员" in alone and 'id="building"' not in alone
    client.post("/logout")
    login(client, world.admin)
    first = _manual(client.get("/pairing/manage").get_data(as_text=True))
    assert 'id="building"' in first and 'id="member_id"' not in first
    chosen = _manual(client.get(f"/pairing/manage?building={world.ba2.id}")
                     .get_data(as_text=True))
    assert f'<option value="{world.member2.id}">张党员 · 已结对 0 户</option>' in chosen
