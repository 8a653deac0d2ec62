"""The school board and the Skoleudvalg: what they reach, and what never reaches them.

The world of tests/world.py is built with a marker in every free text that is working detail or
personal data (sparring notes, meetings and their agenda, comments, status comments, the audit
history, agreement owners) and in the indicator of an internal goal; a confidential goal (test
results) is added with markers in its title, indicator and measurement. Then every GET route of
the URL map (and its variants for school B, drafts and internal notes) is opened by a board
member and a committee member, as a page and as an htmx fragment; every PDF they can open is
read with pypdf. None of it may contain a marker.
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from strategy.extensions import db
from strategy.models import Classification, Expectation, ExpectationCategory, Goal, Measurement, ProfileLevel, Role, User
from strategy.permissions import can, indicator_read_clause
from tests.helpers import htmx_headers, sign_in, text_of
from tests.world import crawl_urls, kept_world

SECRET = "HEMMELIG"
# Free texts the board and the committee must never read (working detail and personal data).
SECRET_FIELDS = (
    "note.", "meeting.", "agenda_item.", "comment.", "status_update.", "audit.", "agreement.owner_name",
    "goal.indicator", "measurement.",
)
OUTSIDE = ("board", "committee")


def marked_text(field_name: str) -> str:
    if field_name.startswith(SECRET_FIELDS):
        return f"{SECRET}-{field_name}"
    return f"Tekst-{field_name}"


@pytest.fixture(scope="module")
def keeper():
    with kept_world(marked_text, PROPAGATE_EXCEPTIONS=False) as keeper:
        yield keeper


def _add_confidential_goal(world) -> None:
    strategy = db.session.merge(world["strategy"])
    goal = Goal(strategy=strategy, title=f"{SECRET}-test-goal.title", indicator=f"{SECRET}-test-goal.indicator",
                classification=Classification.CONFIDENTIAL, baseline_value=10, target_value=20, position=5,
                political_goals=[db.session.merge(world["political_goal"])])
    db.session.add(goal)
    db.session.add(Measurement(goal=goal, year=2025, value=15, note=f"{SECRET}-test-measurement.note"))
    db.session.commit()


@pytest.fixture(scope="module")
def reached(keeper) -> dict[tuple[str, str, str], tuple[int, str]]:
    """(role, url, mode) -> (status, text) for every GET route the outside roles open."""
    app = keeper.app
    world = keeper.fresh()
    _add_confidential_goal(world)
    urls = crawl_urls(app, world)
    # The period's pages with the period chosen (the overview's default may be another period).
    urls += [f"/skoleudvalg?periode={world['period'].id}", f"/skoleudvalg.pdf?periode={world['period'].id}"]
    # The markers are there to be found: the directorate reads them in the full material.
    control = app.test_client()
    sign_in(control, world.user("directorate"))
    full = control.get(f"/skoler/{world['school'].id}/sus/rapport").get_data(as_text=True)
    assert f"{SECRET}-test-goal.indicator" in full and f"{SECRET}-goal.indicator" in full
    assert f"{SECRET}-meeting.notes" in control.get(f"/samtaler/{world['meeting'].id}").get_data(as_text=True)
    results = {}
    for role in OUTSIDE:
        client = app.test_client()
        sign_in(client, world.user(role))
        for url in urls:
            for mode, headers in (("page", {}), ("fragment", htmx_headers())):
                response = client.get(url, headers=headers)
                assert response.status_code < 500, url
                if response.status_code != 200:
                    results[(role, url, mode)] = (response.status_code, "")
                elif response.mimetype == "application/pdf":
                    pages = PdfReader(io.BytesIO(response.data)).pages
                    results[(role, url, mode)] = (200, " ".join(p.extract_text() or "" for p in pages))
                else:
                    results[(role, url, mode)] = (200, response.get_data(as_text=True))
    db.session.remove()
    keeper.dirty = True  # the confidential goal goes with the next restore
    return results


@pytest.mark.parametrize("role", OUTSIDE)
def test_no_note_meeting_history_or_confidential_indicator_reaches_them(reached, role):
    leaks = [
        f"{mode} {url}: …{body[max(0, body.find(SECRET) - 60): body.find(SECRET) + 60]}…"
        for (who, url, mode), (status, body) in reached.items()
        if who == role and SECRET in body
    ]
    assert not leaks, "\n".join(leaks[:20])


def test_they_reach_their_own_views_and_nothing_of_the_working_strategy(reached, keeper):
    world = keeper.fresh()
    ok = {(role, url.split("?")[0]) for (role, url, mode), (status, _b) in reached.items() if status == 200}
    school, school_b = world["school"].id, world["school_b"].id
    assert ("board", f"/bestyrelse/skoler/{school}") in ok
    assert ("board", f"/skoler/{school}/sus") in ok and ("board", f"/skoler/{school}/sus/bestyrelse.pdf") in ok
    assert ("board", f"/bestyrelse/skoler/{school_b}") not in ok  # one school only
    assert ("board", f"/skoler/{school}/sus/rapport") not in ok  # never the full version
    assert ("committee", "/skoleudvalg") in ok and ("committee", "/skoleudvalg.pdf") in ok
    assert ("committee", f"/bestyrelse/skoler/{school}") not in ok
    for role in OUTSIDE:
        for path in (f"/skoler/{school}", f"/maal/{world['goal'].id}", "/overblik", f"/skoler/{school}/opfoelgning"):
            assert (role, path) not in ok, (role, path)


def test_their_views_show_the_public_outcome_and_no_edit_control(keeper):
    app = keeper.app
    world = keeper.fresh()
    with app.app_context():
        goal = db.session.get(Goal, world["goal"].id)
        goal.classification = Classification.PUBLIC
        for key, name, text in (("skolebestyrelse", "Skolebestyrelse", "Fører tilsyn med at principper efterleves"),
                                ("skoleudvalg", "Skoleudvalg", "Sikrer at visioner bliver til virkelighed")):
            level = ProfileLevel(key=key, name=name, position=20)
            level.expectations.append(Expectation(category=ExpectationCategory.PRIORITIES, text=text, position=1))
            db.session.add(level)
        db.session.commit()
    keeper.dirty = True
    client = app.test_client()
    sign_in(client, world.user("board"))
    board = client.get(f"/bestyrelse/skoler/{world['school'].id}")
    page = text_of(board)
    assert "Tekst-goal.title" in page and "Tekst-initiative.title" in page
    assert "Skolebestyrelsens rolle i Learning Pipeline" in page and "Fører tilsyn med at principper efterleves" in page
    assert "0 af 2 tiltag er på rette spor eller gennemført." in page  # in progress + not started
    body = board.get_data(as_text=True)
    main = body[body.index("<main"):body.index("</main>")]
    assert "<form" not in main.replace('<form class="filters" method="get"', "")
    sign_in(client, world.user("committee"))
    committee = text_of(client.get(f"/skoleudvalg?periode={world['period'].id}"))
    # School A's goal: baseline 60, target 75, measured 64 → (64 − 60) / (75 − 60) = 27 %.
    assert "27 %" in committee and "Sikrer at visioner bliver til virkelighed" in committee
    with app.app_context():
        goal = db.session.get(Goal, world["goal"].id)
        goal.classification = Classification.INTERNAL
        db.session.commit()
    keeper.dirty = True


@pytest.mark.parametrize("classification", list(Classification))
def test_the_indicator_rule_and_its_sql_twin_agree_for_them(keeper, classification):
    world = keeper.fresh()
    app = keeper.app
    with app.app_context():
        goals = [db.session.get(Goal, world[k].id) for k in ("goal", "goal_b")]
        for goal in goals:
            goal.classification = classification
        db.session.commit()
        for role in OUTSIDE:
            user = db.session.get(User, world.user(role).id)
            allowed = {g.id for g in goals if can(user, "indicator.read", g)}
            listed = set(db.session.scalars(sa.select(Goal.id).where(Goal.id.in_([g.id for g in goals]), indicator_read_clause(user))))
            assert allowed == listed
            expected = set()
            if classification == Classification.PUBLIC:
                expected = {world["goal"].id} if user.role == Role.BOARD else {g.id for g in goals}
            assert allowed == expected, (role, classification)
        for goal in goals:
            goal.classification = Classification.INTERNAL
        db.session.commit()
    keeper.dirty = True


# --- their accounts, landing pages and menu ----------------------------------------------------


def test_admin_creates_board_and_committee_accounts(app, client, login_as, make):
    from tests.helpers import text_of as page_text

    school = make.school("Aaby Skole")
    login_as(make.user(Role.ADMIN))
    password = "Et-godt-kodeord-2026"
    base = {"title": "Forælder", "password": password}
    refused = client.post("/admin/brugere/ny", data={**base, "email": "pia@example.dk", "name": "Pia", "role": "board"})
    assert refused.status_code == 422
    assert "et skolebestyrelsesmedlem hører til én skole" in page_text(refused)
    assert client.post("/admin/brugere/ny", data={
        **base, "email": "pia@example.dk", "name": "Pia", "role": "board", "school_id": str(school.id),
    }).status_code == 303
    pia = db.session.scalar(sa.select(User).where(User.email == "pia@example.dk"))
    assert (pia.role, pia.school_id) == (Role.BOARD, school.id)
    assert client.post("/admin/brugere/ny", data={
        **base, "email": "jens@example.dk", "name": "Jens", "role": "committee", "school_id": str(school.id),
    }).status_code == 303
    jens = db.session.scalar(sa.select(User).where(User.email == "jens@example.dk"))
    assert (jens.role, jens.school_id) == (Role.COMMITTEE, None)  # all schools, none in particular

    runner = app.test_cli_runner()
    made = runner.invoke(args=["create-user", "--email", "ole@example.dk", "--name", "Ole", "--role", "board",
                               "--school", "Aaby Skole", "--password", password])
    assert made.exit_code == 0, made.output
    missing = runner.invoke(args=["create-user", "--email", "eva@example.dk", "--name", "Eva", "--role", "board",
                                  "--password", password])
    assert missing.exit_code != 0
    assert db.session.scalar(sa.select(User).where(User.email == "eva@example.dk")) is None


def test_they_land_on_their_own_view_with_their_own_menu(client, login_as, make):
    from tests.helpers import text_of as page_text

    school = make.school("Aaby Skole")
    login_as(make.user(Role.BOARD, school=school))
    response = client.get("/", follow_redirects=True)
    assert response.request.path == f"/bestyrelse/skoler/{school.id}"
    menu = page_text(response)
    assert "Skolebestyrelsen" in menu and "Overblik" not in menu and "Min skole" not in menu
    assert "Skoleudvalget" not in menu and "Mine aftaler" not in menu and "Opfølgning" not in menu
    login_as(make.user(Role.COMMITTEE))
    response = client.get("/", follow_redirects=True)
    assert response.request.path == "/skoleudvalg"
    menu = page_text(response)
    assert "Skoleudvalget" in menu and "Overblik" not in menu and "Skolebestyrelsen" not in menu
