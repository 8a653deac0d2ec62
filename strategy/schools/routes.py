from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("schools", __name__)


@bp.get("/min-skole")
@login_required
def my_school():
    return render_template("placeholder.html")
