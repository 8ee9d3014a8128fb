"""The issuer's seal (公章) a community prints on its certificates: one image per community,
re-encoded as a small PNG so nothing but pixels from the upload reaches a certificate."""
import base64
import io

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...db import begin_write
from ...models import CommunitySeal, Org, User, utcnow
from .. import policy
from ..admin import adminlog
from ..errors import Forbidden, Invalid, NotFound

MAX_BYTES = 1024 * 1024  # an uploaded seal image
MAX_SIDE = 600  # pixels kept: a seal prints at about 4 cm
SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


def _community(session, actor: User, community_id) -> Org:
    org = session.get(Org, community_id) if isinstance(community_id, int) else None
    if org is None or org.kind != "community":
        raise NotFound(code="community_not_found")
    if not policy.can_set_seal(actor, org.id):
        raise Forbidden(_l("只有本社区管理员可以设置证明印章。"))
    return org


def _normalised(data: bytes) -> bytes:
    """The upload as a PNG of at most MAX_SIDE pixels (metadata dropped), or Invalid."""
    from PIL import Image, UnidentifiedImageError
    if not data or len(data) > MAX_BYTES or not data.startswith(SIGNATURES):
        raise Invalid({"seal": _l("请上传 1 MB 以内的 PNG 或 JPG 图片。")})
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > 25_000_000:  # a decompression bomb, not a seal
                raise Invalid({"seal": _l("图片太大了，请上传 600×600 像素左右的印章图片。")})
            img = img.convert("RGBA")
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            img.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, ValueError):
        raise Invalid({"seal": _l("无法读取这张图片，请换一张 PNG 或 JPG。")}) from None
    return out.getvalue()


def save(session, actor: User, community_id, data: bytes, now=None) -> CommunitySeal:
    """Set (or replace) the community's seal image."""
    begin_write(session)
    org = _community(session, actor, community_id)
    png = _normalised(data)
    row = session.get(CommunitySeal, org.id)
    if row is None:
        row = CommunitySeal(community_id=org.id)
        session.add(row)
    row.mime, row.data, row.uploaded_by_id, row.uploaded_at = "image/png", png, actor.id, \
        now or utcnow()
    adminlog.record(session, actor, "other", org, summary="设置证明印章", now=row.uploaded_at)
    session.commit()
    return row


def remove(session, actor: User, community_id) -> None:
    """Take the seal image away (certificates then print the issuer's name only)."""
    begin_write(session)
    org = _community(session, actor, community_id)
    row = session.get(CommunitySeal, org.id)
    if row is not None:
        session.delete(row)
        adminlog.record(session, actor, "other", org, summary="删除证明印章")
    session.commit()


def data_uri(session, community_id: int) -> str | None:
    """The seal as a data: URI (the page and the PDF embed it), or None without one."""
    row = session.scalar(select(CommunitySeal).where(CommunitySeal.community_id == community_id))
    if row is None:
        return None
    return f"data:{row.mime};base64," + base64.b64encode(row.data).decode("ascii")
