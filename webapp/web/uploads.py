"""An uploaded list (.xlsx or .csv) read from a multipart form, refused by size before it is read."""
from flask import request
from flask_babel import gettext as _

from ..services.admin import imports
from ..services.errors import Invalid


def uploaded(limits: imports.Limits) -> tuple[str, bytes]:
    """(file name, bytes) of the multipart field `file`; a too large body is refused by size
    before it is read, with the limit in the message."""
    if (request.content_length or 0) > limits.max_bytes + 64 * 1024:
        raise imports.BadFile(_("文件太大了：最多 %(mb)s MB。请把名单拆成几个文件分批导入。",
                                mb=round(limits.max_bytes / 1024 / 1024, 1)))
    request.max_content_length = limits.max_bytes + 64 * 1024  # chunked bodies: 413
    f = request.files.get("file")
    if f is None:
        raise Invalid({"file": _("请选择要上传的 Excel（.xlsx）或 CSV 文件。")})
    data = f.stream.read(limits.max_bytes + 1)
    return (f.filename or "upload"), data


def uploaded_image(field: str, max_bytes: int) -> bytes:
    """The bytes of an uploaded image in `field` (at most max_bytes + 1 are read, so the service
    sees that it is too big); a missing file is Invalid next to the field."""
    request.max_content_length = max_bytes + 64 * 1024  # chunked bodies: 413
    f = request.files.get(field)
    if f is None or not f.filename:
        raise Invalid({field: _("请选择一张 PNG 或 JPG 图片。")})
    return f.stream.read(max_bytes + 1)
