"""Demo data for data in and out: institutionsnumre, a fælles indikator filled by an import, and
the national test indicator classified Fortrolig (folkeskoleloven § 55 b)."""

from __future__ import annotations

import sqlalchemy as sa

from strategy.extensions import db
from strategy.imports import engine
from strategy.imports.reader import Table
from strategy.models import AuditEvent, Classification, Goal, MunicipalIndicator, Role, School

TRIVSEL = "Trivsel: social trivsel (andel elever, der føler sig som en del af fællesskabet)"
# Believable institutionsnumre: six digits in the range the ministry gives a Jutland municipality's schools.
FIRST_NUMBER = 657020


def build_data(demo) -> None:
    taken = set(db.session.scalars(sa.select(School.institution_number).where(School.institution_number.is_not(None))))
    number = FIRST_NUMBER
    for school in demo.schools.values():
        if school.institution_number:
            continue
        while f"{number}" in taken:
            number += 3
        school.institution_number = f"{number}"
        taken.add(school.institution_number)
        number += 3

    strategies = [s for s in demo.strategies.values() if s is not None]
    goals = list(db.session.scalars(sa.select(Goal).where(Goal.strategy_id.in_([s.id for s in strategies] or [-1]))))
    for goal in goals:
        if "nationale test" in goal.indicator:
            goal.classification = Classification.CONFIDENTIAL
        elif "trivselsmåling" in goal.indicator:
            goal.classification = Classification.PUBLIC

    indicator = db.session.scalar(sa.select(MunicipalIndicator).where(MunicipalIndicator.name == TRIVSEL))
    if indicator is None:
        indicator = demo.add(MunicipalIndicator(name=TRIVSEL, unit="%", classification=Classification.PUBLIC, is_demo=True))
        db.session.flush()
    linked = [g for g in goals if "national trivselsmåling" in g.indicator and g.archived_at is None]
    for goal in linked:
        goal.municipal_indicator_id = indicator.id
    db.session.flush()
    if not linked:
        return

    # The file as the ministry's data warehouse gives it: one row per school and school year.
    school_of = {s.id: s for s in demo.schools.values()}
    strategy_school = {s.id: s.school_id for s in strategies}
    year = demo.today.year if demo.today.month >= 3 else demo.today.year - 1  # the survey runs in February
    rows: list[list[object]] = []
    for goal in linked:
        school = school_of[strategy_school[goal.strategy_id]]
        latest = goal.measurements[-1].value if goal.measurements else (goal.baseline_value or 80.0)
        value = round(min(99.0, latest + demo.rng.uniform(-1.5, 3.0)), 1)
        pupils = demo.rng.randint(140, 420)
        rows.append([school.institution_number, f"{year - 1}/{str(year)[-2:]}", value, pupils])
    table = Table(["Institutionsnummer", "Skoleår", "Andel (%)", "Antal elever"], rows, "csv", ";", "utf-8")
    mapping = engine.guess_mapping(table.header)
    admin = next((u for u in demo.users.values() if u.role == Role.ADMIN), None)

    class _Admin:
        role, school_id, assigned_schools, is_authenticated, is_active, id = Role.ADMIN, None, [], True, True, None

    target = engine.Target(municipal=indicator)
    plan = engine.plan(table, mapping, target, admin or _Admin())
    # The demo's stale schools stay stale: the import is part of the scenery, not of their work.
    activity = {s.id: s.last_activity_at for s in strategies}
    # Like the rest of the demo, the import leaves no audit events (remove_demo could not follow them):
    # nothing is flushed until they are taken out again (the leaders' notifications stay).
    with db.session.no_autoflush:
        engine.apply(plan, target, "trivsel-uddannelsesstatistik.csv", admin)
    for event in [o for o in db.session.new if isinstance(o, AuditEvent)]:
        db.session.expunge(event)
    for strategy in strategies:
        strategy.last_activity_at = activity[strategy.id]
    indicator.mapping = engine.mapping_names(table.header, mapping)
    demo.counts["ImportBatch"] += 1
