"""Printable reports: a school's strategy status (with last year's evaluations followed up) and
the municipality per political goal, as print pages and PDFs rendered without network access."""

from datetime import date

import pytest

from strategy.extensions import db
from strategy.models import Conclusion, Evaluation
from strategy.reports import _fetcher_class
from tests.helpers import text_of, utc


@pytest.fixture
def town(make):
    town = make.town()
    strategy = town.goal_a.strategy
    strategy.current_year = 2023
    db.session.add_all(
        [
            Evaluation(
                initiative=town.a1, evaluated_on=date(2022, 6, 10), conclusion=Conclusion.ADJUST,
                next_steps="Kortere læsebånd", acted_on_at=utc(2022, 9, 1), acted_on_note="Læsebåndet er nu 20 minutter",
            ),
            Evaluation(initiative=town.a2, evaluated_on=date(2022, 11, 2), conclusion=Conclusion.STOP, next_steps="Stop i foråret"),
            Evaluation(goal=town.goal_a, evaluated_on=date(2022, 12, 1), conclusion=Conclusion.CONTINUE),
            Evaluation(initiative=town.a1, evaluated_on=date(2021, 5, 1), conclusion=Conclusion.STOP),  # two years back
        ]
    )
    db.session.commit()
    return town


def test_school_report_shows_goals_initiatives_and_how_last_years_evaluations_were_followed_up(client, login_as, town):
    login_as(town.directorate)
    response = client.get(f"/overblik/rapporter/skole/{town.a.id}?periode={town.period.id}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Aaskolen" in text and "2021-2023" in text
    assert "Flere elever læser sikkert" in text and "Læsebånd" in text and "Legepatruljer" in text
    assert "Opfølgning på evalueringerne fra 2022" in text
    assert "Læsebåndet er nu 20 minutter" in text  # acted on, with its note
    assert "Ikke fulgt op endnu" in text  # the stop conclusion on Legepatruljer
    assert "3 evalueringer blev gennemført i 2022" in text  # not the one from 2021
    assert "1 konklusion om at stoppe eller justere er endnu ikke fulgt op" in text
    assert 'rel="stylesheet" href="/static/css/report.css"' in response.get_data(as_text=True)


def test_school_report_says_the_indicator_in_the_products_words_with_units(client, login_as, town):
    """For the Skoleudvalg: Udgangspunkt and Målsætning (as everywhere else), with spaces and units."""
    login_as(town.directorate)
    text = text_of(client.get(f"/overblik/rapporter/skole/{town.a.id}?periode={town.period.id}"))
    assert "Indikator Andel sikre læsere" in text
    assert "Udgangspunkt 60 % i 2021" in text and "Målsætning 80 % i 2023" in text
    assert "Målinger 2022: 65 %, 2023: 70 %" in text
    assert "Baseline" not in text and "Målværdi" not in text


def test_school_report_pdf_is_a_pdf_download(client, login_as, town):
    login_as(town.directorate)
    response = client.get(f"/overblik/rapporter/skole/{town.a.id}.pdf?periode={town.period.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="maalpil-strategi-skole-{town.a.id}-2021-2023-')


def test_goals_report_summarises_each_political_goal(client, login_as, town):
    login_as(town.directorate)
    text = text_of(client.get("/overblik/rapporter/politiske-maal"))
    section = text.split(town.pg_learning.text, 1)[1].split("Alle har mod på at deltage i verden", 1)[0]
    assert "Skoler med tiltag 2" in section  # Aaskolen and Cedervej
    assert "Udfordret på: Aaskolen" in section
    pdf = client.get("/overblik/rapporter/politiske-maal.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


@pytest.mark.parametrize(
    "who, school, status",
    [
        ("consultant", "a", 200),
        ("consultant", "b", 403),
        ("leader_b", "b", 200),
        ("leader_b", "a", 403),
        ("reader_a", "a", 403),
        ("admin", "b", 200),
    ],
)
def test_school_report_follows_the_overview_scope(client, login_as, town, who, school, status):
    login_as(getattr(town, who))
    target = getattr(town, school)
    assert client.get(f"/overblik/rapporter/skole/{target.id}").status_code == status
    assert client.get(f"/overblik/rapporter/skole/{target.id}.pdf").status_code == status


def test_a_consultants_municipal_report_covers_only_assigned_schools(client, login_as, town):
    login_as(town.consultant)
    text = text_of(client.get("/overblik/rapporter/politiske-maal"))
    assert "Kun de skoler, du følger" in text
    assert "Bøgeskolen" not in text


def test_pdf_fetcher_serves_static_files_and_refuses_everything_else(app):
    fetcher = _fetcher_class()(app.static_folder, app.static_url_path, "localhost")
    css = fetcher.fetch("http://localhost/static/css/report.css")
    assert b"@page" in css.read()
    for url in (
        "https://example.com/static/css/report.css",  # another host
        "http://localhost/overblik",  # not a static file
        "http://localhost/static/../config.py",  # out of the static folder
        "file:///etc/passwd",
        "http://localhost/static/missing.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
