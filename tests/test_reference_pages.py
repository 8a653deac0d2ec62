"""The reference pages every signed-in user reads."""

import re

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import ProfileLevel, Role
from tests.helpers import htmx_headers, text_of


@pytest.fixture
def reader(seeded, make, login_as):
    return login_as(make.user(Role.READER))


def level(key, school=False):
    query = sa.select(ProfileLevel).where(ProfileLevel.key == key)
    query = query.where(ProfileLevel.school_id.is_not(None) if school else ProfileLevel.school_id.is_(None))
    return db.session.scalar(query)


def test_pipeline_lists_municipal_and_herningvej_local_levels(client, reader):
    page = text_of(client.get("/learning-pipeline"))
    assert "Kommunale niveauer" in page
    assert "Lokale niveauer på Herningvej Skole" in page
    for name in ("Medarbejder", "Leder af ledere", "Skoleudvalg", "Forældre", "Elever"):
        assert name in page


def test_a_levels_profile_shows_its_three_categories(client, reader):
    response = client.get(f"/learning-pipeline/niveau/{level('leder-af-ledere').id}")
    page = text_of(response)
    assert response.status_code == 200
    for heading in ("Prioriteter", "Arbejdsværdier", "Færdigheder"):
        assert heading in page


def test_search_as_you_type_returns_only_the_results_fragment(client, reader):
    response = client.get("/learning-pipeline?q=feedback", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "Søg i forventningerne" not in html
    assert "feedback" in html.lower()
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/learning-pipeline?q=feedback")
    assert "<html" in full.get_data(as_text=True)


def matches_for(client, query) -> int:
    page = text_of(client.get(f"/learning-pipeline?q={query}", headers=htmx_headers()))
    return int(re.search(r"(\d+) forventning(?:er)? matcher", page).group(1))


def test_search_folds_danish_letters(client, reader):
    assert matches_for(client, "FÆLLESSKAB") == matches_for(client, "fællesskab") > 0


def test_search_without_hits_says_so(client, reader):
    page = text_of(client.get("/learning-pipeline?q=zzzqqq", headers=htmx_headers()))
    assert "Ingen forventninger matcher søgningen" in page


def test_levels_side_by_side(client, reader):
    a, b = level("medarbejder"), level("foraeldre", school=True)
    page = text_of(client.get(f"/learning-pipeline/sammenlign?level={a.id}&level={b.id}"))
    assert "Medarbejder" in page and "Forældre" in page
    assert "Lokalt niveau på Herningvej Skole" in page


def test_political_goals_periods_and_cadence(client, reader):
    page = text_of(client.get("/politiske-maal"))
    assert "Noget at have det i" in page
    assert "Alle har en ven i skolen" in page
    assert "Det vi står på" in page
    assert "1:1-samtale" in page and "4–6" in page


def test_a_period_shows_its_activities_per_year(client, reader):
    page = text_of(client.get("/perioder/2021-2023"))
    for year in ("2021", "2022", "2023"):
        assert year in page
    assert client.get("/perioder/1999-2000").status_code == 404


def test_the_faq_is_help_text(client, reader):
    response = client.get("/learning-pipeline/spoergsmaal")
    assert response.status_code == 200
    assert "Spørgsmål og svar" in text_of(response)


def test_tools_of_faelles_om_ledelse(client, reader):
    page = text_of(client.get("/vaerktoejer"))
    assert "Fælles om Ledelse" in page
    stances = text_of(client.get("/vaerktoejer/stances"))
    for stance in ("Understøttende", "Udfordrende", "Retningsgivende", "Kvalitetsvurderende"):
        assert stance.lower() in stances.lower()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
