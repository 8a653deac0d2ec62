"""What a new user sees first (issue 18): no page scrolls sideways, the consultant's overview uses
the width, the leader finds the notes shared with the school, wide tables scroll inside themselves.

Every main page (the pages of tests/e2e/test_html_validity.py, and every page in each demo role's
main menu) is opened at desktop (1280 px) and tablet (768 px) width; the page must be no wider than
its window.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, log_in
from tests.e2e.test_html_validity import PAGES, PLACEHOLDERS

LEADER = "skoleleder@demo.maalpil.dk"
CONSULTANT = "konsulent@demo.maalpil.dk"
DIRECTORATE = "skolechef@demo.maalpil.dk"
ADMIN = "admin@demo.maalpil.dk"
READER = "laeser@demo.maalpil.dk"
ROLES = {"leader": LEADER, "consultant": CONSULTANT, "directorate": DIRECTORATE, "admin": ADMIN, "reader": READER}
WIDTHS = {name: VIEWPORTS[name] for name in ("desktop", "tablet")}

# How far the page reaches to the right, and which element reaches furthest (for the message).
PAGE_WIDTH = """() => {
  const root = document.documentElement;
  let widest = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect().right + window.scrollX;
    if (r > right) { right = r; widest = el; }
  }
  const name = widest ? widest.tagName.toLowerCase() + (widest.className && typeof widest.className === 'string' ? '.' + widest.className.trim().split(/\\s+/).join('.') : '') : '';
  return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, widest: name, right: Math.round(right)};
}"""


@pytest.fixture(scope="module")
def signed_in(browser, live_server):
    """One signed-in browser context per (account, width), shared by this module's tests."""
    contexts = {}

    def page_for(email, width_name):
        key = (email, width_name)
        if key not in contexts:
            width, height = WIDTHS[width_name]
            context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height}, locale="da-DK")
            context.set_default_timeout(10_000)
            page = context.new_page()
            if email:
                log_in(page, email)
            contexts[key] = page
        return contexts[key]

    yield page_for
    for page in contexts.values():
        page.context.close()


@pytest.fixture(scope="module")
def placeholder_values(signed_in):
    values = {}
    for key, (who, path, pattern) in PLACEHOLDERS.items():
        text = signed_in(who, "desktop").request.get(re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)).text()
        found = re.search(pattern, text)
        assert found, f"no link for {key} on {path}"
        values[key] = found.group(1)
    return values


def assert_fits(page, what: str):
    size = page.evaluate(PAGE_WIDTH)
    assert size["scrollWidth"] <= size["innerWidth"], (
        f"{what} scrolls sideways: the page is {size['scrollWidth']} px wide in a {size['innerWidth']} px "
        f"window (furthest right: {size['widest']} at {size['right']} px)"
    )


MAIN_PAGES = [(name, who, path) for name, who, path, fragment in PAGES if not fragment and name != "not-found"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name,who,path", MAIN_PAGES, ids=[p[0] for p in MAIN_PAGES])
def test_no_main_page_is_wider_than_its_window(signed_in, placeholder_values, name, who, path, width):
    page = signed_in(who, width)
    page.goto(re.sub(r"\{(\w+)\}", lambda m: placeholder_values[m.group(1)], path))
    page.wait_for_load_state("networkidle")
    assert_fits(page, f"{name} ({page.url}) at {width}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_each_roles_menu_fits_its_window(signed_in, role, width):
    page = signed_in(ROLES[role], "desktop")
    page.goto("/")
    menu = page.get_by_role("navigation", name="Hovedmenu").first
    paths = [link.get_attribute("href") for link in menu.get_by_role("link").all()]
    assert paths, f"{role} has no main menu"
    page = signed_in(ROLES[role], width)
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert_fits(page, f"{role}'s {path} at {width}")


def test_overview_matrix_scrolls_inside_itself_with_the_school_column_sticky(signed_in):
    page = signed_in(DIRECTORATE, "tablet")
    page.goto("/overblik")
    scroller = page.locator(".matrix-scroll")
    expect(scroller).to_be_visible()
    assert_fits(page, "Overblik at 768")
    sizes = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1], "the matrix is wider than the tablet, so it scrolls inside its own region"
    first_school = scroller.locator("tbody th[scope=row]").first
    before = first_school.bounding_box()["x"]
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_timeout(100)
    assert first_school.bounding_box()["x"] == pytest.approx(before, abs=1), "the school column stays in view"
    # Every political goal's full name is on the page, not only the cut column heading.
    heading_links = scroller.locator("thead a")
    key = page.get_by_role("list", name="De politiske mål i kolonnerne")
    for i in range(heading_links.count()):
        full = heading_links.nth(i).get_attribute("title")
        expect(key.get_by_role("link", name=full, exact=True)).to_be_visible()


def test_consultants_overview_uses_the_width_of_the_page(signed_in):
    page = signed_in(CONSULTANT, "desktop")
    page.goto("/mine-skoler")
    content = page.locator("main").evaluate(
        "el => { const s = getComputedStyle(el); return el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"
    )
    table = page.get_by_role("table", name="Mine skoler")
    expect(table).to_be_visible()
    width = table.bounding_box()["width"]
    assert width >= 0.9 * content, f"the overview is {width:.0f} px of {content:.0f} px"
    # One row per school, with the columns a consultant scans.
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    for column in ("Skole", "Seneste kontakt", "Næste planlagte", "Åbne aftaler", "1:1-samtaler", "LUS og GRUS", "Signaler"):
        assert any(h.startswith(column) for h in headers), f"no column {column}: {headers}"
    # No word is broken inside: a school's name stays on one line.
    name = table.locator("tbody th[scope=row] a").first
    box = name.bounding_box()
    line = name.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert box["height"] < 2 * line, "the school's name wraps"
