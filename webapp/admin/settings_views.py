"""社区设置: the community admin's categories (auto-publish) and timings."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse_query
from ..schemas.queries import ScopeQuery
from ..services.ledger import seals
from ..services.people import community, orgs
from ..services import policy
from ..services.errors import Forbidden, Invalid
from ..web.blueprints import admin as bp
from ..web.htmx import attempt
from ..web.uploads import uploaded_image


def _community_id() -> int:
    ids = sorted(policy.community_ids_for(current_user, "community_admin"))
    if not ids:
        raise Forbidden(_("只有社区管理员可以修改社区设置。"))
    wanted = parse_query(ScopeQuery, request.values).community
    return wanted if wanted in ids else ids[0]


@bp.get("/settings")
@login_required
def settings():
    """The settings page of the admin's community."""
    return _settings_page(_community_id())


def _settings_page(cid: int, errors=None, status=200, values=None):
    """The settings page with the seal of the community's certificates."""
    data = community.view(db.session, current_user, cid)
    data["values"].update(values or {})
    return render_template("admin/settings.html", errors=errors or {},
                           seal=seals.data_uri(db.session, cid), **data), status


@bp.post("/settings")
@login_required
def save_settings():
    """Save the timings and caps; errors go next to each field."""
    cid = _community_id()
    with attempt(Invalid) as a:
        community.update(db.session, current_user, cid, request.form.to_dict())
    if not a.ok:
        return _settings_page(cid, a.errors, 422, request.form.to_dict())
    flash(_("社区设置已保存。"), "success")
    return redirect(url_for("admin.settings", community=cid))


@bp.post("/categories/<int:category_id>")
@login_required
def save_category(category_id: int):
    """Turn a category on/off and set whether it is published without review."""
    with attempt(Invalid) as a:
        cat = community.set_category(db.session, current_user, category_id,
                                     active=request.form.get("active") == "1",
                                     auto_publish=request.form.get("auto_publish") == "1",
                                     name_en=request.form.get("name_en"),
                                     requires_insurance=request.form.get("requires_insurance") == "1")
    if not a.ok:
        cid = community.category_community(db.session, category_id)
        return _settings_page(cid, {f"name_en_{category_id}": a.errors.get("name_en")}, 422)
    flash(_("分类“%(name)s”已更新。", name=orgs.category_label(cat)), "success")
    return redirect(url_for("admin.settings", community=cat.community_id))


@bp.post("/categories")
@login_required
def add_category():
    """Add a category to the community."""
    cid = _community_id()
    with attempt(Invalid) as a:
        community.add_category(db.session, current_user, cid, request.form.get("name", ""),
                               request.form.get("name_en"))
    if not a.ok:
        return _settings_page(cid, a.errors, 422)
    flash(_("已添加分类。"), "success")
    return redirect(url_for("admin.settings", community=cid))


@bp.post("/settings/seal")
@login_required
def save_seal():
    """Upload (or replace) the seal image printed on the community's certificates."""
    cid = _community_id()
    with attempt(Invalid) as a:
        seals.save(db.session, current_user, cid, uploaded_image("seal", seals.MAX_BYTES))
    if not a.ok:
        return _settings_page(cid, a.errors, 422)
    flash(_("证明印章已更新。"), "success")
    return redirect(url_for("admin.settings", community=cid))


@bp.post("/settings/seal/remove")
@login_required
def remove_seal():
    """Take the seal image off the community's certificates."""
    cid = _community_id()
    seals.remove(db.session, current_user, cid)
    flash(_("已删除证明印章。"), "success")
    return redirect(url_for("admin.settings", community=cid))
