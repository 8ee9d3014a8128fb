"""双向评议 pages: rounds of my community (admin), of my unit (unit admin), of my street (street
admin, communities side by side); a round's questionnaires, results and the 双报告 links."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import utcnow
from ..schemas import parse, parse_query, to_id
from ..schemas.pairing import PageQuery, RoundInput, UnitAnswerInput
from ..services import policy
from ..services.errors import Forbidden
from ..services.pairing import evaluation as ev
from ..services.pairing.visits import local_today
from ..services.people import orgs
from . import bp

S = db.session


@bp.get("/pairing/evaluations")
@login_required
def evaluations():
    """Rounds the viewer may see; the community admin opens one, the street compares them."""
    this_year = local_today(utcnow()).year
    year = parse_query(PageQuery, request.args).year or this_year  # the round being run now
    admin_of = sorted(policy.community_ids_for(current_user, "community_admin"))
    street = (ev.street_rounds(S, current_user, year)
              if policy.org_ids_for(current_user, "street_admin") else None)
    return render_template(
        "pairing/evaluations.html", rounds=ev.rounds(S, current_user),
        communities=[S.get(orgs.Org, c) for c in admin_of], year=year, this_year=this_year,
        street=street, labels=ev.STATUS_LABELS, grades=ev.GRADE_LABELS)


@bp.post("/pairing/evaluations")
@login_required
def open_evaluation():
    """The community admin opens the yearly round."""
    if not policy.community_ids_for(current_user, "community_admin"):
        raise Forbidden(_("只有本社区管理员可以组织评议。"))
    r = ev.open_round(S, current_user, *_round_args(parse(RoundInput, request.form.to_dict())))
    flash(_("评议已开始，已通知各单位填写。"), "success")
    return redirect(url_for("pairing.evaluation", round_id=r.id))


def _round_args(data):
    return data.community_id, data.year


def _visible(round_id):
    r = ev.get(S, round_id)
    if not ev.can_view(current_user, r):
        abort(404)
    return r


@bp.get("/pairing/evaluations/<id:round_id>")
@login_required
def evaluation(round_id):
    """A round: the community's scoring of each unit, units' answers and reports, results."""
    r = _visible(round_id)
    admin = policy.can_run_evaluation(current_user, r.community_id)
    mine = policy.unit_ids_admined(current_user)
    rows = [u for u in ev.units(S, r) if admin or u.unit_id in mine
            or policy.is_street_admin(current_user, r.community.street_id)]
    results = {x["unit_id"]: x for x in ev.results(S, r)}
    return render_template(
        "pairing/evaluation.html", r=r, rows=rows, results=results, admin=admin, mine=mine,
        unit_names={u.unit_id: u.unit.name for u in rows}, community_name=r.community.name,
        items=[{**i, "label": i.get("label") or ev.ITEM_LABELS.get(i["key"], i["key"])}
               for i in r.items],
        questions=ev.UNIT_QUESTIONS, parts=ev.PART_LABELS, labels=ev.STATUS_LABELS,
        weights=r.weights, thresholds=r.thresholds)


@bp.post("/pairing/evaluations/<id:round_id>/score")
@login_required
def evaluation_score(round_id):
    """The community's questionnaire about one unit (0–100 per item)."""
    form = request.form.to_dict()
    unit_id = to_id(form.pop("unit_id", None))  # None: the service says so, after who may
    return _round_step(round_id, lambda: ev.score_unit(S, current_user, round_id, unit_id, form),
                       _("已保存。"))


@bp.post("/pairing/evaluations/<id:round_id>/answer")
@login_required
def evaluation_answer(round_id):
    """A unit's answers about the community and its own report (双报告)."""
    form = request.form.to_dict()
    unit_id = to_id(form.get("unit_id"))
    return _round_step(round_id, lambda: ev.answer(S, current_user, round_id, unit_id,
                                                   parse(UnitAnswerInput, form)), _("已保存。"))


def _round_step(round_id, run, message):
    """One step on a round (by its admin, or a unit's answers); the answer is the round's page
    with a notice."""
    run()
    flash(message, "success")
    return redirect(url_for("pairing.evaluation", round_id=round_id))


@bp.post("/pairing/evaluations/<id:round_id>/close")
@login_required
def evaluation_close(round_id):
    """Close the round: scores and grades are computed."""
    return _round_step(round_id, lambda: ev.close(S, current_user, round_id),
                       _("评议已结束，成绩已生成。"))


@bp.post("/pairing/evaluations/<id:round_id>/publish")
@login_required
def evaluation_publish(round_id):
    """Put the grades on the community's public board."""
    return _round_step(round_id, lambda: ev.publish(S, current_user, round_id),
                       _("评议结果已公示。"))


@bp.post("/pairing/evaluations/<id:round_id>/reopen")
@login_required
def evaluation_reopen(round_id):
    """Reopen to correct, with a reason (admin log)."""
    # who may first, then why: the service checks the actor before the reason
    return _round_step(round_id, lambda: ev.reopen(S, current_user, round_id,
                                                   request.form.get("reason")),
                       _("评议已重新开启。"))
