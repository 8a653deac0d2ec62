"""One political goal across schools (with its chart) and Learning Pipeline coverage."""

import re

import pytest

from tests.helpers import htmx_headers, text_of


@pytest.fixture
def town(make):
    return make.town()


def test_political_goal_page_lists_every_schools_goals_and_serving_initiatives(client, login_as, town):
    login_as(town.directorate)
    response = client.get(f"/overblik/politiske-maal/{town.pg_friend.id}")
    assert response.status_code == 200
    text = text_of(response)
    assert town.pg_friend.text in text
    goals = text.split("Skolernes mål og tiltag", 1)[1]
    # Bøgeskolen's goal serves it directly; Aaskolen's goal is listed for its initiative a2 only.
    assert "Alle har en ven" in goals and "Venskabsklasser" in goals and "Fælles frikvarter" in goals
    assert "Flere elever læser sikkert" in goals and "Legepatruljer" in goals
    assert "Læsebånd" not in goals
    assert "Cedervej" not in goals


def test_political_goal_chart_is_inline_svg_with_a_table_of_the_measurements(client, login_as, town):
    login_as(town.directorate)
    response = client.get(f"/overblik/politiske-maal/{town.pg_learning.id}")
    page = response.get_data(as_text=True)
    svg = page.split('<svg class="progress-chart"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg
    assert "<script" not in svg
    # Aaskolen: baseline 60, target 80, latest 70 -> half way.
    assert re.search(r"Aaskolen.*50 %", svg, re.S)
    table = text_of(response).split("Indikatorernes målinger pr. skole", 1)[1]
    assert "Aaskolen" in table and "65" in table and "70" in table and "50 %" in table


def test_political_goal_page_filters_and_fragment(client, login_as, town):
    login_as(town.directorate)
    url = f"/overblik/politiske-maal/{town.pg_friend.id}?status=completed"
    fragment = client.get(url, headers=htmx_headers())
    assert "<html" not in fragment.get_data(as_text=True)
    goals = text_of(fragment).split("Skolernes mål og tiltag", 1)[1]
    assert "Venskabsklasser" in goals and "Legepatruljer" not in goals


def test_political_goal_page_follows_the_scope(client, login_as, town):
    login_as(town.consultant)
    text = text_of(client.get(f"/overblik/politiske-maal/{town.pg_friend.id}"))
    assert "Legepatruljer" in text and "Bøgeskolen" not in text
    assert client.get("/overblik/politiske-maal/99999").status_code == 404


def test_pipeline_coverage_counts_initiatives_per_expectation_and_marks_the_unexercised(client, login_as, town):
    login_as(town.directorate)
    response = client.get("/overblik/learning-pipeline")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    exercised = town.a1.expectations[0].text
    row = re.search(r"<tr>\s*<th scope=\"row\">" + re.escape(exercised) + r"</th>\s*<td class=\"num\">(\d+)</td>\s*<td class=\"num\">(\d+)</td>", page)
    assert row and row.groups() == ("2", "2")  # a1 at Aaskolen and c1 at Cedervej
    assert page.count('class="uncovered"') > 100  # everything else stands out
    assert "Ingen tiltag" in text_of(response)


def test_pipeline_coverage_follows_scope_and_filters(client, login_as, town):
    exercised = town.a1.expectations[0].text
    pattern = re.escape(exercised) + r"</th>\s*<td class=\"num\">(\d+)</td>"
    login_as(town.leader_b)
    assert re.search(pattern.replace("</th>", r" <span[^>]*>Ingen tiltag</span></th>"), client.get("/overblik/learning-pipeline").get_data(as_text=True))
    login_as(town.directorate)
    page = client.get(f"/overblik/learning-pipeline?klynge={town.a.cluster_id}").get_data(as_text=True)
    assert re.search(pattern, page).group(1) == "1"  # only Aaskolen's
    only_level = client.get(f"/overblik/learning-pipeline?niveau={town.employee.id}")
    assert text_of(only_level).count("forventninger uden tiltag") + text_of(only_level).count("forventning uden tiltag") == 1
