"""Inputs of the points shop (爱心超市): goods offered or listed, a restock."""
from typing import Annotated, Optional

from pydantic import Field, field_validator

from . import AsciiNumber, CleanText, Id, Input


def _blank_to_none(v):
    return None if v == "" else v


class GoodsInput(Input):
    """Goods as a unit offers them or the community lists them."""

    unit_id: Optional[Id] = None  # the donor; None: the community's own
    name: Annotated[str, Field(min_length=2, max_length=60), CleanText]
    description: Annotated[str, Field(max_length=500), CleanText] = ""
    photo_url: Optional[Annotated[str, Field(max_length=300, pattern=r"^(https?://|/)\S+$")]] = None
    price: Annotated[int, Field(ge=1, le=100_000), AsciiNumber]
    stock: Annotated[int, Field(ge=1, le=10_000), AsciiNumber]
    monthly_limit: Annotated[int, Field(ge=0, le=100), AsciiNumber] = 1

    _none = field_validator("unit_id", "photo_url", mode="before")(_blank_to_none)


class RestockInput(Input):
    """More pieces of goods already on the shelf."""

    quantity: Annotated[int, Field(ge=1, le=10_000), AsciiNumber]
