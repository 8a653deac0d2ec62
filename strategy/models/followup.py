"""Follow-up: consultants' sparring notes, conversations (meetings) and agreements.

Sparring notes and meetings carry personal data about named leaders; who may read them is
decided in strategy.permissions from their visibility.
"""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, TimestampMixin, link_table, str_enum, version_column
from strategy.models.reference import Expectation, MunicipalActivity, PoliticalGoal
from strategy.models.schools import School
from strategy.models.strategy import Goal, Initiative

if TYPE_CHECKING:
    from strategy.models.users import User


class Visibility(enum.StrEnum):
    DRAFT = "draft"  # the author only
    SHARED = "shared"  # shared with the school's leaders
    INTERNAL = "internal"  # internal to the administration


class Stance(enum.StrEnum):
    SUPPORTIVE = "supportive"  # understøttende
    CHALLENGING = "challenging"  # udfordrende
    DIRECTIVE = "directive"  # retningsgivende
    EVALUATIVE = "evaluative"  # kvalitetsvurderende


class MeetingType(enum.StrEnum):
    ONE_TO_ONE = "one_to_one"
    LUS = "lus"
    GRUS = "grus"
    TEAM_DEVELOPMENT = "team_development"
    THEME_MEETING = "theme_meeting"
    SPARRING = "sparring"
    SUS = "sus"  # skoleudviklingssamtale, folkeskoleloven § 40 a: yearly, directorate and leader


class MeetingState(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


note_goal = link_table("sparring_note_goal", ("note_id", "sparring_note.id"), ("goal_id", "goal.id"))

note_initiative = link_table(
    "sparring_note_initiative",
    ("note_id", "sparring_note.id"), ("initiative_id", "initiative.id"),
)


class SparringNote(TimestampMixin, Base):
    __tablename__ = "sparring_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    # The leader the note is about, if it is about one person.
    subject_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    held_on: Mapped[date]
    participants: Mapped[str] = mapped_column(sa.Text, default="")
    stances: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    observation: Mapped[str] = mapped_column(sa.Text, default="")  # iagttagelse
    experience: Mapped[str] = mapped_column(sa.Text, default="")  # oplevelse
    interpretation: Mapped[str] = mapped_column(sa.Text, default="")  # fortolkning
    suggestion: Mapped[str] = mapped_column(sa.Text, default="")  # forslag
    visibility: Mapped[Visibility] = mapped_column(str_enum(Visibility), default=Visibility.DRAFT)
    is_demo: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    school: Mapped[School] = relationship()
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])
    subject: Mapped["User | None"] = relationship(foreign_keys=[subject_id])
    goals: Mapped[list[Goal]] = relationship(secondary=note_goal, order_by=Goal.position)
    initiatives: Mapped[list[Initiative]] = relationship(
        secondary=note_initiative, order_by=Initiative.position
    )
    agreements: Mapped[list["Agreement"]] = relationship(
        back_populates="note", order_by="Agreement.due_on"
    )


class Meeting(TimestampMixin, Base):
    """A follow-up conversation (Opfølgning / samtale), planned on the meeting template."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    meeting_type: Mapped[MeetingType] = mapped_column(str_enum(MeetingType))
    state: Mapped[MeetingState] = mapped_column(str_enum(MeetingState), default=MeetingState.PLANNED)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    # The leader whose LUS or 1:1 it is.
    subject_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    expected_outcome: Mapped[str] = mapped_column(sa.Text, default="")
    participants: Mapped[str] = mapped_column(sa.Text, default="")
    roles: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[Visibility] = mapped_column(str_enum(Visibility), default=Visibility.SHARED)
    is_demo: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    school: Mapped[School] = relationship()
    organiser: Mapped["User | None"] = relationship(foreign_keys=[organiser_id])
    subject: Mapped["User | None"] = relationship(foreign_keys=[subject_id])
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    agreements: Mapped[list["Agreement"]] = relationship(
        back_populates="meeting", order_by="Agreement.due_on"
    )


class AgendaItem(Base):
    """An agenda item of the meeting template: purpose, process, responsible, time; notes after."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(300))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    process: Mapped[str] = mapped_column(sa.Text, default="")
    responsible: Mapped[str] = mapped_column(sa.String(200), default="")
    minutes: Mapped[int | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Set when the item was built from a Learning Pipeline expectation (LUS) or a goal (1:1).
    expectation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("expectation.id"))
    goal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("goal.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    expectation: Mapped[Expectation | None] = relationship()
    goal: Mapped[Goal | None] = relationship()


class Agreement(TimestampMixin, Base):
    """An action agreed in a sparring note or a meeting (Aftale)."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    note_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sparring_note.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    owner_name: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date | None]
    done_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    school: Mapped[School] = relationship()
    note: Mapped[SparringNote | None] = relationship(back_populates="agreements")
    meeting: Mapped[Meeting | None] = relationship(back_populates="agreements")
    owner: Mapped["User | None"] = relationship(foreign_keys=[owner_id])

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < today


class SchoolDevelopmentConversation(TimestampMixin, Base):
    """The yearly skoleudviklingssamtale (SUS) of one school, with its preparation in parts.

    The conversation itself is a Meeting of type SUS (the meeting template, its notes and
    agreements); this row holds what is prepared before it: the leader's proposed focus areas,
    the municipality's topics and the invited parent representative.
    """

    __tablename__ = "school_development_conversation"
    __table_args__ = (sa.UniqueConstraint("school_id", "school_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    school_year: Mapped[int]  # 2025 = the school year 2025/26
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting.id", ondelete="SET NULL"))
    parent_representative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    school: Mapped[School] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    parent_representative: Mapped["User | None"] = relationship()
    focus_areas: Mapped[list["SusFocusArea"]] = relationship(
        back_populates="sus", order_by="SusFocusArea.position", cascade="all, delete-orphan"
    )
    topics: Mapped[list["SusTopic"]] = relationship(
        back_populates="sus", order_by="SusTopic.position", cascade="all, delete-orphan"
    )


class SusFocusArea(Base):
    """A development or focus area the school leader proposes, linked to one of the school's goals."""

    __tablename__ = "sus_focus_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    sus_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_development_conversation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    goal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("goal.id", ondelete="SET NULL"))

    sus: Mapped[SchoolDevelopmentConversation] = relationship(back_populates="focus_areas")
    goal: Mapped[Goal | None] = relationship()


class SusTopic(Base):
    """A topic the administration adds from its strategic frame: a political goal or a municipal activity."""

    __tablename__ = "sus_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    sus_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_development_conversation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    political_goal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("political_goal.id", ondelete="SET NULL"))
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipal_activity.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.Text, default="")

    sus: Mapped[SchoolDevelopmentConversation] = relationship(back_populates="topics")
    political_goal: Mapped[PoliticalGoal | None] = relationship()
    activity: Mapped[MunicipalActivity | None] = relationship()
