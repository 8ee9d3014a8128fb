"""The signed-in identity of a read-only request, from one Core statement (no ORM instances).

Every signed-in request loads its user, the user's grants (with each grant's org) and the
session generation; on a GET that is most of what the request costs (bench/RESULTS.md, "the
signed-in floor"). `load()` and `load_for_token()` read all of it in one statement built once,
and answer a `LeanUser`: the attributes Flask-Login, the policy functions and the page chrome
read, as plain values. Anything else (`user.unit`, `user.skills`, assigning the user to a
relationship, `session.add(user)`) loads the ORM `User` on first use and hands it over, so code
written against the model keeps working; from then on every attribute is the ORM's.

The identity stays live: the statement runs on every request, so a deactivated account, a
removed grant, a password change or a logout (a bumped generation) counts on the next one.
"""
from sqlalchemy import bindparam, func, select

from ...db import single_read
from ...models import ApiToken, Notification, Org, RoleGrant, User, utcnow

_U, _G, _T = User.__table__, RoleGrant.__table__, ApiToken.__table__
_HOME, _GORG = Org.__table__.alias("home_org"), Org.__table__.alias("grant_org")
# What Flask-Login, the policy functions and the page chrome read; the rest comes from the ORM.
# (Every column costs on each request: PostgreSQL describes each one in every result.)
USER_FIELDS = ("id", "name", "active", "locale", "elder_mode", "session_gen",
               "must_change_password", "building_id", "unit_id", "totp_enabled_at")
ORG_FIELDS = ("id", "kind", "name", "street_id", "community_id", "grid_id", "data_version")
GRANT_FIELDS = ("id", "role", "org_id", "unit_id", "active")
_N = Notification.__table__
# The bell's count and the grant orgs' data versions come in the same round trip: a cached menu
# needs nothing else from the database (bench/RESULTS.md, "the menu under load").
_UNREAD = (select(func.count()).select_from(_N)
           .where(_N.c.user_id == _U.c.id, _N.c.read_at.is_(None)).scalar_subquery())
_COLUMNS = ([_U.c[f] for f in USER_FIELDS]
            + [_HOME.c[f].label(f"h_{f}") for f in ORG_FIELDS]
            + [_G.c[f].label(f"g_{f}") for f in GRANT_FIELDS]
            + [_GORG.c[f].label(f"o_{f}") for f in ORG_FIELDS]
            + [_UNREAD.label("unread")])
_JOINS = (_U.outerjoin(_HOME, _HOME.c.id == _U.c.building_id)
          .outerjoin(_G, _G.c.user_id == _U.c.id)
          .outerjoin(_GORG, _GORG.c.id == _G.c.org_id))
# Built once: the statement's cache key is computed per execution, its construction is not.
BY_ID = select(*_COLUMNS).select_from(_JOINS).where(_U.c.id == bindparam("uid"))
BY_TOKEN = (select(_T.c.expires_at, *_COLUMNS)
            .select_from(_T.join(_JOINS, _U.c.id == _T.c.user_id))
            .where(_T.c.token_hash == bindparam("digest")))


class _Lean:
    """Base of the plain twins of ORM rows: unknown attributes come from the ORM row itself."""

    __slots__ = ("_values", "_session", "_orm")
    model = None

    def __init__(self, session, values: dict):
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_orm", None)

    def orm(self):
        """The ORM row this stands for (loaded once, from the identity map if already there)."""
        obj = object.__getattribute__(self, "_orm")
        if obj is None:
            obj = self._session.get(self.model, self._values["id"])
            object.__setattr__(self, "_orm", obj)
        return obj

    def __getattr__(self, name):
        # Only reached for what the lean row does not hold (and `_sa_instance_state`, so the
        # ORM sees the real row when this is assigned to a relationship or added to a session).
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.orm(), name)

    def __setattr__(self, name, value):
        setattr(self.orm(), name, value)

    def __eq__(self, other):
        if isinstance(other, (_Lean, self.model)):
            return other.__class__ in (self.__class__, self.model) and other.id == self.id
        return NotImplemented

    def __hash__(self):
        return hash((self.model, self._values["id"]))


def lean_field(name):
    """A property reading `name` from the lean values (or from the ORM row once loaded)."""
    def get(self):
        obj = object.__getattribute__(self, "_orm")
        return getattr(obj, name) if obj is not None else self._values[name]

    def set_(self, value):
        setattr(self.orm(), name, value)
    return property(get, set_)


class LeanOrg(_Lean):
    """An org's tree position (kind, ancestors) and name, as the policy functions read them."""

    __slots__ = ()
    model = Org


class LeanGrant(_Lean):
    """A role grant with its org."""

    __slots__ = ("org",)
    model = RoleGrant


class LeanUser(_Lean):
    """The signed-in user of a read-only request (Flask-Login's user object)."""

    __slots__ = ("_roles", "_building", "_unread")
    model = User
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def roles(self):
        obj = object.__getattribute__(self, "_orm")
        return obj.roles if obj is not None else self._roles

    @property
    def building(self):
        obj = object.__getattribute__(self, "_orm")
        return obj.building if obj is not None else self._building

    def get_id(self) -> str:
        """As User.get_id; read from the ORM row, which a password change may have just bumped."""
        return self.orm().get_id()

    def role_names(self) -> set[str]:
        """The role names this user holds, whatever their scope."""
        return {g.role for g in self.roles if g.active}

    def __repr__(self) -> str:
        return f"<LeanUser {self._values['id']}>"


for _cls, _fields in ((LeanUser, USER_FIELDS), (LeanOrg, ORG_FIELDS), (LeanGrant, GRANT_FIELDS)):
    for _f in _fields:
        setattr(_cls, _f, lean_field(_f))


def lean_org(session, row, prefix: str):
    """The LeanOrg of `row`'s columns named `prefix` + ORG_FIELDS (None: no org there)."""
    if row[f"{prefix}id"] is None:
        return None
    return LeanOrg(session, {f: row[f"{prefix}{f}"] for f in ORG_FIELDS})


def lean_grant(session, row) -> LeanGrant | None:
    """The LeanGrant of `row`'s `g_` columns, with its org from the `o_` columns (None: the
    outer join's one empty row of a user with no grants at all)."""
    if row["g_id"] is None:
        return None
    grant = LeanGrant(session, {f: row[f"g_{f}"] for f in GRANT_FIELDS})
    object.__setattr__(grant, "org", lean_org(session, row, "o_"))
    return grant


def _build(session, rows) -> LeanUser | None:
    if not rows:
        return None
    first = rows[0]
    user = LeanUser(session, {f: first[f] for f in USER_FIELDS})
    grants = []
    for row in rows:
        grant = lean_grant(session, row)
        if grant is not None:
            grants.append(grant)
    object.__setattr__(user, "_roles", grants)
    object.__setattr__(user, "_building", lean_org(session, first, "h_"))
    object.__setattr__(user, "_unread", first["unread"] or 0)
    return user


def unread_at_start(user) -> int | None:
    """The unread count read with the identity as the request began (None: not a lean
    identity); only for a request that marks nothing read (the menu)."""
    return object.__getattribute__(user, "_unread") if isinstance(user, LeanUser) else None


def versions_at_start(user) -> dict[int, int]:
    """{org id: data version} of the user's grant orgs, read with the identity as the request
    began: before anything else it reads, so a page cached under them is never older."""
    if not isinstance(user, LeanUser):
        return {}
    return {g.org.id: g.org.data_version for g in user._roles if g.org is not None}


def load(session, user_id: int, generation: int) -> LeanUser | None:
    """The active user `user_id` whose session generation is `generation`, else None."""
    rows = single_read(session, BY_ID, {"uid": user_id})
    user = _build(session, rows)
    if user is None or not user.active or (user.session_gen or 0) != generation:
        return None
    return user


def load_for_token(session, digest: str) -> LeanUser | None:
    """The active user of an unexpired API token (by its SHA-256), else None."""
    rows = single_read(session, BY_TOKEN, {"digest": digest})
    if not rows or rows[0]["expires_at"] < utcnow():
        return None
    user = _build(session, rows)
    return user if user is not None and user.active else None
