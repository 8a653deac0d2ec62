"""A consultant's week (DESIGN journey 2) and the run-up to a LUS or 1:1 conversation (journey 4).

Every test makes its own notes, meetings and agreements, each text carrying a unique token, and
finds them by role, label and text; nothing depends on what other test files change.
"""

import re
import uuid
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, log_in

CONSULTANT = "konsulent@demo.maalpil.dk"
LEADER = "skoleleder@demo.maalpil.dk"  # Lene Bach Thomsen, Herningvej Skole
LEADER_OPTION = "Lene Bach Thomsen (Skoleleder)"
HERNINGVEJ = "Herningvej Skole"
# The Ledelseskonsulent's schools in the demo (strategy/demo/catalogue.py); Lyngholt is the Fagkonsulent's.
ASSIGNED = {HERNINGVEJ, "Vestergårdsskolen", "Mølledalens Skole", "Fjordglimt Skole", "Østerhøj Skole"}
NOT_ASSIGNED = "Lyngholt Skole"
# Leder af ledere, the first expectation (Prioriteter) of Lene's Learning Pipeline level (seed/).
LUS_FIRST_ITEM = "Leder ledelsesteamet gennem sparring og dialog"
NOTE_URL = re.compile(r"/notater/(\d+)/rediger$")
NOTE_PAGE_URL = re.compile(r"/notater/(\d+)$")  # where a new note lands once saved
MEETING_URL = re.compile(r"/samtaler/(\d+)/rediger$")


def token() -> str:
    return uuid.uuid4().hex[:8]


def danish_date(day: date) -> str:
    """A date as the app shows it (Flask-Babel's medium format, Danish)."""
    return format_date(day, "medium", locale="da")


def school_row(page, name: str):
    """The school's row in the table of "Mine skoler"."""
    table = page.get_by_role("table", name="Mine skoler")
    return table.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))


def fact(row, column: str):
    """The cell of ``column`` in a school's row."""
    return row.locator(f'td[data-title="{column}"]')


def agreement_row(page, number: int):
    return page.get_by_role("group", name=f"Aftale {number}", exact=True)


def agenda_item(page, number: int):
    """Agenda item ``number``, opened (items are compact until opened)."""
    details = page.locator(".agenda-item-details").nth(number - 1)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return page.get_by_role("group", name=f"Punkt {number}", exact=True)


def choose_suggestions(page, *names: str) -> None:
    """Tick suggested agenda items by name (all of them when none is named) and put them on."""
    checklist = page.get_by_role("group", name="Vælg punkter til dagsordenen")
    expect(checklist).to_be_visible()
    boxes = [checklist.get_by_role("checkbox", name=n, exact=True) for n in names] or checklist.get_by_role("checkbox").all()
    for box in boxes:
        box.check()
    page.get_by_role("button", name="Sæt på dagsordenen").click()
    expect(checklist).to_have_count(0)


def chosen(select):
    """The selected option of a <select>."""
    return select.locator("option:checked")


def assert_no_horizontal_overflow(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def open_school_followup(page, school: str):
    """From "Mine skoler", the school's follow-up page; returns its URL path."""
    page.goto("/mine-skoler")
    school_row(page, school).get_by_role("link", name=school, exact=True).click()
    expect(page.get_by_role("heading", name=f"Opfølgning: {school}", level=1)).to_be_visible()
    return page.url


def write_note(page, school: str, text: str, visibility: str, owner: str | None = LEADER_OPTION) -> int:
    """A saved note at ``school`` with observation ``text`` (and an agreement ``text`` owned by
    ``owner``), written through the form. Returns the note's id."""
    open_school_followup(page, school)
    page.get_by_role("link", name="Nyt sparringsnotat").click()
    expect(page.get_by_role("heading", name="Nyt sparringsnotat", level=1)).to_be_visible()
    page.get_by_label("Iagttagelse").fill(text)
    if owner:
        page.get_by_role("button", name="Tilføj aftale").click()
        row = agreement_row(page, 1)
        row.get_by_label("Aftale", exact=True).fill(text)
        row.get_by_label("Ansvarlig").select_option(label=owner)
        row.get_by_label("Frist").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label(visibility).check()
    page.get_by_role("button", name="Gem notat").click()
    expect(page).to_have_url(NOTE_PAGE_URL)
    expect(page.locator("#flash")).to_contain_text("Sparringsnotatet er gemt.")
    return int(NOTE_PAGE_URL.search(page.url).group(1))


def tab_to(page, target, key: str = "Tab", limit: int = 120):
    """Press Tab (or Shift+Tab) until ``target`` has focus; fail if it is never reached."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {target}")


# --- 1. Mine skoler ----------------------------------------------------------------------------


def test_my_schools_shows_each_assigned_school_with_its_contacts_and_agreements(page, sign_in):
    sign_in(CONSULTANT)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mine skoler").click()
    expect(page).to_have_url("/mine-skoler")
    expect(page.get_by_role("heading", name="Mine skoler", level=1)).to_be_visible()

    titles = page.get_by_role("table", name="Mine skoler").locator("tbody th[scope=row] a.school-name")
    expect(titles).to_have_count(len(ASSIGNED))
    assert set(titles.all_inner_texts()) == ASSIGNED
    expect(page.get_by_role("link", name=NOT_ASSIGNED, exact=True)).to_have_count(0)
    for name in ASSIGNED:
        card = school_row(page, name)
        expect(fact(card, "Seneste kontakt")).to_have_text(re.compile(r"\d{1,2}\. \w+\.? \d{4}|Ingen registreret"))
        expect(fact(card, "Næste planlagte samtale")).to_have_text(re.compile(r"\d{1,2}\. \w+\.? \d{4} kl\. \d{2}\.\d{2}|Ingen planlagt"))
        expect(fact(card, "Åbne aftaler")).to_have_text(re.compile(r"^\d+"))

    # What the card says follows what happens: a shared note with an agreement today ...
    card = school_row(page, "Mølledalens Skole")
    open_before = int(re.match(r"\d+", fact(card, "Åbne aftaler").inner_text()).group())
    text = f"Mine skoler {token()}"
    write_note(page, "Mølledalens Skole", text, "Delt med skolens ledelse", owner="Anders Holm (Ledelseskonsulent)")
    # ... and a conversation planned for tomorrow morning, before anything the demo has planned.
    page.goto("/mine-skoler")
    school_row(page, "Mølledalens Skole").get_by_role("link", name="Planlæg samtale").click()
    page.get_by_label("Type").select_option(label="1:1-samtale")
    tomorrow = date.today() + timedelta(days=1)
    page.get_by_label("Tidspunkt").fill(f"{tomorrow.isoformat()}T06:05")
    page.get_by_label("Titel").fill(text)
    page.get_by_role("button", name="Gem samtale").click()
    expect(page).to_have_url(MEETING_URL)

    page.goto("/mine-skoler")
    card = school_row(page, "Mølledalens Skole")
    expect(fact(card, "Seneste kontakt")).to_have_text(danish_date(date.today()))
    expect(fact(card, "Næste planlagte samtale")).to_have_text(f"1:1-samtale {danish_date(tomorrow)} kl. 06.05")
    expect(fact(card, "Åbne aftaler")).to_have_text(re.compile(rf"^{open_before + 1}\b"))

    page.reload()
    card = school_row(page, "Mølledalens Skole")
    expect(fact(card, "Åbne aftaler")).to_have_text(re.compile(rf"^{open_before + 1}\b"))


# --- 2. a sparring note during a visit -----------------------------------------------------------


@pytest.mark.parametrize("viewport", ["desktop", "tablet"], indirect=True)
def test_write_a_sparring_note_during_a_visit(page, sign_in, viewport):
    tok = token()
    sign_in(CONSULTANT)
    page.goto("/mine-skoler")
    assert_no_horizontal_overflow(page)
    card = school_row(page, "Østerhøj Skole")
    card.get_by_role("link", name="Nyt sparringsnotat").click()
    expect(page.get_by_role("heading", name="Nyt sparringsnotat", level=1)).to_be_visible()
    expect(page.get_by_label("Skole", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(chosen(page.get_by_label("Skole", exact=True))).to_have_text("Østerhøj Skole")
    assert_no_horizontal_overflow(page)

    # The first goal of the school's strategy and one of its initiatives, whatever they are called.
    picker = page.get_by_role("group", name="Mål og tiltag, der blev drøftet")
    goal = picker.locator("input[name=goal_ids]").first
    goal_title = picker.locator(f"label[for='{goal.get_attribute('id')}']").inner_text().strip()
    initiative = picker.locator("input[name=initiative_ids]").first
    initiative_label = picker.locator(f"label[for='{initiative.get_attribute('id')}']")
    goal.check()
    initiative.check()
    status_badge = initiative_label.locator(".badge").inner_text()
    initiative_title = initiative_label.inner_text().replace(status_badge, "").strip()

    page.get_by_label("Deltagere").fill(f"Skoleleder og konsulent {tok}")
    page.get_by_label("Leder notatet handler om").select_option(index=1)
    page.get_by_role("checkbox", name="Udfordrende").check()
    page.get_by_role("checkbox", name="Retningsgivende").check()
    page.get_by_label("Iagttagelse").fill(f"Jeg ser datamøder med fast dagsorden {tok}")
    page.get_by_label("Oplevelse").fill(f"Jeg bliver optimistisk {tok}")
    page.get_by_label("Fortolkning").fill(f"Det virker, som om teamet ejer målet {tok}")
    page.get_by_label("Forslag").fill(f"Måske kunne I dele jeres skabelon {tok}")

    # Agreement rows are added in place; focus goes to the new row's first field.
    page.get_by_role("button", name="Tilføj aftale").click()
    expect(agreement_row(page, 1)).to_be_visible()
    expect(agreement_row(page, 1).get_by_label("Aftale", exact=True)).to_be_focused()
    page.keyboard.type(f"Skolelederen sender skabelonen rundt {tok}")
    page.get_by_role("button", name="Tilføj aftale").click()
    expect(agreement_row(page, 2)).to_be_visible()
    expect(agreement_row(page, 2).get_by_label("Aftale", exact=True)).to_be_focused()
    expect(agreement_row(page, 1).get_by_label("Aftale", exact=True)).to_have_value(
        f"Skolelederen sender skabelonen rundt {tok}")
    agreement_row(page, 2).get_by_label("Aftale", exact=True).fill(f"Konsulenten følger op {tok}")
    agreement_row(page, 2).get_by_label("Ansvarlig").select_option(label="Anders Holm (Ledelseskonsulent)")
    agreement_row(page, 2).get_by_label("Frist").fill("2027-03-01")
    page.get_by_label("Delt med skolens ledelse").check()
    assert_no_horizontal_overflow(page)

    # Invalid: no date for the note, and the first agreement has neither owner nor due date.
    page.get_by_label("Dato", exact=True).fill("")
    page.get_by_role("button", name="Gem notat").click()
    summary = page.get_by_role("alert").filter(has_text="Der er problemer")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([
        "Angiv datoen for sparringen.",
        "Aftale 1: Vælg hvem der er ansvarlig for aftalen.",
        "Aftale 1: Angiv en frist for aftalen.",
    ])
    date_group = page.locator(".form-group").filter(has=page.get_by_label("Dato", exact=True))
    expect(date_group.locator(".form-error-message")).to_have_text("Fejl: Angiv datoen for sparringen.")
    expect(page.get_by_label("Dato", exact=True)).to_have_attribute("aria-invalid", "true")
    row1 = agreement_row(page, 1)
    expect(row1.locator(".form-group").filter(has=page.get_by_label("Ansvarlig")).locator(".form-error-message")) \
        .to_have_text("Fejl: Vælg hvem der er ansvarlig for aftalen.")
    expect(row1.locator(".form-group").filter(has=page.get_by_label("Frist")).locator(".form-error-message")) \
        .to_have_text("Fejl: Angiv en frist for aftalen.")
    # Everything typed is still there.
    expect(page.get_by_label("Deltagere")).to_have_value(f"Skoleleder og konsulent {tok}")
    expect(page.get_by_label("Iagttagelse")).to_have_value(f"Jeg ser datamøder med fast dagsorden {tok}")
    expect(page.get_by_label("Forslag")).to_have_value(f"Måske kunne I dele jeres skabelon {tok}")
    expect(page.get_by_role("checkbox", name="Udfordrende")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Retningsgivende")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Understøttende")).not_to_be_checked()
    expect(goal).to_be_checked()
    expect(initiative).to_be_checked()
    expect(page.get_by_label("Delt med skolens ledelse")).to_be_checked()
    expect(row1.get_by_label("Aftale", exact=True)).to_have_value(f"Skolelederen sender skabelonen rundt {tok}")
    expect(agreement_row(page, 2).get_by_label("Frist")).to_have_value("2027-03-01")
    expect(chosen(agreement_row(page, 2).get_by_label("Ansvarlig"))).to_have_text("Anders Holm (Ledelseskonsulent)")
    assert_no_horizontal_overflow(page)
    # The summary's first link leads to the first field in error.
    summary.get_by_role("link", name="Angiv datoen for sparringen.").click()
    expect(page.get_by_label("Dato", exact=True)).to_be_focused()

    # Fix and save.
    page.get_by_label("Dato", exact=True).fill(date.today().isoformat())
    row1.get_by_label("Ansvarlig").select_option(index=1)
    owner1 = chosen(row1.get_by_label("Ansvarlig")).inner_text()
    row1.get_by_label("Frist").fill("2027-02-15")
    page.get_by_role("button", name="Gem notat").click()
    # Saved, the consultant leaves the form for the note as the school reads it.
    expect(page).to_have_url(NOTE_PAGE_URL)
    expect(page.locator("#flash")).to_contain_text("Sparringsnotatet er gemt.")

    def shows_what_was_written():
        expect(page.get_by_role("heading", name=f"Sparringsnotat {danish_date(date.today())}", level=1)).to_be_visible()
        main = page.get_by_role("main")
        expect(main).to_contain_text("Delt med skolen")
        expect(main).to_contain_text(f"Skoleleder og konsulent {tok}")
        for text in (f"Jeg ser datamøder med fast dagsorden {tok}", f"Jeg bliver optimistisk {tok}",
                     f"Det virker, som om teamet ejer målet {tok}", f"Måske kunne I dele jeres skabelon {tok}"):
            expect(main.get_by_text(text)).to_be_visible()
        stances = main.locator(".stance-list strong")
        expect(stances).to_have_text(["Udfordrende", "Retningsgivende"])
        expect(main.get_by_text(f"Mål: {goal_title}")).to_be_visible()
        expect(main.get_by_role("listitem").filter(has_text=f"Tiltag: {initiative_title}")).to_have_count(1)
        first = main.locator(".agreement-item").filter(has_text=f"Skolelederen sender skabelonen rundt {tok}")
        expect(first).to_contain_text(f"Ansvarlig: {owner1.split(' (')[0]}")
        expect(first).to_contain_text(f"Frist: {danish_date(date(2027, 2, 15))}")
        second = main.locator(".agreement-item").filter(has_text=f"Konsulenten følger op {tok}")
        expect(second).to_contain_text("Ansvarlig: Anders Holm")
        expect(second).to_contain_text(f"Frist: {danish_date(date(2027, 3, 1))}")
        assert_no_horizontal_overflow(page)

    shows_what_was_written()
    note_url = page.url
    page.reload()
    shows_what_was_written()
    # The form to change it is one link away, with what was written.
    page.get_by_role("link", name="Redigér notatet").click()
    expect(page).to_have_url(NOTE_URL)
    expect(page.get_by_label("Forslag")).to_have_value(f"Måske kunne I dele jeres skabelon {tok}")
    page.go_back()
    expect(page).to_have_url(note_url)
    shows_what_was_written()


# --- 3. who reads a note ------------------------------------------------------------------------


def test_a_note_is_read_by_the_school_leader_only_when_shared_with_the_school(page, sign_in, open_page):
    tok = token()
    sign_in(CONSULTANT)
    texts = {v: f"{v} {tok}" for v in ("udkast", "delt", "internt")}
    ids = {
        "udkast": write_note(page, HERNINGVEJ, texts["udkast"], "Udkast (kun dig)"),
        "delt": write_note(page, HERNINGVEJ, texts["delt"], "Delt med skolens ledelse"),
        "internt": write_note(page, HERNINGVEJ, texts["internt"], "Internt i forvaltningen"),
    }
    # The author sees all three in the school's list.
    school_url = open_school_followup(page, HERNINGVEJ)
    for note_id in ids.values():
        notes_region = page.get_by_role("region", name="Sparringsnotater")
        expect(notes_region.locator(f"a[href='/notater/{note_id}']")).to_have_count(1)

    leader = log_in(open_page(), LEADER)
    leader.goto(school_url)
    expect(leader.get_by_role("heading", name=f"Opfølgning: {HERNINGVEJ}", level=1)).to_be_visible()
    notes = leader.get_by_role("region", name="Sparringsnotater")
    expect(notes.locator(f"a[href='/notater/{ids['delt']}']")).to_have_count(1)
    expect(notes.locator(f"a[href='/notater/{ids['udkast']}']")).to_have_count(0)
    expect(notes.locator(f"a[href='/notater/{ids['internt']}']")).to_have_count(0)
    # The agreements of the notes the leader may not read are not listed either.
    agreements = leader.get_by_role("region", name="Aftaler")
    expect(agreements.get_by_text(texts["delt"], exact=True)).to_be_visible()
    expect(leader.get_by_text(texts["udkast"])).to_have_count(0)
    expect(leader.get_by_text(texts["internt"])).to_have_count(0)
    leader.goto("/mine-aftaler")
    expect(leader.get_by_text(texts["delt"], exact=True)).to_be_visible()
    expect(leader.get_by_text(texts["udkast"])).to_have_count(0)
    expect(leader.get_by_text(texts["internt"])).to_have_count(0)

    # The URLs: the shared note opens, the others are refused without showing anything.
    leader.goto(f"/notater/{ids['delt']}")
    expect(leader.get_by_role("main").get_by_text(texts["delt"]).first).to_be_visible()
    for kind in ("udkast", "internt"):
        for path in (f"/notater/{ids[kind]}", f"/notater/{ids[kind]}/rediger"):
            response = leader.goto(path)
            assert response.status in (403, 404), path
            expect(leader.get_by_role("heading", level=1)).to_have_text(
                re.compile("Du har ikke adgang til denne side|Siden findes ikke"))
            expect(leader.get_by_text(texts[kind])).to_have_count(0)

    # Once the consultant shares the draft, the leader sees it.
    page.goto(f"/notater/{ids['udkast']}/rediger")
    page.get_by_label("Delt med skolens ledelse").check()
    page.get_by_role("button", name="Gem notat").click()
    expect(page.get_by_role("button", name="Gem notat").locator("xpath=ancestor::form")).to_contain_text("Gemt")
    leader.goto(f"/notater/{ids['udkast']}")
    expect(leader.get_by_role("main").get_by_text(texts["udkast"]).first).to_be_visible()
    leader.goto(school_url)
    expect(notes.locator(f"a[href='/notater/{ids['udkast']}']")).to_have_count(1)
    expect(agreements.get_by_text(texts["udkast"], exact=True)).to_be_visible()


# --- 4. the same note in two tabs ---------------------------------------------------------------


def test_saving_an_outdated_note_in_a_second_tab_is_refused_in_place(page, sign_in, open_page):
    tok = token()
    sign_in(CONSULTANT)
    note_id = write_note(page, "Vestergårdsskolen", f"Udgangspunkt {tok}", "Udkast (kun dig)", owner=None)
    first = page
    second = log_in(open_page(), CONSULTANT)
    for tab in (first, second):
        tab.goto(f"/notater/{note_id}/rediger")
        expect(tab.get_by_label("Iagttagelse")).to_have_value(f"Udgangspunkt {tok}")

    first.get_by_label("Iagttagelse").fill(f"Første fane {tok}")
    first.get_by_role("button", name="Gem notat").click()
    saved = first.locator("#note-form .alert-success")
    expect(saved).to_contain_text("Gemt")
    expect(first.get_by_role("button", name="Gem notat")).to_be_focused()

    second.get_by_label("Iagttagelse").fill(f"Anden fane {tok}")
    second.get_by_label("Forslag").fill(f"Forslag fra anden fane {tok}")
    second.get_by_role("button", name="Gem notat").click()
    conflict = second.get_by_role("alert").filter(has_text="Notatet er ændret et andet sted")
    expect(conflict).to_be_visible()
    expect(conflict).to_be_focused()
    expect(conflict).to_contain_text("Dine ændringer er ikke gemt.")
    expect(second).to_have_url(f"/notater/{note_id}/rediger")
    # The second tab keeps what was typed there, and can show what the first tab saved.
    expect(second.get_by_label("Iagttagelse")).to_have_value(f"Anden fane {tok}")
    expect(second.get_by_label("Forslag")).to_have_value(f"Forslag fra anden fane {tok}")
    conflict.get_by_text("Vis den gemte udgave").click()
    expect(conflict.locator(".saved-version")).to_contain_text(f"Første fane {tok}")

    # The first save stands.
    for tab in (first, second):
        tab.goto(f"/notater/{note_id}")
        expect(tab.get_by_text(f"Første fane {tok}")).to_be_visible()
        expect(tab.get_by_text(f"Anden fane {tok}")).to_have_count(0)


# --- 5. keyboard only ---------------------------------------------------------------------------


def test_write_and_save_a_note_with_the_keyboard_only(page, sign_in):
    tok = token()
    keys = page.keyboard
    sign_in(CONSULTANT)
    page.goto("/mine-skoler")
    tab_to(page, school_row(page, "Fjordglimt Skole").get_by_role("link", name="Nyt sparringsnotat"))
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Nyt sparringsnotat", level=1)).to_be_visible()
    expect(chosen(page.get_by_label("Skole", exact=True))).to_have_text("Fjordglimt Skole")

    tab_to(page, page.get_by_label("Deltagere"))
    keys.type(f"Jesper og Anders {tok}")
    tab_to(page, page.get_by_role("checkbox", name="Understøttende"))
    keys.press("Space")
    expect(page.get_by_role("checkbox", name="Understøttende")).to_be_checked()
    tab_to(page, page.get_by_label("Iagttagelse"))
    keys.type(f"Jeg ser elever, der forklarer {tok}")
    keys.press("Tab")
    expect(page.get_by_label("Oplevelse")).to_be_focused()
    keys.press("Shift+Tab")
    expect(page.get_by_label("Iagttagelse")).to_be_focused()
    keys.type(" og viser")

    # A new agreement row: focus is in its first field.
    tab_to(page, page.get_by_role("button", name="Tilføj aftale"))
    keys.press("Enter")
    expect(agreement_row(page, 1).get_by_label("Aftale", exact=True)).to_be_focused()
    keys.type(f"Jesper deler elevfeedbacken {tok}")
    keys.press("Tab")
    expect(agreement_row(page, 1).get_by_label("Ansvarlig")).to_be_focused()
    keys.type("Jesper")  # type-ahead in the closed list
    expect(chosen(agreement_row(page, 1).get_by_label("Ansvarlig"))).to_have_text("Jesper Kragh (Skoleleder)")
    keys.press("Tab")
    expect(agreement_row(page, 1).get_by_label("Frist")).to_be_focused()
    # Day and month alike: the browser's date field reads dd.mm.yyyy or mm/dd/yyyy by its locale.
    keys.type("03032027")
    expect(agreement_row(page, 1).get_by_label("Frist")).to_have_value("2027-03-03")

    # A second row with no owner: saving shows the error, focus goes to the error summary,
    # and its link takes focus to the field.
    tab_to(page, page.get_by_role("button", name="Tilføj aftale"))
    keys.press("Space")
    expect(agreement_row(page, 2).get_by_label("Aftale", exact=True)).to_be_focused()
    keys.type(f"Anders sender materialet {tok}")
    tab_to(page, page.get_by_role("radio", name="Udkast (kun dig)"))
    keys.press("ArrowDown")
    expect(page.get_by_role("radio", name="Delt med skolens ledelse")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Gem notat"))
    keys.press("Enter")
    summary = page.get_by_role("alert").filter(has_text="Der er problemer")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Aftale 2: Vælg hvem der er ansvarlig for aftalen.", "Aftale 2: Angiv en frist for aftalen."])
    keys.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    keys.press("Enter")
    expect(agreement_row(page, 2).get_by_label("Ansvarlig")).to_be_focused()
    keys.type("Anders")
    expect(chosen(agreement_row(page, 2).get_by_label("Ansvarlig"))).to_have_text("Anders Holm (Ledelseskonsulent)")
    keys.press("Tab")
    keys.type("04042027")
    expect(agreement_row(page, 2).get_by_label("Frist")).to_have_value("2027-04-04")
    expect(page.get_by_label("Iagttagelse")).to_have_value(f"Jeg ser elever, der forklarer {tok} og viser")

    tab_to(page, page.get_by_role("button", name="Gem notat"))
    keys.press("Enter")
    expect(page).to_have_url(NOTE_PAGE_URL)
    expect(page.locator("#flash")).to_contain_text("Sparringsnotatet er gemt.")
    tab_to(page, page.get_by_role("link", name="Redigér notatet"))
    keys.press("Enter")
    expect(page).to_have_url(NOTE_URL)

    # Edit again and save in place: focus stays on the save button.
    tab_to(page, page.get_by_label("Forslag"))
    keys.type(f"Del det med teamet {tok}")
    tab_to(page, page.get_by_role("button", name="Gem notat"))
    keys.press("Enter")
    expect(page.locator("#note-form .alert-success")).to_contain_text("Gemt")
    expect(page.get_by_role("button", name="Gem notat")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Sparringsnotatet er gemt.")

    tab_to(page, page.get_by_role("link", name="Vis notat"))
    keys.press("Enter")
    main = page.get_by_role("main")
    expect(main.get_by_text(f"Jeg ser elever, der forklarer {tok} og viser")).to_be_visible()
    expect(main.get_by_text(f"Del det med teamet {tok}")).to_be_visible()
    expect(main.locator(".stance-list strong")).to_have_text(["Understøttende"])
    items = main.locator(".agreement-item")
    expect(items.filter(has_text=f"Jesper deler elevfeedbacken {tok}")).to_contain_text("Ansvarlig: Jesper Kragh")
    expect(items.filter(has_text=f"Anders sender materialet {tok}")).to_contain_text("Ansvarlig: Anders Holm")
    expect(main).to_contain_text("Delt med skolen")


# --- 6. before a LUS or 1:1 conversation --------------------------------------------------------


def test_a_lus_agenda_from_the_profile_then_notes_and_an_agreement_the_leader_ticks_off(page, sign_in, open_page):
    tok = token()
    sign_in(CONSULTANT)

    # A 1:1 starts from the school's goals and their latest status, then the leader's profile.
    page.goto("/mine-skoler")
    school_row(page, HERNINGVEJ).get_by_role("link", name="Nyt sparringsnotat").click()
    goals = page.get_by_role("group", name="Mål og tiltag, der blev drøftet").locator("input[name=goal_ids] + label")
    goal_titles = [t.strip() for t in goals.all_inner_texts()]
    assert goal_titles
    page.goto("/mine-skoler")
    school_row(page, HERNINGVEJ).get_by_role("link", name="Planlæg samtale").click()
    expect(page.get_by_role("heading", name="Planlæg samtale", level=1)).to_be_visible()
    page.get_by_label("Type").select_option(label="1:1-samtale")
    page.get_by_label("Leder", exact=True).select_option(label=LEADER_OPTION)
    page.get_by_role("button", name="Foreslå dagsorden").click()
    choose_suggestions(page)
    items = page.locator(".agenda-row")
    categories = ["Prioriteter", "Arbejdsværdier", "Færdigheder"]
    expect(items).to_have_count(len(goal_titles) + len(categories))
    expect(page.locator(".agenda-item-summary").first).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(
        f"Dagsordenen har nu {len(goal_titles) + len(categories)} punkter.")
    for n, category in enumerate(categories, start=len(goal_titles) + 1):
        item = agenda_item(page, n)
        expect(item.get_by_label("Punktet", exact=True)).to_have_value(f"{category} – Leder af ledere")
        expect(item.get_by_label("Formål og udbytte")).to_have_value(re.compile(r"^• "))
    for n, title in enumerate(goal_titles, start=1):
        item = agenda_item(page, n)
        expect(item.get_by_label("Punktet", exact=True)).to_have_value(title)
        expect(item.get_by_label("Formål og udbytte")).to_have_value(
            re.compile(r"^\d+ tiltag: \d+ (Ikke startet|I gang|På rette spor|Udfordret|Gennemført|Stoppet)"))

    # A LUS starts from the leader's Learning Pipeline profile.
    page.goto("/mine-skoler")
    school_row(page, HERNINGVEJ).get_by_role("link", name="Planlæg samtale").click()
    page.get_by_label("Type").select_option(label="LUS")
    page.get_by_label("Leder", exact=True).select_option(label=LEADER_OPTION)
    page.get_by_label("Tidspunkt").fill(f"{date.today().isoformat()}T08:00")
    page.get_by_label("Titel").fill(f"LUS med Lene {tok}")
    page.get_by_label("Formål", exact=True).fill(f"Lenes udvikling som leder af ledere {tok}")
    page.get_by_role("button", name="Foreslå dagsorden").click()
    # The profile, category by category, then the school's goals with their status: two chosen.
    checklist = page.get_by_role("group", name="Vælg punkter til dagsordenen")
    expect(checklist).to_be_visible()
    groups = checklist.get_by_role("group").evaluate_all("els => els.map(e => e.querySelector('legend').textContent.trim())")
    assert groups == ["Prioriteter", "Arbejdsværdier", "Færdigheder", "Skolens mål"]
    choose_suggestions(page, LUS_FIRST_ITEM, goal_titles[0])
    expect(page.locator(".agenda-row")).to_have_count(2)
    first = agenda_item(page, 1)
    expect(first.get_by_label("Punktet", exact=True)).to_have_value(LUS_FIRST_ITEM)
    expect(first.get_by_label("Formål og udbytte")).to_have_value("")
    second = agenda_item(page, 2)
    expect(second.get_by_label("Punktet", exact=True)).to_have_value(goal_titles[0])
    expect(second.get_by_label("Formål og udbytte")).to_have_value(re.compile(r"^(\d+ tiltag|Ingen tiltag endnu)"))
    expect(page.get_by_label("Titel")).to_have_value(f"LUS med Lene {tok}")
    agenda_count = page.locator(".agenda-row").count()
    page.get_by_role("button", name="Gem samtale").click()
    expect(page).to_have_url(MEETING_URL)
    expect(page.locator("#flash")).to_contain_text("Samtalen er gemt.")
    expect(page.locator(".agenda-row")).to_have_count(agenda_count)

    # After the conversation: notes on the first item, the minutes, an agreement, held.
    first = agenda_item(page, 1)
    first.get_by_label("Noter fra samtalen").fill(f"Lene sparrer fast med afdelingslederne {tok}")
    page.get_by_label("Samlet referat").fill(f"God samtale om ledelsesteamet {tok}")
    page.get_by_role("radio", name="Afholdt").check()
    page.get_by_role("button", name="Tilføj aftale").click()
    row = agreement_row(page, 1)
    expect(row.get_by_label("Aftale", exact=True)).to_be_focused()
    row.get_by_label("Aftale", exact=True).fill(f"Lene planlægger ledelsesteamets sparring {tok}")
    row.get_by_label("Ansvarlig").select_option(label=LEADER_OPTION)
    due = date.today() + timedelta(days=21)
    row.get_by_label("Frist").fill(due.isoformat())
    page.get_by_role("button", name="Gem samtale").click()
    expect(page.locator("#meeting-form .alert-success")).to_contain_text("Gemt")
    expect(page.get_by_role("button", name="Gem samtale")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Samtalen er gemt.")
    meeting_path = page.get_by_role("link", name="Vis samtale").get_attribute("href")

    page.get_by_role("link", name="Vis samtale").click()
    expect(page.get_by_role("heading", name=f"LUS med Lene {tok}", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Afholdt")
    expect(main).to_contain_text("med Lene Bach Thomsen")
    expect(main.locator(".agenda-item").first).to_contain_text(LUS_FIRST_ITEM)
    expect(main.locator(".agenda-item").first).to_contain_text(f"Lene sparrer fast med afdelingslederne {tok}")
    expect(main.get_by_text(f"God samtale om ledelsesteamet {tok}")).to_be_visible()
    expect(main.locator(".agreement-item")).to_contain_text(f"Lene planlægger ledelsesteamets sparring {tok}")

    # The leader finds the agreement under "Mine aftaler" and ticks it off in place.
    leader = log_in(open_page(), LEADER)
    leader.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mine aftaler").click()
    expect(leader).to_have_url("/mine-aftaler")
    item = leader.locator(".agreement-item").filter(has_text=f"Lene planlægger ledelsesteamets sparring {tok}")
    expect(item).to_contain_text(f"Frist: {danish_date(due)}")
    expect(item).to_contain_text(f"fra LUS med Lene {tok}")
    item.get_by_role("button", name="Markér som udført").click()
    expect(item).to_contain_text(f"Udført {danish_date(date.today())}")
    expect(item.get_by_role("button", name=re.compile("^Genåbn"))).to_be_focused()
    expect(leader.locator("#announcer")).to_have_text("Aftalen er markeret som udført.")
    leader.reload()
    expect(leader.get_by_text(f"Lene planlægger ledelsesteamets sparring {tok}")).to_have_count(0)
    leader.goto(meeting_path)
    done = leader.locator(".agreement-item").filter(has_text=f"Lene planlægger ledelsesteamets sparring {tok}")
    expect(done).to_contain_text(f"Udført {danish_date(date.today())}")
    # ... and the consultant sees it done too.
    page.reload()
    expect(page.locator(".agreement-item")).to_contain_text(f"Udført {danish_date(date.today())}")


# --- 7. accessibility ---------------------------------------------------------------------------


def test_followup_pages_have_no_serious_accessibility_violations(page, sign_in, open_page):
    tok = token()
    sign_in(CONSULTANT)

    def clean(where):
        assert axe_violations(page) == [], where

    page.goto("/mine-skoler")
    clean("Mine skoler")
    school_url = open_school_followup(page, HERNINGVEJ)
    clean("the school's follow-up page")
    page.get_by_role("link", name="Nyt sparringsnotat").click()
    clean("the empty note form")
    page.get_by_role("button", name="Tilføj aftale").click()
    expect(agreement_row(page, 1)).to_be_visible()
    clean("the note form with an agreement row")
    agreement_row(page, 1).get_by_label("Aftale", exact=True).fill(f"Aftale {tok}")
    page.get_by_label("Dato", exact=True).fill("")
    page.get_by_role("button", name="Gem notat").click()
    expect(page.get_by_role("alert").filter(has_text="Der er problemer")).to_be_visible()
    clean("the note form with errors")
    page.get_by_label("Dato", exact=True).fill(date.today().isoformat())
    agreement_row(page, 1).get_by_label("Ansvarlig").select_option(label=LEADER_OPTION)
    agreement_row(page, 1).get_by_label("Frist").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_label("Delt med skolens ledelse").check()
    page.get_by_role("button", name="Gem notat").click()
    expect(page).to_have_url(NOTE_PAGE_URL)
    clean("the note page")
    page.get_by_role("link", name="Redigér notatet").click()
    clean("the saved note form")

    page.goto(school_url)
    page.get_by_role("link", name="Planlæg samtale").click()
    clean("the meeting form")
    page.get_by_label("Type").select_option(label="LUS")
    page.get_by_label("Leder", exact=True).select_option(label=LEADER_OPTION)
    page.get_by_label("Tidspunkt").fill(f"{date.today().isoformat()}T13:00")
    page.get_by_role("button", name="Foreslå dagsorden").click()
    expect(page.get_by_role("group", name="Vælg punkter til dagsordenen")).to_be_visible()
    clean("the meeting form with the suggested items to choose from")
    choose_suggestions(page, LUS_FIRST_ITEM)
    expect(agenda_item(page, 1)).to_be_visible()
    clean("the meeting form with a chosen agenda")
    page.get_by_role("button", name="Gem samtale").click()
    expect(page).to_have_url(MEETING_URL)
    page.get_by_role("link", name="Vis samtale").click()
    clean("the meeting page")
    page.goto("/mine-aftaler")
    clean("Mine aftaler")

    leader = log_in(open_page(), LEADER)
    leader.goto("/mine-aftaler")
    ticked = leader.locator(".agreement-item").filter(has_text=f"Aftale {tok}")
    ticked.get_by_role("button", name="Markér som udført").click()
    expect(leader.locator(".agreement-item").filter(has_text=f"Aftale {tok}")).to_contain_text("Udført")
    assert axe_violations(leader) == [], "Mine aftaler after ticking one off"
