"""The state machines of the points shop: goods on the shelf, and a member's exchange."""
from flask_babel import lazy_gettext as _l

from ...models import ShopExchange, ShopExchangeEvent, ShopGoods, ShopGoodsEvent
from ..kernel import Machine

GOODS = {
    "list": (frozenset({"offered"}), "listed"),  # the office has received a unit's donation
    "restock": (frozenset({"listed"}), "listed"),
    "withdraw": (frozenset({"offered", "listed"}), "withdrawn"),
}
EXCHANGE = {
    "hand_over": (frozenset({"reserved"}), "handed_over"),
    "cancel": (frozenset({"reserved"}), "cancelled"),
}
GOODS_LABELS = {"offered": _l("待社区接收"), "listed": _l("可兑换"), "withdrawn": _l("已下架")}
EXCHANGE_LABELS = {"reserved": _l("待领取"), "handed_over": _l("已领取"), "cancelled": _l("已取消")}

GOODS_MACHINE = Machine(
    ShopGoods, GOODS, labels=GOODS_LABELS, event_model=ShopGoodsEvent, fk="goods_id",
    refusals={"offered": _l("这件物品还在等待社区接收。"), "listed": _l("这件物品已经上架。"),
              "withdrawn": _l("这件物品已经下架。")})
EXCHANGE_MACHINE = Machine(
    ShopExchange, EXCHANGE, labels=EXCHANGE_LABELS, event_model=ShopExchangeEvent,
    fk="exchange_id",
    refusals={"handed_over": _l("这件物品已经领取了。"), "cancelled": _l("这次兑换已经取消。"),
              "reserved": _l("这次兑换还没有领取。")})
