"""Outcomes across schools: the indicators' progress from baseline to target per school × political
goal and per political goal for the municipality, against figures computed by hand.

The town of Factory.town (tests/conftest.py), plus a confidential goal at Cedervej Skole:

    goal            school      baseline → target   measurements         progress                 direction
    goal_a          Aaskolen    60 → 80             2022: 65, 2023: 70   (70 − 60) / 20  = 50 %   better (65 → 70)
    goal_b          Bøgeskolen  3 → 4               2023: 4.2            (4.2 − 3) / 1   = 120 %  better (3 → 4.2)
    goal_d (Fortr.) Cedervej    100 → 50 (falling)  2022: 90, 2023: 95   (95 − 100) / −50 = 10 %  worse (90 → 95)
    goal_c          Cedervej    no baseline or target: not an outcome

goal_a serves dygtigere-hver-dag directly and en-ven-i-skolen through its initiative a2; goal_b
en-ven-i-skolen; goal_d dygtigere-hver-dag. So dygtigere-hver-dag: (50 + 10) / 2 = 30 %;
en-ven-i-skolen: (50 + 120) / 2 = 85 %.
"""

import io

import openpyxl
import pytest

from strategy.permissions import ALL_SCHOOLS
from strategy.extensions import db
from strategy.models import Classification, Measurement, Role
from strategy import progress
from tests.helpers import text_of


@pytest.fixture
def town(make):
    town = make.town()
    goal_d = make.goal(town.goal_c.strategy, title="Færre elever under kritisk grænse", indicator="Nationale test",
                       baseline_value=100.0, target_value=50.0, classification=Classification.CONFIDENTIAL)
    goal_d.political_goals = [town.pg_learning]
    goal_d.measurements = [Measurement(year=2022, value=90.0), Measurement(year=2023, value=95.0)]
    db.session.commit()
    town.goal_d = goal_d
    return town


def _by_goal(found):
    return {o.goal_id: o for o in found}


def test_progress_and_direction_per_goal(town):
    found = _by_goal(progress.goal_outcomes(town.directorate, town.period.id, ALL_SCHOOLS))
    assert set(found) == {town.goal_a.id, town.goal_b.id, town.goal_d.id}  # goal_c has no target
    a, b, d = found[town.goal_a.id], found[town.goal_b.id], found[town.goal_d.id]
    assert a.progress == pytest.approx(0.5) and a.direction == "better" and not a.reached
    assert b.progress == pytest.approx(1.2) and b.direction == "better" and b.reached
    assert d.progress == pytest.approx(0.1) and d.direction == "worse"
    assert a.political_goal_ids == {town.pg_learning.id, town.pg_friend.id}  # directly and through a2


def test_cells_and_the_municipal_view_per_political_goal(town):
    found = progress.goal_outcomes(town.directorate, town.period.id, ALL_SCHOOLS)
    cells = progress.outcome_cells(found)
    assert cells[(town.a.id, town.pg_learning.id)].percent == 50
    assert cells[(town.c.id, town.pg_learning.id)].percent == 10
    assert cells[(town.b.id, town.pg_friend.id)].percent == 120
    assert (town.b.id, town.pg_learning.id) not in cells

    learning, friend = progress.municipal_outcomes(found, [town.pg_learning, town.pg_friend])
    assert learning.total.percent == 30 and learning.total.count("better") == 1 and learning.total.count("worse") == 1
    assert [s.school for s in learning.schools] == ["Aaskolen", "Cedervej Skole"]  # by progress, best first
    assert friend.total.percent == 85 and friend.total.reached == 1
    assert [s.school for s in friend.schools] == ["Bøgeskolen", "Aaskolen"]
    assert [(c.cluster, c.cell.percent) for c in learning.clusters()] == [("Nord", 50), ("Syd", 10)]


def test_confidential_indicators_only_for_the_roles_that_may_read_them(town, make):
    consultant_a = make.user(Role.CONSULTANT, assigned=[town.a])
    seen = _by_goal(progress.goal_outcomes(consultant_a, town.period.id, ALL_SCHOOLS))
    assert town.goal_d.id not in seen and town.goal_a.id in seen
    assert town.goal_d.id in _by_goal(progress.goal_outcomes(town.consultant, town.period.id, ALL_SCHOOLS))  # assigned to Cedervej
    committee = make.user(Role.COMMITTEE)
    assert progress.goal_outcomes(committee, town.period.id, ALL_SCHOOLS) == []  # nothing is public yet
    town.goal_b.classification = Classification.PUBLIC
    db.session.commit()
    assert [o.goal_id for o in progress.goal_outcomes(committee, town.period.id, ALL_SCHOOLS)] == [town.goal_b.id]
    # public_only narrows any viewer to what the committee sees (the directorate printing its view).
    assert [o.goal_id for o in progress.goal_outcomes(town.directorate, town.period.id, ALL_SCHOOLS, public_only=True)] == [town.goal_b.id]


def test_the_matrix_cell_shows_the_distribution_and_the_outcome(client, login_as, town):
    login_as(town.directorate)
    page = text_of(client.get(f"/overblik?periode={town.period.id}"))
    assert "1 På rette spor, 1 Udfordret" in page  # Aaskolen × dygtigere-hver-dag: a2 and a1
    assert "50 % af vejen til målet" in page and "120 % af vejen til målet" in page and "10 % af vejen til målet" in page
    assert "2 Gennemført" in page  # Bøgeskolen × en-ven-i-skolen


def test_the_municipal_view_lists_schools_by_progress(client, login_as, town):
    login_as(town.directorate)
    page = text_of(client.get(f"/overblik/resultater?periode={town.period.id}&politisk_maal={town.pg_learning.id}"))
    assert "30 % af vejen fra baseline til mål i gennemsnit" in page
    assert page.index("Aaskolen") < page.index("Cedervej Skole")
    assert "60 → 80 %" in page and "seneste 70 (2023)" in page


def test_both_in_the_workbook(client, login_as, town):
    from strategy.overview.filters import short_label

    login_as(town.directorate)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/overblik/eksport.xlsx?periode={town.period.id}").data))
    sheet = list(book["Resultater"].iter_rows(values_only=True))
    learning_column = sheet[0].index(f"{short_label(town.pg_learning, 30)} – nået af vejen")
    friend_column = sheet[0].index(f"{short_label(town.pg_friend, 30)} – nået af vejen")
    rows = {row[1]: row for row in sheet[1:]}
    assert rows["Aaskolen"][learning_column] == pytest.approx(0.5)
    assert rows["Cedervej Skole"][learning_column] == pytest.approx(0.1)
    assert rows["Bøgeskolen"][friend_column] == pytest.approx(1.2)
    assert rows["Bøgeskolen"][learning_column] is None
    assert rows["Aaskolen"][learning_column + 1] == 1  # one goal in the cell
    per_goal = list(book["Resultater pr. politisk mål"].iter_rows(values_only=True))
    learning = [row for row in per_goal[1:] if row[0] == town.pg_learning.text]
    assert learning[0][1] == "Hele kommunen" and learning[0][3] == pytest.approx(0.3)
    assert [row[1] for row in learning[1:]] == ["Aaskolen", "Cedervej Skole"]
