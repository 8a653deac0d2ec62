"""Signals that need action, and the directorate's watchlist."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    AuditEvent,
    Conclusion,
    Evaluation,
    MeetingState,
    MeetingType,
    Visibility,
    WatchlistEntry,
)
from tests.helpers import htmx_headers, text_of


@pytest.fixture
def town(make):
    return make.town()


def section(response, heading: str) -> str:
    """The text of one signals section, from its heading to the next."""
    text = text_of(response)
    start = text.index(heading)
    headings = ("Strategi ikke opdateret", "Bagud med", "Forfaldne aftaler", "Evalueringer der", "Watchlist")
    ends = [text.find(h, start + 1) for h in headings if not heading.startswith(h)]
    ends = [e for e in ends if e > start]
    return text[start : min(ends) if ends else None]


def test_schools_whose_strategy_has_not_changed_for_the_configured_days(app, client, login_as, town):
    app.config["STALE_AFTER_DAYS"] = 30
    town.goal_b.strategy.last_activity_at = datetime.now(UTC) - timedelta(days=45)
    town.goal_a.strategy.last_activity_at = datetime.now(UTC) - timedelta(days=10)
    db.session.commit()
    login_as(town.directorate)
    stale = section(client.get("/overblik/signaler"), "Strategi ikke opdateret i 30 dage")
    assert "Bøgeskolen" in stale and "45 dage siden" in stale
    assert "Aaskolen" not in stale
    assert "Herningvej Skole" in stale and "Ingen strategi for perioden" in stale
    # the matrix flags it too, in words
    assert "Ikke opdateret" in client.get("/overblik").get_data(as_text=True)


def test_schools_behind_the_one_to_one_cadence(client, login_as, make, town):
    today = date.today()
    start_year = today.year if today.month >= 8 else today.year - 1
    for n in range(6):  # Aaskolen holds more than the yearly maximum: never behind on 1:1s
        make.meeting(town.a, None, MeetingType.ONE_TO_ONE, MeetingState.HELD, datetime(start_year, 8, 10 + n, 10, tzinfo=UTC))
    for kind in (MeetingType.LUS, MeetingType.GRUS, MeetingType.SUS):  # the SUS counts too (§ 40 a)
        make.meeting(town.a, None, kind, MeetingState.HELD, datetime(start_year, 8, 20, 10, tzinfo=UTC))
    login_as(town.directorate)
    behind = section(client.get("/overblik/signaler"), "Bagud med opfølgningssamtaler")
    assert "Aaskolen" not in behind
    if today >= date(start_year, 11, 10):  # from November one 1:1 is expected by now
        assert "Bøgeskolen" in behind and "Cedervej Skole" in behind


def _note(make, town, visibility, author, due: date, done: bool = False):
    make.agreement(make.note(town.a, author, visibility), due_on=due, done=done)


def test_overdue_agreements_count_only_those_the_user_may_see(client, login_as, make, town):
    other_consultant = make.user("consultant", assigned=[town.a])
    yesterday = date.today() - timedelta(days=1)
    _note(make, town, Visibility.SHARED, other_consultant, yesterday)
    _note(make, town, Visibility.INTERNAL, other_consultant, yesterday)
    _note(make, town, Visibility.DRAFT, other_consultant, yesterday)  # the author's only
    _note(make, town, Visibility.SHARED, other_consultant, yesterday, done=True)
    _note(make, town, Visibility.SHARED, other_consultant, date.today() + timedelta(days=3))  # not due yet
    db.session.commit()

    login_as(town.directorate)
    assert "Aaskolen 2" in section(client.get("/overblik/signaler"), "Forfaldne aftaler")
    login_as(other_consultant)
    assert "Aaskolen 3" in section(client.get("/overblik/signaler"), "Forfaldne aftaler")  # incl. own draft
    login_as(town.consultant)  # assigned too, not the author
    assert "Aaskolen 2" in section(client.get("/overblik/signaler"), "Forfaldne aftaler")


def test_initiatives_whose_latest_evaluation_says_stop_or_adjust_and_is_not_acted_on(client, login_as, town):
    db.session.add_all(
        [
            Evaluation(initiative=town.a1, evaluated_on=date(2023, 1, 5), conclusion=Conclusion.STOP),
            Evaluation(initiative=town.a1, evaluated_on=date(2023, 6, 5), conclusion=Conclusion.ADJUST, next_steps="Nyt format"),
            # an older stop superseded by a "fortsæt"
            Evaluation(initiative=town.b1, evaluated_on=date(2023, 1, 5), conclusion=Conclusion.STOP),
            Evaluation(initiative=town.b1, evaluated_on=date(2023, 6, 5), conclusion=Conclusion.CONTINUE),
            # acted on
            Evaluation(initiative=town.c1, evaluated_on=date(2023, 6, 5), conclusion=Conclusion.STOP,
                       acted_on_at=datetime.now(UTC), acted_on_note="Stoppet"),
        ]
    )
    db.session.commit()
    login_as(town.directorate)
    evaluations = section(client.get("/overblik/signaler"), "Evalueringer der siger stop eller justér")
    assert "Læsebånd" in evaluations and "Justér" in evaluations and "Nyt format" in evaluations
    assert "Venskabsklasser" not in evaluations
    assert "Læsemakkere" not in evaluations


def test_signals_follow_the_users_scope(client, login_as, town):
    town.goal_b.strategy.last_activity_at = datetime.now(UTC) - timedelta(days=400)
    db.session.commit()
    login_as(town.consultant)
    text = text_of(client.get("/overblik/signaler"))
    assert "Bøgeskolen" not in text


# --- watchlist ----------------------------------------------------------------------------------------


def test_directorate_puts_a_school_on_the_watchlist_in_place(client, login_as, town):
    login_as(town.directorate)
    response = client.post(
        "/overblik/watchlist", data={"school_id": town.b.id, "reason": "Faldende trivsel"}, headers=htmx_headers()
    )
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    assert "Bøgeskolen" in text_of(response) and "Faldende trivsel" in text_of(response)
    assert "watchlisten" in response.headers["HX-Trigger"]
    entry = db.session.scalar(sa.select(WatchlistEntry))
    assert entry.school_id == town.b.id and entry.created_by_id == town.directorate.id
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "WatchlistEntry"))
    assert event.action == "create" and event.changes["reason"] == "Faldende trivsel"
    # shown on the overview
    assert '<span class="badge badge-small flag flag-watch">Watchlist</span>' in client.get("/overblik").get_data(as_text=True)


def test_watchlist_without_js_redirects_back(client, login_as, town):
    login_as(town.admin)
    response = client.post("/overblik/watchlist", data={"school_id": town.c.id, "reason": "Ny ledelse"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/overblik/signaler")
    assert "Ny ledelse" in text_of(client.get("/overblik/signaler"))


@pytest.mark.parametrize("data", [{"school_id": "0", "reason": "x"}, {"school_id": "", "reason": "Grund"}, {"reason": ""}])
def test_watchlist_form_errors_come_back_in_place_and_save_nothing(client, login_as, town, data):
    login_as(town.directorate)
    data = {"school_id": str(town.b.id), **data} if "school_id" not in data else data
    response = client.post("/overblik/watchlist", data=data, headers=htmx_headers())
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(WatchlistEntry.id))) == 0


def test_removing_keeps_the_record(client, login_as, town):
    entry = WatchlistEntry(school=town.b, reason="Bekymring", created_by_id=town.directorate.id)
    db.session.add(entry)
    db.session.commit()
    login_as(town.directorate)
    response = client.post(f"/overblik/watchlist/{entry.id}/fjern", headers=htmx_headers())
    assert response.status_code == 200
    assert "Ingen skoler er på watchlisten" in text_of(response)
    db.session.expire_all()
    kept = db.session.get(WatchlistEntry, entry.id)
    assert kept.removed_at is not None and kept.removed_by_id == town.directorate.id
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.object_type == "WatchlistEntry", AuditEvent.action == "update")
    )


@pytest.mark.parametrize("who", ["consultant", "leader_b", "reader_a"])
def test_only_directorate_and_admin_edit_the_watchlist(client, login_as, town, who):
    entry = WatchlistEntry(school=town.a, reason="Bekymring")
    db.session.add(entry)
    db.session.commit()
    login_as(getattr(town, who))
    assert client.post("/overblik/watchlist", data={"school_id": town.a.id, "reason": "x"}).status_code == 403
    assert client.post(f"/overblik/watchlist/{entry.id}/fjern").status_code == 403
    db.session.expire_all()
    assert db.session.get(WatchlistEntry, entry.id).removed_at is None


def test_consultants_see_the_watchlist_of_their_schools_without_the_form(client, login_as, town):
    db.session.add_all([WatchlistEntry(school=town.a, reason="Ny leder"), WatchlistEntry(school=town.b, reason="Fravær")])
    db.session.commit()
    login_as(town.consultant)
    response = client.get("/overblik/signaler")
    assert "Ny leder" in text_of(response) and "Fravær" not in text_of(response)
    assert "Sæt en skole på watchlisten" not in text_of(response)
