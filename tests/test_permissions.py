"""The permissions table of DESIGN.md, role by action, as the one module decides it."""

import pytest

from strategy.models import Meeting, MeetingState, MeetingType, Role, SparringNote, Visibility
from strategy.permissions import (
    ALL_SCHOOLS,
    can,
    meeting_read_clause,
    note_read_clause,
    overview_school_ids,
    readable_school_ids,
)
from strategy.extensions import db
import sqlalchemy as sa

ROLES = ["admin", "directorate", "consultant_assigned", "consultant_other", "leader_own", "leader_other", "reader_own"]


@pytest.fixture
def world(make):
    own, other = make.school("Egen Skole"), make.school("Anden Skole")
    consultant = make.user(Role.CONSULTANT, assigned=[own])
    users = {
        "admin": make.user(Role.ADMIN),
        "directorate": make.user(Role.DIRECTORATE),
        "consultant_assigned": consultant,
        "consultant_other": make.user(Role.CONSULTANT, assigned=[other]),
        "leader_own": make.user(Role.LEADER, school=own),
        "leader_other": make.user(Role.LEADER, school=other),
        "reader_own": make.user(Role.READER, school=own),
    }
    strategy = make.strategy(own)
    goal = make.goal(strategy)
    return {"own": own, "users": users, "goal": goal, "initiative": make.initiative(goal), "author": consultant}


# action, object, then the expected answer for each role in ROLES order
TABLE = [
    ("reference.read", None, [1, 1, 1, 1, 1, 1, 1]),
    ("reference.edit", None, [1, 1, 0, 0, 0, 0, 0]),
    ("strategy.read", "goal", [1, 1, 1, 1, 1, 1, 1]),
    ("strategy.edit", "goal", [1, 0, 0, 0, 1, 0, 0]),
    ("strategy.edit", "initiative", [1, 0, 0, 0, 1, 0, 0]),
    ("strategy.comment", "goal", [1, 1, 1, 0, 0, 0, 0]),
    ("followup.read", "own", [1, 1, 1, 0, 1, 0, 0]),
    ("note.create", "own", [0, 0, 1, 0, 0, 0, 0]),
    ("meeting.create", "own", [0, 0, 1, 0, 0, 0, 0]),
    ("overview.read", None, [1, 1, 1, 1, 1, 1, 0]),
    ("overview.read", "own", [1, 1, 1, 0, 1, 0, 0]),
    ("watchlist.edit", None, [1, 1, 0, 0, 0, 0, 0]),
    ("users.read", None, [1, 1, 0, 0, 0, 0, 0]),
    ("users.edit", None, [1, 0, 0, 0, 0, 0, 0]),
    ("audit.read", None, [1, 0, 0, 0, 0, 0, 0]),
]


@pytest.mark.parametrize("action, target, expected", TABLE, ids=[f"{a}:{t}" for a, t, _ in TABLE])
def test_role_by_action(world, action, target, expected):
    obj = world.get(target) if target else None
    answers = [int(can(world["users"][role], action, obj)) for role in ROLES]
    assert dict(zip(ROLES, answers)) == dict(zip(ROLES, expected))


def test_anonymous_and_deactivated_users_may_do_nothing(world):
    from flask_login import AnonymousUserMixin

    assert not can(AnonymousUserMixin(), "reference.read")
    admin = world["users"]["admin"]
    admin.active = False
    assert not can(admin, "reference.read")


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(KeyError):
        can(world["users"]["admin"], "strategy.delete_everything")


NOTE_TABLE = {
    # visibility: roles that may read a note written by the assigned consultant
    Visibility.DRAFT: {"consultant_assigned"},
    Visibility.SHARED: {"admin", "directorate", "consultant_assigned", "leader_own"},
    Visibility.INTERNAL: {"admin", "directorate", "consultant_assigned"},
}


@pytest.mark.parametrize("visibility", list(Visibility))
def test_sparring_note_reads_follow_visibility_and_the_sql_clause_agrees(world, make, visibility):
    note = make.note(world["own"], world["author"], visibility)
    allowed = {role for role in ROLES if can(world["users"][role], "note.read", note)}
    assert allowed == NOTE_TABLE[visibility]
    for role in ROLES:
        visible = db.session.scalars(sa.select(SparringNote.id).where(note_read_clause(world["users"][role]))).all()
        assert (note.id in visible) == (role in allowed), role


@pytest.mark.parametrize("visibility", list(Visibility))
def test_meeting_reads_follow_visibility_and_the_sql_clause_agrees(world, make, visibility):
    meeting = make.meeting(world["own"], world["author"], MeetingType.ONE_TO_ONE, MeetingState.PLANNED,
                           visibility=visibility)
    for role in ROLES:
        user = world["users"][role]
        visible = db.session.scalars(sa.select(Meeting.id).where(meeting_read_clause(user))).all()
        assert (meeting.id in visible) == can(user, "meeting.read", meeting), role
    assert can(world["users"]["leader_own"], "meeting.read", meeting) == (visibility == Visibility.SHARED)


def test_scopes_of_lists(world):
    users, own = world["users"], world["own"]
    assert readable_school_ids(users["reader_own"]) == {own.id}
    assert readable_school_ids(users["leader_other"]) is ALL_SCHOOLS  # knowledge sharing
    assert overview_school_ids(users["consultant_assigned"]) == {own.id}
    assert overview_school_ids(users["leader_own"]) == {own.id}
    assert overview_school_ids(users["reader_own"]) == set()
    assert overview_school_ids(users["directorate"]) is ALL_SCHOOLS


def test_a_scope_is_never_none_so_a_forgotten_return_grants_nothing():
    import sqlalchemy as sa

    from strategy.models import School
    from strategy.permissions import scope_clause

    with pytest.raises(TypeError):
        scope_clause(School.id, None)
    assert str(scope_clause(School.id, frozenset())) == str(sa.false())
