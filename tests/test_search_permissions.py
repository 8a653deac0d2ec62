"""The search shows exactly what each role may read: a hidden object is not found, not counted,
not highlighted and not suggested (DESIGN.md: "never leaked through a list, a search ...").

Every free text of tests/world.py carries a marker naming its field and object, e.g.
"zqnote_draft" in every field of the consultant's draft note. For every role of the world, the
results page (all kinds, and each kind alone), the count it shows and the header's suggestions
are checked against ``can()`` for the object: the permission rules are the oracle.
"""

import re

import pytest

from strategy.extensions import db
from strategy.models import Classification
from strategy.permissions import can
from tests.helpers import htmx_headers, sign_in
from tests.world import ROLES, build_world

# marker -> (object key in the world, the permission that decides who may read it, its kind)
MARKED = {
    "zqnotedraft": ("note_draft", "note.read", "note"),
    "zqnoteinternal": ("note_internal", "note.read", "note"),
    "zqnoteshared": ("note", "note.read", "note"),
    "zqnoteb": ("note_b", "note.read", "note"),
    "zqmeetingdraft": ("meeting_draft", "meeting.read", "meeting"),
    "zqmeetingb": ("meeting_b", "meeting.read", "meeting"),
    "zqindicator": ("goal", "indicator.read", "indicator"),  # the goal's indicator is Fortrolig
    "zqinitiativea": ("initiative", "strategy.read", "initiative"),
    "zqinitiativeb": ("initiative_b", "strategy.read", "initiative"),
}


@pytest.fixture
def world(app):
    w = build_world()
    o = w.objects
    for marker, (key, _rule, _kind) in MARKED.items():
        obj = db.session.merge(o[key])
        if key.startswith("note"):
            obj.observation = f"Observation {marker} i klassen"
        elif key.startswith("meeting"):
            obj.purpose = f"Formål {marker}"
        elif key == "goal":
            obj.indicator = f"Testresultater {marker}"
            obj.classification = Classification.CONFIDENTIAL
        else:
            obj.what_we_try = f"Vi afprøver {marker}"
    db.session.commit()
    return w


def _readable(world, user, key, rule) -> bool:
    return user is not None and can(user, rule, db.session.merge(world[key]))


def _count_shown(html: str) -> int:
    found = re.search(r"(\d+) resultat", html)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_each_role_finds_exactly_what_it_may_read(app, world, role):
    client = app.test_client()
    user = world.user(role)
    sign_in(client, user)
    for marker, (key, rule, kind) in MARKED.items():
        allowed = _readable(world, user, key, rule)
        pages = {
            "results": client.get(f"/soeg?q={marker}"),
            "results-htmx": client.get(f"/soeg?q={marker}", headers=htmx_headers()),
            "suggestions": client.get(f"/soeg/forslag?q={marker}", headers=htmx_headers()),
            "prefix": client.get(f"/soeg/forslag?q={marker[:-1]}", headers=htmx_headers()),
        }
        pages[f"type={kind}"] = client.get(f"/soeg?q={marker}&type={kind}")
        for name, response in pages.items():
            html = response.get_data(as_text=True)
            assert response.status_code == 200, (role, marker, name)
            # The query itself is echoed (the field, the URL, the title): everything else is a hit.
            echo = (f"q={marker}", f'"{marker}"', f"&#34;{marker}&#34;", f"Søgning: {marker}")
            for e in echo:
                html = html.replace(e, "")
            assert (marker in html) == allowed, (role, marker, name)
            assert ("<mark>" in html and marker in html) == allowed, (role, marker, name)
        assert _count_shown(pages["results"].get_data(as_text=True)) == (1 if allowed else 0), (role, marker)


def test_anonymous_is_sent_to_the_login_page(app, world):
    client = app.test_client()
    for url in ("/soeg?q=zqnotedraft", "/soeg/forslag?q=zqnotedraft"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_oracle_distinguishes_the_roles(world):
    """The markers above really are hidden from some roles and shown to others."""
    for marker, (key, rule, _kind) in MARKED.items():
        seen = {role for role in ROLES if _readable(world, world.user(role), key, rule)}
        assert seen and seen != set(ROLES) - {"anonymous"} or key == "initiative", (marker, seen)
