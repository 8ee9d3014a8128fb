"""API: importing the grid tree, residents and 报到名单 from an uploaded .xlsx or .csv."""
from ..body_limits import UPLOAD_MARGIN, allow_body
from flask import current_app, request
from flask_babel import gettext as _

from ..extensions import db
from ..schemas.imports import ImportQuery
from ..services.admin import imports
from ..services.errors import Forbidden, Invalid
from . import bp
from .common import me, query, reply, token_required


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


def state(job) -> dict:
    """An ImportJob as the API shows it."""
    counts = {"create": 0, "update": 0, "unchanged": 0, **(job.counts or {})}
    return {**counts, "errors": job.errors or [], "id": job.id, "kind": job.kind,
            "status": job.status, "progress": job.progress, "total_rows": job.total_rows,
            "message": job.message, **(job.layout or {})}


@bp.post("/imports")
@allow_body("IMPORT_MAX_BYTES", margin=UPLOAD_MARGIN)
@token_required
def create_import():
    """Check (dry_run=1) or import an uploaded list; big files go to the job process (202)."""
    if not imports.may_import(me()):
        raise Forbidden(_("只有社区管理员或街道管理员可以导入名单。"), code="import_forbidden")
    q = query(ImportQuery)
    scope = imports.scope_for(db.session, me(), q.kind, q.community, q.street)
    limits = imports.Limits.of(current_app.config)
    name, data = uploaded(limits)
    if q.dry_run:
        plan = imports.check(db.session, me(), q.kind, scope, name, data, limits, q.verified)
        return reply({**plan.counts(), "errors": plan.errors, **plan.layout()})
    try:
        job = imports.import_now(db.session, me(), q.kind, scope, name, data, limits, q.verified)
    except imports.RowsInvalid as exc:
        db.session.rollback()
        return reply({"error": {"code": exc.code, "message": str(exc.message),
                                "fields": {k: str(v) for k, v in exc.fields.items()}},
                      **exc.counts, "errors": exc.errors}, 422)
    return reply(state(job), 200 if job.status == "done" else 202)


@bp.get("/imports/<id:import_id>")
@token_required
def import_status(import_id):
    """One import of mine: its progress, counts and bad rows."""
    return reply(state(imports.get_job(db.session, me(), import_id)))
