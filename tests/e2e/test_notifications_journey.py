"""DESIGN journey 6 in the browser: the bell in the header shows what is unread, the page lists
it, and "Markér som læst" (one, then all) updates the list and the bell in place."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations

CONSULTANT = "fagkonsulent@demo.maalpil.dk"


def unread_count(page) -> int:
    bell = page.locator("#notification-bell")
    count = bell.locator(".notification-count")
    return int(count.get_attribute("data-unread")) if count.count() else 0


def test_the_bell_and_marking_notifications_read_in_place(page, sign_in):
    sign_in(CONSULTANT)
    bell = page.locator("#notification-bell")
    expect(bell).to_be_visible()
    before = unread_count(page)
    assert before >= 2, "the demo gives every account unread notifications"

    bell.click()
    expect(page).to_have_url(re.compile(r"/notifikationer$"))
    expect(page.get_by_role("heading", name="Notifikationer", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.evaluate("() => { window.stillThisPage = true }")  # a full reload would forget it

    first = page.locator(".notification-item.is-unread").first
    item_id = first.get_attribute("id")
    first.get_by_role("button", name=re.compile("^Markér som læst")).click()
    item = page.locator(f"#{item_id}")
    expect(item).not_to_have_class(re.compile("is-unread"))
    expect(item.get_by_role("button")).to_have_count(0)
    expect(page.locator("#notification-bell .notification-count")).to_have_attribute("data-unread", str(before - 1))
    expect(page.locator("#announcer")).to_have_text("Markeret som læst.")

    page.get_by_role("button", name="Markér alle som læst").click()
    expect(page.get_by_role("heading", name="0 ulæste")).to_be_visible()
    expect(page.locator(".notification-item.is-unread")).to_have_count(0)
    expect(page.locator("#notification-bell .notification-count")).to_have_count(0)
    assert page.evaluate("() => window.stillThisPage === true")

    # Each notification links to its object, whose page checks permission again.
    link = page.locator(".notification-item a").first
    href = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
