"""Every transition of the wish state machine, legal and illegal, for every role.

Illegal moves raise Forbidden (wrong person) or Conflict (wrong state, 409) and leave the wish,
its claims and its timeline exactly as they were.
"""
import pytest

from webapp.models import Claim, Wish, WishEvent
from webapp.services.wishes import claims, lifecycle, wishes
from webapp.services.errors import Conflict, DomainError, Forbidden

STATES = ["pending_review", "published", "claimed", "in_service", "done", "confirmed", "closed",
          "rejected", "withdrawn"]
ROLES = ["resident", "resident2", "member", "member3", "unit_admin", "grid_worker",
         "grid_worker2", "admin", "admin_b", "street_admin", "member_b"]


def _my_claim(db, wish, world):
    return db.query(Claim).filter_by(wish_id=wish.id, volunteer_id=world.member.id).first()


# action -> (who may do it, call(db, world, actor, wish))
ACTIONS = {
    "approve": ({"admin"}, lambda db, w, a, wish: wishes.review(db, a, wish.id, "approve")),
    "reject": ({"admin"}, lambda db, w, a, wish: wishes.review(db, a, wish.id, "reject", "不符合")),
    # Grid staff withdraw only wishes they keep for a resident (代登记 / no phone), not a
    # resident's own (issue 12 §2): these wishes are the resident's own.
    "withdraw": ({"resident"},
                 lambda db, w, a, wish: wishes.withdraw(db, a, wish.id)),
    "confirm": ({"resident", "grid_worker", "admin"},
                lambda db, w, a, wish: wishes.confirm(db, a, wish.id, 5, "好", note="回访")),
    "claim": ({"member", "member3"}, lambda db, w, a, wish: claims.claim(db, a, wish.id)),
    "dispatch": ({"admin"},
                 lambda db, w, a, wish: claims.dispatch(db, a, wish.id, member_id=w.member3.id)),
    "start": ({"member"}, lambda db, w, a, wish: claims.start(db, a, _my_claim(db, wish, w).id)),
    "done": ({"member"},
             lambda db, w, a, wish: claims.mark_done(db, a, _my_claim(db, wish, w).id, 2)),
    "release": ({"member", "admin"},
                lambda db, w, a, wish: claims.release(db, a, _my_claim(db, wish, w).id)),
}
# Which state each action is legal from (claim-level actions depend on the member's claim).
LEGAL = {
    "approve": {"pending_review"}, "reject": {"pending_review"},
    "withdraw": {"pending_review", "published", "claimed"}, "confirm": {"done"},
    "claim": {"published"}, "dispatch": {"published"}, "start": {"claimed"},
    "done": {"in_service"}, "release": {"claimed"},
}
CLAIM_ACTIONS = {"start", "done", "release"}
# Members hold the "member" role: claim/start etc. by anyone else is Forbidden before any
# state check; for claim actions without a claim of member's there is nothing to act on.
NEEDS_CLAIM_STATES = {"claimed", "in_service", "done", "confirmed", "closed"}


def _snapshot(db, wish_id):
    db.expire_all()
    w = db.get(Wish, wish_id)
    return (w.status, w.taken, db.query(WishEvent).filter_by(wish_id=wish_id).count(),
            sorted((c.volunteer_id, c.status) for c in db.query(Claim).filter_by(wish_id=wish_id)))


CASES = [(a, s) for a in ACTIONS for s in STATES
         if a not in CLAIM_ACTIONS or s in NEEDS_CLAIM_STATES]


@pytest.mark.parametrize("action,state", CASES)
def test_transition_matrix(db, world, make_wish, action, state):
    wish = make_wish(state)
    allowed_roles, call = ACTIONS[action]
    before = _snapshot(db, wish.id)
    for role in ROLES:
        if role in allowed_roles:
            continue
        actor = getattr(world, role)
        with pytest.raises(DomainError) as exc:
            call(db, world, actor, wish)
        assert isinstance(exc.value, (Forbidden, Conflict)) or exc.value.status in (403, 404, 422), (
            role, exc.value)
        db.rollback()
        assert _snapshot(db, wish.id) == before, f"{role} changed the wish with {action}"
    for role in sorted(allowed_roles):
        actor = getattr(world, role)
        if state in LEGAL[action]:
            call(db, world, actor, wish)
            assert _snapshot(db, wish.id) != before, f"{action} by {role} changed nothing"
            return
        with pytest.raises(Conflict) as exc:
            call(db, world, actor, wish)
        assert exc.value.status == 409 and str(exc.value.message)
        db.rollback()
        assert _snapshot(db, wish.id) == before


def test_every_action_in_table_has_a_label_and_states_are_known():
    for action, (froms, to) in lifecycle.TRANSITIONS.items():
        assert to in lifecycle.STATUSES and froms <= set(lifecycle.STATUSES)
        assert action in lifecycle.ACTION_LABELS
    assert set(lifecycle.STATUS_LABELS) == set(lifecycle.STATUSES)


def test_expected_targets_of_legal_moves(db, world, make_wish):
    w = make_wish("pending_review")
    wishes.review(db, world.admin, w.id, "approve")
    assert w.status == "published" and w.published_at is not None
    (c,) = claims.claim(db, world.member, w.id)
    assert w.status == "claimed" and w.taken == 1
    claims.release(db, world.member, c.id)
    assert w.status == "published" and w.taken == 0
    (c,) = claims.claim(db, world.member, w.id)  # the released row comes back
    claims.start(db, world.member, c.id)
    assert w.status == "in_service"
    claims.mark_done(db, world.member, c.id, 1.5)
    assert w.status == "done"
    wishes.confirm(db, world.resident, w.id, 4, "谢谢")
    assert w.status == "closed" and w.rating == 4
    froms_tos = [(e.from_status, e.to_status) for e in w.events if e.from_status != e.to_status]
    assert froms_tos == [(None, "pending_review"), ("pending_review", "published"),
                         ("published", "claimed"),
                         ("claimed", "published"), ("published", "claimed"),
                         ("claimed", "in_service"), ("in_service", "done"),
                         ("done", "confirmed"), ("confirmed", "closed")]


def test_staff_confirm_needs_a_note_and_records_it(db, world, make_wish):
    from webapp.models import ServiceRecord
    from webapp.services.errors import Invalid
    w = make_wish("done")
    with pytest.raises(Invalid) as exc:
        wishes.confirm(db, world.grid_worker, w.id, 5)
    assert "note" in exc.value.fields
    db.rollback()
    wishes.confirm(db, world.grid_worker, w.id, 5, note="电话回访，居民满意")
    rec = db.query(ServiceRecord).filter_by(wish_id=w.id).one()
    assert rec.confirm_note == "电话回访，居民满意" and rec.confirmed_by_id == world.grid_worker.id


def test_dispatch_is_an_offer_the_member_answers(db, world, make_wish):
    w = make_wish("published", capacity=2)
    c = claims.dispatch(db, world.admin, w.id, member_id=world.member3.id)
    assert c.status == "offered" and w.taken == 1
    claims.answer_offer(db, world.member3, c.id, accept=False)
    assert c.status == "declined" and w.taken == 0 and w.status == "published"
    c = claims.dispatch(db, world.admin, w.id, member_id=world.member3.id)
    claims.answer_offer(db, world.member3, c.id, accept=True)
    assert c.status == "active"
    with pytest.raises(Conflict):
        claims.answer_offer(db, world.member3, c.id, accept=True)


def test_partial_team_can_start_and_the_wish_leaves_the_menu(db, world, make_wish):
    w = make_wish("published", capacity=3)
    (c,) = claims.claim(db, world.member, w.id)
    claims.start(db, world.member, c.id)
    assert w.status == "in_service"
    with pytest.raises(Conflict):
        claims.claim(db, world.member3, w.id)
    claims.mark_done(db, world.member, c.id, 2)
    assert w.status == "done"
