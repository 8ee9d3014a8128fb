"""The whole loop through the services: post → review → claim → start → done → confirm."""
from webapp.models import Disclosure, ServiceRecord
from webapp.services.wishes import present


def test_full_loop_reaches_closed_with_records(db, world, make_wish):
    w = make_wish("closed", capacity=2)
    assert w.status == "closed" and w.rating == 5
    recs = db.query(ServiceRecord).filter_by(wish_id=w.id).all()
    assert sorted(r.volunteer_id for r in recs) == sorted([world.member.id, world.member2.id])
    assert all(float(r.hours) == 1.5 for r in recs)
    actions = [e.action for e in w.events]
    assert actions[:2] == ["post", "approve"] and actions[-1] == "close"


def test_contact_only_for_active_claimer_and_logged(db, world, make_wish):
    w = make_wish("claimed")
    d = present.detail(db, w, world.member, "web")
    assert d["contact"]["phone"] == world.resident.phone
    assert present.detail(db, w, world.member3, "web")["contact"] is None
    assert db.query(Disclosure).filter_by(wish_id=w.id, viewer_id=world.member.id).count() == 1
