"""API: 结对联户 (pairings, suggestions, my households, visits, a need as a wish, coverage) and
双向评议 (open, close, publish, reopen a round).

Each route is documented in PAIRING_ROUTES, merged into the OpenAPI table at import.
"""
from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, Field

from ..extensions import db
from ..models import Pairing, utcnow
from ..schemas.pairing import (CommunityQuery, CoverageQuery, EndManyInput, PairInput,
                               ReopenInput, RoundInput, VisitInput, VisitWishInput)
from ..services.pairing import batches, coverage, evaluation, pairings, suggestions, visits
from . import bp, openapi
from .common import body, me, query, reply, token_required

S = db.session


class PairingOut(BaseModel):
    id: int
    member_id: int
    household_id: int
    status: Literal["active", "ended", "declined"]


class PairingList(BaseModel):
    items: list[PairingOut]


class SuggestionOut(BaseModel):
    member_id: int
    member: str
    household_id: int
    household: str
    building: str
    why: Literal["same_building", "same_grid", "community"]
    care: list[str] = Field(description="care tags (独居老人, 残疾, 困难家庭): community admins only")
    skills: list[str]


class SuggestionList(BaseModel):
    items: list[SuggestionOut]


class HouseholdOut(BaseModel):
    pairing_id: int
    household_id: int
    name: str
    phone: Optional[str]
    address: str
    visits: int
    required: int
    due: int
    last_visit: Optional[date]


class HouseholdList(BaseModel):
    items: list[HouseholdOut]


class CoverageRow(BaseModel):
    grid_id: Optional[int] = None
    grid: Optional[str] = None
    member_id: Optional[int] = None
    member: Optional[str] = None
    households: Optional[int] = None
    paired: int
    visited: int
    paired_share: Optional[float] = None
    visited_share: float
    below_min: Optional[bool] = Field(None, description="members: fewer households than the "
                                      "community's pairing_min_households")


class Coverage(BaseModel):
    community_id: int
    year: int
    required: int
    households: int
    paired: int
    visited: int
    paired_share: float
    visited_share: float
    by_grid: list[CoverageRow]
    by_member: list[CoverageRow] = Field(description="one page of members, in id order")
    members: int = Field(description="members with an active pairing, on every page")
    page: int
    pages: int


class VisitOut(BaseModel):
    id: int
    household_id: int
    date: date
    kind: Literal["home", "phone", "other"]


class State(BaseModel):
    id: int
    status: str


class UnitResult(BaseModel):
    unit_id: int
    unit: str
    score: Optional[float]
    grade: Optional[Literal["excellent", "good", "fair", "poor"]]
    grade_label: str
    parts: dict[str, Optional[float]]
    facts: dict = Field({}, description="the counts behind the parts: ratings, members, "
                        "members_both_halves (null when only one half ran), halves_run, hours, "
                        "hours_target, sessions_due")


class RoundOut(BaseModel):
    id: int
    community_id: int
    year: int
    status: Literal["open", "closed", "published"]
    units: list[UnitResult]


def _pairing(p) -> dict:
    return {"id": p.id, "member_id": p.member_id, "household_id": p.household_id,
            "status": p.status}


@bp.post("/pairings")
@token_required
def create_pairings():
    """The community admin pairs a member with households (all or nothing)."""
    data = body(PairInput)
    rows = pairings.pair(S, me(), data.member_id, data.household_ids)
    return reply({"items": [_pairing(p) for p in rows]}, 201)


@bp.post("/pairings/end")
@token_required
def end_pairings():
    """End several pairings of the admin's community at once, with one reason (all or none)."""
    data = body(EndManyInput)
    rows = batches.end_many(S, me(), data.pairing_ids, data.reason)
    return reply({"items": [_pairing(p) for p in rows]})


@bp.get("/pairings/suggestions")
@token_required
def pairing_suggestions():
    """Suggested pairs: care-tagged households first, same building, then grid; skills."""
    return reply({"items": suggestions.suggest(S, me(), query(CommunityQuery).community)})


@bp.get("/pairings/mine")
@token_required
def my_households():
    """A member's households with name, phone and address; each one returned is logged."""
    out = []
    for r in visits.mine(S, me()):
        p = S.get(Pairing, r["pairing_id"])
        c = pairings.contact(S, p, me(), "api") or {}
        out.append({**r, "name": c.get("name", ""), "phone": c.get("phone"),
                    "address": c.get("address", "")})
    return reply({"items": out})


@bp.get("/pairings/coverage")
@token_required
def pairing_coverage():
    """Share of households paired and visited enough, by grid, and by member a page at a time
    (a community's members are hundreds at district size)."""
    q = query(CoverageQuery)
    year = q.year or visits.local_today(utcnow()).year
    return reply(coverage.coverage_page(S, me(), q.community, year, q.page))


@bp.post("/visits")
@token_required
def create_visit():
    """The paired member logs a visit."""
    v = visits.log(S, me(), body(VisitInput))
    return reply({"id": v.id, "household_id": v.household_id, "date": v.visited_on,
                  "kind": v.kind}, 201)


@bp.post("/visits/<id:visit_id>/wish")
@token_required
def visit_wish(visit_id):
    """Turn a need heard on the visit into a wish on the household's behalf (consent: true)."""
    w = visits.to_wish(S, me(), visit_id, body(VisitWishInput))
    return reply({"id": w.id, "status": w.status}, 201)


def _round(r) -> dict:
    return {"id": r.id, "community_id": r.community_id, "year": r.year, "status": r.status,
            "units": evaluation.results(S, r) if r.status != "open" else []}


@bp.post("/evaluations")
@token_required
def open_evaluation():
    """The community admin opens the yearly 双向评议."""
    data = body(RoundInput)
    return reply(_round(evaluation.open_round(S, me(), data.community_id, data.year)), 201)


@bp.post("/evaluations/<id:round_id>/close")
@token_required
def close_evaluation(round_id):
    """Close the round: each unit's score, grade and parts (409 if already closed)."""
    return reply(_round(evaluation.close(S, me(), round_id)))


@bp.post("/evaluations/<id:round_id>/publish")
@token_required
def publish_evaluation(round_id):
    """Put a closed round's grades on the public board (公示)."""
    return reply(_round(evaluation.publish(S, me(), round_id)))


@bp.post("/evaluations/<id:round_id>/reopen")
@token_required
def reopen_evaluation(round_id):
    """Reopen a closed or published round to correct it; the reason goes on the admin log."""
    return reply(_round(evaluation.reopen(S, me(), round_id, body(ReopenInput).reason)))


_E = (400, 401, 403, 404, 409, 422)
PAIRING_ROUTES = {
    "api.create_pairings": dict(summary="结对 Pair a member with households", body=PairInput,
                                ok=(201, PairingList), errors=_E,
                                description="All or nothing; 409 already_paired, 422 over the "
                                "community's households-per-member cap."),
    "api.end_pairings": dict(summary="结束结对 End several pairings", body=EndManyInput,
                             ok=(200, PairingList), errors=_E,
                             description="One reason for all (e.g. undoing a mistaken batch); "
                             "404 when one is not of the caller's community, 409 when one has "
                             "ended already: then none is ended."),
    "api.pairing_suggestions": dict(summary="结对建议 Suggested pairs", query=CommunityQuery,
                                    ok=(200, SuggestionList), errors=(401, 403, 404, 422),
                                    description="The first 30 pairs of the ranking; accepting "
                                    "them brings up the next."),
    "api.my_households": dict(summary="我的结对家庭 My households", ok=(200, HouseholdList),
                              errors=(401,), description="Contact details of each household; "
                              "each time they are returned a disclosure is logged."),
    "api.pairing_coverage": dict(summary="走访覆盖 Coverage by grid and member",
                                 query=CoverageQuery, ok=(200, Coverage),
                                 errors=(401, 403, 404, 422),
                                 description="By grid in whole; by member 30 a page (`page`, "
                                 "past the last answers the last), with `members` and `pages`."),
    "api.create_visit": dict(summary="记录走访 Log a visit", body=VisitInput, ok=(201, VisitOut),
                             errors=(400, 401, 422)),
    "api.visit_wish": dict(summary="需求转心愿 A need heard as a wish", body=VisitWishInput,
                           ok=(201, State), errors=_E,
                           description="Posted on the household's behalf, recorded as gathered "
                           "on the visit; consent must be true. Goes through review."),
    "api.open_evaluation": dict(summary="开启评议 Open the yearly round", body=RoundInput,
                                ok=(201, RoundOut), errors=_E),
    "api.close_evaluation": dict(summary="结束评议 Close and score", ok=(200, RoundOut), errors=_E),
    "api.publish_evaluation": dict(summary="公示 Publish the grades", ok=(200, RoundOut),
                                   errors=_E),
    "api.reopen_evaluation": dict(summary="重新开启 Reopen with a reason", body=ReopenInput,
                                  ok=(200, RoundOut), errors=_E),
}
openapi.ROUTES.update(PAIRING_ROUTES)
