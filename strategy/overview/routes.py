from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("overview", __name__)


@bp.get("/overblik")
@login_required
def index():
    return render_template("placeholder.html")
