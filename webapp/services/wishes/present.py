"""What a viewer gets to see of a wish: cards and details, privacy applied (DESIGN §2).

Both the web pages and the JSON API render from these dicts, so a contact field can only
appear where `contact()` allowed it, and every time it does a Disclosure row is written."""
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, literal, null, select, union_all

from ...db import begin_write
from ...models import LIVE_CLAIM_STATUSES, Claim, Disclosure, Org, RoleGrant, User, Wish, utcnow
from . import editing, lifecycle
from .. import policy
from ..notify import receipts
from ..people.orgs import category_label


def mask_name(name: str | None) -> str:
    """王小明 → 王** (the surname only)."""
    return (name[:1] + "**") if name else "**"


def _actions(wish: Wish, viewer: User, mine: Claim | None) -> list[str]:
    """The actions this viewer can take now, most important first (the card's primary action)."""
    acts = []
    if mine is not None:
        acts += {"offered": ["accept", "decline"], "active": ["start", "release"],
                 "started": ["done"]}.get(mine.status, [])
    if wish.status == "published" and mine is None and (
            policy.is_volunteer_in(viewer, wish.community_id)) and (
            policy.serve_refusal(viewer.id, wish) is None):
        acts.append("claim")
    if wish.status == "published" and policy.is_unit_admin_in(viewer, wish.community_id):
        acts.append("unit_claim")
    if wish.status == "pending_review" and policy.can_review(viewer, wish):
        acts += ["approve", "reject"]
    if wish.status == "published" and policy.can_review(viewer, wish):
        acts.append("dispatch")
    if wish.status == "done" and mine is None and policy.can_act_for_resident(viewer, wish):
        acts.append("confirm")
    if editing.can_edit(viewer, wish):
        acts.append("resubmit" if wish.status == "rejected" else "edit")
    # Only before anyone serves it, and only by whoever keeps the wish (policy.can_manage_wish).
    if lifecycle.allowed("withdraw", wish.status) and policy.can_manage_wish(viewer, wish):
        acts.append("withdraw")
    return acts


class WishFacts:
    """What `_actions` and the policy read of a wish, as plain values: a cached list (the menu)
    keeps these instead of ORM rows, and every list computes its buttons from them."""

    __slots__ = ("id", "status", "taken", "community_id", "grid_id", "resident_id",
                 "posted_by_id", "on_behalf", "resident")

    def __init__(self, w: Wish, resident_has_phone: bool):
        for name in self.__slots__[:-1]:
            setattr(self, name, getattr(w, name))
        # policy.can_manage_wish asks only whether the resident has a phone, never which.
        self.resident = _HasPhone(resident_has_phone)


class _HasPhone:
    __slots__ = ("phone",)

    def __init__(self, has_phone: bool):
        self.phone = True if has_phone else None


class ClaimRow(NamedTuple):
    """What a card reads of the viewer's live claim on its wish."""
    id: int
    status: str
    wish_id: int


def _live_claims(*columns):
    """A SELECT of `columns` of the viewer's (`viewer`) live claims on the wishes `wishes`."""
    return select(*columns).where(Claim.wish_id.in_(bindparam("wishes", expanding=True)),
                                  Claim.volunteer_id == bindparam("viewer"),
                                  Claim.status.in_(LIVE_CLAIM_STATUSES))


# Built once: building them cost more than running them (0.8 ms against 0.25 on SQLite).
_NAMES = (select(literal("u"), User.id, User.name, case((User.phone.is_(None), 0), else_=1))
          .where(User.id.in_(bindparam("users", expanding=True))),
          select(literal("o"), Org.id, Org.name, null())
          .where(Org.id.in_(bindparam("orgs", expanding=True))))
_LOOKED_UP = union_all(*_NAMES)
_LOOKED_UP_MINE = union_all(*_NAMES, _live_claims(literal("c"), Claim.wish_id, Claim.status,
                                                  Claim.id))
_MY_CLAIMS = _live_claims(Claim.id, Claim.status, Claim.wish_id)


def _looked_up(session, wishes: list[Wish], viewer: User | None = None):
    """The names of the wishes' grids and buildings, their residents' (name, has a phone) and,
    given a viewer, the viewer's live claims on them ({wish id: ClaimRow}): one statement (a
    statement costs 0.3 ms on SQLite, 0.6 on PostgreSQL, however short)."""
    if not wishes:
        return {}, {}, {}
    orgs = ({w.grid_id for w in wishes} | {w.building_id for w in wishes}) - {None}
    params = {"users": list({w.resident_id for w in wishes}), "orgs": list(orgs)}
    if viewer is not None:
        params.update(wishes=[w.id for w in wishes], viewer=viewer.id)
    names, residents, mine = {}, {}, {}
    for kind, key, text, n in session.execute(
            _LOOKED_UP if viewer is None else _LOOKED_UP_MINE, params):
        if kind == "o":
            names[key] = text
        elif kind == "u":
            residents[key] = (text, bool(n))
        else:
            mine[key] = ClaimRow(n, text, key)
    return names, residents, mine


def _shared(wishes, names, residents) -> list[tuple[dict, WishFacts, str | None]]:
    # Each status's and category's label looked up in the reader's language once a list, not
    # once a card (each lookup asks Flask-Babel for the request's locale and translations).
    labels: dict = {}
    out = []
    for w in wishes:
        name, has_phone = residents.get(w.resident_id, (None, False))
        out.append((_shared_card(w, names, name, labels), WishFacts(w, has_phone), name))
    return out


def shared_parts(session, wishes: list[Wish]) -> list[tuple[dict, WishFacts, str | None]]:
    """For each wish: the card as every viewer sees it (resident masked, no claim state, no
    buttons), its facts, and the resident's name (shown to that resident only). One query."""
    names, residents, _mine = _looked_up(session, wishes)
    return _shared(wishes, names, residents)


def my_claims(session, viewer: User, wish_ids) -> dict:
    """{wish id: (id, status, wish_id) of the viewer's live claim} among `wish_ids` (one
    query; plain rows: the cards read nothing else of a claim)."""
    if not wish_ids:
        return {}
    return {c.wish_id: c for c in session.execute(
        _MY_CLAIMS, {"wishes": list(wish_ids), "viewer": viewer.id})}


def personal_card(shared: dict, facts: WishFacts, resident_name: str | None, viewer: User,
                  mine: Claim | None) -> dict:
    """The card for one viewer: their own name on their own wish, their claim, their buttons."""
    card = dict(shared)
    if viewer.id == facts.resident_id:
        card["resident"] = resident_name
    card["my_claim_id"] = mine.id if mine else None
    card["my_claim_status"] = mine.status if mine else None
    card["actions"] = _actions(facts, viewer, mine)
    # Per view: the time passes with no change to the wish (a cached list shows it at once).
    card["window_over"] = window_over(card["status"], card["wanted_from"], card["wanted_until"])
    return card


def cards(session, wishes: list[Wish], viewer: User) -> list[dict]:
    """Card dicts for a list of wishes, with one query however long the list."""
    names, residents, mine = _looked_up(session, wishes, viewer)
    return [personal_card(shared, facts, name, viewer, mine.get(facts.id))
            for shared, facts, name in _shared(wishes, names, residents)]


def _shared_card(w: Wish, names: dict, resident_name: str | None, labels: dict) -> dict:
    category = labels.get(("category", w.category_id))
    if category is None:
        category = labels[("category", w.category_id)] = category_label(w.category)
    status = labels.get(w.status)
    if status is None:
        status = labels[w.status] = str(lifecycle.STATUS_LABELS[w.status])
    return {
        "id": w.id, "kind": w.kind, "title": w.title, "category": category,
        "category_id": w.category_id, "status": w.status, "status_label": status,
        "resident": mask_name(resident_name),
        "grid": names.get(w.grid_id), "building": names.get(w.building_id),
        "grid_id": w.grid_id, "capacity": w.capacity, "taken": w.taken,
        "estimated_hours": float(w.estimated_hours), "value_yuan": w.value_yuan,
        "wanted_from": w.wanted_from, "wanted_until": w.wanted_until, "deadline": w.deadline,
        "published_at": w.published_at, "created_at": w.created_at,
        "on_behalf": w.on_behalf, "my_claim_id": None, "my_claim_status": None, "actions": [],
        # The reviewer's reason belongs on the card: it says what to change (only the
        # resident and staff see a rejected wish at all).
        "reject_reason": w.reject_reason if w.status == "rejected" else None}


def window_over(status: str, wanted_from, wanted_until, now=None) -> bool:
    """Whether a published wish's wanted time is over (the menu no longer offers it)."""
    end = wanted_until or wanted_from
    return status == "published" and end is not None and end < (now or utcnow())


def detail(session, wish: Wish, viewer: User, channel: str) -> dict:
    """The full view of one wish: card, description, claims, timeline, contact if allowed."""
    (card,) = cards(session, [wish], viewer)
    claims = list(session.scalars(select(Claim).where(Claim.wish_id == wish.id).order_by(Claim.id)))
    active = {c.volunteer_id for c in claims if c.status in ("active", "started", "done")}
    card["description"] = wish.description
    # A sensitive wish's details reach only whom its contact does (DESIGN §2): the resident,
    # active volunteers, the grid's staff and community admin.
    card["sensitive"] = bool(wish.sensitive)
    card["sensitive_hidden"] = bool(wish.sensitive) and viewer.id != wish.resident_id and (
        policy.can_see_contact(viewer, wish, active) is None)
    if card["sensitive_hidden"]:
        card["description"] = ""
    card["reject_reason"] = wish.reject_reason
    card["rating"], card["comment"] = wish.rating, wish.comment
    staff = policy.is_grid_staff(viewer, wish)
    party = viewer.id == wish.resident_id or viewer.id in active or staff
    card["claims"] = [{
        "id": c.id, "volunteer": person_name(c.volunteer, wish, viewer, party),
        "volunteer_id": c.volunteer_id if party else None, "unit": c.unit.name if c.unit else None,
        "status": c.status, "via": c.via, "hours": float(c.hours) if c.hours is not None else None,
    } for c in claims if c.status in LIVE_CLAIM_STATUSES + ("confirmed",)]
    # Claim, release and dispatch events name the volunteer in their note: same rule.
    named = {c.volunteer.name: c.volunteer for c in claims}
    card["events"] = [{
        "action": e.action, "action_label": str(lifecycle.ACTION_LABELS.get(e.action, e.action)),
        "from": e.from_status, "to": e.to_status, "at": e.at,
        "note": person_name(named[e.note], wish, viewer, party) if e.note in named else e.note,
        "actor": person_name(e.actor, wish, viewer, party) if e.actor else str(_l("系统")),
        "changes": [{"field": f, "label": str(editing.FIELD_LABELS.get(f, f)), "old": o, "new": n}
                    for f, o, n in (e.changes or [])],
    } for e in wish.events]
    card["contact"] = contact(session, wish, viewer, active, channel)
    card["volunteer_contacts"] = volunteer_contacts(session, wish, viewer, claims, channel)
    # Undo within the community's window: shown only where amend.* would accept it.
    from . import amend  # amend → wishes → notify: imported late to keep present light
    card["can_rerate"] = amend.can_rerate(session, viewer, wish)
    card["can_reconsider"] = amend.can_reconsider(session, viewer, wish)
    # A resident's voice (issue 29 §2): 反映问题, "没办好" within the window, the review.
    from . import dispute  # dispute → ledger → wishes: late, as amend
    from ..voice import reports as voice
    card["can_complain"] = viewer.id == wish.resident_id and wish.status != "draft"
    card["can_dispute"] = dispute.can_dispute(session, viewer, wish)
    card["can_settle"] = wish.status == "disputed" and policy.can_settle_dispute(viewer, wish)
    card["complaints"] = voice.for_wish(session, wish.id, viewer)
    # Staff see whether each notification about the wish reached a phone (已送达/未送达).
    card["deliveries"] = receipts.for_wish(session, wish.id) if staff else None
    card["sms_contact_for"] = wish.resident_id if staff and not wish.resident.phone else None
    return card


def person_name(person: User, wish: Wish, viewer: User, party: bool) -> str:
    """The one masking rule of a wish's page (claims list and timeline alike): the parties
    (resident, active volunteers, that grid's staff) and the person themself see the full
    name, and so does everyone for the grid's staff acting in office; every other viewer sees
    residents and volunteers by surname only (王**)."""
    if party or person.id == viewer.id or policy.is_grid_staff(person, wish):
        return person.name
    return mask_name(person.name)


def contact(session, wish: Wish, viewer: User, active_ids: set[int], channel: str) -> dict | None:
    """The resident's phone and address if the viewer may see them; logs the disclosure."""
    reason = policy.can_see_contact(viewer, wish, active_ids)
    if reason is None or viewer.id == wish.resident_id:
        return None
    resident = wish.resident
    # The home, to the room: building name plus the private address line.
    shown = {"name": resident.name, "phone": resident.phone,
             "address": " ".join(p for p in (wish.building.name, resident.address) if p)}
    if not resident.phone:  # who to call instead
        shown["grid_worker"] = grid_worker(session, wish.grid_id)
    begin_write(session)
    session.add(Disclosure(wish_id=wish.id, resident_id=resident.id, viewer_id=viewer.id,
                           reason=reason, channel=channel))
    session.commit()
    return shown


def grid_worker(session, grid_id: int | None) -> dict | None:
    """The grid's worker (name and work phone): who to call for a resident without a phone."""
    if not grid_id:
        return None
    row = session.execute(
        select(User.name, User.phone).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "grid_worker", RoleGrant.org_id == grid_id,
               RoleGrant.active.is_(True), User.active.is_(True))
        .order_by(RoleGrant.id).limit(1)).first()
    return {"name": row.name, "phone": row.phone} if row else None


def volunteer_contacts(session, wish: Wish, viewer: User, claims, channel: str) -> list[dict]:
    """The active volunteers' names and phones for the resident (and, for a resident without a
    phone, the grid's staff who act for them) once a claim is active; each showing is logged."""
    acting = not wish.resident.phone and policy.is_grid_staff(viewer, wish)
    if viewer.id != wish.resident_id and not acting:
        return []
    shown = [c.volunteer for c in claims if c.status in ("active", "started", "done")
             and c.volunteer_id != viewer.id]
    if not shown:
        return []
    begin_write(session)
    for v in shown:
        # resident_id is whose contact was shown: here the volunteer's.
        session.add(Disclosure(wish_id=wish.id, resident_id=v.id, viewer_id=viewer.id,
                               reason="volunteer_phone", channel=channel))
    session.commit()
    return [{"name": v.name, "phone": v.phone} for v in shown]
