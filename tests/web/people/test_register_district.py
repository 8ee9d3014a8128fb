"""Sign-up in a district (issue 27): with more buildings than one list can hold
(SIGNUP_BUILDINGS_AT_ONCE), the form asks for the community first and lists only its buildings;
a small street keeps its one list. Tested with the threshold lowered on the `world` street."""
import re

import pytest
from sqlalchemy import select

from tests.web.people.test_ui_auth import _form
from webapp.models import User


@pytest.fixture
def district(app):
    kept = app.config["SIGNUP_BUILDINGS_AT_ONCE"]
    app.config["SIGNUP_BUILDINGS_AT_ONCE"] = 1  # the world's three buildings are "too many"
    yield
    app.config["SIGNUP_BUILDINGS_AT_ONCE"] = kept


def _buildings(html: str) -> set[str]:
    select_ = re.search(r'<select id="f-building_id".*?</select>', html, re.S)
    return set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select_.group(0))) \
        if select_ else set()


def test_a_small_street_keeps_one_list_of_buildings(client, world):
    html = client.get("/register").get_data(as_text=True)
    assert _buildings(html) == {"1号楼", "7号楼", "东1栋"} and 'name="community"' not in html


def test_a_district_asks_for_the_community_first(client, world, district):
    html = client.get("/register?role=member").get_data(as_text=True)
    assert 'id="f-building_id"' not in html and 'id="f-password"' not in html
    assert '<optgroup label="测试街道">' in html
    assert f'<option value="{world.ca.id}">城西社区</option>' in html
    assert f'<option value="{world.cb.id}">城东社区</option>' in html
    assert '<input type="hidden" name="role" value="member">' in html


def test_then_lists_that_community_s_buildings_only(client, world, district):
    html = client.get(f"/register?community={world.ca.id}&role=member").get_data(as_text=True)
    assert _buildings(html) == {"1号楼", "7号楼"}
    assert f'<input type="hidden" name="community" value="{world.ca.id}">' in html
    assert 'href="/register?role=member"' in html  # 换一个社区
    assert 'value="member" checked' in html


@pytest.mark.parametrize("which", ["grid", "unknown", "garbled"])
def test_a_community_not_in_the_list_is_refused_beside_the_field(client, world, district, which):
    value = {"grid": world.ga1.id, "unknown": 999999, "garbled": "x"}[which]
    r = client.get(f"/register?community={value}")
    html = r.get_data(as_text=True)
    assert r.status_code in (400, 422) and r.status_code < 500
    if which != "garbled":  # a number that names no community: asked again, said beside it
        assert 'id="err-community"' in html and 'id="f-community"' in html


def test_signing_up_from_the_narrowed_form(client, db, world, district):
    r = client.post("/register", data=_form(world, community=str(world.ca.id)))
    assert r.status_code == 302
    user = db.scalar(select(User).where(User.phone == "13600000001"))
    assert user.building_id == world.ba1.id


def test_a_refused_form_lists_its_own_community_s_buildings_again(client, db, world, district):
    r = client.post("/register", data=_form(world, name="", building_id=str(world.bb1.id)))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and _buildings(html) == {"东1栋"}
    assert f'<option value="{world.bb1.id}" selected>东1栋</option>' in html
    assert db.scalar(select(User).where(User.phone == "13600000001")) is None


def _kinds(nodes) -> set[str]:
    return {n["kind"] for n in nodes} | {k for n in nodes for k in _kinds(n["children"])}


def test_the_api_tree_is_whole_on_a_small_street(client, world):
    r = client.get("/api/v1/orgs")
    assert r.json["complete"] is True and _kinds(r.json["items"]) == {
        "street", "community", "grid", "building"}


def test_the_api_tree_of_a_district_comes_a_community_at_a_time(client, world, district):
    whole = client.get("/api/v1/orgs").json
    assert whole["complete"] is False and _kinds(whole["items"]) == {"street", "community"}
    assert {c["id"] for s in whole["items"] for c in s["children"]} == {world.ca.id, world.cb.id}
    one = client.get(f"/api/v1/orgs?community={world.ca.id}").json
    assert one["complete"] is True and [n["id"] for n in one["items"]] == [world.ca.id]
    grids = one["items"][0]["children"]
    assert {g["name"]: [b["name"] for b in g["children"]] for g in grids} == {
        "第一网格": ["1号楼"], "第二网格": ["7号楼"]}
    assert client.get(f"/api/v1/orgs?community={world.ga1.id}").status_code == 404
    assert client.get("/api/v1/orgs?community=999999").status_code == 404
    assert client.get("/api/v1/orgs?community=x").status_code == 422


def test_a_community_named_in_the_link_narrows_the_list_on_a_small_street_too(client, world):
    board = client.get(f"/board/{world.ca.id}").get_data(as_text=True)
    assert f'href="/register?community={world.ca.id}"' in board  # the public board's link
    html = client.get(f"/register?community={world.ca.id}").get_data(as_text=True)
    assert _buildings(html) == {"1号楼", "7号楼"}
    r = client.get("/register?community=999999")
    assert r.status_code == 422 and 'id="err-community"' in r.get_data(as_text=True)
    whole = client.post("/register", data=_form(world, name="", building_id=str(world.bb1.id)))
    assert whole.status_code == 422 and _buildings(whole.get_data(as_text=True)) == {
        "1号楼", "7号楼", "东1栋"}  # a small street's refused form keeps its one list
