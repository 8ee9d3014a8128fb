"""Inputs of the ledger pages: adjustments, rejections, corrections, certificates, exports."""
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from . import AsciiNumber, CleanText, Id, Input

Reason = Annotated[str, Field(min_length=1, max_length=200)]
Hours = Annotated[Decimal, Field(ge=0, le=24, max_digits=4, decimal_places=1), AsciiNumber]
Short = Annotated[str, Field(min_length=1, max_length=40), CleanText]


class Adjust(Input):
    hours: Hours
    reason: Reason


class Reject(Input):
    reason: Reason


class Correct(Input):
    hours: Hours
    reason: Reason


class CertificateInput(Input):
    volunteer_id: Id
    period_from: date
    period_to: date
    head_name: Short
    officer_name: Short
    contact: Short



class HonoursInput(Input):
    """A notice of honours: the year it names and how many days it runs (7–30)."""

    year: Annotated[int, Field(ge=2000, le=2100), AsciiNumber]
    days: Annotated[int, Field(ge=7, le=30), AsciiNumber] = 7


class ObjectionInput(Input):
    """An objection to a notice: what is wrong, optionally about which line and how to reply."""

    text: Annotated[str, Field(min_length=5, max_length=500), CleanText]
    contact: Annotated[str, Field(max_length=40), CleanText] = ""
    item_id: Id | None = None

    @classmethod
    def from_form(cls, form: dict) -> dict:
        """Blank optional boxes as absent (an unchosen line is no line)."""
        return {k: v for k, v in form.items() if not (k == "item_id" and v in ("", None))}
