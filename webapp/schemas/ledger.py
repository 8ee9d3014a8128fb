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

