"""What the database holds on a person, table by table: every foreign key to `users` is named
here once, as a record about the person (SUBJECT: shown and exported), an act the person did on
someone else's record as staff or volunteer (ACTOR: counted, kept in the logs), or pure
plumbing (PLUMBING). tests/unit/rights/test_catalogue.py introspects the metadata, so a new
table with a user column fails until it is named here.
"""
from flask_babel import lazy_gettext as _l

# (table, user column) → (section title, how the row concerns the person, columns shown).
SUBJECT = {
    ("role_grants", "user_id"): (_l("身份与职务"), _l("本人"), ("role", "org_id", "active",
                                                               "created_at")),
    ("registrations", "user_id"): (_l("报到"), _l("本人"), ("kind", "community_id", "unit_id",
                                                          "status", "reason", "created_at",
                                                          "decided_at")),
    ("wishes", "resident_id"): (_l("心愿"), _l("我的心愿"), (
        "title", "description", "kind", "status", "on_behalf", "building_id", "created_at",
        "done_at", "rating", "comment")),
    ("claims", "volunteer_id"): (_l("认领"), _l("我认领的"), (
        "wish_id", "status", "via", "hours", "created_at", "started_at", "done_at",
        "released_at")),
    ("service_records", "volunteer_id"): (_l("服务记录"), _l("我提供的服务"), (
        "wish_id", "session_id", "hours", "service_date", "rating", "approval", "basis",
        "confirmed_at")),
    ("ledger_entries", "volunteer_id"): (_l("服务时长台账"), _l("我的时长"), (
        "seq", "community_id", "wish_id", "service_date", "hours", "points", "kind", "reason",
        "created_at")),
    ("certificates", "volunteer_id"): (_l("志愿服务证明"), _l("开给我的"), (
        "number", "community_id", "period_from", "period_to", "hours", "issued_at",
        "revoked_at")),
    ("bookings", "user_id"): (_l("预约"), _l("我的预约"), ("resource_id", "starts_at", "ends_at",
                                                       "status", "rating", "comment",
                                                       "created_at")),
    ("session_signups", "user_id"): (_l("活动报名与签到"), _l("我的报名"), (
        "session_id", "role", "present", "hours", "checked_in_at", "checked_out_at",
        "in_distance_m", "created_at")),
    ("insurance_policies", "user_id"): (_l("保险登记"), _l("我的保险"), (
        "insurer", "number", "covers_from", "covers_to", "created_at")),
    ("pairings", "member_id"): (_l("结对联户"), _l("我作为党员结对"), (
        "household_id", "community_id", "status", "created_at", "ended_at", "reason")),
    ("pairings", "household_id"): (_l("结对联户"), _l("结对到我家"), (
        "member_id", "community_id", "status", "created_at", "ended_at", "reason")),
    ("visits", "member_id"): (_l("走访"), _l("我去走访"), ("household_id", "visited_on", "kind",
                                                       "note", "needs")),
    ("visits", "household_id"): (_l("走访"), _l("来我家走访"), ("member_id", "visited_on", "kind",
                                                          "note", "needs")),
    ("care_tags", "household_id"): (_l("关爱标记（敏感）"), _l("我家"), ("tag", "community_id",
                                                                 "set_by_id", "at")),
    ("disclosures", "resident_id"): (_l("谁看过我的联系方式"), _l("我的手机号和住址"), (
        "viewer_id", "reason", "wish_id", "booking_id", "pairing_id", "channel", "at")),
    ("admin_log", "target_user_id"): (_l("对我账号的管理操作"), _l("对我"), (
        "at", "kind", "actor_id", "summary")),
    ("invitations", "user_id"): (_l("邀请"), _l("发给我的"), ("kind", "org_id", "status",
                                                          "invited_by_id", "created_at",
                                                          "decided_at")),
    ("notifications", "user_id"): (_l("消息"), _l("发给我的"), ("title", "body", "created_at",
                                                            "read_at")),
    ("notification_preferences", "user_id"): (_l("通知设置"), _l("我的设置"), (
        "muted_events", "quiet_start", "quiet_end", "skills_match", "sms_off_events",
        "updated_at")),
    ("push_subscriptions", "user_id"): (_l("接收推送的设备"), _l("我的设备"), (
        "user_agent", "created_at", "last_success_at")),
    ("board_consents", "user_id"): (_l("同意事项"), _l("同意在光荣榜展示（姓名打码）"), ("at",)),
    ("calendar_feeds", "user_id"): (_l("日历订阅"), _l("我的订阅"), ("created_at",)),
    ("api_tokens", "user_id"): (_l("登录令牌"), _l("我的令牌"), ("created_at", "expires_at")),
    ("projects", "responsible_id"): (_l("共建项目"), _l("我是负责人"), (
        "title", "community_id", "unit_id", "status", "starts_on", "ends_on")),
    ("complaints", "author_id"): (_l("反映的问题"), _l("我反映的"), (
        "community_id", "wish_id", "booking_id", "session_id", "visit_id", "anonymous", "text",
        "status", "answer", "created_at", "first_answer_at", "settled_at")),
    ("honour_items", "volunteer_id"): (_l("荣誉公示"), _l("公示中有我"), (
        "notice_id", "kind", "stars", "hours", "certificate_id")),
    ("shop_exchanges", "member_id"): (_l("爱心超市兑换"), _l("我兑换的"), (
        "community_id", "goods_id", "points", "status", "created_at", "handed_at")),
}

# Acts done to someone else's record (as staff, volunteer or system): the record belongs to the
# other person; what the actor did is in the admin log and the records' timelines.
ACTOR = {
    ("users", "sms_contact_by_id"), ("users", "unit_confirmed_by_id"),
    ("admin_log", "actor_id"), ("certificates", "issued_by_id"),
    ("certificates", "revoked_by_id"), ("evaluation_rounds", "opened_by_id"),
    ("export_jobs", "requested_by_id"), ("import_jobs", "requested_by_id"),
    ("ledger_checks", "requested_by_id"),
    ("insurance_policies", "recorded_by_id"), ("invitations", "invited_by_id"),
    ("pairings", "created_by_id"), ("projects", "created_by_id"),
    ("projects", "community_signed_by_id"), ("projects", "unit_signed_by_id"),
    ("registrations", "decided_by_id"), ("resources", "created_by_id"),
    ("role_grants", "granted_by_id"), ("wishes", "posted_by_id"), ("claims", "claimed_by_id"),
    ("evaluation_events", "actor_id"), ("pairing_events", "actor_id"),
    ("project_events", "actor_id"), ("wish_events", "actor_id"),
    ("booking_events", "actor_id"), ("record_reviews", "actor_id"),
    ("service_records", "confirmed_by_id"), ("session_signups", "checked_in_by_id"),
    ("session_signups", "checked_out_by_id"), ("visit_wishes", "recorded_by_id"),
    ("bookings", "booked_by_id"), ("ledger_entries", "actor_id"), ("care_tags", "set_by_id"),
    ("disclosures", "viewer_id"), ("community_seals", "uploaded_by_id"),
    ("complaint_events", "actor_id"), ("complaints", "answered_by_id"),
    ("honour_notice_events", "actor_id"), ("honour_notices", "created_by_id"),
    ("shop_exchange_events", "actor_id"), ("shop_exchanges", "handed_by_id"),
    ("shop_goods", "offered_by_id"), ("shop_goods_events", "actor_id"),
}

# Pure plumbing, with the reason it is not shown.
PLUMBING = {
    ("signin_codes", "user_id"): "one-time codes, only their hashes, dead within minutes",
    ("reminders", "user_id"): "the job process's timers for messages (which are exported)",
    ("wechat_bindings", "user_id"): "the WeChat openid per 公众号: shown to nobody (the account "
                                    "page says whether WeChat is bound), deleted with the account",
    ("ledger_totals", "volunteer_id"): "the sum of the person's ledger lines per community (the "
                                       "lines themselves are exported), kept like them",
    ("ledger_points", "volunteer_id"): "the person's points per community and month, summed "
                                       "from the ledger lines (which are exported), kept like them",
    ("ledger_services", "volunteer_id"): "the person's services and net hours per community and "
                                         "month, counted from the ledger lines (which are "
                                         "exported), kept like them",
    ("shop_accounts", "member_id"): "the person's points balance per community, replayed from "
                                    "the ledger lines and exchanges (both exported), kept",
    ("shop_lapses", "member_id"): "when the person's points lapsed, replayed from the ledger "
                                  "lines and exchanges (both exported), kept",
}

# Rows deleted when the person erases the account (the rest stay, under the pseudonym).
ERASE_DELETE = ("notifications", "push_subscriptions", "notification_preferences",
                "api_tokens", "calendar_feeds", "board_consents", "reminders", "signin_codes",
                "wechat_bindings")

# The profile sheet: columns of `users` shown to the person (secrets and counters never).
PROFILE = ("name", "phone", "address", "building_id", "unit_id", "skills", "volunteer_no",
           "created_at", "activated_at", "phone_verified_at", "sms_contact_name",
           "sms_contact_phone", "sms_contact_consent_at", "geo_consent_at", "elder_mode",
           "locale", "totp_enabled_at", "sensitive_consent_at", "availability")

HEADERS = {
    "name": _l("姓名"), "phone": _l("手机号"), "address": _l("门牌/地址"), "building_id": _l("楼栋"),
    "unit_id": _l("单位"), "skills": _l("特长"), "volunteer_no": _l("志愿者编号"),
    "created_at": _l("创建时间"), "activated_at": _l("首次登录"),
    "phone_verified_at": _l("手机号验证时间"), "sms_contact_name": _l("代收短信的亲友"),
    "sms_contact_phone": _l("亲友手机号"), "sms_contact_consent_at": _l("同意代收短信的时间"),
    "geo_consent_at": _l("同意签到使用位置的时间"), "elder_mode": _l("长辈模式"),
    "locale": _l("语言"), "totp_enabled_at": _l("开启两步验证的时间"), "role": _l("身份"),
    "org_id": _l("所在组织"), "active": _l("有效"), "kind": _l("类型"),
    "community_id": _l("社区"), "status": _l("状态"), "reason": _l("原因"),
    "decided_at": _l("处理时间"), "title": _l("标题"), "description": _l("说明"),
    "on_behalf": _l("代为登记"), "done_at": _l("完成时间"), "rating": _l("评分"),
    "comment": _l("评价"), "wish_id": _l("心愿编号"), "via": _l("方式"), "hours": _l("时长（小时）"),
    "started_at": _l("开始时间"), "released_at": _l("取消时间"), "session_id": _l("活动场次编号"),
    "service_date": _l("服务日期"), "approval": _l("审核"), "basis": _l("依据"),
    "confirmed_at": _l("确认时间"), "seq": _l("台账序号"), "points": _l("积分"),
    "number": _l("编号"), "period_from": _l("起始日期"), "period_to": _l("截止日期"),
    "issued_at": _l("开具时间"), "revoked_at": _l("作废时间"), "resource_id": _l("资源编号"),
    "starts_at": _l("开始"), "ends_at": _l("结束"), "present": _l("到场"),
    "checked_in_at": _l("签到时间"), "checked_out_at": _l("签退时间"),
    "in_distance_m": _l("签到时离场地的距离（米）"), "insurer": _l("保险公司"),
    "covers_from": _l("保障开始"), "covers_to": _l("保障结束"), "household_id": _l("结对户"),
    "ended_at": _l("结束时间"), "member_id": _l("结对党员"), "visited_on": _l("走访日期"),
    "note": _l("记录"), "needs": _l("需求"), "tag": _l("标记"), "set_by_id": _l("标记人"),
    "at": _l("时间"), "viewer_id": _l("查看人"), "booking_id": _l("预约编号"),
    "pairing_id": _l("结对编号"), "channel": _l("渠道"), "actor_id": _l("操作人"),
    "summary": _l("内容"), "invited_by_id": _l("邀请人"), "body": _l("内容"),
    "read_at": _l("已读时间"), "muted_events": _l("不接收的消息"), "quiet_start": _l("免打扰开始"),
    "quiet_end": _l("免打扰结束"), "skills_match": _l("按特长推荐"),
    "sms_off_events": _l("不发短信的消息"), "updated_at": _l("更新时间"),
    "user_agent": _l("设备"), "last_success_at": _l("最近送达"), "expires_at": _l("到期时间"),
    "sensitive_consent_at": _l("同意保存敏感信息的时间"), "starts_on": _l("开始日期"), "ends_on": _l("结束日期"),
    "visit_id": _l("走访编号"), "anonymous": _l("对志愿者匿名"), "text": _l("内容"),
    "answer": _l("社区答复"), "first_answer_at": _l("首次答复时间"), "settled_at": _l("办结时间"),
    "notice_id": _l("公示编号"), "stars": _l("星级"), "certificate_id": _l("证明编号"),
    "goods_id": _l("物品编号"), "handed_at": _l("领取时间"), "availability": _l("每周有空的时间"),
}

# Columns of `users` when the person erases the account: cleared (None), or kept with a reason.
# A new column must be put in one of the two (tests/unit/rights/test_personal_data.py).
USER_ERASED = ("phone", "address", "skills", "volunteer_no", "locale", "password_hash",
               "password_expires_at", "sms_contact_phone", "sms_contact_name",
               "sms_contact_consent_at", "sms_contact_by_id", "geo_consent_at",
               "sensitive_consent_at", "sms_bad_number", "totp_secret", "totp_enabled_at",
               "totp_last_step", "phone_verified_at", "unit_confirmed_by_id", "availability")
USER_KEPT = {
    "id": "the anonymous holder of the hours (the ledger hashes this id, never a name)",
    "name": "replaced by the pseudonym 已注销用户",
    "active": "set to false: nobody signs in as it again",
    "building_id": "where the hours were served, for the community's tallies",
    "community_id": "the building's community (kept with building_id)",
    "unit_id": "the unit the hours counted for", "unit_confirmed_at": "as unit_id",
    "elder_mode": "a display preference, not personal", "session_gen": "bumped: sessions end",
    "must_change_password": "a flag", "created_at": "when the record began",
    "activated_at": "a date, not identifying", "is_demo": "a flag",
}
