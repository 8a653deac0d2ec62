"""DESIGN.md journey 9 in Chromium: the Herningvej leader searches from the header, finds a
reading practice at another school whose evaluation says "fortsæt", adopts it in the own words,
and both schools' pages show where the practice came from and where it spread."""

import re

from playwright.sync_api import expect

from strategy.demo.catalogue import SCHOOLS
from tests.e2e.conftest import log_in

LEADER = "skoleleder@demo.maalpil.dk"
PRACTICE = "Læsebånd med makkerlæsning på mellemtrinnet"


def test_search_suggestions_by_keyboard_at_most_one_request_per_pause(page, sign_in):
    sign_in(LEADER)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/soeg/forslag" in r.url else None)
    box = page.locator("#header-q")
    box.click()
    box.press_sequentially("makkerlæsning", delay=40)  # a person typing: no pause of 300 ms
    listbox = page.locator("#search-listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_contain_text("Læsebånd med makkerlæsning")
    assert len(asked) == 1, asked  # one request for the whole word, not one per keystroke
    assert "q=makkerl%C3%A6sning" in asked[0]

    # Arrow keys move through the suggestions, wrapping; Escape closes them.
    box.press("ArrowDown")
    expect(page.locator("#search-option-1")).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "search-option-1")
    box.press("ArrowUp")
    expect(page.locator("#search-option-all")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#search-option-1")).to_have_attribute("aria-selected", "false")
    box.press("Escape")
    expect(listbox).to_have_count(0)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()

    # Enter with no suggestion chosen opens the full results page, the query in its URL.
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/soeg\?q=makkerl"))
    expect(page.get_by_role("heading", name=re.compile("^Tiltag"))).to_be_visible()
    expect(page.locator(".search-hit mark").first).to_have_text(re.compile("makkerlæsning", re.IGNORECASE))


def test_adopt_a_practice_found_by_search_with_provenance_on_both_schools(page, sign_in, open_page):
    sign_in(LEADER)
    box = page.locator("#header-q")
    box.click()
    box.press_sequentially("makkerlæsning", delay=20)
    expect(page.locator("#search-listbox")).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")  # the highlighted suggestion opens
    expect(page.get_by_role("heading", level=1, name=PRACTICE)).to_be_visible()
    source_url = page.url

    page.get_by_role("link", name="Brug som inspiration").click()
    expect(page.get_by_role("heading", level=1, name="Brug som inspiration")).to_be_visible()
    quoted = page.locator("[data-adopt-source]")
    expect(quoted).to_contain_text("Afprøvet og evalueret")
    expect(quoted).to_contain_text("Fortsæt")
    heading = page.locator("#step-1").inner_text()
    source_school = re.sub(r"^\s*1\s*Sådan gjorde\s*", "", heading).strip()
    assert source_school and source_school != "Herningvej Skole"

    # Nothing is copied: the context fields start empty; copying the source's words is refused.
    expect(page.get_by_label("Ståsted hos os")).to_have_value("")
    source_starting_point = quoted.locator("blockquote").first.inner_text()
    page.get_by_label("Ståsted hos os").fill(source_starting_point)
    page.get_by_label("Hvad vi afprøver").fill("Makkerlæsning to morgener om ugen i 4. og 5. klasse.")
    page.get_by_role("button", name="Opret tiltaget").click()
    expect(page.locator("#starting_point-error")).to_contain_text("egne ord")
    expect(page.get_by_label("Hvad vi afprøver")).to_have_value("Makkerlæsning to morgener om ugen i 4. og 5. klasse.")

    page.get_by_label("Ståsted hos os").fill("Vores mellemtrin læser for lidt, og vi vil prøve makkerpar i det små.")
    page.get_by_label("Tiltag", exact=True).fill("Makkerlæsning på Herningvej")
    page.get_by_role("button", name="Opret tiltaget").click()
    expect(page).to_have_url(re.compile(r"/tiltag/\d+$"))
    expect(page.get_by_role("heading", level=1, name="Makkerlæsning på Herningvej")).to_be_visible()
    provenance = page.locator("[data-provenance=from]")
    expect(provenance).to_contain_text(f"Inspireret af {PRACTICE}")
    expect(provenance).to_contain_text(f"på {source_school}")
    own_url = page.url

    # The source school sees where its practice spread, with the adopting school and cluster.
    slug = next(s for name, s, _cluster in SCHOOLS if name == source_school)
    other = log_in(open_page(), f"leder.{slug}@demo.maalpil.dk")
    other.goto(source_url)
    spread = other.locator("[data-provenance=spread]")
    expect(spread).to_contain_text("Herningvej Skole (Klynge Vest)")
    spread.get_by_role("link", name="Herningvej Skole").click()
    expect(other).to_have_url(own_url)
