"""Inputs of the administration area: set-up, the grid tree, staff, accounts, the admin log."""
from typing import Annotated, Literal, Optional

from pydantic import Field, field_validator

from . import Input
from .inputs import Id, Name, Password, Phone

OrgName = Annotated[str, Field(min_length=1, max_length=80)]


def _blank_to_none(v):
    return None if isinstance(v, str) and not v.strip() else v


class SetupInput(Input):
    """`flask setup`: the street and its first street admin."""

    street: OrgName
    admin_phone: Phone
    admin_name: Name
    password: Optional[Password] = None


class OrgCreate(Input):
    """A new community (under a street), grid (under a community) or building (under a grid)."""

    kind: Literal["community", "grid", "building"]
    name: OrgName
    parent_id: Id


class OrgUpdate(Input):
    """Rename, move (a building to another grid of its community), retire or bring back."""

    name: Optional[OrgName] = None
    parent_id: Optional[Id] = None
    active: Optional[bool] = None
    # Retiring a building people live in: confirm=true keeps them there, move_to moves them all.
    confirm: bool = False
    move_to: Optional[Id] = None

    _none = field_validator("name", "parent_id", "move_to", mode="before")(_blank_to_none)


class StaffAppoint(Input):
    """Appoint by phone; `name` is needed only when the phone has no account yet."""

    phone: Phone
    name: Optional[Name] = None
    role: Literal["community_admin", "grid_worker", "street_admin"]
    org_id: Id

    _none = field_validator("name", mode="before")(_blank_to_none)


class PasswordChange(Input):
    """One's own password: the current one, then the new one."""

    current_password: Annotated[str, Field(min_length=1, max_length=128)]
    new_password: Password


class MoveHouse(Input):
    """A resident moves to another building (搬家); the room number may change too."""

    building_id: Id
    address: Optional[Annotated[str, Field(max_length=120)]] = None

    _none = field_validator("address", mode="before")(_blank_to_none)


class StaffQuery(Input):
    """Default: the viewer's first community."""

    community: Optional[Id] = None

    _none = field_validator("community", mode="before")(_blank_to_none)


class AdminLogQuery(Input):
    """The admin log of a community, or of the street (street admins) when `community` is absent."""

    community: Optional[Id] = None
    street: Optional[Id] = None
    kind: Optional[Annotated[str, Field(max_length=20)]] = None
    person: Optional[Id] = None

    _none = field_validator("community", "street", "kind", "person", mode="before")(_blank_to_none)
