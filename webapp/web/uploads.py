"""Files read from a multipart form, refused by size before they are read: an uploaded list
(.xlsx or .csv), a photo (JPEG, PNG or WebP, recognised by its first bytes)."""
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


PHOTO_MAX_BYTES = 1024 * 1024
# A photo's type by its first bytes, never by the name or the browser's word for it.
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def photo_type(data: bytes) -> str | None:
    """image/jpeg, image/png or image/webp by the file's first bytes; None for anything else."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def uploaded_photo(field: str = "photo") -> tuple[bytes, str] | None:
    """(bytes, type) of an uploaded photo, None when none was chosen; Invalid on the field for
    a file that is too big or not a photo."""
    f = request.files.get(field)
    if f is None or not f.filename:
        return None
    data = f.stream.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise Invalid({field: _("照片太大了：最多 1 MB。")})
    mime = photo_type(data)
    if mime is None:
        raise Invalid({field: _("请上传 JPG、PNG 或 WebP 格式的照片。")})
    return data, mime


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
