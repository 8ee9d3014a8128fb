"""The admin log: one line per administrative act, written with the act itself."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

# appoint, remove_role, import, password_reset, password_change, deactivate, reactivate,
# move_house, tree_add, tree_rename, tree_move, tree_retire, setup
ADMIN_LOG_KINDS = ("setup", "appoint", "remove_role", "import", "password_reset",
                   "password_change", "deactivate", "reactivate", "move_house", "tree_add",
                   "tree_rename", "tree_move", "tree_retire", "tree_reactivate", "undo_registration",
                   "other", "evaluation_open", "evaluation_close", "evaluation_publish",
                   "evaluation_reopen", "invite", "invite_accept", "invite_decline",
                   # issue 26 §5-6: second factor, security settings, a person's data by staff
                   "mfa_enable", "mfa_reset", "security", "data_access", "data_correct",
                   "audit_export")


class AdminLog(db.Model):
    """Who did which administrative act, when, in which part of the tree, to whom."""

    __tablename__ = "admin_log"
    __table_args__ = (Index("ix_admin_log_street_at", "street_id", "at"),
                      Index("ix_admin_log_community_at", "community_id", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))  # None: the CLI
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # Where it happened: the street always, the community when the act is inside one; the
    # readers' scope (street admin: street_id, community admin: community_id) is one comparison.
    street_id: Mapped[Optional[int]] = mapped_column(Integer)
    community_id: Mapped[Optional[int]] = mapped_column(Integer)
    org_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"))
    target_user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True)
    summary: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)


INVITATION_KINDS = ("appoint", "resident", "member", "move")
INVITATION_STATUSES = ("pending", "accepted", "declined", "withdrawn")


class Invitation(db.Model):
    """A change to an existing account that the actor does not cover (DESIGN §2): nothing
    about the account changes until its owner, signed in, accepts it; or declines it.

    `kind`: appoint (a staff role in `org`), resident (home in building `org`), member (报到
    into community `org`, approved or pending), move (a house move to building `org`);
    `params` holds the rest (role, address, unit, skills, verified)."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_user_status", "user_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(12))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    invited_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    org = relationship("Org")
