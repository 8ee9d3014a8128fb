"""Reading a PDF back with poppler-utils (pdftotext, pdftoppm, pdfimages) in tests, and the QR
check: an embedded image whose modules equal segno's code for a link (segno is deterministic for
the same content and error level, so equal modules mean the printed code encodes that link)."""
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from PIL import Image

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext, pdftoppm, pdfimages) missing")


def text(pdf: bytes, tmp: Path) -> str:
    """The PDF's text, laid out (pdftotext -layout)."""
    f = tmp / "read.pdf"
    f.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True,
                          check=True, text=True).stdout


def first_page(pdf: bytes, tmp: Path, dpi: int = 40) -> Image.Image:
    """The first page rendered by pdftoppm, as RGB."""
    f = tmp / "page.pdf"
    f.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(f),
                    str(tmp / "page")], check=True)
    return Image.open(next(tmp.glob("page*.png"))).convert("RGB")


def _modules(img: Image.Image, size: int) -> list[list[bool]]:
    """The dark/light module grid of a QR image drawn with a 4-module quiet zone."""
    g = img.convert("L")
    step = g.width / (size + 8)
    return [[g.getpixel((int((4 + c + .5) * step), int((4 + r + .5) * step))) < 128
             for c in range(size)] for r in range(size)]


def has_qr_for(pdf: bytes, tmp: Path, url: str) -> bool:
    """Whether an image embedded in the PDF (pdfimages) carries exactly the QR code of `url`."""
    f = tmp / "qr.pdf"
    f.write_bytes(pdf)
    out = tmp / "qr-img"
    out.mkdir(exist_ok=True)
    subprocess.run(["pdfimages", "-png", str(f), str(out / "i")], check=True)
    want = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
    for p in sorted(out.glob("i*.png")):
        img = Image.open(p)
        if img.width == img.height and _modules(img, len(want)) == want:
            return True
    return False
