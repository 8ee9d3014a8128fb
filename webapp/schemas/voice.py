"""Inputs of a resident's voice: a problem raised, the answer, solved or not, "没办好"."""
from typing import Annotated, Literal, Optional

from pydantic import Field

from . import CleanText, Id, Input

Text = Annotated[str, Field(min_length=1, max_length=500), CleanText]


class ComplaintInput(Input):
    """反映问题 about one service the author received."""

    kind: Literal["wish", "booking", "session", "visit"]
    subject_id: Id
    text: Text
    anonymous: bool = False


class AnswerInput(Input):
    """The community's answer."""

    answer: Annotated[str, Field(min_length=1, max_length=1000), CleanText]


class CloseInput(Input):
    """The author: solved (settled) or not (reopened, with what is still wrong)."""

    solved: bool
    note: Optional[Annotated[str, Field(max_length=300), CleanText]] = None


class DisputeInput(Input):
    """"没办好": why a finished wish is reopened."""

    reason: Annotated[str, Field(min_length=1, max_length=300), CleanText]


class SettleInput(Input):
    """The community's review of a reopened wish."""

    decision: Literal["uphold", "redo"]
    note: Optional[Annotated[str, Field(max_length=300), CleanText]] = None
