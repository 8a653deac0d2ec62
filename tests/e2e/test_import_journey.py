"""DESIGN journey 7 in the browser: the data consultant imports the trivsel file for every school.

Upload a csv as Danish Excel saves it, check the guessed columns, choose the fælles indikator,
read the preview (with a bad row), confirm, import the same file again (nothing changes), undo.
"""

import io

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, log_in

ADMIN = "admin@demo.maalpil.dk"


def _numbers(page) -> list[str]:
    response = page.request.get("/import/skabelon.xlsx")
    assert response.ok
    sheet = load_workbook(io.BytesIO(response.body())).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]


def _upload(page, content: bytes):
    page.goto("/import/")
    page.get_by_label("Fil (xlsx eller csv)").set_input_files(
        files=[{"name": "trivsel-2033.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Læs filen").click()
    expect(page.get_by_role("heading", name="Hvilke kolonner er hvad?")).to_be_visible()
    # Guessed from the headers.
    expect(page.get_by_label("Institutionsnummer eller skole")).to_have_value("0")
    expect(page.get_by_label("Skoleår, år eller dato")).to_have_value("1")
    expect(page.get_by_label("Værdi", exact=True)).to_have_value("2")
    page.get_by_role("button", name="Videre").click()
    expect(page.get_by_role("heading", name="Hvad er tallene målinger af?")).to_be_visible()
    page.get_by_role("button", name="Brug den fælles indikator").click()


def test_import_preview_confirm_reimport_and_undo(page):
    log_in(page, ADMIN)
    numbers = _numbers(page)
    assert len(numbers) == 14
    rows = [f"{n};2032/33;{80 + i},5;{150 + i}" for i, n in enumerate(numbers[:3])] + ["999999;2032/33;77,0;100"]
    content = ("Institutionsnummer;Skoleår;Andel (%);Antal elever\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1252")

    _upload(page, content)
    expect(page.get_by_role("navigation", name="Trin i importen")).to_be_visible()
    preview = page.locator("table.import-preview")
    expect(preview.get_by_text("Ukendt institutionsnummer")).to_be_visible()
    new = int(page.locator('[data-count="new"]').inner_text())
    assert new >= 1  # the schools whose trivsel goal is linked to the fælles indikator
    assert page.locator('[data-count="unusable"]').inner_text() != "0"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Godkend og importér").click()
    expect(page.get_by_role("heading", name="Import af trivsel-2033.csv")).to_be_visible()
    expect(page.locator('[data-count="new"]')).to_have_text(str(new))
    batch_url = page.url

    # The same file again changes nothing.
    _upload(page, content)
    expect(page.get_by_text("Der er intet at importere")).to_be_visible()
    expect(page.locator('[data-count="unchanged"]')).to_have_text(str(new))

    # Undo the whole import.
    page.goto(batch_url)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Fortryd hele importen").click()
    expect(page.get_by_text("Importen er fortrudt")).to_be_visible()
    expect(page.get_by_role("button", name="Fortryd hele importen")).to_have_count(0)


def test_a_broken_file_is_refused_with_a_danish_message(page):
    log_in(page, ADMIN)
    page.goto("/import/")
    page.get_by_label("Fil (xlsx eller csv)").set_input_files(
        files=[{"name": "resultater.xlsm", "mimeType": "application/vnd.ms-excel.sheet.macroEnabled.12", "buffer": b"PK\x03\x04x"}]
    )
    page.get_by_role("button", name="Læs filen").click()
    expect(page.get_by_role("alert")).to_contain_text("makroer")
    expect(page.get_by_role("alert")).to_contain_text("Intet er ændret")
