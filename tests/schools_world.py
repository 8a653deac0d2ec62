"""A small municipality for the strategy-page tests (test_schools_*.py): one school with a
strategy for 2025-2027 (a goal with an initiative), another school, and a user per role."""

from dataclasses import dataclass

from strategy.models import Goal, Initiative, Period, Role, School, Strategy, User

# Every role the permission tables try, and what the permissions table of DESIGN.md grants them
# on the school's strategy: read, edit, comment.
ROLES = {
    "leader of the school": (True, True, False),
    "leader of another school": (True, False, False),
    "reader of the school": (True, False, False),
    "reader of another school": (False, False, False),
    "consultant assigned": (True, False, True),
    "consultant not assigned": (True, False, False),
    "directorate": (True, False, True),
    "admin": (True, True, True),
}


@dataclass
class World:
    school: School
    other_school: School
    period: Period
    strategy: Strategy
    goal: Goal
    initiative: Initiative
    users: dict[str, User]


def build_world(make) -> World:
    cluster = make.cluster("Klynge Nord")
    school = make.school("Skovvangskolen", cluster)
    other = make.school("Bakkeskolen", cluster)
    period = make.period(2025, 2027)
    strategy = make.strategy(school, period)
    goal = make.goal(strategy, title="Flere elever læser alderssvarende")
    initiative = make.initiative(goal, title="Læsebånd hver morgen")
    users = {
        "leader of the school": make.user(Role.LEADER, school=school, name="Lene Leder"),
        "leader of another school": make.user(Role.LEADER, school=other),
        "reader of the school": make.user(Role.READER, school=school),
        "reader of another school": make.user(Role.READER, school=other),
        "consultant assigned": make.user(Role.CONSULTANT, assigned=[school], name="Karin Konsulent"),
        "consultant not assigned": make.user(Role.CONSULTANT, assigned=[other]),
        "directorate": make.user(Role.DIRECTORATE),
        "admin": make.user(Role.ADMIN),
    }
    return World(school, other, period, strategy, goal, initiative, users)
