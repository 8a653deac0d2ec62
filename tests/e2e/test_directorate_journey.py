"""DESIGN journey 3 and the administrator's week, in the browser.

The directorate opens "Overblik" (schools × political goals), filters it in place, follows the
signals to a school, opens a cell, exports and prints for the Skoleudvalg, keeps a watchlist; a
consultant sees only the assigned schools; the administrator creates and deactivates a user.

The demo database is shared with other test files that change statuses, so nothing here pins a
status or a count other tests may move: rows and columns are names, and the data this file
creates carries a unique marker.
"""

import csv
import io
import re
import uuid

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, log_in

DIRECTORATE = "skolechef@demo.maalpil.dk"
ADMIN = "admin@demo.maalpil.dk"
CONSULTANT = "konsulent@demo.maalpil.dk"

ALL_SCHOOLS = [
    "Bøgelund Skole", "Fjordglimt Skole", "Hedebo Skole", "Herningvej Skole", "Højagerskolen", "Kildemoseskolen",
    "Lyngholt Skole", "Lærkevangskolen", "Mølledalens Skole", "Ravnsbjerg Skole", "Skovbrynets Skole",
    "Strandengskolen", "Vestergårdsskolen", "Østerhøj Skole",
]
NORTH = ["Fjordglimt Skole", "Lyngholt Skole", "Strandengskolen"]
CONSULTANT_SCHOOLS = ["Fjordglimt Skole", "Herningvej Skole", "Mølledalens Skole", "Vestergårdsskolen", "Østerhøj Skole"]
# Political goals (seed/): the vision's markers and the two policies; Trivsel tags goals 2, 3, 6, 7.
GOAL_LEARNING = "Alle kan se, at de bliver dygtigere hver dag"
GOAL_FRIEND = "Alle har en ven i skolen"
GOAL_COURAGE = "Alle har mod på at deltage i verden"


def results(page):
    return page.locator("#overview-results")


def matrix(page):
    return page.get_by_role("table", name="Skoler og politiske mål: samlet status for tiltagene")


def school_row(page, school: str):
    return matrix(page).get_by_role("row").filter(has=page.get_by_role("rowheader", name=school, exact=False))


def cell_link(page, school: str, goal: str):
    """The link of the matrix cell in ``school``'s row under ``goal``'s column."""
    headers = matrix(page).locator("thead th")
    names = [h.inner_text().strip() for h in headers.all()]
    full = [h.get_attribute("title") or "" for h in matrix(page).locator("thead th a").all()]
    index = next(i for i, name in enumerate(full, start=1) if name == goal)
    assert index < len(names)
    return school_row(page, school).locator("td").nth(index - 1).get_by_role("link")


def mark_page(page):
    """A flag in the window: it survives an htmx swap, not a page load."""
    page.evaluate("() => { window.__sameDocument = true; }")


def same_document(page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


def announced(page):
    return page.locator("#announcer")


def open_overview(page):
    page.goto("/overblik")
    expect(page.get_by_role("heading", name="Overblik", level=1)).to_be_visible()
    expect(matrix(page)).to_be_visible()


# --- 1. the matrix --------------------------------------------------------------------------------


def test_overview_is_a_matrix_of_schools_and_political_goals(page, sign_in):
    sign_in(DIRECTORATE)
    page.get_by_role("link", name="Overblik").first.click()
    expect(page).to_have_url(re.compile(r"/overblik$"))
    expect(page.get_by_role("heading", name="Overblik", level=1)).to_be_visible()
    table = matrix(page)
    for goal in (GOAL_LEARNING, GOAL_FRIEND, GOAL_COURAGE, "Børne- og ungepolitik", "Skolepolitiske mål"):
        expect(table.get_by_role("columnheader", name=goal)).to_be_visible()
    for school in ALL_SCHOOLS:
        expect(table.get_by_role("rowheader", name=re.compile("^" + re.escape(school)))).to_be_visible()
    expect(table.get_by_role("rowheader", name="Klynge Nord")).to_be_visible()
    # Each cell: a status word and how many initiatives, never colour alone.
    cell = cell_link(page, "Hedebo Skole", GOAL_LEARNING)
    expect(cell).to_have_text(re.compile(r"(Ikke startet|I gang|På rette spor|Udfordret|Gennemført|Stoppet)\d+ tiltag"))
    expect(results(page)).to_contain_text("14 skoler vises.")


# --- 2. filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", ["desktop", "tablet"], indirect=True)
def test_filters_update_the_matrix_in_place_and_live_in_the_url(page, sign_in):
    sign_in(DIRECTORATE)
    open_overview(page)
    mark_page(page)
    table = matrix(page)

    page.get_by_label("Klynge").select_option(label="Klynge Nord")
    expect(page).to_have_url(re.compile(r"/overblik\?.*klynge=1"))
    expect(table.get_by_role("rowheader", name="Hedebo Skole")).to_have_count(0)
    for school in NORTH:
        expect(table.get_by_role("rowheader", name=re.compile("^" + re.escape(school)))).to_be_visible()
    expect(announced(page)).to_have_text(re.compile(r"\d+ skoler vises\."))

    page.get_by_label("Tema").select_option(label="Trivsel")
    expect(page).to_have_url(re.compile(r"klynge=1.*tema=2|tema=2.*klynge=1"))
    expect(table.get_by_role("columnheader", name=GOAL_FRIEND)).to_be_visible()
    expect(table.get_by_role("columnheader", name=GOAL_LEARNING)).to_have_count(0)

    page.get_by_label("Niveau (Learning Pipeline)").select_option(label="Leder af medarbejdere")
    expect(page).to_have_url(re.compile(r"niveau=2"))
    page.get_by_label("Strategiperiode").select_option(label="2021-2023")
    expect(page).to_have_url(re.compile(r"periode=3"))
    expect(page.get_by_label("Strategiperiode")).to_have_value("3")
    assert same_document(page), "a filter change reloaded the page instead of swapping the results"

    # Reload: the filters come back from the URL.
    page.reload()
    expect(page.get_by_label("Klynge")).to_have_value("1")
    expect(page.get_by_label("Tema")).to_have_value("2")
    expect(page.get_by_label("Niveau (Learning Pipeline)")).to_have_value("2")
    expect(page.get_by_label("Strategiperiode")).to_have_value("3")
    expect(matrix(page).get_by_role("columnheader", name=GOAL_LEARNING)).to_have_count(0)

    # Back, step by step: period, level, then theme come off again.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"periode=3"))
    expect(page.get_by_label("Niveau (Learning Pipeline)")).to_have_value("2")
    expect(page.get_by_label("Strategiperiode")).not_to_have_value("3")
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"niveau="))
    expect(page.get_by_label("Niveau (Learning Pipeline)")).to_have_value("")
    expect(matrix(page).get_by_role("columnheader", name=GOAL_LEARNING)).to_have_count(0)  # still the theme's
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"tema="))
    expect(page.get_by_label("Tema")).to_have_value("")
    expect(page.get_by_label("Klynge")).to_have_value("1")
    expect(matrix(page).get_by_role("columnheader", name=GOAL_LEARNING)).to_be_visible()
    expect(matrix(page).get_by_role("rowheader", name="Hedebo Skole")).to_have_count(0)

    page.get_by_role("link", name="Nulstil filtre").click()
    expect(page.get_by_label("Klynge")).to_have_value("")
    expect(matrix(page).get_by_role("rowheader", name=re.compile("^Hedebo Skole"))).to_be_visible()


# --- 3. signals -----------------------------------------------------------------------------------


def test_signals_show_stale_schools_and_the_conversation_cadence_and_drill_down(page, sign_in):
    sign_in(DIRECTORATE)
    open_overview(page)
    page.get_by_role("link", name="Signaler og watchlist").click()
    expect(page.get_by_role("heading", name="Signaler og watchlist", level=1)).to_be_visible()

    stale = page.get_by_role("region", name=re.compile("Strategi ikke opdateret i 60 dage"))
    expect(stale.get_by_role("rowheader", name="Ravnsbjerg Skole")).to_be_visible()
    expect(stale.get_by_role("row").filter(has_text="Ravnsbjerg Skole")).to_contain_text(re.compile(r"\d+ dage siden"))
    behind = page.get_by_role("region", name=re.compile("Bagud med opfølgningssamtaler"))
    expect(behind).to_contain_text("4-6 om året")
    expect(behind.get_by_role("row").filter(has_text="Ravnsbjerg Skole")).to_contain_text("bagud")

    # The matrix marks the same school.
    page.get_by_role("link", name="Skoler × politiske mål").click()
    expect(school_row(page, "Ravnsbjerg Skole").get_by_role("rowheader")).to_contain_text("Ikke opdateret")

    page.go_back()
    stale = page.get_by_role("region", name=re.compile("Strategi ikke opdateret i 60 dage"))
    stale.get_by_role("link", name="Ravnsbjerg Skole").click()
    expect(page.get_by_role("heading", name="Ravnsbjerg Skole", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/skoler/\d+"))
    page.go_back()
    behind = page.get_by_role("region", name=re.compile("Bagud med opfølgningssamtaler"))
    behind.get_by_role("link", name="Ravnsbjerg Skole").click()
    expect(page).to_have_url(re.compile(r"/skoler/\d+/opfoelgning"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ravnsbjerg Skole")


# --- 4. a cell's initiatives ----------------------------------------------------------------------

HEDEBO_LEARNING = [
    "Matematikvejleder i co-teaching på 4.-6. årgang",
    "Problemløsende matematik med konkrete materialer",
    "Datamøder i matematikteamet hver 6. uge",
]


def test_a_cell_opens_its_initiatives_in_place_and_closes_back_to_the_cell(page, sign_in):
    sign_in(DIRECTORATE)
    open_overview(page)
    url = page.url
    mark_page(page)
    cell = cell_link(page, "Hedebo Skole", GOAL_LEARNING)
    expect(cell).to_contain_text("3 tiltag")
    cell.click()

    panel = page.get_by_role("region", name=f"Hedebo Skole: {GOAL_LEARNING}")
    heading = panel.get_by_role("heading", name=f"Hedebo Skole: {GOAL_LEARNING}")
    expect(heading).to_be_focused()
    expect(panel).to_contain_text("3 tiltag tjener det politiske mål.")
    for title in HEDEBO_LEARNING:
        row = panel.get_by_role("row").filter(has=page.get_by_role("rowheader", name=title))
        expect(row).to_contain_text("Løft i matematik på mellemtrinnet")
        expect(row).to_contain_text(re.compile("Ikke startet|I gang|På rette spor|Udfordret|Gennemført|Stoppet"))
    expect(cell).to_have_attribute("aria-current", "true")
    assert page.url == url and same_document(page), "the cell opened a new page instead of the panel"

    # Close: the panel goes, focus is back on the cell.
    panel.get_by_role("button", name=re.compile("^Luk")).click()
    expect(panel).to_have_count(0)
    expect(cell).to_be_focused()
    expect(cell).not_to_have_attribute("aria-current", "true")

    # Another cell, closed with Escape.
    other = cell_link(page, "Herningvej Skole", GOAL_FRIEND)
    other.click()
    expect(page.get_by_role("heading", name=f"Herningvej Skole: {GOAL_FRIEND}")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name=f"Herningvej Skole: {GOAL_FRIEND}")).to_have_count(0)
    expect(other).to_be_focused()

    # An initiative's title leads to the initiative; back returns to the overview.
    cell.click()
    page.get_by_role("link", name=HEDEBO_LEARNING[0]).click()
    expect(page.get_by_role("heading", name=HEDEBO_LEARNING[0], level=1)).to_be_visible()
    page.go_back()
    expect(page).to_have_url(url)
    expect(matrix(page)).to_be_visible()


def test_a_cell_as_its_own_page_links_back_to_the_filtered_overview(page, sign_in):
    sign_in(DIRECTORATE)
    page.goto("/overblik?klynge=4")
    href = cell_link(page, "Hedebo Skole", GOAL_LEARNING).get_attribute("href")
    page.goto(href)
    expect(page.get_by_role("heading", name=f"Hedebo Skole: {GOAL_LEARNING}")).to_be_visible()
    for title in HEDEBO_LEARNING:
        expect(page.get_by_role("rowheader", name=title)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Luk"))).to_have_count(0)
    page.get_by_role("link", name="Tilbage til overblikket").click()
    expect(page).to_have_url(re.compile(r"/overblik\?.*klynge=4"))
    expect(page.get_by_label("Klynge")).to_have_value("4")


# --- 7. keyboard only -----------------------------------------------------------------------------


def tab_to(page, predicate_js: str, limit: int = 80, key: str = "Tab"):
    """Press Tab (or ``key``) until the focused element satisfies ``predicate_js`` (a JS function of it)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"() => ({predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_keyboard_only_filter_and_open_a_cell(page, sign_in):
    sign_in(DIRECTORATE)
    open_overview(page)
    mark_page(page)
    tab_to(page, "el => el.id === 'filter-klynge'")
    klynge = page.get_by_label("Klynge")
    expect(klynge).to_be_focused()
    page.keyboard.press("ArrowDown")  # Alle klynger -> Klynge Nord
    expect(page).to_have_url(re.compile(r"klynge=1"))
    expect(matrix(page).get_by_role("rowheader", name="Hedebo Skole")).to_have_count(0)
    expect(klynge).to_be_focused()
    expect(klynge).to_have_value("1")

    tab_to(page, "el => el.matches('a.matrix-cell')")
    cell = page.locator(":focus")
    expect(cell).to_have_class(re.compile("matrix-cell"))
    page.keyboard.press("Enter")
    heading = page.locator("#cell-heading")
    expect(heading).to_be_focused()
    expect(heading).to_contain_text(re.compile("^(" + "|".join(map(re.escape, NORTH)) + "): "))
    page.keyboard.press("Tab")
    close = page.get_by_role("button", name=re.compile("^Luk"))
    expect(close).to_be_focused()
    page.keyboard.press("Space")
    expect(heading).to_have_count(0)
    expect(page.locator("a.matrix-cell").first).to_be_focused()
    assert same_document(page)

    # The submit button works from the keyboard too (without JS it is the way to filter).
    tab_to(page, "el => el.id === 'filter-tema'", key="Shift+Tab")
    page.keyboard.press("ArrowDown")  # Læring
    expect(page).to_have_url(re.compile(r"tema=1"))
    tab_to(page, "el => el.type === 'submit' && el.textContent.trim() === 'Vis'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"klynge=1.*tema=1|tema=1.*klynge=1"))
    expect(matrix(page).get_by_role("columnheader", name=GOAL_FRIEND)).to_have_count(0)


# --- 5. exports and reports -----------------------------------------------------------------------


def screen_schools(page) -> list[str]:
    """The school names of the matrix's rows, as shown (without the flags after them)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.overview-matrix tbody th[scope=row]'))
                 .map(th => th.firstChild.textContent.trim())"""
    )


def test_excel_and_csv_exports_hold_what_the_screen_shows(page, sign_in):
    sign_in(DIRECTORATE)
    open_overview(page)
    page.get_by_label("Klynge").select_option(label="Klynge Nord")
    expect(matrix(page).get_by_role("rowheader", name="Hedebo Skole")).to_have_count(0)
    shown = screen_schools(page)
    assert set(NORTH) <= set(shown) and "Hedebo Skole" not in shown

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (.xlsx): overblik, mål og tiltag").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    school_column = header.index("Skole")
    in_file = [row[school_column] for row in rows[1:] if row and row[school_column]]
    assert in_file == shown
    assert any(GOAL_LEARNING.startswith((h or "").rstrip("…")) for h in header if h not in ("Klynge", "Skole"))

    with page.expect_download() as info:
        page.get_by_role("link", name="overblik", exact=True).click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    column = table[0].index("Skole")
    assert [row[column] for row in table[1:] if row] == shown


def test_reports_print_and_download_as_pdf(page, sign_in):
    sign_in(DIRECTORATE)
    page.goto("/overblik?klynge=4")
    page.get_by_role("link", name="Rapport pr. politisk mål (print/PDF)").click()
    expect(page.get_by_role("heading", name="Status pr. politisk mål", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/overblik/rapporter/politiske-maal\?.*klynge=4"))
    for goal in (GOAL_LEARNING, GOAL_FRIEND, "Skolepolitiske mål"):
        expect(page.get_by_role("heading", name=re.compile("^" + re.escape(goal)), level=2)).to_be_visible()
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("() => window.__printed === true")
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent som PDF").click()
    assert info.value.suggested_filename.endswith(".pdf")
    assert open(info.value.path(), "rb").read(5) == b"%PDF-"

    # One school's report, from the reports page.
    page.get_by_role("link", name="Alle rapporter").click()
    expect(page.get_by_role("heading", name="Rapporter", level=1)).to_be_visible()
    page.get_by_role("link", name="Vis Hedebo Skole").click()
    expect(page.get_by_role("heading", name="Hedebo Skole", level=1)).to_be_visible()
    for title in HEDEBO_LEARNING:
        expect(page.get_by_text(title, exact=True).first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent som PDF").click()
    assert open(info.value.path(), "rb").read(5) == b"%PDF-"


# --- 6. watchlist ---------------------------------------------------------------------------------


def test_watchlist_add_and_remove_in_place_announced_and_kept(page, sign_in):
    reason = f"Faldende trivsel i udskolingen ({uuid.uuid4().hex[:8]})"
    sign_in(DIRECTORATE)
    page.goto("/overblik/signaler")
    mark_page(page)
    watchlist = page.locator("#watchlist")
    form = page.locator("form.watchlist-form")

    # No school chosen: the message sits at the field, the reason is kept.
    form.get_by_label("Begrundelse").fill(reason)
    form.get_by_role("button", name="Sæt på watchlist").click()
    school = form.get_by_label("Skole")
    expect(school).to_have_attribute("aria-invalid", "true")
    error = page.locator("#" + school.get_attribute("id") + "-error")
    expect(error).to_have_text("Fejl: Vælg en skole.")
    expect(school).to_have_attribute("aria-describedby", re.compile(school.get_attribute("id") + "-error"))
    expect(form.get_by_label("Begrundelse")).to_have_value(reason)

    form.get_by_label("Skole").select_option(label="Strandengskolen")
    form.get_by_role("button", name="Sæt på watchlist").click()
    row = watchlist.get_by_role("row").filter(has_text=reason)
    expect(row.get_by_role("rowheader")).to_have_text("Strandengskolen")
    expect(announced(page)).to_have_text("Strandengskolen er sat på watchlisten.")
    expect(page.get_by_role("heading", name="Watchlist", level=2)).to_be_focused()
    expect(form.get_by_label("Begrundelse")).to_have_value("")
    assert same_document(page)

    page.reload()
    expect(page.locator("#watchlist").get_by_role("row").filter(has_text=reason)).to_be_visible()
    page.get_by_role("link", name="Skoler × politiske mål").click()
    expect(school_row(page, "Strandengskolen").get_by_role("rowheader")).to_contain_text("Watchlist")
    page.go_back()

    row = page.locator("#watchlist").get_by_role("row").filter(has_text=reason)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Fjern Strandengskolen").click()
    expect(row).to_have_count(0)
    expect(announced(page)).to_have_text("Strandengskolen er fjernet fra watchlisten.")
    expect(page.get_by_role("heading", name="Watchlist", level=2)).to_be_focused()
    page.reload()
    expect(page.locator("#watchlist")).not_to_contain_text(reason)


# --- 8. a consultant's overview -------------------------------------------------------------------


def test_a_consultant_sees_only_the_assigned_schools(page, sign_in, open_page):
    directorate = log_in(open_page(), DIRECTORATE)
    directorate.goto("/overblik")
    other_school_cell = cell_link(directorate, "Hedebo Skole", GOAL_LEARNING).get_attribute("href")

    sign_in(CONSULTANT)
    page.goto("/overblik")
    expect(page.get_by_role("heading", name="Overblik", level=1)).to_be_visible()
    assert sorted(screen_schools(page)) == sorted(CONSULTANT_SCHOOLS)
    expect(results(page)).to_contain_text(f"{len(CONSULTANT_SCHOOLS)} skoler vises.")
    with page.expect_download() as info:
        page.get_by_role("link", name="overblik", exact=True).click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    assert "Hedebo Skole" not in text and "Herningvej Skole" in text
    # Another school's cell is refused, not shown.
    response = page.goto(other_school_cell)
    assert response.status == 403
    expect(page.get_by_text("Hedebo Skole")).to_have_count(0)


# --- 9. the administrator -------------------------------------------------------------------------


def test_admin_creates_a_user_after_a_validation_error_and_deactivates_them_in_place(page, sign_in):
    marker = uuid.uuid4().hex[:8]
    name = f"Anne Holm {marker}"
    email = f"anne.holm.{marker}@demo.maalpil.dk"
    sign_in(ADMIN)
    page.goto("/admin")
    page.get_by_role("link", name="Brugere").first.click()
    expect(page.get_by_role("heading", name="Brugere", level=1)).to_be_visible()
    page.get_by_role("link", name="Opret bruger").click()
    expect(page.get_by_role("heading", name="Opret bruger", level=1)).to_be_visible()
    mark_page(page)

    page.get_by_label("E-mailadresse").fill(f"anne.holm.{marker}@")
    page.get_by_label("Navn", exact=True).fill(name)
    page.get_by_label("Stilling").fill("Afdelingsleder")
    page.get_by_label("Rolle").select_option(label="Skoleleder")
    page.get_by_label("Skole", exact=True).select_option(label="Hedebo Skole")
    expect(page.locator('input[type="password"]')).to_have_count(0)  # the person chooses it from the invitation
    page.get_by_role("button", name="Opret bruger").click()

    # The summary takes focus; each message sits at its field; what was typed is still there.
    summary = page.get_by_role("alert").filter(has_text="Der er problemer")
    expect(summary).to_be_focused()
    email_field = page.get_by_label("E-mailadresse")
    expect(email_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_have_text("Fejl: Skriv en gyldig e-mailadresse, fx navn@kommune.dk.")
    expect(email_field).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(page.locator(".form-group").filter(has=email_field)).to_contain_text("Skriv en gyldig e-mailadresse")
    expect(email_field).to_have_value(f"anne.holm.{marker}@")
    expect(page.get_by_label("Navn", exact=True)).to_have_value(name)
    expect(page.get_by_label("Stilling")).to_have_value("Afdelingsleder")
    expect(page.get_by_label("Skole", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Skole", exact=True).locator("option:checked")).to_have_text("Hedebo Skole")
    assert same_document(page), "the form error reloaded the page"
    assert axe_violations(page) == []

    # The summary's link takes the keyboard to the field.
    summary.get_by_role("link", name=re.compile("e-mailadresse")).click()
    expect(email_field).to_be_focused()

    email_field.fill(email)
    page.get_by_role("button", name="Opret bruger").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.locator("#flash")).to_contain_text(f"Brugeren {name} er oprettet og har fået en invitation på e-mail.")
    expect(page.get_by_role("heading", name=name, level=1)).to_contain_text("Aktiv")
    user_url = page.url

    page.get_by_role("navigation", name="Brødkrumme").get_by_role("link", name="Brugere").click()
    page.get_by_label("Søg på navn eller e-mail").fill(marker)
    expect(page).to_have_url(re.compile(r"q=" + marker))
    row = page.get_by_role("row").filter(has_text=email)
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("Skoleleder")
    expect(row).to_contain_text("Hedebo Skole")
    expect(row).to_contain_text("Aktiv")
    row.get_by_role("link", name=name).click()
    expect(page).to_have_url(user_url)

    # Deactivate in place: confirmed, the status changes, announced, focus on the section.
    mark_page(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Deaktivér bruger").click()
    access = page.get_by_role("region", name="Adgang", exact=True)
    expect(access).to_contain_text("Brugeren er deaktiveret og kan ikke logge ind.")
    expect(access.get_by_role("heading", name="Adgang")).to_be_focused()
    expect(page.get_by_role("heading", name=name, level=1)).to_contain_text("Deaktiveret")
    expect(announced(page)).to_have_text(f"{name} er deaktiveret og logget ud overalt.")
    assert same_document(page)
    page.reload()
    expect(page.get_by_role("heading", name=name, level=1)).to_contain_text("Deaktiveret")
    expect(page.get_by_role("button", name="Genaktivér bruger")).to_be_visible()
    page.goto(f"/admin/brugere?q={marker}&status=inactive")
    expect(page.get_by_role("row").filter(has_text=email)).to_contain_text("Deaktiveret")

    # The new account cannot sign in.
    other = log_in(page.context.browser.new_context(base_url=page.url.split("/admin")[0]).new_page(), email,
                   "Et-langt-kodeord-2026")
    expect(other.locator(".form-error-message")).to_be_visible()
    other.context.close()


# --- 10. accessibility ----------------------------------------------------------------------------


def test_directorate_pages_have_no_serious_accessibility_violations(page, sign_in):
    sign_in(DIRECTORATE)
    open_overview(page)
    assert axe_violations(page) == [], "overview"
    page.get_by_label("Klynge").select_option(label="Klynge Vest")
    page.get_by_label("Tema").select_option(label="Trivsel")
    expect(page).to_have_url(re.compile(r"tema=2"))
    expect(matrix(page).get_by_role("columnheader", name=GOAL_LEARNING)).to_have_count(0)
    assert axe_violations(page) == [], "overview, filtered"
    cell_link(page, "Hedebo Skole", GOAL_COURAGE).click()
    expect(page.locator("#cell-heading")).to_be_focused()
    assert axe_violations(page) == [], "overview with a cell opened"

    page.get_by_role("link", name="Signaler og watchlist").click()
    expect(page.get_by_role("heading", name="Signaler og watchlist", level=1)).to_be_visible()
    assert axe_violations(page) == [], "signals"
    page.locator("form.watchlist-form").get_by_role("button", name="Sæt på watchlist").click()
    expect(page.locator("form.watchlist-form").get_by_label("Skole")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == [], "watchlist form with errors"

    page.get_by_role("link", name="Skoler × politiske mål").click()
    matrix(page).get_by_role("link", name=GOAL_FRIEND).click()
    expect(page.get_by_role("heading", name=GOAL_FRIEND, level=1)).to_be_visible()
    assert axe_violations(page) == [], "per political goal"

    page.goto("/overblik/rapporter")
    expect(page.get_by_role("heading", name="Rapporter", level=1)).to_be_visible()
    assert axe_violations(page) == [], "reports index"
    page.get_by_role("link", name="Vis rapporten").click()
    expect(page.get_by_role("heading", name="Status pr. politisk mål", level=1)).to_be_visible()
    assert axe_violations(page) == [], "goals report"
    page.go_back()
    page.get_by_role("link", name="Vis Herningvej Skole").click()
    expect(page.get_by_role("heading", name="Herningvej Skole", level=1)).to_be_visible()
    assert axe_violations(page) == [], "school report"


def test_admin_pages_have_no_serious_accessibility_violations(page, sign_in):
    sign_in(ADMIN)
    page.goto("/admin/brugere")
    expect(page.get_by_role("heading", name="Brugere", level=1)).to_be_visible()
    assert axe_violations(page) == [], "users"
    page.get_by_role("link", name="Opret bruger").click()
    page.get_by_role("button", name="Opret bruger").click()
    expect(page.get_by_label("E-mailadresse")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_have_text("Fejl: Skriv brugerens e-mailadresse.")
    assert axe_violations(page) == [], "user form with errors"
