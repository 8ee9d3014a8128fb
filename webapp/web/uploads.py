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


def photo(limit: int, field: str = "photo") -> bytes | None:
    """The bytes of an optional image field (None when none was chosen); a body larger than
    the limit is refused by size before it is read. The type is the service's to check."""
    if (request.content_length or 0) > limit + 64 * 1024:
        raise Invalid({field: _("照片太大了：最多 %(mb)s MB。", mb=round(limit / 1024 / 1024, 1))})
    f = request.files.get(field)
    if f is None or not f.filename:
        return None
    data = f.stream.read(limit + 1)
    if len(data) > limit:
        raise Invalid({field: _("照片太大了：最多 %(mb)s MB。", mb=round(limit / 1024 / 1024, 1))})
    return data or None
