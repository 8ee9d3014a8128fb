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
    c = world.ca.id
    assert cells["reviews"][0] == f'<a href="/admin/review?community={c}">1</a>'
    assert cells["unclaimed"][0] == f'<a href="/admin/wishes?community={c}&amp;only=unclaimed">1</a>'
    assert cells["registrations"][0] == f'<a href="/admin/registrations?community={c}">0</a>'
    assert cells["pending_hours"][0] == f'<a href="/ledger/?community={c}">0</a>'
    assert f'href="/staff/people?community={c}&amp;status=never"' in html  # never signed in
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


def _count_on(client, url: str, figure: str) -> int:
    """How many rows the list behind a figure shows (its first page holds them all here)."""
    html = client.get(url).get_data(as_text=True)
    if figure in ("reviews", "unclaimed", "overdue"):
        return html.count('<article class="card wish-card"')
    if figure == "registrations":
        return html.split('id="recent-approved"')[0].count('<article class="card registration"')
    if figure == "pending_hours":
        queue = html.split('<ul class="queue">')[1].split("</ul>")[0] if '<ul class="queue">' in html else ""
        return queue.count('<li class="card">')
    total = re.search(r'id="people-total"><strong>共 (\d+) 人', html)
    return int(total.group(1))


def _busy_week(db, world, make_wish):
    """Something of every kind waiting in 城西社区, and the same kinds in 城东社区."""
    from datetime import timedelta
    from sqlalchemy import update
    from webapp.models import Registration, Wish, utcnow
    from tests.unit.admin.test_backlog import _cat_b, _record
    make_wish("pending_review")
    make_wish("pending_review", resident=world.resident_b, category=_cat_b(db, world))
    make_wish("published")
    late = [make_wish("published").id, make_wish("claimed").id,
            make_wish("in_service").id, make_wish("done").id]  # done: not overdue
    from webapp.services.wishes import wishes
    b = make_wish("pending_review", resident=world.resident_b, category=_cat_b(db, world))
    wishes.review(db, world.admin_b, b.id, "approve")
    db.execute(update(Wish).where(Wish.id.in_(late))
               .values(wanted_until=utcnow() - timedelta(hours=1)))
    db.add(Registration(kind="personal", user_id=world.resident2.id,
                        community_id=world.ca.id, status="pending"))
    db.add(Registration(kind="personal", user_id=world.resident_b.id,
                        community_id=world.cb.id, status="pending"))
    db.commit()
    _record(db, world, world.ca, world.ga1, world.member, "pending")
    _record(db, world, world.cb, world.gb1, world.member_b, "pending")


def test_every_figure_leads_to_a_list_of_exactly_what_it_counts(client, db, world, make_wish):
    from webapp.services.admin import backlog
    _busy_week(db, world, make_wish)
    checked = set()
    for who in (world.admin, world.street_admin):
        login(client, who)
        html = client.get("/staff/backlog").get_data(as_text=True)
        rows = {r["community_id"]: r for r in backlog.rows(db, who)}
        for cid, row in rows.items():
            name = re.escape(row["community"])
            line = re.search(rf'<th scope="row" class="key">{name}</th>(.*?)</tr>', html, re.S)
            for figure, url in re.findall(r'data-figure="(\w+)"><a href="([^"]+)"',
                                          line.group(1)):
                url = url.replace("&amp;", "&")
                want = row["people"] - row["activated"] if figure == "activated" else row[figure]
                assert _count_on(client, url, figure) == want, (who.name, cid, figure, url)
                checked.add((who.id, figure))
    assert {f for _w, f in checked} == {"reviews", "registrations", "unclaimed", "overdue",
                                        "pending_hours", "activated"}
    assert (world.street_admin.id, "overdue") in checked
    row = next(r for r in backlog.rows(db, world.admin))
    assert (row["reviews"], row["unclaimed"], row["overdue"], row["registrations"]) == (1, 2, 3, 1)


def test_the_lists_take_the_dashboards_filters(client, db, world, make_wish):
    _busy_week(db, world, make_wish)
    login(client, world.street_admin)
    page = client.get(f"/admin/wishes?community={world.cb.id}&only=unclaimed").text
    assert page.count('<article class="card wish-card"') == 1 and "城东社区" in page
    assert 'name="only" value="unclaimed"' in page  # kept when the filter form is used
    assert client.get("/admin/wishes?only=late").status_code == 422
    login(client, world.admin)
    assert client.get(f"/staff/people?community={world.cb.id}").status_code == 403
