"""The main pages, and the htmx fragments swapped into them, are valid HTML (Nu Html Checker).

Each page is fetched from the live server as the role that uses it, so the markup is exactly what
the browser gets; fragments are wrapped in a minimal document. The checker (npm package vnu-jar,
installed into .venv by `scripts/vnu.sh`, which `make test` runs) runs once over all the files.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.server import ROOT

VNU_SCRIPT = ROOT / "scripts" / "vnu.sh"
VNU_VERSION = re.search(r'^VNU_VERSION="([^"]+)"', VNU_SCRIPT.read_text(encoding="utf-8"), re.M).group(1)
VNU_PACKAGE = ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar"
VNU_JAR = VNU_PACKAGE / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

LEADER = "skoleleder@demo.maalpil.dk"
CONSULTANT = "konsulent@demo.maalpil.dk"
DIRECTORATE = "skolechef@demo.maalpil.dk"
ADMIN = "admin@demo.maalpil.dk"
READER = "laeser@demo.maalpil.dk"
BOARD = "bestyrelse@demo.maalpil.dk"
COMMITTEE = "udvalg@demo.maalpil.dk"

# (name, who, path, fragment?) -- "{goal}" etc. are the first such link found in the demo.
# who=None is a visitor who is not signed in.
PAGES = [
    ("login", None, "/login", False),
    ("forgot-password", None, "/glemt-adgangskode", False),
    ("my-account", LEADER, "/min-konto/", False),
    ("not-found", LEADER, "/findes-ikke", False),
    ("min-skole", LEADER, "/min-skole", False),
    ("goal", LEADER, "/maal/{goal}", False),
    ("goal-history", LEADER, "/maal/{goal}/historik", False),
    ("initiative", LEADER, "/tiltag/{initiative}", False),
    ("leader-agreements", LEADER, "/mine-aftaler", False),
    ("schools", LEADER, "/skoler", False),
    ("reader-school", READER, "/min-skole", False),
    ("my-schools", CONSULTANT, "/mine-skoler", False),
    ("school-followup", CONSULTANT, "/skoler/{school}/opfoelgning", False),
    ("note-form", CONSULTANT, "/skoler/{school}/notater/ny", False),
    ("note", CONSULTANT, "/notater/{note}", False),
    ("meeting-form", CONSULTANT, "/skoler/{school}/samtaler/ny", False),
    ("meeting", CONSULTANT, "/samtaler/{meeting}", False),
    ("consultant-agreements", CONSULTANT, "/mine-aftaler", False),
    ("overview", DIRECTORATE, "/overblik", False),
    ("signals", DIRECTORATE, "/overblik/signaler", False),
    ("overview-political-goal", DIRECTORATE, "/overblik/politiske-maal/{political_goal}", False),
    ("reports", DIRECTORATE, "/overblik/rapporter", False),
    ("school-report", DIRECTORATE, "/overblik/rapporter/skole/{school}", False),
    ("cadence", DIRECTORATE, "/opfoelgning", False),
    ("goals-report", DIRECTORATE, "/overblik/rapporter/politiske-maal", False),
    ("overview-pipeline", DIRECTORATE, "/overblik/learning-pipeline", False),
    ("overview-outcomes", DIRECTORATE, "/overblik/resultater", False),
    ("sus", DIRECTORATE, "/skoler/{school}/sus", False),
    ("sus-report", DIRECTORATE, "/skoler/{school}/sus/rapport", False),
    ("board", BOARD, "/bestyrelse", False),
    ("committee", COMMITTEE, "/skoleudvalg", False),
    ("learning-pipeline", READER, "/learning-pipeline", False),
    ("pipeline-level", READER, "/learning-pipeline/niveau/{level}", False),
    ("pipeline-faq", READER, "/learning-pipeline/spoergsmaal", False),
    ("political-goals", READER, "/politiske-maal", False),
    ("tools", READER, "/vaerktoejer", False),
    ("tool", READER, "/vaerktoejer/{tool}", False),
    ("admin", ADMIN, "/admin", False),
    ("admin-users", ADMIN, "/admin/brugere", False),
    ("admin-user", ADMIN, "/admin/brugere/{user}", False),
    ("admin-schools", ADMIN, "/admin/skoler", False),
    ("admin-periods", ADMIN, "/admin/perioder", False),
    ("admin-history", ADMIN, "/admin/historik", False),
    ("notifications", LEADER, "/notifikationer", False),
    ("notification-settings", LEADER, "/indstillinger/notifikationer", False),
    ("admin-mail-log", ADMIN, "/admin/e-mails", False),
    ("admin-political-goals", ADMIN, "/admin/politiske-maal", False),
    ("search", LEADER, "/soeg?q=læsebånd", False),
    ("search-notes", CONSULTANT, "/soeg?q=læsning&type=note", False),
    ("practices", LEADER, "/skoler/{own_school}/praksis", False),
    ("adopt", LEADER, "/tiltag/{practice}/inspiration", False),
    ("spread", DIRECTORATE, "/videndeling", False),
    # htmx fragments, as swapped into the page
    ("fragment-status-form", LEADER, "/tiltag/{initiative}/status?rediger=1", True),
    ("fragment-goal-evaluation-form", LEADER, "/maal/{goal}/evalueringer/ny", True),
    ("fragment-initiative-form", LEADER, "/maal/{goal}/tiltag/ny", True),
    ("fragment-goal-form", LEADER, "/maal/{goal}/rediger", True),
    ("fragment-initiative-edit-form", LEADER, "/tiltag/{initiative}/rediger", True),
    ("fragment-initiative-evaluation-form", LEADER, "/tiltag/{initiative}/evalueringer/ny", True),
    ("fragment-pipeline-search", READER, "/learning-pipeline?q=feedback", True),
    ("fragment-note-school-fields", CONSULTANT, "/notater/skolefelter?school_id={school}", True),
    ("fragment-agreement-row", CONSULTANT, "/aftaler/ny-raekke?school_id={school}&add_agreement=1", True),
    ("fragment-overview-cell", DIRECTORATE, "/overblik/celle/{cell}", True),
    ("fragment-search-suggestions", LEADER, "/soeg/forslag?q=læseb", True),
    ("fragment-search-results", LEADER, "/soeg?q=læsebånd", True),
]

# Where each placeholder is found: (who, page, pattern of the first link).
PLACEHOLDERS = {
    "goal": (LEADER, "/min-skole", r'href="/maal/(\d+)"'),
    "initiative": (LEADER, "/min-skole", r'href="/tiltag/(\d+)"'),
    "school": (CONSULTANT, "/mine-skoler", r'href="/skoler/(\d+)/opfoelgning"'),
    "note": (CONSULTANT, "/skoler/{school}/opfoelgning", r'href="/notater/(\d+)"'),
    "meeting": (CONSULTANT, "/skoler/{school}/opfoelgning", r'href="/samtaler/(\d+)"'),
    "political_goal": (DIRECTORATE, "/overblik", r'href="/overblik/politiske-maal/(\d+)'),
    "cell": (DIRECTORATE, "/overblik", r'href="/overblik/celle/(\d+/\d+\?periode=\d+)"'),
    "level": (READER, "/learning-pipeline", r'href="/learning-pipeline/niveau/(\d+)"'),
    "tool": (READER, "/vaerktoejer", r'href="/vaerktoejer/([\w-]+)"'),
    "user": (ADMIN, "/admin/brugere", r'href="/admin/brugere/(\d+)"'),
    "own_school": (LEADER, "/min-skole", r'href="/skoler/(\d+)/praksis"'),
    "practice": (LEADER, "/skoler/{own_school}/praksis", r'href="/tiltag/(\d+)/inspiration'),
}

FRAGMENT_DOCUMENT = (
    '<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n<title>{name}</title>\n</head>\n'
    "<body>\n{body}\n</body>\n</html>\n"
)
HTMX_HEADERS = {"HX-Request": "true", "HX-Request-Type": "partial"}
# htmx's attributes (hx-get, hx-swap:inherited, ...) are not in the HTML standard, so the checker
# reports each as "not allowed"; that one message is ignored for them, and only for them.
HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[\w:.-]+” not allowed on element “[\w-]+” at this point\.$")


def _vnu_missing() -> str | None:
    if JAVA is None:
        return "java not found: the Nu Html Checker needs it"
    if not VNU_JAR.exists():
        return f"vnu-jar not installed: run scripts/vnu.sh (make test does when npm and java exist); no {VNU_JAR}"
    installed = json.loads((VNU_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != VNU_VERSION:
        return f"vnu-jar {installed} installed, {VNU_VERSION} pinned: run scripts/vnu.sh"
    return None


@pytest.fixture(scope="module")
def vnu_report(browser, live_server, tmp_path_factory):
    """Fetch every page in PAGES, run the checker once over all of them; {name: [errors]}."""
    if reason := _vnu_missing():
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("html")
    contexts = {}

    def request_for(who):
        if who not in contexts:
            context = browser.new_context(base_url=live_server, locale="da-DK")
            if who is not None:
                log_in(context.new_page(), who)
            contexts[who] = context
        return contexts[who].request

    def fetch(who, path, fragment=False):
        response = request_for(who).get(path, headers=HTMX_HEADERS if fragment else None)
        return response.status, response.text()

    values = {}

    def fill(path):
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)

    try:
        for key, (who, path, pattern) in PLACEHOLDERS.items():
            status, text = fetch(who, fill(path))
            found = re.search(pattern, text)
            assert status == 200 and found, f"no link for {key} on {path}"
            values[key] = found.group(1)
        files = {}
        for name, who, path, fragment in PAGES:
            status, text = fetch(who, fill(path), fragment)
            expected = 404 if name == "not-found" else 200
            assert status == expected, f"{name}: {fill(path)} answered {status}"
            if fragment:
                assert "<html" not in text, f"{name}: {fill(path)} answered a whole page to htmx"
                text = FRAGMENT_DOCUMENT.format(name=name, body=text)
            files[name] = folder / f"{name}.html"
            files[name].write_text(text, encoding="utf-8")
    finally:
        for context in contexts.values():
            context.close()

    result = subprocess.run(
        [JAVA, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files.values())],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    by_file = {path.as_uri(): name for name, path in files.items()}
    report = {name: [] for name in files}
    for message in messages:
        if HTMX_ATTRIBUTE.match(message["message"]):
            continue
        name = by_file.get(message.get("url", "").replace("file:/", "file:///", 1)) or by_file.get(message.get("url"))
        line = f'line {message.get("lastLine", "?")}: {message["message"]}  [{message.get("extract", "").strip()}]'
        report.setdefault(name or message.get("url", "?"), []).append(line)
    for name, errors in report.items():
        print(f"{name}: {len(errors)} errors", *errors, sep="\n  ")
    return report


@pytest.mark.parametrize("name", [name for name, *_rest in PAGES])
def test_page_is_valid_html(vnu_report, name):
    assert vnu_report[name] == [], f"{name}: " + "\n".join(vnu_report[name])


def test_the_checker_ran_over_every_page_and_nothing_else(vnu_report):
    assert sorted(vnu_report) == sorted(name for name, *_rest in PAGES)
