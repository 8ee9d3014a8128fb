"""The wish state machine: the one transition table and the one function that applies it.

Every status change of a wish goes through `move()`, the kernel's compare-and-set UPDATE (so
two concurrent actors cannot both move the same wish) plus a WishEvent in the same transaction.
"""
from flask_babel import lazy_gettext as _l

from ...models import Wish, WishEvent
from ..kernel import Machine

STATUSES = (
    "draft", "pending_review", "published", "claimed", "in_service", "done",
    "confirmed", "closed", "rejected", "withdrawn", "expired", "disputed",
)

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    "submit": (frozenset({"draft"}), "pending_review"),
    "approve": (frozenset({"pending_review"}), "published"),
    "auto_publish": (frozenset({"pending_review"}), "published"),
    "reject": (frozenset({"pending_review"}), "rejected"),
    "fill": (frozenset({"published"}), "claimed"),
    "reopen": (frozenset({"claimed", "in_service"}), "published"),
    "start": (frozenset({"published", "claimed"}), "in_service"),
    "finish": (frozenset({"in_service"}), "done"),
    "confirm": (frozenset({"done"}), "confirmed"),
    "auto_confirm": (frozenset({"done"}), "confirmed"),
    "close": (frozenset({"confirmed"}), "closed"),
    "withdraw": (frozenset({"draft", "pending_review", "published", "claimed"}), "withdrawn"),
    "expire": (frozenset({"published"}), "expired"),
    # The resident fixes a rejected wish and sends it again (the edit is on the timeline).
    "resubmit": (frozenset({"rejected"}), "pending_review"),
    # An edited published wish in a reviewed category goes back to the reviewer.
    "send_back": (frozenset({"published"}), "pending_review"),
    # The community admin takes back an approval or a rejection made by mistake.
    "reconsider": (frozenset({"published", "rejected"}), "pending_review"),
    # "没办好": the resident reopens a finished wish within the window; the community reviews it
    # with the hours held (services/wishes/dispute.py), then keeps the service or voids it.
    "dispute": (frozenset({"confirmed", "closed"}), "disputed"),
    "uphold": (frozenset({"disputed"}), "closed"),
    "redo": (frozenset({"disputed"}), "published"),
}

# Plain words for each state (status chips, timelines); colour is never the only signal.
STATUS_LABELS = {
    "draft": _l("草稿"), "pending_review": _l("待审核"), "published": _l("待认领"),
    "claimed": _l("已认领"), "in_service": _l("服务中"), "done": _l("待确认"),
    "confirmed": _l("已确认"), "closed": _l("已完成"), "rejected": _l("未通过"),
    "withdrawn": _l("已撤回"), "expired": _l("已过期"), "disputed": _l("复核中"),
}

# A claim's states in plain words (my orders, the unit's page): defined once, here.
CLAIM_LABELS = {
    "offered": _l("待答复"), "active": _l("待服务"), "started": _l("服务中"),
    "done": _l("待确认"), "confirmed": _l("已确认"), "released": _l("已取消"),
    "declined": _l("已婉拒"),
}

ACTION_LABELS = {
    "post": _l("登记心愿"), "submit": _l("提交审核"), "approve": _l("审核通过"),
    "auto_publish": _l("自动发布"), "reject": _l("审核未通过"), "claim": _l("认领"),
    "fill": _l("认领满员"), "release": _l("取消认领"), "reopen": _l("重新上架"),
    "dispatch": _l("社区派单"), "accept": _l("接受派单"), "decline": _l("婉拒派单"),
    "assign": _l("单位指派"), "start": _l("开始服务"), "check_in": _l("签到"),
    "finish": _l("服务完成"), "mark_done": _l("标记完成"), "confirm": _l("确认服务"),
    "auto_confirm": _l("自动确认"), "close": _l("评价并结束"), "withdraw": _l("撤回"),
    "expire": _l("过期"), "escalate": _l("升级提醒"),
    "edit": _l("修改心愿"), "resubmit": _l("修改后重新提交"), "send_back": _l("修改后重新审核"),
    "reconsider": _l("撤销审核结果"), "rerate": _l("修改评价"),
    "dispute": _l("反映没办好"), "uphold": _l("复核：服务属实"), "redo": _l("复核：重新服务"),
}

# Why a move is refused, by the state the wish is in (the message says what to do next).
_REFUSALS = {
    "published": _l("这个心愿还在等待认领。"),
    "claimed": _l("这个心愿已被认领满员。"),
    "in_service": _l("服务已经开始，不能再这样操作。"),
    "done": _l("服务已完成，正在等待确认。"),
    "confirmed": _l("服务已确认。"),
    "closed": _l("这个心愿已经结束。"),
    "withdrawn": _l("这个心愿已被撤回。"),
    "rejected": _l("这个心愿未通过审核。"),
    "expired": _l("这个心愿已过期。"),
    "pending_review": _l("这个心愿还在等待社区审核。"),
    "draft": _l("这个心愿还是草稿。"),
    "disputed": _l("这个心愿正在社区复核。"),
}


WISH = Machine(Wish, TRANSITIONS, labels=STATUS_LABELS, refusals=_REFUSALS,
               event_model=WishEvent, fk="wish_id")


def refusal(status: str):
    """The user-facing reason an action is not possible in `status`."""
    return WISH.refusal(status)


def allowed(action: str, status: str) -> bool:
    """Whether `action` may be applied to a wish in `status`."""
    return WISH.allowed(action, status)


def move(session, wish: Wish, action: str, actor_id: int | None, note: str | None = None,
         now=None, **values) -> WishEvent:
    """Apply `action` to `wish` or raise Conflict; writes the WishEvent in the same transaction.

    `values` are extra columns set by the same UPDATE (e.g. published_at).
    """
    return WISH.move(session, wish, action, actor_id, note, now, **values)


def log(session, wish: Wish, action: str, actor_id: int | None, from_status: str | None,
        to_status: str, note: str | None = None, now=None) -> WishEvent:
    """Append a timeline event (also for actions that keep the status, like a claim)."""
    return WISH.log(session, wish, action, actor_id, from_status, to_status, note, now)
