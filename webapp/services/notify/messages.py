"""What each event says: the message table and the stored-note codec, in every language.

Both the notification writer (notify.py) and the delivery channels (channels.py, push.py) read
these; keeping them apart from `notify()` is what lets the channels not import their caller.
"""
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ...models import Notification, Wish

# event -> (title, body template). Bodies are short: they also become push messages.
MESSAGES = {
    "wish_approved": (_l("心愿已发布"), _l("您的心愿“{title}”已通过审核，志愿者可以认领了。")),
    "wish_rejected": (_l("心愿未通过审核"), _l("您的心愿“{title}”未通过审核：{note}")),
    "wish_claimed": (_l("心愿已被认领"), _l("志愿者已认领您的心愿“{title}”，会按约定时间联系您。")),
    "wish_started": (_l("服务已开始"), _l("志愿者已开始为您服务：“{title}”。")),
    "wish_done": (_l("请确认服务"), _l("“{title}”已完成，请确认并评价。")),
    # 代为登记: the grid worker who posted it confirms for a resident without a phone.
    "wish_done_on_behalf": (_l("请代居民确认服务"), _l("您代为登记的“{title}”已完成，请回访居民后代为确认。")),
    "claim_assigned": (_l("您有新的服务任务"), _l("单位为您安排了心愿“{title}”，请查看。")),
    "claim_dispatched": (_l("社区派单"), _l("社区请您承接心愿“{title}”，请接受或婉拒。")),
    "claim_released": (_l("认领已取消"), _l("心愿“{title}”的一位志愿者取消了认领，心愿已重新上架。")),
    "wish_withdrawn": (_l("心愿已撤回"), _l("居民撤回了心愿“{title}”，无需再上门。")),
    "wish_confirmed": (_l("服务已确认"), _l("居民确认了“{title}”的服务，评价 {note} 星。谢谢您！")),
    "wish_review_needed": (_l("有新心愿待审核"), _l("“{title}”等待社区审核。")),
    "claim_churn": (_l("志愿者频繁取消认领"),
                    _l("{note} 24 小时内取消认领已达上限，可能在批量查看居民联系方式，请核实。")),
    # No rating to report (auto-confirmed, or staff confirmed without one): never "评价 - 星".
    "wish_confirmed_unrated": (_l("服务已确认"), _l("“{title}”的服务已确认，时长已计入记录。谢谢您！")),
    "wish_auto_confirmed": (_l("服务已确认"), _l("“{title}”的服务已自动确认，时长已计入记录。谢谢您！")),
    "rating_changed": (_l("评价已修改"), _l("居民把“{title}”的评价改为 {note} 星。")),
    "wish_reconsidered": (_l("审核结果已撤销"), _l("社区撤销了对心愿“{title}”的审核结果，会重新审核：{note}")),
    # Sent by the job process (jobs/tasks.py).
    "reminder_before": (_l("服务提醒"), _l("您认领的“{title}”将于 {note} 开始，请按时到达。")),
    "wish_escalated": (_l("心愿无人认领"), _l("“{title}”发布 {note} 小时仍无人认领，请联系居民或协调志愿者。")),
    "wish_escalated_admin": (_l("心愿长时间无人认领"), _l("“{title}”发布 {note} 小时仍无人认领，请考虑派单。")),
    "confirm_overdue": (_l("请代为确认服务"), _l("“{title}”已完成 {note} 天，居民尚未确认，请回访后代为确认。")),
    "wish_expired": (_l("心愿已过期"), _l("您的心愿“{title}”到截止时间仍无人认领，已自动下架，可以重新发布。")),
    "skills_match": (_l("有适合您的心愿"), _l("您所在网格有新心愿“{title}”，和您的特长相符，欢迎认领。")),
    "daily_digest": (_l("今日待办"), _l("社区有 {note} 等待处理。")),
    "duty_reminder": (_l("半年服务提醒"), _l("{note}您还没有参加社区服务，请在半年结束前至少参加一次。")),
    # Resources and projects (services/lists): the title is in {note}, there is no wish.
    "booking_requested": (_l("有新的预约"), _l("{note}，请确认或婉拒。")),
    "booking_decided": (_l("预约结果"), _l("{note}")),
    "booking_cancelled": (_l("预约已取消"), _l("{note}")),
    "list_reminder": (_l("预约/活动提醒"), _l("{note}")),
    "session_changed": (_l("活动有变动"), _l("{note}")),
    "project_sign_needed": (_l("项目书待签订"), _l("“{note}”等待您方确认签订。")),
    # SMS channel (services/notify/channels.py) and the settings page's test button.
    "sms_budget_exceeded": (_l("今日短信额度已用完"), _l("本社区今天的 {note} 条短信已用完，之后只发送服务提醒、确认请求和重置密码短信。")),
    "push_test": (_l("测试通知"), _l("收到这条消息，说明这台手机的通知工作正常。")),
    # The job's whole-chain check (services/ledger/checks.py) found a changed ledger entry.
    "ledger_chain_broken": (_l("台账校验发现异常"), _l("全链校验发现台账第 {note} 条记录与哈希不符，可能被直接改动过，请打开“台账”核查并报告街道。")),
}

# Administration (issue 11): appointments, removals, password resets, moving house.
MESSAGES.update({
    "role_granted": (_l("您有新的职务"), _l("您已被任命为{note}。")),
    "role_removed": (_l("职务已变更"), _l("您已不再担任{note}。")),
    "password_reset": (_l("密码已重置"), _l("工作人员已为您重置密码，请用收到的临时密码登录并设置新密码。如非本人申请，请联系社区。")),
    "moved_house": (_l("住址已变更"), _l("社区已将您的住址变更为{note}。")),
    # Who hears what (issue 23 §7): every decision reaches the person it concerns.
    "registration_submitted": (_l("有新的报到待审批"), _l("{note}提交了报到，等待社区审批。")),
    "registration_approved": (_l("报到已通过"), _l("{note}已通过您的报到，欢迎参加社区服务。")),
    "registration_rejected": (_l("报到未通过"), _l("社区未通过您的报到：{note}")),
    "unit_member_named": (_l("有人填写了本单位"), _l("{note}填写的工作单位是本单位，请在“本单位党员与任务”中确认或谢绝。")),
    "registration_undone": (_l("报到审批已撤销"), _l("社区撤销了对您报到的审批，会重新审核：{note}")),
    "invitation": (_l("请确认一项邀请"), _l("{note}：请在“我的 · 邀请”中接受或谢绝。未经您同意，您的账号不会有任何变化。")),
    "invitation_accepted": (_l("邀请已接受"), _l("{note}，对方已接受邀请。")),
    "invitation_declined": (_l("邀请被谢绝"), _l("{note}，对方谢绝了邀请。")),
})

# 结对联户 and 双向评议 (services/pairing): counts or the year in {note}, there is no wish.
MESSAGES.update({
    "pairing_assigned": (_l("新的结对家庭"), _l("社区为您安排了 {note} 户结对家庭，请在“结对联户”中查看并走访。")),
    "visits_due": (_l("走访提醒"), _l("您还有 {note} 户结对家庭今年走访次数未达标，请在年底前完成。")),
    "evaluation_opened": (_l("双向评议已开始"), _l("社区 {note} 年度共驻共建双向评议已开始，请填写对社区的评价和单位履责报告。")),
})

# A resident's voice (issue 29 §2): "没办好" on a finished wish, and problems raised (反映问题).
MESSAGES.update({
    "wish_disputed": (_l("居民反映没办好"), _l("居民反映“{title}”没办好：{note}。请复核，复核前时长暂缓认定。")),
    "wish_disputed_volunteer": (_l("服务待复核"), _l("居民反映“{title}”没办好，社区会复核，复核前这次的时长暂缓认定。")),
    "dispute_upheld": (_l("复核结果"), _l("社区复核了“{title}”：服务属实。{note}")),
    "dispute_upheld_volunteer": (_l("复核结果"), _l("社区复核了“{title}”：服务属实，时长照常计入。")),
    "dispute_redo": (_l("复核结果"), _l("社区复核了“{title}”：将重新安排志愿者服务。{note}")),
    "dispute_redo_volunteer": (_l("复核结果"), _l("社区复核了“{title}”：这次服务不予认定，时长已冲销。{note}")),
    "complaint_raised": (_l("居民反映问题"), _l("{note}，请尽快答复。")),
    "complaint_answered": (_l("社区已答复"), _l("您反映的问题社区已答复：{note}")),
    "complaint_reopened": (_l("问题仍未解决"), _l("居民表示问题仍未解决：{note}")),
})


def freeze(value):
    """A note as stored in Notification.params: plain text stays text; a lazy `_l(msgid, **kw)`
    becomes {"m": msgid, "k": {...}} so that each reader gets it in their own language."""
    if isinstance(value, LazyString) and value._func is gettext and len(value._args) == 1:
        return {"m": str(value._args[0]),
                "k": {k: freeze(v) for k, v in value._kwargs.items()}}
    if isinstance(value, dict) and "m" in value:
        return value
    return "" if value is None else str(value)


def thaw(value) -> str:
    """A stored note in the current language (see `freeze`)."""
    if isinstance(value, dict):
        kw = {k: thaw(v) for k, v in (value.get("k") or {}).items()}
        try:
            return gettext(str(value.get("m", "")), **kw)
        except (KeyError, ValueError, TypeError):
            return str(value.get("m", ""))
    return "" if value is None else str(value)


def render(event: str, wish: Wish | None = None, note="") -> tuple[str, str]:
    """The (title, body) of an event's message in the current language."""
    title, body = MESSAGES[event]
    fields = {"title": wish.title if wish else "", "note": thaw(freeze(note))}
    return str(title), str(body).format(**fields)


def text(n: Notification) -> tuple[str, str]:
    """A stored notification's (title, body) in the current language; rows without params
    (written before they existed) or of an unknown event keep their stored text."""
    params = n.params
    if not isinstance(params, dict) or n.event not in MESSAGES:
        return n.title, n.body
    title, body = MESSAGES[n.event]
    fields = {"title": str(params.get("title") or ""), "note": thaw(params.get("note"))}
    try:
        return str(title), str(body).format(**fields)
    except (KeyError, IndexError, ValueError):
        return n.title, n.body


def text_in(n: Notification, locale: str | None) -> tuple[str, str]:
    """`text(n)` in a given locale (the job process pushes in the recipient's language)."""
    with force_locale(locale or "zh_CN"):
        return text(n)

# Records that leave the community (issue 26): an objection to a notice of honours ({note}: year).
MESSAGES.update({
    "honour_objection": (_l("荣誉公示收到异议"), _l("{note} 年度荣誉公示收到一条异议，请在“荣誉公示”中查看并核实。")),
})
