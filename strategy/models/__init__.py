"""The domain model. Importing this package registers every table on the metadata."""

from strategy.models.accounts import AccountToken, ResetRequest, SignInMethod, TokenPurpose, UserSession
from strategy.models.audit import AuditEvent
from strategy.models.base import Base, utcnow
from strategy.models.followup import (
    AgendaItem,
    Agreement,
    Meeting,
    MeetingState,
    MeetingType,
    SchoolDevelopmentConversation,
    SparringNote,
    Stance,
    SusFocusArea,
    SusTopic,
    Visibility,
)
from strategy.models.data import (
    ApiClient,
    ApiUsage,
    ImportBatch,
    ImportUpload,
    MunicipalIndicator,
    api_client_school,
)
from strategy.models.mail import MailState, OutgoingEmail
from strategy.models.notifications import DigestFrequency, Notification, NotificationKind, NotificationSetting
from strategy.models.reference import (
    ActivityLevel,
    Expectation,
    ExpectationCategory,
    FollowUpFormat,
    MunicipalActivity,
    Period,
    PeriodFollowUp,
    Policy,
    PoliticalGoal,
    ProfileLevel,
    ReferenceText,
    Theme,
    Tool,
    ToolItem,
)
from strategy.models.schools import Cluster, School, WatchlistEntry
from strategy.models.search import DocumentKind, SearchDocument
from strategy.models.sharing import Adoption
from strategy.models.strategy import (
    Classification,
    Comment,
    Conclusion,
    DataType,
    Evaluation,
    Goal,
    Initiative,
    Measurement,
    Status,
    StatusUpdate,
    Strategy,
    StrategySnapshot,
)
from strategy.models.users import OUTSIDE_ROLES, SCHOOL_ROLES, LoginAttempt, Role, User, consultant_school

__all__ = [
    "AccountToken", "ResetRequest", "SignInMethod", "TokenPurpose", "UserSession", "Adoption", "DocumentKind",
    "SearchDocument",
    "ActivityLevel", "AgendaItem", "ApiClient", "ApiUsage", "ImportBatch", "ImportUpload", "MunicipalIndicator",
    "api_client_school", "Agreement", "AuditEvent", "Base", "Classification", "Cluster", "Comment",
    "Conclusion", "DataType", "DigestFrequency", "Evaluation", "Expectation", "ExpectationCategory",
    "FollowUpFormat", "Goal", "Initiative", "LoginAttempt", "MailState", "Measurement", "Meeting",
    "MeetingState", "MeetingType", "MunicipalActivity", "Notification", "NotificationKind", "NotificationSetting", "OutgoingEmail", "Period", "PeriodFollowUp", "Policy",
    "PoliticalGoal", "ProfileLevel", "ReferenceText", "Role", "School", "SparringNote", "Stance",
    "Status", "StatusUpdate", "Strategy", "StrategySnapshot", "Theme", "Tool", "ToolItem", "User",
    "Visibility", "WatchlistEntry", "consultant_school", "utcnow", "OUTSIDE_ROLES", "SCHOOL_ROLES",
    "SchoolDevelopmentConversation", "SusFocusArea", "SusTopic",
]
