"""Declarative base shared by every model."""

import enum
import math
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """Timezone-aware datetimes on every backend: SQLite drops the offset, so it is restored here."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class FiniteFloat(sa.TypeDecorator):
    """A measurement's number. Forms accept only finite numbers in range (strategy/inputs.py);
    a row written before that rule (inf, nan, 1e308) reads as None, so an old bad value shows as
    missing instead of taking a page, a chart or a report down for everyone."""

    impl = sa.Float()
    cache_ok = True
    LIMIT = 1e9

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        value = float(value)
        return value if math.isfinite(value) and abs(value) <= self.LIMIT else None


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        date: sa.Date(),
        str: sa.String(255),
    }


def str_enum(enum_cls: type[enum.Enum], length: int = 32) -> sa.Enum:
    """Portable enum column: a VARCHAR holding the value, no native database enum type."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def version_column() -> Mapped[int]:
    """Optimistic locking counter; each versioned model maps it with ``version_id_col``.

    Forms carry the version they started from (see strategy.concurrency); the ORM counter
    additionally turns a race between two requests that both passed that check into a
    StaleDataError instead of a silent overwrite.
    """
    return mapped_column(default=1, nullable=False)


def link_table(name: str, *columns: tuple[str, str]) -> sa.Table:
    """A many-to-many table: one row per pair, gone with either side (``(column, "table.id")`` each)."""
    return sa.Table(
        name,
        Base.metadata,
        *(sa.Column(column, sa.ForeignKey(target, ondelete="CASCADE"), primary_key=True) for column, target in columns),
    )
