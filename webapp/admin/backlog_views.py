"""待办概览 (issue 23 §8): what waits in each community, every figure a link to its list."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..services import policy
from ..services.admin import backlog
from ..services.voice import reports as voice_reports
from ..web.blueprints import staff as bp


def _labels() -> dict:
    """Each figure's heading in the reader's language, in the order of the table."""
    return {"reviews": _("待审核心愿"), "registrations": _("待审批报到"),
            "unclaimed": _("待认领心愿"), "overdue": _("逾期未完成"),
            "pending_hours": _("待认定时长"), "activated": _("已激活居民")}


def _links(row: dict, admins: set[int], street: bool) -> dict:
    """Where each figure leads: the existing list, filtered as far as that list can filter.

    The wish lists filter by status and grid, not by community: a street admin's link shows
    the whole street. 报到 and the ledger's approval queue are the community admin's pages;
    a street admin has no list of them, so those figures stay plain text for the street."""
    own = row["community_id"] in admins
    return {"reviews": url_for("admin.review_queue"),
            "registrations": url_for("admin.registrations") if own else None,
            "unclaimed": url_for("admin.wishes", status="published"),
            "overdue": url_for("admin.wishes"),
            "pending_hours": (url_for("ledger.index", community=row["community_id"]) if own
                              else url_for("ledger.street") if street else None),
            "activated": url_for("staff.people", status="never")}  # who never signed in


@bp.get("/backlog")
@login_required
def backlog_page():
    """One row per community the admin looks after (a street admin: all of the street)."""
    rows = backlog.rows(db.session, current_user)
    admins = policy.community_ids_for(current_user, "community_admin")
    street = bool(policy.org_ids_for(current_user, "street_admin"))
    for r in rows:
        r["links"] = _links(r, admins, street)
    totals = {k: sum(r[k] for r in rows) for k in backlog.FIGURES}
    return render_template("admin/backlog.html", rows=rows, labels=_labels(), totals=totals,
                           many=len(rows) > 1,
                           # 反映问题's response times: a block of its own (issue 29 §2)
                           voice_times=voice_reports.response_times(
                               db.session, {r["community_id"] for r in rows}))
