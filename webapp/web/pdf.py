"""A4 PDFs printed from HTML by WeasyPrint (certificates, the board's poster).

Nothing is fetched while printing: images come as data: URIs and fonts by family name from the
system (Noto CJK), so a printed page can never be made to reach into the network (SSRF).
"""
from urllib.parse import quote

from flask import Response


def render(html: str) -> bytes:
    """The PDF of a standalone HTML document."""
    from weasyprint import HTML  # heavy: imported when a PDF is actually asked for
    from weasyprint.urls import URLFetcher
    fetcher = URLFetcher(allowed_protocols=["data"], allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def pdf_response(html: str, name: str, fallback: str = "document", inline: bool = True) -> Response:
    """`html` printed as an A4 PDF answer (`name.pdf`, the Chinese name per RFC 5987)."""
    how = "inline" if inline else "attachment"
    return Response(render(html), mimetype="application/pdf", headers={
        "Content-Disposition": f"{how}; filename=\"{fallback}.pdf\"; "
                               f"filename*=UTF-8''{quote(name)}.pdf",
        "Cache-Control": "no-store"})
