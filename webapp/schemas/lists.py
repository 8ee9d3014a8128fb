"""Inputs of resources, bookings, projects, sessions, sign-ups and check-ins."""
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, Optional

from flask_babel import gettext as _
from pydantic import Field, field_validator, model_validator

from . import Id, Input
from .inputs import Name, Phone

HM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Text200 = Annotated[str, Field(max_length=200)]
KINDS = Literal["venue", "parking", "equipment", "expertise", "other"]


def _blank_to_none(v):
    return None if v == "" else v


class SlotInput(Input):
    """One weekly opening rule."""

    weekday: Annotated[int, Field(ge=1, le=7)]
    start: HM
    end: HM
    capacity: Annotated[int, Field(ge=1, le=999)] = 1

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise ValueError(_("结束时间应晚于开始时间。"))
        return self


class ResourceInput(Input):
    """A resource as a unit (or the community) lists it."""

    community_id: Id
    unit_id: Optional[Id] = None
    kind: KINDS
    name: Annotated[str, Field(min_length=2, max_length=60)]
    description: Annotated[str, Field(max_length=1000)] = ""
    place: Annotated[str, Field(max_length=120)] = ""
    photo_url: Optional[Annotated[str, Field(max_length=300, pattern=r"^(https?://|/)\S+$")]] = None
    needs_approval: bool = True
    cancel_hours: Annotated[int, Field(ge=0, le=168)] = 2
    open_to: list[Id] = []
    slots: Annotated[list[SlotInput], Field(min_length=1, max_length=50)]

    _none = field_validator("unit_id", "photo_url", mode="before")(_blank_to_none)


class BookingInput(Input):
    day: date = Field(alias="date")
    start: HM
    on_behalf_of: Optional[Id] = None

    _none = field_validator("on_behalf_of", mode="before")(_blank_to_none)


class ReasonInput(Input):
    reason: Annotated[str, Field(min_length=1, max_length=200)]


class ClosureInput(Input):
    """A day a resource is closed (an exception to its weekly hours)."""

    day: date
    reason: Annotated[str, Field(max_length=100)] = ""


class RateInput(Input):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=300)] = ""


class ProjectInput(Input):
    """A project (服务项目书) as the two sides draft it."""

    community_id: Id
    unit_id: Id
    title: Annotated[str, Field(min_length=2, max_length=60)]
    content: Annotated[str, Field(min_length=1, max_length=2000)]
    standard: Annotated[str, Field(max_length=2000)] = ""
    target: Annotated[str, Field(max_length=100)] = ""
    target_per_month: Optional[Annotated[int, Field(ge=1, le=100)]] = None
    place: Annotated[str, Field(max_length=120)] = ""
    responsible_name: Annotated[str, Field(max_length=40)] = ""
    responsible_id: Optional[Id] = None
    category_id: Optional[Id] = None
    starts_on: date
    ends_on: date
    rrule: Annotated[str, Field(min_length=5, max_length=200)]
    start: HM
    end: HM
    session_capacity: Annotated[int, Field(ge=1, le=999)] = 20
    server_capacity: Annotated[int, Field(ge=0, le=99)] = 3
    any_member: bool = False
    requires_insurance: bool = False

    _none = field_validator("target_per_month", "responsible_id", "category_id",
                            mode="before")(_blank_to_none)

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise ValueError(_("结束时间应晚于开始时间。"))
        if self.ends_on < self.starts_on:
            raise ValueError(_("结束日期不能早于开始日期。"))
        if (self.ends_on - self.starts_on).days > 3 * 366:
            raise ValueError(_("项目期限最长三年。"))
        return self


class MoveInput(Input):
    day: date = Field(alias="date")
    start: HM
    end: HM
    reason: Annotated[str, Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise ValueError(_("结束时间应晚于开始时间。"))
        return self


class SignupInput(Input):
    as_: Literal["attendee", "server"] = Field("attendee", alias="as")


class CheckinInput(Input):
    """A runner checks someone in (or, later, out); hours follow from the two times."""

    user_id: Id


class WalkInInput(Input):
    """Someone who turned up unannounced, by phone; `name` only for a number with no account."""

    phone: Phone
    name: Optional[Name] = None
    as_: Literal["attendee", "server"] = Field("attendee", alias="as")

    _none = field_validator("name", mode="before")(_blank_to_none)


class HonourInput(Input):
    """补录: hours entered by staff for someone with no presence record, with the reason."""

    user_id: Id
    hours: Annotated[Decimal, Field(gt=0, le=24, decimal_places=1)]
    reason: Annotated[str, Field(min_length=1, max_length=200)]


class InsuranceInput(Input):
    """One person's cover under a policy (保险登记)."""

    phone: Phone
    insurer: Annotated[str, Field(min_length=1, max_length=60)]
    number: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z-]+$")]
    covers_from: date
    covers_to: date


class GeoInput(Input):
    """A point the browser gave (check-in, or a runner's venue), and consent when asked."""

    lat: Optional[Annotated[float, Field(ge=-90, le=90)]] = None
    lng: Optional[Annotated[float, Field(ge=-180, le=180)]] = None
    consent: bool = False

    _none = field_validator("lat", "lng", mode="before")(_blank_to_none)

    @property
    def where(self):
        return (self.lat, self.lng) if self.lat is not None and self.lng is not None else None
