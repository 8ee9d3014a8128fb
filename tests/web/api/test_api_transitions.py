"""Illegal state changes through the API → 409 with a reason, and the state stays as it was."""
import pytest
from sqlalchemy import select

from tests.web.apiutil import Api, counts
from webapp.models import Claim, Notification, ServiceRecord, Wish, WishEvent


def _snapshot(db):
    db.expire_all()
    return (counts(db, WishEvent, Claim, ServiceRecord, Notification),
            dict(db.execute(select(Wish.id, Wish.status)).all()),
            dict(db.execute(select(Claim.id, Claim.status)).all()))


def _claim_of(wish, volunteer):
    return next(c.id for c in wish.claims if c.volunteer_id == volunteer.id)


# (state the wish is in, role, action path (w = wish, c = the member's claim), body)
ILLEGAL = [
    ("published", "admin", "/wishes/{w}/review", {"decision": "approve"}),
    ("rejected", "admin", "/wishes/{w}/review", {"decision": "approve"}),
    ("closed", "admin", "/wishes/{w}/review", {"decision": "reject", "reason": "晚了"}),
    ("pending_review", "member", "/wishes/{w}/claims", {}),
    ("claimed", "member3", "/wishes/{w}/claims", {}),
    ("in_service", "member3", "/wishes/{w}/claims", {}),
    ("withdrawn", "member", "/wishes/{w}/claims", {}),
    ("pending_review", "admin", "/wishes/{w}/dispatch", {"member_id": "member3"}),
    ("claimed", "admin", "/wishes/{w}/dispatch", {"member_id": "member3"}),
    ("published", "resident", "/wishes/{w}/confirm", {"rating": 5}),
    ("in_service", "resident", "/wishes/{w}/confirm", {"rating": 5}),
    ("closed", "resident", "/wishes/{w}/confirm", {"rating": 5}),
    ("in_service", "resident", "/wishes/{w}/withdraw", {}),
    ("done", "resident", "/wishes/{w}/withdraw", {}),
    ("closed", "resident", "/wishes/{w}/withdraw", {}),
    ("withdrawn", "resident", "/wishes/{w}/withdraw", {}),
    ("claimed", "member", "/claims/{c}/done", {"hours": 1}),
    ("claimed", "member", "/claims/{c}/accept", {}),
    ("claimed", "member", "/claims/{c}/decline", {}),
    ("in_service", "member", "/claims/{c}/start", {}),
    ("in_service", "member", "/claims/{c}/release", {}),
    ("done", "member", "/claims/{c}/done", {"hours": 1}),
    ("done", "member", "/claims/{c}/start", {}),
    ("closed", "member", "/claims/{c}/release", {}),
]


@pytest.mark.parametrize("state,role,path,body", ILLEGAL,
                         ids=[f"{s}-{r}-{p.rsplit('/', 1)[1]}" for s, r, p, _b in ILLEGAL])
def test_illegal_transition_is_409_and_changes_nothing(client, db, world, make_wish, state,
                                                       role, path, body):
    wish = make_wish(state)
    claim = _claim_of(wish, world.member) if wish.claims else None
    body = {k: getattr(world, v).id if v in ("member3",) else v for k, v in body.items()}
    before = _snapshot(db)
    r = Api(client, getattr(world, role)).post(path.format(w=wish.id, c=claim), body)
    assert r.status_code == 409, r.json
    assert r.json["error"]["code"] and r.json["error"]["message"]
    assert _snapshot(db) == before


def test_capacity_is_exact_and_second_claim_of_same_member_conflicts(client, db, world, make_wish):
    wish = make_wish("published", capacity=2)
    m1, m2, m3 = (Api(client, u) for u in (world.member, world.member2, world.member3))
    assert m1.post(f"/wishes/{wish.id}/claims").status_code == 201
    r = m1.post(f"/wishes/{wish.id}/claims")
    assert r.status_code == 409 and r.json["error"]["code"] == "already_claimed"
    assert m2.post(f"/wishes/{wish.id}/claims").json["wish"]["status"] == "claimed"
    r = m3.post(f"/wishes/{wish.id}/claims")
    assert r.status_code == 409 and r.json["error"]["code"] == "not_open"
    db.expire_all()
    assert db.get(Wish, wish.id).taken == 2


def test_unit_claim_beyond_capacity_is_409_full(client, db, world, make_wish):
    wish = make_wish("published", capacity=1)
    r = Api(client, world.unit_admin).post(
        f"/wishes/{wish.id}/claims", {"member_ids": [world.member.id, world.member2.id]})
    assert r.status_code == 409 and r.json["error"]["code"] == "full"
    assert "1" in r.json["error"]["message"]
    assert db.query(Claim).count() == 0
