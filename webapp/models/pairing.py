"""结对联户 and 双向评议: pairings of members with households, visits, care tags, the yearly
evaluation round of a community's units, and volunteers' consent to appear on the public board.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import (JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimelineEvent, UTCDateTime, utcnow
from .org import Unit
from .user import User

CARE_TAGS = ("lonely_elder", "disabled", "hardship")  # 独居老人, 残疾, 困难家庭 (private)
PAIRING_STATUSES = ("active", "ended", "declined")
VISIT_KINDS = ("home", "phone", "other")  # 入户, 电话, 其他
ROUND_STATUSES = ("open", "closed", "published")


class CareTag(db.Model):
    """A private mark that a household needs care; only grid staff and the community admin."""

    __tablename__ = "care_tags"
    __table_args__ = (UniqueConstraint("household_id", "tag"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    tag: Mapped[str] = mapped_column(String(16))
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Pairing(db.Model):
    """A member's standing link to one household (结对联户); one live pairing per household."""

    __tablename__ = "pairings"
    # `live` is True while the pairing is active and NULL after, so a household has at most one
    # active pairing however many ended or declined ones stand beside it.
    # By creator: the batch an admin made last in a community is one probe at the index's end,
    # however many pairings they have made over the years (batches.last_batch).
    __table_args__ = (UniqueConstraint("household_id", "live"),
                      Index("ix_pairings_member_status", "member_id", "status"),
                      Index("ix_pairings_creator", "created_by_id", "community_id", "created_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    live: Mapped[Optional[bool]] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reason: Mapped[Optional[str]] = mapped_column(String(200))

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    household: Mapped[User] = relationship(foreign_keys=[household_id])


class PairingEvent(TimelineEvent, db.Model):
    """One line of a pairing's timeline: paired, ended, declined by the household."""

    __tablename__ = "pairing_events"
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id"), index=True)


class Visit(db.Model):
    """One visit (走访) of a paired member to a household: at home, by phone or otherwise."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_household_day", "household_id", "visited_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    grid_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"))
    visited_on: Mapped[date] = mapped_column(Date)  # the local (Beijing) day of the visit
    kind: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(String(300), default="")
    needs: Mapped[str] = mapped_column(Text, default="")  # what the household asked for
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pairing: Mapped[Pairing] = relationship()
    household: Mapped[User] = relationship(foreign_keys=[household_id])


class BuildingVisits(db.Model):
    """Per building and local year: its households' active pairings visited at least the
    community's yearly number of times (走访覆盖's "visited"). Kept at commit with the
    building's household counts (services/pairing/tally.py); no row means none."""

    __tablename__ = "building_visits"
    building_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    visited: Mapped[int] = mapped_column(Integer)


class VisitWish(db.Model):
    """A wish posted on a household's behalf from a visit, with the household's consent."""

    __tablename__ = "visit_wishes"
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("wishes.id"), unique=True)
    consent: Mapped[bool] = mapped_column(Boolean)  # the household agreed (ticked by the member)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvaluationRound(db.Model):
    """A community's yearly 双向评议: open → closed (scored) → published (公示); reopened with a
    reason to correct."""

    __tablename__ = "evaluation_rounds"
    __table_args__ = (UniqueConstraint("community_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    # {satisfaction, participation, delivery, community}: weights of the parts (sum 100).
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    # [优秀, 良好, 一般] lower bounds; below the last is 较差.
    thresholds: Mapped[list] = mapped_column(JSON, default=list)
    # The community's questionnaire: [{key, label, weight}].
    items: Mapped[list] = mapped_column(JSON, default=list)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    community = relationship("Org")


class UnitEvaluation(db.Model):
    """One unit in a round: the community's answers about it, its answers about the community,
    its own social-responsibility report (双报告), and — once closed — its score and grade."""

    __tablename__ = "unit_evaluations"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    community_answers: Mapped[dict] = mapped_column(JSON, default=dict)  # item key → 0..100
    unit_answers: Mapped[dict] = mapped_column(JSON, default=dict)  # support|communication|accuracy → 1..5
    unit_comment: Mapped[str] = mapped_column(String(500), default="")
    report_text: Mapped[str] = mapped_column(Text, default="")  # 单位履行社会责任报告
    score: Mapped[Optional[float]] = mapped_column(Numeric(5, 1))
    grade: Mapped[Optional[str]] = mapped_column(String(12))  # excellent|good|fair|poor
    parts: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()


class EvaluationEvent(TimelineEvent, db.Model):
    """One line of a round's timeline: opened, closed, published, reopened (with the reason)."""

    __tablename__ = "evaluation_events"
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rounds.id"), index=True)


class BoardConsent(db.Model):
    """A volunteer agreed to appear (name masked) among the star volunteers of the public board."""

    __tablename__ = "board_consents"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
