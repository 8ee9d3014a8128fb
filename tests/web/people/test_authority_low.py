"""The low findings of issue 20, each closed as a class: non-ASCII ids, searches that confirm
what the searcher may not see, resources opened across streets, a write on GET."""
import pytest

from tests.conftest import login
from tests.listsutil import make_resource
from webapp.services.errors import Invalid
from webapp.services.people import orgs as org_svc


@pytest.mark.parametrize("ack", ["١٢.abc", "²³.x", "１.ｘ", "12.\u00e9" * 3])
def test_push_ack_with_other_digits_is_a_plain_404(client, ack):
    r = client.post("/push/ack", json={"ack": ack})
    assert r.status_code == 404 and r.json["error"]["code"] == "ack_invalid"


def test_people_search_never_confirms_a_hidden_phone(client, db, world):
    """A grid worker does not cover a member of their grid: typing the member's phone finds
    nobody (it used to list the member, confirming whose number it is)."""
    login(client, world.grid_worker)
    page = client.get("/staff/people", query_string={"q": world.member.phone}).get_data(as_text=True)
    assert world.member.name not in page
    # By name the member is listed, without the phone; a covered resident by phone still is.
    page = client.get("/staff/people", query_string={"q": world.member.name}).get_data(as_text=True)
    assert world.member.name in page and world.member.phone not in page
    page = client.get("/staff/people", query_string={"q": world.resident.phone}).get_data(as_text=True)
    assert world.resident.name in page


def test_a_resource_opens_only_to_communities_of_its_street(db, world):
    far = org_svc.add_org(db, "street", "远街道")
    far_c = org_svc.add_org(db, "community", "远社区", far)
    db.commit()
    with pytest.raises(Invalid) as e:
        make_resource(db, world, name="跨街道车位", open_to=[far_c.id])
    assert "open_to" in e.value.fields
    assert make_resource(db, world, name="邻里车位", open_to=[world.cb.id]).open_to == [world.cb.id]


def test_texting_acts_are_limited_per_actor_and_per_number(app, client, db, world, monkeypatch):
    """SMS cost abuse (issue 20): resets to a chosen number, and appoint/remove cycles, stop at a
    clear 429 once the actor's hourly share or the number's daily share is reached."""
    from tests.web.apiutil import Api
    monkeypatch.setitem(app.config, "STAFF_TEXTING_ACTS_PER_HOUR", 2)
    gw = Api(client, world.grid_worker)
    assert gw.post(f"/users/{world.resident.id}/password-reset").status_code == 200
    assert gw.post(f"/users/{world.resident.id}/password-reset").status_code == 200
    r = gw.post(f"/users/{world.resident.id}/password-reset")
    assert r.status_code == 429 and r.json["error"]["code"] == "too_many_texting_acts"
    # Another actor, but the number already had its day's SMS.
    from webapp.models import Notification, Outbox, utcnow
    monkeypatch.setitem(app.config, "SMS_PER_NUMBER_DAILY", 1)
    n = Notification(user_id=world.resident.id, event="password_reset", title="t", body="b")
    db.add(n)
    db.flush()
    db.add(Outbox(notification_id=n.id, channel="sms", phone=world.resident.phone,
                  status="sent", created_at=utcnow()))
    db.commit()
    r = Api(client, world.admin).post(f"/users/{world.resident.id}/password-reset")
    assert r.status_code == 429 and r.json["error"]["code"] == "number_daily_limit"


def test_a_push_test_never_falls_back_to_sms(app, db, world, monkeypatch):
    """A person without working push asks for a test: it must not turn into a paid SMS."""
    from webapp.services.notify import channels
    from webapp.services.notify.recipients import Recipients
    from webapp.models import utcnow
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "aliyun")
    monkeypatch.setitem(app.config, "SMS_ACCESS_KEY_ID", "id")
    monkeypatch.setitem(app.config, "SMS_ACCESS_KEY_SECRET", "secret")
    monkeypatch.setitem(app.config, "SMS_TEMPLATES", {e: {"code": "SMS_1", "params": {}}
                                                      for e in ("push_test", "wish_claimed")})
    now = utcnow()
    known = Recipients(db, [world.resident.id])
    assert channels.context(db, [world.resident.id], "push_test", None, now, known) is None
    assert channels.context(db, [world.resident.id], "wish_claimed", None, now, known) is not None
    assert "password_reset" not in channels.OVER_BUDGET_EVENTS  # resets count in the budget
