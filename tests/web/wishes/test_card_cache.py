"""Wish cards are rendered once per distinct card (main/cards.py), yet never go stale or leak."""
import re
import threading

import pytest
from cachetools import LRUCache

from tests.conftest import login
from webapp.web import fragments
from webapp.wishes import cards

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# Every place a page carries its CSRF token: the forms' hidden field and htmx's header on <body>.
# The token is signed with the second it was made, so two requests a second apart differ there.
ANY_TOKEN = re.compile(r'(name="csrf_token" value="|"X-CSRFToken": ")[^"]+"')


@pytest.fixture
def renders(app, monkeypatch):
    """Counts how often the card partial is actually rendered (cache misses)."""
    calls = []
    real = cards._render

    def counting(card):
        calls.append(card["id"])
        return real(card)
    monkeypatch.setattr(cards, "_render", counting)
    app.extensions["wishgrid_cards"][0].clear()
    return calls


def _menu(client) -> str:
    resp = client.get("/menu")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_a_repeat_page_reuses_the_rendered_cards(client, world, make_wish, renders):
    wishes = [make_wish(title=f"一号楼帮忙{i}") for i in range(3)]
    login(client, world.member)
    first = _menu(client)
    assert sorted(renders) == sorted(w.id for w in wishes)
    second = _menu(client)
    assert len(renders) == 3  # nothing rendered again
    assert ANY_TOKEN.sub(r"\1", first) == ANY_TOKEN.sub(r"\1", second)


def test_each_session_gets_its_own_csrf_token_in_shared_cards(app, client, world, make_wish,
                                                              renders):
    wish = make_wish(title="一号楼陪同就医", capacity=2)
    other = app.test_client()
    login(client, world.member2)
    login(other, world.member3)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        mine, theirs = _menu(client), _menu(other)
        assert renders == [wish.id]  # both members see the same card: rendered once
        (t1,), (t2,) = TOKEN.findall(mine), TOKEN.findall(theirs)
        assert fragments.CSRF_PLACEHOLDER not in mine + theirs and t1 != t2
        # A token from the other session is refused; each session's own is accepted.
        assert client.post(f"/wishes/{wish.id}/claim", data={"csrf_token": t2}).status_code == 400
        assert client.post(f"/wishes/{wish.id}/claim", data={"csrf_token": t1}).status_code in (302, 303)
        assert other.post(f"/wishes/{wish.id}/claim", data={"csrf_token": t2}).status_code in (302, 303)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_claim_changes_the_card_everyone_sees(app, client, world, make_wish, renders):
    wish = make_wish(title="一号楼陪同就医", capacity=3)
    login(client, world.member3)
    assert "0/3 人" in _menu(client)
    other = app.test_client()
    login(other, world.member2)
    assert other.post(f"/wishes/{wish.id}/claim").status_code in (302, 303)
    after = _menu(client)
    assert "1/3 人" in after and "0/3 人" not in after
    mine = _menu(other)
    assert "您已认领" in mine and 'data-action="start"' in mine


def test_language_is_part_of_the_key(app, client, world, make_wish, renders):
    make_wish(title="一号楼陪同就医")
    login(client, world.member)
    assert "志愿者" in _menu(client)
    client.set_cookie("lang", "en")
    english = _menu(client)
    assert "Volunteers" in english and "志愿者" not in english.split("<main", 1)[-1]
    assert len(renders) == 2


def test_a_small_cache_evicts_and_pages_stay_whole(app, client, world, make_wish, renders,
                                                    monkeypatch):
    small = LRUCache(maxsize=2)
    monkeypatch.setitem(app.extensions, "wishgrid_cards", (small, threading.Lock()))
    titles = [make_wish(title=f"一号楼帮忙{i}").title for i in range(5)]
    login(client, world.member)
    for _ in range(2):
        app.extensions["wishgrid_pages"][0].clear()  # whole pages too: render the cards again
        html = _menu(client)
        assert all(t in html for t in titles)
        assert small.currsize == 2
    assert len(renders) == 10  # evicted cards are rendered again, not lost
