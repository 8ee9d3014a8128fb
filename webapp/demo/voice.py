"""The demo's voice of residents (issue 29 §2): a problem raised about a finished wish, answered."""
from datetime import timedelta

from sqlalchemy import select

from ..models import Wish
from ..services.voice import complaints
from .data import COMPLAINT_ANSWER, COMPLAINT_TEXT


def seed_voice(s, ctx, residents, at) -> None:
    """The first resident's closed wish: a problem raised anonymously, the community's answer."""
    r0 = residents[0]
    w = s.scalar(select(Wish).where(Wish.resident_id == r0.id, Wish.status == "closed")
                 .order_by(Wish.id).limit(1))
    if w is None:
        return
    admin = ctx.admins[w.community_id]
    c = at(s, ctx, ctx.now - timedelta(days=2), complaints.raise_, s, r0, "wish", w.id,
           COMPLAINT_TEXT, anonymous=True)
    at(s, ctx, ctx.now - timedelta(days=1, hours=20), complaints.answer, s, admin, c.id,
       COMPLAINT_ANSWER)
