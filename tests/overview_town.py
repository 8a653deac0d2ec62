"""A small municipality for the overview tests (tests/test_overview_*.py).

Two clusters, three schools, one strategy period; initiatives chosen so that every cell of the
matrix has a known roll-up:

    school (cluster)   political goal        initiatives (status, level)
    Aaskolen (Nord)    dygtigere-hver-dag    a1 Udfordret (Medarbejder), a2 På rette spor (Leder af medarbejdere)  <- via goal gA
                       en-ven-i-skolen       a2 (its own link)
    Bøgeskolen (Nord)  en-ven-i-skolen       b1, b2 Gennemført                                                     <- via goal gB
    Cedervej (Syd)     dygtigere-hver-dag    c1 I gang (its own link; goal gC has no political goal)
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    Expectation,
    Goal,
    Initiative,
    Measurement,
    Period,
    PoliticalGoal,
    ProfileLevel,
    School,
    Status,
    User,
)
from strategy.seeding import seed_reference_data


@dataclass
class Town:
    period: Period
    other_period: Period
    pg_learning: PoliticalGoal  # dygtigere-hver-dag (Læring)
    pg_friend: PoliticalGoal  # en-ven-i-skolen (Trivsel)
    a: School
    b: School
    c: School
    goal_a: Goal
    goal_b: Goal
    goal_c: Goal
    a1: Initiative
    a2: Initiative
    b1: Initiative
    b2: Initiative
    c1: Initiative
    employee: ProfileLevel
    leader_of_employees: ProfileLevel
    admin: User
    directorate: User
    consultant: User  # assigned to Aaskolen and Cedervej
    leader_b: User
    reader_a: User


def by_key(model, key):
    return db.session.scalar(sa.select(model).where(model.key == key))


def build_town(make) -> Town:
    seed_reference_data()
    db.session.commit()
    period = by_key(Period, "2021-2023")
    other_period = by_key(Period, "2018-2020")
    pg_learning = by_key(PoliticalGoal, "dygtigere-hver-dag")
    pg_friend = by_key(PoliticalGoal, "en-ven-i-skolen")
    employee = db.session.scalar(sa.select(ProfileLevel).where(ProfileLevel.key == "medarbejder", ProfileLevel.school_id.is_(None)))
    leader_level = db.session.scalar(
        sa.select(ProfileLevel).where(ProfileLevel.key == "leder-af-medarbejdere", ProfileLevel.school_id.is_(None))
    )

    nord, syd = make.cluster("Nord"), make.cluster("Syd")
    a, b, c = make.school("Aaskolen", nord), make.school("Bøgeskolen", nord), make.school("Cedervej Skole", syd)

    goal_a = make.goal(
        make.strategy(a, period), title="Flere elever læser sikkert", indicator="Andel sikre læsere", unit="%",
        baseline_value=60.0, baseline_year=2021, target_value=80.0, target_year=2023,
    )
    goal_a.political_goals = [pg_learning]
    goal_a.measurements = [Measurement(year=2022, value=65.0), Measurement(year=2023, value=70.0)]
    goal_b = make.goal(make.strategy(b, period), title="Alle har en ven", baseline_value=3.0, target_value=4.0)
    goal_b.political_goals = [pg_friend]
    goal_b.measurements = [Measurement(year=2023, value=4.2)]
    goal_c = make.goal(make.strategy(c, period), title="Mere bevægelse")
    db.session.commit()

    a1 = make.initiative(goal_a, status=Status.CHALLENGED, title="Læsebånd", owner_level=employee)
    a2 = make.initiative(goal_a, status=Status.ON_TRACK, title="Legepatruljer", owner_level=leader_level,
                         responsible="Viceskoleleder", start_date=date(2022, 8, 1))
    a2.political_goals = [pg_friend]
    b1 = make.initiative(goal_b, status=Status.COMPLETED, title="Venskabsklasser")
    b2 = make.initiative(goal_b, status=Status.COMPLETED, title="Fælles frikvarter")
    c1 = make.initiative(goal_c, status=Status.IN_PROGRESS, title="Læsemakkere")
    c1.political_goals = [pg_learning]
    first_expectation = db.session.scalar(
        sa.select(Expectation).where(Expectation.level_id == employee.id).order_by(Expectation.position).limit(1)
    )
    a1.expectations = [first_expectation]
    c1.expectations = [first_expectation]
    db.session.commit()

    return Town(
        period=period, other_period=other_period, pg_learning=pg_learning, pg_friend=pg_friend,
        a=a, b=b, c=c, goal_a=goal_a, goal_b=goal_b, goal_c=goal_c, a1=a1, a2=a2, b1=b1, b2=b2, c1=c1,
        employee=employee, leader_of_employees=leader_level,
        admin=make.user("admin"), directorate=make.user("directorate"),
        consultant=make.user("consultant", assigned=[a, c]),
        leader_b=make.user("leader", school=b), reader_a=make.user("reader", school=a),
    )


def add_schools(make, town: Town, count: int) -> None:
    """More schools like Aaskolen (for the query-count tests): a goal, two initiatives each."""
    cluster = town.a.cluster
    for n in range(count):
        school = make.school(f"Ekstra skole {n}", cluster)
        goal = make.goal(make.strategy(school, town.period), title=f"Mål {n}", baseline_value=1.0, target_value=2.0)
        goal.political_goals = [town.pg_learning, town.pg_friend]
        goal.measurements = [Measurement(year=2023, value=1.5)]
        db.session.commit()
        first = make.initiative(goal, status=Status.ON_TRACK, owner_level=town.employee)
        first.political_goals = [town.pg_friend]
        first.expectations = list(town.a1.expectations)
        make.initiative(goal, status=Status.CHALLENGED)
        db.session.commit()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
