"""Data in and out: measurement imports (ImportBatch), fælles indikatorer and the API's keys."""

import hashlib
import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, link_table, str_enum, utcnow
from strategy.models.strategy import Classification
from strategy.models.users import Role, User

if TYPE_CHECKING:
    from strategy.models.schools import School


class MunicipalIndicator(Base):
    """A fælles indikator: one indicator shared by every school (e.g. "Trivsel: social trivsel").

    A school's goal links to it (Goal.municipal_indicator_id); an import into it writes the
    measurements of every linked goal at each school in the file."""

    __tablename__ = "municipal_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    classification: Mapped[Classification] = mapped_column(
        str_enum(Classification), default=Classification.INTERNAL, server_default=Classification.INTERNAL.value
    )
    # The column mapping of the last import, offered again next time.
    mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


api_client_school = link_table(
    "api_client_school",
    ("api_client_id", "api_client.id"), ("school_id", "school.id"),
)


class ImportUpload(Base):
    """An uploaded file between the wizard's steps: kept in the database, never in the cookie."""

    __tablename__ = "import_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(24))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class ImportBatch(Base):
    """One confirmed import: who, when, which file, what it did. Undone as a whole."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    target: Mapped[str] = mapped_column(sa.String(300), default="")  # the indicator, as shown
    municipal_indicator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipal_indicator.id"), index=True)
    new_count: Mapped[int] = mapped_column(default=0)
    changed_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    unusable_count: Mapped[int] = mapped_column(default=0)
    # [{"goal_id", "year", "old": {...} | None, "new": {...}}]: what undo puts back.
    changes: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    municipal_indicator: Mapped[MunicipalIndicator | None] = relationship()


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiClient(Base):
    """A named key for the read-only API, seeing exactly what a person with its role sees."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    # The first characters of the key, to recognise it in lists (the rest is only hashed).
    prefix: Mapped[str] = mapped_column(sa.String(16), index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    expires_on: Mapped[date]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    # The rate limit, counted in the database so that every worker process shares it.
    rate_window: Mapped[int] = mapped_column(default=0)
    rate_count: Mapped[int] = mapped_column(default=0)

    schools: Mapped[list["School"]] = relationship(secondary=api_client_school, order_by="School.name")

    def is_usable(self, today: date) -> bool:
        return self.revoked_at is None and today <= self.expires_on


class ApiUsage(Base):
    """The API's audit trail, aggregated: one row per key, endpoint and hour, with its count."""

    __tablename__ = "api_usage"
    __table_args__ = (sa.UniqueConstraint("api_client_id", "endpoint", "hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    api_client_id: Mapped[int] = mapped_column(sa.ForeignKey("api_client.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(sa.String(100))
    hour: Mapped[datetime]  # the start of the hour, UTC
    count: Mapped[int] = mapped_column(default=0)  # calls
    rows: Mapped[int] = mapped_column(default=0)  # rows returned by them
    last_at: Mapped[datetime] = mapped_column(default=utcnow)

    api_client: Mapped[ApiClient] = relationship()
