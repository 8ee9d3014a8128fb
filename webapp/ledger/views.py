"""The community ledger page: chain state, approval queue, recent entries, corrections."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import utcnow
from ..schemas import parse, parse_query, to_id
from ..schemas.ledger import Adjust, Correct, Reject
from ..schemas.queries import ListPageQuery
from ..services.ledger import checks, duty, ledger
from ..services.notify import channels
from ..services.people import orgs
from ..services.errors import Invalid
from ..web.htmx import attempt, is_htmx, with_vary
from . import access, bp


@bp.get("/ledger/")
@login_required
def index():
    """台账 tab: the community ledger for its admin; others go to the view of their role."""
    roles = current_user.role_names()
    if "community_admin" not in roles:
        if "street_admin" in roles:
            return redirect(url_for("ledger.street"))
        if "unit_admin" in roles:
            return redirect(url_for("ledger.unit"))
        return redirect(url_for("ledger.me"))
    return _page()


def _chain(c) -> dict:
    """What the chain's section shows: this view's quick check, the job's last full one, and
    the break to name (this view's first, else the one the full check found)."""
    chain, full = ledger.chain_state(db.session, c.id), checks.last(db.session, c.id)
    broken = chain["broken"] if not chain["ok"] else (full["broken"] if full["ok"] is False
                                                      else None)
    return {"chain": chain, "full": full, "broken": broken}


def _page(errors=None, values=None, status=200):
    c = access.community()
    return render_template(
        "ledger/index.html", community=c, communities=access.admin_communities(),
        **_chain(c), queue=ledger.queue(db.session, c.id),
        entries=ledger.recent_entries(db.session, c.id),
        duty=duty.missing(db.session, utcnow(), c.id),
        units=orgs.approved_units(db.session, c.id),
        sms=channels.ledger_summary(db.session, c, utcnow()),
        errors=errors or {}, values=values or {}), status


def _back(c_id):
    return redirect(url_for("ledger.index", community=c_id))


@bp.post("/ledger/records/<int:record_id>/approve")
@login_required
def approve(record_id):
    """Approve one record as reported."""
    e = ledger.approve(db.session, current_user, record_id)
    flash(_("已认定 %(h)s 小时。", h=e.hours), "success")
    return _back(e.community_id)


def _row_act(key, schema, run, message, community_of):
    """Parse one row's form into `schema` and run the service on it; errors go back next to
    that row, success flashes `message(result)` and returns to the result's community."""
    with attempt(Invalid) as a:
        out = run(parse(schema, request.form.to_dict()))
    if not a.ok:
        return _page({key: a.errors}, {key: request.form.to_dict()}, 422)
    flash(message(out), "success")
    return _back(community_of(out))


@bp.post("/ledger/records/<int:record_id>/adjust")
@login_required
def adjust(record_id):
    """Approve with adjusted hours and a reason."""
    return _row_act(record_id, Adjust, lambda d: ledger.approve(
        db.session, current_user, record_id, d.hours, d.reason),
        lambda e: _("已按 %(h)s 小时认定。", h=e.hours), lambda e: e.community_id)


@bp.post("/ledger/records/<int:record_id>/reject")
@login_required
def reject(record_id):
    """Reject a record with a reason."""
    return _row_act(record_id, Reject, lambda d: ledger.reject(
        db.session, current_user, record_id, d.reason),
        lambda rec: _("已不予认定。"), lambda rec: rec.community_id)


@bp.post("/ledger/records/bulk-approve")
@login_required
def bulk_approve():
    """Approve every ticked record as reported."""
    c = access.community()
    with attempt(Invalid) as a:
        ids = [to_id(v) for v in request.form.getlist("record_ids")]
        if None in ids:  # `²`, `١٣`, `-1`: never guessed into an id
            raise Invalid({"record_ids": _("记录编号无效，请刷新页面后重新勾选。")})
        n = ledger.bulk_approve(db.session, current_user, ids)
    if not a.ok:
        return _page({"bulk": a.errors}, status=422)
    flash(_("已批量认定 %(n)s 条记录。", n=n), "success")
    return _back(c.id)


@bp.post("/ledger/entries/<int:entry_id>/correct")
@login_required
def correct(entry_id):
    """Correct an entry: a reversal plus a new entry, with the reason."""
    return _row_act(f"e{entry_id}", Correct, lambda d: ledger.correct(
        db.session, current_user, entry_id, d.hours, d.reason),
        lambda out: _("已更正：冲销原记录%(more)s。", more=_("并登记新时长") if len(out) > 1 else ""),
        lambda out: out[0].community_id)


@bp.post("/ledger/verify")
@login_required
def verify():
    """Ask the job process to check the whole chain; the page shows when it is done."""
    c = access.community()
    if checks.request_check(db.session, current_user, c.id):
        flash(_("已安排校验全部记录，通常一分钟内完成。"), "success")
    return _back(c.id)


@bp.get("/ledger/duty")
@login_required
def duty_page():
    """Every member of the community who has not served this half-year, a page at a time."""
    c = access.community()
    page = parse_query(ListPageQuery, request.args).page
    return render_template("ledger/duty.html", community=c,
                           duty=duty.missing(db.session, utcnow(), c.id, page, duty.DUTY_PAGE))


@bp.get("/ledger/chain")
@login_required
def chain():
    """The chain's section alone: the page polls it while a full check waits (a browser that
    opens the address gets the ledger page, which shows the same section)."""
    c = access.community()
    if not is_htmx():
        return with_vary(_back(c.id))
    return with_vary(make_response(render_template("ledger/_chain.html", community=c,
                                                   **_chain(c))))
