"""The demo's records that leave the community (issue 26), driven through the real services:
城西社区 sets its seal, issues a certificate to the member with the most hours this year and
publishes the year's notice of honours on its board (running, so the objection form is live).
"""
import io
from datetime import timedelta

from sqlalchemy import func, select

from ..models import LedgerEntry
from ..schemas.ledger import CertificateInput
from ..services.ledger import certificates, honours, seals
from ..services.ledger.periods import LOCAL_TZ

D = timedelta(days=1)
SIGNERS = {"head_name": "孙书记", "officer_name": "周干事", "contact": "0571-88886666"}


def _seal_png() -> bytes:
    """A round red seal with a five-pointed star (a picture of a seal; no text is drawn)."""
    import math

    from PIL import Image, ImageDraw
    img = Image.new("RGBA", (400, 400), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    red = (200, 16, 46, 230)
    d.ellipse((12, 12, 388, 388), outline=red, width=18)
    pts = [(200 + r * math.sin(math.pi * k / 5), 200 - r * math.cos(math.pi * k / 5))
           for k, r in zip(range(10), [90, 36] * 5)]
    d.polygon(pts, fill=red)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def seed_records(s, ctx) -> None:
    """The seal, a certificate of this year, and the year's notice of honours (running)."""
    west = ctx.orgs["城西社区"]
    admin = ctx.admins[west.id]
    seals.save(s, admin, west.id, _seal_png(), now=ctx.now - 10 * D)
    issued = ctx.now - 2 * D
    day = issued.astimezone(LOCAL_TZ).date()
    members = [m.id for m in ctx.members[west.id]]
    top = s.scalar(select(LedgerEntry.volunteer_id).where(LedgerEntry.community_id == west.id,
                                                          LedgerEntry.volunteer_id.in_(members))
                   .group_by(LedgerEntry.volunteer_id)
                   .order_by(func.sum(LedgerEntry.hours).desc(), LedgerEntry.volunteer_id)
                   .limit(1))
    if top is None:
        return
    certificates.issue(s, admin, west.id, CertificateInput(
        volunteer_id=top, period_from=day - 365 * D, period_to=day, **SIGNERS), now=issued)
    honours.publish(s, admin, west.id, day.year, 7, now=ctx.now - 1 * D)
