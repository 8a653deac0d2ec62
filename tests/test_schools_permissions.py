"""Who may read, change and comment on a school's strategy: every action x every role.

The rows are the permissions table of DESIGN.md: leaders and admins edit, consultants assigned
to the school and the directorate comment, everyone but another school's readers reads.
"""

from datetime import date

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    AuditEvent,
    Comment,
    Conclusion,
    Evaluation,
    Goal,
    Initiative,
    Measurement,
    Status,
    Strategy,
    StrategySnapshot,
)
from tests.helpers import reload
from tests.route_rules import allows

# Every role the permission tests try, as the column (and the school's objects) of the route
# table in tests/route_rules.py that is that role: another school's reader is school A's reader
# asking for school B's objects ("@B").
AS_IN_THE_ROUTE_TABLE = {
    "leader of the school": ("leader", ""),
    "leader of another school": ("leader_other", ""),
    "reader of the school": ("reader", ""),
    "reader of another school": ("reader", "@B"),
    "consultant assigned": ("consultant", ""),
    "consultant not assigned": ("consultant_other", ""),
    "directorate": ("directorate", ""),
    "admin": ("admin", ""),
}
# What the route table grants each of them on the school's strategy: read (its page), edit (a
# goal), comment (on a goal), as DESIGN.md's permissions table does.
ROLES = {
    role: (
        allows("schools.school" + variant, "GET", column),
        allows("schools.update_goal" + variant, "POST", column),
        allows("schools.comment_goal" + variant, "POST", column),
    )
    for role, (column, variant) in AS_IN_THE_ROUTE_TABLE.items()
}


@pytest.fixture
def world(make):
    return make.school_world()


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# --- reading -------------------------------------------------------------------------------------

READ_PAGES = {
    "strategy page": lambda w: f"/skoler/{w.school.id}",
    "goal page": lambda w: f"/maal/{w.goal.id}",
    "initiative page": lambda w: f"/tiltag/{w.initiative.id}",
    "goal timeline": lambda w: f"/maal/{w.goal.id}/tidslinje",
    "initiative timeline": lambda w: f"/tiltag/{w.initiative.id}/tidslinje",
    "goal history": lambda w: f"/maal/{w.goal.id}/historik",
    "initiative history": lambda w: f"/tiltag/{w.initiative.id}/historik",
    "status block": lambda w: f"/tiltag/{w.initiative.id}/status",
}


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_reading_a_school_strategy(client, login_as, world, role, page):
    login_as(world.users[role])
    response = client.get(READ_PAGES[page](world))
    may_read = ROLES[role][0]
    assert response.status_code == (200 if may_read else 403)
    if may_read:
        assert "Flere elever læser alderssvarende" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_edit_buttons_show_only_to_those_who_may_edit(client, login_as, world, role):
    login_as(world.users[role])
    html = client.get(f"/skoler/{world.school.id}").get_data(as_text=True)
    if not ROLES[role][0]:
        return
    may_edit = ROLES[role][1]
    assert ("Nyt mål" in html) == may_edit
    assert ("Skift status" in html) == may_edit
    assert ("Afslut år" in html) == may_edit


def test_signed_out_users_are_sent_to_sign_in(client, world):
    response = client.get(f"/skoler/{world.school.id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"] or "log" in response.headers["Location"]


# --- changing -------------------------------------------------------------------------------------
# Each action: the request it makes, and a check that its change happened (or did not).


def _create_goal(client, w):
    return client.post(f"/strategi/{w.strategy.id}/maal", data={"title": "Nyt mål om trivsel"})


def _goal_created(w):
    return _count(Goal, Goal.title == "Nyt mål om trivsel") == 1


def _update_goal(client, w):
    return client.post(f"/maal/{w.goal.id}", data={"title": "Omdøbt mål", "version": w.goal.version})


def _goal_updated(w):
    return reload(w.goal).title == "Omdøbt mål"


def _move_goal(client, w):
    return client.post(f"/maal/{w.second_goal.id}/flyt", data={"direction": "up"})


def _goal_moved(w):
    return reload(w.second_goal).position < reload(w.goal).position


def _archive_goal(client, w):
    return client.post(f"/maal/{w.goal.id}/arkiver")


def _goal_archived(w):
    return reload(w.goal).archived_at is not None


def _measure(client, w):
    return client.post(f"/maal/{w.goal.id}/maalinger", data={"year": "2025", "value": "71,5"})


def _measured(w):
    return _count(Measurement, Measurement.goal_id == w.goal.id, Measurement.value == 71.5) == 1


def _create_initiative(client, w):
    prefix = f"g{w.goal.id}-"
    return client.post(f"/maal/{w.goal.id}/tiltag", data={prefix + "title": "Legepatruljer"})


def _initiative_created(w):
    return _count(Initiative, Initiative.title == "Legepatruljer") == 1


def _update_initiative(client, w):
    return client.post(
        f"/tiltag/{w.initiative.id}",
        data={"title": "Læsebånd efter frikvarter", "version": w.initiative.version},
    )


def _initiative_updated(w):
    return reload(w.initiative).title == "Læsebånd efter frikvarter"


def _archive_initiative(client, w):
    return client.post(f"/tiltag/{w.initiative.id}/arkiver")


def _initiative_archived(w):
    return reload(w.initiative).archived_at is not None


def _set_status(client, w):
    prefix = f"status{w.initiative.id}-"
    return client.post(
        f"/tiltag/{w.initiative.id}/status", data={prefix + "status": "on_track", prefix + "comment": "Godt i gang"}
    )


def _status_set(w):
    return reload(w.initiative).status == Status.ON_TRACK


def _evaluate(client, w):
    return client.post(
        f"/tiltag/{w.initiative.id}/evalueringer",
        data={"evaluated_on": "2026-01-15", "what_was_done": "Læsebånd i alle klasser", "conclusion": "continue"},
    )


def _evaluated(w):
    return _count(Evaluation, Evaluation.what_was_done == "Læsebånd i alle klasser") == 1


def _evaluate_goal(client, w):
    return client.post(
        f"/maal/{w.goal.id}/evalueringer",
        data={"evaluated_on": "2026-01-15", "what_was_done": "Målt i alle klasser", "conclusion": "continue"},
    )


def _goal_evaluated(w):
    return _count(Evaluation, Evaluation.goal_id == w.goal.id) == 1


def _act_on(client, w):
    return client.post(f"/evalueringer/{w.evaluation.id}/fulgt-op", data={"acted_on_note": "Flyttet til formiddagen"})


def _acted_on(w):
    return reload(w.evaluation).acted_on_at is not None


def _close_year(client, w):
    return client.post(f"/strategi/{w.strategy.id}/afslut-aar")


def _year_closed(w):
    return _count(StrategySnapshot, StrategySnapshot.strategy_id == w.strategy.id) == 1


def _start_strategy(client, w):
    return client.post(f"/skoler/{w.school.id}/ny-strategi", data={"period": "2028-2030"})


def _strategy_started(w):
    return _count(Strategy, Strategy.school_id == w.school.id) == 2


EDITS = {
    "create goal": (_create_goal, _goal_created),
    "edit goal": (_update_goal, _goal_updated),
    "reorder goals": (_move_goal, _goal_moved),
    "archive goal": (_archive_goal, _goal_archived),
    "record a measurement": (_measure, _measured),
    "create initiative": (_create_initiative, _initiative_created),
    "edit initiative": (_update_initiative, _initiative_updated),
    "archive initiative": (_archive_initiative, _initiative_archived),
    "set status": (_set_status, _status_set),
    "evaluate initiative": (_evaluate, _evaluated),
    "evaluate goal": (_evaluate_goal, _goal_evaluated),
    "record how an evaluation was acted on": (_act_on, _acted_on),
    "close the year": (_close_year, _year_closed),
    "start a strategy for a new period": (_start_strategy, _strategy_started),
}


@pytest.fixture
def edit_world(world, make):
    world.second_goal = make.goal(world.strategy, title="Alle har en ven")
    world.evaluation = Evaluation(
        initiative_id=world.initiative.id, evaluated_on=date(2026, 1, 10), conclusion=Conclusion.ADJUST,
        what_was_done="Læsebånd", next_steps="Flyt tidspunktet",
    )
    db.session.add(world.evaluation)
    db.session.commit()
    make.period(2028, 2030)
    return world


@pytest.mark.parametrize("action", EDITS)
@pytest.mark.parametrize("role", ROLES)
def test_changing_a_school_strategy(client, login_as, edit_world, role, action):
    request, happened = EDITS[action]
    login_as(edit_world.users[role])
    events_before = _count(AuditEvent)
    response = request(client, edit_world)
    if ROLES[role][1]:
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        assert happened(edit_world)
        assert _count(AuditEvent) > events_before  # every change is in the history
    else:
        assert response.status_code == 403
        assert not happened(edit_world)
        assert _count(AuditEvent) == events_before


@pytest.mark.parametrize("role", ROLES)
def test_opening_edit_forms(client, login_as, world, role):
    login_as(world.users[role])
    urls = [
        f"/maal/{world.goal.id}/rediger",
        f"/tiltag/{world.initiative.id}/rediger",
        f"/strategi/{world.strategy.id}/maal/ny",
        f"/maal/{world.goal.id}/tiltag/ny",
        f"/tiltag/{world.initiative.id}/status?rediger=1",
        f"/tiltag/{world.initiative.id}/evalueringer/ny",
        f"/skoler/{world.school.id}/ny-strategi",
    ]
    expected = 200 if ROLES[role][1] else 403
    assert [client.get(url).status_code for url in urls] == [expected] * len(urls)


# --- commenting -----------------------------------------------------------------------------------

COMMENTS = {
    "comment on a goal": lambda w: f"/maal/{w.goal.id}/kommentarer",
    "comment on an initiative": lambda w: f"/tiltag/{w.initiative.id}/kommentarer",
}


@pytest.mark.parametrize("target", COMMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_commenting(client, login_as, world, role, target):
    login_as(world.users[role])
    response = client.post(COMMENTS[target](world), data={"body": "Godt arbejde – del det i klyngen."})
    if ROLES[role][2]:
        assert response.status_code == 303
        assert _count(Comment) == 1
    else:
        assert response.status_code == 403
        assert _count(Comment) == 0


@pytest.mark.parametrize("role", ROLES)
def test_comment_form_shows_only_to_commenters(client, login_as, world, role):
    login_as(world.users[role])
    response = client.get(f"/maal/{world.goal.id}")
    if ROLES[role][0]:
        assert ("Gem kommentar" in response.get_data(as_text=True)) == ROLES[role][2]


def test_an_object_of_another_school_is_refused_not_leaked(client, login_as, world, make):
    other_strategy = make.strategy(world.other_school, world.period)
    secret = make.goal(other_strategy, title="Bakkeskolens hemmelige mål")
    login_as(world.users["reader of the school"])
    response = client.get(f"/maal/{secret.id}")
    assert response.status_code == 403
    assert "hemmelige" not in response.get_data(as_text=True)
    assert client.get("/maal/999999").status_code == 404
