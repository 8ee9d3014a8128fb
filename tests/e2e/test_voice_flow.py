"""A resident's voice and 为你推荐 in a real browser at 390×844 (issue 29 "Done when"): the
resident raises a problem (photo, anonymous to the volunteer), the community admin answers, the
resident reads the answer and says it is solved; a member's 为你推荐 puts the wish that fits
their skill first, saying why."""
import struct
import zlib

from tests.e2e.conftest import shot, ui_login
from webapp.models import Complaint


def _png() -> bytes:
    """A real 1×1 PNG (the page shows it to staff)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xc8\x10\x2e")) + chunk(b"IEND", b""))


def test_resident_raises_a_problem_sees_the_answer_and_for_you_ranks_by_skill(
        new_context, site, db, world, make_wish):
    served = make_wish("closed", title="帮忙买菜送上楼")
    resident, admin, member = (new_context().new_page() for _ in range(3))

    ui_login(resident, world.resident)
    resident.goto(f"/wishes/{served.id}")
    resident.locator("#wish-complaints [data-action=complain]").click()
    resident.get_by_label("遇到了什么问题").fill("志愿者晚到了一个小时，也没有打电话。")
    resident.locator("#f-photo").set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": _png()})
    resident.get_by_label("不让志愿者看到我的名字").check()
    shot(resident, "voice-raise")
    resident.get_by_role("button", name="提交").click()
    resident.locator("#complaint-status").filter(has_text="待答复").wait_for()
    complaint_id = int(resident.url.rsplit("/", 1)[1])

    ui_login(admin, world.admin)
    admin.goto(f"/voice/{complaint_id}")
    admin.get_by_text(world.resident.name).first.wait_for()  # staff always see who wrote it
    admin.get_by_label("答复居民").fill("已和志愿者核实，以后晚到会提前打电话。")
    admin.get_by_role("button", name="发送答复").click()
    admin.locator("#complaint-status").filter(has_text="已答复").wait_for()

    resident.goto(f"/voice/{complaint_id}")
    resident.locator("#complaint-answer").filter(has_text="以后晚到会提前打电话").wait_for()
    shot(resident, "voice-answered")
    resident.locator("#close-box [data-action=settle]").click()
    resident.locator("#complaint-status").filter(has_text="已解决").wait_for()
    db.rollback()  # a fresh snapshot: the browser's requests wrote in other connections
    c = db.get(Complaint, complaint_id)
    assert (c.status, c.anonymous, c.photo_type) == ("settled", True, "image/png")

    # 为你推荐: the repair wish fits the member's skill and comes first, though posted first.
    make_wish("published", title="修理洗衣机", category=world.categories["家电维修"].id,
              resident=world.resident2)
    make_wish("published", title="陪老人聊天", resident=world.resident)
    world.member.skills = "维修"  # lives in 1号楼: the other wish is in his own building
    db.commit()
    ui_login(member, world.member)
    member.goto("/menu/foryou")
    first = member.locator("#foryou-list .foryou-item").first
    first.filter(has_text="修理洗衣机").wait_for()
    assert "和您的特长“维修”相符" in first.locator(".foryou-why").inner_text()
    shot(member, "member-for-you")
