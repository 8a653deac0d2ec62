"""The stylesheets write each colour once: in static/css/tokens.css (DKFDS' tokens and the one
status palette); every other stylesheet uses the custom properties."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[1] / "static" / "css"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(")
STATUS_KEYS = ("not_started", "in_progress", "on_track", "challenged", "completed", "stopped")


def test_no_stylesheet_but_the_tokens_writes_a_colour():
    written = {
        f"{path.name}:{number}": line.strip()
        for path in sorted(CSS.glob("*.css")) if path.name != "tokens.css"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if COLOUR.search(line.split("/*")[0])
    }
    assert written == {}


def test_every_custom_property_used_is_defined_in_the_tokens():
    tokens = (CSS / "tokens.css").read_text(encoding="utf-8")
    defined = set(re.findall(r"(--[\w-]+)\s*:", tokens))
    used = {name for path in CSS.glob("*.css") for name in re.findall(r"var\((--[\w-]+)\)", path.read_text(encoding="utf-8"))}
    assert used and used <= defined, sorted(used - defined)


def test_the_status_palette_is_styled_in_one_stylesheet():
    where = {
        key: sorted(path.name for path in CSS.glob("*.css") if re.search(rf"\.status-{key}\b", path.read_text(encoding="utf-8")))
        for key in STATUS_KEYS
    }
    assert where == {key: ["app.css"] for key in STATUS_KEYS}
