"""All models, imported here so Alembic and create_all see every table."""
from .admin import ADMIN_LOG_KINDS, INVITATION_KINDS, AdminLog, Invitation
from .base import UTCDateTime, utcnow
from .imports import IMPORT_STATUSES, ImportJob
from .lists import (BOOKING_STATUSES, PROJECT_STATUSES, RESOURCE_KINDS, SESSION_STATUSES,
                    Booking, BookingEvent, CalendarFeed, InsurancePolicy, Project, ProjectEvent,
                    ProjectSession,
                    Resource, ResourceClosure, ResourceSlot, SessionSignup, SlotUse)
from .ledger import (Certificate, CommunitySeal, ExportJob, LedgerChain, LedgerCheck,
                     LedgerEntry, LedgerMonth, LedgerPoints, LedgerServices, LedgerTotal,
                     RecordReview)
from .honours import (NOTICE_STATUSES, HonourItem, HonourNotice, HonourNoticeEvent,
                      HonourObjection)
from .notification import Notification
from .pairing import (CARE_TAGS, PAIRING_STATUSES, ROUND_STATUSES, VISIT_KINDS, BoardConsent,
                      BuildingVisits, CareTag, EvaluationEvent, EvaluationRound, Pairing, PairingEvent,
                      UnitEvaluation, Visit, VisitWish)
from .org import ORG_KINDS, Category, Org, Unit
from .push import JobLease, NotificationPreference, Outbox, PushSubscription, Reminder
from .shop import (EXCHANGE_STATUSES, GOODS_STATUSES, ShopAccount, ShopExchange,
                   ShopExchangeEvent, ShopGoods, ShopGoodsEvent, ShopLapse)
from .user import ROLES, ApiToken, Registration, RoleGrant, SignInCode, User
from .wechat import WeChatBinding, WeChatCache
from .voice import COMPLAINT_STATUSES, SUBJECT_KINDS, Complaint, ComplaintEvent
from .wish import (CLAIM_STATUSES, LIVE_CLAIM_STATUSES, Claim, Disclosure, ServiceRecord, Wish,
                   WishEvent)

__all__ = [
    "ADMIN_LOG_KINDS", "INVITATION_KINDS", "AdminLog", "Invitation", "IMPORT_STATUSES", "ImportJob",
    "UTCDateTime", "utcnow", "ORG_KINDS", "Category", "Org", "Unit", "ROLES", "ApiToken",
    "Registration", "RoleGrant", "SignInCode", "User", "CLAIM_STATUSES", "LIVE_CLAIM_STATUSES", "Claim",
    "Disclosure", "ServiceRecord", "Wish", "WishEvent", "Notification",
    "Certificate", "ExportJob", "LedgerChain", "LedgerCheck", "LedgerEntry", "LedgerMonth", "LedgerPoints",
    "LedgerServices", "LedgerTotal", "RecordReview",
    "BOOKING_STATUSES", "PROJECT_STATUSES", "RESOURCE_KINDS", "SESSION_STATUSES", "Booking",
    "BookingEvent", "CalendarFeed", "Project", "ProjectEvent", "ProjectSession", "Resource",
    "ResourceClosure", "ResourceSlot", "SessionSignup", "SlotUse",
    "JobLease", "NotificationPreference", "Outbox", "PushSubscription", "Reminder",
    "CARE_TAGS", "PAIRING_STATUSES", "ROUND_STATUSES", "VISIT_KINDS", "BoardConsent",
    "BuildingVisits", "CareTag",
    "EvaluationEvent", "EvaluationRound", "Pairing", "PairingEvent", "UnitEvaluation", "Visit",
    "VisitWish",
    "WeChatBinding", "WeChatCache",
    "CommunitySeal", "NOTICE_STATUSES", "HonourItem", "HonourNotice", "HonourNoticeEvent",
    "HonourObjection",
    "EXCHANGE_STATUSES", "GOODS_STATUSES", "ShopAccount", "ShopExchange", "ShopExchangeEvent",
    "ShopGoods", "ShopGoodsEvent", "ShopLapse",
    "COMPLAINT_STATUSES", "SUBJECT_KINDS", "Complaint", "ComplaintEvent",
]
from . import search  # noqa: E402,F401  (the text-search DDL listeners; issue 27)
from ..extensions import db  # noqa: E402
from .person_refs import index_person_columns  # noqa: E402

index_person_columns(db.metadata)
