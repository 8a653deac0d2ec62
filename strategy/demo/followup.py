"""Follow-up in the demo: sparring notes, conversations with agendas, agreements, the watchlist.

The consultants' schools get notes of every stance and visibility and conversations of every type;
the 1:1 cadence differs per school (some are behind the 4-6 a year), and LUS/GRUS have happened
this school year at some schools only. Schools without a consultant get the skolechef's 1:1s.
"""

from datetime import date, datetime, timedelta
from itertools import cycle

from strategy.demo import catalogue as text
from strategy.demo.municipality import DemoContext
from strategy.models import (
    AgendaItem,
    Agreement,
    ExpectationCategory,
    Meeting,
    MeetingState,
    MeetingType,
    SparringNote,
    Stance,
    User,
    Visibility,
    WatchlistEntry,
)

# Cycled over all notes, so that every stance and visibility occurs many times.
STANCE_SETS = [
    [Stance.SUPPORTIVE],
    [Stance.CHALLENGING],
    [Stance.DIRECTIVE, Stance.CHALLENGING],
    [Stance.EVALUATIVE],
    [Stance.SUPPORTIVE, Stance.EVALUATIVE],
    [Stance.SUPPORTIVE, Stance.CHALLENGING],
    [Stance.DIRECTIVE],
]
VISIBILITIES = [Visibility.SHARED, Visibility.INTERNAL, Visibility.SHARED, Visibility.DRAFT, Visibility.SHARED]

# 1:1-samtaler held so far this school year, per consultant school (some are behind the pace).
ONE_TO_ONES_THIS_YEAR = {
    text.HERNINGVEJ: 2,
    "Vestergårdsskolen": 2,
    "Mølledalens Skole": 1,
    "Fjordglimt Skole": 0,
    "Østerhøj Skole": 2,
    "Lyngholt Skole": 1,
    "Bøgelund Skole": 2,
    "Kildemoseskolen": 0,
    "Skovbrynets Skole": 1,
    "Højagerskolen": 3,
}
TITLE_LIMIT = 300


def build_followup(demo: DemoContext) -> None:
    stances, visibilities = cycle(STANCE_SETS), cycle(VISIBILITIES)
    for position, (name, consultant) in enumerate(demo.consultant.items()):
        school_followup = SchoolFollowUp(demo, name, consultant)
        school_followup.notes(stances, visibilities)
        school_followup.meetings(position)
    skolechef = demo.users["skolechef"]
    for name in demo.schools:
        if name not in demo.consultant:
            SchoolFollowUp(demo, name, skolechef).unassigned_one_to_ones()
    demo.add(
        WatchlistEntry(
            school=demo.schools[text.WATCHLISTED],
            reason=text.WATCHLIST_REASON,
            created_by=skolechef,
            created_at=demo.days_ago(18),
        )
    )


class SchoolFollowUp:
    def __init__(self, demo: DemoContext, school_name: str, organiser: User):
        self.demo = demo
        self.rng = demo.rng
        self.name = school_name
        self.school = demo.schools[school_name]
        self.organiser = organiser
        self.leader = demo.skoleleder(school_name)
        self.leaders = demo.leaders[school_name]
        strategy = demo.strategies.get(school_name)
        self.goals = list(strategy.goals) if strategy else []
        self.is_herningvej = school_name == text.HERNINGVEJ
        self.year_start = demo.school_year_start()

    def participants(self, personal: bool = False) -> str:
        people = [f"{u.name} ({u.title.lower()})" for u in ([self.leader] if personal else self.leaders)]
        people.append(f"{self.organiser.name} ({self.organiser.title.lower()})")
        return "\n".join(people)

    # --- sparring notes ---------------------------------------------------------------------

    def notes(self, stances, visibilities) -> None:
        rng = self.rng
        count = 5 if self.is_herningvej else rng.randint(2, 4)
        oldest = 360
        days = sorted(rng.sample(range(12, oldest), count - 1), reverse=True) + [rng.randint(2, 8)]
        for n, days_ago in enumerate(days):
            held_on = self.demo.today - timedelta(days=days_ago)
            goals = rng.sample(self.goals, min(len(self.goals), rng.randint(1, 2)))
            initiatives = [i for g in goals for i in g.initiatives]
            body = text.NOTES[rng.randrange(len(text.NOTES))]
            focus = goals[0].title if goals else "skolens mål"
            visibility = next(visibilities)
            if self.is_herningvej:
                # Herningvej shows all three: the newest note is still the consultant's draft.
                visibility = [Visibility.SHARED, Visibility.INTERNAL, Visibility.SHARED, Visibility.SHARED,
                              Visibility.DRAFT][n]
            at = self.demo.at(held_on)
            note = self.demo.add(
                SparringNote(
                    school=self.school,
                    author=self.organiser,
                    subject=self.leader,
                    held_on=held_on,
                    participants=self.participants(),
                    stances=[s.value for s in next(stances)],
                    observation=body["observation"].format(goal=focus),
                    experience=body["experience"].format(goal=focus),
                    interpretation=body["interpretation"].format(goal=focus),
                    suggestion=body["suggestion"].format(goal=focus),
                    visibility=visibility,
                    is_demo=True,
                    created_at=at,
                    updated_at=at + timedelta(hours=rng.randint(1, 4)),
                )
            )
            note.goals = goals
            note.initiatives = rng.sample(initiatives, min(len(initiatives), rng.randint(1, 2)))
            if visibility != Visibility.DRAFT and rng.random() < 0.6:
                self.agreements(held_on, note=note, count=rng.randint(1, 2))

    # --- agreements -------------------------------------------------------------------------

    def agreement(self, made_on: date, due: date, done: bool, note=None, meeting=None) -> Agreement:
        owner = self.leader if self.rng.random() < 0.8 else self.organiser
        done_at = None
        if done:
            latest = min(self.demo.today - timedelta(days=1), due + timedelta(days=5))
            span = max(0, (latest - made_on).days)
            done_at = self.demo.at(made_on + timedelta(days=self.rng.randint(min(3, span), span)))
        return self.demo.add(
            Agreement(
                school=self.school,
                note=note,
                meeting=meeting,
                text=self.rng.choice(text.AGREEMENTS),
                owner=owner,
                owner_name=owner.name,
                due_on=due,
                done_at=done_at,
                created_by_id=self.organiser.id,  # users are flushed before follow-up is built
                created_at=self.demo.at(made_on),
                updated_at=done_at or self.demo.at(made_on),
            )
        )

    def agreements(self, made_on: date, count: int, note=None, meeting=None) -> None:
        for _ in range(count):
            due = made_on + timedelta(days=self.rng.randint(14, 75))
            if due < self.demo.today - timedelta(days=60):
                done = self.rng.random() < 0.9  # old agreements are mostly done ...
            elif due < self.demo.today:
                done = self.rng.random() < 0.6  # ... recent ones often overdue
            else:
                done = self.rng.random() < 0.15
            self.agreement(made_on, due, done, note=note, meeting=meeting)

    # --- meetings ---------------------------------------------------------------------------

    def meeting(self, kind: MeetingType, state: MeetingState, starts_at: datetime,
                visibility: Visibility = Visibility.SHARED) -> Meeting:
        rng = self.rng
        texts = text.MEETING_TEXTS[kind.value]
        personal = kind in (MeetingType.ONE_TO_ONE, MeetingType.LUS, MeetingType.SPARRING)
        title = f"{texts['title']} med {self.leader.name}" if personal else f"{texts['title']} – {self.name}"
        held = state == MeetingState.HELD
        created = min(starts_at - timedelta(days=rng.randint(7, 30)), self.demo.days_ago(1))
        meeting = self.demo.add(
            Meeting(
                school=self.school,
                meeting_type=kind,
                state=state,
                starts_at=starts_at,
                organiser=self.organiser,
                subject=self.leader if personal else None,
                title=title[:TITLE_LIMIT],
                purpose=texts["purpose"],
                expected_outcome=texts["expected_outcome"],
                participants=self.participants(personal=kind != MeetingType.SPARRING and personal),
                roles=texts["roles"],
                notes=rng.choice(text.MEETING_NOTES) if held else "",
                visibility=visibility,
                is_demo=True,
                created_at=created,
                updated_at=starts_at + timedelta(hours=2) if held else created,
            )
        )
        for position, item in enumerate(self.agenda(kind)):
            item.position = position
            if held and (item.goal is not None or item.expectation is not None or rng.random() < 0.5):
                item.notes = rng.choice(text.AGENDA_NOTES)
            meeting.agenda_items.append(item)
            self.demo.add(item)
        if held and rng.random() < 0.4:
            self.agreements(starts_at.date(), count=rng.randint(1, 2), meeting=meeting)
        return meeting

    def agenda(self, kind: MeetingType) -> list[AgendaItem]:
        leader, organiser = self.leader.name, self.organiser.name
        if kind == MeetingType.ONE_TO_ONE:
            items = [AgendaItem(title="Siden sidst", purpose="Kort status på skolens situation.",
                                process="Runde ved skolelederen.", responsible=leader, minutes=10)]
            for goal in self.goals[:4]:
                items.append(AgendaItem(
                    title=f"Status på målet: {goal.title}"[:TITLE_LIMIT],
                    purpose="Drøfte fremdriften på målet og tiltagene ud fra seneste status og data.",
                    process="Skolelederen fremlægger status og data; fælles refleksion og spørgsmål.",
                    responsible=leader, minutes=15, goal=goal,
                ))
            items.append(AgendaItem(title="Aftaler og næste skridt", purpose="Konkrete aftaler til næste samtale.",
                                    process="Opsamling.", responsible=organiser, minutes=10))
            return items
        if kind == MeetingType.LUS:
            items = [AgendaItem(title="Rammer og formål", purpose="Fælles forståelse af samtalens formål.",
                                process="Konsulenten indleder.", responsible=organiser, minutes=5)]
            level = self.leader.profile_level
            for category in ExpectationCategory:
                chosen = self.rng.sample(level.expectations_in(category), 2) if level else []
                for expectation in sorted(chosen, key=lambda e: e.position):
                    items.append(AgendaItem(
                        title=expectation.text[:TITLE_LIMIT],
                        purpose="Hvordan kommer forventningen til udtryk i din ledelse i dag?",
                        process="Selvvurdering på en skala fra 1 til 5 med eksempler; konsulenten spørger ind.",
                        responsible=leader, minutes=10, expectation=expectation,
                    ))
            items.append(AgendaItem(title="Udviklingsmål for det kommende år",
                                    purpose="To til tre udviklingsmål, som følges op på 1:1-samtalerne.",
                                    process="Fælles formulering.", responsible=leader, minutes=15))
            return items
        return [
            AgendaItem(title=title, purpose=purpose, process=process, responsible=organiser, minutes=minutes)
            for title, purpose, process, minutes in text.MEETING_TEXTS[kind.value]["items"]
        ]

    def this_year(self, first: int = 10, last: int = 3) -> datetime | None:
        """A random moment this school year, between ``first`` days after 1 August and ``last`` days ago."""
        low = self.year_start + timedelta(days=first)
        high = self.demo.today - timedelta(days=last)
        if high < low:
            return None
        return self.demo.at(low + timedelta(days=self.rng.randint(0, (high - low).days)))

    def last_year(self) -> datetime:
        start = self.year_start.replace(year=self.year_start.year - 1)
        return self.demo.at(start + timedelta(days=self.rng.randint(20, 330)))

    def future(self, low: int = 7, high: int = 60) -> datetime:
        return self.demo.days_ago(-self.rng.randint(low, high))

    def one_to_ones(self, held_this_year: int, held_last_year: int) -> None:
        rng = self.rng
        start = self.year_start.replace(year=self.year_start.year - 1)
        for n in range(held_last_year):
            day = start + timedelta(days=30 + n * (300 // max(1, held_last_year)) + rng.randint(0, 20))
            self.meeting(MeetingType.ONE_TO_ONE, MeetingState.HELD, self.demo.at(day))
        days = (self.demo.today - self.year_start).days - 20
        held_this_year = min(held_this_year, max(0, days // 25))
        for n in range(held_this_year):
            day = self.year_start + timedelta(days=15 + n * (days // held_this_year) + rng.randint(0, 5))
            day = min(day, self.demo.today - timedelta(days=2))
            self.meeting(MeetingType.ONE_TO_ONE, MeetingState.HELD, self.demo.at(day))

    def meetings(self, position: int) -> None:
        rng = self.rng
        held = ONE_TO_ONES_THIS_YEAR.get(self.name, 1)
        self.one_to_ones(held, held_last_year=rng.randint(3, 6) if held else rng.randint(2, 3))
        if self.name not in text.STALE_SCHOOLS or position % 2:
            self.meeting(MeetingType.ONE_TO_ONE, MeetingState.PLANNED, self.future())
        if self.is_herningvej or position % 3 == 1:
            cancelled = self.this_year() or self.future(3, 10)
            self.meeting(MeetingType.ONE_TO_ONE, MeetingState.CANCELLED, cancelled)

        # LUS and GRUS: this school year at some schools; the rest had theirs last year.
        for kind, held_now in ((MeetingType.LUS, position % 2 == 0), (MeetingType.GRUS, position % 3 != 2)):
            moment = self.this_year(first=30) if held_now else None
            if moment:
                self.meeting(kind, MeetingState.HELD, moment)
            else:
                self.meeting(kind, MeetingState.HELD, self.last_year())
                if rng.random() < 0.6:
                    self.meeting(kind, MeetingState.PLANNED, self.future(14, 90))

        if self.is_herningvej or position % 2:
            moment = self.this_year() or self.last_year()
            self.meeting(MeetingType.TEAM_DEVELOPMENT, MeetingState.HELD, moment)
        if self.is_herningvej or position % 4 == 3:
            self.meeting(MeetingType.THEME_MEETING, MeetingState.HELD, self.demo.days_ago(rng.randint(20, 200)))
            self.meeting(MeetingType.THEME_MEETING, MeetingState.PLANNED, self.future(30, 120))
        if self.is_herningvej or position % 3 == 0:
            self.meeting(MeetingType.SPARRING, MeetingState.HELD, self.demo.days_ago(rng.randint(5, 150)),
                         visibility=Visibility.INTERNAL if position % 2 else Visibility.SHARED)
        if self.is_herningvej:
            self.meeting(MeetingType.SPARRING, MeetingState.PLANNED, self.future(2, 12), visibility=Visibility.DRAFT)
            self.herningvej_agreements()

    def herningvej_agreements(self) -> None:
        """Make sure the richest school shows an agreement in each state, with its leader as owner."""
        today = self.demo.today
        meeting = self.meeting(MeetingType.ONE_TO_ONE, MeetingState.HELD, self.demo.days_ago(40))
        for due, done in ((today + timedelta(days=21), False), (today - timedelta(days=9), False),
                          (today - timedelta(days=15), True)):
            agreement = self.agreement(today - timedelta(days=40), due, done, meeting=meeting)
            agreement.owner, agreement.owner_name = self.leader, self.leader.name

    def unassigned_one_to_ones(self) -> None:
        """The skolechef's own 1:1s with schools no consultant follows (fewer, often behind)."""
        stale = self.name in text.STALE_SCHOOLS
        self.one_to_ones(0 if stale else 1, held_last_year=2 if stale else 3)
        if not stale:
            self.meeting(MeetingType.ONE_TO_ONE, MeetingState.PLANNED, self.future(10, 50))
