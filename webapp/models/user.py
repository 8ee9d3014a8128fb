"""People, their scoped roles, registrations (报到) and API tokens."""
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import (JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
                        event, inspect, select)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .org import Org, Unit

ROLES = (
    "resident", "member", "unit_admin", "grid_worker",
    "community_admin", "street_admin", "superadmin",
)


class User(UserMixin, db.Model):
    """One person, identified by mobile phone number."""

    __tablename__ = "users"
    __table_args__ = (
        # A community's people in name order, read a page at a time (居民与账号).
        Index("ix_users_community_name", "community_id", "name", "id"),
        # Who in a community (by building) is active and ever signed in: the activation counts
        # (待办概览, the activation box) read this index alone.
        Index("ix_users_community_activation", "community_id", "active", "activated_at",
              "building_id"),
        # A building's people in id order, a page at a time (结对建议 reads a district
        # building's hundreds 64 at a time): PostgreSQL otherwise walks the primary key.
        Index("ix_users_building_id", "building_id", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[Optional[str]] = mapped_column(String(20), unique=True)  # None: no phone (代登记)
    name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[Optional[str]] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    building_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"))
    address: Mapped[Optional[str]] = mapped_column(String(120))  # room number etc.; private
    # The community of the building, kept by the flush (below): never set it by hand. A bulk
    # INSERT of users (imports, benches) must write it itself.
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), index=True)
    # The unit's consent (its admin confirmed the member); only then do hours count for the unit.
    unit_confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    unit_confirmed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    skills: Mapped[Optional[str]] = mapped_column(Text)  # comma separated
    # When the member is usually free, weekly: ["1am", "6pm", …] (day 1–7, am|pm|ev) — 为你推荐.
    availability: Mapped[Optional[list]] = mapped_column(JSON)
    volunteer_no: Mapped[Optional[str]] = mapped_column(String(20), unique=True)
    locale: Mapped[Optional[str]] = mapped_column(String(10))
    elder_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped by logout, a password change or reset, deactivation and a role removal: every
    # session cookie carries the generation it was issued under and stops working after a bump.
    session_gen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A one-time password (set up, reset by staff, appointed): choose a new one before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Until when a one-time password set by staff works (it also dies at its first use).
    password_expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # When the owner last proved the phone with a code; None: unproven (only codes go to it).
    phone_verified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # SMS for a resident without a phone (代登记): a relative's or neighbour's number, entered by
    # grid staff with the resident's consent (who and when kept).
    sms_contact_phone: Mapped[Optional[str]] = mapped_column(String(20))
    sms_contact_name: Mapped[Optional[str]] = mapped_column(String(40))
    sms_contact_consent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    sms_contact_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    # Made by seed-demo: its phone (138000…) belongs to a stranger, so nothing that leaves the
    # app (SMS; WeChat later) is ever sent to it.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Consent, asked once, to use the phone's location at on-site check-in (sensitive personal
    # information, PIPL art. 28–29): only the distance to the venue is kept, never the point.
    geo_consent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # A number the SMS provider refused as invalid; no SMS goes to it until it is changed.
    sms_bad_number: Mapped[Optional[str]] = mapped_column(String(20))

    # Separate consent (PIPL art. 29) to keep sensitive details about the person: care tags
    # (独居, 残疾, 困难) set by grid staff; withdrawn on 我的信息, which removes them.
    sensitive_consent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Second factor (等保, admins): a base32 TOTP secret, live once confirmed with a first code;
    # the last time step taken, so a code is never accepted twice.
    totp_secret: Mapped[Optional[str]] = mapped_column(String(64))
    totp_enabled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[Optional[int]] = mapped_column(Integer)

    building: Mapped[Optional[Org]] = relationship(foreign_keys=[building_id])
    unit: Mapped[Optional[Unit]] = relationship(foreign_keys=[unit_id])
    roles: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        foreign_keys="RoleGrant.user_id")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """Flask-Login's session id: "<user id>.<session generation>" (see webapp/people/login_setup.py)."""
        return f"{self.id}.{self.session_gen or 0}"

    def role_names(self) -> set[str]:
        """The role names this user holds, whatever their scope."""
        return {g.role for g in self.roles if g.active}


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _home_community(_mapper, connection, user: User) -> None:
    """users.community_id follows users.building_id on every ORM write (orgs never move)."""
    state = inspect(user)
    if state.persistent and not state.attrs.building_id.history.has_changes():
        return
    user.community_id = None if user.building_id is None else connection.scalar(
        select(Org.community_id).where(Org.id == user.building_id))


class RoleGrant(db.Model):
    """A role held in the scope of an Org (community, grid, …) or a Unit."""

    __tablename__ = "role_grants"
    # By unit: a unit's admins (told of its claims, bookings and projects) among a district's
    # half a million grants. By org: its holders of a role read from the index alone (a
    # community's hundreds of members are listed for pairing without reading their grants).
    __table_args__ = (UniqueConstraint("user_id", "role", "org_id", "unit_id"),
                      Index("ix_role_grants_unit", "unit_id", "role"),
                      Index("ix_role_grants_org_role", "org_id", "role", "active", "user_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orgs.id"))
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Since when and by whom (the staff list shows it); None for grants older than the column.
    created_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    org: Mapped[Optional[Org]] = relationship(lazy="joined")


class Registration(db.Model):
    """A report to a community: `personal` (个人报到) or `unit` (单位报到)."""

    __tablename__ = "registrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # personal|unit
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    unit: Mapped[Optional[Unit]] = relationship()
    community: Mapped[Org] = relationship()


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SignInCode(db.Model):
    """A one-time code sent to a phone (sign-in, recovery, activation, proof of a number) or
    printed on an activation slip; only its hash is kept, and it dies after use or 5 misses."""

    __tablename__ = "signin_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[Optional[str]] = mapped_column(String(20), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(12))  # signin | phone | slip
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
