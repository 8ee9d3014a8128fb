"""A file to download (Excel or CSV made by a service): never cached, named in Chinese safely,
streamed from a temporary file when it is an export (memory stays flat at any size)."""
import os
from typing import IO
from urllib.parse import quote

from flask import Response, request
from werkzeug.wsgi import wrap_file

from ..services.ledger.exports import Sheet
from ..services.ledger.spool import spool

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8"}


def download(data: bytes | IO[bytes], fmt: str, name: str, fallback: str = "export") -> Response:
    """`data` (bytes, or a binary file read from its position and closed when sent) as an
    attachment `name.fmt` (RFC 5987 for the Chinese name; `fallback.fmt` for clients that cannot
    read it)."""
    headers = {"Content-Disposition": f"attachment; filename=\"{fallback}.{fmt}\"; "
                                      f"filename*=UTF-8''{quote(name)}.{fmt}",
               "Cache-Control": "no-store"}
    if isinstance(data, (bytes, bytearray)):
        return Response(data, mimetype=MIME[fmt], headers=headers)
    data.seek(0, os.SEEK_END)
    size = data.tell()
    data.seek(0)
    resp = Response(wrap_file(request.environ, data), mimetype=MIME[fmt], headers=headers,
                    direct_passthrough=True)
    resp.content_length = size
    return resp


def download_sheets(sheets: list[Sheet], fmt: str, name: str,
                    fallback: str = "export") -> Response:
    """Sheets (rows streamed from the database) written to a temporary file and sent in blocks."""
    return download(spool(fmt, sheets), fmt, name, fallback)
