"""The people a list shows, as lean rows from one statement (no ORM instances).

A page of 50 people loaded as ORM users (each with its grants and their orgs, its building and
that building's grid: three statements and some 200 instances) was most of what 居民与账号
cost to answer at district size (issue 27). `people()` reads the same in one statement and
answers `LeanPerson`s: the identity's lean user (services/people/identity.py), which the policy
functions read as they read the signed-in user, plus what a list row shows. Anything else
loads the ORM row on first use, as the identity does.
"""
from sqlalchemy import select

from ...models import Org, RoleGrant, User
from .. import idlists
from .identity import (GRANT_FIELDS, ORG_FIELDS, USER_FIELDS, LeanUser, lean_field, lean_grant,
                       lean_org)

SHOWN_FIELDS = ("phone", "address", "activated_at")  # what a row shows beyond the identity
PERSON_FIELDS = USER_FIELDS + SHOWN_FIELDS


class LeanPerson(LeanUser):
    """A listed person: the lean identity, what the row shows, and the name of the grid
    their building is in (`grid_name`, None without one)."""

    __slots__ = ("grid_name",)

    def __repr__(self) -> str:
        return f"<LeanPerson {self._values['id']}>"


for _f in SHOWN_FIELDS:
    setattr(LeanPerson, _f, lean_field(_f))

_G = RoleGrant.__table__
_HOME, _GRID, _GORG = (Org.__table__.alias(n) for n in ("home_org", "home_grid", "grant_org"))
# ORM attributes for the user's columns: an ORM statement, so the session flushes what it
# holds before reading (a Core select of the table would not).
_COLUMNS = ([getattr(User, f) for f in PERSON_FIELDS]
            + [_HOME.c[f].label(f"h_{f}") for f in ORG_FIELDS]
            + [_GRID.c.name.label("grid_name")]
            + [_G.c[f].label(f"g_{f}") for f in GRANT_FIELDS]
            + [_GORG.c[f].label(f"o_{f}") for f in ORG_FIELDS])


def _statement(where):
    return (select(*_COLUMNS).select_from(User)
            .outerjoin(_HOME, _HOME.c.id == User.building_id)
            .outerjoin(_GRID, _GRID.c.id == _HOME.c.parent_id)
            .outerjoin(_G, _G.c.user_id == User.id)
            .outerjoin(_GORG, _GORG.c.id == _G.c.org_id)
            .where(where).order_by(User.id, _G.c.id))


def people(session, ids) -> list[LeanPerson]:
    """The people `ids` as lean rows, in the order given (an id not found is left out)."""
    ids = list(ids)
    if not ids:
        return []
    found: dict[int, LeanPerson] = {}
    for row in session.execute(_statement(idlists.id_in(session, User.id, set(ids)))).mappings():
        person = found.get(row["id"])
        if person is None:
            person = found[row["id"]] = LeanPerson(session, {f: row[f] for f in PERSON_FIELDS})
            object.__setattr__(person, "_roles", [])
            object.__setattr__(person, "_building", lean_org(session, row, "h_"))
            object.__setattr__(person, "_unread", 0)
            object.__setattr__(person, "grid_name", row["grid_name"])
        grant = lean_grant(session, row)
        if grant is not None:
            person._roles.append(grant)
    return [found[i] for i in ids if i in found]
