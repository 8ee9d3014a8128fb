"""Issue 23 item 1: every filter of the staff wish lists finds what must appear and hides what must not."""
from tests.conftest import login

HX = {"HX-Request": "true"}


def _page(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, url
    return resp.get_data(as_text=True)


def test_search_box_is_not_prefilled_with_the_query_object(client, world, make_wish):
    make_wish("pending_review", title="帮忙修水管")
    login(client, world.admin)
    for url in ("/admin/review", "/admin/wishes"):
        body = _page(client, url)
        assert "cursor=None" not in body and "q=None" not in body, url
    body = _page(client, "/admin/wishes?q=水管")
    assert "cursor=None" not in body


def test_grid_filter_then_submit_finds_the_wish(client, world, make_wish):
    make_wish("pending_review", title="第一网格的心愿", resident=world.resident)
    make_wish("pending_review", title="第二网格的心愿", resident=world.resident2)
    login(client, world.admin)
    for base in ("/admin/review?", "/admin/wishes?status=pending_review&"):
        body = _page(client, f"{base}grid={world.ga1.id}&q=")
        assert "第一网格的心愿" in body and "第二网格的心愿" not in body, base
        body = _page(client, f"{base}grid={world.ga2.id}")
        assert "第二网格的心愿" in body and "第一网格的心愿" not in body, base


def test_search_and_status_filters(client, world, make_wish):
    make_wish("pending_review", title="帮忙修水管")
    make_wish("published", title="陪老人聊天")
    login(client, world.admin)
    for base in ("/admin/wishes?", "/admin/review?"):
        body = _page(client, f"{base}q=水管")
        assert "帮忙修水管" in body and "陪老人聊天" not in body, base
    body = _page(client, "/admin/wishes?status=published")
    assert "陪老人聊天" in body and "帮忙修水管" not in body
    body = _page(client, "/admin/wishes?status=pending_review")
    assert "帮忙修水管" in body and "陪老人聊天" not in body
    body = _page(client, "/admin/review")
    assert "帮忙修水管" in body and "陪老人聊天" not in body


def test_grid_worker_landing_filters(client, world, make_wish):
    make_wish("published", title="第一网格的心愿", resident=world.resident)
    make_wish("published", title="第二网格的心愿", resident=world.resident2)
    login(client, world.grid_worker)
    body = _page(client, "/admin/wishes")
    assert "第一网格的心愿" in body and "第二网格的心愿" not in body
    body = _page(client, "/admin/wishes?q=第一")
    assert "第一网格的心愿" in body and "cursor=None" not in body
