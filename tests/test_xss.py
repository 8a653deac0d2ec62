"""XSS payloads stored in every free-text field come back escaped in every page and fragment.

The world of tests/world.py is built with a payload in every free text: a marker naming the
field, then `"><img src=x onerror=alert(1)><script>alert(1)</script>`; every other field starts
with `javascript:` as well, so a text that ended up in an href would be caught. Every page is
then opened by every role, as a page and as an htmx fragment.
"""

from __future__ import annotations

import re

import pytest

from strategy.extensions import db
from tests.helpers import htmx_headers, sign_in
from tests.world import ROLES, crawl_urls, forms_of, kept_world, post_endpoint_of

PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
ESCAPED = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
DANGEROUS = [
    re.compile(r"<script>alert\(1\)</script>", re.I),
    re.compile(r"<img src=x onerror=alert\(1\)>", re.I),
    re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I),
]
FIELDS: list[str] = []


def marker(field_name: str) -> str:
    return f"x{FIELDS.index(field_name)}x"


def xss_text(field_name: str) -> str:
    if field_name not in FIELDS:
        FIELDS.append(field_name)
    prefix = "javascript:alert(1)//" if FIELDS.index(field_name) % 2 else ""
    return f"{prefix}{marker(field_name)}{PAYLOAD}"


# The free-text fields that must be shown (escaped) on some page or fragment.
MUST_BE_SHOWN = [
    "goal.title", "goal.description", "goal.indicator",
    "initiative.title", "initiative.starting_point", "initiative.what_we_try", "initiative.who_does_what",
    "initiative.responsible", "initiative.success_signs", "initiative.evaluation_plan",
    "status_update.comment",
    "evaluation.what_was_done", "evaluation.signs_observed", "evaluation.data_used", "evaluation.next_steps",
    "comment.body",
    "note.participants", "note.observation", "note.experience", "note.interpretation", "note.suggestion",
    "meeting.title", "meeting.purpose", "meeting.expected_outcome", "meeting.participants", "meeting.roles",
    "meeting.notes", "agenda_item.title",
    "agreement.text",
    "user.name", "school.name", "cluster.name", "watchlist.reason",
    "level.name", "expectation.text", "political_goal.text", "tool.name",
]

VIEWERS = [r for r in ROLES if r != "anonymous"]


@pytest.fixture(scope="module")
def keeper():
    with kept_world(xss_text, PROPAGATE_EXCEPTIONS=False) as keeper:
        yield keeper


@pytest.fixture(scope="module")
def pages(keeper) -> dict[tuple[str, str, str], tuple[int, str]]:
    """(role, url, "page"|"fragment") -> (status, body) for every GET page of every role."""
    app = keeper.app
    world = keeper.fresh()
    urls = crawl_urls(app, world, admin_variants=False)
    results = {}
    for role in VIEWERS:
        client = app.test_client()
        sign_in(client, keeper.fresh().user(role))
        for url in urls:
            for mode, headers in (("page", {}), ("fragment", htmx_headers())):
                response = client.get(url, headers=headers)
                if response.mimetype != "text/html":  # downloads (PDF, Excel, CSV) are not pages
                    assert response.status_code < 500, url
                    continue
                results[(role, url, mode)] = (response.status_code, response.get_data(as_text=True))
    db.session.remove()
    return results


@pytest.mark.parametrize("role", VIEWERS)
def test_no_stored_payload_comes_back_unescaped(pages, role):
    problems = []
    for (who, url, mode), (status, body) in pages.items():
        if who != role:
            continue
        if status >= 500:
            problems.append(f"{mode} {url}: {status}")
        for pattern in DANGEROUS:
            for match in pattern.finditer(body):
                context = body[max(0, match.start() - 80): match.end() + 20].replace("\n", " ")
                problems.append(f"{mode} {url}: {pattern.pattern} in …{context}…")
    assert not problems, "\n".join(problems[:30])


def test_every_free_text_field_is_shown_escaped_somewhere(pages):
    bodies = [body for (status, body) in pages.values() if status == 200]
    shown = {name for name in FIELDS if any(f"{marker(name)}{ESCAPED}" in b for b in bodies)}
    missing = [name for name in MUST_BE_SHOWN if name not in shown]
    assert not missing, f"never shown escaped (or shown mangled) on any page: {missing}"


def test_submitted_payloads_are_escaped_in_the_response(keeper, pages):
    """A form posted with a payload in every text field: the answer (422 form, fragment, page)
    never carries it unescaped."""
    app = keeper.app
    forms: dict[str, tuple[str, object]] = {}
    for (role, url, _mode), (status, body) in pages.items():
        if status == 200 and role in ("leader", "consultant", "admin"):
            for spec in forms_of(body, url):
                endpoint = post_endpoint_of(app, spec.action)
                if endpoint:
                    forms.setdefault(endpoint, (role, spec))
    problems = []
    for endpoint, (role, spec) in sorted(forms.items()):
        for headers in ({}, htmx_headers()):
            world = keeper.fresh()
            client = app.test_client()
            if world.user(role) is not None:
                sign_in(client, world.user(role))
            data = {}
            for name, f in spec.fields.items():
                if f.kind in ("text", "textarea", "search", "email"):
                    data[name] = f"javascript:alert(1)//{PAYLOAD}"
                elif f.options:
                    data[name] = f.options[-1]
                elif f.value:
                    data[name] = f.value
            response = client.post(spec.action, data=data, headers=headers, follow_redirects=True)
            keeper.after("POST", response)
            keeper.dirty = True  # followed redirects hide whether it wrote; start clean
            body = response.get_data(as_text=True)
            if response.status_code >= 500:
                problems.append(f"{endpoint}: {response.status_code}")
            for pattern in DANGEROUS:
                if pattern.search(body):
                    problems.append(f"{endpoint} ({'htmx' if headers else 'form'}): {pattern.pattern}")
    assert not problems, "\n".join(problems)
