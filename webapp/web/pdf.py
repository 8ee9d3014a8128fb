"""A4 PDFs printed from HTML by WeasyPrint (certificates, the board's poster).

Nothing is fetched while printing: images come as data: URIs and fonts by family name from the
system (Noto CJK), so a printed page can never be made to reach into the network (SSRF).
"""
from pathlib import Path
from urllib.parse import quote

from flask import Response, current_app


def render(html: str, css: str) -> bytes:
    """The PDF of a standalone HTML document printed with static/css/<css> (a file, not a
    <style> in the template: templates stay free of what the CSP blocks)."""
    from weasyprint import CSS, HTML  # heavy: imported when a PDF is actually asked for
    from weasyprint.urls import URLFetcher
    fetcher = URLFetcher(allowed_protocols=["data"], allow_redirects=False)
    sheet = CSS(filename=str(Path(current_app.static_folder) / "css" / css), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[sheet])


def pdf_response(html: str, css: str, name: str, fallback: str = "document",
                 inline: bool = True) -> Response:
    """`html` printed with `css` as an A4 PDF answer (`name.pdf`, the Chinese name per RFC
    5987)."""
    how = "inline" if inline else "attachment"
    return Response(render(html, css), mimetype="application/pdf", headers={
        "Content-Disposition": f"{how}; filename=\"{fallback}.pdf\"; "
                               f"filename*=UTF-8''{quote(name)}.pdf",
        "Cache-Control": "no-store"})
