"""The certificate in the official form (issue 26 §1): the A4 PDF read back with poppler —
every field in its text, the seal and the page size in its image, the QR code's modules equal to
the verification link's — and a revoked one says so, in the PDF and on the verification page."""
import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

from PIL import Image, ImageDraw
from sqlalchemy import select

from tests import pdfkit
from tests.conftest import login
from tests.listsutil import NOW, signed_project
from webapp.models import AdminLog, Certificate, CommunitySeal
from webapp.services.lists import checkin
from webapp.services.lists import project_sessions as ps
from webapp.services.ledger.periods import local

pytestmark = pdfkit.needs_poppler
M = timedelta(minutes=1)
SEAL_RED = (200, 16, 46)


def seal_png() -> bytes:
    img = Image.new("RGBA", (300, 300), (255, 255, 255, 0))
    ImageDraw.Draw(img).ellipse((10, 10, 290, 290), outline=SEAL_RED + (255,), width=24)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _hours(db, world):
    """1.5 h on site and 1 h 补录 in two project sessions of 2025-03, plus a confirmed wish."""
    p = signed_project(db, world, title="周末义诊")
    s = ps.of_project(db, p)[0]
    ps.signup(db, world.member, s.id, "server", now=NOW)
    checkin.scan(db, world.member, s.id, now=s.starts_at)
    checkin.scan(db, world.member, s.id, now=s.starts_at + 90 * M)
    p2 = signed_project(db, world, title="健康讲座")
    s2 = ps.of_project(db, p2)[0]
    ps.signup(db, world.member, s2.id, "server", now=NOW)
    checkin.honour(db, world.admin, s2.id, world.member.id, "1", "忘带手机", now=s2.ends_at + M)
    return local(s.starts_at).date()


def test_the_pdf_shows_every_field_its_qr_verifies_and_a_void_one_says_so(
        client, db, world, make_wish, tmp_path):
    day = _hours(db, world)
    world.member.volunteer_no = "V-330100-0042"
    db.commit()
    login(client, world.admin)
    bad = client.post("/admin/settings/seal", data={"seal": (io.BytesIO(b"GIF89a..."), "s.gif")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and 'id="err-seal"' in bad.get_data(as_text=True)
    r = client.post("/admin/settings/seal", data={"seal": (io.BytesIO(seal_png()), "seal.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 302 and db.get(CommunitySeal, world.ca.id) is not None
    r = client.post("/ledger/certificates", data={
        "volunteer_id": world.member.id, "period_from": day.isoformat(),
        "period_to": (day + timedelta(days=7)).isoformat(), "head_name": "孙书记",
        "officer_name": "周干事", "contact": "0571-88886666"})
    assert r.status_code == 302, r.get_data(as_text=True)
    cert = db.scalar(select(Certificate))
    assert [i["title"] for i in cert.items] == ["周末义诊", "健康讲座"]

    got = client.get(f"/ledger/certificates/{cert.id}.pdf")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert got.headers["Cache-Control"] == "no-store"
    pdf = got.data
    text = pdfkit.text(pdf, tmp_path)
    flat = "".join(text.split())
    for field in ("志愿服务证明", cert.number, "李志愿", "V-330100-0042",
                  world.member.phone[:3] + "****" + world.member.phone[-4:],
                  day.isoformat(), (day + timedelta(days=7)).isoformat(), "累计服务时长2.5小时",
                  "现场签到记录的服务时长1.5小时", "补录时长1.0小时", "周末义诊", "健康讲座",
                  "共建项目", "城西社区（盖章）", "孙书记", "周干事", "0571-88886666",
                  local(cert.issued_at).date().isoformat(), "扫码查验真伪"):
        assert field in flat, field
    assert world.member.phone not in flat  # the identity is masked

    page = pdfkit.first_page(pdf, tmp_path)
    assert abs(page.width / page.height - 210 / 297) < 0.01  # A4
    assert any(page.getpixel((x, y)) == SEAL_RED or _near(page.getpixel((x, y)), SEAL_RED)
               for x in range(0, page.width, 2) for y in range(page.height // 2, page.height, 2))

    # The QR code: an image embedded in the PDF has exactly the modules of the verification
    # link's code, and that link (printed beside it) opens the verification page.
    verify_url = re.search(r"https?://[^/]+/verify/[A-Za-z0-9_-]{32}", flat).group(0)
    assert pdfkit.has_qr_for(pdf, tmp_path, verify_url), "no QR code of the verification link"
    path = urlsplit(verify_url).path
    assert path == f"/verify/{cert.token}"
    client.post("/auth/logout")
    with client.session_transaction() as s:
        s.clear()
    assert "真实有效" in client.get(path).get_data(as_text=True)

    login(client, world.admin)
    client.post(f"/ledger/certificates/{cert.id}/revoke", data={"reason": "期间填错"})
    logged = db.scalars(select(AdminLog.summary).where(AdminLog.actor_id == world.admin.id)).all()
    assert "设置证明印章" in logged and f"作废志愿服务证明 {cert.number}：期间填错" in logged
    void = pdfkit.text(client.get(f"/ledger/certificates/{cert.id}.pdf").data, tmp_path)
    assert "作废" in void and "期间填错" in "".join(void.split())
    with client.session_transaction() as s:
        s.clear()
    assert "作废" in client.get(path).get_data(as_text=True)
    login(client, world.member2)  # another member may not print it
    assert client.get(f"/ledger/certificates/{cert.id}.pdf").status_code == 404


def _near(px, ref, tol=40) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(px, ref))
