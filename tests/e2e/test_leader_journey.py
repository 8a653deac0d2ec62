"""DESIGN journey 1, the school leader's week: Min skole, status inline, an evaluation written in
place, linking an initiative to political goals and the Learning Pipeline, back and reload, a
colleague saving first, the keyboard, a tablet, accessibility, and what a reader sees.

The demo database is shared with other test files: every test works on a goal and initiatives of
its own (texts carry a unique token), found by role, label and text.
"""

import re
from typing import NamedTuple
from uuid import uuid4

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, log_in

LEADER = "skoleleder@demo.maalpil.dk"
SECOND_LEADER = "afdelingsleder@demo.maalpil.dk"
READER = "laeser@demo.maalpil.dk"


def token() -> str:
    return uuid4().hex[:8]


# --- data of our own -----------------------------------------------------------------------------


class OurGoal(NamedTuple):
    title: str
    path: str  # the goal's page
    school_url: str  # the strategy page it is on (Min skole, this period)


def new_goal(page, title: str, school_url: str = "/min-skole") -> OurGoal:
    """Create a goal on the strategy page, in place, the way a leader does."""
    page.goto(school_url)
    page.locator("#new-goal").get_by_role("link", name="Nyt mål").click()
    expect(page.get_by_role("heading", name="Nyt mål")).to_be_focused()
    page.get_by_role("textbox", name="Mål", exact=True).fill(title)
    page.get_by_role("button", name="Gem mål").click()
    link = page.get_by_role("link", name=title, exact=True)
    expect(link).to_be_focused()
    announced(page, "Målet er oprettet.")
    path = link.get_attribute("href")
    # The strategy page with its period named, so the goal is found even if "this period" moves.
    page.goto(path)
    crumbs = page.get_by_role("navigation", name="Brødkrumme")
    return OurGoal(title, path, crumbs.get_by_role("link", name="Herningvej Skole").get_attribute("href"))


@pytest.fixture(scope="module")
def our_goal(browser, live_server) -> OurGoal:
    """A goal of this module's own in Herningvej Skole's current strategy."""
    context = browser.new_context(base_url=live_server, locale="da-DK")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, LEADER)
    goal = new_goal(page, f"Lederens uge {token()}")
    context.close()
    return goal


def new_initiative(page, goal: OurGoal, title: str) -> str:
    """Create an initiative under our goal through its page; return the initiative's path."""
    page.goto(goal.path)
    page.get_by_role("link", name=f"Nyt tiltag – {goal.title}").click()
    page.get_by_role("textbox", name="Tiltag", exact=True).fill(title)
    page.get_by_role("button", name="Gem tiltag").click()
    link = page.get_by_role("link", name=title, exact=True)
    # The new initiative is in the goal's list, in place, and takes focus.
    expect(link).to_be_focused()
    announced(page, "Tiltaget er oprettet.")
    return link.get_attribute("href")


def goal_card(page, goal_title: str):
    return page.locator("article.goal-card").filter(has=page.get_by_role("heading", name=goal_title))


def initiative_row(page, title: str, within=None):
    """The initiative's row in a goal's list of initiatives."""
    rows = (within or page).locator("li.initiative-item")
    return rows.filter(has=page.get_by_role("link", name=title, exact=True))


def mark_window(page) -> str:
    """A marker that only survives while no full page load happens."""
    marker = token()
    page.evaluate("marker => { window.__noReload = marker; }", marker)
    return marker


def no_reload_since(page, marker: str) -> bool:
    return page.evaluate("() => window.__noReload") == marker


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def announced(page, text: str):
    expect(page.locator("#announcer")).to_have_text(text)


# --- 1 and 2: Min skole, status inline --------------------------------------------------------------


def test_min_skole_shows_this_periods_goals_initiatives_and_latest_status(page, sign_in, our_goal):
    goal_title = our_goal.title
    sign_in(LEADER)
    initiative = f"Læsecafé {token()}"
    new_initiative(page, our_goal, initiative)

    page.goto("/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Min skole").click()
    expect(page).to_have_url(re.compile(r"/skoler/\d+$"))
    expect(page.get_by_role("heading", name="Herningvej Skole", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Virksomhedsstrategi \d{4}-\d{4}"))).to_be_visible()
    # The demo plan's goals are there, each with its initiatives and their status.
    expect(page.locator("article.goal-card").first.get_by_text("Samlet status")).to_be_visible()
    card = goal_card(page, goal_title)
    expect(card).to_be_visible()
    row = initiative_row(page, initiative, within=card)
    expect(row.get_by_text("Ikke startet", exact=True)).to_be_visible()
    expect(row.get_by_role("link", name=f"Skift status – {initiative}")).to_be_visible()


def test_status_changes_inline_announced_kept_after_reload(page, sign_in, our_goal):
    sign_in(LEADER)
    # A goal of the test's own, so its roll-up is this one initiative's status.
    goal = new_goal(page, f"Sikre læsere {token()}", our_goal.school_url)
    initiative = f"Læsebånd {token()}"
    comment = f"Alle team er i gang {token()}"
    initiative_path = new_initiative(page, goal, initiative)

    page.goto(goal.school_url)
    school_url = page.url
    marker = mark_window(page)
    row = initiative_row(page, initiative)
    row.get_by_role("link", name=f"Skift status – {initiative}").click()
    form_status = row.get_by_role("group", name="Ny status")
    expect(form_status).to_be_visible()
    expect(row.get_by_role("radio", name="Ikke startet")).to_be_checked()
    expect(row.get_by_role("radio", name="Ikke startet")).to_be_focused()
    row.get_by_role("radio", name="I gang").check()
    row.get_by_role("textbox", name="Kommentar", exact=True).fill(comment)
    row.get_by_role("button", name="Gem status").click()

    expect(form_status).to_be_hidden()
    expect(row.get_by_text("I gang", exact=True)).to_be_visible()
    expect(row.get_by_text(comment)).to_be_visible()
    expect(row.get_by_role("link", name=f"Skift status – {initiative}")).to_be_focused()
    announced(page, "Status er sat til I gang.")
    # The goal's roll-up follows (its only initiative is ours).
    expect(goal_card(page, goal.title).locator(".rollup")).to_have_text(re.compile(r"Samlet status:\s*I gang\s*\(1 i gang\)"))
    assert no_reload_since(page, marker)
    assert page.url == school_url

    page.reload()
    expect(initiative_row(page, initiative).get_by_text("I gang", exact=True)).to_be_visible()
    expect(initiative_row(page, initiative).get_by_text(comment)).to_be_visible()

    # The initiative's own page: the history has the change, with the comment and who made it.
    page.goto(initiative_path)
    history = page.get_by_role("list").filter(has=page.get_by_text(comment))
    expect(history.get_by_role("listitem").first).to_contain_text("I gang")
    expect(history.get_by_role("listitem").first).to_contain_text(comment)


def test_status_change_on_the_initiative_page_adds_to_the_history(page, sign_in, our_goal):
    sign_in(LEADER)
    initiative = f"Co-teaching {token()}"
    comment = f"Data viser fremgang {token()}"
    path = new_initiative(page, our_goal, initiative)
    page.goto(path)
    marker = mark_window(page)
    page.get_by_role("link", name=f"Skift status – {initiative}").click()
    page.get_by_role("radio", name="På rette spor").check()
    page.get_by_role("textbox", name="Kommentar", exact=True).fill(comment)
    page.get_by_role("button", name="Gem status").click()
    history = page.locator(".status-history")
    expect(history.get_by_role("listitem").first).to_contain_text("På rette spor")
    expect(history.get_by_role("listitem").first).to_contain_text(comment)
    announced(page, "Status er sat til På rette spor.")
    assert no_reload_since(page, marker)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    page.reload()
    expect(page.locator(".status-history").get_by_role("listitem").first).to_contain_text(comment)


def test_challenged_without_comment_is_refused_at_the_field(page, sign_in, our_goal):
    sign_in(LEADER)
    initiative = f"Forældreråd {token()}"
    path = new_initiative(page, our_goal, initiative)
    page.goto(path)
    page.get_by_role("link", name=f"Skift status – {initiative}").click()
    page.get_by_role("radio", name="Udfordret").check()
    page.get_by_role("button", name="Gem status").click()
    comment = page.get_by_role("textbox", name="Kommentar", exact=True)
    expect(comment).to_have_attribute("aria-invalid", "true")
    error = page.locator(".form-error-message").filter(has_text="Skriv kort, hvad der udfordrer")
    expect(error).to_be_visible()
    expect(comment).to_have_accessible_description(re.compile("Skriv kort, hvad der udfordrer"))
    expect(page.get_by_role("radio", name="Udfordret")).to_be_checked()
    expect(comment).to_be_focused()

    # Cancelling leaves the status as it was, and focus on the button that opens the form.
    page.get_by_role("link", name="Annuller").click()
    expect(page.get_by_role("group", name="Ny status")).to_have_count(0)
    expect(page.locator(".status-current")).to_contain_text("Ikke startet")
    expect(page.get_by_role("link", name=f"Skift status – {initiative}")).to_be_focused()


# --- 3: an evaluation written in place -------------------------------------------------------------


def test_evaluation_form_in_place_keeps_input_and_shows_the_error_at_the_field(page, sign_in, our_goal):
    sign_in(LEADER)
    initiative = f"Legepatruljer {token()}"
    signs = f"Færre konflikter i frikvarteret {token()}"
    done = f"Patruljer i alle frikvarterer {token()}"
    path = new_initiative(page, our_goal, initiative)
    page.goto(path)
    marker = mark_window(page)
    evaluations = page.get_by_role("region", name="Evalueringer")
    evaluations.get_by_role("link", name="Ny evaluering").click()
    form_heading = evaluations.get_by_role("heading", name="Ny evaluering")
    expect(form_heading).to_be_focused()
    expect(evaluations.get_by_label("Dato")).not_to_have_value("")
    evaluations.get_by_label("Hvilke tegn har vi set?").fill(signs)
    evaluations.get_by_role("checkbox", name="Perceptionsdata").check()
    evaluations.get_by_role("radio", name="Fortsæt").check()
    evaluations.get_by_role("button", name="Gem evaluering").click()

    done_field = evaluations.get_by_label("Hvad har vi gjort?")
    expect(done_field).to_have_attribute("aria-invalid", "true")
    expect(done_field).to_have_accessible_description(re.compile("Skriv, hvad der er gjort."))
    # The message sits in the field's own group, right above the field.
    group = evaluations.locator(".form-group").filter(has=page.get_by_label("Hvad har vi gjort?"))
    expect(group.locator(".form-error-message")).to_have_text(re.compile("Skriv, hvad der er gjort."))
    # Everything else the leader wrote or chose is still there.
    expect(evaluations.get_by_label("Hvilke tegn har vi set?")).to_have_value(signs)
    expect(evaluations.get_by_role("checkbox", name="Perceptionsdata")).to_be_checked()
    expect(evaluations.get_by_role("radio", name="Fortsæt")).to_be_checked()
    # Focus goes to the error summary; its link leads to the field.
    summary = page.get_by_role("alert").filter(has_text="Der er problemer")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Skriv, hvad der er gjort.").click()
    expect(done_field).to_be_focused()

    done_field.fill(done)
    evaluations.get_by_role("button", name="Gem evaluering").click()
    article = evaluations.get_by_role("article").filter(has_text=done)
    expect(article).to_be_visible()
    expect(article).to_contain_text(signs)
    expect(article).to_contain_text("Fortsæt")
    expect(article).to_contain_text("Perceptionsdata")
    expect(article).to_be_focused()
    expect(evaluations.get_by_role("button", name="Gem evaluering")).to_have_count(0)
    announced(page, "Evalueringen er gemt.")
    assert no_reload_since(page, marker)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    page.reload()
    expect(page.get_by_role("region", name="Evalueringer").get_by_role("article").filter(has_text=done)).to_be_visible()


def test_cancelling_the_evaluation_form_closes_it_in_place(page, sign_in, our_goal):
    sign_in(LEADER)
    path = new_initiative(page, our_goal, f"Trivselsmøder {token()}")
    page.goto(path)
    evaluations = page.get_by_role("region", name="Evalueringer")
    evaluations.get_by_role("link", name="Ny evaluering").click()
    expect(evaluations.get_by_role("button", name="Gem evaluering")).to_be_visible()
    evaluations.get_by_role("link", name="Annuller").click()
    expect(evaluations.get_by_role("button", name="Gem evaluering")).to_have_count(0)
    expect(evaluations.get_by_role("link", name="Ny evaluering")).to_be_focused()
    expect(evaluations.get_by_text("Ingen evalueringer endnu.")).to_be_visible()


# --- 4: political goals and Learning Pipeline expectations ------------------------------------------


def test_link_initiative_to_a_political_goal_and_expectations_with_the_picker(page, sign_in, our_goal):
    sign_in(LEADER)
    initiative = f"Feedbackkultur {token()}"
    path = new_initiative(page, our_goal, initiative)
    page.goto(path)
    marker = mark_window(page)
    page.get_by_role("link", name="Redigér tiltaget").click()
    form = page.locator("form.initiative-form")
    expect(form.get_by_role("heading", name="Redigér tiltaget")).to_be_focused()

    form.get_by_role("checkbox", name="Alle har en ven i skolen").check()
    search = form.get_by_role("searchbox", name="Søg efter forventninger")
    search.press_sequentially("feedback", delay=30)
    results = form.locator(".picker-results")
    expect(results.get_by_text(re.compile(r'\d+ forventninger? matcher "feedback"'))).to_be_visible()
    first = results.get_by_role("checkbox").first
    expectation = first.evaluate("box => document.querySelector(`label[for=\"${box.id}\"]`).textContent.trim()")
    assert "feedback" in expectation.lower()
    first.check()
    chosen = form.get_by_role("list", name="Valgte forventninger")
    expect(chosen.get_by_role("checkbox", name=expectation)).to_be_checked()
    expect(form.get_by_text("Ingen forventninger valgt endnu.")).to_be_hidden()
    expect(page.locator("#announcer")).to_contain_text("Valgt: " + expectation)
    # The picked expectation's level becomes the owning level when none was chosen.
    expect(form.get_by_label("Niveau, der ejer tiltaget")).not_to_have_value("")
    level = form.get_by_label("Niveau, der ejer tiltaget").evaluate("s => s.options[s.selectedIndex].text")

    form.get_by_role("button", name="Gem tiltag").click()
    plan = page.get_by_role("region", name="Handleplan")
    expect(plan.get_by_role("heading", name="Handleplan")).to_be_focused()
    expect(plan.get_by_role("list", name="Politiske mål")).to_contain_text("Alle har en ven i skolen")
    expect(plan.locator(".expectation-list")).to_contain_text(expectation)
    expect(plan).to_contain_text(f"Niveau, der ejer tiltaget: {level}")
    announced(page, "Tiltaget er gemt.")
    assert no_reload_since(page, marker)

    page.reload()
    plan = page.get_by_role("region", name="Handleplan")
    expect(plan.get_by_role("list", name="Politiske mål")).to_contain_text("Alle har en ven i skolen")
    expect(plan.locator(".expectation-list")).to_contain_text(expectation)


def test_search_without_matches_says_so(page, sign_in, our_goal):
    sign_in(LEADER)
    path = new_initiative(page, our_goal, f"Ingen træf {token()}")
    page.goto(path)
    page.get_by_role("link", name="Redigér tiltaget").click()
    search = page.get_by_role("searchbox", name="Søg efter forventninger")
    search.press_sequentially("zzqx", delay=30)
    expect(page.locator(".picker-results")).to_contain_text('0 forventninger matcher "zzqx"')
    expect(page.locator(".picker-results").get_by_role("checkbox")).to_have_count(0)
    # Cancelling the edit form puts the plan back and focus on "Redigér tiltaget".
    page.get_by_role("link", name="Annuller").click()
    expect(page.get_by_role("button", name="Gem tiltag")).to_have_count(0)
    expect(page.get_by_role("link", name="Redigér tiltaget")).to_be_focused()


def test_picker_works_from_the_keyboard(page, sign_in, our_goal):
    sign_in(LEADER)
    path = new_initiative(page, our_goal, f"Tastaturvælger {token()}")
    page.goto(path)
    edit = page.get_by_role("link", name="Redigér tiltaget")
    tab_to(page, edit)
    page.keyboard.press("Enter")
    search = page.get_by_role("searchbox", name="Søg efter forventninger")
    tab_to(page, search)
    page.keyboard.type("trivsel")
    # Enter searches; it does not save the form.
    page.keyboard.press("Enter")
    results = page.locator(".picker-results")
    expect(results.get_by_text(re.compile(r'\d+ forventninger? matcher "trivsel"'))).to_be_visible()
    expect(page.get_by_role("button", name="Gem tiltag")).to_be_visible()
    first = results.get_by_role("checkbox").first
    name = first.evaluate("box => document.querySelector(`label[for=\"${box.id}\"]`).textContent.trim()")
    tab_to(page, first)
    page.keyboard.press("Space")
    chosen = page.get_by_role("list", name="Valgte forventninger").get_by_role("checkbox", name=name)
    expect(chosen).to_be_checked()
    expect(chosen).to_be_focused()
    # Space again removes it; focus goes back to the search field.
    page.keyboard.press("Space")
    expect(page.get_by_role("list", name="Valgte forventninger").get_by_role("checkbox")).to_have_count(0)
    expect(search).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("Fjernet: ")


# --- 5: back and reload -------------------------------------------------------------------------------


def test_back_and_reload_after_goal_then_initiative(page, sign_in, our_goal):
    goal_title, goal_path = our_goal.title, our_goal.path
    sign_in(LEADER)
    initiative = f"Naturfagsforløb {token()}"
    path = new_initiative(page, our_goal, initiative)

    page.goto(our_goal.school_url)
    school_url = page.url
    goal_card(page, goal_title).get_by_role("link", name=goal_title, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(goal_path) + "$"))
    expect(page.get_by_role("heading", name=goal_title, level=1)).to_be_visible()
    page.get_by_role("link", name=initiative, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.get_by_role("heading", name=initiative, level=1)).to_be_visible()

    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(goal_path) + "$"))
    expect(page.get_by_role("heading", name=goal_title, level=1)).to_be_visible()
    expect(page.get_by_role("link", name=initiative, exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name=goal_title, level=1)).to_be_visible()
    page.go_forward()
    expect(page.get_by_role("heading", name=initiative, level=1)).to_be_visible()
    page.go_back()
    page.go_back()
    expect(page).to_have_url(school_url)
    expect(page.get_by_role("heading", name="Herningvej Skole", level=1)).to_be_visible()


def test_back_after_an_inline_change_shows_the_saved_state(page, sign_in, our_goal):
    sign_in(LEADER)
    initiative = f"Skolehaver {token()}"
    path = new_initiative(page, our_goal, initiative)
    page.goto(our_goal.school_url)
    row = initiative_row(page, initiative)
    row.get_by_role("link", name=f"Skift status – {initiative}").click()
    row.get_by_role("radio", name="Gennemført").check()
    row.get_by_role("button", name="Gem status").click()
    expect(row.get_by_text("Gennemført", exact=True)).to_be_visible()
    row.get_by_role("link", name=initiative, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    page.go_back()
    expect(initiative_row(page, initiative).get_by_text("Gennemført", exact=True)).to_be_visible()
    expect(initiative_row(page, initiative).get_by_role("group", name="Ny status")).to_have_count(0)


# --- 6: two people edit the same initiative ----------------------------------------------------------


def test_second_save_of_the_same_initiative_gets_a_conflict_in_place(page, open_page, sign_in, our_goal):
    sign_in(LEADER)
    initiative = f"Fælles planlægning {token()}"
    mine = f"Vi starter i 0. klasse {token()}"
    theirs = f"Vi starter i 3. klasse {token()}"
    path = new_initiative(page, our_goal, initiative)
    colleague = log_in(open_page(), SECOND_LEADER)

    for p in (page, colleague):
        p.goto(path)
        p.get_by_role("link", name="Redigér tiltaget").click()
        expect(p.get_by_role("textbox", name="Ståsted")).to_be_visible()

    page.get_by_role("textbox", name="Ståsted").fill(mine)
    page.get_by_role("button", name="Gem tiltag").click()
    expect(page.get_by_role("region", name="Handleplan")).to_contain_text(mine)

    colleague.get_by_role("textbox", name="Ståsted").fill(theirs)
    colleague.get_by_role("button", name="Gem tiltag").click()
    conflict = colleague.get_by_role("alert").filter(has_text="Tiltaget er ændret, mens du skrev")
    expect(conflict).to_be_visible()
    expect(conflict).to_be_focused()
    expect(conflict).to_contain_text("Lene Bach Thomsen gemte en ændring")
    expect(colleague.get_by_role("textbox", name="Ståsted")).to_have_value(theirs)
    expect(colleague.locator(".conflict-value")).to_contain_text(mine)
    expect(colleague).to_have_url(re.compile(re.escape(path) + "$"))

    # Nothing was overwritten: both see the first person's text after a reload.
    for p in (page, colleague):
        p.reload()
        plan = p.get_by_role("region", name="Handleplan")
        expect(plan).to_contain_text(mine)
        expect(plan).not_to_contain_text(theirs)


# --- 7: keyboard only --------------------------------------------------------------------------------


def tab_to(page, locator, backwards: bool = False, limit: int = 80):
    """Press Tab (or Shift+Tab) until the locator has focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{locator} never got focus with {key}")


def test_keyboard_only_status_change_and_evaluation(page, sign_in, our_goal):
    sign_in(LEADER)
    initiative = f"Tastatur {token()}"
    comment = f"Godt i gang {token()}"
    done = f"Vi har afprøvet i to klasser {token()}"
    path = new_initiative(page, our_goal, initiative)
    page.goto(path)
    marker = mark_window(page)

    change = page.get_by_role("link", name=f"Skift status – {initiative}")
    tab_to(page, change)
    page.keyboard.press("Enter")
    not_started = page.get_by_role("radio", name="Ikke startet")
    expect(not_started).to_be_focused()
    page.keyboard.press("ArrowDown")
    in_progress = page.get_by_role("radio", name="I gang")
    expect(in_progress).to_be_checked()
    expect(in_progress).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="Kommentar", exact=True)).to_be_focused()
    page.keyboard.type(comment)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Gem status")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".status-history").get_by_role("listitem").first).to_contain_text(comment)
    expect(change).to_be_focused()
    announced(page, "Status er sat til I gang.")

    new_evaluation = page.get_by_role("link", name="Ny evaluering")
    tab_to(page, new_evaluation)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ny evaluering")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Dato")).to_be_focused()
    # Leave "Hvad har vi gjort?" empty, pick a conclusion, save: focus goes to the problem.
    fortsaet = page.get_by_role("radio", name="Fortsæt")
    tab_to(page, fortsaet)
    page.keyboard.press("Space")
    expect(fortsaet).to_be_checked()
    save = page.get_by_role("button", name="Gem evaluering")
    tab_to(page, save)
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert").filter(has_text="Der er problemer")
    expect(summary).to_be_focused()
    done_field = page.get_by_label("Hvad har vi gjort?")
    tab_to(page, done_field)
    page.keyboard.type(done)
    tab_to(page, save)
    page.keyboard.press("Space")
    article = page.get_by_role("region", name="Evalueringer").get_by_role("article").filter(has_text=done)
    expect(article).to_be_focused()
    announced(page, "Evalueringen er gemt.")
    # Shift+Tab from the new evaluation goes back up to the "Ny evaluering" link.
    page.keyboard.press("Shift+Tab")
    expect(new_evaluation).to_be_focused()
    assert no_reload_since(page, marker)


# --- 8: tablet ----------------------------------------------------------------------------------------


def assert_fits(page, what: str):
    assert no_horizontal_overflow(page), f"{what}: the page scrolls sideways at {page.viewport_size}"


def assert_inside_viewport(page, locator):
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box


@pytest.mark.parametrize("viewport", ["tablet"], indirect=True)
def test_tablet_status_change_and_evaluation(page, sign_in, our_goal):
    assert page.viewport_size["width"] == 768
    sign_in(LEADER)
    initiative = f"Tablet {token()}"
    comment = f"Udfordret af sygdom {token()}"
    done = f"Forløbet er kørt i 4.a {token()}"
    path = new_initiative(page, our_goal, initiative)

    page.goto(our_goal.school_url)
    assert_fits(page, "Min skole")
    assert axe_violations(page) == [], "Min skole on a tablet"
    row = initiative_row(page, initiative)
    row.get_by_role("link", name=f"Skift status – {initiative}").click()
    challenged = row.get_by_role("radio", name="Udfordret")
    expect(challenged).to_be_visible()
    assert_fits(page, "Min skole, status form open")
    for control in (challenged, row.get_by_role("textbox", name="Kommentar", exact=True), row.get_by_role("button", name="Gem status")):
        assert_inside_viewport(page, control)
    challenged.check()
    row.get_by_role("textbox", name="Kommentar", exact=True).fill(comment)
    row.get_by_role("button", name="Gem status").click()
    expect(row.get_by_text("Udfordret", exact=True)).to_be_visible()
    expect(row.get_by_text(comment)).to_be_visible()
    assert_fits(page, "Min skole after the status change")

    page.get_by_role("link", name=our_goal.title, exact=True).click()
    expect(page.get_by_role("heading", name=our_goal.title, level=1)).to_be_visible()
    assert_fits(page, "goal page")
    page.get_by_role("link", name=initiative, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert_fits(page, "initiative page")
    evaluations = page.get_by_role("region", name="Evalueringer")
    evaluations.get_by_role("link", name="Ny evaluering").click()
    expect(evaluations.get_by_role("button", name="Gem evaluering")).to_be_visible()
    assert_fits(page, "evaluation form")
    for control in (evaluations.get_by_label("Dato"), evaluations.get_by_label("Hvad har vi gjort?"),
                    evaluations.get_by_role("radio", name="Justér"), evaluations.get_by_role("button", name="Gem evaluering")):
        assert_inside_viewport(page, control)
    # The three conclusions sit on one line, lined up.
    tops = {round(evaluations.get_by_role("radio", name=name).bounding_box()["y"]) for name in ("Fortsæt", "Justér", "Stop")}
    assert len(tops) == 1, tops
    evaluations.get_by_label("Hvad har vi gjort?").fill(done)
    evaluations.get_by_role("radio", name="Justér").check()
    evaluations.get_by_role("button", name="Gem evaluering").click()
    # "Justér" needs next steps: the message is at the field, the rest is kept.
    next_steps = evaluations.get_by_label("Næste skridt")
    expect(next_steps).to_have_attribute("aria-invalid", "true")
    expect(evaluations.get_by_label("Hvad har vi gjort?")).to_have_value(done)
    assert_fits(page, "evaluation form with errors")
    next_steps.fill("Vi flytter forløbet til foråret.")
    evaluations.get_by_role("button", name="Gem evaluering").click()
    expect(evaluations.get_by_role("article").filter(has_text=done)).to_contain_text("Justér")
    assert_fits(page, "initiative page after the evaluation")

    page.get_by_role("link", name="Redigér tiltaget").click()
    expect(page.get_by_role("button", name="Gem tiltag")).to_be_visible()
    assert_fits(page, "initiative edit form")


# --- 9: accessibility ----------------------------------------------------------------------------------


def test_no_serious_accessibility_violations_on_pages_and_open_forms(page, sign_in, our_goal):
    goal_title, goal_path = our_goal.title, our_goal.path
    sign_in(LEADER)
    initiative = f"Tilgængelighed {token()}"
    path = new_initiative(page, our_goal, initiative)

    page.goto(our_goal.school_url)
    assert axe_violations(page) == [], "Min skole"
    row = initiative_row(page, initiative)
    row.get_by_role("link", name=f"Skift status – {initiative}").click()
    expect(row.get_by_role("button", name="Gem status")).to_be_visible()
    assert axe_violations(page) == [], "Min skole, status form"
    page.locator("#new-goal").get_by_role("link", name="Nyt mål").click()
    expect(page.get_by_role("button", name="Gem mål")).to_be_visible()
    assert axe_violations(page) == [], "Min skole, new goal form"

    page.goto(goal_path)
    assert axe_violations(page) == [], "goal page"
    page.get_by_role("link", name=f"Nyt tiltag – {goal_title}").click()
    expect(page.get_by_role("button", name="Gem tiltag")).to_be_visible()
    assert axe_violations(page) == [], "goal page, new initiative form"

    page.goto(path)
    assert axe_violations(page) == [], "initiative page"
    page.get_by_role("link", name=f"Skift status – {initiative}").click()
    page.get_by_role("radio", name="Udfordret").check()
    page.get_by_role("button", name="Gem status").click()
    expect(page.get_by_role("textbox", name="Kommentar", exact=True)).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == [], "initiative page, status form with an error"
    page.get_by_role("link", name="Annuller").click()

    page.get_by_role("link", name="Ny evaluering").click()
    page.get_by_role("button", name="Gem evaluering").click()
    expect(page.get_by_role("alert").filter(has_text="Der er problemer")).to_be_visible()
    assert axe_violations(page) == [], "initiative page, evaluation form with errors"

    page.get_by_role("link", name="Redigér tiltaget").click()
    page.get_by_role("searchbox", name="Søg efter forventninger").press_sequentially("trivsel", delay=30)
    expect(page.locator(".picker-results").get_by_role("checkbox").first).to_be_visible()
    assert axe_violations(page) == [], "initiative edit form, picker with results"
    page.locator(".picker-results").get_by_role("checkbox").first.check()
    assert axe_violations(page) == [], "initiative edit form, an expectation picked"


# --- 10: the reader -------------------------------------------------------------------------------------


def test_reader_sees_the_strategy_without_edit_controls(page, sign_in, our_goal):
    goal_title, goal_path = our_goal.title, our_goal.path
    sign_in(LEADER)
    initiative = f"Til læseren {token()}"
    path = new_initiative(page, our_goal, initiative)
    page.context.clear_cookies()

    sign_in(READER)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Min skole").click()
    expect(page.get_by_role("heading", name="Herningvej Skole", level=1)).to_be_visible()
    card = goal_card(page, goal_title)
    row = initiative_row(page, initiative, within=card)
    expect(row.get_by_text("Ikke startet", exact=True)).to_be_visible()
    main = page.get_by_role("main")
    for name in ("Skift status", "Nyt mål", "Nyt tiltag", "Redigér målet", "Start en ny periode"):
        expect(main.get_by_role("link", name=re.compile(name))).to_have_count(0)
    for name in ("Arkivér", "Flyt", "Afslut år"):
        expect(main.get_by_role("button", name=re.compile(name))).to_have_count(0)
    assert axe_violations(page) == [], "Min skole as a reader"

    page.goto(goal_path)
    expect(page.get_by_role("heading", name=goal_title, level=1)).to_be_visible()
    for name in ("Redigér mål og indikator", "Nyt tiltag", "Ny evaluering"):
        expect(main.get_by_role("link", name=re.compile(name))).to_have_count(0)
    expect(main.get_by_role("button", name="Gem måling")).to_have_count(0)

    page.goto(path)
    expect(page.get_by_role("heading", name=initiative, level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Handleplan")).to_be_visible()
    for name in ("Skift status", "Redigér tiltaget", "Ny evaluering"):
        expect(main.get_by_role("link", name=re.compile(name))).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    # Asking for a form directly is refused.
    response = page.goto(path + "/rediger")
    assert response.status == 403
