"""API: a resident's voice — problems raised (反映问题), answered, settled or reopened; "没办好"
on a finished wish and the community's review. No photos here: the web form takes them.

Each route is documented in VOICE_ROUTES, merged into the OpenAPI table at import.
"""
from datetime import datetime
from typing import Literal, Optional

from pydantic import BaseModel, Field

from ..extensions import db
from ..schemas.voice import AnswerInput, CloseInput, ComplaintInput, DisputeInput, SettleInput
from ..services.voice import complaints, reports
from ..services.wishes import dispute
from . import bp, openapi
from .common import body, me, reply, token_required

S = db.session


class ComplaintOut(BaseModel):
    id: int
    subject: Literal["wish", "booking", "session", "visit"]
    title: str
    text: str
    author: str = Field(description="匿名居民 for the volunteer and the unit when anonymous; "
                                    "staff always get the name")
    anonymous: bool
    status: Literal["received", "answered", "settled", "reopened"]
    answer: Optional[str]
    created_at: datetime
    first_answer_at: Optional[datetime]
    settled_at: Optional[datetime]


class DisputeState(BaseModel):
    id: int
    status: str


def _out(c) -> dict:
    d = reports.detail(S, c, me())
    return {k: d[k] for k in ComplaintOut.model_fields}


@bp.post("/complaints")
@token_required
def create_complaint():
    """Raise a problem about a service one received; the community's admins are told."""
    data = body(ComplaintInput)
    c = complaints.raise_(S, me(), data.kind, data.subject_id, data.text, data.anonymous)
    return reply(_out(c), 201)


@bp.get("/complaints/<id:complaint_id>")
@token_required
def complaint_detail(complaint_id):
    """One problem raised, as the caller may see it."""
    return reply(_out(complaints.get(S, complaint_id)))


@bp.post("/complaints/<id:complaint_id>/answer")
@token_required
def answer_complaint(complaint_id):
    """The community's answer (its admins only)."""
    c = complaints.answer(S, me(), complaint_id, body(AnswerInput).answer)
    return reply(_out(c))


@bp.post("/complaints/<id:complaint_id>/close")
@token_required
def close_complaint(complaint_id):
    """The author: solved (settled) or not (reopened, with a note)."""
    data = body(CloseInput)
    return reply(_out(complaints.close_loop(S, me(), complaint_id, data.solved, data.note)))


@bp.post("/wishes/<id:wish_id>/dispute")
@token_required
def dispute_wish(wish_id):
    """没办好: a finished wish back to the community for review, its hours held."""
    w = dispute.dispute(S, me(), wish_id, body(DisputeInput).reason)
    return reply({"id": w.id, "status": w.status})


@bp.post("/wishes/<id:wish_id>/settle")
@token_required
def settle_wish(wish_id):
    """The community's review: uphold (the service stands) or redo (hours reversed)."""
    data = body(SettleInput)
    w = dispute.settle(S, me(), wish_id, data.decision, data.note)
    return reply({"id": w.id, "status": w.status})


_E = (400, 401, 403, 404, 409, 422)
VOICE_ROUTES = {
    "api.create_complaint": dict(summary="反映问题 Raise a problem", body=ComplaintInput,
                                 ok=(201, ComplaintOut), errors=_E,
                                 description="Only whoever received the service (the wish's "
                                 "resident, the booker, an attendee, the visited household)."),
    "api.complaint_detail": dict(summary="反映详情 One problem raised", ok=(200, ComplaintOut),
                                 errors=(401, 403, 404)),
    "api.answer_complaint": dict(summary="答复 Answer a problem", body=AnswerInput,
                                 ok=(200, ComplaintOut), errors=_E),
    "api.close_complaint": dict(summary="已解决 / 仍未解决 Solved or not", body=CloseInput,
                                ok=(200, ComplaintOut), errors=_E),
    "api.dispute_wish": dict(summary="没办好 Reopen a finished wish", body=DisputeInput,
                             ok=(200, DisputeState), errors=_E,
                             description="Within the community's reopen_window_days (7) of the "
                             "confirmation; 409 window_over after it. The hours are held."),
    "api.settle_wish": dict(summary="复核 Review a reopened wish", body=SettleInput,
                            ok=(200, DisputeState), errors=_E),
}
openapi.ROUTES.update(VOICE_ROUTES)
