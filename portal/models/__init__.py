"""All tables, one module per feature. Importing this package registers them."""

from portal.models.aoi import (
    Pairing,
    PairingLogEntry,
    Preference,
    PreferenceAnswer,
    PreferenceRound,
    RoundStatus,
)
from portal.models.audit import AuditEntry
from portal.models.base import Base
from portal.models.campaign import Campaign, CampaignGoal, CampaignLead, CampaignStatus, ReachEntry
from portal.models.consultation import (
    Answer,
    Consultation,
    ConsultationStatus,
    Moderation,
    Question,
    Response,
    ResponseStatus,
    Tally,
)
from portal.models.export import ExportFile, ExportStatus
from portal.models.image import Image
from portal.models.notification import Notification
from portal.models.plan import Office, PlanItem, PlanMove
from portal.models.portfolio import Portfolio
from portal.models.recommendation import (
    CommitteeMeeting,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
)
from portal.models.safeguarding import ReportKind, ReportStatus, SafeguardingReport
from portal.models.statement import ChairStatement, StatementReview, StatementRevision, StatementStatus
from portal.models.two_step import RecoveryCode, RememberedDevice
from portal.models.update import (
    CabinetUpdate,
    UpdateDocument,
    UpdateParagraph,
    UpdateRevision,
    UpdateSection,
    UpdateStatus,
    UpdateVersion,
)
from portal.models.user import User

__all__ = [
    "ExportFile",
    "ExportStatus",
    "RecoveryCode",
    "RememberedDevice",
    "AuditEntry",
    "Base",
    "Campaign",
    "CampaignGoal",
    "CampaignLead",
    "CampaignStatus",
    "ReachEntry",
    "ChairStatement",
    "Notification",
    "Office",
    "PlanItem",
    "PlanMove",
    "Pairing",
    "PairingLogEntry",
    "Preference",
    "PreferenceAnswer",
    "PreferenceRound",
    "RoundStatus",
    "Portfolio",
    "CommitteeMeeting",
    "Recommendation",
    "RecommendationResponse",
    "RecommendationStatus",
    "ReportKind",
    "ReportStatus",
    "SafeguardingReport",
    "StatementReview",
    "StatementRevision",
    "StatementStatus",
    "User",
    "CabinetUpdate",
    "Image",
    "Answer",
    "Consultation",
    "ConsultationStatus",
    "Moderation",
    "Question",
    "Response",
    "ResponseStatus",
    "Tally",
    "UpdateDocument",
    "UpdateParagraph",
    "UpdateRevision",
    "UpdateSection",
    "UpdateStatus",
    "UpdateVersion",
]
