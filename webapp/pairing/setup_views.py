"""A round's questionnaire and weights (issue 29 §4): edited by the community admin before
anyone answers, with a preview of the score arithmetic on sample numbers."""
from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..services import policy
from ..services.errors import Invalid
from ..services.pairing import evaluation as ev
from ..services.pairing import setup
from ..web.htmx import answer, attempt, form_answer
from . import bp

S = db.session


@bp.route("/pairing/evaluations/<id:round_id>/setup", methods=["GET", "POST"])
@login_required
def evaluation_setup(round_id):
    """问卷与权重: change items and weights (预览 shows the arithmetic without saving)."""
    r = ev.get(S, round_id)
    if not policy.can_run_evaluation(current_user, r.community_id):
        abort(404)
    config = setup.current(r)
    values, errors = setup.form_values(config), {}
    if request.method == "POST":
        values = {k: v for k, v in request.form.to_dict().items() if k != "csrf_token"}
        with attempt(Invalid) as a:
            if request.form.get("do") == "save":
                setup.configure(S, current_user, r.id, values)
                return answer(_("问卷和权重已保存。"), url_for("pairing.evaluation", round_id=r.id))
            config = setup.read_form(r, values)
        errors = a.errors
    return form_answer("pairing/evaluation_setup.html", values, errors, r=r,
                       community_name=r.community.name, editable=setup.editable(S, r),
                       parts=ev.PART_LABELS, slots=range(setup.MAX_ITEMS),
                       preview=setup.preview(config), config=config)
