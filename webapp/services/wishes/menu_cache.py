"""The member's menu, cached whole: a page's list and filter choices are shared by every
volunteer who asks for the same thing, until one of the communities changes. The staff's list
of wishes (审核, 心愿列表) is kept the same way, per set of grants (`staff_list`).

Key: the communities' data versions (services/wishes/versions.py: bumped in the same
transaction as any change to one of their wishes or claims), the viewer's home grid (own grid
first), the filters, the cursor, the page size and the language. Value: the shared part of each
card (resident masked, no claim state, no buttons), the facts the buttons are computed from,
and the next cursor. The personal parts (the viewer's name on their own wish, their claims,
their buttons; the CSRF token in main/cards.py) are laid over it on every request, so a cached
page never shows one person another's state.
"""
import threading

from cachetools import LRUCache

from .. import policy
from ..people import identity
from . import menu, present, versions
from .choices import filter_choices

MENU_ROLES = ("member", "unit_admin")


class MenuCache:
    """A thread-safe LRU of menu pages and filter choices (one per process)."""

    def __init__(self, size: int):
        self._lru, self._lock = LRUCache(maxsize=size), threading.Lock()

    def get(self, key):
        """The entry under `key`, or None."""
        with self._lock:
            return self._lru.get(key)

    def put(self, key, value) -> None:
        """Keep `value` under `key`."""
        with self._lock:
            self._lru[key] = value

    def kept(self, key, compute):
        """The entry under `key`, else `compute()`'s, kept there."""
        entry = self.get(key)
        if entry is None:
            entry = compute()
            self.put(key, entry)
        return entry

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._lru.clear()


def shared_list(session, cache: MenuCache, user, *, filters: dict, cursor: str | None,
                limit: int, locale: str, choices: bool = False):
    """(parts, next cursor, filter choices or None, key) of one menu page: the shared part of
    each card with its facts (present.shared_parts), from the cache when none of the user's
    communities changed since it was computed. `key` names the list (None: nothing to list)."""
    communities = policy.community_ids_for(user, *MENU_ROLES)
    if not communities:
        return (), None, (filter_choices(session, ()) if choices else None), None
    # First (the identity's read, at the request's start): what is read below is as new.
    stamp = versions.current(session, communities, identity.versions_at_start(user))
    home_grid = user.building.grid_id if (user.building and not filters.get("grid")) else None
    key = (stamp, "page", home_grid, tuple(sorted(filters.items())), cursor, limit, locale)
    parts, nxt = cache.kept(key, lambda: _parts(session, user, "menu", filters, cursor, limit))
    picked = cache.kept((stamp, "choices", locale),
                        lambda: filter_choices(session, communities)) if choices else None
    return parts, nxt, picked, key


def staff_list(session, cache: MenuCache, user, *, filters: dict, cursor: str | None,
               limit: int, locale: str) -> tuple[list[dict], str | None]:
    """(cards, next cursor) of one page of the staff's list (menu.list_wishes, view "all", with
    `filters`): the shared part of each card from the cache when none of the communities the
    list can show changed since it was computed, the viewer's own laid over."""
    communities = menu.list_communities(session, user, "all", filters.get("community"))
    stamp = versions.current(session, communities, identity.versions_at_start(user))
    # Which wishes the list holds follows from the viewer's grants alone (menu._scope): staff
    # with the same grants share a page, anyone else has a key of their own.
    key = (stamp, "staff", policy.role_signature(user), tuple(sorted(filters.items())),
           cursor, limit, locale)
    parts, nxt = cache.kept(key, lambda: _parts(session, user, "all", filters, cursor, limit))
    return personal_cards(session, user, parts), nxt


def _parts(session, user, view: str, filters: dict, cursor, limit: int):
    """(the shared part of each card with its facts, next cursor) of a page of `view`, read now."""
    items, nxt = menu.list_wishes(session, user, view=view, cursor=cursor, limit=limit, **filters)
    return tuple(present.shared_parts(session, items)), nxt


def personal_cards(session, user, parts) -> list[dict]:
    """The cards of a shared list for `user`: their claims (one query) and buttons laid over."""
    mine = present.my_claims(session, user, [facts.id for _card, facts, _name in parts])
    return [present.personal_card(card, facts, name, user, mine.get(facts.id))
            for card, facts, name in parts]


def menu_view(session, cache: MenuCache, user, **kwargs):
    """(cards, next cursor, filter choices or None, key): `shared_list` with the user's
    personal parts laid over (what menu.list_wishes + present.cards + filter_choices give)."""
    parts, nxt, picked, key = shared_list(session, cache, user, **kwargs)
    return personal_cards(session, user, parts), nxt, picked, key


def viewer_key(user) -> tuple:
    """Everything about `user` that their cards depend on, besides their claims (which bump
    the list's key): who they are, their grants and their home grid."""
    return (user.id, user.building.grid_id if user.building else None,
            policy.role_signature(user))
