"""Who may use which route: EXPECTED[endpoint][role] → "ok" | "deny" | "login".

ROUTE AUTHORS: when you add a route, add its endpoint here (every role), or
tests/web/test_permissions.py fails with "No EXPECTED entry ...". A URL parameter the test does
not know yet (by name: wish_id, claim_id, reg_id, …) needs a real object in its `ids` fixture.

Outcomes: "ok" = allowed (2xx, a redirect that is not to the login page, or 409/422 because the
state or the body is wrong); "deny" = 403 or 404; "login" = 401 (API, htmx) or a redirect to
auth.login (web). Key "endpoint METHOD" overrides "endpoint" when GET and POST differ.

The world (tests/conftest.py `world`): every id belongs to community A (城西社区), grid 1:
a published wish (capacity 3) posted by `resident`, with an active claim by `member`; a pending
registration; a pending and an approved service record; a certificate of `member`; an export
job of `community_admin`; a notification of `resident`. `outsider` is admin_b of community B:
pages scoped to "my community" are "ok" for them (they see their own, empty, data), anything
naming one of A's ids is "deny". Requests carry no body unless BODIES gives one, so a role the
body check would stop first still reaches the permission check.
"""
ROLES = ("anon", "resident", "member", "unit_admin", "grid_worker", "community_admin",
         "street_admin", "outsider")
OUTCOMES = ("ok", "deny", "login")


def only(*allowed: str) -> dict:
    """Signed-in `allowed` roles may; every other role is refused; anonymous → log in."""
    assert set(allowed) <= set(ROLES[1:]), allowed
    return {r: "login" if r == "anon" else ("ok" if r in allowed else "deny") for r in ROLES}


PUBLIC = {r: "ok" for r in ROLES}
SIGNED_IN = only(*ROLES[1:])
ADMINS = only("community_admin", "outsider")  # "my community" pages of community admins
A_ADMIN = only("community_admin")  # acts on one of community A's objects

EXPECTED = {
    # --- api (bearer tokens; /api/v1) -------------------------------------------------------
    "api.openapi": PUBLIC,
    "api.create_token": PUBLIC,
    "api.revoke_token": SIGNED_IN,
    "api.register": PUBLIC,
    "api.org_tree": PUBLIC,
    "api.categories": PUBLIC,
    "api.list_registrations": ADMINS,
    "api.approve_registration": A_ADMIN,
    "api.reject_registration": A_ADMIN,
    "api.list_wishes": SIGNED_IN,  # each sees what their roles scope (may be empty)
    "api.create_wish": only("resident", "member"),  # for oneself: holders of the resident role
    "api.wish_detail": only("resident", "member", "unit_admin", "grid_worker", "community_admin",
                            "street_admin"),
    "api.review_wish": A_ADMIN,
    "api.claim_wish": only("member"),  # empty body = for oneself; unit admins send member_ids
    "api.dispatch_wish": A_ADMIN,
    "api.confirm_wish": only("resident", "grid_worker", "community_admin"),
    "api.withdraw_wish": only("resident", "grid_worker", "community_admin"),
    "api.release_claim": only("member", "community_admin"),
    "api.accept_claim": only("member"),
    "api.decline_claim": only("member"),
    "api.start_claim": only("member"),
    "api.done_claim": only("member"),

    # --- main, auth, account ----------------------------------------------------------------
    "main.index": PUBLIC,  # a landing page, or a redirect to the role's home
    "main.me": SIGNED_IN,
    "main.preferences": SIGNED_IN,
    "main.wish_detail": only("resident", "member", "unit_admin", "grid_worker", "community_admin",
                             "street_admin"),
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.register": PUBLIC,
    "account.my_data": SIGNED_IN,
    "account.delete_account": SIGNED_IN,

    # --- resident ---------------------------------------------------------------------------
    "resident.my_wishes": SIGNED_IN,
    "resident.new_wish": only("resident", "member", "grid_worker", "community_admin", "outsider"),
    "resident.new_resident": only("grid_worker", "community_admin", "outsider"),
    "resident.sms_contact": only("grid_worker", "community_admin"),  # the resident's grid staff
    "resident.withdraw": only("resident", "grid_worker", "community_admin"),
    "resident.confirm_form": only("resident", "grid_worker", "community_admin"),

    # --- member -----------------------------------------------------------------------------
    "member.menu": SIGNED_IN,
    "member.orders": SIGNED_IN,
    "member.claim": only("member"),
    "member.unit_claim_form": only("unit_admin"),
    "member.unit": only("unit_admin"),
    "member.release": only("member", "community_admin"),
    "member.start": only("member"),
    "member.accept": only("member"),
    "member.decline": only("member"),
    "member.done_form": only("member"),

    # --- admin ------------------------------------------------------------------------------
    "admin.registrations": ADMINS,
    "admin.approve_registration": A_ADMIN,
    "admin.reject_registration": A_ADMIN,
    "admin.review_queue": only("grid_worker", "community_admin", "street_admin", "outsider"),
    "admin.wishes": only("grid_worker", "community_admin", "street_admin", "outsider"),
    "admin.review_form": A_ADMIN,
    "admin.dispatch_form": A_ADMIN,
    "admin.settings": ADMINS,
    "admin.save_settings": ADMINS,
    "admin.add_category": ADMINS,
    "admin.save_category": A_ADMIN,

    # --- notifications ----------------------------------------------------------------------
    "notifications.inbox": SIGNED_IN,
    "notifications.count": SIGNED_IN,
    "notifications.read": only("resident"),  # one's own notification only
    "notifications.read_all": SIGNED_IN,
    "notifications.settings": SIGNED_IN,
    "notifications.subscribe": SIGNED_IN,
    "notifications.unsubscribe": SIGNED_IN,
    "notifications.vapid_public_key": PUBLIC,
    # The ack token inside the push is the credential; without one every caller gets 404.
    "notifications.push_ack": {r: "deny" for r in ROLES},
    "notifications.send_test": SIGNED_IN,
    "notifications.test_status": only("resident"),  # one's own notification only
    # Tencent's callback carries SMS_CALLBACK_TOKEN; unset (as here) nobody gets in.
    "notifications.tencent_receipts": {r: "deny" for r in ROLES},

    # --- ledger -----------------------------------------------------------------------------
    "ledger.index": SIGNED_IN,  # admins get the queue, everyone else a redirect to their page
    "ledger.me": SIGNED_IN,
    "ledger.unit": only("unit_admin"),
    "ledger.approve": A_ADMIN,
    "ledger.adjust": A_ADMIN,
    "ledger.reject": A_ADMIN,
    "ledger.bulk_approve": A_ADMIN,  # with one of A's record ids
    "ledger.correct": A_ADMIN,
    "ledger.verify": ADMINS,
    "ledger.tallies_page": ADMINS,
    "ledger.tallies_export": ADMINS,
    "ledger.ledger_export": ADMINS,
    "ledger.export_job": A_ADMIN,  # the requester's own job
    "ledger.export_file": A_ADMIN,
    "ledger.unit_report": only("unit_admin", "community_admin"),
    "ledger.unit_report_xlsx": only("unit_admin", "community_admin"),
    "ledger.street": only("street_admin"),
    "ledger.street_export": only("street_admin"),
    "ledger.certificates_page": ADMINS,
    "ledger.issue_certificate": ADMINS,
    "ledger.certificate": only("member", "community_admin"),  # the holder and the issuer
    "ledger.verify_certificate": PUBLIC,  # the QR code's public page
    "ledger.revoke_certificate": A_ADMIN,  # the issuer only; the holder may not void it

    # --- pwa --------------------------------------------------------------------------------
    "pwa.service_worker": PUBLIC,
    "pwa.manifest": PUBLIC,
    "pwa.offline": PUBLIC,
    "pwa.csrf_token": PUBLIC,
}

# Sample bodies (JSON for the API, form fields for pages) for routes whose input check would
# otherwise answer 422 before the permission check. "{name}" is replaced by the fixture's id.
BODIES = {
    "api.create_wish": {"kind": "service", "title": "帮忙买菜", "category": "{category_id}"},
    "api.review_wish": {"decision": "approve"},
    "api.reject_registration": {"reason": "资料不全"},
    "api.confirm_wish": {"rating": 5},
    "api.done_claim": {"hours": 1},
    "ledger.adjust": {"hours": "1.5", "reason": "核实后调整"},
    "ledger.reject": {"reason": "不符合认定条件"},
    "ledger.correct": {"hours": "1", "reason": "更正录入错误"},
    "ledger.bulk_approve": {"record_ids": "{record_id}"},
    "ledger.revoke_certificate": {"reason": "出具有误"},
}
