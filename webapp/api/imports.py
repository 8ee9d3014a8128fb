"""API: importing the grid tree, residents and 报到名单 from an uploaded .xlsx or .csv."""
from ..web.body_limits import UPLOAD_MARGIN, allow_body
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..schemas.imports import ImportQuery
from ..services.admin import imports
from ..services.errors import Forbidden
from . import bp
from ..web.htmx import attempt
from ..web.uploads import uploaded
from .common import me, query, reply, token_required


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
    with attempt(imports.RowsInvalid) as a:
        job = imports.import_now(db.session, me(), q.kind, scope, name, data, limits, q.verified,
                                 skip_bad=q.skip_bad)
    if not a.ok:
        exc = a.error
        return reply({"error": {"code": exc.code, "message": str(exc.message),
                                "fields": {k: str(v) for k, v in exc.fields.items()}},
                      **exc.counts, "errors": exc.errors}, 422)
    return reply(state(job), 200 if job.status == "done" else 202)


@bp.get("/imports/<id:import_id>")
@token_required
def import_status(import_id):
    """One import of mine: its progress, counts and bad rows."""
    return reply(state(imports.get_job(db.session, me(), import_id)))
