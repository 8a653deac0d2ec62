"""Both languages: every interface string goes through the translation layer and has English."""

import ast
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


# --- Python code: strings a user reads must go through _() / _l() too --------------------------

TRANSLATING_CALLS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext"}
VALIDATORS = {"DataRequired", "InputRequired", "Length", "NumberRange", "Optional", "Email", "Regexp",
              "EqualTo", "AnyOf", "NoneOf", "URL", "DateRange"}


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_plain_text(node: ast.AST | None) -> bool:
    """A literal (or f-string) with words in it, not wrapped in a translating call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return False
    for allowed in UNTRANSLATED_OK:
        text = text.replace(allowed, "")
    return bool(LETTERS.search(text))


def python_literals(source: str) -> list[str]:
    """Plain literals where the interface expects translated text: flash(), form field labels and
    descriptions, validator messages, ValidationError, choice labels, announcements."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            candidates = []
            if name == "flash" or name == "ValidationError":
                candidates = node.args[:1]
            elif name.endswith("Field") and name != "HiddenField":
                candidates = node.args[:1] + [k.value for k in node.keywords if k.arg in ("label", "description")]
            elif name in VALIDATORS:
                candidates = [k.value for k in node.keywords if k.arg == "message"]
            elif name == "SelectChoice":
                candidates = node.args[1:2] + [k.value for k in node.keywords if k.arg == "label"]
            found += [f"line {c.lineno}: {name}({ast.unparse(c)})" for c in candidates if _is_plain_text(c)]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "announce" and _is_plain_text(value):
                    found.append(f"line {value.lineno}: announce {ast.unparse(value)}")
    return found


PYTHON_SOURCES = sorted(p for p in (ROOT / "strategy").rglob("*.py") if "demo" not in p.parts)


@pytest.mark.parametrize("module", PYTHON_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_code_has_no_interface_text_outside_the_translation_layer(module):
    assert python_literals(module.read_text(encoding="utf-8")) == []


def test_the_python_checker_catches_a_literal():
    source = '''
flash("Gemt.", "success")
flash(f"Slettet: {name}")
title = StringField("Titel", validators=[DataRequired(message="Skriv en titel.")])
raise ValidationError("Datoen er forkert.")
choices = [SelectChoice("a", "Første")]
headers = {"HX-Trigger": json.dumps({"announce": "Gemt"})}
'''
    assert len(python_literals(source)) == 7
    assert python_literals('flash(_("Gemt."), "success")\nx = StringField(_l("Titel"))\nn = HiddenField()') == []


# --- WTForms' own messages ---------------------------------------------------------------------

# Messages WTForms has for cases that are a programmer's error or features the app does not use.
WTFORMS_UNUSED = {"Invalid field name '%s'.", "Choices cannot be None.", "Invalid IP address.",
                  "Invalid Mac address.", "Invalid UUID.", "This field cannot be edited.",
                  "This field is disabled and cannot have a value.", "Invalid CSRF Token.",
                  "CSRF token missing.", "CSRF failed.", "CSRF token expired."}


def test_every_wtforms_message_has_a_danish_text():
    """WTForms ships no Danish catalogue: each message it can show has one in form_messages."""
    import wtforms

    from strategy.form_messages import MESSAGES

    package = Path(wtforms.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    messages = set(re.findall(r'gettext\(\s*"([^"]+)"(?:,\s*"([^"]+)")?', source))
    messages = {m for pair in messages for m in pair if m} - WTFORMS_UNUSED
    assert messages and sorted(messages - MESSAGES.keys()) == []


def test_wtforms_messages_follow_the_users_language(app):
    from flask_babel import force_locale, lazy_gettext as _l
    from flask_wtf import FlaskForm
    from wtforms import DateField

    class Form(FlaskForm):
        day = DateField(_l("Dato"))

    app.config["WTF_CSRF_ENABLED"] = False
    shown = {}
    for locale in ("da", "en"):
        with app.test_request_context("/", method="POST", data={"day": "not a date"}):
            app.preprocess_request()
            with force_locale(locale):
                form = Form()
                form.validate()
                shown[locale] = form.day.errors
    assert shown == {"da": ["Skriv en gyldig dato."], "en": ["Enter a valid date."]}


# --- JavaScript: the scripts hold no interface words of their own ---------------------------------

JS_SOURCES = sorted((ROOT / "static" / "js").glob("*.js"))
JS_STRING = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\"""")
# A string of code with spaces in it: a CSS selector list ('.accordion, .accordion-bordered').
JS_SELECTOR = re.compile(r"[.#\[]")
JS_WORDS = re.compile(r"[A-Za-z]{2,}[:,.!?]?\s+[A-Za-z]|[A-Za-z]{2,}:\s*$")


def js_literals(source: str) -> list[str]:
    """String literals in a script that read as interface text (words with spaces, a label with
    a colon, Danish letters), which must come from the page instead: a data-text-* attribute
    translated on the server, read with Maalpil.text() (app.js), read out with Maalpil.announce()."""
    source = re.sub(r"/\*.*?\*/", " ", source, flags=re.S)
    source = re.sub(r"(?m)^\s*//.*$|\s//\s.*$", " ", source)
    found = []
    for literal in JS_STRING.findall(source):
        text = literal[1:-1]
        if text == "use strict":
            continue
        if re.search(r"[ÆØÅæøå]", text) or (JS_WORDS.search(text) and not JS_SELECTOR.search(text)):
            found.append(text)
    return found


@pytest.mark.parametrize("script", JS_SOURCES, ids=lambda p: p.name)
def test_scripts_have_no_interface_text_outside_the_translation_layer(script):
    assert js_literals(script.read_text(encoding="utf-8")) == []


def test_the_script_checker_catches_a_literal():
    assert js_literals("say('Valgt: ' + name);") == ["Valgt: "]
    assert js_literals('el.textContent = "Ingen resultater";') == ["Ingen resultater"]
    assert js_literals("el.textContent = 'Fjernet fra listen';") == ["Fjernet fra listen"]
    assert js_literals("label = 'Søg';") == ["Søg"]
    assert js_literals("document.querySelector('[data-picker] .chip, #results'); x.getAttribute('data-text-' + key);") == []
    assert js_literals("Maalpil.announce(Maalpil.text(el, 'picked', {name: label}));") == []
