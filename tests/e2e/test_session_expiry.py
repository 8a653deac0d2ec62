"""Typed work survives an expired session (a consultant's note during a long visit): the text stays
on the screen, the person signs in again in a new tab, and the same "Gem notat" then saves."""

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD

CONSULTANT = "konsulent@demo.maalpil.dk"


def test_a_note_typed_past_the_session_is_saved_after_signing_in_again(page, sign_in):
    tok = uuid.uuid4().hex[:8]
    sign_in(CONSULTANT)
    page.goto("/mine-skoler")
    page.locator("a[href$='/notater/ny']").first.click()
    expect(page.get_by_role("heading", name="Nyt sparringsnotat", level=1)).to_be_visible()
    page.get_by_label("Deltagere").fill(f"Skoleleder og konsulent {tok}")
    page.get_by_label("Iagttagelse").fill(f"Jeg ser en lang, rolig morgen {tok}")
    page.get_by_label("Forslag").fill(f"Måske kunne I fortsætte {tok}")

    # The session ends while the consultant types (here: the cookie is gone, as after the idle limit).
    page.context.clear_cookies()
    page.get_by_role("button", name="Gem notat").click()

    notice = page.locator("[data-session-alert]")
    expect(notice).to_contain_text("Din session er udløbet, så intet er gemt")
    expect(page.get_by_label("Iagttagelse")).to_have_value(f"Jeg ser en lang, rolig morgen {tok}")
    expect(page).to_have_url(re.compile(r"/notater/ny$"))
    link = notice.get_by_role("link", name="Log ind igen i en ny fane")
    expect(link).to_be_focused()
    # Nothing of the note is kept in the browser's storage: it is personal data.
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, localStorage, sessionStorage))")
    assert tok not in stored

    with page.context.expect_page() as new_tab:
        link.click()
    login = new_tab.value
    login.get_by_label("E-mailadresse").fill(CONSULTANT)
    login.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    login.get_by_role("button", name="Log ind").click()
    expect(login.get_by_role("heading", name="Du er logget ind igen")).to_be_visible()
    login.close()

    page.bring_to_front()
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")
    expect(notice).to_contain_text("Du er logget ind igen. Tryk Gem igen")
    page.get_by_role("button", name="Gem notat").click()
    # Saved: the new note's own page shows what was typed before the session ran out.
    expect(page).to_have_url(re.compile(r"/notater/\d+$"))
    expect(page.get_by_text(f"Jeg ser en lang, rolig morgen {tok}")).to_be_visible()
