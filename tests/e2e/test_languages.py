"""Both languages: Danish by default, English chosen per user in the header and kept on the user."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, log_in

# A leader no other browser test signs in as: the language choice is stored on the user, and the
# demo database is shared by every browser test of the run.
LEADER = "leder.hedebo@demo.maalpil.dk"

DANISH_DATE = re.compile(r"\d{1,2}\. [a-zæøå]{3,4}\.? \d{4}")  # 28. nov. 2026
ENGLISH_DATE = re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4}")  # Nov 28, 2026
DANISH_DECIMAL = re.compile(r"^\d+,\d+\s%$")  # 8,7 %
ENGLISH_DECIMAL = re.compile(r"^\d+\.\d+%$")  # 8.7%


def header_button(page, name):
    """The language and log-out buttons of the desktop header (the mobile drawer repeats them)."""
    return page.locator(".portal-user").get_by_role("button", name=name, exact=True)


def indicator_values(page) -> list[str]:
    return [text.strip() for text in page.locator(".indicator-line dd").all_inner_texts()]


def status_dates(page) -> list[str]:
    return page.locator(".status-meta").all_inner_texts()


def test_a_leader_switches_to_english_keeps_it_after_logging_in_again_and_switches_back(page):
    log_in(page, LEADER)
    page.goto("/min-skole")
    try:
        # Danish by default: labels, dates and decimals.
        expect(page.locator("html")).to_have_attribute("lang", "da")
        nav = page.get_by_role("navigation", name="Hovedmenu")
        expect(nav.get_by_role("link", name="Min skole")).to_be_visible()
        expect(page.locator(".indicator-label").first).to_have_text("Indikator:")
        assert any(DANISH_DECIMAL.match(v) for v in indicator_values(page)), indicator_values(page)
        assert all(DANISH_DATE.search(d) for d in status_dates(page)), status_dates(page)

        header_button(page, "English").click()
        page.wait_for_load_state("networkidle")
        expect(page).to_have_url(re.compile(r"/skoler/\d+|/min-skole"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        nav = page.get_by_role("navigation", name="Main menu")
        for label in ("My school", "Overview", "My agreements", "Political goals", "Tools"):
            expect(nav.get_by_role("link", name=label)).to_be_visible()
        expect(header_button(page, "English")).to_have_attribute("aria-current", "true")
        expect(header_button(page, "Log out")).to_be_visible()
        expect(page.locator(".indicator-label").first).to_have_text("Indicator:")
        expect(page.locator(".indicator-line dt").first).to_contain_text("Baseline")
        values = indicator_values(page)
        assert any(ENGLISH_DECIMAL.match(v) for v in values) and not any(DANISH_DECIMAL.match(v) for v in values), values
        dates = status_dates(page)
        assert dates and all(d.startswith("since ") and ENGLISH_DATE.search(d) for d in dates), dates

        # An htmx fragment and its validation error come back in English too.
        page.get_by_role("link", name=re.compile("^Change status")).first.click()
        form = page.locator("form.status-form").first
        expect(form.get_by_role("group", name="New status")).to_be_visible()
        form.get_by_label("Challenged").check()
        form.get_by_role("button", name="Save status").click()
        expect(page.locator(".status-form .form-error-message").first).to_contain_text(
            "Briefly describe what the challenge is"
        )
        form.get_by_role("link", name="Cancel").click()
        expect(page.locator("form.status-form")).to_have_count(0)

        # The choice belongs to the user: the login page after logging out is in English too,
        # and logging in again keeps English.
        header_button(page, "Log out").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#flash")).to_contain_text("You have been logged out.")
        page.get_by_label("Email address").fill(LEADER)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My school")).to_be_visible()

        header_button(page, "Dansk").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("html")).to_have_attribute("lang", "da")
        expect(page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Min skole")).to_be_visible()
        expect(header_button(page, "Dansk")).to_have_attribute("aria-current", "true")
        assert all(DANISH_DATE.search(d) for d in status_dates(page)), status_dates(page)
    finally:
        # Leave the shared demo user in Danish, whatever happened above.
        if page.locator("html").get_attribute("lang") == "en" and header_button(page, "Dansk").count():
            header_button(page, "Dansk").click()
            page.wait_for_load_state("networkidle")


def test_the_sign_in_page_is_danish_and_an_english_user_gets_english_after_signing_in(open_page):
    page = open_page(locale="en-GB")
    page.goto("/login")
    # The browser's language does not decide: the product is Danish until a user chooses English.
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("button", name="Log ind")).to_be_visible()
