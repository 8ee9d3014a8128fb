"""Inputs and queries of 结对联户 (pairings, visits) and 双向评议 (evaluation rounds)."""
from datetime import date
from typing import Annotated, Literal, Optional

from pydantic import Field, field_validator

from . import AsciiNumber, CleanText, Id, Input
from .inputs import WishFields
from .queries import Query


def _blank_to_none(v):
    return None if isinstance(v, str) and not v.strip() else v


class PairInput(Input):
    """The community admin pairs one member with households."""

    member_id: Id
    household_ids: Annotated[list[Id], Field(min_length=1, max_length=30)]


class EndPairingInput(Input):
    """End a pairing; `declined`: the household declined to be paired."""

    reason: Annotated[str, Field(min_length=1, max_length=200), CleanText]
    declined: bool = False


class EndManyInput(Input):
    """End several pairings at once with one reason (a bulk undo, issue 23 item 2)."""

    pairing_ids: Annotated[list[Id], Field(min_length=1, max_length=200)]
    reason: Annotated[str, Field(min_length=1, max_length=200), CleanText]


class CareInput(Input):
    """A household's private care tags (独居老人, 残疾, 困难家庭)."""

    tags: list[Literal["lonely_elder", "disabled", "hardship"]] = []


class VisitInput(Input):
    """A visit as the paired member logs it."""

    household_id: Id
    visit_date: date = Field(alias="date")
    kind: Literal["home", "phone", "other"]
    note: Annotated[str, Field(max_length=300), CleanText] = ""
    needs: Annotated[str, Field(max_length=1000), CleanText] = ""

class VisitWishInput(WishFields):
    """A need heard on a visit, posted as a wish on the household's behalf (consent ticked)."""

    consent: bool = False

    _none = field_validator("value_yuan", mode="before")(_blank_to_none)


class RoundInput(Input):
    """Open a community's yearly 双向评议."""

    community_id: Id
    year: Annotated[int, Field(ge=2000, le=2100), AsciiNumber]


class ReopenInput(Input):
    reason: Annotated[str, Field(min_length=1, max_length=300), CleanText]


Score5 = Optional[Annotated[int, Field(ge=1, le=5), AsciiNumber]]


class UnitAnswerInput(Input):
    """A unit's answers about the community (1–5 each) and its own report (双报告)."""

    support: Score5 = None
    communication: Score5 = None
    accuracy: Score5 = None
    comment: Annotated[str, Field(max_length=500), CleanText] = ""
    report_text: Annotated[str, Field(max_length=5000)] = ""

    _none = field_validator("support", "communication", "accuracy", mode="before")(_blank_to_none)


class CommunityQuery(Query):
    """?community= (suggestions, coverage) and, for coverage, ?year=."""

    community: Id
    year: Optional[Annotated[int, Field(ge=2000, le=2100), AsciiNumber]] = None


class CoverageQuery(CommunityQuery):
    """走访覆盖 (the API): ?community=, ?year= and ?page= of its members, 30 a page."""

    page: Annotated[int, Field(ge=1, le=100_000), AsciiNumber] = 1


class CareQuery(Query):
    """需关爱家庭标注: ?building=, ?tagged=1 (only households with a tag), ?page=."""

    building: Optional[Id] = None
    tagged: bool = False
    page: Annotated[int, Field(ge=1, le=100_000), AsciiNumber] = 1


class PageQuery(Query):
    """Optional ?community= and ?year= of the pairing pages; 结对安排 also takes ?building= (the
    building whose unpaired households the manual pairing lists) and ?page= (of 现有结对)."""

    community: Optional[Id] = None
    year: Optional[Annotated[int, Field(ge=2000, le=2100), AsciiNumber]] = None
    building: Optional[Id] = None
    page: Annotated[int, Field(ge=1, le=100_000), AsciiNumber] = 1
