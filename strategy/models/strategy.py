"""A school's virksomhedsstrategi: goals with indicators, initiatives, status, evaluations."""

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, FiniteFloat, TimestampMixin, link_table, str_enum, utcnow, version_column
from strategy.models.reference import Expectation, Period, PoliticalGoal, ProfileLevel
from strategy.models.schools import School

if TYPE_CHECKING:
    from strategy.models.data import MunicipalIndicator
    from strategy.models.users import User


class DataType(enum.StrEnum):
    """The broad data concept of Fælles om Ledelse."""

    RESULT = "result"  # resultatdata
    PROCESS = "process"  # processuelle data
    DEMOGRAPHIC = "demographic"  # demografiske data
    PERCEPTION = "perception"  # perceptionsdata


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ON_TRACK = "on_track"
    CHALLENGED = "challenged"
    COMPLETED = "completed"
    STOPPED = "stopped"


class Classification(enum.StrEnum):
    """Who may see an indicator and its measurements (DESIGN.md glossary)."""

    PUBLIC = "public"  # offentlig: may reach the school board, the committee, print and the API
    INTERNAL = "internal"  # intern: municipal staff and the school
    CONFIDENTIAL = "confidential"  # fortrolig: test results (folkeskoleloven § 55 b)


class Conclusion(enum.StrEnum):
    CONTINUE = "continue"  # fortsæt
    ADJUST = "adjust"  # justér
    STOP = "stop"


# --- the roll-up of a goal's initiatives: one rule, with the model ---------------------------------


@dataclass(frozen=True)
class RollUp:
    """The state of a goal read from its initiatives: one status and how many of each."""

    status: Status | None
    counts: tuple[tuple[Status, int], ...]  # in the order of Status, only non-zero
    total: int


def roll_up(statuses: Iterable[Status | str]) -> RollUp:
    """The goal's status from its (active, non-archived) initiatives' statuses. The rule:

    - no initiatives: no status;
    - every initiative stopped: Stoppet;
    - otherwise stopped initiatives are left out (a deliberate stop is not a failing goal), and
      the worst of the rest wins: any Udfordret -> Udfordret; all Gennemført -> Gennemført;
      all Ikke startet -> Ikke startet; some not started or I gang -> I gang; else (only På rette
      spor and Gennemført) -> På rette spor.
    """
    values = [Status(s) for s in statuses]
    counter = Counter(values)
    counts = tuple((s, counter[s]) for s in Status if counter[s])
    if not values:
        return RollUp(None, counts, 0)
    live = [s for s in values if s != Status.STOPPED]
    if not live:
        status = Status.STOPPED
    elif Status.CHALLENGED in live:
        status = Status.CHALLENGED
    elif all(s == Status.COMPLETED for s in live):
        status = Status.COMPLETED
    elif all(s == Status.NOT_STARTED for s in live):
        status = Status.NOT_STARTED
    elif any(s in (Status.NOT_STARTED, Status.IN_PROGRESS) for s in live):
        status = Status.IN_PROGRESS
    else:
        status = Status.ON_TRACK
    return RollUp(status, counts, len(values))


def goal_roll_up(goal: "Goal") -> RollUp:
    return goal.roll_up


def progress_of(baseline: float | None, target: float | None, latest: float | None) -> float | None:
    """How far a measurement has come from baseline to target (1.0 = target reached)."""
    if latest is None or baseline is None or target is None or target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


goal_political_goal = link_table(
    "goal_political_goal",
    ("goal_id", "goal.id"), ("political_goal_id", "political_goal.id"),
)

initiative_political_goal = link_table(
    "initiative_political_goal",
    ("initiative_id", "initiative.id"), ("political_goal_id", "political_goal.id"),
)

initiative_expectation = link_table(
    "initiative_expectation",
    ("initiative_id", "initiative.id"), ("expectation_id", "expectation.id"),
)


class Strategy(TimestampMixin, Base):
    """One school's plan for one period, revised yearly."""

    __tablename__ = "strategy"
    __table_args__ = (sa.UniqueConstraint("school_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id"), index=True)
    # The revision year currently being worked on; closing it freezes a snapshot.
    current_year: Mapped[int]
    # Last time anything in the strategy changed (goals, initiatives, status, evaluations).
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_demo: Mapped[bool] = mapped_column(default=False)

    school: Mapped[School] = relationship()
    period: Mapped[Period] = relationship()
    goals: Mapped[list["Goal"]] = relationship(back_populates="strategy", order_by="Goal.position")
    snapshots: Mapped[list["StrategySnapshot"]] = relationship(
        back_populates="strategy", order_by="StrategySnapshot.year"
    )

    def touch(self) -> None:
        self.last_activity_at = utcnow()

    def snapshot_of(self, year: int | None) -> "StrategySnapshot | None":
        """The closed year ``year``; without a year the latest one before the current year (or
        the latest of all, when every closed year is the current one)."""
        if year is None:
            earlier = [s for s in self.snapshots if s.year < self.current_year] or self.snapshots
            return earlier[-1] if earlier else None
        return next((s for s in self.snapshots if s.year == year), None)


class Goal(TimestampMixin, Base):
    """A local progressionsmål with its indicator."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None]
    # Indicator
    indicator: Mapped[str] = mapped_column(sa.String(300), default="")
    data_type: Mapped[DataType | None] = mapped_column(str_enum(DataType))
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    classification: Mapped[Classification] = mapped_column(
        str_enum(Classification), default=Classification.INTERNAL, server_default=Classification.INTERNAL.value
    )
    baseline_value: Mapped[float | None] = mapped_column(FiniteFloat)
    baseline_year: Mapped[int | None]
    target_value: Mapped[float | None] = mapped_column(FiniteFloat)
    target_year: Mapped[int | None]
    # A fælles indikator the goal's indicator is (imports into it fill this goal's measurements).
    municipal_indicator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipal_indicator.id"), index=True
    )
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    strategy: Mapped[Strategy] = relationship(back_populates="goals")
    municipal_indicator: Mapped["MunicipalIndicator | None"] = relationship()
    political_goals: Mapped[list[PoliticalGoal]] = relationship(
        secondary=goal_political_goal, order_by=PoliticalGoal.position
    )
    initiatives: Mapped[list["Initiative"]] = relationship(
        back_populates="goal", order_by="Initiative.position"
    )
    measurements: Mapped[list["Measurement"]] = relationship(
        back_populates="goal", order_by="Measurement.year", cascade="all, delete-orphan"
    )
    evaluations: Mapped[list["Evaluation"]] = relationship(
        back_populates="goal", order_by="Evaluation.evaluated_on.desc()"
    )

    @property
    def active_initiatives(self) -> list["Initiative"]:
        return [i for i in self.initiatives if i.archived_at is None]

    @property
    def roll_up(self) -> RollUp:
        """The goal's state read from its active initiatives (see ``roll_up``)."""
        return roll_up(i.status for i in self.active_initiatives)


MIN_PUPILS = 5  # the ministry blanks cells of fewer pupils; Målpil keeps them out of sums and charts


class Measurement(Base):
    """One yearly measurement of a goal's indicator."""

    __tablename__ = "measurement"
    __table_args__ = (sa.UniqueConstraint("goal_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    # None only when reading a value stored before measurements had to be finite (see FiniteFloat).
    value: Mapped[float | None] = mapped_column(FiniteFloat, nullable=False)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    # The start of a new series (a new test): the chart draws no line across the break.
    new_series: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The number of pupils behind the value; fewer than MIN_PUPILS is kept but never summed or drawn.
    pupils: Mapped[int | None]
    # The import that wrote the value last (None once someone types it by hand): undo is possible
    # while every measurement of a batch still points to it.
    import_batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batch.id"), index=True)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="measurements")

    @property
    def too_few_pupils(self) -> bool:
        return self.pupils is not None and self.pupils < MIN_PUPILS


class Initiative(TimestampMixin, Base):
    """A tiltag, in the shape of the action-plan template."""

    __tablename__ = "initiative"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goal.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None]
    starting_point: Mapped[str] = mapped_column(sa.Text, default="")  # Ståsted
    what_we_try: Mapped[str] = mapped_column(sa.Text, default="")  # Hvad vi afprøver
    who_does_what: Mapped[str] = mapped_column(sa.Text, default="")  # Hvem gør hvad hvornår
    responsible: Mapped[str] = mapped_column(sa.String(200), default="")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    success_signs: Mapped[str] = mapped_column(sa.Text, default="")  # Tegn på at vi lykkes
    evaluation_plan: Mapped[str] = mapped_column(sa.Text, default="")  # Hvordan og hvornår vi evaluerer
    owner_level_id: Mapped[int | None] = mapped_column(sa.ForeignKey("profile_level.id"))
    # The latest status, kept next to its history so that roll-ups need no per-row queries.
    status: Mapped[Status] = mapped_column(str_enum(Status), default=Status.NOT_STARTED)
    status_changed_at: Mapped[datetime | None]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    goal: Mapped[Goal] = relationship(back_populates="initiatives")
    owner_level: Mapped[ProfileLevel | None] = relationship()
    political_goals: Mapped[list[PoliticalGoal]] = relationship(
        secondary=initiative_political_goal, order_by=PoliticalGoal.position
    )
    expectations: Mapped[list[Expectation]] = relationship(
        secondary=initiative_expectation, order_by=Expectation.position
    )
    status_updates: Mapped[list["StatusUpdate"]] = relationship(
        back_populates="initiative", order_by="StatusUpdate.created_at.desc()"
    )
    evaluations: Mapped[list["Evaluation"]] = relationship(
        back_populates="initiative", order_by="Evaluation.evaluated_on.desc()"
    )

    RECENT_UPDATES = 5  # how many status updates a strategy page shows per initiative

    @property
    def recent_updates(self) -> list["StatusUpdate"]:
        """The newest status updates, newest first: as the page's loader picked them
        (strategy.loaders.with_recent_updates), else from the whole history."""
        if "_recent_updates" in self.__dict__:
            return self.__dict__["_recent_updates"]
        return self.status_updates[: self.RECENT_UPDATES]

    @property
    def status_update_count(self) -> int:
        if "_status_update_count" in self.__dict__:
            return self.__dict__["_status_update_count"]
        return len(self.status_updates)


class StatusUpdate(Base):
    __tablename__ = "status_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    status: Mapped[Status] = mapped_column(str_enum(Status))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    initiative: Mapped[Initiative] = relationship(back_populates="status_updates")
    author: Mapped["User | None"] = relationship()


class Evaluation(Base):
    """A dated evaluation of an initiative or a goal."""

    __tablename__ = "evaluation"
    __table_args__ = (
        sa.CheckConstraint(
            "(initiative_id IS NULL) <> (goal_id IS NULL)", name="one_subject"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("goal.id"), index=True)
    evaluated_on: Mapped[date]
    what_was_done: Mapped[str] = mapped_column(sa.Text, default="")
    signs_observed: Mapped[str] = mapped_column(sa.Text, default="")
    data_types: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    data_used: Mapped[str] = mapped_column(sa.Text, default="")
    conclusion: Mapped[Conclusion] = mapped_column(str_enum(Conclusion))
    next_steps: Mapped[str] = mapped_column(sa.Text, default="")
    # A "stop" or "justér" conclusion stays visible until someone records how it was acted on.
    acted_on_at: Mapped[datetime | None]
    acted_on_note: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    initiative: Mapped[Initiative | None] = relationship(back_populates="evaluations")
    goal: Mapped[Goal | None] = relationship(back_populates="evaluations")
    author: Mapped["User | None"] = relationship()

    @property
    def needs_action(self) -> bool:
        return self.conclusion in (Conclusion.ADJUST, Conclusion.STOP) and self.acted_on_at is None


class Comment(Base):
    """A consultant's or the directorate's comment on a goal or an initiative."""

    __tablename__ = "comment"
    __table_args__ = (
        sa.CheckConstraint("(initiative_id IS NULL) <> (goal_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("goal.id"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiative.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped["User | None"] = relationship()


class StrategySnapshot(Base):
    """The read-only state of a strategy when a revision year was closed."""

    __tablename__ = "strategy_snapshot"
    __table_args__ = (sa.UniqueConstraint("strategy_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    year: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    strategy: Mapped[Strategy] = relationship(back_populates="snapshots")
    closed_by: Mapped["User | None"] = relationship()
