"""Exports of the overview: Excel with a sheet per table and real types, CSV for Danish Excel."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from strategy.models import Conclusion, Evaluation
from strategy.extensions import db


@pytest.fixture
def town(make):
    return make.town()


def workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.data))


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_xlsx_has_a_sheet_per_table_with_bold_frozen_headers(client, login_as, town):
    login_as(town.directorate)
    response = client.get("/overblik/eksport.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="maalpil-overblik-2021-2023-') and disposition.endswith('.xlsx"')

    book = workbook(response)
    assert book.sheetnames == ["Overblik", "Mål", "Tiltag", "Resultater", "Resultater pr. politisk mål"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(c.font.bold for c in sheet[1] if c.value is not None)


def test_xlsx_matrix_sheet_has_a_row_per_school_with_status_and_count(client, login_as, town):
    login_as(town.directorate)
    sheet = workbook(client.get("/overblik/eksport.xlsx"))["Overblik"]
    header, *rows = rows_of(sheet)
    assert header[:2] == ("Klynge", "Skole")
    assert len(header) == 2 + 2 * 7  # status and count per political goal
    by_school = {r[1]: r for r in rows}
    assert list(by_school) == ["Aaskolen", "Bøgeskolen", "Cedervej Skole", "Herningvej Skole"]
    aaskolen = by_school["Aaskolen"]
    assert aaskolen[0] == "Nord"
    assert aaskolen[2:4] == ("Udfordret", 2)  # first political goal: status text, then a number
    assert isinstance(aaskolen[3], int)


def test_xlsx_goals_and_initiatives_have_numbers_as_numbers_and_dates_as_dates(client, login_as, town):
    db.session.add(Evaluation(initiative=town.a1, evaluated_on=date(2023, 3, 1), conclusion=Conclusion.ADJUST))
    db.session.commit()
    login_as(town.directorate)
    book = workbook(client.get("/overblik/eksport.xlsx"))

    header, *goals = rows_of(book["Mål"])
    goal = dict(zip(header, next(r for r in goals if r[3] == "Flere elever læser sikkert"), strict=True))
    assert goal["Skole"] == "Aaskolen" and goal["Strategiperiode"] == "2021-2023"
    assert goal["Baseline"] == 60 and goal["Målværdi"] == 80 and goal["Seneste måling"] == 70
    assert isinstance(goal["Baseline"], float | int) and goal["Måleår"] == 2023
    assert goal["Politiske mål"] == town.pg_learning.text
    assert goal["Status"] == "Udfordret" and goal["Antal tiltag"] == 2

    header, *initiatives = rows_of(book["Tiltag"])
    assert len(initiatives) == 5
    a2 = dict(zip(header, next(r for r in initiatives if r[3] == "Legepatruljer"), strict=True))
    assert a2["Startdato"].date() == date(2022, 8, 1)  # a real date cell (openpyxl reads datetime)
    assert a2["Status"] == "På rette spor" and a2["Niveau"] == "Leder af medarbejdere"
    # It serves the learning goal through its goal and the friendship goal itself.
    assert a2["Politiske mål"] == f"{town.pg_learning.text}; {town.pg_friend.text}"
    a1 = dict(zip(header, next(r for r in initiatives if r[3] == "Læsebånd"), strict=True))
    assert a1["Seneste evaluering"] == "Justér" and a1["Evalueret"].date() == date(2023, 3, 1)
    date_cell = book["Tiltag"].cell(row=1 + initiatives.index(next(r for r in initiatives if r[3] == "Legepatruljer")) + 1, column=8)
    assert date_cell.is_date


def test_xlsx_honours_the_filters(client, login_as, town):
    login_as(town.directorate)
    book = workbook(client.get(f"/overblik/eksport.xlsx?klynge={town.a.cluster_id}&status=completed"))
    assert [r[1] for r in rows_of(book["Overblik"])[1:]] == ["Bøgeskolen"]
    assert {r[3] for r in rows_of(book["Tiltag"])[1:]} == {"Venskabsklasser", "Fælles frikvarter"}
    assert [r[3] for r in rows_of(book["Mål"])[1:]] == ["Alle har en ven"]


def test_xlsx_political_goal_filter_keeps_what_serves_it(client, login_as, town):
    login_as(town.directorate)
    book = workbook(client.get(f"/overblik/eksport.xlsx?maal={town.pg_friend.id}"))
    assert {r[3] for r in rows_of(book["Tiltag"])[1:]} == {"Legepatruljer", "Venskabsklasser", "Fælles frikvarter"}
    # Aaskolen's goal is kept: one of its initiatives serves the friendship goal.
    assert {r[3] for r in rows_of(book["Mål"])[1:]} == {"Flere elever læser sikkert", "Alle har en ven"}


@pytest.mark.parametrize(
    "who, schools",
    [
        ("consultant", {"Aaskolen", "Cedervej Skole"}),
        ("leader_b", {"Bøgeskolen"}),
        ("admin", {"Aaskolen", "Bøgeskolen", "Cedervej Skole"}),
    ],
)
def test_exports_contain_only_the_schools_the_user_may_see(client, login_as, town, who, schools):
    login_as(getattr(town, who))
    book = workbook(client.get("/overblik/eksport.xlsx"))
    assert {r[1] for r in rows_of(book["Tiltag"])[1:]} == schools
    assert {r[1] for r in rows_of(book["Mål"])[1:]} == schools
    listed = {r[1] for r in rows_of(book["Overblik"])[1:]}
    assert schools <= listed and listed - schools <= {"Herningvej Skole"}
    csv_schools = {row["Skole"] for row in csv_rows(client.get("/overblik/eksport/tiltag.csv"))}
    assert csv_schools == schools


def csv_rows(response) -> list[dict]:
    text = response.data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_csv_is_utf8_with_bom_semicolons_and_danish_letters(client, login_as, town):
    login_as(town.directorate)
    response = client.get("/overblik/eksport/tiltag.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="maalpil-tiltag-2021-2023-')
    assert response.data.startswith(b"\xef\xbb\xbf")
    header = response.data[3:].decode("utf-8").splitlines()[0]
    assert header.startswith("Klynge;Skole;Mål;Tiltag;")
    rows = csv_rows(response)
    names = {r["Tiltag"] for r in rows}
    assert {"Læsebånd", "Fælles frikvarter"} <= names
    assert next(r for r in rows if r["Tiltag"] == "Legepatruljer")["Startdato"] == "2022-08-01"


def test_csv_goals_use_a_decimal_comma(client, login_as, town):
    login_as(town.directorate)
    rows = csv_rows(client.get("/overblik/eksport/maal.csv"))
    bøge = next(r for r in rows if r["Skole"] == "Bøgeskolen")
    assert bøge["Seneste måling"] == "4,2"
    assert bøge["Baseline"] == "3"


def test_csv_of_the_matrix(client, login_as, town):
    login_as(town.consultant)
    rows = csv_rows(client.get("/overblik/eksport/overblik.csv"))
    assert [r["Skole"] for r in rows] == ["Aaskolen", "Cedervej Skole"]


def test_unknown_csv_table_is_404(client, login_as, town):
    login_as(town.directorate)
    assert client.get("/overblik/eksport/brugere.csv").status_code == 404
