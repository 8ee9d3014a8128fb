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
