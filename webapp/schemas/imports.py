"""Input of an import (web form and API query string): which list, where, dry run or not."""
from typing import Literal, Optional

from pydantic import field_validator

from . import Id, Input


def _blank_to_none(v):
    return None if isinstance(v, str) and not v.strip() else v


class ImportQuery(Input):
    """kind=tree|residents|members; community (or street, for a street admin's tree)."""

    kind: Literal["tree", "residents", "members"]
    dry_run: bool = False
    community: Optional[Id] = None
    street: Optional[Id] = None
    verified: bool = False  # members: 名单已核实, the 报到 are approved at once
    skip_bad: bool = False  # import the good rows, leave out (and list) the bad ones

    _none = field_validator("community", "street", mode="before")(_blank_to_none)


class ImportForm(Input):
    """The web form: one picker for the street (tree only) or a community."""

    kind: Literal["tree", "residents", "members"]
    org: Optional[Id] = None
    verified: bool = False

    _none = field_validator("org", mode="before")(_blank_to_none)
