"""The shop's fixtures: callables over the world."""
import pytest

from tests import shoputil


@pytest.fixture
def earn(db, world):
    """earn(member, points, when=NOW, basis=None) → a ledger line in community A."""
    return lambda member, pts, when=shoputil.NOW, basis=None: shoputil.earn(
        db, world.ca, member, pts, when, basis)


@pytest.fixture
def shelf(db, world):
    """shelf(**fields) → goods listed in community A, donated by the world's unit."""
    return lambda **kw: shoputil.list_goods(db, world, **kw)
