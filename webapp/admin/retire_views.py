"""Retiring a building people live in (issue 23 item 4): a page that says how many live there
and offers to move them all to another building of the community, or to retire it anyway."""
from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..services.admin import tree, tree_people
from ..services.errors import NotFound
from ..web.blueprints import staff as bp


def retire_page(org_id: int, errors: dict | None = None, status: int = 200):
    """The confirmation page of one building (the tree's scope rules: 404/403 otherwise)."""
    org = tree.get_editable(db.session, current_user, org_id)
    if org.kind != "building":
        raise NotFound(_("找不到这栋楼。"), code="org_not_found")
    living = tree_people.living_in(db.session, [org.id]).get(org.id, 0)
    targets = [{"id": b.id, "name": b.name, "grid": b.parent.name if b.parent else ""}
               for b in tree_people.targets(db.session, current_user, org)]
    node = tree.opened_at(db.session, current_user, org,
                          current_app.config["TREE_NODES_AT_ONCE"])
    return render_template("admin/retire_building.html", org={"id": org.id, "name": org.name,
                                                               "kind": org.kind,
                                                               "active": org.active},
                           living=living, targets=targets, errors=errors or {},
                           back=url_for("staff.tree_page", node=node) + f"#org-{org.id}"), status


@bp.get("/orgs/<int:building_id>/retire")
@login_required
def retire_building(building_id: int):
    """Confirm retiring a building: how many people live there, and where to move them."""
    return retire_page(building_id)
