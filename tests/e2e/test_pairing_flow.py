"""结对联户 and 双向评议 in the browser (390×844): a member logs a visit and turns a need into a
wish; the community admin closes and publishes a round; a guest opens the public board."""
import re

from sqlalchemy import select

from tests.e2e.conftest import shot, ui_login
from webapp.models import VisitWish, Wish
from webapp.services.pairing import pairings


def test_visit_need_to_wish_round_closed_and_the_board(new_context, site, db, world):
    pairings.pair(db, world.admin, world.member.id, [world.resident2.id])
    member, admin, guest = (new_context().new_page() for _ in range(3))

    ui_login(member, world.member)
    member.goto("/pairing/")
    member.get_by_text(world.resident2.name).first.wait_for()
    member.get_by_role("link", name="记录走访").first.click()
    member.get_by_label("电话").check()
    member.get_by_label("简要记录").fill("电话问候")
    member.get_by_label("听到的需求（可转为心愿）").fill("想请人帮忙换灯泡")
    member.get_by_role("button", name="保存").click()
    member.wait_for_url(re.compile(r"/pairing/visits/\d+$"))
    member.get_by_label("标题").fill("帮忙换灯泡")
    member.get_by_label("居民已同意由我代为登记这个心愿").check()
    shot(member, "pairing-need-to-wish")
    member.get_by_role("button", name="登记心愿").click()
    member.wait_for_url(re.compile(r"/wishes/\d+$"))
    member.get_by_text("待审核").first.wait_for()
    db.rollback()  # a fresh read of what the live server wrote
    wish = db.scalar(select(Wish).where(Wish.title == "帮忙换灯泡"))
    assert wish.resident_id == world.resident2.id and db.scalar(select(VisitWish.wish_id)) == wish.id

    ui_login(admin, world.admin)
    admin.goto("/pairing/evaluations")
    admin.get_by_role("button", name="开启").click()
    admin.wait_for_url(re.compile(r"/pairing/evaluations/\d+$"))
    admin.get_by_label("支持社区工作 (权重 40)").fill("95")
    admin.get_by_role("button", name="保存评分").click()
    admin.get_by_role("button", name="结束评议并生成成绩").click()
    admin.get_by_text("评议已结束，成绩已生成。").wait_for()
    admin.get_by_role("button", name="公示结果").click()
    admin.get_by_text("评议结果已公示。").wait_for()
    shot(admin, "pairing-round-published")

    guest.goto(f"/board/{world.ca.id}")
    guest.get_by_text("区人民医院").wait_for()
    text = guest.content()
    assert world.resident2.name not in text and world.resident2.phone not in text
    shot(guest, "pairing-board")
