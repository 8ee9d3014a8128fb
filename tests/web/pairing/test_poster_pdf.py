"""The board's A4 poster as a PDF (issue 26 §5): the same engine as the certificates; it holds the
board's text (a running notice of honours with masked names) and a QR code of the board's link."""
from datetime import datetime, timezone

from tests import pdfkit
from tests.conftest import login
from webapp.services.ledger import honours
from webapp.services.ledger.periods import local
from webapp.services.people import community

pytestmark = pdfkit.needs_poppler


def test_the_poster_pdf_prints_the_board_and_its_qr(client, db, world, make_wish, tmp_path):
    make_wish("closed", estimated_hours=1.5)
    community.update(db, world.admin, world.ca.id, {"star_thresholds": "1"})
    now = datetime.now(timezone.utc)
    honours.publish(db, world.admin, world.ca.id, local(now).year, 7, now=now)
    r = client.get(f"/board/{world.ca.id}/poster.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"].startswith("public")
    flat = "".join(pdfkit.text(r.data, tmp_path).split())
    for field in ("城西社区公示栏", "荣誉公示", "李**", "1星志愿者", "已实现的心愿", "扫码查看最新公示"):
        assert field in flat, field
    assert "李志愿" not in flat and "提出异议" not in flat  # masked; links are not printed
    page = pdfkit.first_page(r.data, tmp_path)
    assert abs(page.width / page.height - 210 / 297) < 0.01  # A4
    url = next(w for w in pdfkit.text(r.data, tmp_path).split() if "/board/" in w)
    assert url.endswith(f"/board/{world.ca.id}")
    assert pdfkit.has_qr_for(r.data, tmp_path, url)
    login(client, world.admin)
    assert "/poster.pdf" in client.get(f"/board/{world.ca.id}/poster").get_data(as_text=True)
    assert client.get("/board/999999/poster.pdf").status_code == 404
