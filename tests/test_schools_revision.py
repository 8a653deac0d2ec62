"""The yearly revision (close the year, compare with last year) and carrying goals and initiatives
over into a new period; and the roll-up rule a goal's status is read from."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    AuditEvent,
    Goal,
    Initiative,
    Measurement,
    PoliticalGoal,
    Status,
    Strategy,
    StrategySnapshot,
)
from strategy.schools import service
from strategy.models.strategy import roll_up
from strategy.charts import indicator_chart
from tests.helpers import htmx_headers, reload, text_of


@pytest.fixture
def world(make):
    return make.school_world()


# --- the roll-up rule --------------------------------------------------------------------------------

S = Status


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ([], None),
        ([S.NOT_STARTED], S.NOT_STARTED),
        ([S.NOT_STARTED, S.NOT_STARTED], S.NOT_STARTED),
        ([S.NOT_STARTED, S.ON_TRACK], S.IN_PROGRESS),
        ([S.IN_PROGRESS, S.ON_TRACK, S.COMPLETED], S.IN_PROGRESS),
        ([S.ON_TRACK, S.COMPLETED], S.ON_TRACK),
        ([S.COMPLETED, S.COMPLETED], S.COMPLETED),
        ([S.ON_TRACK, S.CHALLENGED, S.COMPLETED], S.CHALLENGED),  # the worst wins
        ([S.CHALLENGED, S.STOPPED], S.CHALLENGED),
        ([S.ON_TRACK, S.STOPPED], S.ON_TRACK),  # a deliberate stop is left out
        ([S.COMPLETED, S.STOPPED], S.COMPLETED),
        ([S.STOPPED, S.STOPPED], S.STOPPED),
    ],
)
def test_roll_up_rule(statuses, expected):
    assert roll_up(statuses).status == expected


def test_roll_up_counts_every_status_in_order():
    result = roll_up([S.CHALLENGED, S.ON_TRACK, S.ON_TRACK, S.STOPPED])
    assert result.counts == ((S.ON_TRACK, 2), (S.CHALLENGED, 1), (S.STOPPED, 1))
    assert result.total == 4


def test_goal_shows_the_roll_up_of_its_active_initiatives(client, login_as, world, make):
    make.initiative(world.goal, status=Status.CHALLENGED, title="Svært tiltag")
    archived = make.initiative(world.goal, status=Status.STOPPED, title="Gammelt")
    archived.archived_at = archived.created_at
    db.session.commit()
    login_as(world.users["reader of the school"])
    html = client.get(f"/maal/{world.goal.id}").get_data(as_text=True)
    rollup = html[html.index(f'id="rollup-{world.goal.id}"'):]
    rollup = rollup[: rollup.index("</p>")]
    assert "status-challenged" in rollup and "1 ikke startet, 1 udfordret" in rollup


# --- the chart geometry -------------------------------------------------------------------------------


def test_chart_places_measurements_between_baseline_and_target():
    goal = Goal(title="Læsning", unit="%", baseline_value=60.0, baseline_year=2024, target_value=80.0, target_year=2028)
    goal.measurements = [Measurement(year=2026, value=70.0)]
    chart = indicator_chart(goal)
    point = chart.points[0]
    assert chart.baseline.x < point.x < chart.target.x
    assert chart.target.y < point.y < chart.baseline.y  # higher values are drawn higher up
    assert abs(point.x - (chart.baseline.x + chart.target.x) / 2) < 0.01
    assert indicator_chart(Goal(title="Ingen tal")) is None


# --- closing the year ---------------------------------------------------------------------------------


def test_closing_the_year_freezes_a_snapshot_and_moves_on(client, login_as, world, make):
    make.initiative(world.goal, status=Status.ON_TRACK, title="Læsevejleder")
    leader = login_as(world.users["leader of the school"])
    response = client.post(f"/strategi/{world.strategy.id}/afslut-aar", headers=htmx_headers())
    assert response.status_code == 200
    assert "Året 2025 er afsluttet" in text_of(response)
    strategy = reload(world.strategy)
    assert strategy.current_year == 2026
    snapshot = db.session.scalar(sa.select(StrategySnapshot))
    assert (snapshot.year, snapshot.closed_by_id) == (2025, leader.id)
    goal = snapshot.data["goals"][0]
    assert goal["title"] == "Flere elever læser alderssvarende"
    assert [(i["title"], i["status"]) for i in goal["initiatives"]] == [
        ("Læsebånd hver morgen", "not_started"), ("Læsevejleder", "on_track")]
    assert goal["rollup"] == "in_progress"
    # The snapshot is read-only: changing the strategy afterwards does not change it.
    client.post(f"/maal/{world.goal.id}", data={"title": "Nyt navn", "version": reload(world.goal).version})
    assert reload(snapshot).data["goals"][0]["title"] == "Flere elever læser alderssvarende"
    frozen = text_of(client.get(f"/strategi/{world.strategy.id}/aar/2025"))
    assert "Flere elever læser alderssvarende" in frozen and "Nyt navn" not in frozen
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "close_year"))
    assert event.changes == {"current_year": [2025, 2026]}


def test_the_last_year_of_a_period_can_be_closed_once(client, login_as, world):
    login_as(world.users["leader of the school"])
    for year in (2025, 2026, 2027):
        assert client.post(f"/strategi/{world.strategy.id}/afslut-aar").status_code == 303
    assert reload(world.strategy).current_year == 2027
    again = client.post(f"/strategi/{world.strategy.id}/afslut-aar", headers=htmx_headers())
    assert again.status_code == 409
    assert "Året 2027 er allerede afsluttet." in text_of(again)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StrategySnapshot)) == 3
    assert "Afslut år" not in text_of(client.get(f"/skoler/{world.school.id}"))


def test_close_year_for_the_demo_loader_runs_without_a_request(app, world):
    leader = world.users["leader of the school"]
    snapshot = service.close_year(world.strategy, leader, at=None)
    db.session.commit()
    assert snapshot.year == 2025 and reload(world.strategy).current_year == 2026


def test_comparing_this_year_with_last_year(client, login_as, world, make):
    login_as(world.users["leader of the school"])
    removed = make.goal(world.strategy, title="Et mål der forsvinder")
    make.initiative(removed, title="Tiltag der forsvinder")
    client.post(f"/strategi/{world.strategy.id}/afslut-aar")
    # This year: a goal renamed, a status changed, a goal archived, a goal and an initiative added.
    goal = reload(world.goal)
    client.post(f"/maal/{goal.id}", data={"title": "Alle elever læser alderssvarende", "version": goal.version})
    p = f"status{world.initiative.id}-"
    client.post(f"/tiltag/{world.initiative.id}/status", data={p + "status": "on_track"})
    client.post(f"/maal/{removed.id}/arkiver")
    client.post(f"/strategi/{world.strategy.id}/maal", data={"title": "Nyt trivselsmål"})
    client.post(f"/maal/{goal.id}/tiltag", data={f"g{goal.id}-title": "Nyt læsetiltag"})

    response = client.get(f"/strategi/{world.strategy.id}/sammenlign")
    assert response.status_code == 200
    text = text_of(response)
    assert "Hvad er ændret siden 2025?" in text
    assert "Nyt mål Nyt trivselsmål" in text
    assert "Fjernet mål Et mål der forsvinder" in text and "Fjernet tiltag Tiltag der forsvinder" in text
    assert "Ændret mål Alle elever læser alderssvarende" in text
    assert "Titel Flere elever læser alderssvarende Alle elever læser alderssvarende" in text  # field by field
    assert "Ændret tiltag Læsebånd hver morgen" in text and "Status Ikke startet På rette spor" in text
    assert "Nyt tiltag Nyt læsetiltag" in text
    # The summary in Danish plural forms (through ngettext): "1 nyt", never "1 nye".
    summary = re.search(r"\d+ nye?t?, \d+ fjernede?t? og \d+ ændrede?t? mål og tiltag siden 2025\.", text)
    assert summary, text
    assert "1 nye" not in text and "1 fjernede" not in text and "1 ændrede" not in text


def test_compare_logic_pairs_items_by_id():
    before = {"goals": [{"id": 1, "title": "A", "unit": "%", "initiatives": [{"id": 10, "title": "x", "status": "not_started"}]}]}
    after = {"goals": [{"id": 1, "title": "A", "unit": "point", "initiatives": [{"id": 10, "title": "x", "status": "completed"}]}]}
    comparison = service.compare(before, after)
    [goal] = comparison.goals
    assert goal.kind == "changed" and [(f.name, f.before, f.after) for f in goal.fields] == [("unit", "%", "point")]
    assert [(f.name, f.after) for f in goal.initiatives[0].fields] == [("status", "completed")]
    assert service.compare(after, after).is_empty


def test_compare_without_a_closed_year_is_not_found(client, login_as, world):
    login_as(world.users["reader of the school"])
    assert client.get(f"/strategi/{world.strategy.id}/sammenlign").status_code == 404


# --- carrying goals and initiatives into a new period ----------------------------------------------------


def test_starting_a_new_period_carries_the_chosen_goals_and_initiatives(client, seeded, login_as, world, make):
    political = db.session.scalars(sa.select(PoliticalGoal)).first()
    goal = world.goal
    goal.political_goals = [political]
    goal.unit, goal.baseline_value, goal.baseline_year = "%", 60.0, 2024
    goal.measurements = [Measurement(year=2025, value=64.0)]
    kept = make.initiative(goal, status=Status.ON_TRACK, title="Læsevejleder", responsible="Mette")
    second_goal = make.goal(world.strategy, title="Trivsel")
    only_initiative = make.initiative(second_goal, title="Legepatruljer", status=Status.IN_PROGRESS)
    make.goal(world.strategy, title="Efterlades")
    db.session.commit()
    make.period(2028, 2030)
    login_as(world.users["leader of the school"])

    form = client.get(f"/skoler/{world.school.id}/ny-strategi?periode=2028-2030")
    text = text_of(form)
    assert "Tag mål og tiltag med fra 2025-2027" in text and "Efterlades" in text

    response = client.post(
        f"/skoler/{world.school.id}/ny-strategi",
        data={"period": "2028-2030", "goals": [str(goal.id)], "initiatives": [str(kept.id), str(only_initiative.id)]},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/skoler/{world.school.id}?periode=2028-2030")
    new = db.session.scalar(sa.select(Strategy).where(Strategy.id != world.strategy.id))
    assert new.period.key == "2028-2030" and new.current_year == 2028
    assert [g.title for g in new.goals] == ["Flere elever læser alderssvarende", "Trivsel"]
    carried = new.goals[0]
    assert carried.id != goal.id
    assert [p.id for p in carried.political_goals] == [political.id]
    assert (carried.unit, carried.baseline_value, carried.baseline_year) == ("%", 60.0, 2024)
    assert [(m.year, m.value) for m in carried.measurements] == [(2025, 64.0)]
    assert [(i.title, i.status, i.responsible) for i in carried.initiatives] == [("Læsevejleder", Status.ON_TRACK, "Mette")]
    assert carried.initiatives[0].status_updates[0].comment == "Videreført fra 2025-2027"
    # An initiative brings its goal along, but not the goal's other initiatives.
    assert [i.title for i in new.goals[1].initiatives] == ["Legepatruljer"]
    # The old strategy is untouched.
    assert len(reload(world.strategy).goals) == 3
    assert len(db.session.scalars(sa.select(Initiative).where(Initiative.goal_id == goal.id)).all()) == 2


def test_a_period_can_only_be_started_once(client, login_as, world):
    login_as(world.users["leader of the school"])
    response = client.post(f"/skoler/{world.school.id}/ny-strategi", headers=htmx_headers(), data={"period": "2025-2027"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Strategy)) == 1


def test_a_new_strategy_is_offered_only_periods_after_the_latest_one(client, login_as, world, make):
    make.period(2018, 2020), make.period(2021, 2023)  # before the school's 2025-2027
    login_as(world.users["leader of the school"])

    page = client.get(f"/skoler/{world.school.id}/ny-strategi")
    text = text_of(page)
    assert "Der er ingen senere strategiperiode endnu" in text
    assert "bed en administrator eller skolechefen om at oprette den næste periode" in text
    assert 'name="period"' not in page.get_data(as_text=True)
    refused = client.post(f"/skoler/{world.school.id}/ny-strategi", data={"period": "2021-2023"})
    assert refused.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Strategy)) == 1

    make.period(2031, 2033), make.period(2028, 2030)
    html = client.get(f"/skoler/{world.school.id}/ny-strategi").get_data(as_text=True)
    offered = re.findall(r'<option[^>]*value="([\d-]+)"', html)
    assert offered == ["2028-2030", "2031-2033"]  # the soonest first, and chosen
    assert re.search(r'<option selected value="2028-2030"|<option value="2028-2030" selected', html)


def test_start_without_carry_over_gives_an_empty_strategy(app, world, make):
    period = make.period(2028, 2030)
    strategy = service.start_strategy(world.school, period, None, source=world.strategy, today=date(2029, 5, 1))
    db.session.commit()
    assert strategy.goals == [] and strategy.current_year == 2029
