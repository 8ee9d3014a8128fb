"""The staff's lists of wishes (审核, 心愿列表) are kept per data version of the communities they can
show (menu_cache.staff_list): a repeat view reads no wishes, any change shows on the very next
view, and a page is shared only by staff with the same grants, never across scopes."""
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.planutil import statements_sent
from webapp.extensions import db as _db
from webapp.models import Category, utcnow
from webapp.services.wishes import present, wishes


@pytest.fixture
def kept(app):
    cache = app.extensions["wishgrid_menu"]
    cache.clear()
    return cache


@contextmanager
def wish_reads():
    """The statements sent inside the block that read the wishes table."""
    with statements_sent(_db.engine) as said:
        reads = []
        yield reads
    reads += [x for x in said if re.search(r"\bFROM wishes\b", x)]


def _page(client, url="/admin/wishes") -> str:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return resp.get_data(as_text=True)


def _as(app, user):
    c = app.test_client()
    login(c, user)
    return c


@pytest.mark.parametrize("url", ["/admin/wishes", "/admin/review", "/admin/wishes?q=水管",
                                 "/admin/wishes?status=published&grid={grid}"])
def test_a_repeat_view_reads_no_wishes_even_for_other_staff_with_the_same_grants(
        app, db, world, make_wish, make_user, kept, url):
    make_wish("pending_review", title="一号楼修水管")
    make_wish("published", title="一号楼换灯泡水管")
    url = url.format(grid=world.ga1.id)
    second = make_user("郑主任", roles=[("community_admin", world.ca, None)])
    first = _page(_as(app, world.admin), url)
    with wish_reads() as seen:
        again = _page(_as(app, second), url)
    assert seen == []
    titles = re.findall(r"一号楼[^<]*", first)
    assert titles and re.findall(r"一号楼[^<]*", again) == titles


def test_each_change_shows_on_the_next_view(app, db, world, make_wish, kept):
    pending = make_wish("pending_review", title="七号楼修水管", resident=world.resident2)
    admin = _as(app, world.admin)
    assert "七号楼修水管" in _page(admin, "/admin/review")
    wishes.review(db, world.admin, pending.id, "approve")
    assert "七号楼修水管" not in _page(admin, "/admin/review")  # reviewed: out of the queue
    page = _page(admin)
    assert "七号楼修水管" in page and "赵**" in page and "7号楼" in page
    world.resident2.name = "钱阿姨"  # the card's masked name
    world.ba2.name = "七号楼B座"  # its building
    db.commit()
    page = _page(admin)
    assert "钱**" in page and "赵**" not in page and "七号楼B座" in page
    wishes.withdraw(db, world.resident2, pending.id)
    assert "已撤回" in _page(admin, "/admin/wishes?status=withdrawn")
    fresh = make_wish("pending_review", title="七号楼送药")
    assert "七号楼送药" in _page(admin, "/admin/review")
    assert fresh.community_id == world.ca.id


def test_staff_of_other_scopes_never_get_a_kept_page(app, db, world, make_wish, kept):
    make_wish("published", title="一号楼的心愿")  # grid A1
    make_wish("published", title="七号楼的心愿", resident=world.resident2)  # grid A2
    cat_b = db.scalar(select(Category.id).where(Category.community_id == world.cb.id))
    b = make_wish("pending_review", title="东1栋的心愿", resident=world.resident_b, category=cat_b)
    wishes.review(db, world.admin_b, b.id, "approve")

    def seen_by(user):
        return set(re.findall(r"\w+[楼栋]的心愿", _page(_as(app, user))))
    a_wishes = {"一号楼的心愿", "七号楼的心愿"}
    # Each in turn, after a page of a wider or another scope was kept: its own scope only.
    assert seen_by(world.street_admin) == a_wishes | {"东1栋的心愿"}
    assert seen_by(world.admin) == a_wishes
    assert seen_by(world.grid_worker) == {"一号楼的心愿"}
    assert seen_by(world.grid_worker2) == {"七号楼的心愿"}
    assert seen_by(world.admin_b) == {"东1栋的心愿"}


def test_a_kept_card_says_its_wanted_time_is_over_once_it_is(app, db, world, make_wish, kept,
                                                               monkeypatch):
    now = utcnow()
    make_wish("published", title="周末陪聊", wanted_from=now + timedelta(hours=1),
              wanted_until=now + timedelta(hours=2))
    admin = _as(app, world.admin)
    assert "data-window-over" not in _page(admin)
    monkeypatch.setattr(present, "utcnow", lambda: now + timedelta(hours=3))
    with wish_reads() as seen:
        page = _page(admin)
    assert seen == [] and "data-window-over" in page  # the kept list, the card as of now


def test_the_overdue_list_is_read_as_of_now_every_time(app, db, world, make_wish, kept,
                                                        monkeypatch):
    now = utcnow()
    make_wish("published", title="周末陪聊", deadline=now + timedelta(hours=1))
    admin = _as(app, world.admin)
    assert "周末陪聊" not in _page(admin, "/admin/wishes?only=overdue")
    with wish_reads() as seen:
        _page(admin, "/admin/wishes?only=overdue")
    assert seen
    # No change to any wish, only the time: the deadline passed, so the list has it now.
    from webapp.wishes import review_views
    monkeypatch.setattr(review_views, "utcnow", lambda: now + timedelta(hours=2))
    assert "周末陪聊" in _page(admin, "/admin/wishes?only=overdue")


def test_a_street_set_up_from_nothing_keeps_its_staff_list(client, db, kept):
    """No demo, no fixture world: a new street's first wish reaches its admin's queue, a repeat
    view is kept, and the review shows on the next one."""
    from tests.emptyutil import street_with_a_member
    from webapp.schemas.inputs import WishInput
    from webapp.services.admin import tree
    from webapp.services.people import residents
    new = street_with_a_member(db)
    grid = tree.add_node(db, new.admin, "grid", "一网格", new.community.id)
    building = tree.add_node(db, new.admin, "building", "1号楼", grid.id)
    resident = residents.make_account(db, "王阿姨", "13600000004", building)
    db.commit()
    cat = db.scalar(select(Category.id).where(Category.community_id == new.community.id))
    w = wishes.post(db, resident, WishInput(kind="service", title="修水龙头漏水", category=cat,
                                            description="腿脚不便。", capacity=1, estimated_hours=1))
    login(client, new.admin)
    assert "修水龙头漏水" in _page(client, "/admin/review")
    assert "修水龙头漏水" in _page(client, "/admin/review?q=水龙头")
    with wish_reads() as seen:
        assert "修水龙头漏水" in _page(client, "/admin/review?q=水龙头")
    assert seen == []  # kept
    wishes.review(db, new.admin, w.id, "approve")
    assert "修水龙头漏水" not in _page(client, "/admin/review")
    assert "修水龙头漏水" in _page(client, "/admin/wishes?status=published")
