"""The questionnaire screen: preview without saving, save, then locked after an answer."""
from tests.conftest import login
from webapp.services.pairing import evaluation as ev

from tests.unit.pairing.test_evaluation_setup import FORM


def test_preview_save_and_lock(app, client, db, world):
    app.config["WTF_CSRF_ENABLED"] = False
    r = ev.open_round(db, world.admin, world.ca.id, 2025)
    login(client, world.unit_admin)
    assert client.get(f"/pairing/evaluations/{r.id}/setup").status_code == 404
    login(client, world.admin)
    page = client.get(f"/pairing/evaluations/{r.id}/setup")
    assert page.status_code == 200 and 'id="preview-total"' in page.text
    assert 'id="setup-link"' in client.get(f"/pairing/evaluations/{r.id}").text
    pv = client.post(f"/pairing/evaluations/{r.id}/setup", data={**FORM, "do": "preview"})
    assert pv.status_code == 200 and "总分 87.5" in pv.text
    db.refresh(r)
    assert r.weights["satisfaction"] == 40  # a preview saves nothing
    bad = client.post(f"/pairing/evaluations/{r.id}/setup", data={**FORM, "w_delivery": "50",
                                                                   "do": "save"})
    assert bad.status_code == 422 and 'id="err-w_community"' in bad.text
    ok = client.post(f"/pairing/evaluations/{r.id}/setup", data={**FORM, "do": "save"})
    assert ok.status_code == 302
    db.refresh(r)
    assert r.weights["satisfaction"] == 30
    assert "参加 环保 活动" in client.get(f"/pairing/evaluations/{r.id}").text
    ev.score_unit(db, world.admin, r.id, world.unit.id, {"support": 80})
    locked = client.get(f"/pairing/evaluations/{r.id}/setup").text
    assert 'id="locked"' in locked and 'value="save"' not in locked
    assert client.post(f"/pairing/evaluations/{r.id}/setup",
                       data={**FORM, "do": "save"}).status_code == 409
