"""双向评议 arithmetic: the four parts of a unit's score, the weighted total and the grade.

satisfaction  mean resident rating (1–5 → 0–100) of the unit's members' services and its
              resources' bookings in the year, once there are MIN_RATINGS of them; ratings by
              the unit's own members and admins are left out (and counted apart); every
              problem raised (反映问题) about the unit in the year weighs as a one-star rating,
              with the same rule: none raised by its own side;
participation 50 × share of members (confirmed by the unit before the year ended) who served in
              both half-years + 50 × min(approved hours per member / HOURS_TARGET, 1); a
              community that ran one half only (started mid-year, or the round closes before
              July) has no data for "both halves": 100 × min(hours per member / half the
              target, 1); a community with no service at all in the year: no data (None);
delivery      share of the unit's project sessions due in the year that were held;
community     the community's questionnaire, weighted by its items.
Parts with nothing to measure are None and left out; the weights are renormalised over the rest.
"""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from ...models import (Booking, EvaluationRound, Project, ProjectSession, Resource, RoleGrant,
                       ServiceRecord, UnitEvaluation, User, Wish, utcnow)
from ..ledger import periods
from ..voice import reports as voice

MIN_RATINGS = 5       # fewer ratings than this mean nothing yet: satisfaction is left out
HOURS_TARGET = 10     # hours per member per year that count as full participation
GRADES = ("excellent", "good", "fair", "poor")


def _year(r: EvaluationRound):
    return periods.year(r.year)


def parts(session, r: EvaluationRound, unit_id: int, now=None) -> dict:
    """The four parts of a unit's score (0–100 each, None when there is nothing to measure)."""
    now = now or utcnow()
    y = _year(r)
    start, stop = y.start, min(y.end, now)
    # Nobody rates their own side: ratings by the unit's members and admins are left out.
    own = own_side(unit_id)
    rated = session.execute(select(ServiceRecord.rating, Wish.resident_id).outerjoin(
        Wish, Wish.id == ServiceRecord.wish_id).where(
        ServiceRecord.unit_id == unit_id, ServiceRecord.community_id == r.community_id,
        ServiceRecord.rating.is_not(None), ServiceRecord.service_date >= start,
        ServiceRecord.service_date < y.end)).all()
    rated += session.execute(select(Booking.rating, Booking.user_id).join(
        Resource, Resource.id == Booking.resource_id).where(
        Resource.unit_id == unit_id, Resource.community_id == r.community_id,
        Booking.rating.is_not(None), Booking.starts_at >= start, Booking.starts_at < y.end)).all()
    own_ids = set(session.scalars(own))
    ratings = [rating for rating, by in rated if by not in own_ids]
    complaints, own_complaints = voice.about_unit(session, r.community_id, unit_id, start,
                                                  y.end, own_ids)
    given = len(ratings)
    ratings += [1] * complaints  # a problem raised about the unit weighs as a one-star rating
    sat = (_q(Decimal(sum(ratings) - len(ratings)) * 25 / len(ratings))
           if len(ratings) >= MIN_RATINGS else None)
    members = list(session.scalars(select(User.id).join(
        RoleGrant, RoleGrant.user_id == User.id).where(
        # Members the unit had confirmed by the end of the year: who joined later is not judged.
        User.unit_id == unit_id, User.unit_confirmed_at.is_not(None),
        User.unit_confirmed_at < y.end,
        RoleGrant.role == "member", RoleGrant.active.is_(True),
        RoleGrant.org_id == r.community_id).distinct()))
    part = None
    hours = Decimal(0)
    both = 0
    h1, h2 = periods.half(r.year, 1), periods.half(r.year, 2)
    # The halves the community ran (begun by `stop`, with any service there): without both,
    # "served in both halves" lacks data and is left out rather than scored zero.
    ran = [n for n, h in ((1, h1), (2, h2)) if h.start < stop and session.scalar(
        select(ServiceRecord.id).where(ServiceRecord.community_id == r.community_id,
                                       ServiceRecord.service_date >= h.start,
                                       ServiceRecord.service_date < min(h.end, stop)).limit(1))]
    if members and ran:
        served = session.execute(select(ServiceRecord.volunteer_id, ServiceRecord.service_date,
                                        ServiceRecord.hours, ServiceRecord.approval).where(
            ServiceRecord.volunteer_id.in_(members), ServiceRecord.community_id == r.community_id,
            ServiceRecord.service_date >= start, ServiceRecord.service_date < y.end)).all()
        halves: dict[int, set] = {}
        for vid, when, h, approval in served:
            if approval == "rejected":
                continue
            halves.setdefault(vid, set()).add(1 if h1.start <= when < h1.end else 2)
            if approval == "approved":
                hours += Decimal(h)
        both = sum(1 for v in halves.values() if v == {1, 2})
        per_member = hours / len(members)
        if len(ran) == 2:
            part = _q(Decimal(50) * both / len(members)
                      + Decimal(50) * min(per_member / HOURS_TARGET, Decimal(1)))
        else:  # one half to judge: its hours against half the year's target
            part = _q(Decimal(100) * min(per_member * 2 / HOURS_TARGET, Decimal(1)))
    due = session.execute(select(ProjectSession.status).join(
        Project, Project.id == ProjectSession.project_id).where(
        Project.unit_id == unit_id, Project.community_id == r.community_id,
        ProjectSession.starts_at >= start, ProjectSession.starts_at < stop)).scalars().all()
    delivery = _q(Decimal(100) * sum(1 for s in due if s == "held") / len(due)) if due else None
    answers = session.scalar(select(UnitEvaluation.community_answers).where(
        UnitEvaluation.round_id == r.id, UnitEvaluation.unit_id == unit_id)) or {}
    weights = {i["key"]: i["weight"] for i in r.items}
    answered = {k: v for k, v in answers.items() if k in weights}
    community = (_q(Decimal(sum(v * weights[k] for k, v in answered.items()))
                    / sum(weights[k] for k in answered)) if answered else None)
    return {"satisfaction": sat, "participation": part, "delivery": delivery,
            "community": community, "ratings": given,
            "own_side_ratings_left_out": len(rated) - given, "complaints": complaints,
            "own_side_complaints_left_out": own_complaints, "members": len(members),
            "members_both_halves": both if len(ran) == 2 else None, "halves_run": ran,
            "hours_target": HOURS_TARGET * len(ran) / 2, "hours": float(hours),
            "sessions_due": len(due)}


def own_side(unit_id: int):
    """The ids of the unit's own people (its members and its admins), as a select."""
    return select(User.id).where(User.unit_id == unit_id).union(select(RoleGrant.user_id).where(
        RoleGrant.role == "unit_admin", RoleGrant.unit_id == unit_id))


def _q(d: Decimal) -> float:
    return float(Decimal(d).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def total(p: dict, weights: dict) -> float | None:
    """Weighted mean of the parts there are (weights renormalised over them)."""
    present = {k: v for k, v in p.items() if k in weights and v is not None}
    if not present:
        return None
    w = sum(weights[k] for k in present)
    return _q(sum(Decimal(str(v)) * weights[k] for k, v in present.items()) / w)


def grade(score: float | None, thresholds: list) -> str | None:
    """优秀/良好/一般/较差 by the round's thresholds; None without a score."""
    if score is None:
        return None
    for g, t in zip(GRADES, thresholds):
        if score >= t:
            return g
    return "poor"


