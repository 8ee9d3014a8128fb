"""走访覆盖 has its own page (issue 27): by grid, and the members a page at a time, each figure as
the whole coverage (the API's) counts it; 结对安排 keeps only the paired share and the link."""
import re
from tests.conftest import login
from tests.web.apiutil import Api
from webapp.models import utcnow
from webapp.schemas.pairing import VisitInput
from webapp.services.pairing import coverage, pairings, visits


def _members(page: str) -> list[tuple[str, str]]:
    """(name, its row's figures) of the 按党员 table."""
    table = re.search(r'<section class="card" id="members">(.*?)</section>', page, re.S)[1]
    return re.findall(r"<tr><td>([^<]+)</td><td>(.*?)</td></tr>", table)


def test_members_come_a_page_at_a_time_with_the_whole_coverages_figures(
        client, db, world, homes, monkeypatch):
    pairings.pair(db, world.admin, world.member.id, [homes[0].id, homes[1].id])
    pairings.pair(db, world.admin, world.member2.id, [homes[2].id])
    pairings.pair(db, world.admin, world.member3.id, [homes[3].id])
    today = visits.local_today(utcnow())
    visits.log(db, world.member, VisitInput(household_id=homes[0].id, date=today, kind="home"))
    monkeypatch.setattr(coverage, "MEMBERS_PAGE", 2)
    year = today.year
    whole = coverage.coverage(db, world.admin, world.ca.id, year)
    login(client, world.admin)
    first = client.get("/pairing/coverage").get_data(as_text=True)
    assert "共 3 人，第 1 / 2 页" in first
    nxt = re.search(r'rel="next" href="([^"]+)"', first)[1].replace("&amp;", "&")
    second = client.get(nxt).get_data(as_text=True)
    shown = [n for n, _f in _members(first) + _members(second)]
    assert shown == [m["member"] for m in whole["by_member"]]  # each once, in the same order
    for m, (_n, figures) in zip(whole["by_member"], _members(first) + _members(second)):
        assert figures.startswith(f"{m['paired']}") and "少于下限" in figures  # minimum is 5
    for g in whole["by_grid"]:  # the grid table is the whole coverage's
        assert (f"<td>{g['grid']}</td><td>{g['households']}</td><td>{g['paired']} "
                f"({g['paired_share']}%)</td><td>{g['visited']} ({g['visited_share']}%)</td>"
                in first)
    assert whole["visited"] == 0 and whole["paired"] == 4  # one visit of two needed
    assert client.get("/pairing/coverage?page=x").status_code == 422
    assert client.get("/pairing/coverage?page=9").get_data(as_text=True).count("<tr><td>") \
        == len(_members(second)) + len(whole["by_grid"])  # past the end: the last page


def test_the_api_pages_its_members_too_with_the_whole_coverages_figures(
        client, db, world, homes, monkeypatch):
    pairings.pair(db, world.admin, world.member.id, [homes[0].id, homes[1].id])
    pairings.pair(db, world.admin, world.member2.id, [homes[2].id])
    pairings.pair(db, world.admin, world.member3.id, [homes[3].id])
    monkeypatch.setattr(coverage, "MEMBERS_PAGE", 2)
    year = visits.local_today(utcnow()).year
    whole = coverage.coverage(db, world.admin, world.ca.id, year)
    api = Api(client, world.admin)
    first = api.get("/pairings/coverage", community=world.ca.id).get_json()
    second = api.get("/pairings/coverage", community=world.ca.id, page=2).get_json()
    assert (first["members"], first["page"], first["pages"]) == (3, 1, 2)
    assert (second["page"], len(first["by_member"]), len(second["by_member"])) == (2, 2, 1)
    assert first["by_member"] + second["by_member"] == whole["by_member"]
    assert first["by_grid"] == second["by_grid"] == whole["by_grid"]
    assert first["paired"] == whole["paired"] == 4
    past = api.get("/pairings/coverage", community=world.ca.id, page=9).get_json()
    assert past["page"] == 2 and past["by_member"] == second["by_member"]  # the last page
    bad = api.get("/pairings/coverage", community=world.ca.id, page="x")
    assert bad.status_code == 422 and "page" in str(bad.get_json())


def test_manage_shows_the_paired_share_and_links_the_years_coverage(client, db, world, homes):
    pairings.pair(db, world.admin, world.member.id, [homes[0].id])
    login(client, world.admin)
    page = client.get("/pairing/manage?year=2025").get_data(as_text=True)
    # households: 王小明, 李志愿 (a member living here), 赵阿姨 and the four homes
    assert "居民家庭 7 户，已结对 1 户（14.3%）。" in page
    assert "<caption>按党员" not in page and "<caption>按网格" not in page
    assert re.search(r'href="/pairing/coverage\?community=\d+&amp;year=2025"', page)
    cov = client.get("/pairing/coverage?year=2025").get_data(as_text=True)
    assert "2025 年走访覆盖" in cov and "居民家庭 7 户：已结对 1 户（14.3%）" in cov
