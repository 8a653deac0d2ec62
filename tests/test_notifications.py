"""Notifications: who is told what, when, and who never is. Each kind has its people who get it
and its people who do not; the words of a draft or internal note never reach anyone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from strategy import notifications
from strategy.extensions import db
from strategy.followup import service as followup
from strategy.followup.service import AgreementInput, MeetingInput, NoteInput
from strategy.models import (
    Conclusion,
    MeetingState,
    MeetingType,
    Notification,
    NotificationKind as K,
    OutgoingEmail,
    Role,
    Visibility,
    WatchlistEntry,
)
from strategy.notifications import reminders
from strategy.schools import service as schools

MARKER = "HEMMELIGT-MÆRKE-7731"


@pytest.fixture
def town(make):
    school = make.school("Nordskolen")
    other = make.school("Sydskolen")
    leader = make.user(Role.LEADER, school=school, name="Lone Leder")
    reader = make.user(Role.READER, school=school, name="Rie Læser")
    leader_other = make.user(Role.LEADER, school=other, name="Ole Anden")
    consultant = make.user(Role.CONSULTANT, assigned=[school], name="Karen Konsulent")
    consultant_other = make.user(Role.CONSULTANT, assigned=[other], name="Kim Anden")
    directorate = make.user(Role.DIRECTORATE, name="Dorthe Direktion")
    admin = make.user(Role.ADMIN, name="Anna Admin")
    strategy = make.strategy(school, make.period(2025, 2027))
    goal = make.goal(strategy, title="Alle elever læser")
    initiative = make.initiative(goal, title="Læsebånd hver morgen")
    return dict(school=school, other=other, leader=leader, reader=reader, leader_other=leader_other,
                consultant=consultant, consultant_other=consultant_other, directorate=directorate, admin=admin,
                goal=goal, initiative=initiative)


def kinds_of(user) -> list[K]:
    return list(db.session.scalars(
        sa.select(Notification.kind).where(Notification.recipient_id == user.id).order_by(Notification.id)))


def everyone(town):
    return [town[k] for k in ("leader", "reader", "leader_other", "consultant", "consultant_other",
                              "directorate", "admin")]


def note_input(visibility, agreements=(), **values) -> NoteInput:
    return NoteInput(
        held_on=values.pop("held_on", date(2026, 12, 1)), participants="", subject_id=None, stances=["supportive"],
        observation=values.pop("observation", MARKER), experience=MARKER, interpretation="", suggestion="",
        visibility=visibility, goals=[], initiatives=[], agreements=list(agreements),
    )


def new_agreement(owner, due=date(2026, 12, 20), text=MARKER) -> AgreementInput:
    return AgreementInput(id=None, text=text, owner_id=owner.id, due_on=due, done=False, remove=False)


def meeting_input(visibility, subject=None, state=MeetingState.PLANNED, agreements=()) -> MeetingInput:
    return MeetingInput(
        meeting_type=MeetingType.ONE_TO_ONE, state=state, starts_at=datetime(2026, 12, 14, 9, tzinfo=UTC),
        subject_id=subject.id if subject else None, title=MARKER, purpose=MARKER, expected_outcome="",
        participants="", roles="", notes=MARKER, visibility=visibility, agreements=list(agreements),
    )


def assert_marker_nowhere():
    """The contents of notes and meetings are in no notification and no e-mail."""
    for params in db.session.scalars(sa.select(Notification.params)):
        assert MARKER not in str(params)
    for subject, text, html in db.session.execute(
            sa.select(OutgoingEmail.subject, OutgoingEmail.body_text, OutgoingEmail.body_html)):
        assert MARKER not in subject + text + html


# --- sparring notes ------------------------------------------------------------------------------


def test_a_shared_note_tells_the_schools_leaders_and_nobody_else(app, town):
    followup.create_note(town["consultant"], town["school"], note_input(Visibility.SHARED))
    db.session.commit()

    assert kinds_of(town["leader"]) == [K.NOTE_SHARED]
    for person in ("reader", "leader_other", "consultant", "consultant_other", "directorate", "admin"):
        assert kinds_of(town[person]) == [], person
    [n] = db.session.scalars(sa.select(Notification))
    with app.test_request_context():
        assert notifications.text(n) == "Et sparringsnotat fra 1. dec. 2026 er delt med Nordskolen"
        assert notifications.link(n) == f"/notater/{n.object_id}"
    assert n.actor_id == town["consultant"].id
    assert_marker_nowhere()


def test_a_draft_note_tells_no_one_until_it_is_shared_and_then_once(app, town):
    note = followup.create_note(town["consultant"], town["school"],
                                note_input(Visibility.DRAFT, [new_agreement(town["leader"])]))
    db.session.commit()
    assert all(kinds_of(p) == [] for p in everyone(town))

    followup.update_note(note, note_input(Visibility.INTERNAL, [AgreementInput(
        note.agreements[0].id, MARKER, town["leader"].id, date(2026, 12, 20), False, False)]), town["consultant"])
    db.session.commit()
    assert all(kinds_of(p) == [] for p in everyone(town)), "an internal note is not the school's to read"

    for _twice in range(2):
        followup.update_note(note, note_input(Visibility.SHARED, [AgreementInput(
            note.agreements[0].id, MARKER, town["leader"].id, date(2026, 12, 20), False, False)]), town["consultant"])
        db.session.commit()
    assert sorted(kinds_of(town["leader"])) == sorted([K.NOTE_SHARED, K.AGREEMENT_ASSIGNED])
    assert kinds_of(town["leader_other"]) == [] and kinds_of(town["consultant"]) == []
    assert_marker_nowhere()


def test_an_agreement_given_to_the_consultant_in_their_own_note_tells_nobody(app, town):
    followup.create_note(town["consultant"], town["school"],
                         note_input(Visibility.SHARED, [new_agreement(town["consultant"])]))
    db.session.commit()
    assert kinds_of(town["consultant"]) == []  # one's own action
    assert kinds_of(town["leader"]) == [K.NOTE_SHARED]


# --- conversations -------------------------------------------------------------------------------


def test_a_conversation_planned_with_the_leader_tells_them(app, town):
    followup.create_meeting(town["consultant"], town["school"], meeting_input(Visibility.SHARED, town["leader"]))
    db.session.commit()
    assert kinds_of(town["leader"]) == [K.MEETING_PLANNED]
    assert kinds_of(town["leader_other"]) == [] and kinds_of(town["reader"]) == []
    [n] = db.session.scalars(sa.select(Notification))
    with app.test_request_context():
        assert notifications.text(n).startswith("1:1-samtale planlagt med dig 14. dec. 2026")
    assert_marker_nowhere()


def test_a_draft_conversation_tells_no_one_and_sharing_it_later_does(app, town):
    meeting = followup.create_meeting(town["consultant"], town["school"],
                                      meeting_input(Visibility.DRAFT, town["leader"]))
    db.session.commit()
    assert all(kinds_of(p) == [] for p in everyone(town))
    followup.update_meeting(meeting, meeting_input(Visibility.SHARED, town["leader"]), town["consultant"])
    db.session.commit()
    assert kinds_of(town["leader"]) == [K.MEETING_PLANNED]


def test_a_held_conversation_shared_with_the_school_tells_its_leaders(app, town):
    followup.create_meeting(town["consultant"], town["school"],
                            meeting_input(Visibility.SHARED, state=MeetingState.HELD))
    db.session.commit()
    assert kinds_of(town["leader"]) == [K.MEETING_SHARED]
    assert kinds_of(town["leader_other"]) == []


# --- agreements ----------------------------------------------------------------------------------


def test_an_agreement_ticked_off_or_moved_tells_the_person_who_gave_it(app, town):
    note = followup.create_note(town["consultant"], town["school"],
                                note_input(Visibility.SHARED, [new_agreement(town["leader"])]))
    db.session.commit()
    agreement = note.agreements[0]
    followup.sync_agreements(note, note.school_id, [AgreementInput(
        agreement.id, agreement.text, town["leader"].id, date(2027, 1, 10), False, False)], town["leader"])
    db.session.commit()
    followup.set_agreement_done(agreement, True, town["leader"])
    db.session.commit()

    assert kinds_of(town["consultant"]) == [K.AGREEMENT_MOVED, K.AGREEMENT_DONE]
    assert K.AGREEMENT_DONE not in kinds_of(town["leader"])  # the leader did it

    followup.set_agreement_done(agreement, False, town["consultant"])
    followup.set_agreement_done(agreement, True, town["consultant"])
    db.session.commit()
    assert kinds_of(town["consultant"]) == [K.AGREEMENT_MOVED, K.AGREEMENT_DONE]  # not about oneself


# --- comments and evaluations --------------------------------------------------------------------


def test_a_comment_tells_the_schools_leaders_not_its_author_nor_other_schools(app, town):
    schools.add_comment(town["goal"], MARKER, town["consultant"])
    schools.add_comment(town["initiative"], MARKER, town["directorate"])
    db.session.commit()
    assert kinds_of(town["leader"]) == [K.COMMENT, K.COMMENT]
    assert kinds_of(town["reader"]) == [K.COMMENT, K.COMMENT]  # the school's staff read its strategy
    for person in ("leader_other", "consultant", "directorate", "admin"):
        assert kinds_of(town[person]) == [], person
    assert_marker_nowhere()


def _evaluation(conclusion):
    return dict(evaluated_on=date(2026, 12, 1), what_was_done=MARKER, signs_observed="", data_types=[],
                data_used="", conclusion=conclusion, next_steps="")


def test_a_stop_or_adjust_tells_the_assigned_consultant_and_the_directorate_when_watched(app, town):
    schools.add_evaluation(town["initiative"], _evaluation(Conclusion.STOP), town["leader"])
    db.session.commit()
    assert kinds_of(town["consultant"]) == [K.EVALUATION_CONCLUSION]
    assert kinds_of(town["directorate"]) == [] and kinds_of(town["admin"]) == []  # not on the watchlist
    assert kinds_of(town["consultant_other"]) == [] and kinds_of(town["leader"]) == []

    db.session.add(WatchlistEntry(school_id=town["school"].id, reason="x", created_by_id=town["directorate"].id))
    db.session.commit()
    schools.add_evaluation(town["goal"], _evaluation(Conclusion.ADJUST), town["leader"])
    schools.add_evaluation(town["goal"], _evaluation(Conclusion.CONTINUE), town["leader"])
    db.session.commit()
    assert kinds_of(town["directorate"]) == [K.EVALUATION_CONCLUSION]
    assert kinds_of(town["admin"]) == [K.EVALUATION_CONCLUSION]  # keeps the watchlist too
    assert kinds_of(town["consultant"]) == [K.EVALUATION_CONCLUSION, K.EVALUATION_CONCLUSION]
    assert_marker_nowhere()


def test_an_inactive_person_is_told_nothing(app, town):
    town["leader"].active = False
    db.session.commit()
    followup.create_note(town["consultant"], town["school"], note_input(Visibility.SHARED))
    db.session.commit()
    assert kinds_of(town["leader"]) == []


# --- the scheduled job: due, overdue, status by the cadence -------------------------------------

MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # 07:00 in Copenhagen (winter time)


def test_agreements_due_in_three_days_or_overdue_are_told_once(app, town):
    note = followup.create_note(town["consultant"], town["school"], note_input(Visibility.SHARED, [
        new_agreement(town["leader"], due=date(2026, 12, 10)),  # in 3 days
        new_agreement(town["leader"], due=date(2026, 12, 11)),  # in 4 days: not yet
        new_agreement(town["leader"], due=date(2026, 12, 1)),  # overdue
    ]))
    draft = followup.create_note(town["consultant"], town["school"], note_input(
        Visibility.DRAFT, [new_agreement(town["leader"], due=date(2026, 12, 1))]))
    db.session.commit()
    assert draft.agreements  # an overdue agreement in a draft: the leader may not read it

    before = len(kinds_of(town["leader"]))
    reminders.run(MONDAY, deliver=False)
    reminders.run(MONDAY + timedelta(minutes=30), deliver=False)
    new = kinds_of(town["leader"])[before:]
    assert sorted(new) == sorted([K.AGREEMENT_DUE_SOON, K.AGREEMENT_OVERDUE])
    assert_marker_nowhere()
    assert note.agreements


def test_an_initiative_without_status_for_45_school_days_reminds_the_leader_then_the_consultant(app, town):
    initiative = town["initiative"]
    # Last status on Friday 18 September 2026; 45 school days later (the autumn holiday 10-18
    # October is skipped) is Friday 27 November 2026.
    initiative.status_changed_at = datetime(2026, 9, 18, 12, tzinfo=UTC)
    db.session.commit()
    calendar = reminders.school_calendar()
    assert calendar.school_days_between(date(2026, 9, 18), date(2026, 11, 26)) == 44
    assert calendar.school_days_between(date(2026, 9, 18), date(2026, 11, 27)) == 45

    reminders.run(datetime(2026, 11, 26, 12, tzinfo=UTC), deliver=False)
    assert kinds_of(town["leader"]) == []
    reminders.run(datetime(2026, 11, 27, 12, tzinfo=UTC), deliver=False)
    assert kinds_of(town["leader"]) == [K.STATUS_DUE]
    assert K.STATUS_DUE not in kinds_of(town["consultant"])
    # The grace period: 10 more school days, Friday 11 December.
    reminders.run(datetime(2026, 12, 10, 12, tzinfo=UTC), deliver=False)
    assert K.STATUS_DUE not in kinds_of(town["consultant"])
    reminders.run(datetime(2026, 12, 11, 12, tzinfo=UTC), deliver=False)
    assert kinds_of(town["consultant"]).count(K.STATUS_DUE) == 1
    assert kinds_of(town["leader"]).count(K.STATUS_DUE) == 1  # told once per status
    assert K.STATUS_DUE not in kinds_of(town["consultant_other"]) + kinds_of(town["leader_other"])

    schools.set_status(initiative, initiative.status, "", town["leader"], at=datetime(2026, 12, 11, 13, tzinfo=UTC))
    db.session.commit()
    reminders.run(datetime(2026, 12, 14, 12, tzinfo=UTC), deliver=False)
    assert kinds_of(town["leader"]).count(K.STATUS_DUE) == 1  # updated: nothing due any more


def test_one_to_ones_behind_remind_the_consultant_and_a_missing_lus_the_directorate(app, town):
    # 15 January 2027: two 1:1s expected in the school year 2026/27, none held.
    reminders.run(datetime(2027, 1, 15, 12, tzinfo=UTC), deliver=False)
    assert K.ONE_TO_ONE_BEHIND in kinds_of(town["consultant"])
    assert K.ONE_TO_ONE_BEHIND not in kinds_of(town["leader"])
    assert K.LUS_MISSING not in kinds_of(town["directorate"])  # not due before 31 March
    reminders.run(datetime(2027, 4, 1, 12, tzinfo=UTC), deliver=False)
    assert {K.LUS_MISSING, K.GRUS_MISSING} <= set(kinds_of(town["directorate"]))
    assert K.LUS_MISSING not in kinds_of(town["consultant"]) + kinds_of(town["leader"])
    # Each school once per school year, however often the job runs.
    count = len(kinds_of(town["directorate"]))
    reminders.run(datetime(2027, 4, 2, 12, tzinfo=UTC), deliver=False)
    assert len(kinds_of(town["directorate"])) == count


def test_a_dry_run_keeps_nothing(app, town):
    followup.create_note(town["consultant"], town["school"], note_input(Visibility.SHARED, [
        new_agreement(town["leader"], due=date(2026, 12, 1))]))
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    report = reminders.run(MONDAY, dry_run=True)
    assert report.notifications >= 1 and report.digests
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail)) == 0


def test_an_import_that_changes_a_schools_measurements_tells_its_leaders(app, make):
    """The last kind of the issue: an import changed the school's indicators. A confidential
    indicator tells only those who may see it; the leader of another school hears nothing."""
    from strategy.imports import engine
    from strategy.imports.reader import Table
    from strategy.models import Classification, Notification, NotificationKind

    school = make.school("Importskolen")
    school.institution_number = "281234"
    leader = make.user(Role.LEADER, school=school)
    other = make.user(Role.LEADER, school=make.school("Anden Skole"))
    goal = make.goal(make.strategy(school), title="Trivsel i klassen", indicator="Social trivsel", unit="")
    admin = make.user(Role.ADMIN)
    target = engine.Target(goal_by_school={school.id: goal.id})
    table = Table(["Institutionsnummer", "Skoleår", "Værdi"], [["281234", "2024/25", "4,1"], ["281234", "2025/26", "4,3"]], "csv")
    batch = engine.apply(engine.plan(table, engine.guess_mapping(table.header), target, admin), target, "trivsel.csv", admin)
    db.session.commit()
    assert batch is not None
    told = db.session.scalars(sa.select(Notification).where(Notification.kind == NotificationKind.IMPORT_CHANGED)).all()
    assert [n.recipient_id for n in told] == [leader.id]
    assert told[0].params["title"] == "Trivsel i klassen" and told[0].params["years"] == "2025, 2026"  # a school year counts for the year it ends
    assert other.id not in {n.recipient_id for n in told}

    # A confidential indicator: a reader of the school would not be told (leaders may see it).
    goal.classification = Classification.CONFIDENTIAL
    db.session.commit()
    table = Table(["Institutionsnummer", "Skoleår", "Værdi"], [["281234", "2025/26", "4,4"]], "csv")
    engine.apply(engine.plan(table, engine.guess_mapping(table.header), target, admin), target, "trivsel2.csv", admin)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.kind == NotificationKind.IMPORT_CHANGED, Notification.recipient_id == leader.id)) == 2
