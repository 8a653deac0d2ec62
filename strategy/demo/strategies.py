"""Every school's virksomhedsstrategi: goals with indicators and measurements, initiatives with
status history, evaluations and comments. Herningvej Skole gets the richest plan, plus a finished
strategy in the seeded period 2021-2023 so that carry-over can be shown.
"""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from strategy.demo import catalogue as text
from strategy.demo.municipality import DemoContext, staff_name
from strategy.extensions import db
from strategy.models import (
    Comment,
    Conclusion,
    DataType,
    Evaluation,
    Goal,
    Initiative,
    Measurement,
    Period,
    ProfileLevel,
    Status,
    StatusUpdate,
    Strategy,
)

CURRENT_PERIOD = {
    "key": "2025-2027",
    "name": "2025-2027",
    "title": "Virksomhedsstrategi 2025-2027",
    "start_year": 2025,
    "end_year": 2027,
}
CURRENT_YEAR = 2026
BASELINE_YEAR = 2024
TARGET_YEAR = 2027
PERIOD_END = date(2027, 7, 31)
HISTORY_DAYS = 450  # status histories reach about 15 months back

# Herningvej's plan: goal -> [(initiative index, final status, evaluation)], evaluation being
# None or (conclusion, acted on). Together these show every status and every kind of evaluation.
HERNINGVEJ_PLAN = {
    "reading": [
        (0, Status.ON_TRACK, (Conclusion.CONTINUE, False)),
        (1, Status.IN_PROGRESS, None),
        (2, Status.CHALLENGED, (Conclusion.ADJUST, False)),
        (3, Status.COMPLETED, (Conclusion.CONTINUE, False)),
    ],
    "wellbeing": [
        (0, Status.ON_TRACK, None),
        (1, Status.IN_PROGRESS, (Conclusion.ADJUST, True)),
        (3, Status.NOT_STARTED, None),
    ],
    "steam": [
        (0, Status.ON_TRACK, None),
        (1, Status.COMPLETED, None),
        (3, Status.STOPPED, (Conclusion.STOP, True)),
    ],
    "parents": [
        (0, Status.IN_PROGRESS, None),
        (1, Status.CHALLENGED, (Conclusion.STOP, False)),
        (2, Status.ON_TRACK, None),
    ],
    "plf": [
        (0, Status.ON_TRACK, (Conclusion.CONTINUE, False)),
        (1, Status.CHALLENGED, None),
        (2, Status.IN_PROGRESS, None),
    ],
}
# goal -> (trend, goal evaluation)
HERNINGVEJ_TRENDS = {
    "reading": ("improving", (Conclusion.CONTINUE, False)),
    "wellbeing": ("stagnating", (Conclusion.ADJUST, False)),
    "steam": ("improving", None),
    "parents": ("worsening", (Conclusion.ADJUST, True)),
    "plf": ("improving", None),
}

STATUS_WEIGHTS = {
    Status.NOT_STARTED: 6,
    Status.IN_PROGRESS: 24,
    Status.ON_TRACK: 30,
    Status.CHALLENGED: 18,
    Status.COMPLETED: 12,
    Status.STOPPED: 6,
}
STALE_STATUS_WEIGHTS = {
    Status.NOT_STARTED: 15,
    Status.IN_PROGRESS: 35,
    Status.ON_TRACK: 10,
    Status.CHALLENGED: 30,
    Status.COMPLETED: 5,
    Status.STOPPED: 5,
}


def get_current_period(demo: DemoContext) -> Period:
    period = db.session.scalar(sa.select(Period).where(Period.key == CURRENT_PERIOD["key"]))
    return period or demo.add(Period(**CURRENT_PERIOD, is_demo=True))


def build_strategies(demo: DemoContext) -> list["SchoolStrategy"]:
    period = get_current_period(demo)
    taken = demo.existing_strategy_schools.get(period.key, set())
    built = []
    for name, school in demo.schools.items():
        if school.id is not None and school.id in taken:
            continue  # the school has a real strategy for the period; leave it alone
        builder = SchoolStrategy(demo, name, period)
        builder.build()
        built.append(builder)
    build_herningvej_2021(demo)
    return built


def build_comments(demo: DemoContext, built: list["SchoolStrategy"]) -> None:
    """Comments refer to goals and initiatives by id: call this after a flush."""
    for builder in built:
        builder.comments(demo.strategies[builder.name])


class SchoolStrategy:
    """Builds one school's strategy for the current period."""

    def __init__(self, demo: DemoContext, school_name: str, period: Period):
        self.demo = demo
        self.rng = demo.rng
        self.name = school_name
        self.school = demo.schools[school_name]
        self.period = period
        self.is_herningvej = school_name == text.HERNINGVEJ
        self.stale = demo.is_stale(school_name)
        self.leaders = demo.leaders[school_name]
        # The last day anything happened: recently for most schools, long ago for stale ones.
        end_days = self.rng.randint(100, 150) if self.stale else self.rng.randint(1, 9)
        if self.is_herningvej:
            end_days = 1
        self.window_end = demo.today - timedelta(days=end_days)
        self.window_start = demo.today - timedelta(days=HISTORY_DAYS)
        self.activity: list[datetime] = []

    # --- plan -------------------------------------------------------------------------------

    def goal_plan(self) -> list[tuple[str, str, list[tuple[int, Status, tuple | None]], tuple | None]]:
        """[(goal key, trend, [(initiative index, status, evaluation)], goal evaluation)]."""
        if self.is_herningvej:
            return [
                (key, HERNINGVEJ_TRENDS[key][0], HERNINGVEJ_PLAN[key], HERNINGVEJ_TRENDS[key][1])
                for key in text.HERNINGVEJ_GOALS
            ]
        rng = self.rng
        keys = [rng.choice(["reading", "math"]), rng.choice(["wellbeing", "inclusion", "absence"])]
        if self.name == text.WATCHLISTED and "reading" not in keys:
            keys[0] = "reading"
        rest = [k for k in text.GOALS if k not in keys]
        keys += rng.sample(rest, rng.randint(1, 3))
        weights = STALE_STATUS_WEIGHTS if self.stale else STATUS_WEIGHTS
        plan = []
        for key in keys:
            trend = rng.choices(["improving", "stagnating", "worsening"], [6, 3, 2] if not self.stale else [2, 3, 4])[0]
            if self.name == text.WATCHLISTED and key == "reading":
                trend = "worsening"
            templates = text.GOALS[key]["initiatives"]
            count = rng.randint(2, min(4, len(templates)))
            indexes = sorted(rng.sample(range(len(templates)), count))
            initiatives = []
            for index in indexes:
                status = rng.choices(list(weights), list(weights.values()))[0]
                initiatives.append((index, status, self.random_evaluation(status)))
            goal_evaluation = None
            if rng.random() < 0.3:
                goal_evaluation = {
                    "improving": (Conclusion.CONTINUE, False),
                    "stagnating": (Conclusion.ADJUST, rng.random() < 0.5),
                    "worsening": (rng.choice([Conclusion.ADJUST, Conclusion.STOP]), False),
                }[trend]
            plan.append((key, trend, initiatives, goal_evaluation))
        return plan

    def random_evaluation(self, status: Status) -> tuple | None:
        rng = self.rng
        if status == Status.STOPPED:
            return (Conclusion.STOP, True)
        if status == Status.COMPLETED and rng.random() < 0.5:
            return (Conclusion.CONTINUE, False)
        if status == Status.CHALLENGED and rng.random() < 0.5:
            return (rng.choice([Conclusion.ADJUST, Conclusion.ADJUST, Conclusion.STOP]), False)
        if status in (Status.IN_PROGRESS, Status.ON_TRACK) and rng.random() < 0.25:
            return rng.choice([(Conclusion.CONTINUE, False), (Conclusion.ADJUST, True)])
        return None

    # --- build ------------------------------------------------------------------------------

    def build(self) -> Strategy:
        demo = self.demo
        created = demo.at(self.window_start - timedelta(days=self.rng.randint(10, 30)))
        strategy = demo.add(
            Strategy(
                school=self.school,
                period=self.period,
                current_year=CURRENT_YEAR,
                is_demo=True,
                created_at=created,
                updated_at=created,
            )
        )
        plan = self.goal_plan()
        # The initiative that carries the school's latest activity.
        latest = (self.rng.randrange(len(plan)), 0)
        for position, (key, trend, initiatives, goal_evaluation) in enumerate(plan):
            goal = self.goal(strategy, key, position, trend, created)
            for i_position, (index, status, evaluation) in enumerate(initiatives):
                self.initiative(goal, key, index, i_position, status, evaluation, (position, i_position) == latest)
            if goal_evaluation:
                self.goal_evaluation(goal, *goal_evaluation)
        strategy.last_activity_at = max(self.activity, default=created)
        strategy.updated_at = strategy.last_activity_at
        demo.strategies[self.name] = strategy
        return strategy

    def goal(self, strategy: Strategy, key: str, position: int, trend: str, created: datetime) -> Goal:
        tpl = text.GOALS[key]
        rng = self.rng
        decimals = tpl["decimals"]
        baseline = round(rng.uniform(*tpl["baseline"]), decimals)
        target = round(baseline + tpl["gain"], decimals)
        goal = self.demo.add(
            Goal(
                strategy=strategy,
                title=tpl["title"],
                description=tpl["description"],
                position=position,
                indicator=tpl["indicator"],
                data_type=tpl["data_type"],
                unit=tpl["unit"],
                baseline_value=baseline,
                baseline_year=BASELINE_YEAR,
                target_value=target,
                target_year=TARGET_YEAR,
                created_at=created,
                updated_at=created,
            )
        )
        goal.political_goals = [self.demo.political_goals[k] for k in tpl["political"]]
        # Share of the planned change reached in 2025 and 2026.
        progress = {
            "improving": (rng.uniform(0.2, 0.45), rng.uniform(0.5, 0.85)),
            "stagnating": (rng.uniform(-0.1, 0.15), rng.uniform(-0.1, 0.2)),
            "worsening": (rng.uniform(-0.3, -0.05), rng.uniform(-0.6, -0.25)),
        }[trend]
        with_2026 = self.is_herningvej or (not self.stale and rng.random() < 0.8)
        values = [(BASELINE_YEAR, baseline, "Baseline")]
        values.append((2025, baseline + tpl["gain"] * progress[0], ""))
        if with_2026:
            values.append((2026, baseline + tpl["gain"] * progress[1], ""))
        upper = 100 if tpl["unit"] == "%" else None
        for year, value, note in values:
            value = max(0, round(value, decimals))
            if upper is not None:
                value = min(upper, value)
            self.demo.add(Measurement(goal=goal, year=year, value=value, note=note))
        return goal

    def owner_level(self, tpl: dict) -> ProfileLevel:
        if self.is_herningvej and tpl.get("local_level") in self.demo.local_levels:
            return self.demo.local_levels[tpl["local_level"]]
        return self.demo.levels[tpl["level"]]

    def responsible(self, tpl: dict, level: ProfileLevel) -> str:
        if level.key == "leder-af-ledere":
            return self.leaders[0].name
        if level.key == "leder-af-medarbejdere" and len(self.leaders) > 1:
            return self.leaders[1].name
        if level.key == "leder-af-medarbejdere":
            return f"{staff_name(self.demo)} (afdelingsleder)"
        return f"{staff_name(self.demo)} ({tpl['role']})"

    def expectations(self, tpl: dict, level: ProfileLevel) -> list:
        words = [w.lower() for w in tpl.get("exp", [])]
        matching = [e for e in level.expectations if any(w in e.text.lower() for w in words)]
        pool = matching or list(level.expectations)
        return self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3)))

    def initiative(self, goal: Goal, key: str, index: int, position: int, status: Status,
                   evaluation: tuple | None, is_latest: bool) -> Initiative:
        demo, rng = self.demo, self.rng
        tpl = text.GOALS[key]["initiatives"][index]
        level = self.owner_level(tpl)
        history = self.history(status, is_latest)
        first, last = history[0][1], history[-1][1]
        if status == Status.NOT_STARTED:
            start = demo.today + timedelta(days=rng.randint(30, 120))
        else:
            start = first.date()
        if status in (Status.COMPLETED, Status.STOPPED):
            end = last.date()
        else:  # still running: it ends some time ahead, within the period
            planned = start + timedelta(days=rng.randint(270, 720))
            end = min(PERIOD_END, max(planned, demo.today + timedelta(days=rng.randint(45, 240))))
        initiative = demo.add(
            Initiative(
                goal=goal,
                title=tpl["title"],
                position=position,
                starting_point=tpl["starting_point"],
                what_we_try=tpl["what_we_try"],
                who_does_what=tpl["who_does_what"],
                responsible=self.responsible(tpl, level),
                start_date=start,
                end_date=end,
                success_signs=tpl["success_signs"],
                evaluation_plan=tpl["evaluation_plan"],
                owner_level=level,
                status=status,
                status_changed_at=last,
                created_at=first - timedelta(days=rng.randint(3, 20)),
                updated_at=last,
            )
        )
        initiative.expectations = self.expectations(tpl, level)
        if tpl.get("political"):
            initiative.political_goals = [demo.political_goals[k] for k in tpl["political"]]
        for update_status, at in history:
            demo.add(
                StatusUpdate(
                    initiative=initiative,
                    status=update_status,
                    comment=rng.choice(text.STATUS_COMMENTS[update_status.value]),
                    author=self.author(),
                    created_at=at,
                )
            )
        self.activity.append(last)
        if evaluation:
            conclusion, acted = evaluation
            self.initiative_evaluation(initiative, goal, conclusion, acted, history)
        return initiative

    def author(self):
        if self.rng.random() < 0.05:
            return self.demo.users["admin"]
        return self.rng.choice(self.leaders)

    def history(self, final: Status, is_latest: bool) -> list[tuple[Status, datetime]]:
        """2-7 dated statuses ending in ``final``, inside the school's activity window."""
        rng = self.rng
        last_day = self.window_end if is_latest else self.window_end - timedelta(days=rng.randint(0, 100))
        if final == Status.NOT_STARTED:
            statuses = [Status.NOT_STARTED] * 2
        else:
            count = rng.randint(2, 7)
            statuses = [Status.IN_PROGRESS]
            if count >= 4 and rng.random() < 0.4:
                statuses.insert(0, Status.NOT_STARTED)
            while len(statuses) < count - 1:
                options = [s for s in (Status.IN_PROGRESS, Status.ON_TRACK, Status.CHALLENGED) if s != statuses[-1]]
                statuses.append(rng.choice(options))
            # A completed initiative was on track before; a stopped one was challenged.
            lead_in = {Status.COMPLETED: Status.ON_TRACK, Status.STOPPED: Status.CHALLENGED}.get(final)
            if lead_in and statuses[-1] != lead_in:
                statuses.append(lead_in)
            statuses = [*statuses, final][-7:]
        span = rng.randint(60 * len(statuses), 420)
        first_day = max(self.window_start, last_day - timedelta(days=span))
        gap = (last_day - first_day).days / max(1, len(statuses) - 1)
        days = [first_day + timedelta(days=round(gap * i)) for i in range(len(statuses))]
        days[-1] = last_day
        return [(status, self.demo.at(day)) for status, day in zip(statuses, days, strict=True)]

    def evaluation(self, conclusion: Conclusion, acted: bool, on: date, data_type: DataType | None) -> Evaluation:
        rng = self.rng
        body = rng.choice(text.EVALUATIONS[conclusion.value])
        data_types = {data_type.value} if data_type else set()
        data_types.update(rng.sample([d.value for d in DataType], rng.randint(1, 2)))
        at = self.demo.at(on)
        evaluation = Evaluation(
            evaluated_on=on,
            data_types=sorted(data_types),
            conclusion=conclusion,
            author=self.leaders[0],
            created_at=at,
            **body,
        )
        if acted:
            evaluation.acted_on_at = min(at + timedelta(days=rng.randint(5, 30)), self.demo.at(self.window_end))
            evaluation.acted_on_note = text.ACTED_ON_NOTES.get(conclusion.value, "")
            self.activity.append(evaluation.acted_on_at)
        self.activity.append(at)
        return self.demo.add(evaluation)

    def initiative_evaluation(self, initiative: Initiative, goal: Goal, conclusion: Conclusion,
                              acted: bool, history: list[tuple[Status, datetime]]) -> None:
        if initiative.status == Status.STOPPED:
            # Evaluated just before the stop, and the stop is how it was acted on.
            on = history[-2][1].date() if len(history) > 1 else history[-1][1].date()
            evaluation = self.evaluation(conclusion, False, on, goal.data_type)
            evaluation.acted_on_at = history[-1][1]
            evaluation.acted_on_note = text.ACTED_ON_NOTES["stop"]
        elif acted:
            middle = history[len(history) // 2][1].date()
            evaluation = self.evaluation(conclusion, True, middle, goal.data_type)
        else:
            # The latest word on the initiative: shown until someone acts on it.
            on = min(history[-1][1].date() + timedelta(days=self.rng.randint(0, 7)), self.window_end)
            evaluation = self.evaluation(conclusion, False, on, goal.data_type)
        evaluation.initiative = initiative

    def goal_evaluation(self, goal: Goal, conclusion: Conclusion, acted: bool) -> None:
        on = self.window_end - timedelta(days=self.rng.randint(20, 120))
        evaluation = self.evaluation(conclusion, acted, max(on, self.window_start), goal.data_type)
        evaluation.goal = goal

    def comments(self, strategy: Strategy) -> None:
        rng, demo = self.rng, self.demo
        goals = strategy.goals
        initiatives = [i for g in goals for i in g.initiatives]
        count = 5 if self.is_herningvej else rng.randint(1, 3)
        for n in range(count):
            consultant = demo.consultant.get(self.name)
            if consultant and n % 3 != 2:
                author, body = consultant, rng.choice(text.CONSULTANT_COMMENTS)
            else:
                author = demo.users[rng.choice(["skolechef", "direktoer"])]
                body = rng.choice(text.DIRECTORATE_COMMENTS)
            day = self.window_end - timedelta(days=rng.randint(0, 300))
            comment = Comment(body=body, author=author, created_at=demo.at(max(day, self.window_start)))
            if n % 2 == 0:
                comment.goal_id = rng.choice(goals).id
            else:
                comment.initiative_id = rng.choice(initiatives).id
            demo.add(comment)


def build_herningvej_2021(demo: DemoContext) -> None:
    """Herningvej's strategy in the seeded period 2021-2023: its goals done or stopped."""
    period = db.session.scalar(sa.select(Period).where(Period.key == "2021-2023"))
    school = demo.schools[text.HERNINGVEJ]
    if period is None or (school.id in demo.existing_strategy_schools.get(period.key, set())):
        return
    leader = demo.skoleleder(text.HERNINGVEJ)
    closed = datetime(2023, 6, 22, 12, 0, tzinfo=UTC)
    created = datetime(2021, 8, 16, 9, 0, tzinfo=UTC)
    strategy = demo.add(
        Strategy(
            school=school, period=period, current_year=2023, is_demo=True,
            created_at=created, updated_at=closed, last_activity_at=closed,
        )
    )
    for position, g in enumerate(text.HERNINGVEJ_2021):
        goal = demo.add(
            Goal(
                strategy=strategy, title=g["title"], description=g["description"], position=position,
                indicator=g["indicator"], data_type=g["data_type"], unit=g["unit"],
                baseline_value=g["values"][0], baseline_year=2021, target_value=g["target"], target_year=2023,
                created_at=created, updated_at=closed,
            )
        )
        goal.political_goals = [demo.political_goals[k] for k in g["political"]]
        for year, value in zip((2021, 2022, 2023), g["values"], strict=True):
            demo.add(Measurement(goal=goal, year=year, value=value, note="Baseline" if year == 2021 else ""))
        for i_position, (title, status, comment) in enumerate(g["initiatives"]):
            final = Status(status)
            stamps = [
                (Status.IN_PROGRESS, datetime(2021, 9, 20, 10, 0, tzinfo=UTC),
                 "Sat i gang efter planlægningen i august."),
                (Status.ON_TRACK if final == Status.COMPLETED else Status.CHALLENGED,
                 datetime(2022, 6, 14, 10, 0, tzinfo=UTC), "Status ved skoleårets afslutning."),
                (final, datetime(2023, 6, 1 + i_position + position * 3, 10, 0, tzinfo=UTC), comment),
            ]
            initiative = demo.add(
                Initiative(
                    goal=goal, title=title, position=i_position,
                    starting_point="Beskrevet i virksomhedsstrategien 2021-2023.",
                    responsible=leader.name, start_date=date(2021, 9, 1), end_date=stamps[-1][1].date(),
                    owner_level=demo.levels["leder-af-medarbejdere"], status=final,
                    status_changed_at=stamps[-1][1], created_at=created, updated_at=stamps[-1][1],
                )
            )
            for status_value, at, note in stamps:
                demo.add(StatusUpdate(initiative=initiative, status=status_value, comment=note,
                                      author=leader, created_at=at))
            if final == Status.STOPPED:
                demo.add(Evaluation(
                    initiative=initiative, evaluated_on=stamps[-1][1].date() - timedelta(days=7),
                    what_was_done="Afprøvet i et skoleår.", signs_observed="Ingen af de tegn, vi havde beskrevet.",
                    data_types=[DataType.PROCESS.value], data_used="Deltagelse og lærernes registreringer.",
                    conclusion=Conclusion.STOP, next_steps=comment, author=leader,
                    acted_on_at=stamps[-1][1], acted_on_note="Stoppet ved periodens afslutning.",
                    created_at=stamps[-1][1] - timedelta(days=7),
                ))


def build_revision_history(demo) -> None:
    """Every current strategy has its 2025 revision year closed, so "this year against last year"
    has something to compare. Last year's snapshot is today's plan less what was added since:
    the newest initiative of the first goal did not exist, and the statuses were one step earlier.
    """
    from strategy.models import Status, StrategySnapshot
    from strategy.snapshots import snapshot_data

    earlier = {Status.ON_TRACK.value: Status.IN_PROGRESS.value, Status.COMPLETED.value: Status.ON_TRACK.value,
               Status.CHALLENGED.value: Status.IN_PROGRESS.value, Status.IN_PROGRESS.value: Status.NOT_STARTED.value}
    closed_at = datetime(2025, 7, 31, 14, 0, tzinfo=UTC)
    for name, strategy in demo.strategies.items():
        data = snapshot_data(strategy)
        data["year"] = 2025
        for goal in data["goals"]:
            goal["measurements"] = [m for m in goal["measurements"] if m["year"] <= 2025]
            for initiative in goal["initiatives"]:
                initiative["status"] = earlier.get(initiative["status"], initiative["status"])
        if data["goals"] and len(data["goals"][0]["initiatives"]) > 1:
            data["goals"][0]["initiatives"].pop()
        leaders = demo.leaders.get(name) or [None]
        strategy.snapshots.append(StrategySnapshot(year=2025, data=data, closed_by=leaders[0], closed_at=closed_at))
        demo.counts["StrategySnapshot"] += 1
