"""The input shapes: registration, wishes, reviews, claims, confirmations."""
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Optional

from flask_babel import gettext as _
from pydantic import BeforeValidator, Field, field_validator

from . import AsciiNumber, CleanText, Id, Input
from .phone import phone_or_blank

# [0-9], not \d: \d also matches Arabic-Indic and other digits (look-alike duplicates).
# One parser for every phone field: spaces, dashes and "+86" are accepted, a bad character named.
Phone = Annotated[str, Field(pattern=r"^1[3-9][0-9]{9}$", max_length=11),
                  BeforeValidator(phone_or_blank)]
Name = Annotated[str, Field(min_length=1, max_length=40), CleanText]
Password = Annotated[str, Field(min_length=8, max_length=128)]
Reason = Annotated[str, Field(min_length=1, max_length=200)]


def _blank_to_none(v):
    return None if v == "" else v


class Login(Input):
    phone: Phone
    password: Annotated[str, Field(min_length=1, max_length=128)]


class TokenLogin(Login):
    """The API's token request: phone, password and, for an admin with 两步验证, the code."""

    otp: Optional[Annotated[str, Field(max_length=8), AsciiNumber]] = None


class Register(Input):
    """A new account: resident, member (个人报到) or unit_admin (单位报到)."""

    phone: Phone
    name: Name
    password: Password
    role: Literal["resident", "member", "unit_admin"] = "resident"
    building_id: Id
    address: Optional[Annotated[str, Field(max_length=120)]] = None
    unit_id: Optional[Id] = None
    unit_name: Optional[Annotated[str, Field(max_length=80), CleanText]] = None
    skills: Optional[Annotated[str, Field(max_length=300)]] = None
    # The SMS code proving the phone (SIGNUP_PHONE_PROOF); full-width digits folded.
    code: Optional[Annotated[str, Field(max_length=12), AsciiNumber]] = None
    # Consent is given explicitly (个人信息保护法), on the web and in the API alike: a missing
    # or false value is refused next to the field, never taken as yes.
    consent: bool = Field(default=False, validate_default=True)

    _none = field_validator("address", "unit_id", "unit_name", "skills", mode="before")(
        _blank_to_none)

    @field_validator("consent")
    @classmethod
    def _consent(cls, v):
        if v is not True:
            raise ValueError(_("请阅读并同意个人信息使用说明。"))
        return v

    @field_validator("skills", mode="before")
    @classmethod
    def _skills(cls, v):
        if isinstance(v, list):
            v = ",".join(str(s).strip() for s in v if str(s).strip())
        return _blank_to_none(v)


class WishFields(Input):
    """What every new wish says, however it is posted (the form, a visit, the API)."""

    kind: Literal["wish", "service"]
    title: Annotated[str, Field(min_length=2, max_length=60), CleanText]
    description: Annotated[str, Field(max_length=1000)] = ""
    category: Id
    capacity: Annotated[int, Field(ge=1, le=20), AsciiNumber] = 1
    estimated_hours: Annotated[Decimal, Field(ge=Decimal("0.5"), le=Decimal("24"),
                                              decimal_places=1), AsciiNumber] = Decimal("1")
    value_yuan: Optional[Annotated[int, Field(ge=0, le=100000), AsciiNumber]] = None
    # Health, a child's need, hardship: marked sensitive, with its own consent (PIPL art. 29).
    sensitive: bool = False
    sensitive_consent: bool = False


class WishInput(WishFields):
    """A wish as the resident (or the grid worker for them) posts it."""

    wanted_from: Optional[datetime] = None
    wanted_until: Optional[datetime] = None
    deadline: Optional[datetime] = None
    on_behalf_of: Optional[Id] = None
    client_uuid: Optional[Annotated[str, Field(pattern=r"^[0-9a-fA-F-]{36}$")]] = None

    _none = field_validator("value_yuan", "wanted_from", "wanted_until", "deadline",
                            "on_behalf_of", "client_uuid", mode="before")(_blank_to_none)


class WishEdit(Input):
    """Changes to a wish not yet claimed: only the fields sent are changed (PATCH)."""

    title: Optional[Annotated[str, Field(min_length=2, max_length=60)]] = None
    description: Optional[Annotated[str, Field(max_length=1000)]] = None
    category: Optional[Id] = None
    capacity: Optional[Annotated[int, Field(ge=1, le=20)]] = None
    estimated_hours: Optional[Annotated[Decimal, Field(ge=Decimal("0.5"), le=Decimal("24"), decimal_places=1)]] = None
    value_yuan: Optional[Annotated[int, Field(ge=0, le=100000)]] = None
    wanted_from: Optional[datetime] = None
    wanted_until: Optional[datetime] = None
    deadline: Optional[datetime] = None

    _none = field_validator("category", "capacity", "estimated_hours", "value_yuan",
                            "wanted_from", "wanted_until", "deadline", mode="before")(_blank_to_none)


class Review(Input):
    decision: Literal["approve", "reject"]
    reason: Optional[Annotated[str, Field(max_length=200)]] = None


class RejectInput(Input):
    reason: Reason


class ClaimInput(Input):
    unit_id: Optional[Id] = None
    member_ids: Optional[list[Id]] = None

    _none = field_validator("unit_id", mode="before")(_blank_to_none)


class DoneInput(Input):
    hours: Annotated[Decimal, Field(gt=Decimal("0"), le=Decimal("24"), decimal_places=1),
                     AsciiNumber]


class ConfirmInput(Input):
    rating: Annotated[int, Field(ge=1, le=5), AsciiNumber]
    comment: Optional[Annotated[str, Field(max_length=300)]] = None
    note: Optional[Annotated[str, Field(max_length=300)]] = None


class DispatchInput(Input):
    member_id: Optional[Id] = None
    unit_id: Optional[Id] = None
    note: Optional[Annotated[str, Field(max_length=200)]] = None

    _none = field_validator("member_id", "unit_id", mode="before")(_blank_to_none)


# --- query strings of the JSON API (also usable by web list pages) ---
WISH_STATUSES = Literal["draft", "pending_review", "published", "claimed", "in_service", "done",
                        "confirmed", "closed", "rejected", "withdrawn", "expired", "disputed"]


class WishQuery(Input):
    """Filters and keyset cursor of a wish list."""

    view: Optional[Literal["menu", "posted", "claimed", "all"]] = None
    status: Optional[WISH_STATUSES] = None
    grid: Optional[Id] = None
    category: Optional[Id] = None
    kind: Optional[Literal["wish", "service"]] = None
    cursor: Optional[Annotated[str, Field(max_length=200)]] = None
    limit: Optional[Annotated[int, Field(ge=1, le=100), AsciiNumber]] = None

    _none = field_validator("view", "status", "grid", "category", "kind", "cursor", "limit",
                            mode="before")(_blank_to_none)


class CategoryQuery(Input):
    community: Id


class OrgTreeQuery(Input):
    """GET /orgs: one community's grids and buildings (a district is asked a community at a
    time)."""

    community: Optional[Id] = None


class RegistrationQuery(Input):
    status: Literal["pending", "approved", "rejected", "all"] = "pending"


# A 6-digit SMS code; full-width digits typed by an input method are folded first.
SmsCode = Annotated[str, Field(pattern=r"^[0-9]{6}$"), AsciiNumber]


class CodeSend(Input):
    """获取验证码: the phone and the solved ALTCHA challenge."""

    phone: Phone
    altcha: Optional[Annotated[str, Field(max_length=2000)]] = None
    purpose: Literal["signin", "phone"] = "signin"


class CodeSignIn(Input):
    phone: Phone
    code: SmsCode


class CodeRecover(Input):
    """忘记密码: the code and the new password."""

    phone: Phone
    code: SmsCode
    new_password: Password


class SlipCode(Input):
    """The code printed on an activation slip (read aloud; spaces and dashes allowed)."""

    code: Annotated[str, Field(min_length=6, max_length=16), AsciiNumber]
