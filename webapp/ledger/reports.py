"""Tallies with charts, exports (direct or through the job process), unit reports, the street."""
from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Unit, utcnow
from ..schemas import parse_query
from ..schemas.queries import ExportQuery, PeriodQuery
from ..services.ledger import exports, periods, tallies
from ..services.errors import NotFound
from ..web.downloads import MIME, download_sheets
from . import access, bp

PERIOD_KINDS = (("month", _l("按月")), ("half", _l("按半年")), ("year", _l("按年")))


def _period(q: PeriodQuery, default: str = "month"):
    return periods.parse(q.period, utcnow(), q.kind or default)


def _tally_query():
    """The community a tally is of (who may read it, first), the query asked, its period."""
    c = access.readable_community()
    q = parse_query(ExportQuery, request.args)
    return c, q, _period(q)


@bp.get("/ledger/tallies")
@login_required
def tallies_page():
    """Tallies by member, unit, grid, category or month for a period, with charts."""
    c, q, period = _tally_query()
    return render_template("ledger/tallies.html", community=c, q=q, period=period,
                           tally=tallies.tally(db.session, c.id, q.by, period),
                           charts=tallies.charts(db.session, c.id, period, utcnow()),
                           dims=tallies.DIMENSIONS, kinds=PERIOD_KINDS,
                           keeps_ledger=c in access.admin_communities())


@bp.get("/ledger/tallies/export")
@login_required
def tallies_export():
    """The tally view as Excel or CSV (always small: one row per key)."""
    c, q, period = _tally_query()
    sheet = exports.tally_sheet(db.session, c.id, q.by, period, c.name)
    return download_sheets([sheet], q.fmt, f"{c.name}-{period.key}-{q.by}")


@bp.post("/ledger/export")
@login_required
def ledger_export():
    """The full ledger of a period: direct when small, else queued for the job process. A POST
    (a form with CSRF), since a large one writes an export job: no link elsewhere can start it."""
    c = access.community()
    q = parse_query(ExportQuery, request.form)
    period = _period(q)
    if exports.ledger_count(db.session, c.id, period) > exports.ASYNC_ROWS:
        job = exports.request_ledger_export(db.session, current_user, c.id, period, q.fmt)
        return redirect(url_for("ledger.export_job", job_id=job.id))
    sheet = exports.ledger_sheet(db.session, c.id, period, c.name)
    return download_sheets([sheet], q.fmt, f"{c.name}-台账-{period.key}")


@bp.get("/ledger/exports/<int:job_id>")
@login_required
def export_job(job_id):
    """The job's page; htmx polls the progress fragment until the file is ready."""
    job = exports.get_job(db.session, current_user, job_id)
    tpl = "ledger/_progress.html" if request.headers.get("HX-Request") else "ledger/export.html"
    return render_template(tpl, job=job, keep_days=current_app.config["EXPORT_KEEP_DAYS"])


@bp.get("/ledger/exports/<int:job_id>/file")
@login_required
def export_file(job_id):
    """Download a finished export."""
    job = exports.get_job(db.session, current_user, job_id)
    path = exports.export_dir(current_app) / Path(job.file_path or "-").name
    if job.status != "done" or not job.file_path or not path.exists():
        raise NotFound(code="export_not_ready")
    return send_file(path, mimetype=MIME[job.fmt], as_attachment=True,
                     download_name=f"ledger-{job.id}.{job.fmt}", max_age=0)


def _report_unit() -> tuple[Unit, str]:
    """The unit of a report: any unit of the admin's community, or the unit admin's own."""
    uid = request.view_args.get("unit_id")
    u = db.session.get(Unit, uid) if uid else None
    if u is None:
        abort(404)
    comms = {c.id for c in access.admin_communities()}
    if u.community_id in comms:
        return u, u.community.name
    from ..services import policy
    if u.id in policy.unit_ids_admined(current_user):
        return u, u.community.name
    abort(404)


@bp.get("/ledger/units/<int:unit_id>/report")
@login_required
def unit_report(unit_id):
    """在职党员参与社区服务情况反馈: printable page (no recipient data)."""
    u, issuer = _report_unit()
    period = _period(parse_query(PeriodQuery, request.args), "half")
    data = exports.unit_report_data(db.session, u, period)
    # The way back: the unit's own ledger for its admin, else the community's.
    if u.community_id in {c.id for c in access.admin_communities()}:
        back_url = url_for("ledger.index", community=u.community_id)
    else:
        back_url = url_for("ledger.unit", unit=u.id)
    return render_template("ledger/unit_report.html", unit=u, period=period, issuer=issuer,
                           members=data["members"], services=data["services"],
                           projects=data["projects"], presence_hours=data["presence_hours"],
                           honour_hours=data["honour_hours"], issued=periods.local(utcnow()).date(), back_url=back_url,
                           donations=data["donations"])


@bp.get("/ledger/units/<int:unit_id>/report.xlsx")
@login_required
def unit_report_xlsx(unit_id):
    """The unit participation report as Excel (summary and detail sheets)."""
    u, issuer = _report_unit()
    period = _period(parse_query(PeriodQuery, request.args), "half")
    return download_sheets(exports.unit_report_sheets(db.session, u, period, issuer), "xlsx",
                           f"{u.name}-参与社区服务情况反馈-{period.key}")


@bp.get("/ledger/street")
@login_required
def street():
    """The street admin's view: communities side by side."""
    s = access.street()
    period = _period(parse_query(PeriodQuery, request.args))
    rows = tallies.compare_communities(db.session, s.id, period)
    return render_template("ledger/street.html", street=s, period=period, rows=rows,
                           bars=tallies.bars([(r["name"], r["hours"]) for r in rows]),
                           kinds=PERIOD_KINDS)


@bp.get("/ledger/street/export")
@login_required
def street_export():
    """The communities side by side as Excel or CSV."""
    s = access.street()
    q = parse_query(ExportQuery, request.args)
    period = _period(q)
    sheet = exports.street_sheet(tallies.compare_communities(db.session, s.id, period),
                                 period, s.name)
    return download_sheets([sheet], q.fmt, f"{s.name}-{period.key}")
