"""Category names in the reader's language: defaults have English names, the community sets its
own (issue 12 §5)."""
from sqlalchemy import select

from tests.conftest import login
from webapp.models import Category, User

import pytest

# Runs once, in the SQLite pass of scripts/test.sh: the words on pages.
pytestmark = pytest.mark.engine_neutral


def _english(db, user):
    db.get(User, user.id).locale = "en"
    db.commit()


def test_default_categories_read_in_english_on_cards_and_filters(client, db, world, make_wish):
    make_wish("published", category=world.categories["助老助残"].id)
    _english(db, world.member)
    login(client, world.member)
    page = client.get("/menu").get_data(as_text=True)
    assert "Elderly and disabled" in page
    assert "助老助残" not in page and "生活照料" not in page  # card chip and filter options


def test_new_communities_store_the_english_defaults(db, world):
    cat = db.scalar(select(Category).where(Category.community_id == world.cb.id,
                                           Category.name == "家电维修"))
    assert cat.name_en == "Appliance repair"


def test_admin_sets_an_english_name_and_readers_see_it(client, db, world, make_wish):
    login(client, world.admin)
    r = client.post("/admin/categories", data={"name": "垃圾分类", "name_en": "Waste sorting"})
    assert r.status_code == 302
    cat = db.scalar(select(Category).where(Category.name == "垃圾分类"))
    assert cat.name_en == "Waste sorting"
    r = client.post(f"/admin/categories/{world.cat.id}",
                    data={"active": "1", "name_en": "Help for the elderly"})
    assert r.status_code == 302
    db.expire_all()
    assert db.get(Category, world.cat.id).name_en == "Help for the elderly"
    r = client.post(f"/admin/categories/{world.cat.id}", data={"active": "1", "name_en": "x" * 41})
    assert r.status_code == 422 and "40" in r.get_data(as_text=True)
    db.expire_all()
    assert db.get(Category, world.cat.id).name_en == "Help for the elderly"
    make_wish("published", title="扫楼道")
    _english(db, world.member)
    login(client, world.member)
    assert "Help for the elderly" in client.get("/menu").get_data(as_text=True)


def test_tallies_by_category_in_english(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    _english(db, world.admin)
    login(client, world.admin)
    page = client.get("/ledger/tallies?by=category&kind=year").get_data(as_text=True)
    assert "Elderly and disabled" in page and "助老助残" not in page
