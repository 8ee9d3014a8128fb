"""荣誉公示 through the test client (issue 26 §2-3): the thresholds in the settings, the admin's
notice page, the board's notice with masked names, an anonymous objection that reaches the admin,
and the member's page saying a level waits for its notice."""
import re

from sqlalchemy import select

from tests.conftest import login
from webapp.models import HonourNotice, HonourObjection, Notification


def test_thresholds_notice_board_objection_and_member_page(client, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5)
    login(client, world.admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="100, 300, 600, 1000, 1500"' in page
    bad = client.post("/admin/settings", data={"star_thresholds": "300, 100"})
    assert bad.status_code == 422 and 'id="err-star_thresholds"' in bad.get_data(as_text=True)
    assert client.post("/admin/settings", data={"star_thresholds": "1, 2"}).status_code == 302

    login(client, world.member)
    me = client.get("/ledger/me").get_data(as_text=True)
    assert 'id="my-stars-pending"' in me and "1 星" in me  # earned, waits for the notice

    login(client, world.admin)
    year = re.search(r'name="year" value="(\d{4})"', client.get(
        "/ledger/honours").get_data(as_text=True)).group(1)
    html = client.get(f"/ledger/honours?year={year}").get_data(as_text=True)
    assert "李志愿" in html and "1 星志愿者" in html
    short = client.post("/ledger/honours", data={"year": year, "days": "5"})
    assert short.status_code == 422 and 'id="err-days"' in short.get_data(as_text=True)
    assert client.post("/ledger/honours", data={"year": year, "days": "7"}).status_code == 302
    again = client.post("/ledger/honours", data={"year": year, "days": "7"})
    assert again.status_code == 409 and "公示期内" in again.get_data(as_text=True)
    notice = db.scalar(select(HonourNotice))

    with client.session_transaction() as s:
        s.clear()
    board = client.get(f"/board/{world.ca.id}").get_data(as_text=True)
    assert "荣誉公示" in board and "李**" in board and "李志愿" not in board
    assert f"/notices/{notice.id}/objection" in board
    form = client.get(f"/notices/{notice.id}/objection").get_data(as_text=True)
    assert "李**" in form and "李志愿" not in form
    empty = client.post(f"/notices/{notice.id}/objection", data={"text": ""})
    assert empty.status_code == 422 and 'id="err-text"' in empty.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(HonourObjection)) is None  # nothing half-written
    sent = client.post(f"/notices/{notice.id}/objection",
                       data={"text": "他今年没有在社区服务过。", "item_id": ""})
    assert sent.status_code == 200 and "异议已提交" in sent.get_data(as_text=True)
    assert db.scalar(select(Notification.user_id).where(
        Notification.event == "honour_objection")) == world.admin.id

    login(client, world.admin)
    html = client.get("/ledger/honours").get_data(as_text=True)
    assert "他今年没有在社区服务过" in html and "撤回公示" in html
    no_reason = client.post(f"/ledger/honours/{notice.id}/withdraw", data={"reason": ""})
    assert no_reason.status_code == 422 and 'id="err-reason"' in no_reason.get_data(as_text=True)
    assert client.post(f"/ledger/honours/{notice.id}/withdraw",
                       data={"reason": "异议属实"}).status_code == 302
    db.refresh(notice)
    assert notice.status == "withdrawn"
    with client.session_transaction() as s:
        s.clear()
    assert "李**" not in client.get(f"/board/{world.ca.id}").get_data(as_text=True)
    assert client.post(f"/notices/{notice.id}/objection",
                       data={"text": "撤回后还能提异议吗"}).status_code == 409


def test_a_long_notice_shows_its_first_lines_and_pages_the_whole_list(client, db, world,
                                                                       make_wish, make_user):
    """A district community's notice names hundreds: the board, its poster and the objection form
    show the first lines and the count; /notices/<id> pages the whole list (masked names), each
    line with its own objection link, and the form offers the line chosen there."""
    from decimal import Decimal

    from webapp.models import HonourItem
    from webapp.services.ledger.honours import BOARD_ITEMS, NOTICE_PAGE
    make_wish("closed", estimated_hours=1.5)
    login(client, world.admin)
    client.post("/admin/settings", data={"star_thresholds": "1, 2"})
    year = re.search(r'name="year" value="(\d{4})"', client.get(
        "/ledger/honours").get_data(as_text=True)).group(1)
    assert client.post("/ledger/honours", data={"year": year, "days": "7"}).status_code == 302
    notice = db.scalar(select(HonourNotice))
    people = [make_user(f"荣誉{i:02d}", roles=[("member", world.ca, None)])
              for i in range(NOTICE_PAGE + 5)]
    db.add_all(HonourItem(notice_id=notice.id, volunteer_id=u.id, kind="star", stars=1,
                          hours=Decimal("2.0")) for u in people)
    db.commit()
    lines = db.scalars(select(HonourItem.id).where(HonourItem.notice_id == notice.id)
                       .order_by(HonourItem.id)).all()  # all one star: in the order published
    total = len(lines)
    assert total == NOTICE_PAGE + 6
    with client.session_transaction() as s:
        s.clear()

    for path in (f"/board/{world.ca.id}", f"/board/{world.ca.id}/poster"):
        html = client.get(path).get_data(as_text=True)
        section = re.search(rf'id="notice-{notice.id}".*?</section>', html, re.S).group(0)
        assert section.count("<li>") == BOARD_ITEMS, path
        assert f"共 {total} 人，这里列出 {BOARD_ITEMS} 人" in section
        assert f'href="/notices/{notice.id}"' in section

    def items(html: str) -> list[int]:
        return [int(x) for x in re.findall(r'data-item="(\d+)"', html)]
    first = client.get(f"/notices/{notice.id}").get_data(as_text=True)
    second = client.get(f"/notices/{notice.id}?page=2").get_data(as_text=True)
    assert items(first) == lines[:NOTICE_PAGE] and items(second) == lines[NOTICE_PAGE:]
    assert f"共 {total} 人" in first and "荣**" in first and "荣誉0" not in first
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert items(client.get(f"/notices/{notice.id}?page=99").get_data(as_text=True)) \
        == lines[NOTICE_PAGE:]
    assert client.get(f"/notices/{notice.id}?page=x").status_code == 422
    assert client.get(f"/notices/{notice.id + 99}").status_code == 404

    far = lines[-1]  # beyond the form's first lines: offered because it was chosen
    assert f"/notices/{notice.id}/objection?item={far}" in second

    def offered(html: str) -> list[str]:
        return re.findall(r'<option value="(\d*)"( selected)?', html)
    form = client.get(f"/notices/{notice.id}/objection?item={far}").get_data(as_text=True)
    assert len(offered(form)) == 1 + BOARD_ITEMS + 1 and (str(far), " selected") in offered(form)
    assert "完整名单" in form
    plain = client.get(f"/notices/{notice.id}/objection?item=999999").get_data(as_text=True)
    assert len(offered(plain)) == 1 + BOARD_ITEMS  # not a line of this notice: not offered
    assert client.get(f"/notices/{notice.id}/objection?item=x").status_code == 422
    short = client.post(f"/notices/{notice.id}/objection", data={"text": "短", "item_id": far})
    assert short.status_code == 422 and (str(far), " selected") in offered(
        short.get_data(as_text=True))
    sent = client.post(f"/notices/{notice.id}/objection",
                       data={"text": "这一位今年没有在社区服务过。", "item_id": far})
    assert sent.status_code == 200
    assert db.scalar(select(HonourObjection.item_id)) == far


def test_the_admin_reads_a_long_year_a_page_at_a_time_then_each_notices_first_lines(
        client, db, world, make_user):
    """A district community has hundreds of candidates in a year: the admin's preview pages them
    (all of them reachable before publishing); the notice's history shows its first lines, the
    count and the way to the whole list."""
    from decimal import Decimal

    from webapp.models import LedgerTotal
    from webapp.services.ledger.honours import BOARD_ITEMS, NOTICE_PAGE
    people = [make_user(f"候选{i:02d}", roles=[("member", world.ca, None)])
              for i in range(NOTICE_PAGE + 5)]
    db.add_all(LedgerTotal(community_id=world.ca.id, volunteer_id=u.id, hours=Decimal("150"))
               for u in people)  # over the first default threshold (100 h): one star each
    db.commit()
    login(client, world.admin)
    year = re.search(r'name="year" value="(\d{4})"', client.get(
        "/ledger/honours").get_data(as_text=True)).group(1)

    def shown(html: str) -> set[str]:
        table = re.search(r'id="honour-preview".*?</table>', html, re.S).group(0)
        return set(re.findall(r"<tr><td>(候选\d\d)</td>", table))
    first = client.get(f"/ledger/honours?year={year}").get_data(as_text=True)
    second = client.get(f"/ledger/honours?year={year}&page=2").get_data(as_text=True)
    assert len(shown(first)) == NOTICE_PAGE and shown(first).isdisjoint(shown(second))
    assert shown(first) | shown(second) == {u.name for u in people}
    assert f"共 {len(people)} 项" in first
    assert f"page=2" in first and f"year={year}" in re.search(
        r'rel="next" href="([^"]+)"', first).group(1)
    assert client.get(f"/ledger/honours?year={year}&page=x").status_code == 422

    assert client.post("/ledger/honours", data={"year": year, "days": "7"}).status_code == 302
    notice = db.scalar(select(HonourNotice))
    html = client.get("/ledger/honours").get_data(as_text=True)
    card = re.search(rf'id="notice-{notice.id}".*?</article>', html, re.S).group(0)
    assert card.count("<li>") == BOARD_ITEMS
    assert f"共 {len(people)} 人，这里列出 {BOARD_ITEMS} 人" in card
    assert f'href="/notices/{notice.id}"' in card
    # An objection to a line beyond the first ones names its holder in full for the admin.
    from webapp.models import HonourItem, User
    far, holder = db.execute(select(HonourItem.id, User.name).join(
        User, User.id == HonourItem.volunteer_id).where(HonourItem.notice_id == notice.id)
        .order_by(HonourItem.id.desc()).limit(1)).one()
    assert holder not in card
    client.post(f"/notices/{notice.id}/objection", data={"text": "此人今年没有服务。", "item_id": far})
    card = re.search(rf'id="notice-{notice.id}".*?</article>',
                     client.get("/ledger/honours").get_data(as_text=True), re.S).group(0)
    assert f"关于 {holder}" in card
