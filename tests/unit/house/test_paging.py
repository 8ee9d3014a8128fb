"""The page arithmetic every paged list shares (services/paging.py)."""
import pytest

from webapp.services import paging

pytestmark = pytest.mark.engine_neutral


@pytest.mark.parametrize("total, page, per_page, expected", [
    (0, 1, 30, (1, 1)),      # an empty list still has its one page
    (30, 1, 30, (1, 1)),     # exactly one full page
    (31, 2, 30, (2, 2)),     # one row over: a second page
    (61, 99, 30, (3, 3)),    # past the last: the last
    (61, 0, 30, (1, 3)),     # before the first: the first
    (61, -5, 30, (1, 3)),
])
def test_clamp_counts_pages_and_keeps_the_page_in_range(total, page, per_page, expected):
    assert paging.clamp(total, page, per_page) == expected
