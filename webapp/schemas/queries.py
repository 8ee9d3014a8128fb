"""Query strings of the web pages, parsed with `parse_query(Schema, request.args)`: every value
bounded, a bad one is a 422 page (never a 500 further down)."""
from datetime import date
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
    """The sign-up page preselects a role, and (in a district too big for one list of
    buildings) the community whose buildings it lists."""

    role: Optional[Literal["resident", "member", "unit_admin"]] = None
    community: Optional[Id] = None


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
    # What 待办概览's figures link to (issue 23 item 8): one community, and 逾期未完成 or
    # 待认领 (published: the menu's wishes nobody has filled yet).
    community: Optional[Id] = None
    only: Optional[Literal["overdue", "unclaimed"]] = None


class NewWishQuery(Query):
    """The wish form: the kind preselected, and the resident a grid worker posts for."""

    kind: Optional[Literal["wish", "service"]] = None
    for_: Optional[Id] = Field(default=None, alias="for")
    who: Optional[SearchText] = None  # narrows the 代为登记 picker


class InboxQuery(Query):
    before: Optional[Id] = None
    order: Optional[Literal["unread"]] = None  # unread first; else by time, newest first


class ScopeQuery(Query):
    """Which of the admin's communities, or of the unit admin's units, a page is about."""

    community: Optional[Id] = None
    unit: Optional[Id] = None


class TreeQuery(Query):
    """The node of the tree page to open on its own (a street of a district opens by parts)."""

    node: Optional[Id] = None


class PeriodQuery(ScopeQuery):
    period: Optional[PeriodKey] = None
    kind: Optional[PeriodKind] = None


class ExportQuery(PeriodQuery):
    fmt: Literal["xlsx", "csv"] = "xlsx"
    by: Literal["volunteer", "unit", "grid", "category", "month"] = "volunteer"



class SearchQuery(Query):
    """A search box alone (the staff's people list)."""

    q: Optional[SearchText] = None


class ListPageQuery(Query):
    """?page= of a paged list."""

    page: Annotated[int, Field(ge=1, le=100_000), AsciiNumber] = 1


class ObjectionQuery(Query):
    """The objection form: ?item= the line of the notice chosen on its whole list."""

    item: Optional[Id] = None


class UnitPageQuery(ListPageQuery):
    """The unit page: ?page= of its members, ?waiting= of the people waiting for confirmation."""

    waiting: Annotated[int, Field(ge=1, le=100_000), AsciiNumber] = 1


class PeopleQuery(SearchQuery):
    """居民与账号: search, filters, page, and the download's format (issue 23 item 5)."""

    community: Optional[Id] = None  # one of the viewer's communities (待办概览's link)
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


class WeChatBack(Query):
    """WeChat's 网页授权 coming back: the one-time code and the state we sent."""

    code: Optional[Annotated[str, Field(max_length=128)]] = None
    state: Optional[Annotated[str, Field(max_length=64)]] = None


class PeriodPageQuery(PeriodQuery):
    """A period's paged table (积分台账): ?page= of its members."""

    page: Annotated[int, Field(ge=1, le=100_000), AsciiNumber] = 1


class NationalQuery(PeriodQuery):
    """The national export (issue 26 §4): a period, a format and, for CSV, which table."""

    fmt: Literal["xlsx", "csv"] = "xlsx"
    table: Literal["volunteers", "activities", "hours"] = "hours"


class AuditQuery(Query):
    """The street's audit export: a street and a date range (both ends included)."""

    street: Optional[Id] = None
    since: Optional[date] = None
    until: Optional[date] = None

    @model_validator(mode="after")
    def _order(self):
        if self.since and self.until and self.since > self.until:
            raise ValueError("起始日期不能晚于结束日期。")
        return self
