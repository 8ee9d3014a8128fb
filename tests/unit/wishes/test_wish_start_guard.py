"""开始服务 on a wish is not possible long before the agreed time (issue 24 item 2): at most the
community's `service_start_early_minutes` (60 by default) before the wanted time."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.models import Claim, utcnow
from webapp.services.errors import Conflict
from webapp.services.wishes import claims


def test_a_day_early_is_refused_an_hour_early_is_fine(db, world, make_wish):
    wanted = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    w = make_wish("claimed", wanted_from=wanted)
    c = db.scalar(select(Claim).where(Claim.wish_id == w.id))
    with pytest.raises(Conflict) as e:
        claims.start(db, world.member, c.id, now=wanted - timedelta(days=1))
    assert e.value.code == "too_early" and "60 分钟" in str(e.value.message)
    with pytest.raises(Conflict):
        claims.start(db, world.member, c.id, now=wanted - timedelta(minutes=61))
    db.rollback()
    claims.start(db, world.member, c.id, now=wanted - timedelta(minutes=60))
    assert db.get(Claim, c.id).status == "started"


def test_the_lead_is_a_community_setting_and_no_agreed_time_means_no_guard(db, world, make_wish):
    world.ca.settings = {"service_start_early_minutes": 24 * 60}
    db.commit()
    wanted = (utcnow() + timedelta(hours=20)).replace(microsecond=0)
    w = make_wish("claimed", wanted_from=wanted)
    c = db.scalar(select(Claim).where(Claim.wish_id == w.id))
    claims.start(db, world.member, c.id, now=utcnow())
    w2 = make_wish("claimed", title="帮忙换灯泡")
    c2 = db.scalar(select(Claim).where(Claim.wish_id == w2.id))
    claims.start(db, world.member, c2.id)
    assert db.get(Claim, c2.id).status == "started"
