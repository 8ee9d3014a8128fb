"""网格架构: the street's or community's tree; add, rename, move, retire and restore nodes."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse
from ..schemas.admin import OrgCreate, OrgUpdate
from ..services.admin import tree
from ..services.errors import Conflict, Forbidden, Invalid
from ..web.blueprints import staff as bp
from ..web.htmx import attempt
from . import retire_views


def _page(errors: dict | None = None, message: str | None = None, status: int = 200):
    roots = tree.managed_roots(db.session, current_user)
    if not roots:
        raise Forbidden(_("只有社区管理员和街道管理员可以调整网格架构。"))
    trees = [tree.subtree(db.session, r) for r in roots]
    return render_template("admin/tree.html", trees=trees, errors=errors or {},
                           message=message, kinds={k: str(v) for k, v in
                                                   tree.KIND_LABELS.items()}), status


@bp.get("/tree")
@login_required
def tree_page():
    """The managed subtrees, retired nodes shown greyed with a restore button."""
    return _page()


def _form_errors(exc, key: str):
    if isinstance(exc, Invalid):
        return _page({key: exc.fields}, str(exc.message), 422)
    return _page({key: {"name": str(exc.message)}}, str(exc.message), exc.status)


@bp.post("/orgs")
@login_required
def add_org():
    """Add a community, grid or building under a parent."""
    key = f"add-{request.form.get('parent_id', '')}"
    with attempt(Invalid, Conflict) as a:
        data = parse(OrgCreate, request.form.to_dict())
        org = tree.add_node(db.session, current_user, data.kind, data.name, data.parent_id)
    if not a.ok:
        return _form_errors(a.error, key)
    flash(_("已添加“%(name)s”。", name=org.name), "success")
    return redirect(url_for("staff.tree_page") + f"#org-{org.id}")


@bp.post("/orgs/<int:org_id>")
@login_required
def update_org(org_id: int):
    """Rename, move (buildings), retire or restore one node."""
    form = request.form.to_dict()
    for flag in ("active", "confirm"):
        if flag in form:
            form[flag] = form[flag] == "1"
    with attempt(Invalid, Conflict) as a:
        data = parse(OrgUpdate, form)
        org = tree.update_node(db.session, current_user, org_id, data.name, data.parent_id,
                               data.active, confirm=data.confirm, move_to=data.move_to)
    if not a.ok:
        if a.error.code == "building_has_people" or "move_to" in a.error.fields:
            # a lived-in building: ask on its own page
            return retire_views.retire_page(org_id, a.error.fields, 422 if a.error.fields else 409)
        return _form_errors(a.error, f"org-{org_id}")
    flash(_("“%(name)s”已更新。", name=org.name), "success")
    return redirect(url_for("staff.tree_page") + f"#org-{org.id}")
