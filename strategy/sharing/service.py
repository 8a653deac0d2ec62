"""Adopting a practice: a new initiative in the own strategy, with its provenance."""

from typing import Any

from strategy import audit
from strategy.extensions import db
from strategy.models import Adoption, Goal, Initiative, User
from strategy.schools import service as schools


def adopt(source: Initiative, goal: Goal, values: dict[str, Any], actor: User | None) -> Initiative:
    """Create the initiative under ``goal`` and record where it came from (the caller commits)."""
    initiative = schools.create_initiative(goal, values, actor)
    adoption = Adoption(
        initiative=initiative,
        source_initiative=source,
        source_school_id=source.goal.strategy.school_id,
        source_title=source.title,
        adopted_by_id=actor.id if actor is not None else None,
    )
    db.session.add(adoption)
    db.session.flush()
    audit.record("adopt", initiative, {"adopted_from": source.id},
                 summary=f"Tiltag inspireret af {source.title} på {source.goal.strategy.school.name}", actor=actor)
    return initiative
