"""管理日志: the street's (street admin) or a community's admin log, by kind and person."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..schemas import parse_query
from ..schemas.queries import AdminLogQuery
from ..models.admin import ADMIN_LOG_KINDS
from ..services import policy
from ..services.admin import adminlog, logwords
from ..web.blueprints import staff as bp
from ..web.scope import chosen_community, communities

PER_PAGE = 100

def _kind_labels() -> dict:
    """Each kind's label in the reader's language."""
    return {"setup": _("开通街道"), "appoint": _("任命"), "remove_role": _("撤销职务"),
            "import": _("导入"), "password_reset": _("重置密码"), "password_change": _("修改密码"),
            "deactivate": _("停用账号"), "reactivate": _("恢复账号"), "move_house": _("搬家"),
            "tree_add": _("新增节点"), "tree_rename": _("节点改名"), "tree_move": _("楼栋调整网格"),
            "tree_retire": _("停用节点"), "tree_reactivate": _("恢复节点"),
            "undo_registration": _("撤销报到审批"), "other": _("其他"),
            "evaluation_open": _("开启评议"), "evaluation_close": _("结束评议"),
            "evaluation_publish": _("公示评议结果"), "evaluation_reopen": _("重新开启评议"),
            # issue 26 §5-6
            "mfa_enable": _("开启两步验证"), "mfa_reset": _("重置两步验证"),
            "security": _("安全设置"), "data_access": _("代查个人信息"),
            "data_correct": _("代为更正个人信息"), "audit_export": _("导出审计日志")}


@bp.get("/log")
@login_required
def log():
    """Newest first; ?community= narrows a street admin's view to one community."""
    rows = communities()
    streets = sorted(policy.org_ids_for(current_user, "street_admin"))
    q = parse_query(AdminLogQuery, request.args)
    wanted, person = q.community, q.person
    kind = q.kind if q.kind in ADMIN_LOG_KINDS else None
    if streets and not wanted:
        community = None
        scope = {"street_id": streets[0], "kind": kind, "person_id": person}
    else:
        community = chosen_community(rows)
        scope = {"community_id": community.id, "kind": kind, "person_id": person}
    lines = adminlog.entries(db.session, current_user, before=q.before, limit=PER_PAGE, **scope)
    older = url_for("staff.log", community=community.id if community else None, kind=kind,
                    person=person, before=lines[-1].id) if len(lines) == PER_PAGE else None
    labels = _kind_labels()
    return render_template("admin/log.html", lines=logwords.texts(db.session, adminlog.as_dicts(db.session, lines)),
                           total=adminlog.count(db.session, current_user, **scope),
                           older=older, paged=q.before is not None,
                           communities=rows, community=community, is_street=bool(streets),
                           kinds=[(k, labels.get(k, k)) for k in ADMIN_LOG_KINDS], kind=kind,
                           person=person, labels=labels)
