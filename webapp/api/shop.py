"""API: the points shop (爱心超市) — my points and the shelf, reserve, cancel, hand over.

Each route is documented in SHOP_ROUTES, merged into the OpenAPI table at import.
"""
from datetime import datetime
from typing import Literal, Optional

from pydantic import BaseModel, Field

from ..extensions import db
from ..services.shop import exchange, pages
from . import bp, openapi
from .common import me, reply, token_required

S = db.session


class GoodsOut(BaseModel):
    id: int
    name: str
    description: str
    photo_url: Optional[str]
    price: int = Field(description="points")
    stock: int
    monthly_limit: int = Field(description="per person per month; 0: no limit")
    donor: Optional[str] = Field(description="the donor unit, shown with thanks; null: the community's own")


class ExpiryOut(BaseModel):
    at: datetime
    points: float


class AccountOut(BaseModel):
    earned: float
    spent: float
    expired: float
    balance: float
    next_expiry: Optional[ExpiryOut]


class ExchangeOut(BaseModel):
    id: int
    goods: str
    points: float
    status: Literal["reserved", "handed_over", "cancelled"]
    created_at: datetime
    handed_at: Optional[datetime]


class CommunityOut(BaseModel):
    id: int
    name: str


class ShopOut(BaseModel):
    community: Optional[CommunityOut]
    account: Optional[AccountOut] = Field(description="null unless a member of the community")
    goods: list[GoodsOut]
    exchanges: list[ExchangeOut]


class ExchangeState(BaseModel):
    id: int
    status: Literal["reserved", "handed_over", "cancelled"]


def _pick(d: dict, model) -> dict:
    return {k: v for k, v in d.items() if k in model.model_fields}


@bp.get("/shop")
@token_required
def shop():
    """My community's shelf; for a member, their points and exchanges."""
    p = pages.shop_page(S, me())
    return reply({"community": p["community"], "account": p["account"],
                  "goods": [_pick(g, GoodsOut) for g in p["goods"]],
                  "exchanges": [_pick(x, ExchangeOut) for x in p["mine"]]})


@bp.post("/shop/goods/<id:goods_id>/reserve")
@token_required
def reserve_goods(goods_id):
    """Take one piece: the stock and the points move together."""
    x = exchange.reserve(S, me(), goods_id)
    return reply({"id": x.id, "status": x.status}, 201)


@bp.post("/shop/exchanges/<id:exchange_id>/cancel")
@token_required
def cancel_exchange(exchange_id):
    """Cancel a reservation (the member, or the office): the piece and the points come back."""
    x = exchange.cancel(S, me(), exchange_id)
    return reply({"id": x.id, "status": x.status})


@bp.post("/shop/exchanges/<id:exchange_id>/hand-over")
@token_required
def hand_over_exchange(exchange_id):
    """The office hands the reserved piece over."""
    x = exchange.hand_over(S, me(), exchange_id)
    return reply({"id": x.id, "status": x.status})


_E = (401, 403, 404, 409)
SHOP_ROUTES = {
    "api.shop": dict(summary="爱心超市 The points shop: the shelf, my points and exchanges",
                     ok=(200, ShopOut), errors=(401,),
                     description="Points come from the ledger (hours recorded on site or "
                     "approved; 补录 earns none) and lapse by the community's setting, oldest "
                     "first; spending never removes hours."),
    "api.reserve_goods": dict(summary="兑换 Reserve one piece", ok=(201, ExchangeState),
                              errors=_E, description="409 codes: sold_out, monthly_limit, "
                              "not_enough_points, not_listed."),
    "api.cancel_exchange": dict(summary="取消兑换 Cancel a reservation", ok=(200, ExchangeState),
                                errors=_E),
    "api.hand_over_exchange": dict(summary="发放 Hand over (community admin)",
                                   ok=(200, ExchangeState), errors=_E),
}
openapi.ROUTES.update(SHOP_ROUTES)
