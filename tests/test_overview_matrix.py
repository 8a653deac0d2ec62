"""Overblik: the schools × political goals matrix, its roll-up cells, filters, permissions, queries."""

import html as html_lib
import re

import pytest

from strategy.extensions import db
from strategy.models import Status
from tests.helpers import htmx_headers, text_of


@pytest.fixture
def town(make):
    return make.town()


def _clean(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()


def matrix_of(response) -> tuple[list[str], dict[str, list[str]]]:
    """(column titles, {school: [cell texts]}) read from the rendered matrix."""
    page = response.get_data(as_text=True)
    assert 'class="matrix overview-matrix"' in page, "no matrix on the page"
    table = page.split('class="matrix overview-matrix"', 1)[1].split("</table>", 1)[0]
    columns = [html_lib.unescape(t) for t in re.findall(r' title="([^"]*)"><span aria-hidden="true">', table)]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tfoot>")[0], re.S):
        th = re.search(r'<th scope="row">(?:<span class="matrix-school">)?([^<]*)', tr)
        if th:
            rows[html_lib.unescape(th.group(1).strip())] = [_clean(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
    return columns, rows


def cell(response, school: str, political_goal_text: str) -> str:
    columns, rows = matrix_of(response)
    return rows[school][columns.index(political_goal_text)]


# --- the page and its cells ----------------------------------------------------------------------


def test_directorate_sees_every_school_grouped_by_cluster_with_rolled_up_cells(client, login_as, town):
    login_as(town.directorate)
    response = client.get("/overblik")
    assert response.status_code == 200
    columns, rows = matrix_of(response)
    assert len(columns) == 7  # every political goal of the seed
    # Herningvej Skole comes with the seed (its local Learning Pipeline) and has no cluster: last.
    assert list(rows) == ["Aaskolen", "Bøgeskolen", "Cedervej Skole", "Herningvej Skole"]
    page = text_of(response).split("samlet status for tiltagene", 1)[1]  # the matrix, not the filters
    assert page.index("Nord") < page.index("Aaskolen") < page.index("Syd") < page.index("Cedervej Skole")
    assert page.index("Cedervej Skole") < page.index("Uden klynge") < page.index("Herningvej Skole")

    learning, friend = town.pg_learning.text, town.pg_friend.text
    # Aaskolen: a1 (Udfordret) and a2 (På rette spor) serve the learning goal through their goal.
    assert cell(response, "Aaskolen", learning).startswith("Udfordret 2 tiltag")
    assert "1 På rette spor, 1 Udfordret" in cell(response, "Aaskolen", learning)
    # a2 also serves the friendship goal through its own link.
    assert cell(response, "Aaskolen", friend).startswith("På rette spor 1 tiltag")
    assert cell(response, "Bøgeskolen", friend).startswith("Gennemført 2 tiltag")
    # Cedervej's goal has no political goal; its initiative links the learning goal itself.
    assert cell(response, "Cedervej Skole", learning).startswith("I gang 1 tiltag")
    assert cell(response, "Cedervej Skole", friend) == "– Ingen tiltag"


def test_cells_carry_text_not_only_colour_and_full_goal_text_in_the_heading(client, login_as, town):
    login_as(town.directorate)
    page = client.get("/overblik").get_data(as_text=True)
    assert '<span class="badge status-tag status-challenged">Udfordret</span>' in page
    assert f'<span class="sr-only">{html_lib.escape(town.pg_learning.text)}</span></a></th>' in page


def test_a_cell_opens_its_initiatives_in_place_and_as_a_page(client, login_as, town):
    login_as(town.directorate)
    url = f"/overblik/celle/{town.a.id}/{town.pg_learning.id}?periode={town.period.id}"
    page = client.get("/overblik").get_data(as_text=True)
    assert f'<a class="matrix-cell" href="{html_lib.escape(url)}">' in page
    assert 'hx-boost:inherited="true" hx-target:inherited="#cell-detail"' in page  # htmx GETs it in place

    fragment = client.get(url, headers=htmx_headers())
    assert fragment.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Læsebånd" in text_of(fragment) and "Legepatruljer" in text_of(fragment)
    assert "Læsemakkere" not in text_of(fragment)  # Cedervej's

    page = client.get(url)
    assert "<html" in page.get_data(as_text=True) and "Læsebånd" in text_of(page)
    assert "HX-Request" in page.headers["Vary"]


def test_the_friendship_cell_lists_only_the_initiative_that_serves_it(client, login_as, town):
    login_as(town.admin)
    response = client.get(f"/overblik/celle/{town.a.id}/{town.pg_friend.id}", headers=htmx_headers())
    assert "Legepatruljer" in text_of(response)
    assert "Læsebånd" not in text_of(response)


# --- filters ---------------------------------------------------------------------------------------


def test_filter_period_shows_that_periods_strategies(client, login_as, town):
    login_as(town.directorate)
    _columns, rows = matrix_of(client.get(f"/overblik?periode={town.other_period.id}"))
    assert all(text == "– Ingen tiltag" for cells in rows.values() for text in cells)
    assert "Ingen strategi" in client.get(f"/overblik?periode={town.other_period.id}").get_data(as_text=True)


def test_filter_cluster_keeps_its_schools(client, login_as, town):
    login_as(town.directorate)
    _columns, rows = matrix_of(client.get(f"/overblik?klynge={town.c.cluster_id}"))
    assert list(rows) == ["Cedervej Skole"]


def test_filter_theme_keeps_the_political_goals_of_that_theme(client, login_as, town):
    login_as(town.directorate)
    trivsel = next(t for t in town.pg_friend.themes if t.key == "trivsel")
    columns, _rows = matrix_of(client.get(f"/overblik?tema={trivsel.id}"))
    assert town.pg_friend.text in columns
    assert town.pg_learning.text not in columns  # Læring only


def test_filter_political_goal_keeps_one_column(client, login_as, town):
    login_as(town.directorate)
    columns, rows = matrix_of(client.get(f"/overblik?maal={town.pg_friend.id}"))
    assert columns == [town.pg_friend.text]
    # The states of the initiatives, then the outcome of goal_a (60 → 80, measured 70: 50 %, up from 65).
    assert rows["Aaskolen"] == ["På rette spor 1 tiltag : 1 På rette spor 50 % af vejen til målet · ↑ 1 bedre ↓ 0 dårligere"]


def test_filter_level_counts_only_initiatives_owned_by_that_level(client, login_as, town):
    login_as(town.directorate)
    response = client.get(f"/overblik?niveau={town.employee.id}")
    _columns, rows = matrix_of(response)
    assert list(rows) == ["Aaskolen"]  # schools with nothing at that level drop out
    assert cell(response, "Aaskolen", town.pg_learning.text).startswith("Udfordret 1 tiltag")


def test_filter_status_counts_only_initiatives_with_that_status(client, login_as, town):
    login_as(town.directorate)
    response = client.get("/overblik?status=completed")
    _columns, rows = matrix_of(response)
    assert list(rows) == ["Bøgeskolen"]


def test_filters_combine(client, login_as, town):
    login_as(town.directorate)
    response = client.get(
        f"/overblik?periode={town.period.id}&klynge={town.a.cluster_id}&status=on_track&maal={town.pg_learning.id}"
    )
    columns, rows = matrix_of(response)
    assert columns == [town.pg_learning.text]
    assert rows == {"Aaskolen": ["På rette spor 1 tiltag : 1 På rette spor 50 % af vejen til målet · ↑ 1 bedre ↓ 0 dårligere"]}


def test_filters_are_kept_in_the_form_the_links_and_the_pushed_url(client, login_as, town):
    login_as(town.directorate)
    response = client.get(f"/overblik?klynge={town.a.cluster_id}&status=on_track", headers=htmx_headers())
    body = response.get_data(as_text=True)
    assert "<html" not in body  # only the results are swapped
    assert f"klynge={town.a.cluster_id}" in body and "status=on_track" in body  # export and cell links
    full = client.get(f"/overblik?klynge={town.a.cluster_id}&status=on_track").get_data(as_text=True)
    assert 'hx-push-url="true"' in full
    assert '<option value="on_track" selected>' in full


@pytest.mark.parametrize("query", ["periode=abc", "klynge=-1", "status=nonsense", "maal=99999", "tema=1%27"])
def test_malformed_filters_are_ignored_not_errors(client, login_as, town, query):
    login_as(town.directorate)
    assert client.get(f"/overblik?{query}").status_code == 200


# --- permissions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, schools",
    [
        ("admin", ["Aaskolen", "Bøgeskolen", "Cedervej Skole", "Herningvej Skole"]),
        ("directorate", ["Aaskolen", "Bøgeskolen", "Cedervej Skole", "Herningvej Skole"]),
        ("consultant", ["Aaskolen", "Cedervej Skole"]),
        ("leader_b", ["Bøgeskolen"]),
    ],
)
def test_each_role_sees_only_the_schools_of_its_overview(client, login_as, town, who, schools):
    login_as(getattr(town, who))
    _columns, rows = matrix_of(client.get("/overblik"))
    assert list(rows) == schools


@pytest.mark.parametrize(
    "url",
    [
        "/overblik", "/overblik/signaler", "/overblik/learning-pipeline", "/overblik/rapporter",
        "/overblik/eksport.xlsx", "/overblik/eksport/tiltag.csv", "/overblik/rapporter/politiske-maal",
    ],
)
def test_a_reader_is_refused_the_overview(client, login_as, town, url):
    login_as(town.reader_a)
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(client, town):
    response = client.get("/overblik")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "who, school, status",
    [
        ("consultant", "a", 200),
        ("consultant", "b", 403),  # not assigned
        ("leader_b", "b", 200),
        ("leader_b", "a", 403),  # another school
        ("directorate", "b", 200),
    ],
)
def test_a_cell_of_a_school_outside_the_scope_is_refused(client, login_as, town, who, school, status):
    login_as(getattr(town, who))
    target = getattr(town, school)
    assert client.get(f"/overblik/celle/{target.id}/{town.pg_friend.id}", headers=htmx_headers()).status_code == status


# --- queries -----------------------------------------------------------------------------------------


OVERVIEW_URLS = [
    "/overblik",
    "/overblik/signaler",
    "/overblik/learning-pipeline",
    "/overblik/politiske-maal/{pg}",
    "/overblik/eksport.xlsx",
    "/overblik/eksport/tiltag.csv",
    "/overblik/rapporter/politiske-maal",
]


@pytest.mark.parametrize("url", OVERVIEW_URLS)
def test_query_count_stays_flat_as_schools_are_added(client, login_as, make, town, count_queries, url):
    login_as(town.directorate)
    url = url.format(pg=town.pg_learning.id)
    client.get(url)  # warm up (session user, caches)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    make.more_schools(town, 9)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), f"{url}: {len(few)} queries at 3 schools, {len(many)} at 12"


@pytest.mark.parametrize("url", [*OVERVIEW_URLS, "/overblik/resultater", "/overblik/rapporter"])
def test_the_users_scope_is_worked_out_once_per_request(client, login_as, town, monkeypatch, url):
    import sys

    from strategy import permissions

    calls = []
    original = permissions.overview_school_ids

    def counting(user):
        calls.append(user)
        return original(user)

    for module in [m for name, m in sys.modules.items() if name.startswith("strategy")]:
        if getattr(module, "overview_school_ids", None) is original:
            monkeypatch.setattr(module, "overview_school_ids", counting)
    login_as(town.consultant)
    assert client.get(url.format(pg=town.pg_learning.id)).status_code == 200
    assert len(calls) == 1


def test_roll_up_follows_the_products_rule(client, login_as, make, town):
    """The overview uses strategy.schools' roll-up: stopped initiatives are left out unless all are."""
    extra = make.initiative(town.goal_b, status=Status.STOPPED, title="Stoppet tiltag")
    assert extra.id
    login_as(town.directorate)
    response = client.get("/overblik")
    assert cell(response, "Bøgeskolen", town.pg_friend.text).startswith("Gennemført 3 tiltag")


# --- the fragment cache ----------------------------------------------------------------------------


@pytest.fixture
def cached_overview(app):
    from strategy.overview import cache

    app.config["OVERVIEW_CACHE"] = True
    cache.clear()
    yield
    cache.clear()


def test_cached_results_are_reused_until_the_data_changes(client, login_as, town, count_queries, cached_overview):
    from strategy.schools.service import set_status

    login_as(town.directorate)
    with count_queries() as building:
        first = client.get("/overblik")
    with count_queries() as again:
        second = client.get("/overblik")
    assert second.get_data(as_text=True).split("<main")[1] == first.get_data(as_text=True).split("<main")[1]
    # the signed-in user, the current period and the data version; nothing about the schools
    assert len(again) <= 5 < len(building)
    with count_queries() as htmx_again:
        client.get("/overblik", headers=htmx_headers())
    assert len(htmx_again) <= 5

    set_status(town.c1, Status.CHALLENGED, "Mangler lærere", town.directorate)  # audited, like every change
    db.session.commit()
    assert cell(client.get("/overblik"), "Cedervej Skole", town.pg_learning.text).startswith("Udfordret 1 tiltag")


def test_cached_results_are_never_shared_across_scopes(client, login_as, town, cached_overview):
    login_as(town.directorate)
    assert "Bøgeskolen" in matrix_of(client.get("/overblik"))[1]
    login_as(town.consultant)
    assert list(matrix_of(client.get("/overblik"))[1]) == ["Aaskolen", "Cedervej Skole"]


def test_watchlist_changes_show_at_once_with_the_cache_on(client, login_as, town, cached_overview):
    login_as(town.directorate)
    assert "flag-watch" not in client.get("/overblik").get_data(as_text=True)
    client.post("/overblik/watchlist", data={"school_id": town.b.id, "reason": "Bekymring"})
    assert "flag-watch" in client.get("/overblik").get_data(as_text=True)
