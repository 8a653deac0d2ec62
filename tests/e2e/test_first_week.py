"""A new user's first week (issue 18): the leader finds what the consultant shared, a new strategy
period goes forward only, a LUS agenda built from a chosen few items, help where it is needed.

The demo database is shared with the other browser tests: what a test makes carries a unique token.
"""

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import log_in

LEADER = "skoleleder@demo.maalpil.dk"
CONSULTANT = "konsulent@demo.maalpil.dk"
ADMIN = "admin@demo.maalpil.dk"
HERNINGVEJ = "Herningvej Skole"
LEADER_OPTION = "Lene Bach Thomsen (Skoleleder)"


def token() -> str:
    return uuid.uuid4().hex[:8]


def menu(page):
    return page.get_by_role("navigation", name="Hovedmenu").first


# --- the notes and conversations shared with the school ---------------------------------------------


def share_a_note_without_agreements(page, text: str) -> None:
    log_in(page, CONSULTANT)
    page.goto("/mine-skoler")
    row = page.get_by_role("table", name="Mine skoler").get_by_role("row").filter(
        has=page.get_by_role("link", name=HERNINGVEJ, exact=True))
    row.get_by_role("link", name="Nyt sparringsnotat").click()
    page.get_by_label("Iagttagelse").fill(text)
    page.get_by_label("Delt med skolens ledelse").check()
    page.get_by_role("button", name="Gem notat").click()
    expect(page.locator("#flash")).to_contain_text("Sparringsnotatet er gemt.")


def test_the_leader_reaches_a_shared_note_from_the_menu_in_two_clicks(open_page):
    text = f"Godt samarbejde i ledelsesteamet {token()}"
    share_a_note_without_agreements(open_page(), text)

    page = open_page()
    log_in(page, LEADER)
    menu(page).get_by_role("link", name="Notater og samtaler").click()  # 1
    expect(page.get_by_role("heading", name=f"Opfølgning: {HERNINGVEJ}", level=1)).to_be_visible()
    notes = page.get_by_role("region", name="Sparringsnotater")
    notes.get_by_role("row").filter(has_text=text).get_by_role("link").first.click()  # 2
    expect(page.get_by_role("heading", name="Sparringsnotat", level=1)).to_be_visible()
    expect(page.get_by_text(text)).to_be_visible()


def test_min_skole_links_to_the_schools_notes_and_conversations(page, sign_in):
    sign_in(LEADER)
    page.goto("/min-skole")
    page.get_by_role("region", name="Overblik over strategien").get_by_role("link", name="Notater og samtaler").click()
    expect(page.get_by_role("heading", name=f"Opfølgning: {HERNINGVEJ}", level=1)).to_be_visible()


# --- a new strategy period goes forward ----------------------------------------------------------------


def test_start_a_new_period_offers_only_later_periods_and_says_who_creates_them(open_page):
    leader = open_page()
    log_in(leader, LEADER)
    leader.goto("/min-skole")
    leader.get_by_role("navigation", name="Strategiperioder").get_by_role("link", name="Start en ny periode").click()
    # The demo's periods all begin before the school's current strategy (2025-2027).
    expect(leader.get_by_role("heading", name="Der er ingen senere strategiperiode endnu")).to_be_visible()
    expect(leader.get_by_text(re.compile("bed en administrator eller skolechefen om at oprette den næste periode"))).to_be_visible()
    expect(leader.get_by_label("Strategiperiode")).to_have_count(0)

    admin = open_page()
    log_in(admin, ADMIN)
    admin.goto("/admin/perioder/ny")
    admin.get_by_label("Startår").fill("2028")
    admin.get_by_label("Slutår").fill("2030")
    admin.get_by_role("button", name="Opret strategiperiode").click()
    expect(admin.locator("#flash")).to_contain_text("er oprettet")

    leader.reload()
    options = leader.get_by_label("Strategiperiode").locator("option")
    expect(options).to_have_text(["2028-2030"])
    expect(leader.get_by_label("Strategiperiode")).to_have_value("2028-2030")


# --- the LUS agenda: a chosen few, compact ------------------------------------------------------------


def test_a_lus_agenda_is_the_chosen_subset_of_the_profile_and_the_goals(page, sign_in):
    sign_in(CONSULTANT)
    page.goto("/mine-skoler")
    row = page.get_by_role("table", name="Mine skoler").get_by_role("row").filter(
        has=page.get_by_role("link", name=HERNINGVEJ, exact=True))
    row.get_by_role("link", name="Planlæg samtale").click()
    page.get_by_label("Type").select_option(label="LUS")
    page.get_by_label("Leder", exact=True).select_option(label=LEADER_OPTION)
    page.get_by_role("button", name="Foreslå dagsorden").click()

    checklist = page.get_by_role("group", name="Vælg punkter til dagsordenen")
    expect(checklist).to_be_visible()
    expect(page.locator(".agenda-row")).to_have_count(0)  # nothing on the agenda before it is chosen
    goals = checklist.get_by_role("group", name="Skolens mål")
    # Each goal with the school's status beside it.
    first_goal = goals.get_by_role("checkbox").first
    expect(first_goal).to_have_accessible_description(re.compile(r"^(\d+ tiltag: |Ingen tiltag endnu)"))
    priorities = checklist.get_by_role("group", name="Prioriteter").get_by_role("checkbox")
    skills = checklist.get_by_role("group", name="Færdigheder").get_by_role("checkbox")
    chosen = [priorities.first, skills.first, first_goal]
    names = []
    for box in chosen:
        box.check()
        names.append(page.locator(f"label[for='{box.get_attribute('id')}']").inner_text().strip())
    offered = checklist.get_by_role("checkbox").count()
    assert offered > 10
    page.get_by_role("button", name="Sæt på dagsordenen").click()

    items = page.locator(".agenda-item-details")
    expect(items).to_have_count(3)
    expect(page.locator("#announcer")).to_have_text("Dagsordenen har nu 3 punkter.")
    expect(page.locator(".agenda-item-title")).to_have_text(names)
    # Compact until opened: the fields of an item show only when it is opened.
    for i in range(3):
        expect(items.nth(i)).not_to_have_attribute("open", "")
        expect(items.nth(i).get_by_label("Formål og udbytte")).to_be_hidden()
    items.nth(2).locator("summary").click()
    expect(items.nth(2).get_by_label("Formål og udbytte")).to_have_value(re.compile(r"^(\d+ tiltag|Ingen tiltag endnu)"))
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 6000, f"the meeting form is {height} px tall with three items"


# --- Min skole: the summary first, arranging on request ---------------------------------------------


def test_min_skole_opens_with_a_summary_and_keeps_moving_and_archiving_until_asked(page, sign_in):
    sign_in(LEADER)
    page.goto("/min-skole")
    summary = page.get_by_role("region", name="Overblik over strategien")
    expect(summary).to_be_visible()
    goals_before = int(re.match(r"\d+", summary.locator(".summary-number").first.inner_text()).group())
    expect(summary.get_by_role("heading", name="Kræver handling")).to_be_visible()

    main = page.get_by_role("main")
    for name in ("Flyt", "Arkivér"):
        expect(main.get_by_role("button", name=re.compile(name)).first).to_be_hidden()
    toggle = page.get_by_role("button", name="Ret rækkefølge og arkivér")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(main.get_by_role("button", name=re.compile("^Flyt målet ned")).first).to_be_visible()
    expect(main.get_by_role("button", name=re.compile("^Arkivér målet")).first).to_be_visible()
    expect(page.locator("#announcer")).to_have_text("Knapperne til at flytte og arkivere mål og tiltag vises nu.")
    toggle.click()
    expect(main.get_by_role("button", name=re.compile("^Arkivér målet")).first).to_be_hidden()

    # A change on the page is counted in the summary at once, without a reload.
    page.locator("#new-goal").get_by_role("link", name="Nyt mål").click()
    page.get_by_role("textbox", name="Mål", exact=True).fill(f"Et mål mere {token()}")
    page.get_by_role("button", name="Gem mål").click()
    expect(summary.locator(".summary-number").first).to_have_text(f"{goals_before + 1} mål")
