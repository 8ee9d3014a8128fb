"""待办概览 (issue 23 §8): the figures on the page and in the API, each linked to its list."""
import re

from tests.conftest import login
from tests.web.apiutil import Api


def _cell(html: str, figure: str) -> str:
    return re.findall(rf'data-figure="{figure}">(.*?)</td>', html, re.S)


def test_community_admin_sees_own_figures_each_linked(client, db, world, make_wish):
    make_wish("pending_review")
    make_wish("published")
    login(client, world.admin)
    html = client.get("/staff/backlog").get_data(as_text=True)
    cells = dict(zip(("reviews", "registrations", "unclaimed", "pending_hours"),
                     (_cell(html, k) for k in ("reviews", "registrations", "unclaimed",
                                               "pending_hours"))))
    assert len(cells["reviews"]) == 1  # one community: one row
    assert cells["reviews"][0] == '<a href="/admin/review">1</a>'
    assert cells["unclaimed"][0] == '<a href="/admin/wishes?status=published">1</a>'
    assert cells["registrations"][0] == '<a href="/admin/registrations">0</a>'
    assert cells["pending_hours"][0] == f'<a href="/ledger/?community={world.ca.id}">0</a>'
    assert 'href="/staff/people?status=never"' in html  # activation: who never signed in
    assert world.cb.name not in html


def test_street_admin_gets_a_row_per_community(client, db, world, make_wish):
    make_wish("pending_review")
    login(client, world.street_admin)
    html = client.get("/staff/backlog").get_data(as_text=True)
    assert world.ca.name in html and world.cb.name in html
    reviews = _cell(html, "reviews")
    assert [re.sub(r"<[^>]+>", "", c) for c in reviews] == ["1", "0"]
    # Registrations are decided by the community: no list for the street to open.
    assert all("<a" not in c for c in _cell(html, "registrations"))


def test_linked_first_from_the_admins_me_page(client, world):
    for who in (world.admin, world.street_admin):
        login(client, who)
        html = client.get("/me").get_data(as_text=True)
        links = re.findall(r'class="link-list".*?href="([^"]+)"', html, re.S)
        assert links and links[0] == "/staff/backlog", links


def test_others_are_refused(client, world):
    for who in (world.resident, world.member, world.grid_worker):
        login(client, who)
        assert client.get("/staff/backlog").status_code == 403


def test_api_gives_the_same_figures(client, db, world, make_wish):
    make_wish("pending_review")
    api = Api(client, world.street_admin)
    r = api.get("/backlog")
    assert r.status_code == 200
    by = {i["community_id"]: i for i in r.json["items"]}
    assert (by[world.ca.id]["reviews"], by[world.cb.id]["reviews"]) == (1, 0)
    assert Api(client, world.resident).get("/backlog").status_code == 403
