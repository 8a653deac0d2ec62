"""The demo's skoleudviklingssamtaler, a school board member and a member of the Skoleudvalg.

Every school had its SUS last school year (held by the skolechef, with agreements, some done and
some not); this year's is in preparation at some schools (the leader's focus areas, the
administration's topics) and planned at a few. Herningvej Skole's board member is invited as the
parent representative. Goals measured by a national test are Fortrolig (folkeskoleloven § 55 b)
and well-being and parent surveys Offentlig, so the board's and the committee's views and the
board's SUS report have something to show and something to leave out.
"""

from __future__ import annotations

from datetime import timedelta

from strategy.demo import catalogue as text
from strategy.demo.municipality import DemoContext, demo_password_hash
from strategy.models import (
    AgendaItem,
    Agreement,
    Classification,
    Meeting,
    MeetingState,
    MeetingType,
    MunicipalActivity,
    Role,
    SchoolDevelopmentConversation,
    SusFocusArea,
    SusTopic,
    User,
    Visibility,
)

BOARD_MEMBER = ("bestyrelse", "Louise Brandt", "Formand for skolebestyrelsen")
COMMITTEE_MEMBER = ("udvalg", "Jens Kirkegaard", "Medlem af Skoleudvalget")

SUS_AGREEMENTS = (
    "Skolen fremlægger en plan for læsebåndet på det første ledermøde efter sommerferien",
    "Forvaltningen stiller en læsevejleder til rådighed for indskolingen i efteråret",
    "Skolen følger op på fraværet hver måned og drøfter det på team-møderne",
    "Skolelederen deler erfaringerne med bevægelse i undervisningen i klyngen",
    "Skolen gennemfører datamøder i alle årgangsteam mindst fire gange om året",
    "Skolen og forvaltningen aftaler en ny målværdi for trivslen ved næste samtale",
)
FOCUS_AREAS = (
    ("Læsning i indskolingen", "Flere sikre læsere i 2. klasse gennem læsebånd og tæt forældresamarbejde."),
    ("Fællesskab og trivsel", "Klassefællesskaber, hvor alle elever oplever at høre til."),
    ("Datainformeret undervisning", "Teamene bruger data systematisk til at tilrettelægge undervisningen."),
)


def _classify(demo: DemoContext) -> None:
    for strategy in demo.strategies.values():
        for goal in strategy.goals:
            indicator = (goal.indicator or "").lower()
            if "nationale test" in indicator or "ordlæsningsprøve" in indicator:
                goal.classification = Classification.CONFIDENTIAL
            elif "trivsel" in indicator or "forældreundersøgelse" in indicator:
                goal.classification = Classification.PUBLIC


def _accounts(demo: DemoContext) -> tuple[User, User]:
    herningvej = demo.schools[text.HERNINGVEJ]
    made = []
    for (local, name, title), role, school in (
        (BOARD_MEMBER, Role.BOARD, herningvej), (COMMITTEE_MEMBER, Role.COMMITTEE, None),
    ):
        user = demo.add(User(
            email=f"{local}@{text.DOMAIN}", name=name, title=title, role=role, school=school,
            password_hash=demo_password_hash(), is_demo=True,
        ))
        demo.users[local] = user
        made.append(user)
    return made[0], made[1]


def _agenda(demo: DemoContext, meeting: Meeting) -> None:
    """The SUS agenda on the meeting template: last year's agreements first."""
    for index, (title, minutes) in enumerate((
        ("Opfølgning på sidste års aftaler", 15), ("Skolens fokusområder", 20), ("Kommunens emner", 15),
        ("Skolens mål, resultater og tiltag", 20), ("De obligatoriske test (fortroligt)", 15),
        ("Aftaler til næste skoleudviklingssamtale", 10),
    )):
        meeting.agenda_items.append(demo.add(AgendaItem(position=index, title=title, minutes=minutes)))


def build_sus(demo: DemoContext) -> None:
    _classify(demo)
    board_member, _committee = _accounts(demo)
    skolechef = demo.users["skolechef"]
    rng = demo.rng
    this_year = demo.school_year_start().year
    activities = {}
    for strategy in demo.strategies.values():
        activities.setdefault(strategy.period_id, [a for a in strategy.period.activities if a.heading] or list(strategy.period.activities))
    political_goals = list(demo.political_goals.values())

    for position, (name, school) in enumerate(demo.schools.items()):
        leader = demo.skoleleder(name)
        strategy = demo.strategies.get(name)
        goals = [g for g in strategy.goals if g.archived_at is None] if strategy else []

        # Last school year's SUS, held, with agreements: some done, some not.
        held_on = demo.at(demo.school_year_start().replace(year=this_year - 1) + timedelta(days=rng.randint(60, 200)))
        meeting = demo.add(Meeting(
            school=school, meeting_type=MeetingType.SUS, state=MeetingState.HELD, starts_at=held_on,
            organiser=skolechef, subject=leader, visibility=Visibility.SHARED, is_demo=True,
            title=f"Skoleudviklingssamtale {this_year - 1}/{str(this_year)[-2:]}",
            purpose="Den årlige skoleudviklingssamtale med skolens leder (folkeskolelovens § 40 a).",
            expected_outcome="Aftaler om skolens udvikling, som følges op ved næste skoleudviklingssamtale.",
            participants=f"{leader.name}, {skolechef.name}",
            notes="Vi gennemgik skolens resultater, de obligatoriske test og skolens fokusområder.",
            created_at=held_on - timedelta(days=20), updated_at=held_on + timedelta(hours=2),
        ))
        _agenda(demo, meeting)
        for agreement_text in rng.sample(SUS_AGREEMENTS, 3):
            due = held_on.date() + timedelta(days=rng.randint(60, 240))
            done = due < demo.today and rng.random() < 0.65
            demo.add(Agreement(
                school=school, meeting=meeting, text=agreement_text, owner=leader, owner_name=leader.name,
                due_on=due, done_at=demo.at(min(due, demo.today - timedelta(days=1))) if done else None,
                created_by_id=skolechef.id, created_at=held_on,
            ))
        demo.add(SchoolDevelopmentConversation(
            school=school, school_year=this_year - 1, meeting=meeting, is_demo=True, created_at=held_on - timedelta(days=40),
        ))

        # This year's: in preparation at every other school (Herningvej among them), planned at some.
        if position % 2:
            continue
        sus = demo.add(SchoolDevelopmentConversation(school=school, school_year=this_year, is_demo=True,
                                                     created_at=demo.days_ago(30)))
        for index, (title, description) in enumerate(rng.sample(FOCUS_AREAS, 2)):
            sus.focus_areas.append(demo.add(SusFocusArea(
                position=index, title=title, description=description, goal=goals[index] if index < len(goals) else None,
            )))
        if political_goals:
            sus.topics.append(demo.add(SusTopic(position=0, political_goal=rng.choice(political_goals),
                                                note="Hvordan arbejder skolen med målet, og hvad viser resultaterne?")))
        period_activities: list[MunicipalActivity] = activities.get(strategy.period_id, []) if strategy else []
        if period_activities:
            sus.topics.append(demo.add(SusTopic(position=1, activity=rng.choice(period_activities))))
        if name == text.HERNINGVEJ:
            sus.parent_representative = board_member
            sus.invited_at = demo.days_ago(5)
        if position % 4 == 0:
            starts_at = demo.at(demo.today + timedelta(days=rng.randint(10, 40)))
            sus.meeting = demo.add(Meeting(
                school=school, meeting_type=MeetingType.SUS, state=MeetingState.PLANNED, starts_at=starts_at,
                organiser=skolechef, subject=leader, visibility=Visibility.SHARED, is_demo=True,
                title=f"Skoleudviklingssamtale {this_year}/{str(this_year + 1)[-2:]}",
                purpose="Den årlige skoleudviklingssamtale med skolens leder (folkeskolelovens § 40 a).",
                participants=f"{leader.name}, {skolechef.name}", created_at=demo.days_ago(10),
            ))
            _agenda(demo, sus.meeting)
