"""A school leader keeps the strategy current, in place: goals, initiatives, status, evaluations,
measurements, the Learning Pipeline picker, comments and the history of every change."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    AuditEvent,
    Comment,
    Conclusion,
    Evaluation,
    Expectation,
    Goal,
    Initiative,
    PoliticalGoal,
    ProfileLevel,
    School,
    Status,
    StatusUpdate,
)
from strategy.schools import routes, service
from tests.helpers import htmx_headers, reload, text_of


@pytest.fixture
def world(make):
    return make.school_world()


@pytest.fixture
def leader(world, login_as):
    return login_as(world.users["leader of the school"])


def _goals(strategy_id) -> list[Goal]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Goal).where(Goal.strategy_id == strategy_id).order_by(Goal.position)))


# --- goals ------------------------------------------------------------------------------------------


def test_new_goal_form_opens_in_place_and_the_same_url_is_a_whole_page(client, world, leader):
    url = f"/strategi/{world.strategy.id}/maal/ny"
    fragment = client.get(url, headers=htmx_headers())
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and 'id="new-goal"' in html and 'name="title"' in html
    page = client.get(url)
    assert "<html" in page.get_data(as_text=True) and 'name="title"' in page.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]


def test_creating_a_goal_with_indicator_and_political_goals(client, seeded, world, leader):
    active_before = world.strategy.last_activity_at
    political = db.session.scalars(sa.select(PoliticalGoal).order_by(PoliticalGoal.position).limit(2)).all()
    response = client.post(
        f"/strategi/{world.strategy.id}/maal",
        headers=htmx_headers(),
        data={
            "title": "Alle elever har en ven i skolen",
            "political_goals": [str(p.id) for p in political],
            "indicator": "Andel elever med en ven i klassen",
            "data_type": "perception",
            "unit": "%",
            "baseline_value": "88,5",
            "baseline_year": "2024",
            "target_value": "95",
            "target_year": "2027",
        },
    )
    assert response.status_code == 200
    # The new goal list replaces the old one: the goal is there, and the form slot is closed again.
    assert response.headers["HX-Retarget"] == "#goals"
    assert "Alle elever har en ven i skolen" in text_of(response)
    goal = _goals(world.strategy.id)[-1]
    assert goal.title == "Alle elever har en ven i skolen"
    assert goal.baseline_value == 88.5 and goal.target_year == 2027 and goal.unit == "%"
    assert {p.id for p in goal.political_goals} == {p.id for p in political}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "Goal", AuditEvent.object_id == goal.id))
    assert event.action == "create" and event.changes["title"] == "Alle elever har en ven i skolen"
    assert reload(world.strategy).last_activity_at > active_before


def test_a_rejected_goal_comes_back_in_place_with_the_input_kept(client, world, leader):
    response = client.post(
        f"/strategi/{world.strategy.id}/maal",
        headers=htmx_headers(),
        data={"title": "", "description": "Min lange beskrivelse", "baseline_value": "tolv", "target_year": "2027"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "Skriv målet." in html
    assert "Skriv et tal, fx 12,5." in html
    assert "Min lange beskrivelse" in html  # input kept
    assert 'aria-invalid="true"' in html
    assert len(_goals(world.strategy.id)) == 1  # nothing saved
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_target_year_before_baseline_is_refused(client, world, leader):
    response = client.post(
        f"/maal/{world.goal.id}",
        data={"title": "Læsning", "baseline_value": "60", "baseline_year": "2026", "target_value": "70",
              "target_year": "2024", "version": world.goal.version},
    )
    assert response.status_code == 422
    assert "Målsætningens år kan ikke ligge før udgangspunktets år." in text_of(response)
    assert reload(world.goal).title == "Flere elever læser alderssvarende"


def test_editing_a_goal_in_place_records_before_and_after(client, world, leader):
    version = world.goal.version
    form = client.get(f"/maal/{world.goal.id}/rediger", headers=htmx_headers())
    assert 'id="goal-details"' in form.get_data(as_text=True)
    assert f'name="version" type="hidden" value="{world.goal.version}"' in form.get_data(as_text=True)
    response = client.post(
        f"/maal/{world.goal.id}",
        headers=htmx_headers(),
        data={"title": "Alle læser alderssvarende", "unit": "%", "version": world.goal.version},
    )
    assert response.status_code == 200
    assert "Alle læser alderssvarende" in text_of(response)
    goal = reload(world.goal)
    assert goal.title == "Alle læser alderssvarende" and goal.version == version + 1
    history = client.get(f"/maal/{goal.id}/historik")
    text = text_of(history)
    assert "Flere elever læser alderssvarende" in text and "Alle læser alderssvarende" in text
    assert "Lene Leder" in text


def test_reordering_goals_with_move_buttons(client, world, make, leader):
    second = make.goal(world.strategy, title="Trivsel")
    third = make.goal(world.strategy, title="Fællesskab")
    response = client.post(f"/maal/{third.id}/flyt", headers=htmx_headers(), data={"direction": "up"})
    assert response.status_code == 200
    assert [g.title for g in _goals(world.strategy.id)] == ["Flere elever læser alderssvarende", "Fællesskab", "Trivsel"]
    text = text_of(response)
    assert text.index("Fællesskab") < text.index("Trivsel")
    client.post(f"/maal/{third.id}/flyt", data={"direction": "up"})
    assert [g.title for g in _goals(world.strategy.id)] == ["Fællesskab", "Flere elever læser alderssvarende", "Trivsel"]
    # Moving does not count as an edit of the text: an open edit form is not made stale.
    assert reload(second).version == second.version


def test_moving_the_first_goal_up_changes_nothing(client, world, make, leader):
    make.goal(world.strategy, title="Trivsel")
    client.post(f"/maal/{world.goal.id}/flyt", data={"direction": "up"})
    assert [g.title for g in _goals(world.strategy.id)] == ["Flere elever læser alderssvarende", "Trivsel"]


def test_archiving_and_restoring_a_goal(client, world, leader):
    response = client.post(f"/maal/{world.goal.id}/arkiver", headers=htmx_headers())
    assert response.status_code == 200
    assert "Arkiverede mål (1)" in text_of(response)
    assert reload(world.goal).archived_at is not None
    page = text_of(client.get(f"/skoler/{world.school.id}"))
    assert "Strategien har ingen mål endnu" in page
    client.post(f"/maal/{world.goal.id}/genskab")
    assert reload(world.goal).archived_at is None
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == world.goal.id)).all()
    assert actions == ["archive", "restore"]


# --- conflicts --------------------------------------------------------------------------------------


def test_two_people_saving_the_same_goal_the_second_gets_a_conflict(client, world, make, login_as):
    colleague = make.user("leader", school=world.school, name="Per Pedersen")
    started_from = world.goal.version  # both open the edit form now
    login_as(colleague)
    first = client.post(f"/maal/{world.goal.id}", data={"title": "Pers titel", "version": started_from})
    assert first.status_code == 303
    login_as(world.users["leader of the school"])
    second = client.post(
        f"/maal/{world.goal.id}",
        headers=htmx_headers(),
        data={"title": "Lenes titel", "description": "Lenes beskrivelse", "version": started_from},
    )
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "<html" not in html and 'id="goal-details"' in html
    assert "Lenes titel" in html and "Lenes beskrivelse" in html  # her input is kept
    assert "Per Pedersen" in html and "Pers titel" in html  # the other person's change is visible
    assert reload(world.goal).title == "Pers titel"  # nothing overwritten
    # The form now carries the current version: saving again is a deliberate overwrite.
    goal = reload(world.goal)
    assert f'value="{goal.version}"' in html
    third = client.post(f"/maal/{goal.id}", data={"title": "Lenes titel", "version": goal.version})
    assert third.status_code == 303 and reload(goal).title == "Lenes titel"


def test_a_race_between_two_saves_that_both_passed_the_check_is_a_conflict_too(client, world, leader, monkeypatch):
    original = service.update_goal

    def racing(goal, values, actor):
        # Someone else's save lands between our version check and our commit.
        table = Goal.__table__
        db.session.execute(sa.update(table).where(table.c.id == goal.id).values(title="Racer", version=goal.version + 1))
        return original(goal, values, actor)

    monkeypatch.setattr(routes.service, "update_goal", racing)
    response = client.post(f"/maal/{world.goal.id}", data={"title": "Min titel", "version": world.goal.version})
    assert response.status_code == 409
    assert "Min titel" in response.get_data(as_text=True)
    assert reload(world.goal).title == "Flere elever læser alderssvarende"


def test_two_people_saving_the_same_initiative(client, world, make, login_as):
    colleague = make.user("leader", school=world.school, name="Per Pedersen")
    version = world.initiative.version
    login_as(colleague)
    assert client.post(f"/tiltag/{world.initiative.id}", data={"title": "Pers tiltag", "version": version}).status_code == 303
    login_as(world.users["leader of the school"])
    response = client.post(
        f"/tiltag/{world.initiative.id}",
        headers=htmx_headers(),
        data={"title": "Lenes tiltag", "responsible": "Lene", "version": version},
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="plan"' in html and "Lenes tiltag" in html and "Pers tiltag" in html and "Per Pedersen" in html
    assert reload(world.initiative).title == "Pers tiltag"


# --- initiatives and the picker ----------------------------------------------------------------------


@pytest.fixture
def herningvej(seeded, make, login_as):
    """The seeded Herningvej Skole (it has local Learning Pipeline levels) with a strategy."""
    school = db.session.scalar(sa.select(School).where(School.name == "Herningvej Skole"))
    strategy = make.strategy(school, make.period(2025, 2027))
    goal = make.goal(strategy, title="Læsning")
    login_as(make.user("leader", school=school))
    return goal


def test_picker_finds_municipal_and_the_schools_own_expectations(client, herningvej, make):
    school_id = herningvej.strategy.school_id
    local = db.session.scalars(sa.select(ProfileLevel).where(ProfileLevel.school_id == school_id)).all()
    assert local, "seed data has Herningvej's own levels"
    other = make.school("Anden Skole")
    foreign = ProfileLevel(key="elever", name="Elever", school_id=other.id)
    foreign.expectations.append(Expectation(category="priorities", text="Zebrastribet forventning"))
    db.session.add(foreign)
    db.session.commit()
    word = local[0].expectations[0].text.split()[0]
    response = client.get(f"/skoler/{school_id}/forventninger", query_string={"q": word}, headers=htmx_headers())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "data-pick" in html
    assert local[0].name in html
    foreign_search = client.get(
        f"/skoler/{school_id}/forventninger", query_string={"q": "Zebrastribet"}, headers=htmx_headers()
    )
    assert "0 forventninger matcher" in text_of(foreign_search) and "data-pick" not in foreign_search.get_data(as_text=True)


def test_picker_leaves_out_what_is_chosen_already(client, herningvej):
    school_id = herningvej.strategy.school_id
    first = db.session.scalars(sa.select(Expectation).where(Expectation.text.contains("feedback"))).first()
    query = {"prefix": "g1-", "g1-q": "feedback", "g1-expectations": [str(first.id)]}
    html = client.get(f"/skoler/{school_id}/forventninger", query_string=query, headers=htmx_headers()).get_data(as_text=True)
    assert f'value="{first.id}"' not in html
    assert 'name="g1-expectations"' in html


def test_creating_an_initiative_in_the_action_plan_shape(client, herningvej):
    goal = herningvej
    levels = db.session.scalars(sa.select(ProfileLevel).order_by(ProfileLevel.id)).all()
    chosen = levels[1].expectations[:2]
    political = db.session.scalars(sa.select(PoliticalGoal)).first()
    p = f"g{goal.id}-"
    response = client.post(
        f"/maal/{goal.id}/tiltag",
        headers=htmx_headers(),
        data={
            p + "title": "Læsebånd",
            p + "starting_point": "Hver tredje elev læser under niveau",
            p + "what_we_try": "20 minutters læsning hver morgen",
            p + "who_does_what": "Klasselærerne",
            p + "responsible": "Indskolingsteamet",
            p + "start_date": "2025-08-11",
            p + "end_date": "2026-06-26",
            p + "success_signs": "Flere lån på biblioteket",
            p + "evaluation_plan": "Januar og juni",
            p + "owner_level": str(levels[1].id),
            p + "expectations": [str(e.id) for e in chosen],
            p + "political_goals": [str(political.id)],
        },
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == f"#initiatives-{goal.id}"
    initiative = db.session.scalar(sa.select(Initiative).where(Initiative.title == "Læsebånd"))
    assert initiative.responsible == "Indskolingsteamet"
    assert initiative.start_date == date(2025, 8, 11) and initiative.end_date == date(2026, 6, 26)
    assert initiative.owner_level_id == levels[1].id
    assert {e.id for e in initiative.expectations} == {e.id for e in chosen}
    assert [p.id for p in initiative.political_goals] == [political.id]
    page = text_of(client.get(f"/tiltag/{initiative.id}"))
    for text in ("Ståsted", "Hvad vi afprøver", "Hvem gør hvad og hvornår", "Tegn på at vi lykkes",
                 "Hvordan og hvornår vi evaluerer", chosen[0].text, levels[1].name):
        assert text in page


def test_picker_without_javascript_searches_through_the_form_and_saves_nothing(client, herningvej):
    goal = herningvej
    p = f"g{goal.id}-"
    response = client.post(
        f"/maal/{goal.id}/tiltag",
        data={p + "title": "Mit tiltag", p + "q": "feedback", "action": "search"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" in html and 'value="Mit tiltag"' in html and "data-pick" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Initiative)) == 0


def test_end_date_before_start_date_is_refused(client, world, leader):
    p = f"g{world.goal.id}-"
    response = client.post(
        f"/maal/{world.goal.id}/tiltag", headers=htmx_headers(),
        data={p + "title": "Forkert", p + "start_date": "2026-05-01", p + "end_date": "2026-01-01"},
    )
    assert response.status_code == 422
    assert "Slutdatoen kan ikke ligge før startdatoen." in text_of(response)
    assert 'value="Forkert"' in response.get_data(as_text=True)


def test_reordering_and_archiving_initiatives(client, world, make, leader):
    second = make.initiative(world.goal, title="Læsevejleder")
    response = client.post(f"/tiltag/{second.id}/flyt", headers=htmx_headers(), data={"direction": "up"})
    assert response.headers["HX-Retarget"] == f"#initiatives-{world.goal.id}"
    text = text_of(response)
    assert text.index("Læsevejleder") < text.index("Læsebånd hver morgen")
    client.post(f"/tiltag/{world.initiative.id}/arkiver")
    goal_page = text_of(client.get(f"/maal/{world.goal.id}"))
    assert "Arkiverede tiltag (1)" in goal_page


# --- status inline ----------------------------------------------------------------------------------


def test_status_changes_in_place_and_the_history_keeps_every_update(client, world, make, leader):
    second = make.initiative(world.goal, title="Læsevejleder", status=Status.ON_TRACK)
    prefix = f"status{world.initiative.id}-"
    opened = client.get(f"/tiltag/{world.initiative.id}/status?rediger=1&visning=kort", headers=htmx_headers())
    html = opened.get_data(as_text=True)
    assert "<html" not in html and f'id="status-{world.initiative.id}"' in html and "Gem status" in html

    saved = client.post(
        f"/tiltag/{world.initiative.id}/status",
        headers=htmx_headers(),
        data={prefix + "status": "challenged", prefix + "comment": "Vikardækning", "visning": "kort"},
    )
    assert saved.status_code == 200
    html = saved.get_data(as_text=True)
    assert "status-challenged" in html and "Vikardækning" in html
    # The goal's roll-up on the same page is updated out of band.
    assert f'id="rollup-{world.goal.id}" hx-swap-oob="true"' in html
    assert "Udfordret" in html
    assert "Status er sat til Udfordret" in saved.headers["HX-Trigger"]
    assert second.id  # the other initiative is on track; the worst wins
    initiative = reload(world.initiative)
    assert initiative.status == Status.CHALLENGED
    update = initiative.status_updates[0]
    assert (update.status, update.comment, update.author_id) == (
        Status.CHALLENGED, "Vikardækning", world.users["leader of the school"].id)
    assert update.created_at is not None


def test_status_history_is_newest_first_on_the_initiative_page(client, world, leader):
    prefix = f"status{world.initiative.id}-"
    previous = None
    for status, comment in [("in_progress", "Første"), ("challenged", "Anden"), ("on_track", "Tredje")]:
        response = client.post(
            f"/tiltag/{world.initiative.id}/status", headers=htmx_headers(),
            data={prefix + "status": status, prefix + "comment": comment},
        )
        assert response.status_code == 200
        # The block swapped into the initiative page has the new update on top of the history.
        block = text_of(response)
        history = block[block.index("Seneste statusopdateringer"):]
        if previous:
            assert history.index(comment) < history.index(previous)
        assert 'class="status-entry is-new"' in response.get_data(as_text=True)
        previous = comment
    page = text_of(client.get(f"/tiltag/{world.initiative.id}"))
    assert page.index("Tredje") < page.index("Anden") < page.index("Første")
    timeline = text_of(client.get(f"/tiltag/{world.initiative.id}/tidslinje"))
    assert timeline.index("Tredje") < timeline.index("Anden") < timeline.index("Første")


def test_a_challenged_status_needs_a_comment(client, world, leader):
    prefix = f"status{world.initiative.id}-"
    response = client.post(
        f"/tiltag/{world.initiative.id}/status", headers=htmx_headers(),
        data={prefix + "status": "challenged", prefix + "comment": "", "visning": "kort"},
    )
    assert response.status_code == 422
    assert "Skriv kort, hvad der udfordrer" in text_of(response)
    assert reload(world.initiative).status == Status.NOT_STARTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusUpdate)) == 0


def test_status_form_works_without_javascript(client, world, leader):
    page = client.get(f"/tiltag/{world.initiative.id}/status?rediger=1")
    assert "<html" in page.get_data(as_text=True) and "Gem status" in page.get_data(as_text=True)
    prefix = f"status{world.initiative.id}-"
    response = client.post(
        f"/tiltag/{world.initiative.id}/status",
        data={prefix + "status": "completed", prefix + "comment": "", "next": f"/skoler/{world.school.id}"},
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/skoler/{world.school.id}"


def test_an_unsafe_next_address_is_ignored(client, world, leader):
    prefix = f"status{world.initiative.id}-"
    response = client.post(
        f"/tiltag/{world.initiative.id}/status",
        data={prefix + "status": "completed", "next": "//evil.example/"},
    )
    assert response.headers["Location"] == f"/tiltag/{world.initiative.id}"


# --- evaluations ------------------------------------------------------------------------------------


def test_an_evaluation_in_place_with_data_types_and_a_conclusion(client, world, leader):
    opened = client.get(f"/tiltag/{world.initiative.id}/evalueringer/ny", headers=htmx_headers())
    assert 'id="evalueringer"' in opened.get_data(as_text=True) and "Gem evaluering" in opened.get_data(as_text=True)
    response = client.post(
        f"/tiltag/{world.initiative.id}/evalueringer",
        headers=htmx_headers(),
        data={
            "evaluated_on": "2026-01-20",
            "what_was_done": "Læsebånd i alle klasser",
            "signs_observed": "Flere lån",
            "data_types": ["result", "perception"],
            "data_used": "Nationale test",
            "conclusion": "adjust",
            "next_steps": "Flyt læsebåndet",
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Justér" in text and "Resultatdata" in text and "Perceptionsdata" in text
    assert 'Konklusionen "Justér" er ikke fulgt op endnu.' in text
    evaluation = db.session.scalar(sa.select(Evaluation))
    assert evaluation.data_types == ["result", "perception"] and evaluation.conclusion == Conclusion.ADJUST
    assert evaluation.needs_action


def test_stop_or_adjust_stays_visible_until_acted_on(client, world, leader):
    evaluation = Evaluation(initiative_id=world.initiative.id, evaluated_on=date(2026, 1, 10),
                            conclusion=Conclusion.STOP, what_was_done="x", next_steps="Stop tiltaget")
    db.session.add(evaluation)
    db.session.commit()
    strategy_page = text_of(client.get(f"/skoler/{world.school.id}"))
    assert "1 evaluering venter på opfølgning" in strategy_page
    assert "Evaluering: Stop" in strategy_page
    refused = client.post(f"/evalueringer/{evaluation.id}/fulgt-op", headers=htmx_headers(), data={"acted_on_note": ""})
    assert refused.status_code == 422 and "Skriv, hvordan konklusionen er fulgt op." in text_of(refused)
    done = client.post(f"/evalueringer/{evaluation.id}/fulgt-op", headers=htmx_headers(),
                       data={"acted_on_note": "Tiltaget er stoppet og erstattet"})
    assert done.status_code == 200 and "Fulgt op" in text_of(done)
    evaluation = reload(evaluation)
    assert evaluation.acted_on_at is not None and evaluation.acted_on_note == "Tiltaget er stoppet og erstattet"
    assert "venter på opfølgning" not in text_of(client.get(f"/skoler/{world.school.id}"))


def test_an_evaluation_needs_a_conclusion_and_what_was_done(client, world, leader):
    response = client.post(f"/maal/{world.goal.id}/evalueringer", headers=htmx_headers(),
                           data={"evaluated_on": "2026-01-20", "signs_observed": "Noget"})
    assert response.status_code == 422
    text = text_of(response)
    assert "Vælg fortsæt, justér eller stop." in text and "Skriv, hvad der er gjort." in text
    assert "Noget" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) == 0


def test_an_evaluation_cannot_be_dated_in_the_future(client, world, leader):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.post(f"/maal/{world.goal.id}/evalueringer",
                           data={"evaluated_on": tomorrow, "what_was_done": "x", "conclusion": "continue"})
    assert response.status_code == 422


# --- measurements and the chart ------------------------------------------------------------------------


def test_measurements_are_drawn_against_baseline_and_target(client, world, leader):
    goal = world.goal
    client.post(f"/maal/{goal.id}", data={"title": goal.title, "indicator": "Andel elever", "unit": "%",
                                          "baseline_value": "60", "baseline_year": "2024",
                                          "target_value": "75", "target_year": "2027", "version": goal.version})
    for year, value in (("2025", "64"), ("2026", "68,5")):
        response = client.post(f"/maal/{goal.id}/maalinger", headers=htmx_headers(), data={"year": year, "value": value})
        assert response.status_code == 200
    html = client.get(f"/maal/{goal.id}").get_data(as_text=True)
    assert '<svg viewBox="0 0 640 280" role="img"' in html
    assert "<title" in html and "<desc" in html
    assert "Udgangspunkt 60% i 2024. Målsætning 75% i 2027. Målinger: 2025: 64%, 2026: 68,5%." in html
    assert html.count('class="chart-point"') == 2
    assert 'class="chart-target"' in html and 'class="chart-baseline"' in html
    assert "<table" in html and "68,5" in html  # the same numbers as a table
    # Correcting a year replaces the measurement; deleting removes it.
    client.post(f"/maal/{goal.id}/maalinger", data={"year": "2026", "value": "69"})
    assert [m.value for m in reload(goal).measurements] == [64, 69]
    client.post(f"/maal/{goal.id}/maalinger/slet", data={"year": "2025"})
    assert [m.year for m in reload(goal).measurements] == [2026]


def test_a_measurement_without_a_value_is_refused(client, world, leader):
    response = client.post(f"/maal/{world.goal.id}/maalinger", headers=htmx_headers(), data={"year": "2026", "value": ""})
    assert response.status_code == 422
    assert "Skriv målingen." in text_of(response)


# --- comments and timelines -----------------------------------------------------------------------------


def test_consultant_comments_show_in_the_timeline(client, world, make, login_as):
    login_as(world.users["consultant assigned"])
    response = client.post(f"/tiltag/{world.initiative.id}/kommentarer", headers=htmx_headers(),
                           data={"body": "Del erfaringerne i klyngen"})
    assert response.status_code == 200 and "Del erfaringerne i klyngen" in text_of(response)
    refused = client.post(f"/tiltag/{world.initiative.id}/kommentarer", headers=htmx_headers(), data={"body": "  "})
    assert refused.status_code == 422
    login_as(world.users["leader of the school"])
    timeline = text_of(client.get(f"/tiltag/{world.initiative.id}/tidslinje"))
    assert "Del erfaringerne i klyngen" in timeline and "Karin Konsulent" in timeline
    goal_timeline = text_of(client.get(f"/maal/{world.goal.id}/tidslinje"))
    assert "Del erfaringerne i klyngen" in goal_timeline
    history = text_of(client.get(f"/tiltag/{world.initiative.id}/historik"))
    assert "Kommentar: Oprettet" in history
    assert db.session.scalar(sa.select(Comment.author_id)) == world.users["consultant assigned"].id


def test_comments_are_escaped(client, world, login_as):
    login_as(world.users["directorate"])
    client.post(f"/maal/{world.goal.id}/kommentarer", data={"body": "<script>alert(1)</script>"})
    html = client.get(f"/maal/{world.goal.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_history_lists_status_changes_with_before_and_after(client, world, leader):
    prefix = f"status{world.initiative.id}-"
    client.post(f"/tiltag/{world.initiative.id}/status", data={prefix + "status": "in_progress"})
    text = text_of(client.get(f"/tiltag/{world.initiative.id}/historik"))
    assert "Ikke startet" in text and "I gang" in text and "Lene Leder" in text


def test_last_activity_is_touched_by_every_change(client, world, leader):
    db.session.execute(sa.update(type(world.strategy).__table__).values(last_activity_at=datetime(2020, 1, 1, tzinfo=UTC)))
    db.session.commit()
    prefix = f"status{world.initiative.id}-"
    client.post(f"/tiltag/{world.initiative.id}/status", data={prefix + "status": "in_progress"})
    assert reload(world.strategy).last_activity_at.year == datetime.now(UTC).year
