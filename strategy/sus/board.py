"""The views of the school board (one school) and the Skoleudvalg (all schools).

Both at their own level of detail, framed by their own Learning Pipeline expectations (the
municipal levels ``skolebestyrelse`` and ``skoleudvalg``): goals, progress and the state of the
initiatives in plain language; never a comment, a history, a note, a meeting, a person's name
other than the school leader's, an edit control, or an indicator that is not Offentlig.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, redirect, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from strategy.extensions import db
from strategy.htmx import render
from strategy.inputs import arg_int
from strategy.models import Period, ProfileLevel, School, Status
from strategy import progress, reports
from strategy.permissions import ALL_SCHOOLS, can, require
from strategy.labels import STATUS as STATUS_LABELS
from strategy.periods import current_period
from strategy.sus import service

board_bp = Blueprint("board", __name__)
committee_bp = Blueprint("committee", __name__)


@board_bp.before_request
@login_required
def _board_signed_in():
    return None


@committee_bp.before_request
@login_required
def _committee_signed_in():
    return None


def level_of(key: str) -> ProfileLevel | None:
    return db.session.scalar(
        sa.select(ProfileLevel)
        .where(ProfileLevel.key == key, ProfileLevel.school_id.is_(None))
        .options(selectinload(ProfileLevel.expectations))
    )


def plain_status(statuses: list[Status]) -> str:
    """ "3 af 4 tiltag er på rette spor eller gennemført. 1 er udfordret." """
    if not statuses:
        return _("Der er endnu ingen tiltag.")
    counts = Counter(statuses)
    good = counts[Status.ON_TRACK] + counts[Status.COMPLETED]
    parts = [ngettext("%(good)d af %(num)d tiltag er på rette spor eller gennemført.",
                      "%(good)d af %(num)d tiltag er på rette spor eller gennemført.", len(statuses), good=good)]
    if counts[Status.IN_PROGRESS] or counts[Status.NOT_STARTED]:
        parts.append(ngettext("%(num)d er i gang eller ikke startet.", "%(num)d er i gang eller ikke startet.",
                              counts[Status.IN_PROGRESS] + counts[Status.NOT_STARTED]))
    if counts[Status.CHALLENGED]:
        parts.append(ngettext("%(num)d er udfordret.", "%(num)d er udfordret.", counts[Status.CHALLENGED]))
    if counts[Status.STOPPED]:
        parts.append(ngettext("%(num)d er stoppet.", "%(num)d er stoppet.", counts[Status.STOPPED]))
    return " ".join(parts)


# --- the school board ----------------------------------------------------------------------------


@board_bp.get("/bestyrelse")
def index():
    """A board member's landing page: the own school's board view."""
    require("board.home")
    return redirect(url_for(".school", school_id=current_user.school_id))


@board_bp.get("/bestyrelse/skoler/<int:school_id>")
def school(school_id: int):
    school = db.get_or_404(School, school_id)
    require("board.read", school)
    year = service.current_school_year()
    material = service.build_material(current_user, school, year, board_version=True)
    return render(
        "sus/board.html", school=school, year=year, material=material, level=level_of("skolebestyrelse"),
        plain_status=plain_status, labels={k: str(v) for k, v in STATUS_LABELS.items()},
        omitted_statement=service.omitted_statement(),
        may_read_report=can(current_user, "sus.board_read", school),
        may_read_sus=material.sus is not None and can(current_user, "sus.board_read", material.sus),
    )


# --- the Skoleudvalg -----------------------------------------------------------------------------


@dataclass
class CommitteeGoal:
    outcome: progress.PoliticalGoalOutcome
    statuses: dict[Status, int]
    schools_working: int

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


def _committee_context() -> dict:
    require("committee.read")
    asked = arg_int("periode")
    period = (db.session.get(Period, asked) if asked else None) or current_period()
    period_id = period.id if period else None
    goals = progress.all_political_goals()
    # The committee sees all schools (committee.read); its indicators are the public ones only.
    found = progress.goal_outcomes(current_user, period_id, ALL_SCHOOLS, public_only=True)
    per_goal = progress.municipal_outcomes(found, goals)
    cells = progress.cell_counts(progress.initiative_clauses(period_id, ALL_SCHOOLS), [g.id for g in goals])
    lines = []
    for item in per_goal:
        statuses: Counter[Status] = Counter()
        working = 0
        for (school_id, pg_id), cell in cells.items():
            if pg_id == item.political_goal.id and cell.total:
                working += 1
                statuses.update(cell.counts)
        lines.append(CommitteeGoal(item, dict(statuses), working))
    school_count = db.session.scalar(sa.select(sa.func.count(School.id)))
    return {
        "period": period, "periods": list(db.session.scalars(sa.select(Period).order_by(Period.start_year.desc()))),
        "lines": lines, "level": level_of("skoleudvalg"), "school_count": school_count,
        "labels": {k: str(v) for k, v in STATUS_LABELS.items()}, "today": date.today(),
    }


@committee_bp.get("/skoleudvalg", endpoint="index")
def committee_index():
    return render("sus/committee.html", layout="base.html", **_committee_context())


@committee_bp.get("/skoleudvalg.pdf")
def pdf():
    context = _committee_context()
    return reports.pdf_response("sus/committee.html", "skoleudvalget.pdf", **context)
