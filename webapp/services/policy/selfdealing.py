"""Self-dealing (issue 10 §2): nobody earns, confirms or certifies hours on their own say-so."""
from flask_babel import lazy_gettext as _l

from ...models import User, Wish
from ..errors import Forbidden

# --- Self-dealing (issue 10 §2): nobody earns, confirms or certifies hours on their own say-so.
# Each rule returns a refusal message or None; `refuse()` turns a message into a 403.

def refuse(refusal) -> None:
    """Raise Forbidden (403, code self_dealing) with the rule's message, if there is one."""
    if refusal:
        raise Forbidden(refusal, code="self_dealing")


def serve_refusal(volunteer_id: int, wish: Wish):
    """The resident of a wish never serves it (claim, unit assignment, dispatch)."""
    if volunteer_id == wish.resident_id:
        return _l("不能认领或承接自己的心愿，请由其他志愿者服务。")
    return None


def confirm_refusal(actor: User, volunteer_ids: set[int]):
    """Whoever confirms a service is never one of its volunteers."""
    if actor.id in volunteer_ids:
        return _l("您是这个心愿的志愿者，不能确认自己的服务；请由居民或网格员确认。")
    return None


def hours_review_refusal(actor: User, volunteer_id: int, wish: Wish | None):
    """Staff never approve, adjust or correct their own hours, nor those of a wish they posted."""
    if actor.id == volunteer_id:
        return _l("不能审核或调整自己的服务时长，请由本社区其他管理员处理。")
    if wish is not None and actor.id == wish.posted_by_id:
        return _l("这个心愿是您登记的，不能审核它的服务时长，请由本社区其他管理员处理。")
    return None


def certify_refusal(actor: User, volunteer_id: int):
    """Staff never certify their own hours."""
    if actor.id == volunteer_id:
        return _l("不能为自己出具志愿服务证明，请由本社区其他管理员出具。")
    return None


def estimate_is_independent(wish: Wish, volunteer_id: int) -> bool:
    """Auto-approval needs an estimate someone other than the volunteer typed (the poster)."""
    return wish.posted_by_id != volunteer_id and wish.resident_id != volunteer_id
