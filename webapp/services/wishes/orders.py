"""我的订单: a volunteer's claims grouped by what they have to do next."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...models import Claim, User, Wish
from . import present
from .lifecycle import CLAIM_LABELS

# Claim state → (group title, what happens next); in the order the page shows them.
GROUPS = (
    ("offered", _l("待答复的派单"), _l("社区请您承接，请接受或婉拒。")),
    ("active", CLAIM_LABELS["active"], _l("请按约定时间上门，开始时点“开始服务”。")),
    ("started", CLAIM_LABELS["started"], _l("服务结束后填写实际服务时长。")),
    ("done", CLAIM_LABELS["done"], _l("已标记完成，等待居民或网格员确认。")),
    ("confirmed", CLAIM_LABELS["confirmed"], _l("服务时长已计入记录。")),
)
CONFIRMED_SHOWN = 20  # older confirmed services live in the ledger pages


def my_claims(session, user: User) -> list[dict]:
    """The user's claims as groups [{key, label, hint, cards}], each card with its claim."""
    live = [g[0] for g in GROUPS if g[0] != "confirmed"]
    claims = list(session.scalars(
        select(Claim).where(Claim.volunteer_id == user.id, Claim.status.in_(live))
        .order_by(Claim.created_at.desc(), Claim.id.desc())))
    claims += list(session.scalars(
        select(Claim).where(Claim.volunteer_id == user.id, Claim.status == "confirmed")
        .order_by(Claim.done_at.desc(), Claim.id.desc()).limit(CONFIRMED_SHOWN)))
    wishes = {w.id: w for w in session.scalars(
        select(Wish).where(Wish.id.in_({c.wish_id for c in claims})))} if claims else {}
    cards = {c["id"]: c for c in present.cards(session, list(wishes.values()), user)}
    groups = {key: [] for key, _label, _hint in GROUPS}
    for c in claims:
        card = dict(cards[c.wish_id])
        card["order"] = {"claim_id": c.id, "status": c.status, "via": c.via,
                         "unit": c.unit.name if c.unit else None,
                         "hours": float(c.hours) if c.hours is not None else None}
        groups[c.status].append(card)
    return [{"key": key, "label": str(label), "hint": str(hint), "cards": groups[key]}
            for key, label, hint in GROUPS]
