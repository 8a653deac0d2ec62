"""Historik honours the permissions table: what a draft or internal note or meeting says never
reaches anyone who may not read it now, on any page, filter, per-user view or fragment. Those
who may not read it see that something changed, never what."""

import re

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Agreement, AuditEvent, Meeting, SparringNote, Visibility
from tests.helpers import document_text, sign_in
from tests.world import ROLES, build_world, get_endpoints, url_for_endpoint

MARKERS = {
    "draft": "DRAFTNOTEMARK",
    "internal": "INTERNALNOTEMARK",
    "meeting_draft": "DRAFTMEETINGMARK",
}
# Who may read each kind now (DESIGN.md "Who may do what"): a draft is its author's alone, an
# internal note the administration's (admin, directorate, the school's consultants).
MAY_READ = {
    "draft": {"consultant"},
    "internal": {"consultant", "directorate", "admin"},
    "meeting_draft": {"consultant"},
}


def _note_form(world, marker, visibility):
    return {
        "school_id": world["school"].id, "held_on": "2025-10-01", "participants": f"{marker} deltagere",
        "subject_id": world.users["leader"].id, "stances": ["supportive"], "observation": f"{marker} iagttagelse",
        "experience": f"{marker} oplevelse", "interpretation": f"{marker} fortolkning",
        "suggestion": f"{marker} forslag", "visibility": visibility,
        "agreements-0-text": f"{marker} aftale", "agreements-0-owner_id": world.users["leader"].id,
        "agreements-0-due_on": "2025-11-01",
    }


@pytest.fixture
def written(app, client):
    """School A's consultant writes a draft note, an internal note and a draft meeting through the
    forms (so the history is the real one), and edits the draft once."""
    world = build_world()
    consultant = world.users["consultant"]
    sign_in(client, consultant)
    school = world["school"].id
    for kind, visibility in (("draft", "draft"), ("internal", "internal")):
        response = client.post(f"/skoler/{school}/notater/ny", data=_note_form(world, MARKERS[kind], visibility))
        assert response.status_code == 303, response.get_data(as_text=True)
    draft = db.session.scalar(sa.select(SparringNote).where(SparringNote.participants.startswith(MARKERS["draft"])))
    edit = _note_form(world, MARKERS["draft"], "draft") | {"observation": f"{MARKERS['draft']} rettet", "version": draft.version}
    edit |= {"agreements-0-id": draft.agreements[0].id}
    assert client.post(f"/notater/{draft.id}/rediger", data=edit).status_code in (200, 303)
    marker = MARKERS["meeting_draft"]
    response = client.post(f"/skoler/{school}/samtaler/ny", data={
        "meeting_type": "lus", "starts_at": "2025-11-03T10:00", "subject_id": world.users["leader"].id,
        "title": f"{marker} titel", "purpose": f"{marker} formål", "state": "planned", "visibility": "draft",
        "agenda-0-title": f"{marker} punkt", "agreements-0-text": f"{marker} aftale",
        "agreements-0-owner_id": world.users["leader"].id, "agreements-0-due_on": "2025-12-01",
    })
    assert response.status_code == 303, response.get_data(as_text=True)
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.title.startswith(marker)))
    ids = {
        "draft_note": draft.id,
        "internal_note": db.session.scalar(sa.select(SparringNote.id).where(SparringNote.visibility == Visibility.INTERNAL,
                                                                             SparringNote.participants.startswith("INTERNAL"))),
        "meeting": meeting.id,
        "agreements": list(db.session.scalars(sa.select(Agreement.id).where(Agreement.text.contains("MARK")))),
    }
    # The history holds the text: it is the history's reader rule that must keep it hidden.
    stored = " ".join(str(e.changes) + e.summary for e in db.session.scalars(sa.select(AuditEvent)))
    assert all(m in stored for m in MARKERS.values())
    with client.session_transaction() as session:
        session.clear()
    return world, ids


def _history_urls(world, ids) -> list[str]:
    consultant = world.users["consultant"].id
    urls = [
        "/admin/historik", f"/admin/historik?bruger={consultant}", f"/admin/brugere/{consultant}",
        f"/admin/historik?type=SparringNote&id={ids['draft_note']}",
        f"/admin/historik?type=SparringNote&id={ids['internal_note']}",
        f"/admin/historik?type=Meeting&id={ids['meeting']}",
        "/admin/historik?type=SparringNote", "/admin/historik?type=Agreement", "/admin/historik?side=1",
    ]
    urls += [f"/admin/historik?type=Agreement&id={a}" for a in ids["agreements"]]
    return urls


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_no_page_shows_a_draft_or_internal_text_to_someone_who_may_not_read_it(app, client, written, role):
    world, ids = written
    sign_in(client, world.users[role])
    urls = _history_urls(world, ids) + [url_for_endpoint(app, e, world) for e in get_endpoints(app)]
    urls += [url_for_endpoint(app, e + "@draft", world) for e in get_endpoints(app) if e.startswith("followup.")]
    seen = {kind: [] for kind in MARKERS}
    for url in urls:
        body = document_text(client.get(url))
        for kind, marker in MARKERS.items():
            if marker in body:
                seen[kind].append(url)
    for kind in MARKERS:
        if role not in MAY_READ[kind]:
            assert seen[kind] == [], f"{role} read a {kind} text on {seen[kind]}"


def test_the_administrator_sees_that_a_draft_changed_but_not_what(app, client, written):
    world, ids = written
    sign_in(client, world.users["admin"])
    page = client.get(f"/admin/historik?type=SparringNote&id={ids['draft_note']}").get_data(as_text=True)
    assert MARKERS["draft"] not in page
    assert "Indholdet vises kun for dem, der må læse det." in page
    assert "Iagttagelse" in page  # the fields that changed are named
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    assert len(rows) >= 3  # header, create, update


def test_the_administrator_reads_an_internal_note_history_in_full(app, client, written):
    world, ids = written
    sign_in(client, world.users["admin"])
    page = client.get(f"/admin/historik?type=SparringNote&id={ids['internal_note']}").get_data(as_text=True)
    assert f"{MARKERS['internal']} iagttagelse" in page


def test_a_note_made_draft_again_hides_its_history_again(app, client, written):
    world, ids = written
    note = db.session.get(SparringNote, ids["internal_note"])
    note.visibility = Visibility.DRAFT
    db.session.commit()
    sign_in(client, world.users["admin"])
    page = client.get("/admin/historik").get_data(as_text=True)
    assert MARKERS["internal"] not in page


def test_the_sql_clause_and_the_rule_agree_on_every_event(app, written):
    """audit_detail_clause is the SQL twin of can(user, 'audit.detail', event)."""
    from strategy.permissions import audit_detail_clause, can

    world, _ids = written
    events = list(db.session.scalars(sa.select(AuditEvent)))
    for role in ROLES[1:]:
        user = world.users[role]
        user = db.session.merge(user, load=True)
        in_sql = dict(db.session.execute(sa.select(AuditEvent.id, audit_detail_clause(user))).all())
        for event in events:
            assert bool(in_sql[event.id]) == can(user, "audit.detail", event), (role, event.object_type, event.action)
