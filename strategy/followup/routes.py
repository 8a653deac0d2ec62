from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("followup", __name__)


@bp.get("/mine-skoler")
@login_required
def my_schools():
    return render_template("placeholder.html")
