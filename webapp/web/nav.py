"""The bottom tab bar of each role (DESIGN §6): role → [(endpoint, label, icon text)].

Tabs whose endpoint is not registered yet are skipped at render time, so a blueprint can
land later without touching this file. Other engineers: add entries here additively.
"""
from flask_babel import lazy_gettext as _l

TABS = {
    "resident": [
        ("main.index", _l("首页"), "⌂"),
        ("resident.new_wish", _l("发心愿"), "＋"),
        ("resident.my_wishes", _l("我的心愿"), "☰"),
        ("notifications.inbox", _l("消息"), "✉"),
        ("main.me", _l("我的"), "☺"),
    ],
    "member": [
        ("member.menu", _l("心愿菜单"), "☰"),
        ("member.orders", _l("我的订单"), "✓"),
        ("notifications.inbox", _l("消息"), "✉"),
        ("main.me", _l("我的"), "☺"),
    ],
    "staff": [
        ("admin.review_queue", _l("审核"), "✎"),
        ("admin.wishes", _l("心愿"), "☰"),
        ("ledger.index", _l("台账"), "▤"),
        ("notifications.inbox", _l("消息"), "✉"),
        ("main.me", _l("我的"), "☺"),
    ],
    # Grid workers keep wishes for their residents: the list first, then 代为登记 (no review).
    "grid": [
        ("admin.wishes", _l("心愿"), "☰"),
        ("resident.new_wish", _l("代为登记"), "＋"),
        ("notifications.inbox", _l("消息"), "✉"),
        ("main.me", _l("我的"), "☺"),
    ],
    # The street compares its communities; it neither reviews nor dispatches.
    "street": [
        ("ledger.street", _l("各社区"), "▤"),
        ("admin.wishes", _l("心愿"), "☰"),
        ("notifications.inbox", _l("消息"), "✉"),
        ("main.me", _l("我的"), "☺"),
    ],
    "guest": [
        ("main.index", _l("首页"), "⌂"),
        ("main.me", _l("我的"), "☺"),
    ],
}

# primary_role() → which tab bar
ROLE_BAR = {
    "resident": "resident", "member": "member", "unit_admin": "member",
    "grid_worker": "grid", "community_admin": "staff", "street_admin": "street",
    "superadmin": "staff", "guest": "guest",
}

# Pages that belong to a tab without being its endpoint (the tab stays marked there).
ALSO_ACTIVE = {
    "resident.my_wishes": {"resident.confirm_form"},
    "resident.new_wish": {"resident.new_resident"},
    "admin.wishes": {"admin.review_queue"},
}

# Links on 我的 (/me) by role: the pages that have no tab of their own.
SHORTCUTS = {
    "member": [("ledger.me", _l("我的服务时长与星级")),
               ("account.change_unit", _l("更换工作单位（重新报到）")),
               ("notifications.settings", _l("通知设置"))],
    "unit_admin": [("member.unit", _l("本单位党员与任务")), ("ledger.unit", _l("本单位服务统计")),
                   ("notifications.settings", _l("通知设置"))],
    "grid_worker": [("resident.new_wish", _l("代居民登记心愿")),
                    ("resident.new_resident", _l("登记无手机居民")),
                    ("notifications.settings", _l("通知设置"))],
    "community_admin": [("admin.registrations", _l("报到审批")), ("ledger.tallies_page", _l("服务统计")),
                        ("ledger.certificates_page", _l("志愿服务证明")),
                        ("admin.settings", _l("社区设置")),
                        ("imports.index", _l("从 Excel 导入名单")),
                        ("notifications.settings", _l("通知设置"))],
    "street_admin": [("ledger.street", _l("各社区对比")), ("imports.index", _l("从 Excel 导入名单")),
                     ("notifications.settings", _l("通知设置"))],
    "resident": [("notifications.settings", _l("通知设置")), ("account.my_data", _l("下载我的数据"))],
}

# Personal data rights (个人信息保护法) for every role, last on 我的 (duplicates are dropped).
for _links in SHORTCUTS.values():
    _links += [("account.my_data", _l("下载我的数据")), ("account.delete_account", _l("注销账号"))]

# Administration (issue 11): the tree, staff, people's accounts and the admin log; and everyone's
# own password, before the personal data rights.
_ADMIN_LINKS = [("staff.tree_page", _l("网格架构")), ("staff.staff_page", _l("工作人员")),
                ("staff.people", _l("居民与账号")), ("staff.log", _l("管理日志"))]
SHORTCUTS["community_admin"][0:0] = _ADMIN_LINKS
SHORTCUTS["street_admin"][0:0] = _ADMIN_LINKS
SHORTCUTS["grid_worker"][0:0] = [("staff.people", _l("居民与账号"))]
for _role in ROLE_BAR:
    _links = SHORTCUTS.setdefault(_role, [])
    _at = next((i for i, (e, _x) in enumerate(_links) if e == "account.my_data"), len(_links))
    _links.insert(_at, ("account.change_password", _l("修改密码")))
# 服务清单 (resources and projects, services/lists) first on 我的 for everyone who uses it.
for _role in ("resident", "member", "unit_admin", "grid_worker", "community_admin"):
    SHORTCUTS[_role].insert(0, ("lists.index", _l("服务清单")))
# 结对联户 and 双向评议 (services/pairing): members' households, residents' paired member, the
# admin's pairings and coverage, grid staff's care tags; every community's rounds for the street.
for _role in ("resident", "member", "grid_worker", "community_admin"):
    SHORTCUTS[_role].insert(1, ("pairing.index", _l("结对联户")))
for _role in ("unit_admin", "community_admin", "street_admin"):
    SHORTCUTS[_role].insert(1, ("pairing.evaluations", _l("双向评议")))
# 待办概览 (issue 23 §8): what waits in each community, first on the admins' 我的.
for _role in ("community_admin", "street_admin"):
    SHORTCUTS[_role].insert(0, ("staff.backlog_page", _l("待办概览")))
# Issue 26 §6: admins' own 两步验证; the street's 安全与审计 (requirement, audit logs).
for _role in ("community_admin", "street_admin"):
    _links = SHORTCUTS[_role]
    _at = next((i for i, (e, _x) in enumerate(_links) if e == "account.change_password"),
               len(_links))
    _links.insert(_at + 1, ("account.mfa_page", _l("两步验证")))
SHORTCUTS["street_admin"].insert(SHORTCUTS["street_admin"].index(
    ("staff.log", _l("管理日志"))) + 1, ("staff.security_page", _l("安全与审计")))
# 我的信息 (issue 26 §5): everything held on me, to read, download, correct; before the JSON.
for _links in SHORTCUTS.values():
    _at = next((i for i, (e, _x) in enumerate(_links) if e == "account.my_data"), len(_links))
    _links.insert(_at, ("account.my_info", _l("我的信息")))
