"""Input of the grid worker's "register a resident without a phone" form (代为登记居民)."""
from typing import Annotated, Optional

from pydantic import Field, field_validator

from . import Id, Input
from .inputs import Name, Phone


def _blank_to_none(v):
    return None if isinstance(v, str) and not v.strip() else v


class NewResident(Input):
    """A resident added by grid staff: no password; the phone is optional."""

    name: Name
    building_id: Id
    address: Optional[Annotated[str, Field(max_length=120)]] = None
    phone: Optional[Phone] = None

    _none = field_validator("address", "phone", mode="before")(_blank_to_none)


class SmsContact(Input):
    """A phoneless resident's SMS contact (relative or neighbour); blank phone clears it."""

    phone: Optional[Phone] = None
    name: Optional[Annotated[str, Field(max_length=40)]] = None
    consent: bool = False

    _none = field_validator("phone", "name", mode="before")(_blank_to_none)
