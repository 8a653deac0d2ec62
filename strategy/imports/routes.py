"""The import wizard: upload, columns, indicator, preview, confirm; a batch's page and its undo.

The upload is kept between the steps in the database (ImportUpload), never in the session.
"""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa
from flask import abort, current_app, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from strategy.extensions import db
from strategy.htmx import redirect_to, render
from strategy.imports import engine
from strategy.imports.forms import MappingForm, UploadForm
from strategy.imports.reader import FileRefused, read_table
from strategy.inputs import parse_int
from strategy.models import Goal, ImportBatch, ImportUpload, MunicipalIndicator, Role, School, Strategy, utcnow
from strategy.permissions import can
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("imports", __name__, url_prefix="/import", action="import.create")

STEPS = ("upload", "columns", "indicator", "preview")


def _steps(current: str) -> list[dict]:
    labels = {"upload": _("Upload fil"), "columns": _("Kolonner"), "indicator": _("Indikator"),
              "preview": _("Forhåndsvis og godkend")}
    index = STEPS.index(current)
    return [{"n": i + 1, "title": labels[s], "state": "current" if i == index else ("done" if i < index else "disabled")}
            for i, s in enumerate(STEPS)]


def _batches():
    query = sa.select(ImportBatch).order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc()).limit(20)
    if current_user.role not in (Role.ADMIN, Role.DIRECTORATE):
        query = query.where(ImportBatch.created_by_id == current_user.id)
    return list(db.session.scalars(query))


def _index(form: UploadForm, status: int = 200, refused: str | None = None):
    return render("imports/index.html", status=status, form=form, refused=refused, steps=_steps("upload"),
                  batches=_batches(), indicators=_indicators())


def _indicators() -> list[MunicipalIndicator]:
    return list(db.session.scalars(sa.select(MunicipalIndicator).order_by(MunicipalIndicator.name)))


@bp.get("/")
def index():
    return _index(UploadForm(formdata=None))


@bp.post("/")
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return _index(form, status=422)
    stored = form.file.data
    content = stored.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
    filename = (stored.filename or "fil").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    try:
        read_table(content, filename, current_app.config["IMPORT_MAX_BYTES"], current_app.config["IMPORT_MAX_ROWS"])
    except FileRefused as error:
        return _index(form, status=422, refused=str(error))
    # Yesterday's unfinished uploads are gone; a file waits for its next step a day at most.
    db.session.execute(sa.delete(ImportUpload).where(ImportUpload.created_at < utcnow() - timedelta(days=1)))
    upload = ImportUpload(created_by_id=current_user.id, filename=filename, content=content, mapping={})
    db.session.add(upload)
    db.session.commit()
    return redirect_to(url_for(".columns", token=upload.token))


def _upload_or_404(token: str) -> ImportUpload:
    upload = db.session.scalar(sa.select(ImportUpload).where(ImportUpload.token == token[:64]))
    if upload is None or upload.created_by_id != current_user.id:
        abort(404)
    return upload


def _table(upload: ImportUpload):
    try:
        return read_table(upload.content, upload.filename, current_app.config["IMPORT_MAX_BYTES"],
                          current_app.config["IMPORT_MAX_ROWS"])
    except FileRefused:
        abort(400)


@bp.route("/<token>/kolonner", methods=["GET", "POST"])
def columns(token: str):
    upload = _upload_or_404(token)
    table = _table(upload)
    if request.method == "POST":
        form = MappingForm(header=table.header)
        if form.validate_on_submit():
            upload.mapping = {**upload.mapping, "columns": form.mapping()}
            db.session.commit()
            return redirect_to(url_for(".indicator", token=token))
        status = 422
    else:
        remembered = None
        chosen = upload.mapping.get("columns")
        if chosen is None and upload.mapping.get("municipal_id"):
            indicator = db.session.get(MunicipalIndicator, upload.mapping["municipal_id"])
            remembered = indicator.mapping if indicator else None
        guessed = chosen or engine.guess_mapping(table.header, remembered or _last_mapping())
        form = MappingForm(formdata=None, header=table.header, data=guessed)
        status = 200
    return render("imports/columns.html", status=status, form=form, upload=upload, table=table,
                  sample=table.rows[:5], steps=_steps("columns"))


def _last_mapping() -> dict | None:
    """The mapping remembered on the fælles indikatorer, newest first: a good first guess."""
    for indicator in _indicators():
        if indicator.mapping:
            return indicator.mapping
    return None


def _schools_in_file(upload: ImportUpload, table) -> list[School]:
    columns = upload.mapping.get("columns") or {}
    index = columns.get("school")
    if index is None:
        return []
    values = {engine._text(row[index]) for row in table.rows if index < len(row)}
    schools = db.session.scalars(sa.select(School).order_by(School.name))
    return [s for s in schools if (s.institution_number in values or s.name in values) and can(current_user, "import.create", s)]


def _goal_choices(schools: list[School]) -> dict[int, list[Goal]]:
    found: dict[int, list[Goal]] = {s.id: [] for s in schools}
    if not schools:
        return found
    for goal, school_id in db.session.execute(
        sa.select(Goal, Strategy.school_id).join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Strategy.school_id.in_([s.id for s in schools]), Goal.archived_at.is_(None))
        .order_by(Strategy.school_id, Strategy.period_id.desc(), Goal.position)
    ):
        found[school_id].append(goal)
    return found


@bp.route("/<token>/indikator", methods=["GET", "POST"])
def indicator(token: str):
    upload = _upload_or_404(token)
    if not upload.mapping.get("columns"):
        return redirect_to(url_for(".columns", token=token))
    table = _table(upload)
    schools = _schools_in_file(upload, table)
    goals = _goal_choices(schools)
    indicators = _indicators()
    error = None
    if request.method == "POST":
        kind = request.form.get("kind")
        if kind == "municipal":
            chosen = parse_int(request.form.get("municipal_id"), low=1)
            if chosen is not None and any(i.id == chosen for i in indicators):
                upload.mapping = {**upload.mapping, "target": {"municipal_id": chosen}}
                db.session.commit()
                return redirect_to(url_for(".preview", token=token))
            error = _("Vælg en fælles indikator.")
        elif kind == "goals":
            picked = {}
            for school in schools:
                goal_id = parse_int(request.form.get(f"goal_{school.id}"), low=1)
                if goal_id is not None and any(g.id == goal_id for g in goals.get(school.id, [])):
                    picked[str(school.id)] = goal_id
            if picked:
                upload.mapping = {**upload.mapping, "target": {"goals": picked}}
                db.session.commit()
                return redirect_to(url_for(".preview", token=token))
            error = _("Vælg målet for mindst én skole.")
        else:
            error = _("Vælg, hvad tallene er målinger af.")
    target = upload.mapping.get("target") or {}
    return render("imports/indicator.html", status=422 if error else 200, upload=upload, schools=schools, goals=goals,
                  indicators=indicators, error=error, target=target, steps=_steps("indicator"))


def _target(upload: ImportUpload) -> engine.Target | None:
    target = upload.mapping.get("target") or {}
    if target.get("municipal_id"):
        indicator = db.session.get(MunicipalIndicator, target["municipal_id"])
        return engine.Target(municipal=indicator) if indicator else None
    if target.get("goals"):
        return engine.Target(goal_by_school={int(k): v for k, v in target["goals"].items()})
    return None


def _planned(token: str):
    """The upload with its table, target and plan; no target and plan until the columns and the
    indicator are chosen."""
    upload = _upload_or_404(token)
    table = _table(upload)
    target = _target(upload)
    columns = upload.mapping.get("columns")
    if target is None or not columns:
        return upload, table, None, None
    return upload, table, target, engine.plan(table, columns, target, current_user)


@bp.get("/<token>/forhaandsvisning")
def preview(token: str):
    upload, table, target, plan = _planned(token)
    if plan is None:
        return redirect_to(url_for(".indicator", token=token))
    return render("imports/preview.html", upload=upload, plan=plan, target=target, steps=_steps("preview"))


@bp.post("/<token>/forhaandsvisning")
def confirm(token: str):
    upload, table, target, plan = _planned(token)
    if plan is None:
        return redirect_to(url_for(".indicator", token=token))
    batch = engine.apply(plan, target, upload.filename, current_user)
    if target.municipal is not None:
        target.municipal.mapping = engine.mapping_names(table.header, upload.mapping["columns"])
    db.session.delete(upload)
    db.session.commit()
    if batch is None:
        return render("imports/nothing.html", filename=upload.filename, plan=plan)
    return redirect_to(url_for(".batch", batch_id=batch.id))


def _batch_or_404(batch_id: int) -> ImportBatch:
    batch = db.get_or_404(ImportBatch, batch_id)
    if current_user.role not in (Role.ADMIN, Role.DIRECTORATE) and batch.created_by_id != current_user.id:
        abort(404)
    return batch


@bp.get("/parti/<int:batch_id>")
def batch(batch_id: int):
    batch = _batch_or_404(batch_id)
    return render("imports/batch.html", batch=batch, blocker=engine.undo_blocker(batch))


@bp.post("/parti/<int:batch_id>/fortryd")
def undo(batch_id: int):
    batch = _batch_or_404(batch_id)
    try:
        count = engine.undo(batch, current_user)
    except engine.UndoRefused as error:
        db.session.rollback()
        return render("imports/batch.html", status=409, batch=batch, blocker=str(error))
    db.session.commit()
    return render("imports/batch.html", batch=batch, blocker=engine.undo_blocker(batch),
                  message=_("Importen er fortrudt: %(n)s målinger er sat tilbage.", n=count))


@bp.get("/skabelon.xlsx")
def template():
    """A pre-filled file: every school the user may import into, with its institutionsnummer."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Målinger"
    sheet.append(["Institutionsnummer", "Skole", "Skoleår", "Værdi", "Antal elever"])
    for school in db.session.scalars(sa.select(School).order_by(School.name)):
        if can(current_user, "import.create", school):
            sheet.append([school.institution_number or "", school.name, "", None, None])
    out = io.BytesIO()
    book.save(out)
    response = make_response(out.getvalue())
    response.mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response.headers["Content-Disposition"] = 'attachment; filename="maalpil-maalinger-skabelon.xlsx"'
    return response
