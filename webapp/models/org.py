"""The grid tree (street → community → grid → building), units and wish categories."""
import secrets
from typing import Optional

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

ORG_KINDS = ("street", "community", "grid", "building")


def _random_version() -> int:
    return secrets.randbits(52)


class Org(db.Model):
    """One node of the grid tree; community-level settings live in `settings`."""

    __tablename__ = "orgs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(80))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"), index=True)
    # Denormalised ancestors so scoping is one indexed comparison, not a tree walk.
    street_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    community_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    grid_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # Retired (停用) nodes leave every picker but keep their records: a node with history is
    # never deleted.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Communities: bumped with every change to one of its wishes or claims (services/wishes/
    # versions.py), so a menu cached under the old value is never served again. Starts at
    # random, so a community made again under a reused id (a wiped or restored database)
    # never matches what a running process cached for its namesake.
    data_version: Mapped[int] = mapped_column(BigInteger, default=_random_version,
                                              server_default="0")
    # Buildings: their households (active residents) and those without an active 结对, kept
    # in the same transaction as every change that moves them (services/pairing/tally.py), so
    # coverage and the manual pairing's building list never count a community's thousands.
    households: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    unpaired: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Buildings: the people living there (active accounts) and those of them who never signed
    # in, kept the same way, so the activation box and 待办概览 never count a community's
    # thousands of people.
    people: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    not_activated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    parent: Mapped[Optional["Org"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Org"]] = relationship(back_populates="parent", order_by="Org.id")

    def __repr__(self) -> str:
        return f"<Org {self.kind} {self.name}>"


class Unit(db.Model):
    """A work unit stationed in the area whose Party branch reports to a community."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|approved|rejected
    contact_name: Mapped[Optional[str]] = mapped_column(String(40))

    community: Mapped[Org] = relationship()


class Category(db.Model):
    """A wish category of one community; `auto_publish` skips review for trusted ones."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    # The name English readers see (services/people/orgs.category_label); None: the default's.
    name_en: Mapped[Optional[str]] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    auto_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    # Volunteers serving wishes of this category need accident insurance (志愿服务条例 art. 17):
    # claiming warns one without a recorded policy (services/lists/insurance.py).
    requires_insurance: Mapped[bool] = mapped_column(Boolean, default=False)
