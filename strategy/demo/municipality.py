"""The demo municipality itself: clusters, schools, people and the consultants' schools.

``DemoContext`` carries what the other demo modules share: the seeded random generator, today's
date (every date is relative to it so the demo stays current), the reference data looked up once,
and the rows created so far.
"""

import random
from collections import Counter
from functools import cache
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from strategy.demo import catalogue as text
from strategy.extensions import db
from strategy.models import (
    Cluster,
    Period,
    PoliticalGoal,
    ProfileLevel,
    Role,
    School,
    Strategy,
    User,
)
from strategy.passwords import hash_password

SEED = 2026


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    today: date = field(default_factory=date.today)
    counts: Counter = field(default_factory=Counter)
    political_goals: dict[str, PoliticalGoal] = field(default_factory=dict)
    # Municipal levels by key; Herningvej's own levels by key.
    levels: dict[str, ProfileLevel] = field(default_factory=dict)
    local_levels: dict[str, ProfileLevel] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)  # by name, Herningvej first
    users: dict[str, User] = field(default_factory=dict)  # by e-mail local part
    leaders: dict[str, list[User]] = field(default_factory=dict)  # school name -> leaders
    consultant: dict[str, User] = field(default_factory=dict)  # school name -> consultant
    strategies: dict[str, Strategy] = field(default_factory=dict)  # current period
    existing_strategy_schools: dict[str, set[int]] = field(default_factory=dict)  # period key -> school ids

    def add(self, obj):
        db.session.add(obj)
        self.counts[type(obj).__name__] += 1
        return obj

    def at(self, day: date, hour: int | None = None) -> datetime:
        """A moment in office hours on ``day`` (UTC)."""
        if hour is None:
            hour = self.rng.randint(7, 14)
        return datetime.combine(day, time(hour, self.rng.choice((0, 10, 15, 30, 40, 45))), tzinfo=UTC)

    def days_ago(self, days: int, hour: int | None = None) -> datetime:
        return self.at(self.today - timedelta(days=days), hour)

    def school_year_start(self, day: date | None = None) -> date:
        """1 August of the school year ``day`` (default today) falls in."""
        day = day or self.today
        return date(day.year if day.month >= 8 else day.year - 1, 8, 1)

    def is_stale(self, school_name: str) -> bool:
        return school_name in text.STALE_SCHOOLS

    def skoleleder(self, school_name: str) -> User:
        return self.leaders[school_name][0]


def load_reference(demo: DemoContext) -> None:
    """Look the seeded reference data up once, with the expectations of every level."""
    demo.political_goals = {g.key: g for g in db.session.scalars(sa.select(PoliticalGoal))}
    levels = db.session.scalars(
        sa.select(ProfileLevel).options(selectinload(ProfileLevel.expectations))
    ).all()
    demo.levels = {lvl.key: lvl for lvl in levels if lvl.school_id is None}
    herningvej = db.session.scalar(sa.select(School).where(School.name == text.HERNINGVEJ))
    if herningvej is None or not demo.levels:
        raise RuntimeError("The reference data is missing: run `flask seed` before `flask demo`.")
    demo.local_levels = {lvl.key: lvl for lvl in levels if lvl.school_id == herningvej.id}
    demo.schools[text.HERNINGVEJ] = herningvej
    rows = db.session.execute(sa.select(Period.key, Strategy.school_id).join(Strategy.period))
    for key, school_id in rows:
        demo.existing_strategy_schools.setdefault(key, set()).add(school_id)


def build_municipality(demo: DemoContext) -> None:
    """Clusters, schools, users and the consultants' assignments."""
    existing_clusters = {c.name: c for c in db.session.scalars(sa.select(Cluster))}
    for name in text.CLUSTERS:
        demo.clusters[name] = existing_clusters.get(name) or demo.add(Cluster(name=name, is_demo=True))

    herningvej = demo.schools[text.HERNINGVEJ]
    herningvej.cluster = demo.clusters[text.HERNINGVEJ_CLUSTER]
    existing_schools = {s.name: s for s in db.session.scalars(sa.select(School))}
    for name, _slug, cluster in text.SCHOOLS:
        school = existing_schools.get(name)
        if school is None:
            school = demo.add(School(name=name, is_demo=True))
        school.cluster = demo.clusters[cluster]
        demo.schools[name] = school

    password_hash = demo_password_hash()

    def user(local: str, name: str, role: str, title: str, level_key: str | None, school=None) -> User:
        account = demo.add(
            User(
                email=f"{local}@{text.DOMAIN}",
                name=name,
                role=Role(role),
                title=title,
                school=school,
                profile_level=demo.levels.get(level_key) if level_key else None,
                password_hash=password_hash,
                is_demo=True,
            )
        )
        demo.users[local] = account
        return account

    for local, name, role, title, level in text.CENTRAL_USERS:
        user(local, name, role, title, level)
    demo.leaders[text.HERNINGVEJ] = []
    for local, name, role, title, level in text.HERNINGVEJ_USERS:
        account = user(local, name, role, title, level, school=herningvej)
        if account.role == Role.LEADER:
            demo.leaders[text.HERNINGVEJ].append(account)
    for (school_name, slug, _cluster), name in zip(text.SCHOOLS, text.SCHOOL_LEADERS, strict=True):
        leader = user(
            f"leder.{slug}", name, "leader", "Skoleleder", "leder-af-ledere", school=demo.schools[school_name]
        )
        demo.leaders[school_name] = [leader]

    for local, school_names in (
        ("konsulent", text.LEDELSESKONSULENT_SCHOOLS),
        ("fagkonsulent", text.FAGKONSULENT_SCHOOLS),
    ):
        consultant = demo.users[local]
        consultant.assigned_schools = [demo.schools[n] for n in school_names]
        for name in school_names:
            demo.consultant[name] = consultant


@cache
def demo_password_hash() -> str:
    """Argon2 is slow on purpose: the shared demo password is hashed once for every account."""
    return hash_password(text.PASSWORD)


def staff_name(demo: DemoContext) -> str:
    return f"{demo.rng.choice(text.STAFF_FIRST)} {demo.rng.choice(text.STAFF_LAST)}"
