"""网格架构 in a district: above TREE_NODES_AT_ONCE nodes the page lists the top level unopened
and opens each part on its own (a page, or in place by htmx); a change lands on the part that
holds it, and a refused form shows its error there. A small tree stays one page (the other
tree tests). The world's street (2 communities, 3 grids, 3 buildings) is made "big" here."""
import pytest

from tests.conftest import login

HX = {"HX-Request": "true"}


@pytest.fixture
def big(app):
    kept = app.config["TREE_NODES_AT_ONCE"]
    app.config["TREE_NODES_AT_ONCE"] = 4  # the street has 8 nodes, 城西社区 4
    yield
    app.config["TREE_NODES_AT_ONCE"] = kept


def test_a_big_street_lists_its_communities_unopened(client, db, world, big):
    login(client, world.street_admin)
    html = client.get("/staff/tree").get_data(as_text=True)
    for c in (world.ca, world.cb):
        assert f'data-hx-get="/staff/tree?node={c.id}"' in html  # opened in place by htmx
        assert f'href="/staff/tree?node={c.id}"' in html  # or on its own page
    assert "2 个网格 · 2 个楼栋" in html and "1 个网格 · 1 个楼栋" in html
    assert f'id="rn-{world.ba1.id}"' not in html and f'id="rn-{world.ga1.id}"' not in html
    assert f'id="add-{world.street.id}"' in html  # adding a community stays on the street


def test_a_community_opens_as_a_page_and_in_place(client, db, world, big):
    login(client, world.street_admin)
    r = client.get(f"/staff/tree?node={world.ca.id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "← 整个网格架构" in html
    assert f'id="rn-{world.ba1.id}"' in html and f'id="rn-{world.bb1.id}"' not in html
    part = client.get(f"/staff/tree?node={world.ca.id}", headers=HX)
    frag = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in frag and "HX-Request" in part.headers["Vary"]
    assert f'id="rn-{world.ca.id}"' in frag and f'id="rn-{world.ba1.id}"' in frag
    # the buildings' move picker offers the community's grids
    assert f'<option value="{world.ga2.id}"' in frag.split(f'id="mv-{world.ba1.id}"')[1]


def test_only_a_node_one_manages_opens(client, db, world, big):
    login(client, world.admin)  # community admin of ca
    assert client.get(f"/staff/tree?node={world.cb.id}").status_code == 404
    assert client.get(f"/staff/tree?node={world.gb1.id}", headers=HX).status_code == 404
    assert client.get("/staff/tree?node=999999").status_code == 404
    assert client.get("/staff/tree?node=abc").status_code == 422
    assert client.get(f"/staff/tree?node={world.ga1.id}").status_code == 200


def test_a_change_lands_on_the_part_that_holds_it(client, db, world, big):
    login(client, world.street_admin)
    r = client.post(f"/staff/orgs/{world.ba1.id}", data={"name": "1号楼（东）"})
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/staff/tree?node={world.ca.id}#org-{world.ba1.id}")
    html = client.get(f"/staff/orgs/{world.ba1.id}/retire").get_data(as_text=True)  # lived in
    assert f'href="/staff/tree?node={world.ca.id}#org-{world.ba1.id}"' in html  # its way back
    r = client.post("/staff/orgs", data={"kind": "community", "name": "城南社区",
                                         "parent_id": world.street.id})
    assert r.status_code == 302 and "/staff/tree?node=" in r.headers["Location"]


def test_a_refused_form_shows_its_error_in_the_opened_part(app, client, db, world, big):
    login(client, world.street_admin)
    r = client.post(f"/staff/orgs/{world.ba1.id}", data={"name": "楼" * 81})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and f'id="err-org-{world.ba1.id}-name"' in html
    assert "← 整个网格架构" in html and f'id="rn-{world.ba2.id}"' in html  # 城西社区, alone
    app.config["TREE_NODES_AT_ONCE"] = 3  # 城西社区 opens by grid too: the error is in its grid
    r = client.post(f"/staff/orgs/{world.ba1.id}", data={"name": "楼" * 81})
    html = r.get_data(as_text=True)
    assert f'id="err-org-{world.ba1.id}-name"' in html and f'id="rn-{world.ba2.id}"' not in html
    r = client.post(f"/staff/orgs/{world.ga1.id}", data={"name": "第二网格"})  # its sibling's
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and f'id="err-org-{world.ga1.id}-name"' in html


def test_a_huge_community_opens_by_grid(app, client, db, world, big):
    app.config["TREE_NODES_AT_ONCE"] = 3  # 城西社区's 4 nodes are too many now
    login(client, world.admin)
    html = client.get("/staff/tree").get_data(as_text=True)
    assert f'data-hx-get="/staff/tree?node={world.ga1.id}"' in html and "1 个楼栋" in html
    assert f'id="rn-{world.ba1.id}"' not in html
    frag = client.get(f"/staff/tree?node={world.ga1.id}", headers=HX).get_data(as_text=True)
    assert f'<option value="{world.ga2.id}"' in frag.split(f'id="mv-{world.ba1.id}"')[1]
    r = client.post(f"/staff/orgs/{world.ba1.id}", data={"name": "1号楼（东）"})
    assert r.headers["Location"].endswith(f"/staff/tree?node={world.ga1.id}#org-{world.ba1.id}")
