"""Inputs of the ledger pages: adjustments, rejections, corrections, certificates, exports."""
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, Optional

from pydantic import Field, field_validator

from . import Input

Reason = Annotated[str, Field(min_length=1, max_length=200)]
Hours = Annotated[Decimal, Field(ge=0, le=24, max_digits=4, decimal_places=1)]
Short = Annotated[str, Field(min_length=1, max_length=40)]


class Adjust(Input):
    hours: Hours
    reason: Reason


class Reject(Input):
    reason: Reason


class Correct(Input):
    hours: Hours
    reason: Reason


class CertificateInput(Input):
    volunteer_id: int
    period_from: date
    period_to: date
    head_name: Short
    officer_name: Short
    contact: Short


class ExportQuery(Input):
    fmt: Literal["xlsx", "csv"] = "xlsx"
    by: Literal["volunteer", "unit", "grid", "category", "month"] = "volunteer"
    period: Optional[Annotated[str, Field(max_length=7)]] = None

    @field_validator("period", mode="before")
    @classmethod
    def _blank(cls, v):
        return None if v == "" else v
