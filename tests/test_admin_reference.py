"""Reference data: periods and their activities, political goals, Learning Pipeline levels."""

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    ActivityLevel,
    AuditEvent,
    Expectation,
    ExpectationCategory,
    MunicipalActivity,
    Period,
    Policy,
    PoliticalGoal,
    ProfileLevel,
    Role,
    School,
    Theme,
)
from tests.helpers import htmx_headers, reload, text_of


@pytest.fixture(params=[Role.ADMIN, Role.DIRECTORATE])
def editor(request, seeded, make, login_as):
    """Reference data is edited by the administrator and the directorate alike."""
    return login_as(make.user(request.param))


def events(object_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == object_type).order_by(AuditEvent.id)))


# --- periods ------------------------------------------------------------------------------------


def test_create_a_period(client, editor):
    response = client.post("/admin/perioder/ny", data={"start_year": "2025", "end_year": "2027", "title": "Strategisk målpil 2025-27"})
    assert response.status_code == 303
    period = db.session.scalar(sa.select(Period).where(Period.key == "2025-2027"))
    assert (period.name, period.title, period.start_year, period.end_year) == ("2025-2027", "Strategisk målpil 2025-27", 2025, 2027)
    assert response.headers["Location"].endswith(f"/admin/perioder/{period.id}")
    [event] = events("Period")
    assert event.action == "create" and event.actor_id == editor.id
    assert event.changes["key"] == "2025-2027" and event.changes["end_year"] == 2027
    assert client.get("/perioder/2025-2027").status_code == 200, "the reference page shows it"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start_year": "2027", "end_year": "2025"}, "end_year", "Slutåret kan ikke ligge før startåret."),
        ({"start_year": "tyve", "end_year": "2025"}, "start_year", "Skriv et årstal med tal, fx 2025."),
        ({"start_year": "", "end_year": "2025"}, "start_year", "Skriv periodens startår"),
        ({"start_year": "1999", "end_year": "2025"}, "start_year", "Skriv et årstal mellem 2000 og 2100."),
        ({"start_year": "2021", "end_year": "2023"}, "key", "Der findes allerede en strategiperiode med dette korte navn."),
        ({"start_year": "2030", "end_year": "2032", "key": "Med Mellemrum"}, "key", "Brug kun tal, små bogstaver og bindestreg"),
    ],
)
def test_invalid_period_is_refused_at_the_field(client, editor, data, field, message):
    count = db.session.scalar(sa.select(sa.func.count(Period.id)))
    response = client.post("/admin/perioder/ny", data={"title": "Min titel"} | data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in text_of(response)
    assert text_of(response).count(message) <= 2, "one message at the field (and in the summary)"
    assert 'value="Min titel"' in html
    assert db.session.scalar(sa.select(sa.func.count(Period.id))) == count


def test_edit_a_period_and_its_years(client, editor):
    period = db.session.scalar(sa.select(Period).where(Period.key == "2021-2023"))
    response = client.post(f"/admin/perioder/{period.id}", data={"key": "2021-2024", "start_year": "2021", "end_year": "2024", "title": period.title})
    assert response.status_code == 303
    period = reload(period)
    assert (period.key, period.name, period.end_year) == ("2021-2024", "2021-2024", 2024)
    [event] = events("Period")
    assert event.changes == {"key": ["2021-2023", "2021-2024"], "name": ["2021-2023", "2021-2024"], "end_year": [2023, 2024]}


def test_edit_period_with_end_before_start_keeps_input(client, editor):
    period = db.session.scalar(sa.select(Period).where(Period.key == "2021-2023"))
    response = client.post(
        f"/admin/perioder/{period.id}", data={"key": "2021-2023", "start_year": "2021", "end_year": "2019", "title": "Ny titel"},
        headers=htmx_headers(),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<form") and 'value="Ny titel"' in html and 'value="2019"' in html
    assert reload(period).end_year == 2023


# --- municipal activities -----------------------------------------------------------------------


def test_add_edit_and_delete_a_municipal_activity(client, editor):
    period = db.session.scalar(sa.select(Period).where(Period.key == "2021-2023"))
    policy = db.session.scalar(sa.select(Policy).where(Policy.key == "skolepolitiske-maal"))
    before = len(period.activities)

    response = client.post(f"/admin/perioder/{period.id}/aktiviteter", data={
        "new-text": "Netværk for læsevejledere", "new-level": "medarbejder", "new-year": "2022",
        "new-policy_id": str(policy.id), "new-heading": "",
    })
    assert response.status_code == 303
    activity = db.session.scalar(sa.select(MunicipalActivity).where(MunicipalActivity.text == "Netværk for læsevejledere"))
    assert (activity.level, activity.year, activity.policy_id, activity.heading) == (ActivityLevel.EMPLOYEE, 2022, policy.id, None)
    assert activity.position == max(a.position for a in reload(period).activities)
    assert "Netværk for læsevejledere" in text_of(client.get("/perioder/2021-2023"))

    response = client.post(f"/admin/aktiviteter/{activity.id}", data={
        "text": "Netværk for læse- og matematikvejledere", "level": "ledelse", "year": "", "policy_id": "", "heading": "Netværk",
    })
    assert response.status_code == 303
    activity = reload(activity)
    assert (activity.text, activity.level, activity.year, activity.policy_id, activity.heading) == (
        "Netværk for læse- og matematikvejledere", ActivityLevel.LEADERSHIP, None, None, "Netværk")

    activity_id = activity.id
    assert client.post(f"/admin/aktiviteter/{activity_id}/slet").status_code == 303
    db.session.expire_all()
    assert db.session.get(MunicipalActivity, activity_id) is None
    assert len(reload(period).activities) == before

    create, update, delete = events("MunicipalActivity")
    assert create.action == "create" and create.changes["text"] == "Netværk for læsevejledere"
    assert update.changes["level"] == ["medarbejder", "ledelse"]
    assert update.changes["year"] == [2022, None]
    assert delete.action == "delete" and delete.changes["text"] == "Netværk for læse- og matematikvejledere"


@pytest.mark.parametrize(
    ("data", "field"),
    [({"new-text": "  "}, "new-text"), ({"new-text": "X", "new-year": "2030"}, "new-year")],
)
def test_invalid_activity_is_refused(client, editor, data, field):
    period = db.session.scalar(sa.select(Period).where(Period.key == "2021-2023"))
    count = len(period.activities)
    response = client.post(f"/admin/perioder/{period.id}/aktiviteter", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert len(reload(period).activities) == count


# --- political goals ----------------------------------------------------------------------------


def test_edit_a_political_goal_text_short_name_and_themes(client, editor):
    goal = db.session.scalars(sa.select(PoliticalGoal).order_by(PoliticalGoal.position)).first()
    laering = db.session.scalar(sa.select(Theme).where(Theme.key == "laering"))
    old_text = goal.text
    response = client.post(f"/admin/politiske-maal/{goal.id}", data={
        "text": "Alle elever bliver så dygtige, som de kan", "short_name": "Dygtige elever", "theme_ids": [str(laering.id)],
    })
    assert response.status_code == 303
    goal = reload(goal)
    assert (goal.text, goal.short_name, [t.key for t in goal.themes]) == (
        "Alle elever bliver så dygtige, som de kan", "Dygtige elever", ["laering"])
    [event] = events("PoliticalGoal")
    assert event.changes["text"] == [old_text, "Alle elever bliver så dygtige, som de kan"]
    assert event.changes["short_name"][1] == "Dygtige elever"
    assert "Alle elever bliver så dygtige, som de kan" in text_of(client.get("/politiske-maal"))


def test_add_a_political_goal_to_a_policy(client, editor):
    policy = db.session.scalar(sa.select(Policy).where(Policy.key == "skolepolitiske-maal"))
    themes = list(db.session.scalars(sa.select(Theme)))
    response = client.post(f"/admin/politikker/{policy.id}/nyt-maal", data={
        "text": "Alle børn læser med glæde", "short_name": "Læseglæde", "theme_ids": [str(t.id) for t in themes],
    })
    assert response.status_code == 303
    goal = db.session.scalar(sa.select(PoliticalGoal).where(PoliticalGoal.short_name == "Læseglæde"))
    assert goal.policy_id == policy.id
    assert goal.key.startswith("skolepolitiske-maal-laeseglaede")
    assert goal.position > max(g.position for g in reload(policy).goals if g.id != goal.id)
    assert len(goal.themes) == len(themes)
    assert events("PoliticalGoal")[0].action == "create"


def test_political_goal_needs_a_text_and_a_short_short_name(client, editor):
    policy = db.session.scalar(sa.select(Policy).where(Policy.key == "skolepolitiske-maal"))
    count = db.session.scalar(sa.select(sa.func.count(PoliticalGoal.id)))
    response = client.post(f"/admin/politikker/{policy.id}/nyt-maal", data={"text": "", "short_name": "x" * 81})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="text-error"' in html and 'id="short_name-error"' in html
    assert "Skriv målets tekst." in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(PoliticalGoal.id))) == count


# --- Learning Pipeline --------------------------------------------------------------------------


def municipal_level(key: str = "leder-af-medarbejdere") -> ProfileLevel:
    return db.session.scalar(sa.select(ProfileLevel).where(ProfileLevel.key == key, ProfileLevel.school_id.is_(None)))


def texts(level: ProfileLevel, category: ExpectationCategory) -> list[str]:
    level = reload(level)
    return [e.text for e in sorted(level.expectations_in(category), key=lambda e: e.position)]


def test_edited_expectation_shows_on_the_learning_pipeline_page(client, editor):
    level = municipal_level()
    expectation = level.expectations_in(ExpectationCategory.SKILLS)[0]
    old_text = expectation.text
    response = client.post(f"/admin/forventninger/{expectation.id}", data={"text": "Giver feedback, der flytter læringen"})
    assert response.status_code == 303
    page = text_of(client.get(f"/learning-pipeline/niveau/{level.id}"))
    assert "Giver feedback, der flytter læringen" in page
    assert old_text not in page
    [event] = events("Expectation")
    assert event.changes == {"text": [old_text, "Giver feedback, der flytter læringen"]}


def test_add_move_and_delete_expectations_with_htmx(client, editor):
    level = municipal_level()
    category = ExpectationCategory.PRIORITIES
    original = texts(level, category)

    response = client.post(
        f"/admin/learning-pipeline/niveau/{level.id}/forventninger",
        data={"category": "priorities", "text": "Prioriterer tid til sparring"},
        headers=htmx_headers(),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="category-priorities"'), "the fragment owns its swap target"
    assert "Prioriterer tid til sparring" in html and "Forventningen er tilføjet." in html
    assert texts(level, category) == [*original, "Prioriterer tid til sparring"]

    added = db.session.scalar(sa.select(Expectation).where(Expectation.text == "Prioriterer tid til sparring"))
    response = client.post(f"/admin/forventninger/{added.id}/flyt", data={"direction": "up"}, headers=htmx_headers())
    assert response.status_code == 200
    assert texts(level, category) == [*original[:-1], "Prioriterer tid til sparring", original[-1]]
    assert f'data-autofocus>Flyt op' in response.get_data(as_text=True).replace("\n", "")

    response = client.post(f"/admin/forventninger/{added.id}/slet", headers=htmx_headers())
    assert response.status_code == 200
    assert texts(level, category) == original
    assert "Prioriterer tid til sparring" not in text_of(client.get(f"/learning-pipeline/niveau/{level.id}"))
    assert [e.action for e in events("Expectation")] == ["create", "update", "delete"]


def test_expectations_in_other_categories_are_untouched_by_a_move(client, editor):
    level = municipal_level()
    skills = texts(level, ExpectationCategory.SKILLS)
    first_priority = reload(level).expectations_in(ExpectationCategory.PRIORITIES)[0]
    client.post(f"/admin/forventninger/{first_priority.id}/flyt", data={"direction": "down"})
    assert texts(level, ExpectationCategory.SKILLS) == skills


def test_empty_expectation_text_is_refused_and_kept_in_place(client, editor):
    level = municipal_level()
    expectation = level.expectations_in(ExpectationCategory.WORK_VALUES)[0]
    old_text = expectation.text
    response = client.post(f"/admin/forventninger/{expectation.id}", data={"text": "  "}, headers=htmx_headers())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="category-work_values"')
    assert f'id="text-{expectation.id}-error"' in html and "Skriv forventningens tekst." in html
    assert reload(expectation).text == old_text

    # The same without JavaScript: the whole level page, the message at the field.
    response = client.post(f"/admin/learning-pipeline/niveau/{level.id}/forventninger", data={"category": "skills", "text": ""})
    assert response.status_code == 422
    assert 'id="new-skills-error"' in response.get_data(as_text=True)


def test_an_expectation_used_by_an_initiative_cannot_be_deleted(client, editor, make):
    level = municipal_level()
    expectation = level.expectations_in(ExpectationCategory.SKILLS)[0]
    initiative = make.initiative()
    initiative.expectations.append(expectation)
    db.session.commit()
    response = client.post(f"/admin/forventninger/{expectation.id}/slet", headers=htmx_headers())
    assert response.status_code == 409
    assert "kan ikke slettes" in response.get_data(as_text=True)
    assert reload(expectation) is not None
    assert events("Expectation") == []


def test_create_a_local_level_for_a_school(client, editor):
    school = db.session.scalar(sa.select(School).where(School.name == "Herningvej Skole"))
    source = municipal_level("medarbejder")
    response = client.post("/admin/learning-pipeline/ny", data={
        "school_id": str(school.id), "name": "Pædagoger", "copy_from_id": str(source.id),
    })
    assert response.status_code == 303
    level = db.session.scalar(sa.select(ProfileLevel).where(ProfileLevel.name == "Pædagoger"))
    assert (level.school_id, level.key) == (school.id, "paedagoger")
    assert sorted(e.text for e in level.expectations) == sorted(e.text for e in reload(source).expectations)
    assert len(reload(source).expectations) == len(level.expectations), "the original keeps its expectations"
    page = text_of(client.get("/learning-pipeline"))
    assert "Pædagoger" in page
    [event] = events("ProfileLevel")
    assert event.changes == {"name": "Pædagoger", "school": "Herningvej Skole", "copied_from": source.name}


def test_local_level_needs_a_school_and_a_name(client, editor):
    count = db.session.scalar(sa.select(sa.func.count(ProfileLevel.id)))
    response = client.post("/admin/learning-pipeline/ny", data={"school_id": "", "name": ""})
    assert response.status_code == 422
    text = text_of(response)
    assert "Vælg den skole, niveauet hører til." in text and "Skriv niveauets navn" in text
    assert db.session.scalar(sa.select(sa.func.count(ProfileLevel.id))) == count


def test_herningvej_local_levels_are_listed_under_the_school(client, editor):
    text = text_of(client.get("/admin/learning-pipeline"))
    local = text.index("Lokale niveauer på Herningvej Skole")
    assert text.index("Forældre") > local and text.index("Elever") > local
    assert text.index("Kommunale niveauer") < local


def test_rename_a_level(client, editor):
    level = municipal_level()
    response = client.post(f"/admin/learning-pipeline/niveau/{level.id}", data={"name": "Afdelingsleder"})
    assert response.status_code == 303
    assert reload(level).name == "Afdelingsleder"
    response = client.post(f"/admin/learning-pipeline/niveau/{level.id}", data={"name": ""})
    assert response.status_code == 422
