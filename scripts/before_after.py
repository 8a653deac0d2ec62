"""Before/after screenshots of the pages issue 18 reworked, into docs/screenshots/before-after/.

    python -m scripts.before_after before    (on the unmodified code)
    python -m scripts.before_after after     (after the change)

Full-page PNGs of Mine skoler, Overblik and Min skole at 1280 and 768 px, and a line per page in
measurements-<stage>.txt with the page's height and width against its window (a page wider than
its window scrolls sideways).
"""

import sys
import tempfile
from pathlib import Path

from scripts.screenshots import sign_in
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.e2e.server import ROOT, demo_server

OUT = ROOT / "docs" / "screenshots" / "before-after"
PAGES = [
    ("mine-skoler", "konsulent@demo.maalpil.dk", "/mine-skoler"),
    ("overblik", "skolechef@demo.maalpil.dk", "/overblik"),
    ("min-skole", "skoleleder@demo.maalpil.dk", "/min-skole"),
]


def main(stage: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    lines = []
    with tempfile.TemporaryDirectory() as workdir, demo_server(Path(workdir)) as base_url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, email, path in PAGES:
            for viewport in ("desktop", "tablet"):
                width, height = VIEWPORTS[viewport]
                context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height}, locale="da-DK")
                page = context.new_page()
                sign_in(page, email)
                page.goto(path)
                page.wait_for_load_state("networkidle")
                size = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
                file = OUT / f"{name}-{stage}-{width}.png"
                page.screenshot(path=str(file), full_page=True)
                lines.append(f"{path} at {width} px: page {size[0]} px wide, {size[1]} px tall")
                print(lines[-1], file.relative_to(ROOT))
                context.close()
        browser.close()
    (OUT / f"measurements-{stage}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "after")
