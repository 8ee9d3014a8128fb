"""A file to download (Excel or CSV made by a service): never cached, named in Chinese safely."""
from urllib.parse import quote

from flask import Response

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8"}


def download(data: bytes, fmt: str, name: str, fallback: str = "export") -> Response:
    """`data` as an attachment `name.fmt` (RFC 5987 for the Chinese name; `fallback.fmt` for
    clients that cannot read it)."""
    return Response(data, mimetype=MIME[fmt], headers={
        "Content-Disposition": f"attachment; filename=\"{fallback}.{fmt}\"; "
                               f"filename*=UTF-8''{quote(name)}.{fmt}",
        "Cache-Control": "no-store"})
