""""Mine skoler": each assigned school's contact, plans, agreements, status changes and cadence,
the school needing attention first, in a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta

import re

import pytest

from strategy.cadence import Cadence
from strategy.followup.service import SchoolFacts, attention_score, sort_by_attention
from strategy.models import MeetingState, MeetingType, Role, School, Status, Visibility
from tests.helpers import local, text_of, yesterday

TODAY = date(2026, 2, 1)


def _cadence(held=2, expected=2, lus=True, grus=True, today=TODAY):
    return Cadence(school_id=1, school_year=2025, today=today, one_to_one_held=held, one_to_one_min=4,
                   one_to_one_max=6, one_to_one_expected=expected, lus_held=lus, grus_held=grus,
                   lus_planned=False, grus_planned=False)


def _facts(name="Skole", **values):
    values.setdefault("cadence", _cadence())
    values.setdefault("last_contact", TODAY - timedelta(days=5))
    values.setdefault("next_meeting_at", datetime(2026, 2, 10, tzinfo=UTC))
    return SchoolFacts(school=School(name=name), **values)


def test_a_school_in_good_order_scores_zero():
    assert attention_score(_facts(), TODAY).score == 0


@pytest.mark.parametrize(
    "values, points",
    [
        ({"overdue_agreements": 2}, 6),
        ({"cadence": _cadence(held=0, expected=2)}, 6),
        ({"cadence": _cadence(lus=False, today=date(2026, 4, 1))}, 2),
        ({"cadence": _cadence(lus=False, grus=False, today=date(2026, 4, 1))}, 4),
        ({"cadence": _cadence(lus=False)}, 0),  # not missing before 31 March
        ({"last_contact": None}, 4),
        ({"last_contact": TODAY - timedelta(days=61)}, 3),
        ({"last_contact": TODAY - timedelta(days=60)}, 1),
        ({"last_contact": TODAY - timedelta(days=31)}, 1),
        ({"last_contact": TODAY - timedelta(days=30)}, 0),
        ({"challenged_initiatives": 2}, 2),
        ({"challenged_initiatives": 7}, 3),
        ({"next_meeting_at": None}, 1),
    ],
)
def test_attention_points(values, points):
    result = attention_score(_facts(**values), TODAY)
    assert result.score == points
    assert bool(result.reasons) is (points > 0)


def test_sorted_by_score_then_longest_without_contact_then_name():
    rows = [
        _facts("A-skolen"),
        _facts("B-skolen", overdue_agreements=1),
        _facts("C-skolen", overdue_agreements=1, last_contact=TODAY - timedelta(days=20)),
        _facts("D-skolen", overdue_agreements=3),
    ]
    assert [r.school.name for r in sort_by_attention(rows, TODAY)] == ["D-skolen", "C-skolen", "B-skolen", "A-skolen"]


@pytest.fixture
def consultant_with_schools(make):
    calm, urgent = make.school("Roligskolen"), make.school("Travlskolen")
    consultant = make.user(Role.CONSULTANT, assigned=[calm, urgent])
    leader = make.user(Role.LEADER, school=urgent, name="Travl Leder")
    strategy = make.strategy(urgent, make.period(date.today().year - 1, date.today().year + 1))
    goal = make.goal(strategy)
    make.initiative(goal, status=Status.CHALLENGED, title="Udfordret tiltag")
    make.initiative(goal, status=Status.ON_TRACK, title="Sikkert tiltag")
    n = make.note(urgent, consultant, held_on=date.today() - timedelta(days=90))
    make.agreement(n, text="Overskreden", owner=leader, due_on=yesterday())
    make.agreement(n, text="Åben", owner=leader, due_on=date.today() + timedelta(days=3))
    make.note(calm, consultant, held_on=date.today())
    for day in range(1, 8):
        make.meeting(calm, consultant, starts_at=local(date.today() - timedelta(days=day)))
    make.meeting(calm, consultant, meeting_type=MeetingType.LUS, state=MeetingState.PLANNED,
                 starts_at=local(date.today() + timedelta(days=7)))
    return consultant


def test_the_page_shows_the_school_needing_attention_first(client, login_as, consultant_with_schools):
    login_as(consultant_with_schools)

    response = client.get("/mine-skoler")

    assert response.status_code == 200
    text = text_of(response)
    assert text.index("Travlskolen") < text.index("Roligskolen")
    urgent, calm = text[text.index("Travlskolen"):text.index("Roligskolen")], text[text.index("Roligskolen"):]
    # Open agreements with the overdue one, and the signals no other column shows.
    assert " 2 1 overskredet " in urgent
    assert "90 dage siden sidste kontakt" in urgent and "1 tiltag udfordret" in urgent
    assert "Ingen samtale planlagt" in urgent
    assert "Udfordret Udfordret tiltag" in text  # latest status changes, with the status
    assert re.search(r"^Roligskolen .*? LUS \d{1,2}\. \w+\.? \d{4} kl\. \d{2}\.\d{2} ", calm)
    assert response.headers["Cache-Control"] == "no-store"


def _add_school_with_data(make, consultant_id, n):
    from strategy.extensions import db
    from strategy.models import User

    consultant = db.session.get(User, consultant_id)
    for i in range(n):
        school = make.school()
        consultant.assigned_schools.append(school)
        leader = make.user(Role.LEADER, school=school)
        goal = make.goal(make.strategy(school, make.period(2025, 2027)))
        for status in (Status.IN_PROGRESS, Status.CHALLENGED, Status.ON_TRACK, Status.STOPPED):
            make.initiative(goal, status=status)
        for vis in Visibility:
            nt = make.note(school, consultant, visibility=vis)
            make.agreement(nt, owner=leader, due_on=yesterday())
            m = make.meeting(school, consultant, visibility=vis)
            make.agreement(m, owner=leader, due_on=date.today())
        make.meeting(school, consultant, state=MeetingState.PLANNED, starts_at=local(date.today() + timedelta(days=3)))
    db.session.commit()


def test_query_count_is_flat(client, make, login_as, count_queries):
    consultant = make.user(Role.CONSULTANT)
    consultant_id = consultant.id
    _add_school_with_data(make, consultant_id, 1)
    login_as(consultant)
    with count_queries() as small:
        assert client.get("/mine-skoler").status_code == 200

    _add_school_with_data(make, consultant_id, 6)
    with count_queries() as large:
        response = client.get("/mine-skoler")

    assert response.status_code == 200 and text_of(response).count("Nyt sparringsnotat") == 7
    assert len(small) == len(large), (len(small), len(large))


@pytest.mark.parametrize(
    "role, status, target",
    [
        (Role.CONSULTANT, 200, None),
        (Role.DIRECTORATE, 302, "/opfoelgning"),
        (Role.ADMIN, 302, "/opfoelgning"),
        (Role.LEADER, 302, "/skoler/{school}/opfoelgning"),
        (Role.READER, 403, None),
    ],
)
def test_who_gets_what_at_mine_skoler(client, make, login_as, role, status, target):
    school = make.school()
    user = make.user(role, school=school if role in (Role.LEADER, Role.READER) else None)
    login_as(user)
    response = client.get("/mine-skoler")
    assert response.status_code == status
    if target:
        assert response.headers["Location"] == target.format(school=school.id)


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/mine-skoler")
    assert response.status_code in (302, 401)
