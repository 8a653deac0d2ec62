"""Exports of the overview as Excel (.xlsx) and CSV, honouring the filters and the user's scope.

Excel: one sheet per table (Overblik, Mål, Tiltag), header row bold and frozen, real cell types
(numbers as numbers, dates as dates), so the directorate can sort and sum without cleaning up.

CSV: one table per file, UTF-8 with a byte-order mark and ``;`` as separator. That is what
Excel with Danish regional settings expects when a file is double-clicked: it reads the BOM as
UTF-8 (æ, ø, å come out right) and splits on the list separator, which is ``;`` where the
decimal separator is ``,``. Decimal numbers are therefore written with a decimal comma; dates
as ISO 8601 (2025-08-01), which Excel recognises in every locale.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from strategy import progress
from strategy.extensions import db
from strategy.labels import CONCLUSION as CONCLUSION_LABELS, DATA_TYPE as DATA_TYPE_LABELS, STATUS as STATUS_LABELS
from strategy.models import Period, PoliticalGoal, User
from strategy.overview import queries
from strategy.overview.filters import Filters, selected_columns, short_label
from strategy.permissions import SchoolScope

@dataclass
class Table:
    key: str  # file name part and CSV URL
    title: str  # sheet name (at most 31 characters)
    headers: list[str]
    rows: list[list[Any]]
    widths: list[int]


def build_tables(user: User, scope: SchoolScope, filters: Filters, only: str | None = None) -> list[Table]:
    """The export's tables: "overblik" (the matrix), "maal" and "tiltag"; ``only`` builds just one."""
    goals = progress.all_political_goals()
    matrix = queries.build_matrix(scope, filters, goals) if only in (None, "overblik") else None
    strategy = (
        queries.strategy_tables(user, filters, queries.scope_ids(scope, filters), goals) if only != "overblik" else None
    )
    statuses = queries.plain(STATUS_LABELS)
    statuses[None] = ""
    conclusions = queries.plain(CONCLUSION_LABELS)
    data_types = queries.plain(DATA_TYPE_LABELS)
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])

    def local_date(value: datetime | None) -> date | None:
        return value.astimezone(zone).date() if value is not None else None

    tables: list[Table] = []
    if matrix is not None:
        tables.append(_matrix_table(matrix, statuses))
    if strategy is not None:
        tables += _strategy_tables(strategy, statuses, conclusions, data_types, local_date)
    if only is None:  # the outcomes (strategy/progress.py): in the workbook only
        tables += _outcome_tables(user, scope, filters, goals)
    return [t for t in tables if only in (None, t.key)]


def _matrix_table(matrix, statuses) -> Table:
    headers = [_("Klynge"), _("Skole")]
    for pg in matrix.columns:
        label = short_label(pg, 40)
        headers += [label, f"{label} – {_('antal tiltag')}"]
    rows = []
    for group in matrix.groups:
        for row in group.rows:
            values: list[Any] = [group.cluster.name if group.cluster else "", row.school.name]
            for cell in row.cells:
                values += [statuses[cell.status], cell.total]
            rows.append(values)
    return Table("overblik", _("Overblik"), headers, rows, [18, 28] + [22, 10] * len(matrix.columns))


def _strategy_tables(strategy, statuses, conclusions, data_types, local_date) -> list[Table]:
    period_name = strategy.period.name if strategy.period else ""
    goal_rows = []
    for line in strategy.goals:
        g, latest = line.row, line.latest
        goal_rows.append(
            [
                g.cluster or "", g.school, period_name, g.title, "; ".join(pg.text for pg in line.political_goals),
                g.indicator, data_types[g.data_type] if g.data_type else "", g.unit, g.baseline_value, g.baseline_year,
                g.target_value, g.target_year, latest[1] if latest else None, latest[0] if latest else None,
                statuses[line.status], len(line.statuses),
            ]
        )

    initiative_rows = []
    for line in strategy.initiatives:
        i, e = line.row, line.evaluation
        initiative_rows.append(
            [
                i.cluster or "", i.school, i.goal, i.title, "; ".join(pg.text for pg in line.political_goals),
                i.level or "", i.responsible, i.start_date, i.end_date, statuses[i.status],
                local_date(i.status_changed_at), conclusions[e.conclusion] if e else None,
                e.evaluated_on if e else None, local_date(e.acted_on_at) if e else None,
            ]
        )

    return [
        Table(
            "maal",
            _("Mål"),
            [
                _("Klynge"), _("Skole"), _("Strategiperiode"), _("Mål"), _("Politiske mål"), _("Indikator"),
                _("Datatype"), _("Enhed"), _("Baseline"), _("Baselineår"), _("Målværdi"), _("Målår"),
                _("Seneste måling"), _("Måleår"), _("Status"), _("Antal tiltag"),
            ],
            goal_rows,
            [18, 28, 12, 40, 40, 30, 16, 10, 10, 10, 10, 10, 12, 10, 14, 10],
        ),
        Table(
            "tiltag",
            _("Tiltag"),
            [
                _("Klynge"), _("Skole"), _("Mål"), _("Tiltag"), _("Politiske mål"), _("Niveau"), _("Ansvarlig"),
                _("Startdato"), _("Slutdato"), _("Status"), _("Status ændret"), _("Seneste evaluering"),
                _("Evalueret"), _("Fulgt op"),
            ],
            initiative_rows,
            [18, 28, 36, 40, 40, 20, 20, 12, 12, 14, 14, 16, 12, 12],
        ),
    ]


def _outcome_tables(user: User, scope: SchoolScope, filters: Filters, political_goals: list[PoliticalGoal]) -> list[Table]:
    """Two sheets: progress per school × political goal, and per political goal the municipality
    followed by the schools by progress. Percentages as numbers (0.4 = 40 %)."""
    columns = selected_columns(political_goals, filters)
    found = queries.outcomes_for(user, scope, filters)
    cells = progress.outcome_cells(found)
    schools = queries.visible_schools(scope, filters)

    def share(value: float | None):
        return round(value, 4) if value is not None else None

    headers = [_("Klynge"), _("Skole")]
    for pg in columns:
        label = short_label(pg, 30)
        headers += [f"{label} – {_('nået af vejen')}", f"{label} – {_('mål')}", f"{label} – {_('bedre')}",
                    f"{label} – {_('dårligere')}"]
    rows = []
    for school in schools:
        values = [school.cluster.name if school.cluster else "", school.name]
        for pg in columns:
            cell = cells.get((school.id, pg.id)) or progress.OutcomeCell()
            values += [share(cell.progress), len(cell.outcomes), cell.count("better"), cell.count("worse")]
        rows.append(values)
    matrix = Table("resultater", _("Resultater"), headers, rows, [18, 28] + [16, 8, 8, 8] * len(columns))

    per_goal_rows = []
    for item in progress.municipal_outcomes(found, columns):
        per_goal_rows.append([item.political_goal.text, _("Hele kommunen"), "", share(item.total.progress),
                              len(item.total.outcomes), item.total.reached])
        for school in item.schools:
            per_goal_rows.append([item.political_goal.text, school.school, school.cluster or "",
                                  share(school.cell.progress), len(school.cell.outcomes), school.cell.reached])
    per_goal = Table(
        "resultater-pr-maal", _("Resultater pr. politisk mål"),
        [_("Politisk mål"), _("Skole"), _("Klynge"), _("Nået af vejen"), _("Mål"), _("Nået")],
        per_goal_rows, [40, 28, 18, 14, 8, 8],
    )
    return [matrix, per_goal]


def to_xlsx(tables: list[Table]) -> bytes:
    # Write-only mode streams rows: the full municipality exports in well under a second.
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.freeze_panes = "A2"
        for n, width in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        header = []
        for text in table.headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # a political goal's name may start like a formula
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            while row and row[-1] is None:  # empty trailing cells cost as much as full ones
                row = row[:-1]
            sheet.append([_xlsx_value(sheet, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# A spreadsheet reads a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _xlsx_value(sheet, value: Any) -> Any:
    """Text stays text: openpyxl would store "=HYPERLINK(...)" as a live formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def csv_text(value: str) -> str:
    """A text field a spreadsheet will not run: one that starts like a formula gets a leading
    apostrophe, as OWASP recommends; the text itself is kept whole."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",") if value == value else ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_text(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def filename(stem: str, filters: Filters, extension: str) -> str:
    """ASCII file name with the period and the day, e.g. maalpil-overblik-2021-2023-2025-11-23.xlsx."""
    period = db.session.get(Period, filters.period_id) if filters.period_id else None
    parts = ["maalpil", stem]
    if period is not None:
        parts.append("".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in period.key))
    parts.append(date.today().isoformat())
    return "-".join(parts) + "." + extension
