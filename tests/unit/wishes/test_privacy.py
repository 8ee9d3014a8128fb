"""DESIGN §2: phone and address reach only active claimers and that grid's staff, each time logged."""
import pytest

from webapp.models import Claim, Disclosure
from webapp.services.wishes import claims, present

SEE = {"member", "grid_worker", "admin"}
OTHERS = ["resident2", "member3", "unit_admin", "grid_worker2", "admin_b", "street_admin",
          "member_b"]


@pytest.mark.parametrize("state", ["claimed", "in_service", "done"])
def test_contact_only_for_active_claimer_and_grid_staff(db, world, make_wish, state):
    wish = make_wish(state)
    for role in sorted(SEE):
        d = present.detail(db, wish, getattr(world, role), "web")
        assert d["contact"] == {"name": "王小明", "phone": "13800000101",
                                "address": "1号楼 3单元502"}, role
    for role in OTHERS:
        d = present.detail(db, wish, getattr(world, role), "api")
        assert d["contact"] is None, role
        assert "13800000101" not in repr(d) and "3单元502" not in repr(d), role
    logged = {(x.viewer_id, x.reason) for x in db.query(Disclosure).filter_by(wish_id=wish.id)}
    assert logged == {(world.member.id, "active_claim"), (world.grid_worker.id, "grid_staff"),
                      (world.admin.id, "grid_staff")}


def test_each_view_is_logged_again(db, world, make_wish):
    wish = make_wish("claimed")
    for _ in range(3):
        present.detail(db, wish, world.member, "api")
    rows = db.query(Disclosure).filter_by(wish_id=wish.id, viewer_id=world.member.id).all()
    assert len(rows) == 3 and {r.channel for r in rows} == {"api"}


def test_released_or_finished_claim_loses_access(db, world, make_wish):
    wish = make_wish("claimed")
    c = db.query(Claim).filter_by(wish_id=wish.id).one()
    claims.release(db, world.member, c.id)
    assert present.detail(db, wish, world.member, "web")["contact"] is None
    closed = make_wish("closed")
    assert present.detail(db, closed, world.member, "web")["contact"] is None
    assert db.query(Disclosure).filter_by(viewer_id=world.member.id).count() == 0


def test_menu_cards_mask_the_name_and_stop_at_the_building(db, world, make_wish):
    wish = make_wish("published")
    (card,) = present.cards(db, [wish], world.member3)
    assert card["resident"] == "王**" and card["building"] == "1号楼"
    assert not {"phone", "address", "contact"} & set(card)
    (own,) = present.cards(db, [wish], world.resident)
    assert own["resident"] == "王小明"


def test_timeline_masks_the_resident_for_outsiders(db, world, make_wish):
    wish = make_wish("published")
    d = present.detail(db, wish, world.member3, "web")
    assert {e["actor"] for e in d["events"]} <= {"王**", "孙主任"}
