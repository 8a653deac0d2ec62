"""The front door and the health check."""

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user, login_required

from strategy.extensions import db
from strategy.permissions import landing_endpoint

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():
    """Each role starts where its week's work is (permissions.LANDING)."""
    return redirect(url_for(landing_endpoint(current_user)))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
