"""Imports from Excel/CSV: the uploaded file, its preview and, for large files, the job's progress."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

# previewed → (confirm) done | queued_import → importing → done | failed
# queued_check → checking → previewed | failed   (large files are checked by the job process)
# checking/importing with no heartbeat for JOB_STALE_MINUTES (the job process died) → failed,
# file kept, `retry_as` set: the admin may queue it again (retry → retry_as).
IMPORT_STATUSES = ("queued_check", "checking", "previewed", "queued_import", "importing",
                   "done", "failed", "expired")


class ImportJob(db.Model):
    """One uploaded list: kept (file in the row, at most IMPORT_MAX_BYTES) until it is imported."""

    __tablename__ = "import_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # tree|residents|members
    # The street (tree by a street admin) or the community the list is imported into.
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    # The rows as read from the file (JSON), in the database: web and job hosts need no shared
    # directory, and it is cleared as soon as the import ends (it holds names and phones).
    content: Mapped[Optional[bytes]] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str] = mapped_column(String(64))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)  # members: 名单已核实
    status: Mapped[str] = mapped_column(String(14), default="previewed", index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    # The preview: {"create", "update", "unchanged"}, the bad rows, and a digest of the planned
    # actions so a confirm refuses a plan that changed since (a concurrent edit).
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    plan_hash: Mapped[Optional[str]] = mapped_column(String(64))
    # What the preview shows about the file: columns used and ignored, tree nodes to create.
    layout: Mapped[dict] = mapped_column(JSON, default=dict)
    message: Mapped[Optional[str]] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Written when the job process takes the job and with each progress step: a running job
    # whose heartbeat is older than JOB_STALE_MINUTES belongs to a job process that died.
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    retry_as: Mapped[Optional[str]] = mapped_column(String(14))  # a stalled job's queue to rejoin
    # Confirmed as "the good rows only" (issue 23 item 6): the bad rows are skipped, kept in
    # `content` after the import for their download, and forgotten with a day-old preview.
    skip_bad: Mapped[bool] = mapped_column(Boolean, default=False)
