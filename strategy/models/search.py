"""The search index: one row per searchable object, kept current in the transaction that
changes the object (strategy.search.index).

The row holds what the search needs to filter and to decide permission without touching the
object (school, period, goal, initiative, level, status, conclusion) and the text, as a
heading and a body. The full-text structure itself is engine-specific and lives outside the
models (strategy.search.engines): a generated ``tsv`` column with a GIN index on PostgreSQL,
an FTS5 virtual table on SQLite.
"""

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from strategy.models.base import Base


class DocumentKind(enum.StrEnum):
    """What a search result is, in the order the results page groups them."""

    INITIATIVE = "initiative"
    EVALUATION = "evaluation"
    GOAL = "goal"
    INDICATOR = "indicator"  # a goal's indicator and measurement notes: guarded by its classification
    NOTE = "note"
    MEETING = "meeting"
    POLITICAL_GOAL = "political_goal"
    ACTIVITY = "activity"
    EXPECTATION = "expectation"
    TOOL = "tool"


class SearchDocument(Base):
    __tablename__ = "search_document"
    __table_args__ = (sa.UniqueConstraint("kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    object_id: Mapped[int]
    # No foreign keys: a row is derived data, rewritten whenever its object changes, and must
    # never stand in the way of deleting the object.
    school_id: Mapped[int | None] = mapped_column(index=True)
    period_id: Mapped[int | None]
    goal_id: Mapped[int | None]
    initiative_id: Mapped[int | None]
    level_id: Mapped[int | None]
    status: Mapped[str | None] = mapped_column(sa.String(32))
    conclusion: Mapped[str | None] = mapped_column(sa.String(32))
    dated: Mapped[date | None]
    # A key for the link (a period's or a tool's key).
    ref: Mapped[str] = mapped_column(sa.String(64), default="")
    title: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
