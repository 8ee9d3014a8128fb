"""Who may use which route: EXPECTED[endpoint][role] → "ok" | "deny" | "login".

ROUTE AUTHORS: when you add a route, add its endpoint here (every role), or
tests/web/house/test_permissions.py fails with "No EXPECTED entry ...". A URL parameter the test does
not know yet (by name: wish_id, claim_id, reg_id, …) needs a real object in the `ids` fixture
(tests/web/ids_world.py).

Outcomes: "ok" = allowed (2xx, a redirect that is not to the login page, or 409/422 because the
state or the body is wrong); "deny" = 403 or 404; "login" = 401 (API, htmx) or a redirect to
auth.login (web). Key "endpoint METHOD" overrides "endpoint" when GET and POST differ.

The world (tests/conftest.py `world`): every id belongs to community A (城西社区), grid 1:
a published wish (capacity 3) posted by `resident`, with an active claim by `member`; a pending
registration; a pending and an approved service record; a certificate of `member`; an export
job of `community_admin`; a notification of `resident`. `outsider` is admin_b of community B:
pages scoped to "my community" are "ok" for them (they see their own, empty, data), anything
naming one of A's ids is "deny". `other_street` is the staff of a SECOND street (its street
admin, admin of its community and worker of its grid, all in one account): like `outsider`, its
own pages are "ok" and anything of the first street's is "deny". Requests carry no body unless BODIES gives one, so a role the
body check would stop first still reaches the permission check.
"""
ROLES = ("anon", "resident", "member", "unit_admin", "grid_worker", "community_admin",
         "street_admin", "outsider", "other_street")
OUTCOMES = ("ok", "deny", "login")


def only(*allowed: str) -> dict:
    """Signed-in `allowed` roles may; every other role is refused; anonymous → log in."""
    assert set(allowed) <= set(ROLES[1:]), allowed
    return {r: "login" if r == "anon" else ("ok" if r in allowed else "deny") for r in ROLES}


PUBLIC = {r: "ok" for r in ROLES}
SIGNED_IN = only(*ROLES[1:])
ADMINS = only("community_admin", "outsider", "other_street")  # "my community" pages of community admins
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
    # Grid staff withdraw or edit only wishes they keep for a resident (代登记, no phone);
    # the world's wish is the resident's own.
    "api.withdraw_wish": only("resident"),
    "api.edit_wish": only("resident"),  # 409: the world's wish is already claimed
    "api.release_claim": only("member", "community_admin"),
    "api.accept_claim": only("member"),
    "api.decline_claim": only("member"),
    "api.start_claim": only("member"),
    "api.done_claim": only("member"),
    "api.create_import": only("community_admin", "street_admin", "outsider", "other_street"),  # 422 w/o kind
    "api.import_status": A_ADMIN,  # the requester's own import

    # --- main, auth, account ----------------------------------------------------------------
    "main.index": PUBLIC,  # a landing page, or a redirect to the role's home
    "main.me": SIGNED_IN,
    # A wish's service code (issue 24): shown by the resident or the grid's staff, scanned by a
    # claimer (`member` holds the active claim); a wrong code is a 404 for everyone.
    "main.service_code_page": only("resident", "grid_worker", "community_admin"),
    "main.service_code_live": only("resident", "grid_worker", "community_admin"),
    "main.scan_service_code": {r: "deny" for r in ROLES},
    "main.service_scan_page": only("member"),
    "main.service_scan_action": only("member"),
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
    "resident.new_wish": only("resident", "member", "grid_worker", "community_admin", "outsider",
                              "other_street"),
    "resident.new_resident": only("grid_worker", "community_admin", "outsider", "other_street"),
    "resident.sms_contact": only("grid_worker", "community_admin"),  # the resident's grid staff
    "resident.withdraw": only("resident"),
    "resident.edit_wish": only("resident"),
    "resident.rerate": only("resident", "grid_worker", "community_admin"),  # 409/422: not rated
    "admin.reconsider": A_ADMIN,  # 409: the world's wish is already claimed
    "resident.confirm_form": only("resident", "grid_worker", "community_admin"),

    # --- member -----------------------------------------------------------------------------
    "member.menu": SIGNED_IN,
    "member.orders": SIGNED_IN,
    "member.claim": only("member"),
    "member.unit_claim_form": only("unit_admin"),
    "member.unit": only("unit_admin"),
    "member.confirm_unit_member": only("unit_admin"),  # `member` named 区人民医院
    "member.decline_unit_member": only("unit_admin"),
    "member.release": only("member", "community_admin"),
    "member.start": only("member"),
    "member.accept": only("member"),
    "member.decline": only("member"),
    "member.done_form": only("member"),

    # --- admin ------------------------------------------------------------------------------
    "admin.registrations": ADMINS,
    "admin.approve_registration": A_ADMIN,
    "admin.reject_registration": A_ADMIN,
    "admin.undo_registration": A_ADMIN,
    "admin.review_queue": only("grid_worker", "community_admin", "street_admin", "outsider", "other_street"),
    "admin.wishes": only("grid_worker", "community_admin", "street_admin", "outsider", "other_street"),
    "admin.review_form": A_ADMIN,
    "admin.dispatch_form": A_ADMIN,
    "admin.settings": ADMINS,
    "admin.save_settings": ADMINS,
    "admin.add_category": ADMINS,
    "admin.save_category": A_ADMIN,

    # --- imports (Excel lists; grid workers register residents one by one instead) ---------
    "imports.index": only("community_admin", "street_admin", "outsider", "other_street"),
    "imports.upload": only("community_admin", "street_admin", "outsider", "other_street"),  # 422 w/o a file
    "imports.template": only("community_admin", "street_admin", "outsider", "other_street"),
    "imports.job": A_ADMIN,  # the requester's own import
    "imports.confirm": A_ADMIN,  # (a finished import: 409)
    "imports.retry": A_ADMIN,  # (not a stalled import: 409)
    "imports.errors": A_ADMIN,
    "imports.rejects": A_ADMIN,  # (an import with no bad rows: 409)

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
    "ledger.chain": ADMINS,  # the chain section alone, polled while a full check waits
    "ledger.duty_page": ADMINS,  # the whole list of members who have not served this half-year
    "ledger.tallies_page": ADMINS,
    "ledger.tallies_export": ADMINS,
    "ledger.ledger_export": ADMINS,
    "ledger.export_job": A_ADMIN,  # the requester's own job
    "ledger.export_file": A_ADMIN,
    "ledger.unit_report": only("unit_admin", "community_admin"),
    "ledger.unit_report_xlsx": only("unit_admin", "community_admin"),
    "ledger.street": only("street_admin", "other_street"),  # each their own street
    "ledger.street_export": only("street_admin", "other_street"),
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

# --- administration (issue 11): tree, staff, accounts, admin log -------------------------
# "My" pages (the tree, the staff list, people, the log) answer each admin with their own scope;
# anything naming one of street 1's nodes, grants or people is refused to every other street.
MY_ADMIN = only("community_admin", "street_admin", "outsider", "other_street")
A_STAFF = only("community_admin", "street_admin")  # changes one of community A's nodes/grants
A_PEOPLE = only("grid_worker", "community_admin", "street_admin")  # a resident of grid A1
EXPECTED.update({
    "api.create_org": A_STAFF,
    "api.update_org": A_STAFF,
    "api.list_staff": MY_ADMIN,
    "api.appoint_staff": A_STAFF,
    "api.remove_staff": A_STAFF,
    "api.reset_password": A_PEOPLE,
    "api.deactivate_user": A_PEOPLE,
    "api.reactivate_user": A_PEOPLE,
    "api.move_house": A_PEOPLE,
    "api.change_my_password": SIGNED_IN,
    "api.admin_log": MY_ADMIN,
    "account.change_password": SIGNED_IN,
    # Invitations (issue 20): one's own list; only the invited person answers (others: 404).
    "account.invitations": SIGNED_IN,
    "account.accept_invitation": only("member"),
    "account.decline_invitation": only("member"),
    "api.my_invitations": SIGNED_IN,
    "api.accept_invitation": only("member"),
    "api.decline_invitation": only("member"),
    "account.change_unit": only("member"),  # re-report with a new employer (members only)
    "staff.tree_page": MY_ADMIN,
    "staff.add_org": A_STAFF,
    "staff.update_org": A_STAFF,
    "staff.retire_building": A_STAFF,
    "staff.staff_page": MY_ADMIN,
    "staff.appoint": A_STAFF,
    "staff.remove": A_STAFF,
    "staff.people": only("grid_worker", "community_admin", "street_admin", "outsider",
                         "other_street"),
    "staff.person": A_PEOPLE,
    "staff.people_export": only("grid_worker", "community_admin", "street_admin", "outsider",
                                "other_street"),
    "staff.reset_password": A_PEOPLE,
    "staff.deactivate": A_PEOPLE,
    "staff.reactivate": A_PEOPLE,
    "staff.move_house": A_PEOPLE,
    "staff.log": MY_ADMIN,
    "staff.backlog_page": MY_ADMIN,  # 待办概览: each admin's own communities
    "api.backlog_figures": MY_ADMIN,
    # The development SMS provider's page (codes included): street admins, each their street's.
    "staff.dev_sms": only("street_admin", "other_street"),
})

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
BODIES.update({
    "api.create_org": {"kind": "grid", "name": "第三网格", "parent_id": "{community_id}"},
    "staff.add_org": {"kind": "grid", "name": "第三网格", "parent_id": "{community_id}"},
    "api.update_org": {"name": "第二网格（新）"},
    "staff.update_org": {"name": "第二网格（新）"},
    "api.appoint_staff": {"phone": "13700000088", "name": "新网格员", "role": "grid_worker",
                          "org_id": "{grid_id}"},
    "staff.appoint": {"phone": "13700000088", "name": "新网格员", "role": "grid_worker",
                      "org_id": "{grid_id}"},
    "staff.move_house": {"building_id": "{building_id}", "address": "5单元101"},
    "api.move_house": {"building_id": "{building_id}", "address": "5单元101"},
})


# --- lists (资源清单 · 项目清单): resources, bookings, projects, sessions ----------------------
# Fixture: a resource of `unit` (A) open tomorrow, a pending booking of `resident`, a project of
# unit × A signed by both sides with its sessions (`session_id` is the first).
A_VIEWERS = only("resident", "member", "unit_admin", "grid_worker", "community_admin",
                 "street_admin")
SIDES = only("unit_admin", "community_admin")  # the project's two sides
BOOKERS = only("resident", "member")  # holders of the resident role living in A
EXPECTED.update({
    "lists.index": SIGNED_IN,
    "lists.new_resource": only("unit_admin", "community_admin", "outsider", "other_street"),
    "lists.resource": only("resident", "member", "unit_admin", "grid_worker", "community_admin"),
    "lists.book": BOOKERS,
    "lists.resource_bookings": only("unit_admin"),
    "lists.my_bookings": SIGNED_IN,
    "lists.booking_action": only("unit_admin"),  # verb=confirm
    "lists.new_project": only("unit_admin", "community_admin", "outsider"),  # other_street: no unit there
    "lists.project": A_VIEWERS,
    "lists.project_action": SIDES,  # step=sign
    "lists.session_page": A_VIEWERS,
    "lists.session_action": BOOKERS,  # what=signup
    "lists.calendar_page": SIGNED_IN,
    "lists.feed": {r: "deny" for r in ROLES},  # a wrong secret is a 404 for everyone
    # On-site check-in (issue 24): the code for the runners, the scan for anyone who may see the
    # session (without a scan's ticket the tap only sends them back), 补录 for the community.
    "lists.session_code": SIDES,
    "lists.session_code_live": SIDES,
    "lists.scan_code": {r: "deny" for r in ROLES},  # not a live code: a 404 for everyone
    "lists.scan_page": A_VIEWERS,
    "lists.scan_action": A_VIEWERS,
    "lists.walk_in": SIDES,
    "lists.honour": only("community_admin"),
    "lists.insurance_register": ADMINS,  # the admin's own community's register (POST: 422)
    "lists.insurance_xlsx": only("community_admin"),
    "lists.session_place": SIDES,  # the venue's point for the fence (no body: 422 for runners)
    "lists.withdraw_geo_consent": SIGNED_IN,
    "api.list_resources": SIGNED_IN,
    "api.create_resource": SIDES,
    "api.book_resource": BOOKERS,
    "api.resource_bookings": only("unit_admin"),
    "api.my_bookings": SIGNED_IN,
    "api.confirm_booking": only("unit_admin"),
    "api.decline_booking": only("unit_admin"),
    "api.cancel_booking": only("resident", "grid_worker", "community_admin"),
    "api.attended_booking": only("unit_admin"),
    "api.no_show_booking": only("unit_admin"),
    "api.create_project": SIDES,
    "api.sign_project": SIDES,
    "api.terminate_project": SIDES,
    "api.project_sessions_list": A_VIEWERS,
    "api.signup_session": BOOKERS,
    "api.checkin_session": SIDES,
})
BODIES.update({
    "lists.book": {"date": "{day}", "start": "09:00"},
    "lists.honour": {"user_id": "{member_id}", "hours": "1", "reason": "忘带手机"},
    "api.create_resource": {"community_id": "{community_id}", "kind": "parking", "name": "车位二",
                            "slots": [{"weekday": 1, "start": "09:00", "end": "10:00"}]},
    "api.book_resource": {"date": "{day}", "start": "09:00"},
    "api.decline_booking": {"reason": "当天检修"},
    "api.create_project": {"community_id": "{community_id}", "unit_id": "{unit_id}",
                           "title": "健康讲座", "content": "讲座", "starts_on": "{day}",
                           "ends_on": "{day}", "rrule": "{rrule}", "start": "09:00",
                           "end": "10:00"},
    "api.terminate_project": {"reason": "医院搬迁"},
    "api.signup_session": {"as": "attendee"},
    "api.checkin_session": {"user_id": "{user_id}"},
})

# 结对联户 and 双向评议 (issue 14). The world: `member` is paired with resident2 (one visit), and
# 城西社区's 2025 round is open with 区人民医院 in it.
PAIRING_ADMINS = only("community_admin", "outsider", "other_street")
EXPECTED.update({
    "pairing.index": SIGNED_IN,
    "pairing.visit_form": only("member"),
    "pairing.visit_page": only("member", "community_admin"),
    "pairing.visit_wish": only("member"),
    "pairing.board_consent": only("member"),
    "pairing.manage": PAIRING_ADMINS,  # each admin their own community
    "pairing.coverage_page": PAIRING_ADMINS,  # 走访覆盖: each admin their own community
    "pairing.accept": PAIRING_ADMINS,  # 422: nothing ticked
    "pairing.end_pairing": A_ADMIN,  # 422: no reason
    "pairing.pair_manual": PAIRING_ADMINS,  # 422: no member chosen
    "pairing.end_many": PAIRING_ADMINS,  # 422: nothing ticked
    "pairing.care": only("grid_worker", "community_admin", "outsider", "other_street"),
    "pairing.set_care": only("grid_worker", "community_admin"),  # resident of grid 1
    "pairing.evaluations": SIGNED_IN,
    "pairing.open_evaluation": PAIRING_ADMINS,  # 422 without a body
    "pairing.evaluation": only("unit_admin", "community_admin", "street_admin"),
    "pairing.evaluation_score": A_ADMIN,  # 422: no unit chosen
    "pairing.evaluation_answer": only("unit_admin"),
    "pairing.evaluation_close": A_ADMIN,
    "pairing.evaluation_publish": A_ADMIN,  # 409: still open
    "pairing.evaluation_reopen": A_ADMIN,  # 409: still open
    "pairing.board_page": PUBLIC,
    "pairing.poster": PUBLIC,
    "api.create_pairings": A_ADMIN,
    "api.end_pairings": A_ADMIN,
    "api.pairing_suggestions": SIGNED_IN,  # 422 without ?community= (like api.list_resources)
    "api.pairing_coverage": SIGNED_IN,  # 422 without ?community=
    "api.my_households": SIGNED_IN,
    "api.create_visit": SIGNED_IN,  # 422: only one's own households (none without a body)
    "api.visit_wish": only("member"),
    "api.open_evaluation": A_ADMIN,
    "api.close_evaluation": A_ADMIN,
    "api.publish_evaluation": A_ADMIN,
    "api.reopen_evaluation": A_ADMIN,
})
BODIES.update({
    "pairing.evaluation_answer": {"unit_id": "{unit_id}", "support": 5},
    "api.create_pairings": {"member_id": "{member_id}", "household_ids": "{household_ids}"},
    "api.end_pairings": {"pairing_ids": "{pairing_ids}", "reason": "误操作"},
    "api.visit_wish": {"kind": "service", "title": "修水龙头", "category": "{category_id}",
                       "consent": True},
    "api.open_evaluation": {"community_id": "{community_id}", "year": 2024},
    "api.reopen_evaluation": {"reason": "更正"},
})

# Issue 22: sign-in by SMS code, recovery, activation (slips, invitations), phone change.
EXPECTED.update({
    "auth.login_code": PUBLIC,
    "auth.forgot": PUBLIC,
    "auth.activate_slip": PUBLIC,
    "auth.register_code": PUBLIC,
    "auth.change_phone": SIGNED_IN,
    "staff.activation_invite": A_PEOPLE,
    "staff.activation_slips": A_PEOPLE,
    "api.code_challenge": PUBLIC,
    "api.send_code": PUBLIC,
    "api.token_by_code": PUBLIC,
})

# Issue 25: WeChat. Off in the test settings (no app id), so its routes answer 404 to
# everyone; unbinding is the signed-in person's own act. tests/web/people/test_wechat_signin.py
# and tests/web/notify/test_wechat_message.py cover them with WeChat on.
EXPECTED.update({
    "auth.wechat_login": {r: "deny" for r in ROLES},
    "auth.wechat_back": {r: "deny" for r in ROLES},
    "auth.wechat_bind": {r: "deny" for r in ROLES},
    "auth.wechat_unbind": SIGNED_IN,
    "notifications.wechat_message": {r: "deny" for r in ROLES},
})
# Issue 26 §1-4: certificates in the official form, the seal, honours, the national export.
EXPECTED.update({
    "ledger.certificate_pdf": only("member", "community_admin"),  # as the certificate page
    "admin.save_seal": ADMINS,  # each admin's own community (422 without a file)
    "admin.remove_seal": ADMINS,
})
EXPECTED.update({
    "ledger.honours_page": ADMINS,  # each admin's own community
    "ledger.publish_honours": ADMINS,  # 422 without a year; 409 while A's notice runs
    "ledger.withdraw_honours": A_ADMIN,  # A's running notice (422 without a reason)
    "ledger.objection_form": PUBLIC,  # anyone who reads the board may object
    "ledger.notice_page": PUBLIC,  # a running notice's whole list (masked names)
    "ledger.object_honours": PUBLIC,
})
EXPECTED.update({
    "ledger.national_page": ADMINS,  # the national export: each admin's own community
    "ledger.national_export": ADMINS,
})
EXPECTED.update({
    "pairing.poster_pdf": PUBLIC,  # the board's A4 poster as a PDF (nothing personal)
})
# Issue 26 §5-6: 两步验证 (admins enrol; the sign-in's second step; a reset by the admin above).
EXPECTED.update({
    "auth.second_factor": SIGNED_IN,  # nothing to verify: a redirect onwards
    "account.mfa_page": SIGNED_IN,  # non-admins read that they need none
    "account.mfa_begin": only("community_admin", "street_admin", "outsider", "other_street"),
    "account.mfa_confirm": SIGNED_IN,  # 409/422: nothing being set up
    "staff.mfa_reset": A_PEOPLE,  # 409: the world's resident has none
})
# 安全与审计 (issue 26 §6): each street admin their own street's requirement and audit logs.
EXPECTED.update({
    "staff.security_page": only("street_admin", "other_street"),
    "staff.save_security": only("street_admin", "other_street"),
    "staff.audit_export": only("street_admin", "other_street"),
})
# 我的信息 (issue 26 §5): one's own; staff only for a resident WITHOUT a phone whom they cover
# (the world's resident has a phone: no staff may; the resident herself reads her own).
NOBODY = only("resident")
EXPECTED.update({
    "account.my_info": SIGNED_IN,
    "account.my_info_xlsx": SIGNED_IN,
    "account.correct_my_info": SIGNED_IN,  # 422 without a body
    "account.withdraw_consent": SIGNED_IN,  # 422 without a body
    "staff.person_data": NOBODY,
    "staff.person_data_xlsx": NOBODY,
    "staff.correct_person_data": NOBODY,
    "staff.withdraw_person_consent": NOBODY,
})
EXPECTED["api.my_info"] = SIGNED_IN  # 我的信息 over the API (issue 26 §5)
# Issue 29 §1: the points shop (爱心超市). The world's goods are listed in community A; the
# exchange is `member`'s reservation; `op` is "receive" (409 on listed goods, for its admin).
EXPECTED.update({
    "shop.index": SIGNED_IN,
    "shop.reserve": only("member"),  # the one exchanger of A (409 when short of points)
    "shop.cancel": only("member", "community_admin"),  # their own / the office
    "shop.my_code": only("member", "community_admin", "outsider", "other_street"),
    "shop.my_code_live": only("member", "community_admin", "outsider", "other_street"),
    "shop.offer": only("unit_admin"),
    "shop.scan": {r: "deny" for r in ROLES},  # not a live code: a 404 for everyone
    "shop.office": ADMINS,
    "shop.goods_action": A_ADMIN,
    "shop.member": A_ADMIN,
    "shop.hand_over": A_ADMIN,
    "shop.accounts_page": ADMINS,
    "shop.accounts_xlsx": ADMINS,
    "shop.goods_photo": SIGNED_IN,  # the world's goods have a photo
    "api.shop": SIGNED_IN,
    "api.reserve_goods": only("member"),
    "api.cancel_exchange": only("member", "community_admin"),
    "api.hand_over_exchange": A_ADMIN,
})

# Issue 29 §4: forms for pausing a resource, closing it for a day, amending a signed project.
EXPECTED.update({
    "lists.pause_resource": only("unit_admin"),  # the world's resource is the unit's
    "lists.resume_resource": only("unit_admin"),
    "lists.close_resource_day": only("unit_admin"),  # 422 without a day, after the check
    "lists.amend_project": SIDES,
    "pairing.evaluation_setup": A_ADMIN,  # the round's questionnaire and weights; others 404
})

# Issue 29 §2: a resident's voice (反映问题) and "没办好". The world's complaint is the resident's,
# about the published wish `member` claimed (no unit claim, no photo); /voice/new without
# ?kind=&id= names no service: 404 for everyone.
EXPECTED.update({
    "voice.new": only(),
    "voice.index": SIGNED_IN,
    "voice.detail": only("resident", "member", "community_admin"),
    "voice.answer_it": A_ADMIN,  # 422: no answer in the body
    "voice.close": only("resident"),  # 422: neither solved nor not
    "voice.photo": only(),  # the world's complaint has no photo
    "resident.dispute_wish": only("resident", "grid_worker", "community_admin"),  # 422 / 409
    "admin.settle_dispute": A_ADMIN,  # 422 / 409: the world's wish is not disputed
})

# Issue 29 §3: 为你推荐 (a member's ranked menu) and the weekly free times it reads.
EXPECTED.update({
    "member.foryou_page": SIGNED_IN,  # without a member role: the 报到 notice, no wishes
    "member.availability": SIGNED_IN,  # one's own profile
})

# Issue 29 §2 through the API: the world's complaint (the resident's, about `wish`) and wish.
EXPECTED.update({
    "api.create_complaint": SIGNED_IN,  # 422 without a body: the subject is checked after it
    "api.complaint_detail": only("resident", "member", "community_admin"),
    "api.answer_complaint": SIGNED_IN,  # 422 without a body; 403 for all but A's admin with one
    "api.close_complaint": SIGNED_IN,  # 422 without a body; 403 for all but the author with one
    "api.dispute_wish": SIGNED_IN,  # 422 without a reason; the service then asks the policy
    "api.settle_wish": SIGNED_IN,  # 422 without a decision
})
