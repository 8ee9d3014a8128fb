"""The permission matrix: every rule of the URL map × every role → the outcome in EXPECTED.

Rules come from `app.url_map` at collection time, so a new route without an entry in
tests/web/permission_matrix.py fails here. Each rule runs against the `ids` world
(tests/web/ids_world.py, put back before each test); the roles expected to be refused go first,
and a refused request must not write anything.
"""
from urllib.parse import urlsplit

import pytest

from tests.web.ids_world import RULES, _body, _request, _url, _written
from tests.web.permission_matrix import BODIES, EXPECTED, OUTCOMES, ROLES


def _expected(endpoint: str, method: str, rule: str) -> dict:
    entry = EXPECTED.get(f"{endpoint} {method}") or EXPECTED.get(endpoint)
    if entry is None:
        pytest.fail(f"No EXPECTED entry for {endpoint} ({method} {rule}): add it to "
                    "tests/web/permission_matrix.py with an outcome for every role.")
    missing = [r for r in ROLES if r not in entry]
    assert not missing, f"EXPECTED[{endpoint!r}] lacks roles {missing}"
    assert set(entry.values()) <= set(OUTCOMES), entry
    return entry


def _outcome(resp, api: bool) -> str:
    code = resp.status_code
    if code == 401:
        return "login"
    if 300 <= code < 400:
        target = urlsplit(resp.headers.get("Location", "")).path
        return "login" if (not api and target.rstrip("/") == "/login") else "ok"
    if code in (403, 404):
        return "deny"
    if 200 <= code < 300 or code in (409, 422):
        return "ok"
    return f"status {code}"


@pytest.mark.parametrize("method,rule,endpoint,args", RULES,
                         ids=[f"{m} {r}" for m, r, _e, _a in RULES])
def test_permission_matrix(app, db, ids, method, rule, endpoint, args):
    expected = _expected(endpoint, method, rule)
    url = _url(rule, args, ids.values)
    api = rule.startswith("/api/")
    body = _body(endpoint, method, ids.values)
    # Refusals first, on a pristine world; then the allowed roles (409/422 still count as ok).
    order = sorted(ROLES, key=lambda r: expected[r] == "ok")
    wrong = []
    for role in order:
        # Refused roles go first, so each starts from the world as restored: what `_written`
        # counted once when it was built (a refused role that wrote is caught as it writes).
        before = ids.pristine if expected[role] != "ok" else None
        resp = _request(app, method, url, role, ids.users, api, body)
        got = _outcome(resp, api)
        if got != expected[role]:
            wrong.append(f"{role}: expected {expected[role]}, got {got} ({resp.status_code})")
        elif before is not None and _written(db) != before:
            wrong.append(f"{role}: refused ({resp.status_code}) but data changed")
    assert not wrong, f"{method} {rule} [{endpoint}]:\n  " + "\n  ".join(wrong)


def test_a_route_without_an_entry_fails_with_a_hint():
    with pytest.raises(pytest.fail.Exception, match="add it to tests/web/permission_matrix.py"):
        _expected("newbp.new_page", "GET", "/new")
    with pytest.raises(pytest.fail.Exception, match="add them to the `ids` fixture"):
        _url("/things/<int:thing_id>", ["thing_id"], {"wish_id": 1})


def test_no_stale_entries():
    """Every EXPECTED/BODIES key names a live endpoint (renamed routes must move their entry)."""
    live = {e for _m, _r, e, _a in RULES} | {f"{e} {m}" for m, _r, e, _a in RULES}
    stale = sorted((set(EXPECTED) | set(BODIES)) - live)
    assert not stale, f"remove or rename in tests/web/permission_matrix.py: {stale}"
