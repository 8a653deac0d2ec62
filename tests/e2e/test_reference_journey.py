"""Anyone signed in looks up the Learning Pipeline: search as you type, compare, back and reload."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations


def test_search_as_you_type_filters_in_place_and_keeps_the_url(page, sign_in):
    sign_in("laeser@demo.maalpil.dk")
    page.goto("/learning-pipeline")
    expect(page.get_by_role("heading", name="Learning Pipeline", level=1)).to_be_visible()
    page.get_by_label("Søg i forventningerne").press_sequentially("feedback", delay=30)
    expect(page.locator("#pipeline-results")).to_contain_text('matcher "feedback"')
    expect(page).to_have_url("/learning-pipeline?q=feedback")
    page.reload()
    expect(page.get_by_label("Søg i forventningerne")).to_have_value("feedback")
    expect(page.locator("#pipeline-results")).to_contain_text('matcher "feedback"')


def test_compare_two_levels_then_go_back(page, sign_in):
    sign_in("laeser@demo.maalpil.dk")
    page.goto("/learning-pipeline")
    page.get_by_label("Vælg til sammenligning (Medarbejder)").check()
    page.get_by_label("Vælg til sammenligning (Forældre)").check()
    page.get_by_role("button", name="Sammenlign valgte niveauer").click()
    expect(page.get_by_role("heading", name="Sammenlign niveauer")).to_be_visible()
    expect(page.locator(".compare-grid section")).to_have_count(2)
    page.go_back()
    expect(page.get_by_role("heading", name="Learning Pipeline", level=1)).to_be_visible()


def test_reference_pages_have_no_serious_accessibility_violations(page, sign_in):
    sign_in("laeser@demo.maalpil.dk")
    for path in ("/learning-pipeline", "/learning-pipeline/sammenlign", "/politiske-maal", "/vaerktoejer"):
        page.goto(path)
        assert axe_violations(page) == [], path


def test_wrong_password_is_shown_at_the_field(page):
    page.goto("/login")
    page.get_by_label("E-mailadresse").fill("skoleleder@demo.maalpil.dk")
    page.get_by_label("Adgangskode").fill("not-the-password")
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".form-error-message")).to_contain_text("Forkert e-mailadresse eller adgangskode.")
    expect(page.get_by_label("E-mailadresse")).to_have_value("skoleleder@demo.maalpil.dk")
