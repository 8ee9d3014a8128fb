"""Importing lists from Excel: choose and upload → preview (bad rows) → confirm → result."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..web.uploads import uploaded
from ..extensions import db
from ..schemas import parse
from ..schemas.imports import ImportForm
from ..services.admin import imports, tree
from ..services.errors import Forbidden, Invalid
from ..web.blueprints import imports as bp
from ..web.body_limits import UPLOAD_MARGIN, allow_body
from ..web.downloads import download
from ..web.htmx import attempt



def _allowed() -> None:
    if not imports.may_import(current_user):
        raise Forbidden(_("只有社区管理员或街道管理员可以导入名单。"), code="import_forbidden")


def _index(errors=None, values=None, status=200):
    return render_template(
        "admin/imports.html", kinds=imports.KIND_LABELS,
        scopes=imports.scope_choices(db.session, current_user),
        jobs=imports.recent(db.session, current_user), errors=errors or {},
        values=values or {"kind": request.args.get("kind", "residents")}), status


@bp.get("")
@login_required
def index():
    """Choose the kind of list and where it goes, download its template, upload it."""
    _allowed()
    return _index()


@bp.post("")
@allow_body("IMPORT_MAX_BYTES", margin=UPLOAD_MARGIN)
@login_required
def upload():
    """Read and check the file; nothing is imported until the admin confirms the preview."""
    _allowed()
    values = request.form.to_dict()
    with attempt(Invalid) as a:
        form = parse(ImportForm, values)
        scope = imports.scope_for(db.session, current_user, form.kind, org_id=form.org)
        limits = imports.Limits.of(current_app.config)
        name, data = uploaded(limits)
        job = imports.preview(db.session, current_user, form.kind, scope, name, data, limits,
                              form.verified)
    if not a.ok:
        return _index(a.errors, values, 422)
    return redirect(url_for("imports.job", import_id=job.id), 303)


@bp.get("/template.xlsx")
@login_required
def template():
    """The .xlsx template of a kind (?kind=tree|residents|members)."""
    _allowed()
    kind = request.args.get("kind", "residents")
    if kind not in imports.KINDS:
        kind = "residents"
    return download(imports.template(kind), "xlsx", f"{imports.KIND_LABELS[kind]}模板", "import")


@bp.get("/<int:import_id>")
@login_required
def job(import_id: int):
    """The preview (counts, bad rows, confirm), the progress of a big file, or the result."""
    j = imports.get_job(db.session, current_user, import_id)
    tpl = "admin/_import_status.html" if request.headers.get("HX-Request") else "admin/import_job.html"
    return render_template(tpl, job=j, kinds=imports.KIND_LABELS, shown=200,
                           node_kinds=tree.KIND_LABELS,
                           rejects_kept=imports.rejects_kept(db.session, j))


@bp.post("/<int:import_id>/confirm")
@login_required
def confirm(import_id: int):
    """Import the previewed file, all or nothing, or its good rows only (skip_bad=1); a big
    file is queued for the job process."""
    j = imports.confirm(db.session, current_user, import_id,
                        imports.Limits.of(current_app.config),
                        skip_bad=request.form.get("skip_bad") == "1")
    if j.status == "done":
        flash(_("导入完成：新增 %(c)s，更新 %(u)s，未变 %(n)s。", c=j.counts["create"],
                u=j.counts["update"], n=j.counts["unchanged"]), "success")
        if j.counts.get("skipped"):
            flash(_("%(n)s 行有问题，没有导入。请下载这些行，改好后重新导入。",
                    n=j.counts["skipped"]), "warning")
    return redirect(url_for("imports.job", import_id=j.id), 303)


@bp.post("/<int:import_id>/retry")
@login_required
def retry(import_id: int):
    """Queue again an import whose job process stopped mid-way."""
    j = imports.retry(db.session, current_user, import_id)
    flash(_("已重新排队处理。"), "success")
    return redirect(url_for("imports.job", import_id=j.id), 303)


@bp.get("/<int:import_id>/errors")
@login_required
def errors(import_id: int):
    """The bad rows as CSV or Excel (?fmt=csv|xlsx), formula-like cells neutralised."""
    j = imports.get_job(db.session, current_user, import_id)
    fmt = "csv" if request.args.get("fmt") == "csv" else "xlsx"
    return download(imports.error_report(j.errors or [], fmt), fmt, f"错误报告-{j.id}", "import")


@bp.get("/<int:import_id>/rejects.xlsx")
@login_required
def rejects(import_id: int):
    """The refused rows in the template's columns with the reason per row, to fix and re-import."""
    data = imports.rejects(db.session, current_user, import_id)
    return download(data, "xlsx", f"有问题的行-{import_id}", "import")
