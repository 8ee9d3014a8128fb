"""API: the wish loop — list, post, detail, review, claim, serve, confirm, withdraw."""
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..schemas.inputs import (ClaimInput, ConfirmInput, DispatchInput, DoneInput, Review,
                              WishEdit, WishInput, WishQuery)
from ..services.wishes import claims, editing, menu, present, wishes
from ..services import policy
from ..services.errors import NotFound
from . import bp
from .common import body, body_each, me, query, reply, token_required


@bp.get("/wishes")
@token_required
def list_wishes():
    """One keyset page of the wishes the user may see: {items, next_cursor}."""
    q = query(WishQuery)
    limit = q.limit or current_app.config["MENU_PAGE_SIZE"]
    rows, cursor = menu.list_wishes(db.session, me(), view=q.view, status=q.status, grid=q.grid,
                                    category=q.category, kind=q.kind, cursor=q.cursor,
                                    limit=limit)
    return reply({"items": present.cards(db.session, rows, me()), "next_cursor": cursor})


@bp.post("/wishes")
@token_required
def create_wish():
    """Post a wish (or, as grid staff, for a resident: on_behalf_of). client_uuid dedupes."""
    data, errors = body_each(WishInput)
    wish = wishes.post(db.session, me(), data, errors=errors)
    return reply({"id": wish.id, "status": wish.status}, 201)


def _visible_wish(wish_id):
    """The wish if the user may see it; otherwise 404, so ids of others' wishes reveal nothing."""
    wish = wishes.get_wish(db.session, wish_id)
    if not policy.can_view_wish(me(), wish, wishes.claimer_ids(db.session, wish)):
        raise NotFound(_("找不到这个心愿。"), code="wish_not_found")
    return wish


@bp.get("/wishes/<id:wish_id>")
@token_required
def wish_detail(wish_id):
    """One wish with its claims and timeline; contact only for active claimers and grid staff."""
    wish = _visible_wish(wish_id)
    return reply(present.detail(db.session, wish, me(), channel="api"))


def _state(wish) -> dict:
    return {"id": wish.id, "status": wish.status, "taken": wish.taken, "capacity": wish.capacity}


@bp.patch("/wishes/<id:wish_id>")
@token_required
def edit_wish(wish_id):
    """Fix a wish nobody has claimed yet (only the fields sent change); 409 once claimed."""
    data, errors = body_each(WishEdit)
    _visible_wish(wish_id)
    return reply(_state(editing.edit(db.session, me(), wish_id, data, errors=errors)))


@bp.post("/wishes/<id:wish_id>/review")
@token_required
def review_wish(wish_id):
    """审核: approve (→ published) or reject with a reason."""
    data = body(Review)
    return reply(_state(wishes.review(db.session, me(), wish_id, data.decision, data.reason)))


@bp.post("/wishes/<id:wish_id>/claims")
@token_required
def claim_wish(wish_id):
    """Claim for oneself, or for one's unit with member_ids. 409 when full or not open."""
    data = body(ClaimInput)
    made = claims.claim(db.session, me(), wish_id, data.unit_id, data.member_ids)
    wish = made[0].wish
    return reply({"id": made[0].id, "ids": [c.id for c in made], "status": made[0].status,
                  "wish": _state(wish)}, 201)


@bp.post("/wishes/<id:wish_id>/dispatch")
@token_required
def dispatch_wish(wish_id):
    """派单 to a member (an offer they accept or decline) or to a unit (its admins are told)."""
    data = body(DispatchInput)
    c = claims.dispatch(db.session, me(), wish_id, data.member_id, data.unit_id, data.note)
    if c is None:
        return reply({"id": None, "status": "notified", "unit_id": data.unit_id})
    return reply({"id": c.id, "status": c.status, "wish": _state(c.wish)}, 201)


@bp.post("/wishes/<id:wish_id>/confirm")
@token_required
def confirm_wish(wish_id):
    """The resident (or grid staff with a note) confirms and rates; the wish closes."""
    data = body(ConfirmInput)
    records = wishes.confirm(db.session, me(), wish_id, data.rating, data.comment, data.note)
    wish = wishes.get_wish(db.session, wish_id)
    return reply({**_state(wish), "service_records": [r.id for r in records]})


@bp.post("/wishes/<id:wish_id>/withdraw")
@token_required
def withdraw_wish(wish_id):
    """The resident (or grid staff) withdraws a wish before service starts."""
    body(None)
    return reply(_state(wishes.withdraw(db.session, me(), wish_id)))


def _claim_state(c) -> dict:
    return {"id": c.id, "status": c.status, "hours": c.hours, "wish": _state(c.wish)}


@bp.post("/claims/<id:claim_id>/release")
@token_required
def release_claim(claim_id):
    """Give up a claim before service starts."""
    body(None)
    return reply(_claim_state(claims.release(db.session, me(), claim_id)))


@bp.post("/claims/<id:claim_id>/accept")
@token_required
def accept_claim(claim_id):
    """Accept a dispatched task."""
    body(None)
    return reply(_claim_state(claims.answer_offer(db.session, me(), claim_id, True)))


@bp.post("/claims/<id:claim_id>/decline")
@token_required
def decline_claim(claim_id):
    """Decline a dispatched task (its place goes back to the menu)."""
    body(None)
    return reply(_claim_state(claims.answer_offer(db.session, me(), claim_id, False)))


@bp.post("/claims/<id:claim_id>/start")
@token_required
def start_claim(claim_id):
    """签到: start serving."""
    body(None)
    return reply(_claim_state(claims.start(db.session, me(), claim_id)))


@bp.post("/claims/<id:claim_id>/done")
@token_required
def done_claim(claim_id):
    """Mark one's part done with the actual hours (travel excluded)."""
    data = body(DoneInput)
    return reply(_claim_state(claims.mark_done(db.session, me(), claim_id, data.hours)))
