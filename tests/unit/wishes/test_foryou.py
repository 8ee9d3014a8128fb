"""为你推荐: the ranking's order on a small world (docs/RANKING.md)."""
from datetime import timedelta

from webapp.models import utcnow
from webapp.services.wishes import claims, foryou


def _titles(db, me, now=None):
    return [r.title for r, _s, _why in foryou.ranked(db, db.merge(me), now=now)]


def test_skill_first_then_building_then_grid_and_one_line_why(db, world, make_wish):
    cats = world.categories
    make_wish("published", title="陪聊天", resident=world.resident2)          # grid 2
    make_wish("published", title="取快递", resident=world.resident)           # member's building
    make_wish("published", title="修理水龙头", category=cats["家电维修"].id,
              resident=world.resident2)                                         # a skill, grid 2
    world.member.skills = "维修、理发"
    db.commit()
    ranked = foryou.ranked(db, world.member)
    assert [r.title for r, _s, _y in ranked] == ["修理水龙头", "取快递", "陪聊天"]
    assert ranked[0][2] == ("skill", "维修") and ranked[1][2] == ("building", None)
    assert foryou.why_text(ranked[0][2]) == "和您的特长“维修”相符"


def test_a_long_unclaimed_wish_rises_and_a_busy_member_leans_on_waiting(db, world, make_wish):
    now = utcnow()
    make_wish("published", title="新心愿", resident=world.resident)       # same building: +20
    make_wish("published", title="老心愿", resident=world.resident2)
    later = now + timedelta(days=30)  # the old one has waited 30 days (capped at 14), so has the new
    # Both waited the cap: the building decides for a free member.
    assert _titles(db, world.member, later)[0] == "新心愿"
    old = make_wish("published", title="等了很久", resident=world.resident2)
    old.published_at = now - timedelta(days=13)
    db.commit()
    # 13 days of waiting beat the building's 20 only once the member is busy (load < 0.65).
    assert _titles(db, world.member, now)[0] == "新心愿"
    for i in range(3):
        w = make_wish("published", title=f"已认领{i}", resident=world.resident2)
        claims.claim(db, world.member, w.id)
    assert _titles(db, world.member, now)[0] == "等了很久"


def test_availability_and_past_services_of_the_kind(db, world, make_wish):
    tuesday_pm = utcnow().replace(hour=7, minute=0, second=0, microsecond=0)  # 15:00 Beijing
    while tuesday_pm.isoweekday() != 2 or tuesday_pm < utcnow():
        tuesday_pm += timedelta(days=1)
    make_wish("published", title="周二下午", resident=world.resident2,
              wanted_from=tuesday_pm, wanted_until=tuesday_pm + timedelta(hours=2))
    make_wish("published", title="周六上午", resident=world.resident2,
              wanted_from=tuesday_pm + timedelta(days=4, hours=-5),
              wanted_until=tuesday_pm + timedelta(days=4, hours=-3))
    world.member3.availability = ["2pm"]
    db.commit()
    assert _titles(db, world.member3)[0] == "周二下午"
    assert foryou.valid_slots(["7ev", "1am", "9xx", "1am"]) == ["1am", "7ev"]


def test_the_ranking_is_kept_until_a_wish_ticks_or_ends_and_is_then_worked_out_again(
        db, world, make_wish, monkeypatch):
    """The ranking is kept in the menu's cache while nothing it reads can change: the next
    instant a wish's days of waiting tick or its wanted time ends, it is worked out again, and
    every answer equals the one worked out without a cache."""
    from webapp.services.wishes.menu_cache import MenuCache
    now = utcnow().replace(microsecond=0)
    waiting = make_wish("published", title="等了两天", resident=world.resident2)
    make_wish("published", title="今晚要", resident=world.resident2,
              wanted_from=now + timedelta(hours=1), wanted_until=now + timedelta(hours=3))
    make_wish("published", title="随时都行", resident=world.resident2)
    waiting.published_at = now - timedelta(days=2, hours=1)  # 3 days (said so) in 23 hours
    db.commit()
    db.refresh(waiting)
    assert waiting.published_at == now - timedelta(days=2, hours=1)
    worked = []
    real = foryou._parts
    monkeypatch.setattr(foryou, "_parts", lambda *a: worked.append(1) or real(*a))
    cache = MenuCache(64)
    me = db.merge(world.member)

    def both(at):
        worked.clear()
        kept = foryou.page(db, me, now=at, cache=cache)[1]
        ranked_again = bool(worked)
        plain = foryou.page(db, me, now=at)[1]
        assert [(r.id, s, w) for r, s, w in kept] == [(r.id, s, w) for r, s, w in plain]
        return ranked_again, {r.title: w for r, _s, w in kept}

    new = ("new", None)
    assert both(now) == (True, {"等了两天": new, "今晚要": new, "随时都行": new})
    assert both(now + timedelta(hours=2))[0] is False  # nothing changed: kept
    # past its wanted end the evening wish is gone; then the other's third day begins
    assert both(now + timedelta(hours=3, seconds=1)) == (True, {"等了两天": new, "随时都行": new})
    assert both(now + timedelta(hours=23)) == (True, {"等了两天": ("waiting", 3), "随时都行": new})
    assert both(now + timedelta(hours=23, minutes=5))[0] is False
    claims.claim(db, world.member, waiting.id)  # a claim moves the versions: worked out again
    assert both(now + timedelta(hours=23, minutes=6)) == (True, {"随时都行": new})
