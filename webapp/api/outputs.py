"""Response shapes of the JSON API, for the OpenAPI document (the views build plain dicts)."""
from datetime import datetime
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. invalid, full, not_open")
    message: str = Field(description="what went wrong and what to do, in the user's language")
    fields: Optional[dict[str, str]] = Field(None, description="422: a message per input field")


class ErrorBody(BaseModel):
    """Every 4xx answer of the API."""

    error: ErrorDetail


class Token(BaseModel):
    token: str = Field(description="send as `Authorization: Bearer <token>`")
    token_type: Literal["Bearer"] = "Bearer"
    user_id: int
    password_change_required: bool = Field(
        False, description="true after a one-time password: every other call answers 403 "
                           "password_change_required until POST /api/v1/me/password")


class OrgNode(BaseModel):
    id: int
    kind: Literal["street", "community", "grid", "building"]
    name: str
    children: list["OrgNode"]


class OrgTree(BaseModel):
    items: list[OrgNode]
    complete: bool  # false: communities without their grids and buildings (ask ?community=)


class CategoryOut(BaseModel):
    id: int
    name: str
    auto_publish: bool


class CategoryList(BaseModel):
    items: list[CategoryOut]


class RegistrationRef(BaseModel):
    id: int
    kind: Literal["personal", "unit"]
    status: Literal["pending", "approved", "rejected"]


class UserCreated(BaseModel):
    id: int
    registration: Optional[RegistrationRef] = Field(
        None, description="members and unit admins: the pending 报到; residents: null")


class RegistrationOut(BaseModel):
    id: int
    kind: Literal["personal", "unit"]
    status: Literal["pending", "approved", "rejected"]
    reason: Optional[str]
    community_id: int
    created_at: datetime
    decided_at: Optional[datetime]
    user: dict = Field(description="id, name, phone, building_id, skills")
    unit: Optional[dict] = Field(None, description="id, name, status")


class RegistrationList(BaseModel):
    items: list[RegistrationOut]


class RegistrationState(BaseModel):
    id: int
    status: Literal["pending", "approved", "rejected"]
    reason: Optional[str] = None


class WishCard(BaseModel):
    """A wish as listed: the resident's name masked (王**) except for the resident themself."""

    id: int
    kind: Literal["wish", "service"]
    title: str
    category: str
    category_id: int
    status: str
    status_label: str
    resident: str
    grid: Optional[str]
    building: Optional[str]
    grid_id: int
    capacity: int
    taken: int
    estimated_hours: float
    value_yuan: Optional[int]
    wanted_from: Optional[datetime]
    wanted_until: Optional[datetime]
    deadline: Optional[datetime]
    published_at: Optional[datetime]
    created_at: datetime
    on_behalf: bool
    my_claim_id: Optional[int]
    my_claim_status: Optional[str]
    actions: list[str] = Field(description="what this viewer can do now, primary action first")


class WishPage(BaseModel):
    items: list[WishCard]
    next_cursor: Optional[str] = Field(description="pass as `cursor` for the next page; null at the end")


class ClaimOut(BaseModel):
    id: int
    volunteer: str
    volunteer_id: Optional[int]
    unit: Optional[str]
    status: str
    via: Literal["self", "unit", "dispatch"]
    hours: Optional[float]


class EventOut(BaseModel):
    action: str
    action_label: str
    from_: Optional[str] = Field(alias="from")
    to: str
    at: datetime
    note: Optional[str]
    actor: str


class Contact(BaseModel):
    """Shown only to active claimers and the grid's staff; every showing is logged."""

    name: str
    phone: Optional[str]
    address: str


class WishDetail(WishCard):
    description: str
    reject_reason: Optional[str]
    rating: Optional[int]
    comment: Optional[str]
    claims: list[ClaimOut]
    events: list[EventOut]
    contact: Optional[Contact]


class Created(BaseModel):
    id: int
    status: str


class WishState(BaseModel):
    id: int
    status: str
    taken: int
    capacity: int


class ClaimCreated(BaseModel):
    id: int = Field(description="the first claim's id")
    ids: list[int] = Field(description="all claims made (a unit claim makes one per member)")
    status: str
    wish: WishState


class DispatchOut(BaseModel):
    id: Optional[int] = Field(description="the offered claim (to a member); null for a unit")
    status: Literal["offered", "notified"]
    unit_id: Optional[int] = None
    wish: Optional[WishState] = None


class ClaimState(BaseModel):
    id: int
    status: str
    hours: Optional[float]
    wish: WishState


class Confirmed(WishState):
    service_records: list[int]


# --- administration (issue 11) ---------------------------------------------------------------
class IdOut(BaseModel):
    id: int


class OrgOut(BaseModel):
    id: int
    kind: Literal["street", "community", "grid", "building"]
    name: str
    parent_id: Optional[int]
    active: bool


class StaffAppointed(BaseModel):
    user_id: int
    grant_id: Optional[int] = Field(
        None, description="null when the person is not covered by the appointer: invited instead")
    invitation_id: Optional[int] = Field(
        None, description="an existing account outside the appointer's cover: asked, not changed")
    temporary_password: Optional[str] = Field(
        None, description="only when the phone had no account: shown once, give it in person")


class StaffMember(BaseModel):
    grant_id: int
    user_id: int
    name: str
    phone: Optional[str]
    role: Literal["community_admin", "grid_worker", "street_admin"]
    org_id: int
    org_name: str
    since: Optional[datetime]
    granted_by: Optional[str]


class StaffList(BaseModel):
    community_id: int
    items: list[StaffMember]


class TemporaryPassword(BaseModel):
    temporary_password: str = Field(description="shown once; the person must change it")


class PasswordChanged(BaseModel):
    password_changed: Literal[True] = True


class AccountState(BaseModel):
    id: int
    active: bool


class MovedHouse(BaseModel):
    id: int
    building_id: int
    address: Optional[str] = None


class AdminLogEntry(BaseModel):
    id: int
    at: datetime
    kind: str
    actor_id: Optional[int]
    actor: Optional[str]
    target_user_id: Optional[int]
    target: Optional[str]
    org_id: Optional[int]
    community_id: Optional[int]
    summary: str
    details: dict


class AdminLogList(BaseModel):
    items: list[AdminLogEntry]


class BacklogRow(BaseModel):
    """What waits in one community (issue 23 §8)."""

    community_id: int
    community: str
    reviews: int = Field(description="wishes waiting for review (pending_review)")
    registrations: int = Field(description="报到 waiting for a decision")
    unclaimed: int = Field(description="published wishes still open for claims")
    overdue: int = Field(description="open wishes past wanted_until (else deadline)")
    pending_hours: int = Field(description="service records waiting for approval")
    activated: int = Field(description="residents of the community who ever signed in")
    people: int = Field(description="active residents of the community")


class BacklogList(BaseModel):
    items: list[BacklogRow]


class ImportRowError(BaseModel):
    row: int = Field(description="the row number as Excel shows it")
    column: str = Field(description="the column's header, e.g. 手机号")
    message: str = Field(description="what is wrong with the cell, in plain Chinese")


class ImportColumn(BaseModel):
    file: str = Field(description="the header as written in the file, e.g. 楼栋号")
    key: str = Field(description="the column it fills: name|phone|grid|building|address|…")
    column: str = Field(description="that column's header in the template, e.g. 楼栋")


class IgnoredColumn(BaseModel):
    file: str = Field(description="a header the import leaves out")
    why: Literal["unknown", "duplicate"] = Field(description="not a known column, or a "
                                                 "second column for one already read")


class NewNode(BaseModel):
    kind: Literal["community", "grid", "building"]
    path: str = Field(description="社区 / 网格 / 楼栋 of the node a tree import creates")
    like: Optional[str] = Field(None, description="an existing (or listed) sibling whose name "
                                "it resembles: perhaps a typo")


class SharedPhone(BaseModel):
    """A resident imported without a phone because the household's phone signs in another."""

    row: int
    name: str
    holder: str = Field(description="who signs in with the phone (masked if already registered)")
    holder_row: Optional[int] = Field(None, description="the holder's row, if in the file")


class ImportResult(BaseModel):
    """A dry run's preview, an import's result, or a queued import's state."""

    create: int
    update: int
    unchanged: int
    errors: list[ImportRowError]
    id: Optional[int] = Field(None, description="the import (absent for a dry run)")
    kind: Optional[Literal["tree", "residents", "members"]] = None
    status: Optional[str] = Field(None, description="queued_check|checking|previewed|"
                                  "queued_import|importing|done|failed|expired")
    progress: Optional[int] = Field(None, description="percent, while the job process works")
    total_rows: Optional[int] = None
    message: Optional[str] = Field(None, description="why a failed import failed")
    used: list[ImportColumn] = Field([], description="every column of the file the import reads")
    ignored: list[IgnoredColumn] = Field([], description="every non-empty header it leaves out")
    new_nodes: list[NewNode] = Field([], description="tree imports: the nodes it would create")
    skipped: Optional[int] = Field(None, description="skip_bad=1: the bad rows left out "
                                   "(listed in errors), the good ones imported")
    shared_phones: list[SharedPhone] = Field(
        [], description="residents: people of one household sharing a phone; the holder "
        "keeps it, the others are imported without one (served through the grid worker)")


class ImportRefused(BaseModel):
    """422: bad rows (nothing was imported), with the same counts and errors as a dry run."""

    error: ErrorDetail
    create: int = 0
    update: int = 0
    unchanged: int = 0
    errors: list[ImportRowError] = []


class Invitation(BaseModel):
    id: int
    kind: str = Field(description="appoint | resident | member | move")
    kind_label: str
    what: str
    org: str
    org_id: int
    by: str
    at: datetime


class InvitationList(BaseModel):
    items: list[Invitation]


class InvitationState(BaseModel):
    id: int
    status: str = Field(description="accepted | declined")


class DataSection(BaseModel):
    key: str = Field(description="the table (profile: the person's own row)")
    title: str
    headers: list[str]
    rows: list[list[Any]] = Field(description="plain values: names for people and places, "
                                              "Beijing times, 是/否")


class DataConsent(BaseModel):
    key: str = Field(description="geo | sms_contact | board | sensitive")
    label: str
    at: str


class PersonalData(BaseModel):
    sections: list[DataSection]
    consents: list[DataConsent]
    acts_on_others: int = Field(description="rows naming the person as the one who acted on "
                                            "someone else's record (not exported)")
