"""Søg: the results page (/soeg, works without JavaScript, the query in the URL) and the
header's suggestions (/soeg/forslag, an htmx fragment)."""

from flask import request
from flask_login import current_user

from strategy.htmx import render, render_fragment
from strategy.inputs import arg_int
from strategy.permissions import require
from strategy.labels import CONCLUSION as CONCLUSION_LABELS, STATUS as STATUS_LABELS
from strategy.search import KIND_LABELS, Filters, filter_choices, search, suggest
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("search", __name__)

PER_KIND = 5  # results per group on the overview of all kinds
PER_PAGE = 20  # results on a page of one kind


@bp.context_processor
def _helpers():
    return {
        "kind_options": [(kind.value, names[1]) for kind, names in KIND_LABELS.items()],
        "status_options": [(s.value, label) for s, label in STATUS_LABELS.items()],
        "conclusion_options": [(c.value, label) for c, label in CONCLUSION_LABELS.items()],
    }


def _text() -> str:
    return " ".join((request.args.get("q") or "").split())[:200]


@bp.get("/soeg")
def results():
    require("search.use")
    text = _text()
    filters = Filters.from_args(request.args)
    page = arg_int("side", 1, low=1, high=500) if filters.kind is not None else 1
    per_kind = PER_PAGE if filters.kind is not None else PER_KIND
    found = search(current_user, text, filters, per_kind=per_kind, offset=(page - 1) * per_kind)
    return render(
        "search/results.html", block="results", text=text, filters=filters, results=found, page=page,
        per_kind=per_kind, choices=filter_choices(current_user),
    )


@bp.get("/soeg/forslag")
def suggestions():
    require("search.use")
    text = _text()
    return render_fragment("search/_suggestions.html", text=text, hits=suggest(current_user, text))
