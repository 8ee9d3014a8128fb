"""Activation of imported and staff-created accounts: invitations to a grid's not-yet-activated
residents (SMS, within the community's budget) and printed slips, one A4 page per building."""
from collections import OrderedDict

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...db import begin_write
from ...models import Org, Outbox, User, utcnow
from .. import policy
from ..admin import adminlog
from ..errors import Forbidden, NotFound
from ..notify import sms
from ..where import in_any
from . import signin_codes


def _grid(session, actor: User, grid_id) -> Org:
    grid = session.get(Org, grid_id) if isinstance(grid_id, int) else None
    if grid is None or grid.kind != "grid":
        raise NotFound(code="grid_not_found")
    if not policy.can_activate_grid(actor, grid):
        raise Forbidden(_l("只能为自己网格（社区）的居民发送激活邀请或打印激活单。"))
    return grid


def grids_for(session, actor: User) -> list[dict]:
    """The grids whose activation the actor looks after, each with its count still to activate."""
    from sqlalchemy import func
    # Only the grids of the actor's own places are read (a district has thousands); the policy
    # still decides on each.
    near = in_any((Org.id, policy.org_ids_for(actor, "grid_worker")),
                  (Org.community_id, policy.org_ids_for(actor, "community_admin")),
                  (Org.street_id, policy.org_ids_for(actor, "street_admin")))
    grids = [g for g in session.scalars(select(Org).where(Org.kind == "grid", Org.active.is_(True),
                                                          near).order_by(Org.name))
             if policy.can_activate_grid(actor, g)]
    if not grids:
        return []
    # The buildings' kept counts (pairing/tally.py): a district community's thousands of
    # people are never counted here.
    counts = dict(session.execute(
        select(Org.grid_id, func.sum(Org.not_activated))
        .where(Org.kind == "building", Org.grid_id.in_([g.id for g in grids]))
        .group_by(Org.grid_id)).all())
    return [{"id": g.id, "name": g.name, "pending": counts.get(g.id, 0)} for g in grids]


def pending(session, grid_id: int) -> list[User]:
    """Active residents of the grid's buildings who never signed in, by building and address."""
    return list(session.scalars(
        select(User).join(Org, Org.id == User.building_id)
        .where(Org.grid_id == grid_id, User.active.is_(True), User.activated_at.is_(None))
        .order_by(Org.name, User.address, User.id)))


def invite(session, actor: User, grid_id, now=None) -> dict:
    """One SMS invitation to each not-yet-activated resident with a phone (template
    `activation_invite`), as far as the community's SMS budget goes; {"sent", "held"}."""
    from ..notify.channels import budget, sent_today
    now = now or utcnow()
    grid = _grid(session, actor, grid_id)
    tpl = (current_app.config.get("SMS_TEMPLATES") or {}).get("activation_invite")
    strangers = sms.reaches_outside(current_app.config)  # demo numbers are not the demo's
    people = [u for u in pending(session, grid.id) if u.phone and u.phone != u.sms_bad_number
              and not (strangers and u.is_demo)]
    begin_write(session)
    cap = budget(session, grid.community_id)
    used = sent_today(session, grid.community_id, now)
    sent = 0
    for u in people if tpl else []:
        if cap is not None and used + sent >= cap:
            break
        session.add(Outbox(notification_id=None, channel="sms", phone=u.phone,
                           community_id=grid.community_id, template=str(tpl["code"]),
                           params={var: u.name[:20] for var in (tpl.get("params") or {})},
                           status="pending", next_attempt_at=now, created_at=now))
        sent += 1
    adminlog.record(session, actor, "other", grid, now=now,
                    summary=f"activation invitations {sent}/{len(people)}")
    session.commit()
    return {"sent": sent, "held": len(people) - sent}


def masked_name(name: str) -> str:
    """王小明 → 王*明, 王明 → 王*: enough for the household to recognise, not for a passer-by."""
    if len(name) <= 1:
        return name
    return name[0] + "*" * max(1, len(name) - 2) + (name[-1] if len(name) > 2 else "")


def slips(session, actor: User, grid_id, now=None) -> list[dict]:
    """New slip codes (earlier ones of the same people die) for one resident per household:
    [{"building", "slips": [{"name", "address", "code"}]}], one page per building."""
    now = now or utcnow()
    grid = _grid(session, actor, grid_id)
    begin_write(session)
    pages: OrderedDict = OrderedDict()
    seen = set()
    for u in pending(session, grid.id):
        key = (u.building_id, (u.address or "").strip() or f"#{u.id}")
        if key in seen:
            continue  # one slip per household
        seen.add(key)
        page = pages.setdefault(u.building_id, {"building": u.building.name, "slips": []})
        page["slips"].append({"name": masked_name(u.name), "address": u.address or "",
                              "code": signin_codes.make_slip(session, u, now)})
    adminlog.record(session, actor, "other", grid, now=now,
                    summary=f"activation slips {len(seen)}")
    session.commit()
    return list(pages.values())
