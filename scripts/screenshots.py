"""`make screenshots`: PNGs of the main pages per role, at desktop and tablet width.

Serves a fresh demo database like the browser tests (tests/e2e/server.py), signs in as each role
with Debian's Chromium and writes viewport-sized screenshots (not full pages, so the files stay
small) into docs/screenshots/, together with its README.md.

    python -m scripts.screenshots    (from the checkout; `make screenshots` does this)
    python -m scripts.screenshots leader-notifications admin-mail-log   (only these, others kept)
"""

import re
import tempfile
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, VIEWPORTS
from tests.e2e.server import ROOT, demo_server

OUT = ROOT / "docs" / "screenshots"

# (file name, role shown in the README, account, path, what the page is). "{goal}" etc. are the
# first such link on the page named in FIRST_LINK.
SHOTS = [
    ("login", "-", None, "/login", "Log ind"),
    ("leader-welcome", "school leader", "afdelingsleder@demo.maalpil.dk*", "/min-skole", "Første log ind: velkomsten med guiden til den første uge"),
    ("leader-first-week", "school leader", "skoleleder@demo.maalpil.dk", "/hjaelp", "Hjælp: din første uge"),
    ("leader-my-school", "school leader", "skoleleder@demo.maalpil.dk", "/min-skole", "Min skole: mål, tiltag og status"),
    ("leader-goal", "school leader", "skoleleder@demo.maalpil.dk", "/maal/{goal}", "Et mål med indikator og målinger"),
    ("leader-initiative", "school leader", "skoleleder@demo.maalpil.dk", "/tiltag/{initiative}", "Et tiltag (handleplan)"),
    ("consultant-my-schools", "consultant", "konsulent@demo.maalpil.dk", "/mine-skoler", "Mine skoler"),
    ("consultant-school-followup", "consultant", "konsulent@demo.maalpil.dk", "/skoler/{school}/opfoelgning", "En skoles opfølgning"),
    ("consultant-note-form", "consultant", "konsulent@demo.maalpil.dk", "/skoler/{school}/notater/ny", "Nyt sparringsnotat"),
    ("consultant-meeting", "consultant", "konsulent@demo.maalpil.dk", "/samtaler/{meeting}", "En samtale med dagsorden og aftaler"),
    ("directorate-overview", "directorate", "skolechef@demo.maalpil.dk", "/overblik", "Overblik: skoler × politiske mål"),
    ("directorate-signals", "directorate", "skolechef@demo.maalpil.dk", "/overblik/signaler", "Signaler og watchlist"),
    ("directorate-cadence", "directorate", "skolechef@demo.maalpil.dk", "/opfoelgning", "Samtalekadence"),
    ("directorate-reports", "directorate", "skolechef@demo.maalpil.dk", "/overblik/rapporter", "Rapporter"),
    ("leader-profile", "school leader", "skoleleder@demo.maalpil.dk", "/min-profil", "Min profil"),
    ("accessibility-statement", "-", None, "/tilgaengelighed", "Tilgængelighedserklæring"),
    ("reader-learning-pipeline", "reader", "laeser@demo.maalpil.dk", "/learning-pipeline", "Learning Pipeline"),
    ("reader-political-goals", "reader", "laeser@demo.maalpil.dk", "/politiske-maal", "Politiske mål"),
    ("admin-users", "administrator", "admin@demo.maalpil.dk", "/admin/brugere", "Brugere"),
    ("admin-history", "administrator", "admin@demo.maalpil.dk", "/admin/historik", "Historik"),
    ("leader-notifications", "school leader", "skoleleder@demo.maalpil.dk", "/notifikationer",
     "Notifikationer: klokken i toppen og listen"),
    ("leader-notification-settings", "school leader", "skoleleder@demo.maalpil.dk", "/indstillinger/notifikationer",
     "Indstillinger for notifikationer"),
    ("admin-mail-log", "administrator", "admin@demo.maalpil.dk", "/admin/e-mails", "Udsendte e-mails"),
]
FIRST_LINK = {
    "goal": ("skoleleder@demo.maalpil.dk", "/min-skole", r'href="/maal/(\d+)"'),
    "initiative": ("skoleleder@demo.maalpil.dk", "/min-skole", r'href="/tiltag/(\d+)"'),
    "school": ("konsulent@demo.maalpil.dk", "/mine-skoler", r'href="/skoler/(\d+)/opfoelgning"'),
    "meeting": ("konsulent@demo.maalpil.dk", "/skoler/{school}/opfoelgning", r'href="/samtaler/(\d+)"'),
}
WIDTHS = {"desktop": VIEWPORTS["desktop"], "tablet": VIEWPORTS["tablet"]}


def sign_in(page, email: str, keep_welcome: bool = False) -> None:
    """Sign in; unless ``keep_welcome``, close the welcome shown after a first sign-in, as a user
    does once (an account written "name*" in SHOTS keeps it, to show it)."""
    page.goto("/login")
    page.get_by_label("E-mailadresse").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")
    close = page.get_by_role("button", name="Skjul velkomsten")
    if not keep_welcome and close.count():
        close.click()
        page.wait_for_load_state("networkidle")


def main(only: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        if not only or any(old.name.startswith(f"{name}-") for name in only):
            old.unlink()
    written = []
    with tempfile.TemporaryDirectory() as workdir, demo_server(Path(workdir)) as base_url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = {}

        def page_for(email, viewport):
            key = (email, viewport)
            if key not in contexts:
                width, height = WIDTHS[viewport]
                context = browser.new_context(
                    base_url=base_url, viewport={"width": width, "height": height}, locale="da-DK"
                )
                page = context.new_page()
                if email:
                    sign_in(page, email.rstrip("*"), keep_welcome=email.endswith("*"))
                contexts[key] = page
            return contexts[key]

        values = {}

        def fill(path):
            return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)

        for key, (email, path, pattern) in FIRST_LINK.items():
            found = re.search(pattern, page_for(email, "desktop").request.get(fill(path)).text())
            if not found:
                raise SystemExit(f"no link for {key} on {path}")
            values[key] = found.group(1)

        for name, _role, email, path, _title in SHOTS:
            if only and name not in only:
                continue
            for viewport in WIDTHS:
                page = page_for(email, viewport)
                page.goto(fill(path))
                page.wait_for_load_state("networkidle")
                file = OUT / f"{name}-{viewport}.png"
                page.screenshot(path=str(file), full_page=False)
                written.append(file)
                print(f"{file.relative_to(ROOT)}  {file.stat().st_size // 1024} KB")
        browser.close()
    write_readme()
    total = sum(f.stat().st_size for f in written)
    print(f"{len(written)} screenshots, {total // 1024} KB in {OUT.relative_to(ROOT)}")


def write_readme() -> None:
    rows = "\n".join(
        f"| {title} | {role} | `{path}` | [desktop]({name}-desktop.png) | [tablet]({name}-tablet.png) |"
        for name, role, _email, path, title in SHOTS
    )
    desktop, tablet = WIDTHS["desktop"], WIDTHS["tablet"]
    (OUT / "README.md").write_text(
        f"""# Screenshots

Written by `make screenshots` (`scripts/screenshots.py`): the demo municipality served from a fresh
database, each page as the role that uses it, at desktop ({desktop[0]}×{desktop[1]}) and tablet
({tablet[0]}×{tablet[1]}) size. Only the first screenful of each page is shown. Re-run the command
after a change to the interface; do not edit the files by hand.

| page | signed in as | address | desktop | tablet |
| --- | --- | --- | --- | --- |
{rows}
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:] or None)
