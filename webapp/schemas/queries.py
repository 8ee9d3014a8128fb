"""Query strings of the web pages, parsed with `parse_query(Schema, request.args)`: every value
bounded, a bad one is a 422 page (never a 500 further down)."""
from typing import Annotated, Literal, Optional

from pydantic import Field, model_validator

from . import AsciiNumber, Id, Input

Cursor = Annotated[str, Field(max_length=200)]
# 2026-11 (or 2026-1), 2026-H1, 2026: years stay four digits, so dates built from them exist.
PeriodKey = Annotated[str, Field(pattern=r"^[0-9]{4}(-(0?[1-9]|1[0-2])|-H[12])?$")]
PeriodKind = Literal["month", "half", "year"]
WishStatus = Literal["draft", "pending_review", "published", "claimed", "in_service", "done",
                     "confirmed", "closed", "rejected", "withdrawn", "expired", "disputed"]


def _blank_to_none(v):
    return None if isinstance(v, str) and not v.strip() else v


class Query(Input):
    """Base of the page queries: an empty parameter is the same as a missing one."""

    @model_validator(mode="before")
    @classmethod
    def _drop_blanks(cls, data):
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if _blank_to_none(v) is not None}
        return data


class NextQuery(Query):
    next: Optional[str] = None


class RoleQuery(Query):
    """The sign-up page preselects a role."""

    role: Optional[Literal["resident", "member", "unit_admin"]] = None


class LangQuery(Query):
    lang: Optional[Annotated[str, Field(max_length=20)]] = None


class CursorQuery(Query):
    cursor: Optional[Cursor] = None


# The search box (issue 12 §4): cut to the service's SEARCH_MAX by the view.
SearchText = Annotated[str, Field(max_length=200)]


class MenuQuery(CursorQuery):
    kind: Optional[Literal["wish", "service"]] = None
    category: Optional[Id] = None
    grid: Optional[Id] = None
    q: Optional[SearchText] = None


class StaffListQuery(CursorQuery):
    status: Optional[WishStatus] = None
    grid: Optional[Id] = None
    q: Optional[SearchText] = None


class NewWishQuery(Query):
    """The wish form: the kind preselected, and the resident a grid worker posts for."""

    kind: Optional[Literal["wish", "service"]] = None
    for_: Optional[Id] = Field(default=None, alias="for")
    who: Optional[SearchText] = None  # narrows the 代为登记 picker


class InboxQuery(Query):
    before: Optional[Id] = None


class ScopeQuery(Query):
    """Which of the admin's communities, or of the unit admin's units, a page is about."""

    community: Optional[Id] = None
    unit: Optional[Id] = None


class PeriodQuery(ScopeQuery):
    period: Optional[PeriodKey] = None
    kind: Optional[PeriodKind] = None


class ExportQuery(PeriodQuery):
    fmt: Literal["xlsx", "csv"] = "xlsx"
    by: Literal["volunteer", "unit", "grid", "category", "month"] = "volunteer"



class SearchQuery(Query):
    """A search box alone (the staff's people list)."""

    q: Optional[SearchText] = None


class PeopleQuery(SearchQuery):
    """居民与账号: search, filters, page, and the download's format (issue 23 item 5)."""

    grid: Optional[Id] = None
    building: Optional[Id] = None
    role: Optional[Literal["resident", "member", "unit_admin", "grid_worker", "community_admin",
                           "street_admin"]] = None
    status: Optional[Literal["active", "inactive", "never"]] = None
    page: Annotated[int, Field(ge=1, le=100_000), AsciiNumber] = 1
    fmt: Literal["csv", "xlsx"] = "csv"


class AdminLogQuery(Query):
    """The admin log page: which community (a street admin narrows), kind and person."""

    community: Optional[Id] = None
    kind: Optional[Annotated[str, Field(max_length=20)]] = None
    person: Optional[Id] = None
    before: Optional[Id] = None  # older than this line (the page's "更早的记录")


class TokenQuery(Query):
    """A shared secret in a callback URL (the SMS provider's status reports)."""

    token: Optional[Annotated[str, Field(max_length=200)]] = None
