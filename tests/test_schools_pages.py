"""The strategy pages as a leader opens them: Min skole, the list of schools, the goal and
initiative pages; each runs the same number of queries however much the school has written."""

from datetime import date

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    Conclusion,
    Evaluation,
    Measurement,
    PoliticalGoal,
    Role,
    Status,
    StatusUpdate,
)
from strategy.periods import current_period
from tests.helpers import htmx_headers, text_of


@pytest.fixture
def world(make):
    return make.school_world()


def test_min_skole_opens_the_leaders_own_school(client, login_as, world):
    login_as(world.users["leader of the school"])
    response = client.get("/min-skole")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/skoler/{world.school.id}")
    page = client.get(response.headers["Location"])
    text = text_of(page)
    assert "Skovvangskolen" in text and "Virksomhedsstrategi 2025-2027" in text
    assert "Flere elever læser alderssvarende" in text and "Læsebånd hver morgen" in text
    assert 'aria-current="page"' in page.get_data(as_text=True)  # "Min skole" is marked in the menu


def test_min_skole_for_someone_without_a_school_lists_the_schools(client, login_as, world):
    login_as(world.users["directorate"])
    response = client.get("/min-skole")
    assert response.headers["Location"].endswith("/skoler")


def test_the_list_of_schools_is_grouped_by_cluster(client, login_as, world, make):
    make.school("Ensom Skole")
    login_as(world.users["leader of another school"])
    text = text_of(client.get("/skoler"))
    assert "Klynge Nord" in text and "Skoler uden klynge" in text
    assert text.index("Bakkeskolen") < text.index("Skovvangskolen") < text.index("Ensom Skole")
    assert "Din skole" in text


def test_a_reader_lists_only_their_own_school(client, login_as, world):
    login_as(world.users["reader of the school"])
    text = text_of(client.get("/skoler"))
    assert "Skovvangskolen" in text and "Bakkeskolen" not in text


def test_a_school_without_a_strategy_offers_to_start_one(client, login_as, world):
    login_as(world.users["leader of another school"])
    text = text_of(client.get(f"/skoler/{world.other_school.id}"))
    assert "Bakkeskolen har ingen virksomhedsstrategi for 2025-2027" in text
    assert "Start virksomhedsstrategi for 2025-2027" in text
    assert client.get(f"/skoler/{world.other_school.id}", headers=htmx_headers()).status_code == 200


def test_another_period_by_its_key(client, login_as, world, make):
    older = make.period(2021, 2023)
    strategy = make.strategy(world.school, older)
    make.goal(strategy, title="Et gammelt mål")
    login_as(world.users["reader of the school"])
    text = text_of(client.get(f"/skoler/{world.school.id}?periode=2021-2023"))
    assert "Et gammelt mål" in text and "Flere elever læser" not in text
    assert client.get(f"/skoler/{world.school.id}?periode=1999-2000").status_code == 404


def test_current_period_is_the_latest_running_one_with_strategies(make):
    old = make.period(2021, 2023)
    running_empty = make.period(2026, 2028)
    running = make.period(2025, 2027)
    make.strategy(make.school(), old)
    assert current_period(date(2026, 3, 1)) == running_empty  # runs now, nobody has started yet
    make.strategy(make.school(), running)
    assert current_period(date(2026, 3, 1)) == running  # runs now and has strategies
    make.strategy(make.school(), running_empty)
    assert current_period(date(2026, 3, 1)) == running_empty  # the latest start wins
    assert current_period(date(2035, 1, 1)) == running_empty  # nothing runs: the latest with strategies
    assert current_period(date(2022, 1, 1)) == old


def test_no_periods_at_all(client, login_as, make):
    leader = make.user(Role.LEADER)
    login_as(leader)
    assert current_period() is None
    assert "Der er ingen strategiperioder endnu" in text_of(client.get(f"/skoler/{leader.school_id}"))


def test_fragment_for_htmx_and_page_for_a_direct_visit(client, login_as, world):
    login_as(world.users["leader of the school"])
    fragment = client.get(f"/tiltag/{world.initiative.id}/rediger", headers=htmx_headers())
    assert fragment.get_data(as_text=True).lstrip().startswith('<section class="plan-section" id="plan"')
    page = client.get(f"/tiltag/{world.initiative.id}/rediger")
    html = page.get_data(as_text=True)
    assert html.lstrip().startswith("<!DOCTYPE html>") and 'id="plan"' in html and "Gem tiltag" in html


def test_pages_use_their_own_script_and_no_inline_script_or_style(client, login_as, world):
    login_as(world.users["leader of the school"])
    for url in (f"/skoler/{world.school.id}", f"/maal/{world.goal.id}", f"/tiltag/{world.initiative.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "js/schools.js" in html and "css/schools.css" in html
        assert " style=" not in html and "hx-on" not in html
        assert "<script>" not in html


# --- a fixed number of queries ---------------------------------------------------------------------


def _fill(make, school, period, goals: int, initiatives: int, author):
    """A strategy with goals x initiatives, each with what the pages show."""
    political = db.session.scalars(sa.select(PoliticalGoal)).all()
    strategy = make.strategy(school, period)
    for g in range(goals):
        goal = make.goal(strategy, title=f"Mål {g}", indicator="Andel", unit="%", baseline_value=50.0,
                         baseline_year=2024, target_value=70.0, target_year=2027)
        goal.political_goals = political[:2]
        goal.measurements = [Measurement(year=2025, value=55.0), Measurement(year=2026, value=60.0)]
        goal.evaluations.append(Evaluation(evaluated_on=date(2026, 1, 1), conclusion=Conclusion.ADJUST, what_was_done="x"))
        for i in range(initiatives):
            initiative = make.initiative(goal, status=Status.IN_PROGRESS, title=f"Tiltag {g}.{i}")
            initiative.status_updates.append(StatusUpdate(status=Status.CHALLENGED, comment="Svært", author=author))
            initiative.evaluations.append(Evaluation(evaluated_on=date(2026, 1, 1), conclusion=Conclusion.STOP, what_was_done="y"))
        db.session.commit()
    return strategy


def _queries(client, count_queries, url) -> int:
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.fixture
def two_sizes(seeded, make, login_as):
    period = make.period(2025, 2027)
    small_school, large_school = make.school("Lille Skole"), make.school("Store Skole")
    admin = login_as(make.user(Role.ADMIN))
    small = _fill(make, small_school, period, goals=2, initiatives=2, author=admin)
    large = _fill(make, large_school, period, goals=6, initiatives=5, author=admin)
    return small, large


def test_strategy_page_queries_do_not_grow_with_goals_and_initiatives(client, count_queries, two_sizes):
    small, large = two_sizes
    counts = [_queries(client, count_queries, f"/skoler/{s.school_id}") for s in (small, large)]
    assert counts[0] == counts[1], counts
    assert "Tiltag 5.4" in text_of(client.get(f"/skoler/{large.school_id}"))


def test_goal_page_queries_do_not_grow_with_initiatives(client, count_queries, two_sizes):
    small, large = two_sizes
    counts = [_queries(client, count_queries, f"/maal/{s.goals[0].id}") for s in (small, large)]
    assert counts[0] == counts[1], counts


def test_initiative_and_timeline_queries_do_not_grow(client, count_queries, two_sizes, make):
    small, large = two_sizes
    busy = large.goals[0].initiatives[0]
    for n in range(8):
        busy.status_updates.append(StatusUpdate(status=Status.ON_TRACK, comment=f"Opdatering {n}"))
    db.session.commit()
    quiet = small.goals[0].initiatives[0]
    for path in ("/tiltag/{}", "/tiltag/{}/tidslinje", "/tiltag/{}/historik"):
        counts = [_queries(client, count_queries, path.format(i.id)) for i in (quiet, busy)]
        assert counts[0] == counts[1], (path, counts)
    counts = [_queries(client, count_queries, f"/maal/{s.goals[0].id}/tidslinje") for s in (small, large)]
    assert counts[0] == counts[1], counts


def test_school_list_queries_do_not_grow_with_schools(client, count_queries, two_sizes, make):
    before = _queries(client, count_queries, "/skoler")
    period = two_sizes[0].period
    for n in range(4):
        _fill(make, make.school(f"Ekstra {n}"), period, goals=1, initiatives=2, author=None)
    assert _queries(client, count_queries, "/skoler") == before
