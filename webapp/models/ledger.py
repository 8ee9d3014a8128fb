"""The service-hour ledger: hash-chained entries, approval decisions, certificates, export jobs."""
from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import (JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, Numeric,
                        String, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .org import Org
from .user import User

ENTRY_KINDS = ("entry", "reversal", "correction")


class LedgerChain(db.Model):
    """The head of one community's chain: locked FOR UPDATE by every append so it never forks."""

    __tablename__ = "ledger_chains"
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="0" * 64)
    cert_seq: Mapped[int] = mapped_column(Integer, default=0)  # certificate numbering
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LedgerCheck(db.Model):
    """The last full check of one community's chain and any check asked for since. The job
    process runs it: re-hashing a district community's 50,000 entries takes seconds, too long
    for a request (the ledger page re-hashes only the newest entries on each view)."""

    __tablename__ = "ledger_checks"
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    requested_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # pending if > checked_at
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # when the check began
    entries: Mapped[int] = mapped_column(Integer, default=0)
    ok: Mapped[Optional[bool]] = mapped_column(Boolean)
    broken: Mapped[Optional[dict]] = mapped_column(JSON)  # {id, seq, problem} of the first break


class LedgerTotal(db.Model):
    """A volunteer's net hours in one community's ledger: a summary kept by every append
    (services/ledger/ledger.py) in the same transaction, under the chain's lock. Honours and the
    board rank a community's volunteers from it instead of summing the whole chain."""

    __tablename__ = "ledger_totals"
    __table_args__ = (Index("ix_ledger_totals_rank", "community_id", "hours"),)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=Decimal("0"))


class LedgerPoints(db.Model):
    """A volunteer's points earned in one community and service month (补录 left out, as the
    shop counts them): a summary kept by every append (services/ledger/ledger.py) in the same
    transaction, under the chain's lock. The shop's accounts replay a community's members from
    it instead of grouping the whole chain."""

    __tablename__ = "ledger_points"
    # Clustered by its key on SQLite (no rowid): a member's months are read as one range of
    # the table, with no lookup per row (kept.replayed). A community's months as another, by
    # the index that carries the points (积分台账's period and the months after a past one:
    # not every month of the community's history).
    __table_args__ = (Index("ix_ledger_points_month", "community_id", "service_month",
                            "volunteer_id", "points"), {"sqlite_with_rowid": False})
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    service_month: Mapped[int] = mapped_column(Integer, primary_key=True)
    points: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=Decimal("0"))


class LedgerServices(db.Model):
    """A volunteer's services (records whose net hours are above 0) and their net hours in one
    community and service month, as the export to the national system counts them: a summary
    kept by every append (services/ledger/kept.py) in the same transaction, under the chain's
    lock. A record's lines share its volunteer and month (corrections keep the service date)."""

    __tablename__ = "ledger_services"
    __table_args__ = {"sqlite_with_rowid": False}  # clustered by its key, as ledger_points
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    service_month: Mapped[int] = mapped_column(Integer, primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    services: Mapped[int] = mapped_column(Integer, default=0)
    hours: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=Decimal("0"))


class LedgerMonth(db.Model):
    """One community's net hours in one service month: a summary kept by every append
    (services/ledger/kept.py) in the same transaction, under the chain's lock. The tallies'
    chart of the last twelve months reads twelve rows instead of those months' entries."""

    __tablename__ = "ledger_months"
    __table_args__ = {"sqlite_with_rowid": False}  # clustered by its key, as ledger_points
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    service_month: Mapped[int] = mapped_column(Integer, primary_key=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=Decimal("0"))


class LedgerEntry(db.Model):
    """One append-only line of approved hours; corrections are new lines, never edits."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("community_id", "seq"),
        # Tallies: one community, a range of months, grouped by any dimension — every column a
        # tally reads is in this index, so SQLite answers from the index alone.
        Index("ix_ledger_tally", "community_id", "service_month", "volunteer_id", "kind",
              "hours", "points", "unit_id", "grid_id", "category_id"),
        # Single-column on purpose: with a month column here SQLite's planner skip-scans these
        # for GROUP BY volunteer/unit instead of range-scanning the covering tally index.
        Index("ix_ledger_volunteer", "volunteer_id"),
        Index("ix_ledger_unit", "unit_id"),
        # A wish's lines (a dispute holds and releases them) and an entry's reversal: looked up
        # by themselves, among a district's millions (tests/unit/house/test_foreign_key_indexes).
        Index("ix_ledger_wish", "wish_id"),
        Index("ix_ledger_reverses", "reverses_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    seq: Mapped[int] = mapped_column(Integer)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    wish_id: Mapped[Optional[int]] = mapped_column(ForeignKey("wishes.id"))
    record_id: Mapped[Optional[int]] = mapped_column(ForeignKey("service_records.id"), index=True)
    grid_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"))
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id"))
    service_date: Mapped[datetime] = mapped_column(UTCDateTime)
    service_month: Mapped[int] = mapped_column(Integer)  # YYYYMM in Beijing time, for tallies
    hours: Mapped[Decimal] = mapped_column(Numeric(7, 1))  # negative on a reversal
    points: Mapped[Decimal] = mapped_column(Numeric(9, 1))
    kind: Mapped[str] = mapped_column(String(10), default="entry")  # entry|reversal|correction
    reverses_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ledger_entries.id"))
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))  # None: automatic
    # The record's basis when not a confirmed wish: "presence" (on site) or "honour" (补录,
    # always 0 points). Hashed only when set, so entries written before it keep their hash.
    basis: Mapped[Optional[str]] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    volunteer: Mapped[User] = relationship(foreign_keys=[volunteer_id])
    actor: Mapped[Optional[User]] = relationship(foreign_keys=[actor_id])


class RecordReview(db.Model):
    """A decision on a ServiceRecord's hours: auto, approve, adjust or reject (with reason)."""

    __tablename__ = "record_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("service_records.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))  # auto|approve|adjust|reject
    hours: Mapped[Optional[Decimal]] = mapped_column(Numeric(5, 1))
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Certificate(db.Model):
    """A numbered service certificate (志愿服务证明) issued and archived by a community."""

    __tablename__ = "certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(9, 1))
    services: Mapped[int] = mapped_column(Integer)
    # Of `hours`: recorded on site (check-in/out, a resident's service code) and 补录.
    presence_hours: Mapped[Decimal] = mapped_column(Numeric(9, 1), default=Decimal("0"))
    honour_hours: Mapped[Decimal] = mapped_column(Numeric(9, 1), default=Decimal("0"))
    content: Mapped[str] = mapped_column(String(300), default="")  # service categories
    issuer_name: Mapped[str] = mapped_column(String(80))
    head_name: Mapped[str] = mapped_column(String(40))
    officer_name: Mapped[str] = mapped_column(String(40))  # 经办人
    contact: Mapped[str] = mapped_column(String(40))
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    # Voided, not deleted: the register keeps every number, and the QR page says it is void.
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    revoked_reason: Mapped[Optional[str]] = mapped_column(String(200))
    # The services it counts, as archived when issued (民政部令第67号: the certificate lists
    # them): [{"date", "title", "source" (wish|project), "hours", "basis"}]. Later corrections
    # of the ledger never rewrite a certificate already handed out.
    items: Mapped[list] = mapped_column(JSON, default=list)

    volunteer: Mapped[User] = relationship(foreign_keys=[volunteer_id])
    community: Mapped[Org] = relationship()


class CommunitySeal(db.Model):
    """The issuer's seal image (公章) a community prints on its certificates: PNG or JPEG."""

    __tablename__ = "community_seals"
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    mime: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExportJob(db.Model):
    """A large export run by the job process; the page polls `progress` and then downloads."""

    __tablename__ = "export_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ledger|tally|unit_report
    fmt: Mapped[str] = mapped_column(String(4), default="xlsx")  # xlsx|csv
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    file_path: Mapped[Optional[str]] = mapped_column(String(300))
    error: Mapped[Optional[str]] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Written when the job process takes the export and with each progress step (see ImportJob).
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
