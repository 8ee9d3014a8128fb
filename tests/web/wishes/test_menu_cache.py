"""The menu is cached whole per community data version (services/wishes/menu_cache.py): a
repeat page reads no wishes, any change to a wish or claim shows in the very next menu response
for everyone, and each viewer's own state is laid over the shared list, never another's."""
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from tests.conftest import login
from webapp.extensions import db as _db
from webapp.models import Claim, Wish, utcnow
from webapp.schemas.inputs import WishEdit
from webapp.services.notify import followup
from webapp.services.wishes import claims, editing, versions, wishes


@pytest.fixture
def menus(app):
    cache = app.extensions["wishgrid_menu"]
    cache.clear()
    app.extensions["wishgrid_pages"][0].clear()
    return cache


@contextmanager
def statements():
    seen = []

    def count(_conn, _cursor, statement, *_a):
        seen.append(statement)
    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)


def _menu(client, query="") -> str:
    resp = client.get("/menu" + query)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _pair(app, client, world):
    login(client, world.member2)
    other = app.test_client()
    login(other, world.member3)
    return client, other


def test_a_repeat_menu_reads_no_wishes_even_for_another_volunteer(app, client, world, make_wish,
                                                                 menus):
    titles = [make_wish(title=f"二号楼帮忙{i}").title for i in range(3)]
    a, b = _pair(app, client, world)  # same community, same home grid
    assert all(t in _menu(a) for t in titles)
    with statements() as seen:
        page = _menu(b)
    assert all(t in page for t in titles)
    assert not any("FROM wishes" in s for s in seen), seen
    assert not any("FROM categories" in s for s in seen)  # the filter choices too


def test_claim_and_release_show_for_everyone_and_claim_state_stays_personal(
        app, client, db, world, make_wish, menus):
    wish = make_wish(title="一号楼陪同就医", capacity=3)
    a, b = _pair(app, client, world)
    assert "0/3 人" in _menu(a) and "0/3 人" in _menu(b)
    assert a.post(f"/wishes/{wish.id}/claim").status_code in (302, 303)
    theirs, mine = _menu(b), _menu(a)
    assert "1/3 人" in theirs and "1/3 人" in mine
    assert "您已认领" in mine and 'data-action="release"' not in theirs
    assert "您已认领" not in theirs and 'data-action="claim"' in theirs
    claim = db.query(Claim).filter_by(wish_id=wish.id, volunteer_id=world.member2.id).one()
    claims.release(db, db.get(type(world.member2), world.member2.id), claim.id)
    assert "0/3 人" in _menu(b)
    assert "您已认领" not in _menu(a)


def test_review_edit_withdraw_and_expiry_show_in_the_next_response(app, client, db, world,
                                                                  make_wish, menus):
    pending = make_wish(status="pending_review", title="七号楼修水管")
    soon = make_wish(title="七号楼取快递", deadline=utcnow() + timedelta(hours=2))
    login(client, world.member3)
    page = _menu(client)
    assert "七号楼修水管" not in page and "七号楼取快递" in page
    wishes.review(db, world.admin, pending.id, "approve")
    assert "七号楼修水管" in _menu(client)
    editing.edit(db, world.resident, pending.id, WishEdit(title="七号楼修厨房水管"))
    assert "七号楼修水管" not in _menu(client)  # edited: back to review, out of the menu
    wishes.review(db, world.admin, pending.id, "approve")
    assert "七号楼修厨房水管" in _menu(client)
    wishes.withdraw(db, world.resident, pending.id)
    assert "七号楼修厨房水管" not in _menu(client)
    followup.expire(db, utcnow() + timedelta(hours=3))  # the job process's expiry
    assert "七号楼取快递" not in _menu(client)


def test_own_wish_shows_the_full_name_to_its_resident_only(app, client, world, make_wish, menus):
    make_wish(title="一号楼换灯泡", resident=world.member)  # 李志愿 is a member and a resident
    other = app.test_client()
    login(other, world.member3)
    assert "李**" in _menu(other) and "李志愿" not in _menu(other)  # cached first by another
    login(client, world.member)
    mine = _menu(client)
    assert "李志愿" in mine and 'data-action="claim"' not in mine  # never one's own wish


def test_versions_move_with_the_transaction_and_only_for_the_community(db, world, make_wish):
    wish = make_wish(title="一号楼帮忙")
    before = dict(versions.current(db, [world.ca.id, world.cb.id]))
    db.execute(update(Wish).where(Wish.id == wish.id).values(title="改过的标题"))
    db.rollback()  # undone: no bump
    assert dict(versions.current(db, [world.ca.id, world.cb.id])) == before
    claims.claim(db, world.member2, wish.id)
    after = dict(versions.current(db, [world.ca.id, world.cb.id]))
    assert after[world.ca.id] == before[world.ca.id] + 1
    assert after[world.cb.id] == before[world.cb.id]
    db.get(Wish, wish.id).title = "工作单元改的标题"  # the unit of work path
    db.commit()
    assert dict(versions.current(db, [world.ca.id]))[world.ca.id] == before[world.ca.id] + 2


def test_filters_cursor_and_language_are_part_of_the_key(app, client, world, make_wish, menus):
    make_wish(title="一号楼买菜", kind="wish")
    make_wish(title="一号楼修车", kind="service")
    login(client, world.member3)
    assert "一号楼买菜" in _menu(client) and "一号楼修车" in _menu(client)
    only = _menu(client, "?kind=service")
    assert "一号楼修车" in only and "一号楼买菜" not in only
    client.set_cookie("lang", "en")
    assert "Volunteers" in _menu(client, "?kind=service")


def test_a_whole_page_is_shared_only_by_viewers_it_cannot_tell_apart(app, client, db, world,
                                                                     make_wish, menus):
    from webapp.services.notify.notify import notify
    make_wish(title="一号楼帮忙搬家")
    a, b = _pair(app, client, world)
    pages = app.extensions["wishgrid_pages"][0]
    token = re.compile(r'"X-CSRFToken": "[^"]+"|name="csrf_token" value="[^"]+"')
    first = _menu(a)
    assert token.sub("", _menu(b)) == token.sub("", first)
    assert len({id(html) for html in pages.values()}) == 1  # rendered once, for both
    notify(db, [world.member3.id], "wish_approved", db.query(Wish).first())
    db.commit()
    theirs = _menu(b)
    assert 'class="badge"' in theirs and 'class="badge"' not in _menu(a)  # unread: personal
    with a.session_transaction() as s:
        s["_flashes"] = [("success", "设置已保存。")]
    assert "设置已保存。" in _menu(a)  # a flashed message: rendered the usual way, and once
    assert "设置已保存。" not in _menu(a)


def test_a_shared_page_carries_each_sessions_own_csrf_token(app, client, world, make_wish,
                                                            menus):
    make_wish(title="一号楼陪同就医", capacity=2)
    a, b = _pair(app, client, world)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        tokens = [set(re.findall(r'"X-CSRFToken": "([^"]+)"', _menu(c))
                      + re.findall(r'name="csrf_token" value="([^"]+)"', _menu(c)))
                  for c in (a, b)]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert all(tokens) and not (tokens[0] & tokens[1])
    assert len({id(html) for html in app.extensions["wishgrid_pages"][0].values()}) == 1


def test_a_viewers_repeat_page_builds_no_cards_yet_follows_their_grants(app, client, db, world,
                                                                        make_wish, menus):
    from webapp.models import RoleGrant
    from webapp.services.wishes import menu_cache
    make_wish(title="一号楼帮忙搬家")
    login(client, world.unit_admin)
    assert 'data-action="unit_claim"' in _menu(client)
    calls = []
    real = menu_cache.personal_cards
    try:
        menu_cache.personal_cards = lambda *a: calls.append(a) or real(*a)
        with statements() as seen:
            _menu(client)
        assert calls == [] and not any("FROM claims" in s for s in seen)
        # A grant taken away (no session bump): the next page is built for what is left.
        db.query(RoleGrant).filter_by(user_id=world.unit_admin.id).update({"active": False})
        db.commit()
        assert 'data-action="unit_claim"' not in _menu(client)
        assert len(calls) == 1
    finally:
        menu_cache.personal_cards = real


def test_a_repeat_menu_is_one_read_yet_shows_the_next_notification_and_change(app, client, db,
                                                                              world, make_wish,
                                                                              menus):
    """The identity's one statement brings the communities' versions and the bell's count: a
    viewer's repeat menu reads nothing else, and a new notification or wish still shows."""
    from webapp.services.notify.notify import notify
    make_wish(title="一号楼帮忙搬家")
    login(client, world.member2)
    _menu(client)
    with statements() as seen:
        page = _menu(client)
    reads = [s for s in seen if not s.lstrip().upper().startswith(("BEGIN", "ROLLBACK"))]
    assert len(reads) == 1 and "FROM users" in reads[0], reads
    assert 'class="badge"' not in page
    notify(db, [world.member2.id], "wish_approved", db.query(Wish).first())
    db.commit()
    assert re.search(r'class="badge"[^>]*>\s*1\s*<', _menu(client))
    make_wish(title="二号楼帮忙买菜")
    assert "二号楼帮忙买菜" in _menu(client)
