"""No dead ends (issue 12 §2): a wish past its wanted time, the volunteer's phone for the
resident, the grid worker for a phoneless resident."""
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import login
from webapp.models import Disclosure, RoleGrant, User, Wish, utcnow


def _past(db, wish):
    w = db.get(Wish, wish.id)
    w.wanted_from = utcnow() - timedelta(days=2)
    w.wanted_until = utcnow() - timedelta(days=1)
    db.commit()


def test_a_wish_past_its_wanted_time_leaves_the_menu_and_the_resident_is_told(client, db, world,
                                                                                make_wish):
    wish = make_wish("published", title="周末帮忙搬花盆")
    _past(db, wish)
    login(client, world.member)
    assert "周末帮忙搬花盆" not in client.get("/menu").get_data(as_text=True)
    login(client, world.resident)
    page = client.get("/my/wishes").get_data(as_text=True)
    card = page[page.index(f'id="wish-{wish.id}"'):]
    card = card[:card.index("</article>")]
    assert "data-window-over" in card and "可以修改时间重新发布" in card
    assert f"/wishes/{wish.id}/edit" in card  # the way forward is on the card


def test_a_wish_still_in_its_window_stays_in_the_menu(client, db, world, make_wish):
    wish = make_wish("published", title="周末帮忙搬花盆")
    w = db.get(Wish, wish.id)
    w.wanted_until = utcnow() + timedelta(days=1)
    db.commit()
    login(client, world.member)
    assert "周末帮忙搬花盆" in client.get("/menu").get_data(as_text=True)


def test_resident_sees_the_active_volunteers_phone_and_it_is_logged(client, db, world, make_wish):
    published = make_wish("published")
    login(client, world.resident)
    assert world.member.phone not in client.get(f"/wishes/{published.id}").get_data(as_text=True)
    wish = make_wish("claimed", title="修水龙头")
    page = client.get(f"/wishes/{wish.id}").get_data(as_text=True)
    assert 'id="volunteer-contacts"' in page and f"tel:{world.member.phone}" in page
    d = db.scalar(select(Disclosure).where(Disclosure.wish_id == wish.id,
                                           Disclosure.reason == "volunteer_phone"))
    assert d.viewer_id == world.resident.id and d.resident_id == world.member.id
    # Another member browsing the wish sees no phone.
    login(client, world.member3)
    assert world.member.phone not in client.get(f"/wishes/{wish.id}").get_data(as_text=True)


def test_volunteer_of_a_phoneless_resident_sees_the_grid_workers_name_and_phone(client, db, world,
                                                                                make_wish):
    elder = User(phone=None, name="刘奶奶", building_id=world.ba1.id, address="2单元101")
    db.add(elder)
    db.flush()
    db.add(RoleGrant(user_id=elder.id, role="resident", org_id=world.ba1.id))
    db.commit()
    wish = make_wish("claimed", resident=elder, title="代买降压药")
    login(client, world.member)
    page = client.get(f"/wishes/{wish.id}").get_data(as_text=True)
    assert "无手机，请联系网格员" in page
    assert world.grid_worker.name in page and f"tel:{world.grid_worker.phone}" in page
