"""Posting, reviewing, withdrawing and confirming wishes (through the lifecycle module)."""
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ...db import begin_write
from ...models import (LIVE_CLAIM_STATUSES, Category, Claim, Org, ServiceRecord, User, VisitWish,
                      Wish, utcnow)
from ..ledger import ledger
from . import lifecycle
from .. import policy
from ..errors import Forbidden, Invalid, NotFound
from ..notify.notify import notify, tell_community
from ..people.orgs import setting

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def _aware(dt: datetime | None) -> datetime | None:
    """Times typed into a form carry no zone: they are community (Beijing) time."""
    if dt is None:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=LOCAL_TZ)).astimezone(timezone.utc)


def get_wish(session, wish_id) -> Wish:
    """A wish by id or NotFound."""
    wish = session.get(Wish, wish_id) if isinstance(wish_id, int) else None
    if wish is None:
        raise NotFound(_l("找不到这个心愿。"), code="wish_not_found")
    return wish


def live_claims(session, wish: Wish) -> list[Claim]:
    """Claims still in play (offered, active, started, done)."""
    return list(session.scalars(select(Claim).where(
        Claim.wish_id == wish.id, Claim.status.in_(LIVE_CLAIM_STATUSES)).order_by(Claim.id)))


def claimer_ids(session, wish: Wish) -> set[int]:
    """Volunteers who may open the wish for having served it: live claims and confirmed ones
    (the web page and the API ask the same question)."""
    return set(session.scalars(select(Claim.volunteer_id).where(
        Claim.wish_id == wish.id, Claim.status.in_(LIVE_CLAIM_STATUSES + ("confirmed",)))))


def post(session, actor: User, data, now=None, errors: dict | None = None, visit=None) -> Wish:
    """Post a wish for the actor, or for `on_behalf_of` by grid staff (代为登记).

    `errors`: the input's own field errors (schemas.parse_each), reported with ours at once.
    `visit`: a need heard on a paired member's visit (services/pairing/visits.to_wish checked
    the pairing and the household's consent); linked to the wish in the same transaction."""
    begin_write(session)
    now = now or utcnow()
    fields = dict(errors or {})
    if data.client_uuid:
        # Offline drafts replay: the same UUID is the same wish, sent once.
        dup = session.scalar(select(Wish).where(Wish.client_uuid == data.client_uuid))
        if dup is not None and dup.posted_by_id == actor.id:
            session.rollback()
            return dup
        if dup is not None:
            raise Invalid({**fields, "client_uuid": _l("草稿编号重复，请重新填写。")})
    resident = actor
    if "on_behalf_of" in fields:
        raise Invalid(fields)  # for whom is unknown: nothing else can be checked
    if data.on_behalf_of is not None:
        resident = session.get(User, data.on_behalf_of)
        from_visit = (visit is not None and resident is not None
                      and (visit.household_id, visit.member_id) == (resident.id, actor.id))
        if resident is None or resident.building is None or not (
                from_visit or policy.can_post_for(actor, resident)):
            raise Invalid({**fields, "on_behalf_of": _l("只能为本网格的居民代为登记。")})
    elif not policy.is_resident(actor) or actor.building is None:
        raise Forbidden(_l("请先以居民身份登记所在楼栋，再发布心愿。"))
    building = resident.building
    community = session.get(Org, building.community_id)
    cat = None
    if "category" not in fields:
        cat = session.get(Category, data.category)
        if cat is None or cat.community_id != building.community_id or not cat.active:
            fields["category"] = _l("请从本社区的分类中选择。")
    if getattr(data, "kind", None) == "wish" and "value_yuan" in fields:
        # The schema's own bound (100000) means nothing to a resident: say the community's cap,
        # as the form's hint does.
        cap = setting(community, "wish_value_cap") if community else 500
        fields["value_yuan"] = _l("请填写 0 到 %(cap)s 之间的整数（本社区微心愿上限 %(cap)s 元）。",
                                  cap=cap)
    elif getattr(data, "kind", None) == "wish":
        cap = setting(community, "wish_value_cap") if community else 500
        if data.value_yuan is None:
            fields["value_yuan"] = _l("请填写心愿物品的大致价值（元）。")
        elif data.value_yuan > cap:
            fields["value_yuan"] = _l("本社区微心愿价值上限为 %(cap)s 元。", cap=cap)
    wanted_from, wanted_until, deadline = (_aware(data.wanted_from), _aware(data.wanted_until),
                                           _aware(data.deadline))
    if wanted_from and wanted_until and wanted_until <= wanted_from:
        fields.setdefault("wanted_until", _l("结束时间应晚于开始时间。"))
    if deadline and deadline <= now:
        fields.setdefault("deadline", _l("截止时间应晚于现在。"))
    if getattr(data, "sensitive", False) and not getattr(data, "sensitive_consent", False):
        fields["sensitive_consent"] = _l("涉及健康、未成年人等敏感信息时，请单独勾选同意。")
    if fields:
        raise Invalid(fields)
    sensitive = bool(getattr(data, "sensitive", False))
    wish = Wish(
        sensitive=sensitive, sensitive_consent_at=now if sensitive else None,
        kind=data.kind, title=data.title, description=data.description or "",
        category_id=cat.id, value_yuan=data.value_yuan if data.kind == "wish" else None,
        estimated_hours=Decimal(data.estimated_hours), capacity=data.capacity, taken=0,
        status="pending_review", wanted_from=wanted_from, wanted_until=wanted_until,
        deadline=deadline, resident_id=resident.id, posted_by_id=actor.id,
        on_behalf=resident.id != actor.id, community_id=building.community_id,
        grid_id=building.grid_id, building_id=building.id, client_uuid=data.client_uuid,
        created_at=now, updated_at=now,
    )
    session.add(wish)
    session.flush()
    note = _l("网格员代为登记") if wish.on_behalf else None
    if visit is not None:
        note = _l("入户走访时收集，居民已同意代为登记")
        session.add(VisitWish(visit_id=visit.id, wish_id=wish.id, consent=True,
                              recorded_by_id=actor.id, at=now))
    lifecycle.log(session, wish, "post", actor.id, None, "pending_review",
                  note and str(note), now)
    if cat.auto_publish:
        lifecycle.move(session, wish, "auto_publish", None, now=now, published_at=now)
        notify(session, [resident.id], "wish_approved", wish)
    else:  # the community's admins hear at once, or in the digest if they chose it
        tell_community(session, wish.community_id, "wish_review_needed", wish, now=now,
                       url=f"/admin/wishes/{wish.id}/review")
    session.commit()
    return wish


def review(session, actor: User, wish_id, decision: str, reason: str | None = None,
           now=None) -> Wish:
    """The community admin approves (→ published) or rejects with a reason."""
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    if not policy.can_review(actor, wish):
        raise Forbidden(_l("只有本社区管理员可以审核心愿。"))
    if decision == "approve":
        lifecycle.move(session, wish, "approve", actor.id, reason, now=now, published_at=now)
        notify(session, [wish.resident_id], "wish_approved", wish)
    else:
        if not reason:
            raise Invalid({"reason": _l("请填写不通过的原因，居民会看到。")})
        lifecycle.move(session, wish, "reject", actor.id, reason, now=now, reject_reason=reason)
        notify(session, [wish.resident_id], "wish_rejected", wish, note=reason)
    session.commit()
    return wish


def withdraw(session, actor: User, wish_id, now=None) -> Wish:
    """The resident (or grid staff for them) withdraws a wish before service starts."""
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    if not policy.can_manage_wish(actor, wish):
        raise Forbidden(_l("只有发布心愿的居民（或为其代登记的网格员）可以撤回。"))
    volunteers = [c.volunteer_id for c in live_claims(session, wish)]
    lifecycle.move(session, wish, "withdraw", actor.id, now=now, taken=0)
    session.execute(update(Claim).where(Claim.wish_id == wish.id,
                                        Claim.status.in_(LIVE_CLAIM_STATUSES))
                    .values(status="released", released_at=now))
    notify(session, volunteers, "wish_withdrawn", wish)
    session.commit()
    return wish


def confirm(session, actor: User, wish_id, rating: int | None, comment: str | None = None,
            note: str | None = None, now=None, system: bool = False) -> list[ServiceRecord]:
    """Confirm a done wish: one ServiceRecord per volunteer; with a rating the wish closes."""
    begin_write(session)
    now = now or utcnow()
    wish = get_wish(session, wish_id)
    on_behalf = system or actor.id != wish.resident_id
    if not system:
        if not policy.can_act_for_resident(actor, wish):
            raise Forbidden(_l("只有居民本人或本网格工作人员可以确认服务。"))
        if on_behalf and not note:
            raise Invalid({"note": _l("代为确认时请注明情况（如电话回访结果）。")})
        policy.refuse(policy.confirm_refusal(actor, set(session.scalars(
            select(Claim.volunteer_id).where(Claim.wish_id == wish.id,
                                             Claim.status.in_(LIVE_CLAIM_STATUSES))))))
    action = "auto_confirm" if system else "confirm"
    lifecycle.move(session, wish, action, None if system else actor.id, note, now=now,
                   rating=rating, comment=comment)
    records = []
    for c in session.scalars(select(Claim).where(Claim.wish_id == wish.id,
                                                 Claim.status == "done")):
        c.status = "confirmed"
        records.append(ServiceRecord(
            wish_id=wish.id, claim_id=c.id, volunteer_id=c.volunteer_id, unit_id=c.unit_id,
            community_id=wish.community_id, grid_id=wish.grid_id, category_id=wish.category_id,
            hours=c.hours, service_date=c.done_at or now, rating=rating,
            confirmed_by_id=None if system else actor.id, confirmed_at=now,
            confirm_note=note if on_behalf else None,
            # Started and finished by the resident's service code: measured presence.
            basis="presence" if c.started_by_code and c.done_by_code else "confirmed",
        ))
    session.add_all(records)
    session.flush()
    if rating is not None:
        lifecycle.move(session, wish, "close", None if system else actor.id,
                       comment, now=now)
    event = ("wish_confirmed" if rating is not None else
             "wish_auto_confirmed" if system else "wish_confirmed_unrated")
    notify(session, [r.volunteer_id for r in records], event, wish,
           note=str(rating) if rating is not None else "")
    ledger.on_confirmed(session, records, now)
    session.commit()
    return records
