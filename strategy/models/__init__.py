"""The domain model. Importing this package registers every table on the metadata."""

from strategy.models.audit import AuditEvent
from strategy.models.base import Base, utcnow
from strategy.models.followup import (
    AgendaItem,
    Agreement,
    Meeting,
    MeetingState,
    MeetingType,
    SparringNote,
    Stance,
    Visibility,
)
from strategy.models.mail import MailState, OutgoingEmail
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
from strategy.models.users import LoginAttempt, Role, User, consultant_school

__all__ = [
    "ActivityLevel", "Adoption", "DocumentKind", "SearchDocument", "AgendaItem", "Agreement", "AuditEvent", "Base", "Classification", "Cluster", "Comment",
    "Conclusion", "DataType", "Evaluation", "Expectation", "ExpectationCategory",
    "FollowUpFormat", "Goal", "Initiative", "LoginAttempt", "MailState", "Measurement", "Meeting",
    "MeetingState", "MeetingType", "MunicipalActivity", "OutgoingEmail", "Period", "PeriodFollowUp", "Policy",
    "PoliticalGoal", "ProfileLevel", "ReferenceText", "Role", "School", "SparringNote", "Stance",
    "Status", "StatusUpdate", "Strategy", "StrategySnapshot", "Theme", "Tool", "ToolItem", "User",
    "Visibility", "WatchlistEntry", "consultant_school", "utcnow",
]
