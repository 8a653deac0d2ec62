"""The skoleudviklingssamtale (SUS, folkeskoleloven § 40 a): its preparation and its material.

A SUS is held once per school per school year by the directorate with the school leader. Its
preparation comes in parts, each by its own people (``SchoolDevelopmentConversation``): the
leader proposes focus areas linked to the school's goals, the administration adds topics from
its strategic frame (the period's political goals and municipal activities), a parent
representative from the school board is invited. The material is put together here, never
stored: last year's SUS with its agreements and what became of each (first), the school report
(goals, indicators and progress, initiatives, evaluations and conclusions), and the test-based
indicators (Fortrolig), which only the full version for those allowed shows.

Two audiences: ``full`` (by ``indicator.read``) and the board version for the parent
representative and the school board, which shows public indicators only and leaves confidential
goals out altogether, saying so ("Testresultater er udeladt, jf. folkeskolelovens § 55 b").
Nothing here commits; the route commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from strategy import audit, notifications
from strategy.extensions import db
from strategy.cadence import school_year_of
from strategy.models import (
    AgendaItem,
    Agreement,
    Classification,
    Evaluation,
    Goal,
    Initiative,
    Meeting,
    MeetingState,
    MeetingType,
    MunicipalActivity,
    PoliticalGoal,
    Role,
    School,
    SchoolDevelopmentConversation,
    Strategy,
    SusFocusArea,
    SusTopic,
    User,
    Visibility,
)
from strategy.permissions import can

def omitted_statement() -> str:
    """The sentence on the board's version: test results are confidential (folkeskoleloven § 55 b)."""
    return _("Testresultater er udeladt, jf. folkeskolelovens § 55 b")


def progress_of(baseline: float | None, target: float | None, latest: float | None) -> float | None:
    """How far the latest measurement has come from baseline to target (1.0 = reached)."""
    if latest is None or baseline is None or target is None or target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


# --- loading ---------------------------------------------------------------------------------


def sus_for(school_id: int, school_year: int) -> SchoolDevelopmentConversation | None:
    return db.session.scalar(
        sa.select(SchoolDevelopmentConversation)
        .where(
            SchoolDevelopmentConversation.school_id == school_id,
            SchoolDevelopmentConversation.school_year == school_year,
        )
        .options(
            selectinload(SchoolDevelopmentConversation.focus_areas).selectinload(SusFocusArea.goal),
            selectinload(SchoolDevelopmentConversation.topics).selectinload(SusTopic.political_goal),
            selectinload(SchoolDevelopmentConversation.topics).selectinload(SusTopic.activity),
            selectinload(SchoolDevelopmentConversation.meeting).selectinload(Meeting.agreements),
            selectinload(SchoolDevelopmentConversation.parent_representative),
        )
    )


def current_school_year(today: date | None = None) -> int:
    return school_year_of(today or date.today())


def school_strategy(school_id: int, school_year: int) -> Strategy | None:
    """The strategy the SUS is about: the one whose period covers the school year's spring
    (2025/26 → 2026), else the latest one of the school."""
    strategies = list(db.session.scalars(
        sa.select(Strategy).where(Strategy.school_id == school_id).options(selectinload(Strategy.period))
    ))
    covering = [s for s in strategies if s.period.start_year <= school_year + 1 <= s.period.end_year]
    pool = covering or strategies
    return max(pool, key=lambda s: s.period.start_year, default=None)


def school_leaders(school_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.role == Role.LEADER, User.school_id == school_id, User.active).order_by(User.name)
    ))


def board_members(school_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.role == Role.BOARD, User.school_id == school_id, User.active).order_by(User.name)
    ))


def topic_choices(strategy: Strategy | None) -> tuple[list[PoliticalGoal], list[MunicipalActivity]]:
    """The period's political goals and municipal activities (seeds 002 and 003)."""
    goals = list(db.session.scalars(sa.select(PoliticalGoal).order_by(PoliticalGoal.position, PoliticalGoal.id)))
    activities = []
    if strategy is not None:
        activities = list(db.session.scalars(
            sa.select(MunicipalActivity)
            .where(MunicipalActivity.period_id == strategy.period_id)
            .order_by(MunicipalActivity.position, MunicipalActivity.id)
        ))
    return goals, activities


# --- the material ----------------------------------------------------------------------------


@dataclass
class InitiativeMaterial:
    initiative: Initiative
    evaluation: Evaluation | None  # the latest


@dataclass
class GoalMaterial:
    goal: Goal
    show_indicator: bool
    initiatives: list[InitiativeMaterial]
    evaluation: Evaluation | None  # the goal's latest

    @property
    def measurements(self):
        return self.goal.measurements if self.show_indicator else []

    @property
    def latest(self):
        return self.measurements[-1] if self.measurements else None

    @property
    def progress(self) -> float | None:
        if not self.show_indicator:
            return None
        latest = self.latest.value if self.latest else None
        return progress_of(self.goal.baseline_value, self.goal.target_value, latest)


@dataclass
class AgreementOutcome:
    agreement: Agreement
    state: str  # "done", "overdue", "open"


@dataclass
class Material:
    school: School
    school_year: int
    board_version: bool
    sus: SchoolDevelopmentConversation | None
    strategy: Strategy | None
    previous: SchoolDevelopmentConversation | None
    previous_agreements: list[AgreementOutcome]
    goals: list[GoalMaterial]  # the school report (everything but the test results)
    test_results: list[GoalMaterial]  # confidential goals, only in the full version for those allowed
    omitted: bool  # confidential content left out: the page says so
    leaders: list[User] = field(default_factory=list)


def _latest(evaluations: list[Evaluation]) -> Evaluation | None:
    return max(evaluations, key=lambda e: (e.evaluated_on, e.id), default=None)


def agreement_outcomes(sus: SchoolDevelopmentConversation | None, today: date) -> list[AgreementOutcome]:
    """The agreements of a held SUS and what became of each (a draft record counts for no one)."""
    if sus is None or sus.meeting is None or sus.meeting.visibility == Visibility.DRAFT:
        return []
    outcomes = []
    for agreement in sus.meeting.agreements:
        if agreement.done_at is not None:
            state = "done"
        elif agreement.is_overdue(today):
            state = "overdue"
        else:
            state = "open"
        outcomes.append(AgreementOutcome(agreement, state))
    return outcomes


def build_material(user: User, school: School, school_year: int, board_version: bool,
                   today: date | None = None) -> Material:
    """The SUS material of one school and school year for ``user``.

    The board version shows only public indicators and leaves confidential goals out; the full
    version shows each indicator ``indicator.read`` allows, the test results in their own part.
    """
    today = today or date.today()
    sus = sus_for(school.id, school_year)
    previous = sus_for(school.id, school_year - 1)
    strategy = school_strategy(school.id, school_year)
    goals: list[GoalMaterial] = []
    tests: list[GoalMaterial] = []
    omitted = False
    if strategy is not None:
        rows = db.session.scalars(
            sa.select(Goal)
            .where(Goal.strategy_id == strategy.id, Goal.archived_at.is_(None))
            .order_by(Goal.position, Goal.id)
            .options(
                selectinload(Goal.measurements),
                selectinload(Goal.evaluations),
                selectinload(Goal.initiatives).selectinload(Initiative.evaluations),
                selectinload(Goal.political_goals),
            )
        )
        for goal in rows:
            confidential = goal.classification == Classification.CONFIDENTIAL
            if board_version:
                if confidential:
                    omitted = True
                    continue
                show = goal.classification == Classification.PUBLIC
            else:
                show = can(user, "indicator.read", goal)
                if confidential and not show:
                    omitted = True
                    continue
            entry = GoalMaterial(
                goal=goal,
                show_indicator=show,
                initiatives=[InitiativeMaterial(i, _latest(i.evaluations)) for i in goal.active_initiatives],
                evaluation=_latest(goal.evaluations),
            )
            (tests if confidential else goals).append(entry)
    return Material(
        school=school, school_year=school_year, board_version=board_version, sus=sus, strategy=strategy,
        previous=previous, previous_agreements=agreement_outcomes(previous, today), goals=goals,
        test_results=tests, omitted=omitted, leaders=school_leaders(school.id),
    )


# --- changing the preparation ----------------------------------------------------------------


def start(school: School, school_year: int, user: User) -> SchoolDevelopmentConversation:
    """The school year's SUS of the school (created once; a second call returns it)."""
    existing = sus_for(school.id, school_year)
    if existing is not None:
        return existing
    sus = SchoolDevelopmentConversation(school=school, school_year=school_year)
    db.session.add(sus)
    db.session.flush()
    audit.record("create", sus, {"school_year": school_year}, summary=f"Skoleudviklingssamtale {school_year}/{school_year + 1} oprettet")
    notifications.sus_started(sus, user)
    return sus


def add_focus_area(sus: SchoolDevelopmentConversation, title: str, description: str, goal: Goal | None) -> SusFocusArea:
    area = SusFocusArea(
        sus=sus, title=title, description=description, goal=goal,
        position=max((a.position for a in sus.focus_areas), default=-1) + 1,
    )
    db.session.add(area)
    db.session.flush()
    audit.record("create", sus, {"focus_area": title}, summary=f"Fokusområde foreslået: {title}")
    return area


def remove_focus_area(area: SusFocusArea) -> None:
    audit.record("delete", area.sus, {"focus_area": area.title}, summary=f"Fokusområde fjernet: {area.title}")
    db.session.delete(area)


def add_topic(sus: SchoolDevelopmentConversation, political_goal: PoliticalGoal | None,
              activity: MunicipalActivity | None, note: str) -> SusTopic:
    topic = SusTopic(
        sus=sus, political_goal=political_goal, activity=activity, note=note,
        position=max((t.position for t in sus.topics), default=-1) + 1,
    )
    db.session.add(topic)
    db.session.flush()
    audit.record("create", sus, {"topic": topic_title(topic)}, summary=f"Emne tilføjet: {topic_title(topic)}")
    return topic


def remove_topic(topic: SusTopic) -> None:
    audit.record("delete", topic.sus, {"topic": topic_title(topic)}, summary=f"Emne fjernet: {topic_title(topic)}")
    db.session.delete(topic)


def topic_title(topic: SusTopic) -> str:
    if topic.political_goal is not None:
        return topic.political_goal.short_name or topic.political_goal.text
    if topic.activity is not None:
        return topic.activity.heading or topic.activity.text[:120]
    return topic.note[:120]


def invite_parent(sus: SchoolDevelopmentConversation, member: User) -> list:
    """Make ``member`` (a board member of the school) the parent representative and queue the
    invitation e-mail. Returns the queued messages (deliver after the commit)."""
    from strategy import mail

    sus.parent_representative = member
    sus.invited_at = datetime.now(UTC)
    notifications.sus_parent_invited(sus, member, current_user if current_user and current_user.is_authenticated else None)
    audit.record("update", sus, {"parent_representative": member.name}, summary="Forælderrepræsentant inviteret")
    message = mail.queue(
        member, "sus_invitation", "sus_invitation",
        dedupe_key=f"sus-invitation-{sus.id}-{member.id}",
        school=sus.school.name, school_year=sus.school_year,
        url=mail.absolute_url("sus.school", school_id=sus.school_id, aar=sus.school_year),
    )
    return [message] if message is not None else []


def sus_agenda(material: Material) -> list[dict]:
    """The conversation's agenda on the meeting template: last year's agreements first, then the
    leader's focus areas, the municipality's topics, the school report and the test results."""
    items = []
    if material.previous_agreements:
        labels = {"done": _("Gennemført"), "overdue": _("Ikke gennemført, fristen er overskredet"), "open": _("Åben")}
        items.append({
            "title": _("Opfølgning på sidste års aftaler"),
            "purpose": "\n".join(f"• {o.agreement.text} ({labels[o.state]})" for o in material.previous_agreements),
            "minutes": 15,
        })
    sus = material.sus
    for area in sus.focus_areas if sus else []:
        items.append({
            "title": _("Skolens fokusområde: %(title)s", title=area.title),
            "purpose": area.description, "responsible": _("Skoleleder"), "minutes": 15,
            "goal_id": area.goal_id,
        })
    for topic in sus.topics if sus else []:
        items.append({
            "title": _("Kommunens emne: %(title)s", title=topic_title(topic)),
            "purpose": topic.note, "responsible": _("Forvaltningen"), "minutes": 10,
        })
    items.append({
        "title": _("Skolens mål, resultater og tiltag"),
        "purpose": "\n".join(f"• {g.goal.title}" for g in material.goals), "minutes": 20,
    })
    if material.test_results:
        items.append({
            "title": _("De obligatoriske test (fortroligt)"),
            "purpose": "\n".join(f"• {g.goal.title}" for g in material.test_results), "minutes": 15,
        })
    items.append({"title": _("Aftaler til næste skoleudviklingssamtale"), "minutes": 10})
    return items


def plan_meeting(sus: SchoolDevelopmentConversation, starts_at: datetime, user: User, material: Material) -> Meeting:
    """The conversation itself: a Meeting of type SUS on the meeting template, its agenda built
    from the preparation, held with the school leader and shared with the school."""
    if sus.meeting is not None:
        return sus.meeting
    leader = material.leaders[0] if material.leaders else None
    meeting = Meeting(
        school_id=sus.school_id, meeting_type=MeetingType.SUS, state=MeetingState.PLANNED, starts_at=starts_at,
        organiser=user, subject=leader, visibility=Visibility.SHARED,
        title=_("Skoleudviklingssamtale %(year)s", year=f"{sus.school_year}/{str(sus.school_year + 1)[-2:]}"),
        purpose=_("Den årlige skoleudviklingssamtale med skolens leder (folkeskolelovens § 40 a)."),
        expected_outcome=_("Aftaler om skolens udvikling, som følges op ved næste skoleudviklingssamtale."),
        participants=", ".join(
            [u.name for u in material.leaders] + ([sus.parent_representative.name] if sus.parent_representative else [])
        ),
    )
    for position, item in enumerate(sus_agenda(material)):
        meeting.agenda_items.append(AgendaItem(
            position=position, title=item["title"][:300], purpose=item.get("purpose", ""),
            responsible=item.get("responsible", ""), minutes=item.get("minutes"), goal_id=item.get("goal_id"),
        ))
    db.session.add(meeting)
    sus.meeting = meeting
    db.session.flush()
    audit.record("create", meeting, {"title": meeting.title}, summary=f"Samtale planlagt: {meeting.title}")
    notifications.meeting_saved(meeting, user)
    return meeting
