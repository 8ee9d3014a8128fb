"""The backlog dashboard (issue 23 §8): what waits in each community an admin looks after."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...models import Org, Registration, ServiceRecord, User, Wish, utcnow
from ..errors import Forbidden
from ..wishes.menu import overdue as overdue_at
from . import staff

FIGURES = ("reviews", "registrations", "unclaimed", "overdue", "pending_hours", "activated",
           "people")


def _by_community(session, query) -> dict:
    return {cid: n for cid, n in session.execute(query).all()}


def rows(session, viewer: User, now=None) -> list[dict]:
    """One dict per community the viewer administers: each backlog figure, counted in SQL."""
    communities = staff.communities_for(session, viewer)
    if not communities:
        raise Forbidden(_l("只有社区管理员和街道管理员可以查看待办概览。"))
    now = now or utcnow()
    ids = [c.id for c in communities]

    def wishes(*where):
        return _by_community(session, select(Wish.community_id, func.count())
                             .where(Wish.community_id.in_(ids), *where)
                             .group_by(Wish.community_id))

    reviews = wishes(Wish.status == "pending_review")
    unclaimed = wishes(Wish.status == "published")
    # A wish without a wanted-until time is overdue once its claim deadline has passed.
    overdue = wishes(overdue_at(now))
    regs = _by_community(session, select(Registration.community_id, func.count(Registration.id))
                         .where(Registration.community_id.in_(ids),
                                Registration.status == "pending")
                         .group_by(Registration.community_id))
    hours = _by_community(session, select(ServiceRecord.community_id,
                                          func.count(ServiceRecord.id))
                          .where(ServiceRecord.community_id.in_(ids),
                                 ServiceRecord.approval == "pending")
                          .group_by(ServiceRecord.community_id))
    # People who live in the community (as activation.grids_for counts them): of those, who
    # ever signed in. Staff without a home building are not residents of it. From the
    # buildings' kept counts (pairing/tally.py), not by counting a community's thousands.
    people = {cid: (int(total or 0), int(total or 0) - int(waiting or 0))
              for cid, total, waiting in session.execute(
                  select(Org.community_id, func.sum(Org.people), func.sum(Org.not_activated))
                  .where(Org.community_id.in_(ids), Org.kind == "building")
                  .group_by(Org.community_id)).all()}
    out = []
    for c in communities:
        total, signed = people.get(c.id, (0, 0))
        out.append({"community_id": c.id, "community": c.name,
                    "reviews": reviews.get(c.id, 0), "registrations": regs.get(c.id, 0),
                    "unclaimed": unclaimed.get(c.id, 0), "overdue": overdue.get(c.id, 0),
                    "pending_hours": hours.get(c.id, 0), "activated": int(signed or 0),
                    "people": total})
    return out
