"""Conversations: planning on the meeting template, the LUS agenda from the Learning Pipeline
profile, the 1:1 agenda from the school's goals, notes per item afterwards, conflicts."""

import json
from datetime import date

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.followup import service
from strategy.cadence import cadence_for_school
from strategy.models import (
    AgendaItem,
    AuditEvent,
    ExpectationCategory,
    Meeting,
    MeetingState,
    MeetingType,
    ProfileLevel,
    Role,
    Status,
    Visibility,
)
from tests.helpers import htmx_headers, local, reload, text_of


@pytest.fixture
def level(seeded):
    return db.session.scalar(sa.select(ProfileLevel).where(
        ProfileLevel.key == "leder-af-medarbejdere", ProfileLevel.school_id.is_(None)))


@pytest.fixture
def school_setup(make, level):
    school = make.school("Nordskolen")
    leader = make.user(Role.LEADER, school=school, name="Lone Leder", profile_level_id=level.id)
    consultant = make.user(Role.CONSULTANT, assigned=[school], name="Karen Konsulent")
    strategy = make.strategy(school, make.period(2025, 2027))
    goal = make.goal(strategy, title="Alle elever læser")
    make.initiative(goal, status=Status.ON_TRACK, title="Læsebånd")
    make.initiative(goal, status=Status.CHALLENGED, title="Læsevejledning")
    make.goal(strategy, title="Trivsel i udskolingen")
    return {"school": school, "leader": leader, "consultant": consultant, "strategy": strategy}


def _profile_order(level):
    order = list(ExpectationCategory)
    return [e.text for e in sorted(level.expectations, key=lambda e: (order.index(e.category), e.position))]


def test_lus_agenda_is_the_profile_expectation_by_expectation(level):
    agenda = service.lus_agenda(level)

    assert len(agenda) == len(level.expectations) > 0
    assert [item.title for item in agenda] == _profile_order(level)
    assert {item.expectation_id for item in agenda} == {e.id for e in level.expectations}
    # Listed under their category for the checklist; the purpose is left for the person to write.
    assert agenda[0].group == "Prioriteter" and agenda[-1].group == "Færdigheder"
    assert all(item.purpose == "" for item in agenda)
    assert [item.key for item in agenda] == [f"e{item.expectation_id}" for item in agenda]


def test_lus_agenda_of_a_local_level(make, seeded):
    school = make.school("Herningvej-ish")
    local_level = ProfileLevel(key="elever", name="Elever", school_id=school.id)
    from strategy.models import Expectation
    local_level.expectations = [
        Expectation(category=ExpectationCategory.SKILLS, text="Kan samarbejde", position=0),
        Expectation(category=ExpectationCategory.PRIORITIES, text="Går op i læring", position=0),
    ]
    db.session.add(local_level)
    db.session.commit()
    assert [i.title for i in service.lus_agenda(local_level)] == ["Går op i læring", "Kan samarbejde"]


def test_no_profile_no_agenda():
    assert service.lus_agenda(None) == []


def test_one_to_one_agenda_is_the_goals_with_their_latest_status(school_setup):
    items = service.one_to_one_agenda(school_setup["strategy"])
    assert [i.title for i in items] == ["Alle elever læser", "Trivsel i udskolingen"]
    assert "2 tiltag: 1 På rette spor, 1 Udfordret" in items[0].purpose
    assert "Senest ændret: Læsevejledning – Udfordret" in items[0].purpose
    assert items[1].purpose == "Ingen tiltag endnu"
    assert items[0].goal_id is not None


def test_before_a_lus_the_profile_then_the_strategy_status_become_the_agenda(school_setup, level):
    agenda = service.conversation_agenda(MeetingType.LUS, level, school_setup["strategy"])

    profile = _profile_order(level)
    assert [i.title for i in agenda] == profile + ["Alle elever læser", "Trivsel i udskolingen"]
    assert "2 tiltag: 1 På rette spor, 1 Udfordret" in agenda[len(profile)].purpose


def test_before_a_one_to_one_the_goals_then_the_profile_per_category_become_the_agenda(school_setup, level):
    agenda = service.conversation_agenda("one_to_one", level, school_setup["strategy"])

    assert [i.title for i in agenda] == [
        "Alle elever læser", "Trivsel i udskolingen",
        f"Prioriteter – {level.name}", f"Arbejdsværdier – {level.name}", f"Færdigheder – {level.name}",
    ]
    priorities = [e.text for e in sorted(level.expectations, key=lambda e: e.position)
                  if e.category == ExpectationCategory.PRIORITIES]
    assert agenda[2].purpose.splitlines() == [f"• {text}" for text in priorities]


def test_other_conversations_get_no_suggested_agenda(school_setup, level):
    assert service.conversation_agenda(MeetingType.GRUS, level, school_setup["strategy"]) == []


def test_a_lus_without_goals_still_has_the_profile_and_says_the_goals_are_missing(client, login_as, make, level):
    school = make.school("Tomskolen")
    leader = make.user(Role.LEADER, school=school, name="Tove Tom", profile_level_id=level.id)
    login_as(make.user(Role.CONSULTANT, assigned=[school]))
    response = client.get(f"/skoler/{school.id}/samtaler/ny?type=lus&subject={leader.id}")
    html = response.get_data(as_text=True)
    assert _profile_order(level)[0].replace("'", "&#39;").replace('"', "&#34;") in html
    assert "Skolen har ingen mål i sin virksomhedsstrategi endnu." in text_of(response)


def test_planning_a_lus_offers_the_leaders_profile(client, login_as, school_setup, level):
    login_as(school_setup["consultant"])
    school, leader = school_setup["school"], school_setup["leader"]

    response = client.get(f"/skoler/{school.id}/samtaler/ny?type=lus&subject={leader.id}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    positions = [html.find(str(text).replace("'", "&#39;").replace('"', "&#34;")) for text in _profile_order(level)]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    # Offered as a checklist to choose from: nothing is on the agenda yet.
    assert html.count('name="suggested"') == len(positions) + 2  # the profile, then the two goals
    assert 'name="agenda-1-title"' not in html


def test_only_the_chosen_suggestions_go_on_the_agenda(client, login_as, school_setup, level):
    login_as(school_setup["consultant"])
    order = _profile_order(level)
    chosen = [e for e in level.expectations if e.text == order[1]][0]
    goal = school_setup["strategy"].goals[0]
    response = client.post(
        f"/skoler/{school_setup['school'].id}/samtaler/ny",
        data=_meeting_form(school_setup, add_suggested="1", suggested=[f"e{chosen.id}", f"g{goal.id}"]),
        headers=htmx_headers(),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="agenda-1-title"' in html and 'name="agenda-2-title"' not in html
    assert 'name="suggested"' not in html
    assert "Dagsordenen har nu 2 punkter." in response.headers["HX-Trigger"]
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_choosing_no_suggestion_says_what_to_do(client, login_as, school_setup, level):
    login_as(school_setup["consultant"])
    response = client.post(f"/skoler/{school_setup['school'].id}/samtaler/ny",
                           data=_meeting_form(school_setup, add_suggested="1"), headers=htmx_headers())
    assert "Sæt flueben ved de punkter, I vil tale om" in text_of(response)
    assert 'name="suggested"' in response.get_data(as_text=True)


def _meeting_form(school_setup, **values):
    data = {
        "meeting_type": "lus", "starts_at": "2025-11-03T10:00", "subject_id": school_setup["leader"].id,
        "title": "", "purpose": "Udvikling", "state": "planned", "visibility": "shared",
    }
    data.update(values)
    return data


def test_saving_a_lus_keeps_the_agenda_linked_to_the_profile(client, login_as, school_setup, level):
    login_as(school_setup["consultant"])
    first, second = _profile_order(level)[:2]
    expectation_ids = {e.text: e.id for e in level.expectations}
    data = _meeting_form(school_setup, **{
        "agenda-0-title": first, "agenda-0-expectation_id": expectation_ids[first],
        "agenda-1-title": second, "agenda-1-expectation_id": expectation_ids[second], "agenda-1-minutes": "15",
        "agenda-2-title": "",  # a blank row is dropped
    })

    response = client.post(f"/skoler/{school_setup['school'].id}/samtaler/ny", data=data)

    assert response.status_code == 303
    saved = db.session.scalar(sa.select(Meeting))
    assert (saved.meeting_type, saved.title, saved.organiser_id) == (
        MeetingType.LUS, "LUS", school_setup["consultant"].id)
    assert saved.starts_at.astimezone(local(date(2025, 11, 3)).tzinfo).hour == 10
    assert [(i.title, i.expectation_id, i.minutes) for i in saved.agenda_items] == [
        (first, expectation_ids[first], None), (second, expectation_ids[second], 15)]
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "Meeting")).action == "create"


def test_suggest_agenda_button_fills_the_rows_without_saving(client, login_as, school_setup):
    login_as(school_setup["consultant"])
    response = client.post(f"/skoler/{school_setup['school'].id}/samtaler/ny",
                           data=_meeting_form(school_setup, meeting_type="one_to_one", suggest_agenda="1"),
                           headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Alle elever læser" in html and "Trivsel i udskolingen" in html
    assert "2 tiltag: 1 På rette spor, 1 Udfordret" in html  # the goal's status beside it
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_lus_without_a_profile_level_says_so(client, login_as, school_setup, make):
    bare = make.user(Role.LEADER, school=school_setup["school"], name="Uden Niveau")
    login_as(school_setup["consultant"])
    response = client.get(f"/skoler/{school_setup['school'].id}/samtaler/ny?type=lus&subject={bare.id}")
    assert "Uden Niveau har intet Learning Pipeline-niveau" in text_of(response)


def test_after_the_meeting_notes_per_item_state_and_agreements(client, login_as, school_setup, make):
    m = make.meeting(school_setup["school"], school_setup["consultant"], meeting_type=MeetingType.ONE_TO_ONE,
                     state=MeetingState.PLANNED, starts_at=local(date(2025, 11, 3)))
    m.agenda_items = [AgendaItem(title="Alle elever læser", position=0)]
    db.session.commit()
    item_id, leader_id = m.agenda_items[0].id, school_setup["leader"].id
    login_as(school_setup["consultant"])

    response = client.post(f"/samtaler/{m.id}/rediger", data=_meeting_form(
        school_setup, meeting_type="one_to_one", state="held", version=str(m.version), notes="God samtale",
        **{"agenda-0-id": item_id, "agenda-0-title": "Alle elever læser", "agenda-0-notes": "Læsetal stiger",
           "agreements-0-text": "Send læsetal", "agreements-0-owner_id": leader_id,
           "agreements-0-due_on": "2025-12-01"}), headers=htmx_headers())

    assert response.status_code == 200 and json.loads(response.headers["HX-Trigger"])["announce"] == "Samtalen er gemt."
    saved = reload(m)
    assert saved.state == MeetingState.HELD and saved.notes == "God samtale"
    assert saved.agenda_items[0].notes == "Læsetal stiger"
    assert [a.text for a in saved.agreements] == ["Send læsetal"]
    assert cadence_for_school(saved.school_id, date(2025, 12, 1)).one_to_one_held == 1


def test_meeting_conflict_is_409(client, login_as, school_setup, make):
    m = make.meeting(school_setup["school"], school_setup["consultant"], state=MeetingState.PLANNED,
                     starts_at=local(date(2025, 11, 3)), notes="Gemt")
    colleague = make.user(Role.CONSULTANT, assigned=[school_setup["school"]])
    form = _meeting_form(school_setup, meeting_type="one_to_one", version="1")
    login_as(colleague)
    assert client.post(f"/samtaler/{m.id}/rediger", data=form | {"notes": "Første"}).status_code == 303

    login_as(school_setup["consultant"])
    response = client.post(f"/samtaler/{m.id}/rediger", data=form | {"notes": "Anden"}, headers=htmx_headers())

    assert response.status_code == 409
    assert "Anden" in response.get_data(as_text=True) and reload(m).notes == "Første"


def test_meeting_validation_is_422(client, login_as, school_setup):
    login_as(school_setup["consultant"])
    response = client.post(f"/skoler/{school_setup['school'].id}/samtaler/ny",
                           data=_meeting_form(school_setup, starts_at="", purpose="Behold mig"),
                           headers=htmx_headers())
    assert response.status_code == 422
    assert "Angiv dato og klokkeslæt." in text_of(response) and "Behold mig" in response.get_data(as_text=True)


def test_links_to_goals_of_another_school_are_dropped(client, login_as, school_setup, make):
    foreign_goal = make.goal(make.strategy(make.school(), make.period(2025, 2027)))
    login_as(school_setup["consultant"])
    client.post(f"/skoler/{school_setup['school'].id}/samtaler/ny", data=_meeting_form(
        school_setup, **{"agenda-0-title": "Punkt", "agenda-0-goal_id": foreign_goal.id}))
    assert db.session.scalar(sa.select(AgendaItem)).goal_id is None


def test_agenda_row_fragment(client, login_as, school_setup):
    login_as(school_setup["consultant"])
    response = client.get(f"/samtaler/ny-punkt?school_id={school_setup['school'].id}&add_item=5",
                          headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert 'name="agenda-5-title"' in html and 'name="agenda-5-notes"' in html
    assert 'id="add-agenda-item"' in html and 'value="6"' in html
    assert "Hvad kalder vi punktet?" in html  # the meeting template's help


def test_reading_another_persons_meeting_is_recorded(client, login_as, school_setup, make):
    m = make.meeting(school_setup["school"], school_setup["consultant"], visibility=Visibility.SHARED)
    login_as(school_setup["leader"])
    assert client.get(f"/samtaler/{m.id}").status_code == 200
    assert db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.object_type == "Meeting")).actor_id == school_setup["leader"].id
