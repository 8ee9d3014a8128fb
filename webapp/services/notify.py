"""Notifications: rows written in the caller's transaction; the job process pushes them."""
from ..models import Notification, Wish

# event -> (title, body template). Bodies are short: they also become push messages.
MESSAGES = {
    "wish_approved": ("心愿已发布", "您的心愿“{title}”已通过审核，志愿者可以认领了。"),
    "wish_rejected": ("心愿未通过审核", "您的心愿“{title}”未通过审核：{note}"),
    "wish_claimed": ("心愿已被认领", "志愿者已认领您的心愿“{title}”，会按约定时间联系您。"),
    "wish_started": ("服务已开始", "志愿者已开始为您服务：“{title}”。"),
    "wish_done": ("请确认服务", "“{title}”已完成，请确认并评价。"),
    "claim_assigned": ("您有新的服务任务", "单位为您安排了心愿“{title}”，请查看。"),
    "claim_dispatched": ("社区派单", "社区请您承接心愿“{title}”，请接受或婉拒。"),
    "claim_released": ("认领已取消", "心愿“{title}”的一位志愿者取消了认领，心愿已重新上架。"),
    "wish_withdrawn": ("心愿已撤回", "居民撤回了心愿“{title}”，无需再上门。"),
    "wish_confirmed": ("服务已确认", "居民确认了“{title}”的服务，评价 {note} 星。谢谢您！"),
    "wish_review_needed": ("有新心愿待审核", "“{title}”等待社区审核。"),
}


def notify(session, user_ids, event: str, wish: Wish | None = None, note: str = "",
           urgent: bool = False) -> list[Notification]:
    """Queue an in-app notification for each user (deduplicated), in the current transaction."""
    title, body = MESSAGES[event]
    fields = {"title": wish.title if wish else "", "note": note}
    rows = []
    for uid in dict.fromkeys(u for u in user_ids if u):
        n = Notification(
            user_id=uid, event=event, title=title, body=body.format(**fields),
            url=f"/wishes/{wish.id}" if wish else None, wish_id=wish.id if wish else None,
            urgent=urgent,
        )
        session.add(n)
        rows.append(n)
    return rows


def unread_count(session, user_id: int) -> int:
    """How many unread notifications the user has (the bell's badge)."""
    from sqlalchemy import func, select
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0
