"""Contact harvesting (issue 10 §4) and one masking rule for names on a wish (§17).

Contact appears exactly while a claim is active (claimed, started, done); a volunteer who keeps
releasing is refused new claims past the community's limit and flagged to the admin.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.web.apiutil import Api
from webapp.models import Claim, Notification, utcnow
from webapp.services.errors import Conflict
from webapp.services.people import community
from webapp.services.wishes import claims, present


def _limit(db, world, n):
    community.update(db, world.admin, world.ca.id, {"max_releases_per_day": str(n)})


def _harvest(db, make_wish, member, n):
    """Claim and release n wishes as `member` (what a harvesting loop does)."""
    for i in range(n):
        w = make_wish("published", title=f"心愿{i}号")
        (c,) = claims.claim(db, member, w.id)
        claims.release(db, member, c.id)


def test_churn_limit_refuses_claims_through_api_and_web(client, db, world, make_wish):
    _limit(db, world, 2)
    _harvest(db, make_wish, world.member, 2)
    w = make_wish("published", title="第三个心愿")
    r = Api(client, world.member).post(f"/wishes/{w.id}/claims", json={})
    assert r.status_code == 409 and r.json["error"]["code"] == "too_many_releases"
    assert "24 小时内已取消认领 2 次" in r.json["error"]["message"]
    login(client, world.member)
    r = client.post(f"/wishes/{w.id}/claim")
    assert r.status_code == 409 and "暂时不能认领" in r.get_data(as_text=True)
    assert db.scalar(select(Claim.id).where(Claim.wish_id == w.id)) is None
    # Another volunteer is not affected.
    assert Api(client, world.member2).post(f"/wishes/{w.id}/claims", json={}).status_code == 201


def test_only_releases_of_the_last_24_hours_count(db, world, make_wish):
    _limit(db, world, 2)
    past = utcnow() - timedelta(hours=25)
    for i in range(2):
        w = make_wish("published", title=f"旧心愿{i}")
        (c,) = claims.claim(db, world.member, w.id, now=past)
        claims.release(db, world.member, c.id, now=past)
    w = make_wish("published", title="今天的心愿")
    (c,) = claims.claim(db, world.member, w.id)  # yesterday's releases have expired
    claims.release(db, world.member, c.id)
    _harvest(db, make_wish, world.member, 1)
    with pytest.raises(Conflict) as exc:  # two today: the limit
        claims.claim(db, world.member, w.id)
    assert exc.value.code == "too_many_releases"


def test_churn_is_flagged_to_the_community_admin(client, db, world, make_wish):
    _limit(db, world, 3)
    _harvest(db, make_wish, world.member, 2)
    assert db.scalar(select(Notification).where(Notification.event == "claim_churn")) is None
    login(client, world.admin)
    assert f'data-churn-user="{world.member.id}"' not in client.get(
        "/admin/registrations").get_data(as_text=True)
    _harvest(db, make_wish, world.member, 1)  # the third release reaches the limit
    notes = db.scalars(select(Notification).where(Notification.event == "claim_churn")).all()
    assert [n.user_id for n in notes] == [world.admin.id]
    assert world.member.name in notes[0].body
    html = client.get("/admin/registrations").get_data(as_text=True)
    assert f'data-churn-user="{world.member.id}"' in html and "频繁取消认领" in html
    # Another community's admin sees no such flag.
    login(client, world.admin_b)
    assert f'data-churn-user="{world.member.id}"' not in client.get(
        "/admin/registrations").get_data(as_text=True)


def test_contact_appears_exactly_while_the_claim_is_active(client, db, world, make_wish):
    phone = world.resident.phone
    api = Api(client, world.member)
    w = make_wish("published")
    show = lambda: api.get(f"/wishes/{w.id}").json.get("contact")  # noqa: E731
    assert show() is None  # on the menu
    c = claims.dispatch(db, world.admin, w.id, member_id=world.member.id)
    assert show() is None  # offered, not yet accepted
    claims.answer_offer(db, world.member, c.id, accept=True)
    assert show()["phone"] == phone  # active
    claims.start(db, world.member, c.id)
    assert show()["phone"] == phone  # started
    claims.mark_done(db, world.member, c.id, 1)
    assert show()["phone"] == phone  # done, waiting for confirmation
    from webapp.services.wishes import wishes
    wishes.confirm(db, world.resident, w.id, 5)
    assert show() is None  # confirmed: the service is over
    w2 = make_wish("published", title="第二个")
    (c2,) = claims.claim(db, world.member, w2.id)
    assert api.get(f"/wishes/{w2.id}").json["contact"]["phone"] == phone
    claims.release(db, world.member, c2.id)
    assert api.get(f"/wishes/{w2.id}").json["contact"] is None


def test_same_viewer_sees_the_same_masking_in_claims_and_timeline(client, db, world, make_wish):
    w = make_wish("published", capacity=3)
    (c1,) = claims.claim(db, world.member, w.id)
    claims.claim(db, world.member2, w.id)
    claims.release(db, world.member, c1.id)  # the release event names 李志愿 in its note
    # member3 is an approved member of the community but no party to this wish.
    d = present.detail(db, w, world.member3, "web")
    text = repr(d["claims"]) + repr(d["events"])
    for full in (world.member.name, world.member2.name, world.resident.name):
        assert full not in text, full
    assert "张**" in repr(d["claims"]) and "张**" in repr(d["events"])
    assert "李**" in repr(d["events"])
    # Through the API and on the page alike.
    r = Api(client, world.member3).get(f"/wishes/{w.id}")
    assert world.member2.name not in r.get_data(as_text=True)
    login(client, world.member3)
    page = client.get(f"/wishes/{w.id}").get_data(as_text=True)
    assert world.member2.name not in page and world.member.name not in page
    # A party (the active volunteer) sees full names everywhere.
    d = present.detail(db, w, world.member2, "web")
    assert world.member2.name in repr(d["claims"]) and world.member.name in repr(d["events"])
