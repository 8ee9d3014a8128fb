"""Page arithmetic shared by every paged list: how many pages, and which one to show."""


def clamp(total: int, page: int, per_page: int) -> tuple[int, int]:
    """(page, pages) for `total` rows at `per_page` a page: at least one page (an empty list
    still has its page), and a page before the first or past the last shows the first or last."""
    pages = max((total + per_page - 1) // per_page, 1)
    return min(max(page, 1), pages), pages
