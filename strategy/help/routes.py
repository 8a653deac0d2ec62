"""The guide to the first week, the accessibility statement and Min profil."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, request, url_for
from flask_login import current_user, login_required

from strategy.extensions import db
from strategy.help.guides import GLOSSARY, GUIDES
from strategy.htmx import redirect_to, render, safe_next
from strategy.models import LoginAttempt, Role
from strategy.models.base import utcnow
from strategy.web import navigation

bp = Blueprint("help", __name__)

# The day the accessibility statement was last checked against the product (update when it is).
STATEMENT_REVIEWED = date(2026, 12, 4)


@bp.record_once
def _glossary_everywhere(state):
    # A global, so the macro `term` sees it in every template, imported with context or not.
    state.app.jinja_env.globals["glossary"] = GLOSSARY


@bp.app_context_processor
def _help_helpers():
    # The welcome panel (base.html) shows until the user has closed it or read the guide to the end.
    show = bool(current_user and current_user.is_authenticated and current_user.first_week_guide_seen_at is None)
    return {"show_welcome": show and request.blueprint != "help"}


def _guide_for(user):
    return GUIDES.get(user.role, GUIDES[Role.READER])


@bp.get("/hjaelp")
@login_required
def first_week():
    wanted = request.args.get("rolle")
    if wanted:
        try:
            guide = GUIDES[Role(wanted)]
        except (ValueError, KeyError):
            abort(404)
    else:
        guide = _guide_for(current_user)
    return render("help/first_week.html", guide=guide, guides=GUIDES, own=guide.role == current_user.role,
                  steps=[(step, _step_url(step)) for step in guide.steps])


def _step_url(step) -> str | None:
    """Where a step is done, if that part of the product is in the user's own menu."""
    items = navigation()
    if step.endpoint == "followup.school":
        return next((item.url for item in items if item.endpoint == step.endpoint), None)
    if step.endpoint is None or step.endpoint.partition(".")[0] not in {i.endpoint.partition(".")[0] for i in items}:
        return None
    return url_for(step.endpoint)


@bp.post("/hjaelp/velkomst")
@login_required
def dismiss_welcome():
    """The welcome panel after the first sign-in is closed for good (Min profil can open the guide)."""
    if current_user.first_week_guide_seen_at is None:
        current_user.first_week_guide_seen_at = utcnow()
        db.session.commit()
    return redirect_to(safe_next(url_for("main.index")))


@bp.get("/tilgaengelighed")
def accessibility():
    """The accessibility statement (tilgængelighedserklæring): public, as the law asks."""
    return render("help/accessibility.html", reviewed_on=STATEMENT_REVIEWED)


@bp.get("/min-profil")
@login_required
def profile():
    attempts = list(db.session.scalars(
        sa.select(LoginAttempt).where(LoginAttempt.email == current_user.email)
        .order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc()).limit(10)
    ))
    return render("help/profile.html", attempts=attempts, guide=_guide_for(current_user))
