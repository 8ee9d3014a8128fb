"""Idle sessions end: after IDLE_MINUTES without a request (staff: STAFF_IDLE_MINUTES) the
next request signs the browser out; background polls do not keep a session alive."""
import time

from tests.conftest import login


def _idle_for(client, seconds):
    with client.session_transaction() as s:
        s["seen"] = int(time.time()) - seconds


def test_staff_are_signed_out_after_their_shorter_idle_time(app, client, world):
    login(client, world.admin)
    assert client.get("/me").status_code == 200
    _idle_for(client, app.config["STAFF_IDLE_MINUTES"] * 60 + 5)
    r = client.get("/me")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert client.get("/me").status_code == 302  # signed out for good, not just redirected once


def test_a_resident_idle_as_long_stays_signed_in_until_their_own_limit(app, client, world):
    login(client, world.resident)
    client.get("/me")
    _idle_for(client, app.config["STAFF_IDLE_MINUTES"] * 60 + 5)
    assert client.get("/me").status_code == 200
    _idle_for(client, app.config["IDLE_MINUTES"] * 60 + 5)
    assert client.get("/me").status_code == 302


def test_activity_keeps_the_session_and_polls_do_not(app, client, world):
    login(client, world.grid_worker)
    limit = app.config["STAFF_IDLE_MINUTES"] * 60
    _idle_for(client, limit - 120)
    assert client.get("/me").status_code == 200  # a real request: the clock starts again
    with client.session_transaction() as s:
        assert time.time() - s["seen"] < 5
    _idle_for(client, limit - 120)
    assert client.get("/inbox/count", headers={"HX-Request": "true"}).status_code == 200
    with client.session_transaction() as s:
        assert time.time() - s["seen"] > limit - 125  # the bell's poll did not count
