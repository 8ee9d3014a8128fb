"""Render the app icons (PNG 192/512, plain and maskable) from one SVG with headless Chromium.

Run: python scripts/make_icons.py   (needs /usr/bin/chromium and playwright; output is committed)
"""
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "webapp" / "static" / "icons"
RED = "#C8102E"
# A heart held up by a roof line (a home): the wish of a household. 100×100 design units.
MARK = ('<path d="M50 80 C28 64 18 54 18 42 C18 33 25 27 33 27 C40 27 46 31 50 37 '
        'C54 31 60 27 67 27 C75 27 82 33 82 42 C82 54 72 64 50 80 Z" fill="#fff"/>'
        '<path d="M26 24 L50 10 L74 24" fill="none" stroke="#FFD24A" stroke-width="6" '
        'stroke-linecap="round" stroke-linejoin="round"/>')


def svg(maskable: bool) -> str:
    """The icon as SVG; maskable icons fill the square and keep the mark inside the safe zone."""
    if maskable:
        body = f'<rect width="100" height="100" fill="{RED}"/><g transform="translate(18 18) scale(.64)">{MARK}</g>'
    else:
        body = f'<rect width="100" height="100" rx="22" fill="{RED}"/><g transform="translate(8 10) scale(.84)">{MARK}</g>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{body}</svg>'


def main() -> None:
    """Write icon.svg and the four PNGs."""
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(False))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        for size in (192, 512):
            for maskable, name in ((False, "icon"), (True, "maskable")):
                page = browser.new_page(viewport={"width": size, "height": size})
                page.set_content(f'<html><body style="margin:0;background:transparent">'
                                 f'<div style="width:{size}px;height:{size}px">'
                                 f'{svg(maskable).replace("<svg ", f"<svg width={size} height={size} ")}'
                                 f'</div></body></html>')
                page.screenshot(path=str(OUT / f"{name}-{size}.png"), omit_background=True)
                page.close()
        browser.close()
    print("icons written to", OUT)


if __name__ == "__main__":
    main()
