"""The front door and the health check."""

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user, login_required

from strategy.extensions import db
from strategy.models import Role
from strategy.permissions import can

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():
    """Each role starts where its week's work is."""
    role = current_user.role
    if role in (Role.LEADER, Role.READER) and current_user.school_id:
        return redirect(url_for("schools.my_school"))
    if role == Role.CONSULTANT:
        return redirect(url_for("followup.my_schools"))
    if role in (Role.ADMIN, Role.DIRECTORATE):
        return redirect(url_for("overview.index"))
    if can(current_user, "board.home"):
        return redirect(url_for("board.index"))
    if can(current_user, "committee.home"):
        return redirect(url_for("committee.index"))
    return redirect(url_for("reference.pipeline"))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
