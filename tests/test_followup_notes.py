"""Writing a sparring note during a visit: the form, its fragments, validation, conflicts, history."""

import json
import re
from datetime import date

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Agreement, AuditEvent, Role, SparringNote, Stance, Status, Visibility
from tests.helpers import htmx_headers, reload, text_of


@pytest.fixture
def visit(make, seeded):
    school = make.school("Nordskolen")
    leader = make.user(Role.LEADER, school=school, name="Lone Leder", title="Skoleleder")
    consultant = make.user(Role.CONSULTANT, assigned=[school], name="Karen Konsulent")
    strategy = make.strategy(school, make.period(2025, 2027))
    goal = make.goal(strategy, title="Alle elever læser")
    initiative = make.initiative(goal, status=Status.ON_TRACK, title="Læsebånd hver morgen")
    return {"school": school, "leader": leader, "consultant": consultant, "goal": goal, "initiative": initiative}


def _form(visit, **values):
    data = {
        "school_id": visit["school"].id,
        "held_on": "2025-10-01",
        "participants": "Lone, Karen",
        "subject_id": visit["leader"].id,
        "stances": ["supportive", "challenging"],
        "observation": "Jeg ser en rolig morgen.",
        "experience": "Jeg bliver glad.",
        "interpretation": "Det virker, som om læsebåndet bærer.",
        "suggestion": "Måske kunne I måle det.",
        "goal_ids": [visit["goal"].id],
        "initiative_ids": [visit["initiative"].id],
        "visibility": "shared",
        "agreements-0-text": "Lone sender data",
        "agreements-0-owner_id": visit["leader"].id,
        "agreements-0-due_on": "2025-11-01",
    }
    data.update(values)
    return data


def test_the_form_offers_stances_feedback_prompts_leaders_and_goals(client, login_as, visit):
    login_as(visit["consultant"])
    response = client.get(f"/skoler/{visit['school'].id}/notater/ny")
    assert response.status_code == 200
    text = text_of(response)
    # stance descriptions and feedback prompts come from the source via the Tool tables
    assert "Når jeg tager udgangspunkt i samarbejdspartneres eksisterende praksis" in text
    assert "Jeg ser... · Jeg hører..." in text
    assert "Lone Leder (Skoleleder)" in text
    assert "Alle elever læser" in text and "Læsebånd hver morgen" in text
    assert 'hx-post="/skoler/' in response.get_data(as_text=True)


def test_saving_a_new_note_stores_everything_and_its_history(client, login_as, visit):
    login_as(visit["consultant"])

    response = client.post(f"/skoler/{visit['school'].id}/notater/ny", data=_form(visit))

    assert response.status_code == 303
    saved = db.session.scalar(sa.select(SparringNote))
    assert response.headers["Location"] == f"/notater/{saved.id}"  # the note, no longer its form
    assert saved.author_id == visit["consultant"].id and saved.subject_id == visit["leader"].id
    assert saved.stances == [Stance.SUPPORTIVE, Stance.CHALLENGING]
    assert saved.visibility == Visibility.SHARED
    assert [g.title for g in saved.goals] == ["Alle elever læser"]
    assert [i.title for i in saved.initiatives] == ["Læsebånd hver morgen"]
    [made] = saved.agreements
    assert (made.text, made.owner_id, made.due_on, made.school_id) == (
        "Lone sender data", visit["leader"].id, date(2025, 11, 1), visit["school"].id)
    events = {(e.action, e.object_type) for e in db.session.scalars(sa.select(AuditEvent))}
    assert {("create", "SparringNote"), ("create", "Agreement")} <= events


def test_htmx_create_redirects_client_side(client, login_as, visit):
    login_as(visit["consultant"])
    response = client.post(f"/skoler/{visit['school'].id}/notater/ny", data=_form(visit), headers=htmx_headers())
    saved = db.session.scalar(sa.select(SparringNote))
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/notater/{saved.id}"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"held_on": ""}, "Angiv datoen for sparringen."),
        ({"agreements-0-owner_id": ""}, "Vælg hvem der er ansvarlig for aftalen."),
        ({"agreements-0-due_on": ""}, "Angiv en frist for aftalen."),
        ({"visibility": "public"}, None),
        ({"stances": ["bossy"]}, None),
    ],
)
def test_invalid_input_is_refused_with_422_and_kept(client, login_as, visit, change, message):
    login_as(visit["consultant"])

    response = client.post(f"/skoler/{visit['school'].id}/notater/ny", data=_form(visit, **change),
                           headers=htmx_headers())

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html  # only the form fragment, swapped in place
    assert "Jeg ser en rolig morgen." in html and "Lone sender data" in html
    if message:
        assert message in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(SparringNote.id))) == 0


def test_a_goal_of_another_school_cannot_be_linked(client, login_as, visit, make):
    other_goal = make.goal(make.strategy(make.school(), make.period(2025, 2027)), title="Fremmed mål")
    login_as(visit["consultant"])
    response = client.post(f"/skoler/{visit['school'].id}/notater/ny",
                           data=_form(visit, goal_ids=[other_goal.id]))
    assert response.status_code == 422


def test_a_consultant_cannot_post_a_note_to_a_school_they_are_not_assigned(client, login_as, visit, make):
    foreign = make.school("Fremmedskolen")
    login_as(visit["consultant"])
    response = client.post(f"/skoler/{visit['school'].id}/notater/ny", data=_form(visit, school_id=foreign.id))
    assert response.status_code == 403


def test_adding_an_agreement_row_htmx_fragment(client, login_as, visit):
    login_as(visit["consultant"])

    response = client.get(f"/aftaler/ny-raekke?school_id={visit['school'].id}&add_agreement=3",
                          headers=htmx_headers())

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="agreements-3-text"' in html and "data-autofocus" in html
    assert 'name="agreements-3-owner_id"' in html and "Lone Leder" in html
    # the add button comes back out of band with the next index
    assert re.search(r'id="add-agreement"[^>]*value="4"', html) and 'hx-swap-oob="true"' in html


def test_adding_an_agreement_row_without_javascript_keeps_the_text(client, login_as, visit):
    login_as(visit["consultant"])
    response = client.post(f"/skoler/{visit['school'].id}/notater/ny", data=_form(visit, add_agreement="1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="agreements-1-text"' in html and "Jeg ser en rolig morgen." in html
    assert db.session.scalar(sa.select(sa.func.count(SparringNote.id))) == 0


def test_switching_school_reloads_leaders_and_goals(client, login_as, visit, make):
    other = make.school("Sydskolen")
    make.user(Role.LEADER, school=other, name="Søren Sydleder")
    make.goal(make.strategy(other, make.period(2025, 2027)), title="Trivsel i udskolingen")
    consultant = make.user(Role.CONSULTANT, assigned=[visit["school"], other])
    login_as(consultant)

    response = client.get(f"/notater/skolefelter?school_id={other.id}", headers=htmx_headers())

    text = text_of(response)
    assert response.status_code == 200
    assert "Søren Sydleder" in text and "Trivsel i udskolingen" in text
    assert "Lone Leder" not in text and "Alle elever læser" not in text


def _edit_form(n, **values):
    data = {"held_on": n.held_on.isoformat(), "visibility": n.visibility.value, "version": str(n.version),
            "observation": n.observation, "stances": list(n.stances)}
    data.update(values)
    return data


def test_editing_saves_in_place_with_htmx_and_records_the_change(client, login_as, visit, make):
    n = make.note(visit["school"], visit["consultant"], visibility=Visibility.DRAFT, observation="Før")
    login_as(visit["consultant"])

    response = client.post(f"/notater/{n.id}/rediger", data=_edit_form(n, observation="Efter"),
                           headers=htmx_headers())

    assert response.status_code == 200
    assert json.loads(response.headers["HX-Trigger"])["announce"] == "Sparringsnotatet er gemt."
    assert 'name="version" type="hidden" value="2"' in response.get_data(as_text=True)
    assert reload(n).observation == "Efter"
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.changes["observation"] == ["Før", "Efter"]


def test_a_stale_version_is_refused_with_409_keeping_both_texts(client, login_as, visit, make):
    n = make.note(visit["school"], visit["consultant"], observation="Original")
    login_as(visit["consultant"])
    # saved from the laptop first ...
    assert client.post(f"/notater/{n.id}/rediger", data=_edit_form(n, observation="Fra laptoppen")).status_code == 303
    # ... then the tablet, still on version 1
    response = client.post(f"/notater/{n.id}/rediger", data=_edit_form(n, observation="Fra tabletten", version="1"),
                           headers=htmx_headers())

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Fra tabletten" in html and "Fra laptoppen" in html
    assert "Notatet er ændret et andet sted" in html
    assert reload(n).observation == "Fra laptoppen"
    # the form now carries the saved version: saving again is a deliberate overwrite
    assert 'name="version" type="hidden" value="2"' in html
    again = client.post(f"/notater/{n.id}/rediger", data=_edit_form(n, observation="Fra tabletten", version="2"))
    assert again.status_code == 303 and reload(n).observation == "Fra tabletten"


def test_editing_agreements_updates_removes_and_adds(client, login_as, visit, make):
    n = make.note(visit["school"], visit["consultant"])
    keep = make.agreement(n, text="Behold", owner=visit["leader"], due_on=date(2025, 12, 1))
    drop = make.agreement(n, text="Fjern", owner=visit["leader"], due_on=date(2025, 12, 1))
    login_as(visit["consultant"])
    leader_id, keep_id, drop_id = visit["leader"].id, keep.id, drop.id

    response = client.post(f"/notater/{n.id}/rediger", data=_edit_form(n, **{
        "agreements-0-id": keep_id, "agreements-0-text": "Behold, ændret", "agreements-0-owner_id": leader_id,
        "agreements-0-due_on": "2025-12-15", "agreements-0-done": "y",
        "agreements-1-id": drop_id, "agreements-1-text": "Fjern", "agreements-1-owner_id": leader_id,
        "agreements-1-due_on": "2025-12-01", "agreements-1-remove": "y",
        "agreements-2-text": "Ny aftale", "agreements-2-owner_id": leader_id, "agreements-2-due_on": "2026-01-10",
    }))

    assert response.status_code == 303
    db.session.expire_all()
    rows = {a.text: a for a in db.session.scalars(sa.select(Agreement))}
    assert set(rows) == {"Behold, ændret", "Ny aftale"}
    assert rows["Behold, ændret"].done_at is not None and rows["Behold, ændret"].due_on == date(2025, 12, 15)
    actions = sorted((e.action, e.object_id) for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "Agreement")))
    assert ("delete", drop_id) in actions and ("update", keep_id) in actions
    assert ("create", rows["Ny aftale"].id) in actions


def test_an_agreement_id_of_another_note_is_ignored(client, login_as, visit, make):
    mine = make.note(visit["school"], visit["consultant"])
    other = make.note(visit["school"], visit["consultant"])
    foreign = make.agreement(other, text="Ikke din", owner=visit["leader"], due_on=date(2025, 12, 1))
    login_as(visit["consultant"])
    client.post(f"/notater/{mine.id}/rediger", data=_edit_form(mine, **{
        "agreements-0-id": foreign.id, "agreements-0-text": "Kapret", "agreements-0-owner_id": visit["leader"].id,
        "agreements-0-due_on": "2025-12-01", "agreements-0-remove": "y"}))
    assert reload(foreign).text == "Ikke din"


def test_the_read_only_page_shows_the_note(client, login_as, visit, make):
    n = make.note(visit["school"], visit["consultant"], observation="Jeg lægger mærke til ro",
                  stances=[Stance.EVALUATIVE.value])
    login_as(visit["leader"])
    text = text_of(client.get(f"/notater/{n.id}"))
    assert "Jeg lægger mærke til ro" in text and "Kvalitetsvurderende" in text
    assert "Redigér notatet" not in text


def test_user_text_is_escaped(client, login_as, visit, make):
    n = make.note(visit["school"], visit["consultant"], observation="<script>alert(1)</script>")
    login_as(visit["consultant"])
    html = client.get(f"/notater/{n.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_a_race_past_the_version_check_is_also_a_409(client, login_as, visit, monkeypatch, make):
    """Two saves that both passed the form-version check: the ORM's version counter catches it."""
    from strategy.followup import service

    n = make.note(visit["school"], visit["consultant"], observation="Original")
    original = service.update_note

    def racing_update(note_obj, data, user):
        # another request commits in between: the row's version moves on under us
        db.session.execute(sa.update(SparringNote).where(SparringNote.id == note_obj.id)
                           .values(version=SparringNote.version + 1, observation="Den anden")
                           .execution_options(synchronize_session=False))
        original(note_obj, data, user)

    monkeypatch.setattr(service, "update_note", racing_update)
    login_as(visit["consultant"])

    response = client.post(f"/notater/{n.id}/rediger", data=_edit_form(n, observation="Min tekst"),
                           headers=htmx_headers())

    assert response.status_code == 409
    assert "Min tekst" in response.get_data(as_text=True)
    assert reload(n).observation == "Original"  # the racing write was rolled back with ours
