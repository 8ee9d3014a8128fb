"""Inputs of 我的信息: what a person (or staff for a resident without a phone) may correct, and
which consent is withdrawn."""
from typing import Annotated, Literal, Optional

from pydantic import Field, field_validator

from . import Input
from .inputs import Name


def _blank_to_none(v):
    return None if isinstance(v, str) and not v.strip() else v


class Correction(Input):
    """Name and skills by the person; the address too when staff correct it for them."""

    name: Name
    skills: Optional[Annotated[str, Field(max_length=300)]] = None
    address: Optional[Annotated[str, Field(max_length=120)]] = None

    _none = field_validator("skills", "address", mode="before")(_blank_to_none)


class Withdrawal(Input):
    """A consent to withdraw."""

    what: Literal["geo", "sms_contact", "board", "sensitive"]
