"""Reference data transcribed from the municipal documents (see seed/ and `flask seed`).

Every row that comes from seed/ has a stable ``key`` so that re-seeding updates it in place.
"""

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, link_table, str_enum
from strategy.models.schools import School


class ExpectationCategory(enum.StrEnum):
    PRIORITIES = "priorities"  # Prioriteter
    WORK_VALUES = "work_values"  # Arbejdsværdier
    SKILLS = "skills"  # Færdigheder


class ActivityLevel(enum.StrEnum):
    EMPLOYEE = "medarbejder"
    LEADERSHIP = "ledelse"


class Theme(Base):
    """Læring, Trivsel, Dannelse."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str]
    position: Mapped[int] = mapped_column(default=0)


political_goal_theme = link_table(
    "political_goal_theme",
    ("political_goal_id", "political_goal.id"), ("theme_id", "theme.id"),
)


class Policy(Base):
    """Børne- og ungepolitik, skolepolitiske mål, the vision "Noget at have det i"."""

    __tablename__ = "policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str]
    kind: Mapped[str] = mapped_column(sa.String(16), default="policy")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    goals: Mapped[list["PoliticalGoal"]] = relationship(
        back_populates="policy", order_by="PoliticalGoal.position"
    )


class PoliticalGoal(Base):
    __tablename__ = "political_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    policy_id: Mapped[int] = mapped_column(sa.ForeignKey("policy.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    short_name: Mapped[str] = mapped_column(sa.String(80), default="")
    position: Mapped[int] = mapped_column(default=0)

    policy: Mapped[Policy] = relationship(back_populates="goals")
    themes: Mapped[list[Theme]] = relationship(secondary=political_goal_theme, order_by=Theme.position)

    @property
    def label(self) -> str:
        return self.short_name or self.text


class Period(Base):
    """A strategy period (Strategiperiode), e.g. 2021-2023."""

    __tablename__ = "period"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(default="")
    start_year: Mapped[int]
    end_year: Mapped[int]
    is_demo: Mapped[bool] = mapped_column(default=False)

    activities: Mapped[list["MunicipalActivity"]] = relationship(
        back_populates="period", order_by="MunicipalActivity.position"
    )
    follow_up_items: Mapped[list["PeriodFollowUp"]] = relationship(
        back_populates="period", order_by="PeriodFollowUp.position"
    )

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class MunicipalActivity(Base):
    """What the administration does in a period (Strategisk aktivitet), per level or per year."""

    __tablename__ = "municipal_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"), index=True)
    policy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policy.id"))
    level: Mapped[ActivityLevel | None] = mapped_column(str_enum(ActivityLevel))
    year: Mapped[int | None]
    heading: Mapped[str | None]
    text: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)

    period: Mapped[Period] = relationship(back_populates="activities")
    policy: Mapped[Policy | None] = relationship()


class PeriodFollowUp(Base):
    """One bullet of a period's Skolecenteropfølgning column."""

    __tablename__ = "period_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)

    period: Mapped[Period] = relationship(back_populates="follow_up_items")


class FollowUpFormat(Base):
    """A follow-up format and its yearly cadence (1:1-samtaler 4-6 x årligt, LUS and GRUS yearly...)."""

    __tablename__ = "follow_up_format"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str]
    meeting_type: Mapped[str | None] = mapped_column(sa.String(32))
    min_per_year: Mapped[int | None]
    max_per_year: Mapped[int | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class ProfileLevel(Base):
    """A Learning Pipeline level (Niveau). Municipal when school_id is empty, else local to a school."""

    __tablename__ = "profile_level"
    __table_args__ = (sa.UniqueConstraint("school_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str]
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    school: Mapped[School | None] = relationship()
    expectations: Mapped[list["Expectation"]] = relationship(
        back_populates="level", order_by="Expectation.position", cascade="all, delete-orphan"
    )

    @property
    def is_local(self) -> bool:
        return self.school_id is not None

    def expectations_in(self, category: ExpectationCategory) -> list["Expectation"]:
        return [e for e in self.expectations if e.category == category]


class Expectation(Base):
    """One expectation of a level's profile, in one of the three categories."""

    __tablename__ = "expectation"

    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(sa.ForeignKey("profile_level.id", ondelete="CASCADE"), index=True)
    category: Mapped[ExpectationCategory] = mapped_column(str_enum(ExpectationCategory))
    text: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)

    level: Mapped[ProfileLevel] = relationship(back_populates="expectations")


class Tool(Base):
    """A leadership tool of Fælles om Ledelse (stances, feedback model, data types, 5F ...)."""

    __tablename__ = "tool"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str]
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    items: Mapped[list["ToolItem"]] = relationship(
        back_populates="tool", order_by="ToolItem.position", cascade="all, delete-orphan"
    )


class ToolItem(Base):
    __tablename__ = "tool_item"
    __table_args__ = (sa.UniqueConstraint("tool_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[int] = mapped_column(sa.ForeignKey("tool.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    tool: Mapped[Tool] = relationship(back_populates="items")


class ReferenceText(Base):
    """Longer texts of the sources: the pipeline's foreword and FAQ, the foundation list ..."""

    __tablename__ = "reference_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
