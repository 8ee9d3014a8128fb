"""Finding people (issue 12 §4): search on the 代为登记 picker and the registrations list;
two residents of the same name in one building told apart; the inbox list has no bullets."""
import re
from pathlib import Path

from tests.conftest import login
from webapp.schemas.inputs import Register
from webapp.services.people import accounts, residents


def _options(page: str) -> list[str]:
    sel = page[page.index('id="f-on_behalf_of"'):]
    sel = sel[:sel.index("</select>")]
    return [re.sub(r"\s+", " ", o).strip() for o in re.findall(r"<option[^>]*>([^<]*)</option>", sel)]


def test_picker_tells_namesakes_apart_and_searches(client, db, world, make_user):
    a = make_user("张桂兰", "13911112222", world.ba1, [("resident", world.ba1, None)],
                  address="1单元101")
    b = make_user("张桂兰", "13933334444", world.ba1, [("resident", world.ba1, None)],
                  address="2单元202")
    login(client, world.grid_worker)
    opts = [o for o in _options(client.get("/wishes/new").get_data(as_text=True))
            if "张桂兰" in o]
    assert len(opts) == 2 and opts[0] != opts[1]
    assert any("1单元101" in o and "139****2222" in o for o in opts)
    assert not any("13911112222" in o for o in opts)  # masked, never the full number
    page = client.get("/wishes/new?who=2单元").get_data(as_text=True)
    opts = _options(page)
    assert any("2单元202" in o for o in opts) and not any("1单元101" in o for o in opts)
    assert 'id="resident-search"' in page
    assert not [o for o in _options(client.get("/wishes/new?who=王小明").get_data(as_text=True))
                if "张桂兰" in o]
    assert a.id != b.id


def test_registrations_list_searches_name_phone_and_unit(client, db, world):
    for phone, name in (("13900000901", "新党员甲"), ("13900000902", "新党员乙")):
        accounts.register(db, Register(phone=phone, name=name, password="wishgrid-test-1",
                                       role="member", building_id=world.ba1.id,
                                       unit_id=world.unit.id, skills="", consent=True))
    login(client, world.admin)
    page = client.get("/admin/registrations?q=新党员乙").get_data(as_text=True)
    assert "新党员乙" in page and "新党员甲" not in page
    page = client.get("/admin/registrations?q=0901").get_data(as_text=True)
    assert "新党员甲" in page and "新党员乙" not in page
    assert "新党员甲" in client.get("/admin/registrations").get_data(as_text=True)
    # Too short for the indexes: each application's applicant tested by primary key.
    page = client.get("/admin/registrations?q=乙").get_data(as_text=True)
    assert "新党员乙" in page and "新党员甲" not in page
    page = client.get("/admin/registrations?q=人民").get_data(as_text=True)  # 区人民医院
    assert "新党员乙" in page and "新党员甲" in page


def test_card_lists_have_no_bullets_or_indent():
    css = Path("webapp/static/css/app.css").read_text()
    assert re.search(r"ul\.card-list[^{]*\{[^}]*list-style:\s*none[^}]*padding-left:\s*0", css)


def test_picker_lists_a_page_of_residents_and_keeps_the_chosen_one(client, db, world,
                                                                   monkeypatch):
    """A community admin's 代为登记 picker listed every resident of the community (thousands in
    a district, a 470 KB page): now the first PICK_RESIDENTS of them, in the same order, and
    says there are more; the search finds the others."""
    monkeypatch.setattr(residents, "PICK_RESIDENTS", 1)
    login(client, world.admin)
    page = client.get("/wishes/new").get_data(as_text=True)
    assert len(_options(page)) == 2  # the placeholder and one resident
    first = residents.residents_for_staff(db, world.admin)
    assert len(first) > 1 and "这里列出前 1 位居民" in page and first[0]["name"] in page
    monkeypatch.setattr(residents, "PICK_RESIDENTS", len(first))  # all fit: no hint
    assert "这里列出前" not in client.get("/wishes/new").get_data(as_text=True)
    monkeypatch.setattr(residents, "PICK_RESIDENTS", 1)
    chosen = world.resident2  # in 7号楼: not the first listed
    opts = _options(client.get(f"/wishes/new?for={chosen.id}").get_data(as_text=True))
    assert len(opts) == 3 and any(chosen.name in o for o in opts)
    r = client.post("/wishes/new", data={"on_behalf_of": str(chosen.id), "kind": "service",
                                         "title": ""})  # refused: no title
    assert any(chosen.name in o for o in _options(r.get_data(as_text=True)))
    assert 'selected>' in r.get_data(as_text=True).split(f'value="{chosen.id}"')[1][:12]
    page = client.get("/wishes/new?who=没有这个人").get_data(as_text=True)
    assert "没有找到“没有这个人”" in page


def test_a_registrations_search_looks_up_each_applicant(db, world):
    """The applicant is tested by the application's own key, not `user_id IN (every user of the
    district whose name or phone holds the text)` (0.2 s at district size)."""
    from tests.planutil import statements_sent
    from webapp.services.people import registrations
    with statements_sent(db.get_bind()) as said:
        registrations.pending(db, world.admin, text="居民")
    listed = [x for x in said if "FROM registrations" in x]
    assert listed and all("registrations.user_id IN" not in x for x in listed), listed
    assert any("users.id = registrations.user_id" in x for x in listed), listed
