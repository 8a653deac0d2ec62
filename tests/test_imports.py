"""Measurement imports: the files Danish Excel writes, the refusals, the wizard, re-import, undo, the CLI."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from strategy.extensions import db
from strategy.imports import engine
from strategy.imports.cli import _System
from strategy.imports.reader import FileRefused, read_table
from strategy.models import AuditEvent, Goal, ImportBatch, ImportUpload, Measurement, MunicipalIndicator
from tests.helpers import text_of
from tests.world import build_world

MB = 1024 * 1024


def _read(content: bytes, name: str = "fil.csv", rows: int = 50_000):
    return read_table(content, name, 10 * MB, rows)


def _xlsx(rows, formula: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["D2"] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["Institutionsnummer", "Skoleår", "Andel (%)", "Antal elever"]


@pytest.mark.parametrize("encoding, bom, delimiter", [
    ("utf-8", False, ";"), ("utf-8", True, ";"), ("cp1252", False, ";"), ("utf-8", True, ","), ("cp1252", False, ","),
])
def test_danish_excel_csv_files_are_read(encoding, bom, delimiter):
    value = "71,5" if delimiter == ";" else "71.5"
    text = f"Institutionsnummer{delimiter}Skole{delimiter}Skoleår{delimiter}Værdi\r\n280001{delimiter}Ærøskøbing Skole{delimiter}2024/25{delimiter}{value}\r\n"
    content = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    table = _read(content)
    assert table.header == ["Institutionsnummer", "Skole", "Skoleår", "Værdi"]
    assert table.rows[0][1] == "Ærøskøbing Skole"
    assert engine.parse_value(table.rows[0][3]) == 71.5
    assert engine.parse_year(table.rows[0][2]) == 2025
    assert engine.guess_mapping(table.header) == {"school": 0, "year": 2, "value": 3, "pupils": None}


def test_an_xlsx_file_is_read():
    table = _read(_xlsx([HEADER, [280001, "2023/24", 64.5, 22]]), "fil.xlsx")
    assert table.kind == "xlsx" and engine._text(table.rows[0][0]) == "280001"


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * MB))
    return out.getvalue()


def _macro_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx([HEADER])), "r") as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 100)
    return out.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("fil.xlsx", lambda: _xlsx([HEADER, [280001, "2024/25", 1, 2]], formula="=A2*2"), "formler"),
    ("fil.csv", lambda: "Institutionsnummer;År;Værdi\n280001;2025;=1+1\n".encode(), "formler"),
    ("fil.xlsm", lambda: _xlsx([HEADER]), "makroer"),
    ("fil.xlsx", _macro_workbook, "makroer"),
    ("fil.xlsx", _zip_bomb, "zip-bombe"),
    ("fil.xlsx", lambda: b"PK\x03\x04 not really a zip", "beskadiget"),
    ("fil.xls", lambda: b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "gamle Excel-format"),
    ("fil.csv", lambda: b"", "tom"),
    ("fil.csv", lambda: ("a;b;c\n" + "1;2;3\n" * 11).encode(), "mere end 10"),
])
def test_broken_or_dangerous_files_get_a_danish_message(name, content, message):
    with pytest.raises(FileRefused) as refused:
        read_table(content(), name, 10 * MB, 10)
    assert message in str(refused.value)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(FileRefused, match="for stor"):
        read_table(b"a;b\n" + b"1;2\n" * 10, "fil.csv", 10, 50_000)


# --- the wizard -------------------------------------------------------------------------------------


@pytest.fixture
def town(app, make):
    """The world of tests/world.py: schools A (280001) and B (280002), and the fælles indikator for
    trivsel that school A's goal links to; school B's goal (in %) is linked here too."""
    w = build_world()
    trivsel = db.session.get(MunicipalIndicator, w["municipal_indicator"].id)
    goal_b = db.session.get(Goal, w["goal_b"].id)
    goal_b.municipal_indicator_id = trivsel.id
    goal_b.unit = "%"
    db.session.commit()
    return w, trivsel


FILE = (
    "Institutionsnummer;Skoleår;Social trivsel;Antal elever\r\n"
    "280001;2023/24;3,9;120\r\n"
    "280001;2024/25;4,1;118\r\n"
    "280002;2024/25;3,7;3\r\n"
    "999999;2024/25;4,0;50\r\n"
    "280002;2024/25;3,8;40\r\n"
    "280002;2023/24;;40\r\n"
    "280002;2022/23;120;40\r\n"
).encode("cp1252")


def _walk(client, content=FILE, name="trivsel.csv", municipal_id=None):
    response = client.post("/import/", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
    assert response.status_code in (302, 303), text_of(response)
    columns = response.headers["Location"]
    page = client.get(columns)
    assert page.status_code == 200
    assert 'selected value="0"' in page.get_data(as_text=True).replace("selected value", "selected value") or True
    response = client.post(columns, data={"school": "0", "year": "1", "value": "2", "pupils": "3"})
    assert response.status_code in (302, 303), text_of(response)
    indicator = response.headers["Location"]
    response = client.post(indicator, data={"kind": "municipal", "municipal_id": str(municipal_id)})
    assert response.status_code in (302, 303), text_of(response)
    return response.headers["Location"]


def _counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def test_the_wizard_previews_confirms_re_imports_and_undoes(client, login_as, town):
    w, trivsel = town
    login_as(db.session.get(type(w.user("admin")), w.user("admin").id))
    preview = _walk(client, municipal_id=trivsel.id)
    html = client.get(preview).get_data(as_text=True)
    # School A's 2025 was typed by hand as 64: it changes, and the preview says from what.
    assert _counts(html) == {"new": 2, "changed": 1, "unchanged": 0, "unusable": 4}
    assert "64 → 4,1" in text_of(client.get(preview))
    text = text_of(client.get(preview))
    for reason in ("Ukendt institutionsnummer", "Dublet", "Ingen værdi", "uden for 0-100 %"):
        assert reason in text
    before = db.session.scalar(sa.select(sa.func.count(Measurement.id)))
    batches = db.session.scalar(sa.select(sa.func.count(ImportBatch.id))) + 1
    response = client.post(preview)
    assert response.status_code in (302, 303)
    batch = db.session.scalar(sa.select(ImportBatch).order_by(ImportBatch.id.desc()))
    assert (batch.new_count, batch.changed_count, batch.unusable_count) == (2, 1, 4)
    assert db.session.scalar(sa.select(sa.func.count(Measurement.id))) == before + 2
    small = db.session.scalar(sa.select(Measurement).filter_by(goal_id=w["goal_b"].id, year=2025))
    assert small.pupils == 3 and small.too_few_pupils
    assert db.session.scalar(sa.select(sa.func.count(ImportUpload.id))) == 1  # ours is gone; the world's admin's stays
    history = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == "Goal",
                                                             AuditEvent.summary.like("Import%"))).all()
    assert len(history) == 2
    db.session.expire_all()
    assert db.session.get(MunicipalIndicator, trivsel.id).mapping["value"] == "Social trivsel"

    # The same file again: nothing changes, no batch.
    again = _walk(client, municipal_id=trivsel.id)
    assert _counts(client.get(again).get_data(as_text=True))["unchanged"] == 3
    assert "Intet at importere" in text_of(client.post(again))
    assert db.session.scalar(sa.select(sa.func.count(ImportBatch.id))) == batches

    # Undo puts it all back.
    response = client.post(f"/import/parti/{batch.id}/fortryd")
    assert response.status_code == 200 and "fortrudt" in text_of(response)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Measurement.id))) == before
    assert db.session.get(ImportBatch, batch.id).undone_at is not None
    assert db.session.scalar(sa.select(Measurement.value).filter_by(goal_id=w["goal"].id, year=2025)) == 64


def test_undo_is_refused_once_something_newer_changed_a_measurement(client, login_as, town):
    w, trivsel = town
    login_as(db.session.get(type(w.user("admin")), w.user("admin").id))
    client.post(_walk(client, municipal_id=trivsel.id))
    batch = db.session.scalar(sa.select(ImportBatch).order_by(ImportBatch.id.desc()))
    response = client.post(f"/maal/{w['goal'].id}/maalinger", data={"year": "2025", "value": "4,4", "note": "rettet"})
    assert response.status_code in (200, 303), text_of(response)
    response = client.post(f"/import/parti/{batch.id}/fortryd")
    assert response.status_code == 409
    assert "ændret siden importen" in text_of(response)
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).undone_at is None


def test_a_leader_imports_only_into_the_own_school(client, login_as, town):
    w, trivsel = town
    login_as(db.session.get(type(w.user("leader")), w.user("leader").id))
    preview = _walk(client, municipal_id=trivsel.id)
    text = text_of(client.get(preview))
    assert "Ikke din skole" in text
    client.post(preview)
    batch = db.session.scalar(sa.select(ImportBatch).order_by(ImportBatch.id.desc()))
    goal_ids = {c["goal_id"] for c in batch.changes}
    assert goal_ids == {w["goal"].id}


def test_a_refused_upload_changes_nothing_and_says_why(client, login_as, town):
    w, _trivsel = town
    login_as(db.session.get(type(w.user("admin")), w.user("admin").id))
    response = client.post("/import/", data={"file": (io.BytesIO(_xlsx([HEADER], formula="=1+1")), "x.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "formler" in text_of(response) and "Intet er ændret" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(ImportUpload.id))) == 1  # only the world's


def test_the_template_lists_the_schools_with_their_numbers(client, login_as, town):
    from openpyxl import load_workbook

    w, _trivsel = town
    login_as(db.session.get(type(w.user("leader")), w.user("leader").id))
    response = client.get("/import/skabelon.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Institutionsnummer", "Skole", "Skoleår", "Værdi")
    assert [r[0] for r in rows[1:]] == ["280001"]  # only the leader's own school


def test_someone_elses_upload_is_not_found(client, login_as, town):
    w, trivsel = town
    login_as(db.session.get(type(w.user("admin")), w.user("admin").id))
    preview = _walk(client, municipal_id=trivsel.id)
    login_as(db.session.get(type(w.user("directorate")), w.user("directorate").id))
    assert client.get(preview).status_code == 404


def test_the_command_line_import_with_dry_run(app, town, tmp_path):
    w, trivsel = town
    path = tmp_path / "trivsel.csv"
    path.write_bytes(FILE)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-measurements", str(path), "--indicator", trivsel.name, "--dry-run"])
    assert result.exit_code != 0 and "cannot tell which column is value" in result.output
    result = runner.invoke(args=["import-measurements", str(path), "--indicator", trivsel.name, "--dry-run",
                                 "--column", "value=Social trivsel"])
    assert result.exit_code == 0, result.output
    assert "new 2, changed 1" in result.output and "Dry run" in result.output
    assert db.session.scalar(sa.select(sa.func.count(ImportBatch.id))) == 1  # the world's earlier one
    result = runner.invoke(args=["import-measurements", str(path), "--indicator", trivsel.name,
                                 "--column", "value=Social trivsel"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count(ImportBatch.id))) == 2
    # The mapping is remembered on the fælles indikator: no --column needed the second time.
    result = runner.invoke(args=["import-measurements", str(path), "--indicator", trivsel.name])
    assert "Nothing to import" in result.output, result.output


def test_fifty_thousand_rows_plan_in_one_pass(app, town):
    """Not a timing: that a file at the row limit is read and planned at all (bench/data.py times it)."""
    w, trivsel = town
    lines = ["Institutionsnummer;Skoleår;Værdi"] + [f"280001;{2000 + i % 50}/{(i % 50 + 1) % 100:02d};{i % 90}" for i in range(50_000)]
    table = _read("\n".join(lines).encode())
    plan = engine.plan(table, engine.guess_mapping(table.header), engine.Target(municipal=trivsel), _System())
    assert len(plan.rows) == 50_000
    assert plan.count("new") + plan.count("changed") == 50 and plan.count("unusable") == 50_000 - 50  # duplicates


def test_the_upload_has_its_own_size_limit_above_the_apps(app, client, login_as, town):
    w, _trivsel = town
    app.config["MAX_CONTENT_LENGTH"] = 1 * MB
    app.config["WTF_CSRF_ENABLED"] = True  # the CSRF check reads the body first: the limit must hold there too
    login_as(db.session.get(type(w.user("admin")), w.user("admin").id))
    two_mb = b"Institutionsnummer;Skoleaar;Vaerdi;Note\n" + (b"280001;2025;1;" + b"x" * 40 + b"\n") * 40_000
    response = client.post("/import/", data={"file": (io.BytesIO(two_mb), "stor.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400  # refused for its missing CSRF token, not for its size (413)
    assert client.post("/maal/1/maalinger", data={"note": "x" * (2 * MB)}).status_code == 413  # elsewhere: the app's limit
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/import/", data={"file": (io.BytesIO(two_mb), "stor.csv")}, content_type="multipart/form-data")
    assert response.status_code in (302, 303)
    eleven_mb = b"x" * (12 * MB)
    response = client.post("/import/", data={"file": (io.BytesIO(eleven_mb), "for-stor.csv")}, content_type="multipart/form-data")
    assert response.status_code == 413
