"""Sign-ins are revocable on the server: logout, deactivation and stale cookie formats cut a
copied session cookie on its very next request."""
from tests.conftest import PASSWORD, login
from webapp.extensions import db as _db
from webapp.models import User
from webapp.services.people import accounts
from webapp.services.people.sessions import end_sessions, parse_session_id
from webapp.services.wishes import privacy


def _copy_cookie(app, src):
    """A second client holding the same session cookie (a stolen or copied cookie)."""
    thief = app.test_client()
    cookie = src.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/me").status_code == 200


def test_logout_kills_a_copied_cookie(app, client, world):
    r = client.post("/login", data={"phone": world.resident.phone, "password": PASSWORD})
    assert r.status_code == 302
    thief = _copy_cookie(app, client)
    assert _signed_in(thief)
    client.post("/logout")
    assert not _signed_in(client)
    assert not _signed_in(thief)  # the same cookie, replayed after logout


def test_logout_ends_the_users_other_sessions_too(app, world):
    phone, laptop = app.test_client(), app.test_client()
    for c in (phone, laptop):
        c.post("/login", data={"phone": world.member.phone, "password": PASSWORD})
        assert _signed_in(c)
    phone.post("/logout")
    assert not _signed_in(laptop)
    laptop.post("/login", data={"phone": world.member.phone, "password": PASSWORD})
    assert _signed_in(laptop)  # signing in again works: a fresh generation


def test_end_sessions_cuts_cookies_and_tokens(app, client, db, world):
    login(client, world.member)
    token = accounts.issue_token(db, world.member)
    api = app.test_client()
    assert api.get("/api/v1/wishes", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert _signed_in(client)
    end_sessions(db, world.member.id)
    db.commit()
    assert not _signed_in(client)
    assert api.get("/api/v1/wishes", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_deleting_the_account_cuts_its_sessions(app, client, db, world):
    client.post("/login", data={"phone": world.resident2.phone, "password": PASSWORD})
    thief = _copy_cookie(app, client)
    privacy.delete_account(db, db.get(User, world.resident2.id))
    assert not _signed_in(thief)


def test_a_cookie_without_a_generation_is_refused(client, world):
    with client.session_transaction() as s:
        s["_user_id"], s["_fresh"] = str(world.resident.id), True  # the old format
    assert not _signed_in(client)
    with client.session_transaction() as s:
        s["_user_id"] = f"{world.resident.id}.7"  # a generation that was never issued
    assert not _signed_in(client)


def test_parse_session_id_takes_ascii_digits_only():
    assert parse_session_id("12.3") == (12, 3)
    for bad in ("12", "12.", ".3", "a.3", "١٢.3", "12.٣", "1" * 19 + ".0", "", "12.3.4"):
        assert parse_session_id(bad) is None, bad
