"""Both languages: every interface string goes through the translation layer and has English."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
CATALOGUE = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"

# Words that are the same in both languages: names of the product and of the sources.
UNTRANSLATED_OK = {"Målpil", "Learning Pipeline", "LUS", "GRUS", "Dansk", "English", "PDF", "CSV", "Excel"}
LETTERS = re.compile(r"[A-Za-zÆØÅæøå]{2,}")
READABLE_ATTRIBUTES = re.compile(
    r'\b(aria-label|aria-description|title|placeholder|alt|data-confirm|hx-confirm)="([^"]*)"'
)


def visible_literals(source: str) -> list[str]:
    """Text a user would read that is written straight into the template, not through _()."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    attributes = [value for _name, value in READABLE_ATTRIBUTES.findall(source)]
    source = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    text = re.sub(r"<[^>]*>", "\n", source)
    literals = []
    for chunk in [*text.split("\n"), *(re.sub(r"\{\{.*?\}\}", " ", a) for a in attributes)]:
        chunk = chunk.strip()
        for allowed in UNTRANSLATED_OK:
            chunk = chunk.replace(allowed, "")
        chunk = re.sub(r"&[a-z]+;", " ", chunk)
        if LETTERS.search(chunk):
            literals.append(chunk)
    return literals


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_have_no_text_outside_the_translation_layer(template):
    assert visible_literals(template.read_text(encoding="utf-8")) == []


def test_the_checker_catches_a_literal():
    assert visible_literals("<p>Gem ændringer</p>") == ["Gem ændringer"]
    assert visible_literals('<button aria-label="Luk">x</button>') == ["Luk"]
    assert visible_literals("<p>{{ _('Gem ændringer') }}</p>") == []


def test_every_interface_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy and (
        all(m.string) if isinstance(m.string, tuple) else True)}
    missing = sorted((m if isinstance(m, str) else m[0]) for m in wanted - translated)
    assert missing == [], f"{len(missing)} strings lack English (run `make messages` and translate): {missing[:20]}"
