"""网格架构: the street's or community's tree; add, rename, move, retire and restore nodes."""
from flask import (abort, current_app, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Org
from ..schemas import parse, parse_query, to_id
from ..schemas.queries import TreeQuery
from ..schemas.admin import OrgCreate, OrgUpdate
from ..services.admin import tree
from ..services.errors import Conflict, Forbidden, Invalid
from ..web.blueprints import staff as bp
from ..web.htmx import attempt, wants_fragment, with_vary
from . import retire_views


def _at_once() -> int:
    return current_app.config["TREE_NODES_AT_ONCE"]


def _opened(node_id: int | None) -> Org | None:
    """The node asked for on its own, if the actor may open it (404 otherwise)."""
    if node_id is None:
        return None
    org = db.session.get(Org, node_id)
    if org is None or not tree.may_open(current_user, org):
        abort(404)
    return org


def _page(errors: dict | None = None, message: str | None = None, status: int = 200,
          node: int | None = None):
    roots = tree.managed_roots(db.session, current_user)
    if not roots:
        raise Forbidden(_("只有社区管理员和街道管理员可以调整网格架构。"))
    opened = _opened(node)
    trees = [tree.subtree(db.session, r, _at_once()) for r in ([opened] if opened else roots)]
    grids = tree.active_grids(db.session, opened.community_id) if opened and \
        opened.kind == "grid" else []
    kinds = {k: str(v) for k, v in tree.KIND_LABELS.items()}
    if opened and wants_fragment():  # a node opened in place: what goes inside it
        return with_vary(make_response(render_template(
            "admin/_tree_body.html", n=trees[0], grids=grids, errors=errors or {},
            kinds=kinds, opened_id=opened.id), status))
    return with_vary(make_response(render_template(
        "admin/tree.html", trees=trees, grids=grids, opened=opened, errors=errors or {},
        message=message, kinds=kinds, opened_id=opened.id if opened else None), status))


@bp.get("/tree")
@login_required
def tree_page():
    """The managed subtrees, retired nodes shown greyed with a restore button; `?node=` one
    node alone (htmx: only what goes inside it, when it is opened in place)."""
    return _page(node=parse_query(TreeQuery, request.args).node)


def _back_to(org: Org) -> str:
    """The tree page showing `org` after a change: opened around it in a big tree."""
    node = tree.opened_at(db.session, current_user, org, _at_once())
    return url_for("staff.tree_page", node=node) + f"#org-{org.id}"


def _form_errors(exc, key: str, near: Org | None):
    """The page again with the error next to its field, opened around the node it is about."""
    node = tree.opened_at(db.session, current_user, near, _at_once()) if near else None
    if isinstance(exc, Invalid):
        return _page({key: exc.fields}, str(exc.message), 422, node)
    return _page({key: {"name": str(exc.message)}}, str(exc.message), exc.status, node)


@bp.post("/orgs")
@login_required
def add_org():
    """Add a community, grid or building under a parent."""
    key = f"add-{request.form.get('parent_id', '')}"
    with attempt(Invalid, Conflict) as a:
        data = parse(OrgCreate, request.form.to_dict())
        org = tree.add_node(db.session, current_user, data.kind, data.name, data.parent_id)
    if not a.ok:
        return _form_errors(a.error, key, _near(request.form.get("parent_id")))
    flash(_("已添加“%(name)s”。", name=org.name), "success")
    return redirect(_back_to(org))


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
        return _form_errors(a.error, f"org-{org_id}", _near(org_id))
    flash(_("“%(name)s”已更新。", name=org.name), "success")
    return redirect(_back_to(org))


def _near(org_id) -> Org | None:
    """The node a refused form was about, when it is one the actor may open."""
    org = db.session.get(Org, to_id(org_id)) if to_id(org_id) is not None else None
    return org if org is not None and tree.may_open(current_user, org) else None
