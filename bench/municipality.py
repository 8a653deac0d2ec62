"""A synthetic municipality for the benchmark, written with bulk inserts.

Per school: a strategy in each of the three seeded periods, 8 goals with an indicator and a
measurement per year, 5 initiatives per goal with 20 status updates each (the last one is the
initiative's status), some evaluations; per school year (the current one and the two before)
30 sparring notes with an agreement each and 15 conversations (5 1:1s, LUS, GRUS, ...); per
leader 60 notifications, 10 of them unread (the bell in the header of every page counts them).

The schema comes from ``db.create_all()`` on a fresh database, not from the migrations: the
benchmark measures the application, and a throw-away database needs no migration history.
Rows carry explicit ids so that link rows can be written in the same bulk pass; on PostgreSQL
the id sequences are moved past them afterwards.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    Agreement,
    Cluster,
    Conclusion,
    DataType,
    Evaluation,
    Expectation,
    Goal,
    Initiative,
    Measurement,
    Meeting,
    MeetingState,
    MeetingType,
    Notification,
    NotificationKind,
    Period,
    PoliticalGoal,
    ProfileLevel,
    Role,
    School,
    SparringNote,
    Stance,
    Status,
    StatusUpdate,
    Strategy,
    User,
    Visibility,
    WatchlistEntry,
    consultant_school,
)
from strategy.models.strategy import goal_political_goal, initiative_expectation, initiative_political_goal
from strategy.passwords import hash_password
from strategy.seeding import seed_reference_data

PASSWORD = "bench-password-2024"
GOALS_PER_STRATEGY = 8
INITIATIVES_PER_GOAL = 5
UPDATES_PER_INITIATIVE = 20
NOTES_PER_YEAR = 30
MEETINGS_PER_YEAR = (  # 15 a year
    [MeetingType.ONE_TO_ONE] * 5
    + [MeetingType.LUS, MeetingType.GRUS]
    + [MeetingType.TEAM_DEVELOPMENT] * 2
    + [MeetingType.THEME_MEETING] * 2
    + [MeetingType.SPARRING] * 4
)
WORDS = (
    "læsning", "trivsel", "fællesskab", "matematik", "bevægelse", "feedback", "dannelse", "fravær",
    "inklusion", "forældresamarbejde", "digital dannelse", "naturfag", "skrivning", "overgange",
)


@dataclass
class BenchPeople:
    """Who the benchmark signs in as, and the objects its requests are about."""

    directorate_email: str
    leader_email: str
    leader_school_id: int
    initiative_ids: list[int]  # the leader's school, current period
    political_goal_id: int
    goal_id: int  # a goal of the leader's school, current period


def _bulk(model_or_table, rows: list[dict], chunk: int = 20_000) -> None:
    statement = sa.insert(model_or_table)
    for start in range(0, len(rows), chunk):
        db.session.execute(statement, rows[start : start + chunk])


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _school_year_start(today: date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def build(schools: int, seed: int = 2024) -> BenchPeople:
    """Drop and create every table, load the reference data and ``schools`` schools."""
    db.drop_all()
    db.create_all()
    seed_reference_data()
    db.session.commit()

    rng = random.Random(seed)
    today = date.today()
    now = datetime.now(UTC)
    periods = list(db.session.scalars(sa.select(Period).order_by(Period.start_year, Period.end_year)))
    political_goals = list(db.session.scalars(sa.select(PoliticalGoal.id).order_by(PoliticalGoal.position)))
    levels = list(db.session.scalars(sa.select(ProfileLevel.id).where(ProfileLevel.school_id.is_(None))))
    expectations = list(
        db.session.scalars(sa.select(Expectation.id).join(ProfileLevel).where(ProfileLevel.school_id.is_(None)))
    )
    password_hash = hash_password(PASSWORD)

    # --- clusters, schools, people ---------------------------------------------------------
    cluster_count = max(1, schools // 10)
    clusters = [{"id": n + 1, "name": f"Klynge {n + 1:02d}", "is_demo": False} for n in range(cluster_count)]
    _bulk(Cluster, clusters)
    existing = list(db.session.scalars(sa.select(School).order_by(School.id)))  # Herningvej Skole from the seed
    for n, school in enumerate(existing):
        school.cluster_id = clusters[n % cluster_count]["id"]
    school_id = _next_id(School)
    school_rows = []
    for n in range(schools - len(existing)):
        school_rows.append(
            {"id": school_id + n, "name": f"Skole {n + 1:03d}", "cluster_id": clusters[(n + len(existing)) % cluster_count]["id"], "is_demo": False}
        )
    _bulk(School, school_rows)
    db.session.flush()
    all_schools = [(s.id, s.cluster_id) for s in existing] + [(r["id"], r["cluster_id"]) for r in school_rows]

    users = [
        {"id": 1, "email": "admin@bench.dk", "name": "Admin Bench", "role": Role.ADMIN},
        {"id": 2, "email": "direktion@bench.dk", "name": "Direktion Bench", "role": Role.DIRECTORATE},
    ]
    consultant_of_cluster = {}
    for c in clusters:
        uid = len(users) + 1
        consultant_of_cluster[c["id"]] = uid
        users.append({"id": uid, "email": f"konsulent{c['id']}@bench.dk", "name": f"Konsulent {c['id']}", "role": Role.CONSULTANT})
    leader_of_school = {}
    for sid, _cluster in all_schools:
        uid = len(users) + 1
        leader_of_school[sid] = uid
        users.append({"id": uid, "email": f"leder{sid}@bench.dk", "name": f"Leder {sid}", "role": Role.LEADER, "school_id": sid})
    for u in users:
        u.update(password_hash=password_hash, created_at=now, updated_at=now, session_token=f"bench-{u['id']}", locale="da", active=True, title="", is_demo=False)
        u.setdefault("school_id", None)
    _bulk(User, users)
    _bulk(consultant_school, [{"user_id": consultant_of_cluster[c], "school_id": s} for s, c in all_schools])

    # --- strategies, goals, measurements, initiatives, status updates, evaluations -----------
    strategies, goals, measurements, initiatives, updates, evaluations = [], [], [], [], [], []
    goal_links, initiative_links, expectation_links = [], [], []
    statuses = list(Status)
    ids = {"strategy": 1, "goal": 1, "initiative": 1, "update": 1, "evaluation": 1, "measurement": 1}

    def take(kind: str) -> int:
        ids[kind] += 1
        return ids[kind] - 1

    for sid, _cluster in all_schools:
        leader = leader_of_school[sid]
        for p_index, period in enumerate(periods):
            current = p_index == len(periods) - 1
            started = date(period.start_year, 8, 1)
            ended = min(date(period.end_year + 1, 7, 31), today)
            strategy_id = take("strategy")
            last_activity = now - timedelta(days=rng.randint(0, 120)) if current else _at(ended)
            strategies.append(
                {"id": strategy_id, "school_id": sid, "period_id": period.id, "current_year": min(period.end_year, today.year),
                 "last_activity_at": last_activity, "created_at": _at(started), "updated_at": last_activity, "is_demo": False}
            )
            for g in range(GOALS_PER_STRATEGY):
                goal_id = take("goal")
                baseline = float(rng.randint(40, 70))
                target = baseline + rng.randint(5, 25)
                goals.append(
                    {"id": goal_id, "strategy_id": strategy_id, "title": f"Mål {g + 1}: mere {rng.choice(WORDS)}",
                     "description": "", "position": g, "indicator": f"Andel elever med {rng.choice(WORDS)}",
                     "data_type": rng.choice(list(DataType)), "unit": "%", "baseline_value": baseline,
                     "baseline_year": period.start_year, "target_value": target, "target_year": period.end_year,
                     "version": 1, "created_at": _at(started), "updated_at": _at(started)}
                )
                for year in period.years:
                    measurements.append(
                        {"id": take("measurement"), "goal_id": goal_id, "year": year,
                         "value": round(baseline + (target - baseline) * rng.uniform(-0.2, 1.2), 1), "note": ""}
                    )
                served = rng.sample(political_goals, rng.choice((1, 2)))
                goal_links += [{"goal_id": goal_id, "political_goal_id": pg} for pg in served]
                for i in range(INITIATIVES_PER_GOAL):
                    initiative_id = take("initiative")
                    history = []
                    status = Status.NOT_STARTED
                    span = max(1, (ended - started).days)
                    for u in range(UPDATES_PER_INITIATIVE):
                        status = rng.choice(statuses) if u else Status.IN_PROGRESS
                        at = _at(started + timedelta(days=span * u // UPDATES_PER_INITIATIVE), hour=8 + u % 8)
                        history.append(
                            {"id": take("update"), "initiative_id": initiative_id, "status": status,
                             "comment": f"Status {u + 1}", "author_id": leader, "created_at": at}
                        )
                    updates += history
                    initiatives.append(
                        {"id": initiative_id, "goal_id": goal_id, "title": f"Tiltag {g + 1}.{i + 1}: {rng.choice(WORDS)}",
                         "position": i, "starting_point": "Ståsted", "what_we_try": "Vi afprøver", "who_does_what": "Team",
                         "responsible": f"Afdelingsleder {i + 1}", "start_date": started, "end_date": date(period.end_year, 6, 30),
                         "success_signs": "Tegn", "evaluation_plan": "Plan", "owner_level_id": rng.choice(levels),
                         "status": status, "status_changed_at": history[-1]["created_at"], "version": 1,
                         "created_at": _at(started), "updated_at": history[-1]["created_at"]}
                    )
                    if rng.random() < 0.2:
                        own = rng.choice([pg for pg in political_goals if pg not in served])
                        initiative_links.append({"initiative_id": initiative_id, "political_goal_id": own})
                    expectation_links += [
                        {"initiative_id": initiative_id, "expectation_id": e} for e in rng.sample(expectations, 2)
                    ]
                    if rng.random() < 0.3:
                        conclusion = rng.choices(list(Conclusion), weights=(60, 25, 15))[0]
                        on = started + timedelta(days=rng.randint(0, span))
                        acted = conclusion != Conclusion.CONTINUE and rng.random() < 0.5
                        evaluations.append(
                            {"id": take("evaluation"), "initiative_id": initiative_id, "goal_id": None, "evaluated_on": on,
                             "what_was_done": "Gjort", "signs_observed": "Tegn", "data_types": ["result"], "data_used": "",
                             "conclusion": conclusion, "next_steps": "Næste skridt",
                             "acted_on_at": _at(on + timedelta(days=30)) if acted else None,
                             "acted_on_note": "Fulgt op" if acted else "", "author_id": leader, "created_at": _at(on)}
                        )
    _bulk(Strategy, strategies)
    _bulk(Goal, goals)
    _bulk(Measurement, measurements)
    _bulk(goal_political_goal, goal_links)
    _bulk(Initiative, initiatives)
    _bulk(initiative_political_goal, initiative_links)
    _bulk(initiative_expectation, expectation_links)
    _bulk(StatusUpdate, updates)
    _bulk(Evaluation, evaluations)

    # --- sparring notes with agreements, conversations -------------------------------------
    notes, agreements, meetings = [], [], []
    first_year = _school_year_start(today) - 2
    note_id = agreement_id = meeting_id = 1
    for sid, cluster in all_schools:
        consultant, leader = consultant_of_cluster[cluster], leader_of_school[sid]
        for year in range(first_year, first_year + 3):
            start = date(year, 8, 1)
            for _n in range(NOTES_PER_YEAR):
                held = start + timedelta(days=rng.randint(0, 330))
                visibility = rng.choices((Visibility.DRAFT, Visibility.SHARED, Visibility.INTERNAL), weights=(1, 6, 3))[0]
                notes.append(
                    {"id": note_id, "school_id": sid, "author_id": consultant, "subject_id": leader, "held_on": held,
                     "participants": "Skoleleder, konsulent", "stances": [rng.choice(list(Stance)).value],
                     "observation": "Iagttagelse", "experience": "Oplevelse", "interpretation": "Fortolkning",
                     "suggestion": "Forslag", "visibility": visibility, "is_demo": False, "version": 1,
                     "created_at": _at(held), "updated_at": _at(held)}
                )
                due = held + timedelta(days=30)
                agreements.append(
                    {"id": agreement_id, "school_id": sid, "note_id": note_id, "meeting_id": None, "text": "Aftale",
                     "owner_id": leader, "owner_name": "", "due_on": due,
                     "done_at": _at(due) if due < today and rng.random() < 0.7 else None,
                     "created_by_id": consultant, "created_at": _at(held), "updated_at": _at(held)}
                )
                note_id += 1
                agreement_id += 1
            for kind in MEETINGS_PER_YEAR:
                day = start + timedelta(days=rng.randint(0, 330))
                meetings.append(
                    {"id": meeting_id, "school_id": sid, "meeting_type": kind,
                     "state": MeetingState.HELD if day < today else MeetingState.PLANNED, "starts_at": _at(day),
                     "organiser_id": consultant, "subject_id": leader, "title": kind.value, "purpose": "", "expected_outcome": "",
                     "participants": "", "roles": "", "notes": "",
                     "visibility": Visibility.SHARED if rng.random() < 0.8 else Visibility.INTERNAL,
                     "is_demo": False, "version": 1, "created_at": _at(day), "updated_at": _at(day)}
                )
                meeting_id += 1
    _bulk(SparringNote, notes)
    _bulk(Agreement, agreements)
    _bulk(Meeting, meetings)
    _bulk(
        WatchlistEntry,
        [{"id": n + 1, "school_id": all_schools[n * 7 % len(all_schools)][0], "reason": "Faldende trivsel",
          "created_by_id": 2, "created_at": now} for n in range(min(5, len(all_schools)))],
    )
    # The bell in every page's header counts these: 60 per leader, the 10 newest unread.
    notifications = []
    for sid, _cluster in all_schools:
        for n in range(60):
            at = now - timedelta(hours=6 * n)
            notifications.append(
                {"id": len(notifications) + 1, "recipient_id": leader_of_school[sid], "kind": NotificationKind.COMMENT,
                 "actor_id": consultant_of_cluster[_cluster], "school_id": sid, "object_type": "school",
                 "object_id": sid, "params": {"school": f"Skole {sid}", "title": "Mål"}, "created_at": at,
                 "read_at": None if n < 10 else at + timedelta(hours=1), "dedupe_key": None}
            )
    _bulk(Notification, notifications)
    db.session.commit()
    _advance_sequences()

    leader_school = all_schools[0][0]
    current_period = periods[-1]
    current_strategy = next(s for s in strategies if s["school_id"] == leader_school and s["period_id"] == current_period.id)
    its_goals = [g["id"] for g in goals if g["strategy_id"] == current_strategy["id"]]
    return BenchPeople(
        directorate_email="direktion@bench.dk",
        leader_email=f"leder{leader_school}@bench.dk",
        leader_school_id=leader_school,
        initiative_ids=[i["id"] for i in initiatives if i["goal_id"] in set(its_goals)],
        political_goal_id=political_goals[0],
        goal_id=its_goals[0],
    )


def _advance_sequences() -> None:
    """PostgreSQL: explicit ids leave the sequences behind; move each past its table's max id."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, sa.Integer):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"
                )
            )
    db.session.commit()


def counts() -> dict[str, int]:
    """Rows per main table, for the report."""
    models = (School, Strategy, Goal, Initiative, StatusUpdate, Evaluation, SparringNote, Agreement, Meeting,
              Notification)
    return {m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}
