"""Reference pages every signed-in user reads: Learning Pipeline, political goals, periods, tools."""

import sqlalchemy as sa
from flask import abort, request
from sqlalchemy.orm import selectinload

from strategy import loaders
from strategy.extensions import db
from strategy.htmx import render
from strategy.inputs import arg_ints
from strategy.models import FollowUpFormat, MunicipalActivity, Period, ProfileLevel, Tool
from strategy.reference import queries
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("reference", __name__, action="reference.read")


@bp.get("/learning-pipeline")
def pipeline():
    query = request.args.get("q", "").strip()[:200]
    levels = loaders.all_levels()
    return render(
        "reference/pipeline.html",
        block="results",
        levels=levels,
        matches=queries.search_expectations(levels, query),
        query=query,
        grouped=queries.grouped,
    )


@bp.get("/learning-pipeline/niveau/<int:level_id>")
def level(level_id: int):
    level = db.get_or_404(ProfileLevel, level_id)
    return render("reference/level.html", level=level, grouped=queries.grouped(list(level.expectations)))


@bp.get("/learning-pipeline/sammenlign")
def compare():
    ids = arg_ints("level", limit=4)
    chosen = [lvl for lvl in loaders.all_levels() if lvl.id in ids]
    return render("reference/compare.html", levels=chosen, all_levels=loaders.all_levels(), grouped=queries.grouped)


@bp.get("/learning-pipeline/spoergsmaal")
def faq():
    return render("reference/faq.html", entries=queries.texts("pipeline-faq-"), intro=queries.text("pipeline-intro"))


@bp.get("/politiske-maal")
def policies():
    return render(
        "reference/policies.html",
        policies=loaders.policies(),
        periods=queries.periods(),
        foundation=queries.text("foundation"),
        children=queries.text("children-experience"),
        formats=list(db.session.scalars(sa.select(FollowUpFormat).order_by(FollowUpFormat.position))),
    )


@bp.get("/perioder/<key>")
def period(key: str):
    period = db.session.scalar(
        sa.select(Period)
        .where(Period.key == key)
        .options(
            selectinload(Period.activities).joinedload(MunicipalActivity.policy),
            selectinload(Period.follow_up_items),
        )
    )
    if period is None:
        abort(404)
    return render("reference/period.html", period=period, groups=queries.activity_groups(period))


@bp.get("/vaerktoejer")
def tools():
    return render("reference/tools.html", tools=queries.tools())


@bp.get("/vaerktoejer/<key>")
def tool(key: str):
    tool = db.session.scalar(sa.select(Tool).where(Tool.key == key))
    if tool is None:
        abort(404)
    return render("reference/tool.html", tool=tool)
