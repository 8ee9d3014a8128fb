"""The staff's member picker (派单, 志愿服务证明) at a community's real size: at most PICK members
listed, how many there are, a search by name, volunteer number or skill that finds the rest, and
the member already chosen kept through a refused form (issue 27: 300 members per community)."""
import re

import pytest

from tests.conftest import login
from webapp.services.people.units import PICK

PAGES = ("dispatch", "certificates")


@pytest.fixture
def many_members(db, world, make_user):
    """PICK + 5 more members of community A (名01…), the last one skilled in 理发."""
    made = [make_user(f"名{i:02d}", roles=[("member", world.ca, None)])
            for i in range(PICK + 5)]
    made[-1].skills = "理发,修电器"
    db.commit()
    return made


def _url(kind, make_wish):
    if kind == "dispatch":
        return f"/admin/wishes/{make_wish('published').id}/dispatch"
    return "/ledger/certificates"


def _listed(html, kind):
    """The member ids the picker offers."""
    pattern = r'value="member:(\d+)"' if kind == "dispatch" else r'<option value="(\d+)"'
    return {int(i) for i in re.findall(pattern, html)}


@pytest.mark.parametrize("kind", PAGES)
def test_the_picker_lists_a_page_and_says_how_many(client, world, make_wish, many_members, kind):
    login(client, world.admin)
    html = client.get(_url(kind, make_wish)).get_data(as_text=True)
    assert len(_listed(html, kind)) == PICK
    # world has 李志愿, 张党员, 陈党员 as members of A; 褚党员 is B's and never offered.
    assert f"共 {PICK + 5 + 3} 位，这里列出 {PICK} 位" in html
    assert world.member_b.id not in _listed(html, kind)


@pytest.mark.parametrize("kind", PAGES)
def test_the_search_finds_a_member_beyond_the_page(client, world, make_wish, many_members, kind):
    login(client, world.admin)
    url = _url(kind, make_wish)
    sep = "&" if "?" in url else "?"
    last = many_members[-1]
    assert last.id not in _listed(client.get(url).get_data(as_text=True), kind)
    for text in (last.name, "理发"):
        html = client.get(f"{url}{sep}q={text}").get_data(as_text=True)
        assert _listed(html, kind) == {last.id}, text
    # The exact name first, then the names it starts: 名1 finds 名10…名19 and 名1x only.
    html = client.get(f"{url}{sep}q=名1").get_data(as_text=True)
    assert _listed(html, kind) == {m.id for m in many_members if m.name.startswith("名1")}
    html = client.get(f"{url}{sep}q=没有这个人").get_data(as_text=True)
    assert _listed(html, kind) == set() and "没有找到“没有这个人”" in html
    # Another community's member is not found by name either.
    html = client.get(f"{url}{sep}q={world.member_b.name}").get_data(as_text=True)
    assert _listed(html, kind) == set()


def test_a_refused_dispatch_keeps_the_chosen_member_listed(client, world, make_wish, many_members):
    login(client, world.admin)
    w = make_wish("published")
    last = many_members[-1]
    # Over-long note: refused next to the field, the member beyond the page still ticked.
    r = client.post(f"/admin/wishes/{w.id}/dispatch",
                    data={"target": f"member:{last.id}", "note": "长" * 500})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and last.id in _listed(html, "dispatch")
    assert f'value="member:{last.id}" checked' in html


def test_a_refused_certificate_keeps_the_chosen_member_selected(client, world, many_members):
    login(client, world.admin)
    last = many_members[-1]
    r = client.post("/ledger/certificates", data={"volunteer_id": last.id,
                                                  "period_from": "2026-01-01"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and f'<option value="{last.id}" selected' in html
