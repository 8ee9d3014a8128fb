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


def _links(row: dict, admins: set[int]) -> dict:
    """Where each figure leads: its list filtered to exactly the rows it counts (the test
    opens each link and counts them).

    报到 and the ledger's approval queue are the community admin's pages; a street admin has
    no list of them, so those figures stay plain text for the street."""
    cid = row["community_id"]
    own = cid in admins
    return {"reviews": url_for("admin.review_queue", community=cid),
            "registrations": url_for("admin.registrations", community=cid) if own else None,
            "unclaimed": url_for("admin.wishes", community=cid, only="unclaimed"),
            "overdue": url_for("admin.wishes", community=cid, only="overdue"),
            "pending_hours": url_for("ledger.index", community=cid) if own else None,
            "activated": url_for("staff.people", community=cid, status="never")}


@bp.get("/backlog")
@login_required
def backlog_page():
    """One row per community the admin looks after (a street admin: all of the street)."""
    rows = backlog.rows(db.session, current_user)
    admins = policy.community_ids_for(current_user, "community_admin")
    for r in rows:
        r["links"] = _links(r, admins)
    totals = {k: sum(r[k] for r in rows) for k in backlog.FIGURES}
    return render_template("admin/backlog.html", rows=rows, labels=_labels(), totals=totals,
                           many=len(rows) > 1,
                           # 反映问题's response times: a block of its own (issue 29 §2)
                           voice_times=voice_reports.response_times(
                               db.session, {r["community_id"] for r in rows}))
