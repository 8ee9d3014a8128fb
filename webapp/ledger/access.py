"""Who may open which ledger page: community admins, unit admins, street admins, members."""
from flask import abort, request
from flask_login import current_user

from ..extensions import db
from ..models import Org, Unit
from ..schemas import parse_query
from ..schemas.queries import ScopeQuery
from ..services import policy
from ..services.errors import Forbidden


def admin_communities() -> list[Org]:
    """Communities the current user keeps the ledger of, in id order."""
    ids = sorted(policy.org_ids_for(current_user, "community_admin"))
    return [o for o in (db.session.get(Org, i) for i in ids) if o and o.kind == "community"]


def community() -> Org:
    """The community the page is about (?community=id); another community's is a 404."""
    mine = admin_communities()
    if not mine:
        raise Forbidden()
    wanted = parse_query(ScopeQuery, request.values).community
    if wanted is None:
        return mine[0]
    for c in mine:
        if c.id == wanted:
            return c
    abort(404)


def readable_community() -> Org:
    """Like community(), but a street admin may also read any community of their street."""
    wanted = parse_query(ScopeQuery, request.values).community
    streets = policy.org_ids_for(current_user, "street_admin")
    if wanted is not None and streets:
        c = db.session.get(Org, wanted)
        if c is not None and c.kind == "community" and c.street_id in streets:
            return c
    return community()


def unit() -> Unit:
    """The unit the current unit admin looks at (?unit=id among theirs)."""
    ids = sorted(policy.unit_ids_admined(current_user))
    if not ids:
        raise Forbidden()
    wanted = parse_query(ScopeQuery, request.values).unit
    if wanted is not None and wanted not in ids:
        abort(404)
    return db.session.get(Unit, wanted or ids[0])


def street() -> Org:
    """The street the current street admin oversees."""
    ids = sorted(policy.org_ids_for(current_user, "street_admin"))
    if not ids:
        raise Forbidden()
    return db.session.get(Org, ids[0])
