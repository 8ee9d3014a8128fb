"""schemathesis against /api/v1/openapi.json, in-process: no 5xx, responses match the schema.

A few generated examples per operation (valid and invalid bodies, odd ids and cursors), as a
community admin and as a member, on a world with wishes in several states.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance)

from webapp.services.people import accounts

EXAMPLES = 4
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.mark.slow
def test_api_fuzz_no_5xx_and_schema_conformance(app, db, world, make_wish):
    for status in ("published", "pending_review", "claimed", "closed"):
        make_wish(status)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    users = {"admin": world.admin, "member": world.member}
    failures, ran = [], 0
    for result in schema.get_all_operations():
        op = result.ok()
        # Fresh tokens per operation: DELETE /tokens/current revokes the one it is sent.
        tokens = {k: accounts.issue_token(db, u) for k, u in users.items()}
        for who, token in tokens.items():
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy())
            def run(case):
                response = case.call(headers={"Authorization": f"Bearer {token}",
                                              # the checks read the body as sent: plain JSON
                                              "Accept-Encoding": "identity"})
                case.validate_response(response, checks=CHECKS)

            try:
                run()
            except Exception as exc:  # noqa: BLE001 - gather every operation's failure
                failures.append(f"{op.method.upper()} {op.path} as {who}: "
                                f"{str(exc).strip()[:600]}")
            finally:
                db.rollback()
            ran += 1
    assert ran >= 20, ran  # the document lists the API, not a stub
    assert not failures, "\n\n".join(failures)
