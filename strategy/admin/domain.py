"""The administrator's writes: accounts, schools and clusters, periods, political goals, levels.

Each function changes the objects and records the change in the audit history (same
transaction); the route commits once. Snapshots use names rather than ids, so that Historik
reads "Herningvej Skole" and not "school_id: 7".
"""

import re
from typing import Any

import sqlalchemy as sa

from strategy import audit, labels
from strategy.auth.accounts import create_user as create_account, normalise_email, revoke_tokens, user_snapshot
from strategy.extensions import db
from strategy.models import (
    TokenPurpose,
    ActivityLevel,
    AgendaItem,
    Cluster,
    Expectation,
    ExpectationCategory,
    MunicipalActivity,
    Period,
    Policy,
    PoliticalGoal,
    ProfileLevel,
    Role,
    School,
    Theme,
    User,
)
from strategy.models.strategy import initiative_expectation
from strategy.models.users import SCHOOL_ROLES

ROLE_LABELS = labels.ROLE
CATEGORY_LABELS = labels.CATEGORY
ACTIVITY_LEVEL_LABELS = labels.ACTIVITY_LEVEL



def slugify(text: str, max_length: int = 48) -> str:
    """A URL- and key-safe form of a Danish name: "Forældre og elever" -> "foraeldre-og-elever"."""
    text = text.casefold()
    for letter, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        text = text.replace(letter, plain)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].strip("-") or "x"


def _unique_key(base: str, taken: set[str]) -> str:
    key, n = base, 2
    while key in taken:
        key = f"{base}-{n}"
        n += 1
    return key


# --- users ------------------------------------------------------------------------------------


def email_taken(email: str, except_user: User | None = None) -> bool:
    query = sa.select(User.id).where(User.email == normalise_email(email))
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return db.session.scalar(query) is not None


def _apply_placement(user: User, school: School | None, assigned: list[School]) -> None:
    """A leader or reader belongs to one school; a consultant is assigned schools; others neither."""
    user.school = school if user.role in SCHOOL_ROLES else None
    user.assigned_schools = sorted(assigned, key=lambda s: s.name) if user.role == Role.CONSULTANT else []


def create_user(
    *,
    email: str,
    name: str,
    title: str,
    role: Role,
    school: School | None,
    profile_level: ProfileLevel | None,
    assigned: list[School],
) -> User:
    """A local account without a password: the person sets it from the invitation."""
    user = create_account(
        email, name.strip(), role, None, school=school if role in SCHOOL_ROLES else None, title=title.strip()
    )
    user.profile_level = profile_level
    _apply_placement(user, school, assigned)
    db.session.flush()
    audit.record("create", user, user_snapshot(user), summary=f"Bruger oprettet: {user.name}")
    return user


def update_user(
    user: User,
    *,
    email: str,
    name: str,
    title: str,
    role: Role,
    school: School | None,
    profile_level: ProfileLevel | None,
    assigned: list[School],
) -> dict[str, list]:
    before = user_snapshot(user)
    user.email = normalise_email(email)
    user.name = name.strip()
    user.title = title.strip()
    user.role = role
    user.profile_level = profile_level
    _apply_placement(user, school, assigned)
    changes = audit.diff(before, user_snapshot(user))
    if changes:
        audit.record("update", user, changes, summary=f"Bruger ændret: {user.name}")
    return changes


def revoke_invitation(user: User, by: User | None) -> bool:
    if not revoke_tokens(user, TokenPurpose.INVITATION):
        return False
    audit.record("invitation_revoked", user, actor=by, summary=f"Invitation trukket tilbage: {user.name}")
    return True


def set_active(user: User, active: bool) -> bool:
    """Deactivating ends every session at once (the token in each cookie no longer matches)."""
    if user.active == active:
        return False
    user.active = active
    if not active:
        user.end_all_sessions()
    audit.record(
        "update",
        user,
        {"active": [not active, active]},
        summary=f"Bruger {'genaktiveret' if active else 'deaktiveret'}: {user.name}",
    )
    return True


# --- schools and clusters ---------------------------------------------------------------------


def school_snapshot(school: School) -> dict[str, Any]:
    return {"name": school.name, "cluster": school.cluster.name if school.cluster else None,
            "institution_number": school.institution_number}


def institution_number_taken(number: str, except_obj: School | None = None) -> bool:
    query = sa.select(School.id).where(School.institution_number == number)
    if except_obj is not None:
        query = query.where(School.id != except_obj.id)
    return db.session.scalar(query) is not None


def create_school(name: str, cluster: Cluster | None, institution_number: str | None = None) -> School:
    school = School(name=name.strip(), cluster=cluster, institution_number=institution_number or None)
    db.session.add(school)
    db.session.flush()
    audit.record("create", school, school_snapshot(school), summary=f"Skole oprettet: {school.name}")
    return school


def update_school(school: School, name: str, cluster: Cluster | None, institution_number: str | None = None) -> dict[str, list]:
    before = school_snapshot(school)
    school.name = name.strip()
    school.cluster = cluster
    school.institution_number = institution_number or None
    changes = audit.diff(before, school_snapshot(school))
    if changes:
        audit.record("update", school, changes, summary=f"Skole ændret: {school.name}")
    return changes


def create_cluster(name: str) -> Cluster:
    cluster = Cluster(name=name.strip())
    db.session.add(cluster)
    db.session.flush()
    audit.record("create", cluster, {"name": cluster.name}, summary=f"Klynge oprettet: {cluster.name}")
    return cluster


def _rename(obj, name: str, summary: str) -> dict[str, list]:
    """Give ``obj`` a new name, audited when it changed (``summary`` names the kind of thing)."""
    before = {"name": obj.name}
    obj.name = name.strip()
    changes = audit.diff(before, {"name": obj.name})
    if changes:
        audit.record("update", obj, changes, summary=f"{summary}: {obj.name}")
    return changes


def rename_cluster(cluster: Cluster, name: str) -> dict[str, list]:
    return _rename(cluster, name, "Klynge omdøbt")


def delete_cluster(cluster: Cluster) -> None:
    """Only an empty cluster: its schools must be moved first, so none is left orphaned by accident."""
    if cluster.schools:
        raise ValueError("cluster has schools")
    audit.record("delete", cluster, {"name": cluster.name}, summary=f"Klynge slettet: {cluster.name}")
    db.session.delete(cluster)


def name_taken(model, name: str, except_obj=None) -> bool:
    query = sa.select(model.id).where(model.name == name.strip())
    if except_obj is not None:
        query = query.where(model.id != except_obj.id)
    return db.session.scalar(query) is not None


# --- periods and municipal activities -----------------------------------------------------------

PERIOD_FIELDS = ["key", "name", "title", "start_year", "end_year"]
ACTIVITY_FIELDS = ["text", "heading", "level", "year", "policy"]


def create_period(*, key: str, title: str, start_year: int, end_year: int) -> Period:
    period = Period(key=key, name=key, title=title.strip(), start_year=start_year, end_year=end_year)
    db.session.add(period)
    db.session.flush()
    audit.record("create", period, audit.snapshot(period, PERIOD_FIELDS), summary=f"Strategiperiode oprettet: {key}")
    return period


def update_period(period: Period, *, key: str, title: str, start_year: int, end_year: int) -> dict[str, list]:
    before = audit.snapshot(period, PERIOD_FIELDS)
    # The name shown everywhere follows the key ("2025-2027"), as in the source documents.
    if period.name == period.key:
        period.name = key
    period.key = key
    period.title = title.strip()
    period.start_year = start_year
    period.end_year = end_year
    changes = audit.diff(before, audit.snapshot(period, PERIOD_FIELDS))
    if changes:
        audit.record("update", period, changes, summary=f"Strategiperiode ændret: {period.key}")
    return changes


def period_key_taken(key: str, except_period: Period | None = None) -> bool:
    query = sa.select(Period.id).where(Period.key == key)
    if except_period is not None:
        query = query.where(Period.id != except_period.id)
    return db.session.scalar(query) is not None


def _activity_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": values["text"].strip(),
        "heading": (values.get("heading") or "").strip() or None,
        "level": ActivityLevel(values["level"]) if values.get("level") else None,
        "year": values.get("year"),
        "policy": values.get("policy"),
    }


def add_activity(period: Period, values: dict[str, Any]) -> MunicipalActivity:
    position = max((a.position for a in period.activities), default=-1) + 1
    activity = MunicipalActivity(period=period, position=position, **_activity_values(values))
    db.session.add(activity)
    db.session.flush()
    audit.record(
        "create", activity, audit.snapshot(activity, ACTIVITY_FIELDS), summary=f"Strategisk aktivitet tilføjet ({period.key})"
    )
    return activity


def update_activity(activity: MunicipalActivity, values: dict[str, Any]) -> dict[str, list]:
    before = audit.snapshot(activity, ACTIVITY_FIELDS)
    for name, value in _activity_values(values).items():
        setattr(activity, name, value)
    changes = audit.diff(before, audit.snapshot(activity, ACTIVITY_FIELDS))
    if changes:
        audit.record("update", activity, changes, summary=f"Strategisk aktivitet ændret ({activity.period.key})")
    return changes


def delete_activity(activity: MunicipalActivity) -> None:
    audit.record(
        "delete",
        activity,
        audit.snapshot(activity, ACTIVITY_FIELDS),
        summary=f"Strategisk aktivitet slettet ({activity.period.key})",
    )
    db.session.delete(activity)


# --- political goals ----------------------------------------------------------------------------


def political_goal_snapshot(goal: PoliticalGoal) -> dict[str, Any]:
    return {"text": goal.text, "short_name": goal.short_name, "themes": [t.name for t in goal.themes]}


def add_political_goal(policy: Policy, *, text: str, short_name: str, themes: list[Theme]) -> PoliticalGoal:
    taken = set(db.session.scalars(sa.select(PoliticalGoal.key)))
    base = f"{policy.key[:20]}-{slugify(short_name or text, 40)}"
    position = max((g.position for g in policy.goals), default=policy.position * 100 - 1) + 1
    goal = PoliticalGoal(
        policy=policy,
        key=_unique_key(base, taken)[:64],
        text=text.strip(),
        short_name=short_name.strip(),
        position=position,
        themes=sorted(themes, key=lambda t: t.position),
    )
    db.session.add(goal)
    db.session.flush()
    audit.record("create", goal, political_goal_snapshot(goal), summary=f"Politisk mål tilføjet: {goal.label}")
    return goal


def update_political_goal(goal: PoliticalGoal, *, text: str, short_name: str, themes: list[Theme]) -> dict[str, list]:
    before = political_goal_snapshot(goal)
    goal.text = text.strip()
    goal.short_name = short_name.strip()
    goal.themes = sorted(themes, key=lambda t: t.position)
    changes = audit.diff(before, political_goal_snapshot(goal))
    if changes:
        audit.record("update", goal, changes, summary=f"Politisk mål ændret: {goal.label}")
    return changes


# --- Learning Pipeline ------------------------------------------------------------------------


def create_local_level(school: School, name: str, copy_from: ProfileLevel | None = None) -> ProfileLevel:
    """A school's own level (e.g. Forældre, Elever), optionally starting from another level's profile."""
    taken = set(db.session.scalars(sa.select(ProfileLevel.key).where(ProfileLevel.school_id == school.id)))
    position = (db.session.scalar(sa.select(sa.func.max(ProfileLevel.position))) or 0) + 1
    level = ProfileLevel(key=_unique_key(slugify(name), taken), name=name.strip(), school=school, position=position)
    if copy_from is not None:
        level.expectations = [
            Expectation(category=e.category, text=e.text, position=e.position) for e in copy_from.expectations
        ]
    db.session.add(level)
    db.session.flush()
    audit.record(
        "create",
        level,
        {"name": level.name, "school": school.name, "copied_from": copy_from.name if copy_from else None},
        summary=f"Lokalt niveau oprettet: {level.name} ({school.name})",
    )
    return level


def rename_level(level: ProfileLevel, name: str) -> dict[str, list]:
    return _rename(level, name, "Niveau omdøbt")


def _in_category(level: ProfileLevel, category: ExpectationCategory) -> list[Expectation]:
    return sorted(level.expectations_in(category), key=lambda e: (e.position, e.id or 0))


def _expectation_snapshot(expectation: Expectation) -> dict[str, Any]:
    return {
        "level": expectation.level.name,
        "category": expectation.category.value,
        "text": expectation.text,
        "position": expectation.position,
    }


def add_expectation(level: ProfileLevel, category: ExpectationCategory, text: str) -> Expectation:
    position = max((e.position for e in level.expectations_in(category)), default=-1) + 1
    expectation = Expectation(category=category, text=text.strip(), position=position)
    level.expectations.append(expectation)
    db.session.flush()
    audit.record("create", expectation, _expectation_snapshot(expectation), summary=f"Forventning tilføjet ({level.name})")
    return expectation


def update_expectation(expectation: Expectation, text: str) -> dict[str, list]:
    before = {"text": expectation.text}
    expectation.text = text.strip()
    changes = audit.diff(before, {"text": expectation.text})
    if changes:
        audit.record("update", expectation, changes, summary=f"Forventning ændret ({expectation.level.name})")
    return changes


def move_expectation(expectation: Expectation, direction: str) -> bool:
    """Swap with the neighbour above or below in the same category; renumbers the category."""
    siblings = _in_category(expectation.level, expectation.category)
    index = siblings.index(expectation)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    before = expectation.position
    for position, sibling in enumerate(siblings):
        sibling.position = position
    audit.record(
        "update",
        expectation,
        {"position": [before, expectation.position]},
        summary=f"Forventning flyttet ({expectation.level.name})",
    )
    return True


def expectation_uses(expectation: Expectation) -> int:
    """How many initiatives and agenda items point at the expectation."""
    initiatives = db.session.scalar(
        sa.select(sa.func.count()).select_from(initiative_expectation)
        .where(initiative_expectation.c.expectation_id == expectation.id)
    )
    agenda = db.session.scalar(sa.select(sa.func.count(AgendaItem.id)).where(AgendaItem.expectation_id == expectation.id))
    return initiatives + agenda


class InUse(ValueError):
    """The object is still referenced by schools' work and cannot be deleted."""


def delete_expectation(expectation: Expectation) -> None:
    """Refused while a school's initiative or an agenda builds on it: their link would vanish silently."""
    uses = expectation_uses(expectation)
    if uses:
        raise InUse(uses)
    level = expectation.level
    audit.record("delete", expectation, _expectation_snapshot(expectation), summary=f"Forventning slettet ({level.name})")
    level.expectations.remove(expectation)  # delete-orphan cascade
    for position, sibling in enumerate(e for e in _in_category(level, expectation.category) if e is not expectation):
        sibling.position = position
