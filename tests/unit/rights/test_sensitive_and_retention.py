"""Sensitive wishes need their own consent and show their details only to whom the contact is
shown; closed wishes lose their personal details after the retention (a job, idempotent)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from webapp.models import Wish, utcnow
from webapp.schemas.inputs import WishInput
from webapp.services.errors import Invalid
from webapp.services.rights import retention
from webapp.services.wishes import wishes


def _post(db, world, **over):
    data = WishInput(kind="service", title="陪我去医院复查", description="糖尿病，需要有人陪同。",
                     category=world.cat.id, **over)
    return wishes.post(db, world.resident, data)


def test_a_sensitive_wish_needs_its_own_consent(db, world):
    with pytest.raises(Invalid) as e:
        _post(db, world, sensitive=True)
    assert "sensitive_consent" in e.value.fields
    db.rollback()
    w = _post(db, world, sensitive=True, sensitive_consent=True)
    assert w.sensitive and w.sensitive_consent_at is not None


def test_its_details_reach_only_the_resident_and_the_grids_staff(app, db, world):
    w = _post(db, world, sensitive=True, sensitive_consent=True)
    wishes.review(db, world.admin, w.id, "approve")
    for user, shown in ((world.resident, True), (world.grid_worker, True), (world.admin, True),
                        (world.member, False), (world.admin_b, False)):
        c = app.test_client()
        login(c, user)
        page = c.get(f"/wishes/{w.id}").get_data(as_text=True)
        assert ("糖尿病" in page) is shown, user.name


def test_closed_wishes_lose_their_details_after_the_retention(app, db, world, make_wish):
    old = make_wish("closed", title="修理卫生间漏水")
    recent = make_wish("closed", title="帮忙取快递")
    now = utcnow()
    years = app.config["WISH_DETAILS_RETENTION_YEARS"]
    db.get(Wish, old.id).done_at = now - timedelta(days=365 * years + 2)
    db.commit()
    assert retention.purge_closed_wish_details(db, now) == 1
    db.expire_all()
    o, r = db.get(Wish, old.id), db.get(Wish, recent.id)
    assert (o.description, o.comment) == ("", None) and o.title == "修理卫生间漏水"
    assert r.description == "腿脚不便，需要有人帮忙。"
    assert retention.purge_closed_wish_details(db, now) == 0  # a second run changes nothing


def test_care_tags_need_the_households_separate_consent_and_go_when_it_is_withdrawn(db, world):
    from webapp.models import CareTag, User
    from webapp.services.pairing import pairings
    from webapp.services.rights import corrections
    with pytest.raises(Invalid) as e:
        pairings.set_care(db, world.grid_worker, world.resident.id, ["lonely_elder"])
    assert "consent" in e.value.fields
    db.rollback()
    pairings.set_care(db, world.grid_worker, world.resident.id, ["lonely_elder"], consent=True)
    assert db.get(User, world.resident.id).sensitive_consent_at is not None
    corrections.withdraw(db, db.get(User, world.resident.id), "sensitive")
    assert db.scalar(select(CareTag.id)) is None
    assert db.get(User, world.resident.id).sensitive_consent_at is None
