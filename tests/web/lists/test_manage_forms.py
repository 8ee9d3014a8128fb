"""The forms added in issue 29 §4: pause and resume a resource, close it for a day, amend a
signed project into a new version both sides sign."""
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import login
from tests.web.apilists import lists_objects
from webapp.models import Project, Resource, ResourceClosure


def _csrf_off(app):
    app.config["WTF_CSRF_ENABLED"] = False


def test_pause_resume_and_close_a_day(app, client, db, world):
    _csrf_off(app)
    ids = lists_objects(db, world)
    rid = ids["resource_id"]
    login(client, world.resident)
    assert client.post(f"/lists/resources/{rid}/pause").status_code == 403
    login(client, world.unit_admin)
    assert client.post(f"/lists/resources/{rid}/pause").status_code == 302
    assert db.scalar(select(Resource.active).where(Resource.id == rid)) is False
    page = client.get(f"/lists/resources/{rid}").text
    assert 'id="paused"' in page and "恢复开放" in page
    client.post(f"/lists/resources/{rid}/resume")
    assert db.scalar(select(Resource.active).where(Resource.id == rid)) is True
    bad = client.post(f"/lists/resources/{rid}/closures", data={"day": "明天", "reason": "x"})
    assert bad.status_code == 422 and 'id="err-day"' in bad.text
    assert db.scalar(select(func.count(ResourceClosure.id))) == 0
    ok = client.post(f"/lists/resources/{rid}/closures",
                     data={"day": ids["day"], "reason": "院内活动"})
    assert ok.status_code == 302
    page = client.get(f"/lists/resources/{rid}").text
    assert 'id="closures"' in page and "院内活动" in page


def test_amend_a_signed_project_both_sides_sign_the_new_version(app, client, db, world):
    _csrf_off(app)
    pid = lists_objects(db, world)["project_id"]
    login(client, world.member)
    assert client.get(f"/lists/projects/{pid}/amend").status_code == 403
    login(client, world.admin)
    assert 'id="amend-link"' in client.get(f"/lists/projects/{pid}").text
    form = client.get(f"/lists/projects/{pid}/amend")
    assert form.status_code == 200 and "专家义诊进社区" in form.text  # filled with the current version
    old = db.get(Project, pid)
    data = {"title": "专家义诊进社区（扩大）", "content": "义诊，加眼科", "starts_on": str(old.starts_on),
            "ends_on": str(old.ends_on + timedelta(days=7)), "rrule": old.rrule, "start": "09:00",
            "end": "11:00", "session_capacity": "30", "server_capacity": "3"}
    bad = client.post(f"/lists/projects/{pid}/amend", data={**data, "end": "08:00"})
    assert bad.status_code == 422 and db.scalar(select(func.count(Project.id))) == 1
    r = client.post(f"/lists/projects/{pid}/amend", data=data)
    new = db.scalar(select(Project).where(Project.previous_id == pid))
    assert r.status_code == 302 and (new.status, new.version) == ("draft", 2)
    assert client.post(f"/lists/projects/{pid}/amend", data=data).status_code == 409  # one pending
    client.post(f"/lists/projects/{new.id}/sign")
    login(client, world.unit_admin)
    client.post(f"/lists/projects/{new.id}/sign")
    db.expire_all()
    assert db.get(Project, new.id).status == "signed" and db.get(Project, pid).superseded
