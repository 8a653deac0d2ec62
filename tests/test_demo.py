"""The demo municipality of `flask demo`: what a visitor of the demo must be able to see."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from strategy.demo import demo_loaded, load_demo
from strategy.extensions import db
from strategy.models import (
    AgendaItem,
    Agreement,
    AuditEvent,
    Cluster,
    Comment,
    Conclusion,
    Evaluation,
    Goal,
    Initiative,
    Measurement,
    Meeting,
    MeetingType,
    Period,
    Role,
    School,
    SparringNote,
    Stance,
    Status,
    StatusUpdate,
    Strategy,
    User,
    Visibility,
    WatchlistEntry,
)
from strategy.seeding import seed_reference_data

DEMO_PASSWORD = "Maalpil-demo-2026"
HERNINGVEJ = "Herningvej Skole"


@pytest.fixture
def demo(seeded):
    summary = load_demo()
    db.session.commit()
    return summary


def all_of(model):
    return db.session.scalars(sa.select(model)).all()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def current_strategies() -> list[Strategy]:
    return db.session.scalars(
        sa.select(Strategy).join(Strategy.period).where(Period.key == "2025-2027")
    ).all()


def herningvej_strategy(period_key: str = "2025-2027") -> Strategy:
    return db.session.scalar(
        sa.select(Strategy).join(Strategy.period).join(Strategy.school)
        .where(School.name == HERNINGVEJ, Period.key == period_key)
    )


def table_counts() -> dict[str, int]:
    models = (Cluster, School, User, Period, Strategy, Goal, Measurement, Initiative, StatusUpdate,
              Evaluation, Comment, SparringNote, Meeting, AgendaItem, Agreement, WatchlistEntry)
    return {m.__name__: count(m) for m in models}


# --- the municipality ---------------------------------------------------------------------------


def test_schools_in_clusters_with_herningvej(demo):
    schools = all_of(School)
    assert len(schools) >= 12
    assert HERNINGVEJ in {s.name for s in schools}
    assert all(s.cluster is not None for s in schools)
    assert len({s.cluster_id for s in schools}) >= 3
    herningvej = next(s for s in schools if s.name == HERNINGVEJ)
    assert not herningvej.is_demo  # reference data, only placed in a demo cluster
    assert all(s.is_demo for s in schools if s.name != HERNINGVEJ)


def test_one_demo_account_per_role_with_titles_and_schools(demo):
    users = all_of(User)
    assert {u.role for u in users} == set(Role)
    assert all(u.is_demo for u in users)
    by_email = {u.email: u for u in users}
    leader = by_email["skoleleder@demo.maalpil.dk"]
    assert (leader.school.name, leader.title, leader.profile_level.key) == (HERNINGVEJ, "Skoleleder", "leder-af-ledere")
    assert by_email["afdelingsleder@demo.maalpil.dk"].profile_level.key == "leder-af-medarbejdere"
    assert by_email["laeser@demo.maalpil.dk"].role == Role.READER
    consultant = by_email["konsulent@demo.maalpil.dk"]
    assert HERNINGVEJ in {s.name for s in consultant.assigned_schools}
    assert len(consultant.assigned_schools) == 5
    assert len(by_email["fagkonsulent@demo.maalpil.dk"].assigned_schools) == 5
    # Every school has a leader who can sign in.
    led = {u.school_id for u in users if u.role == Role.LEADER}
    assert led == {s.id for s in all_of(School)}


def test_demo_password_signs_in_through_the_login_form(demo, app):
    for email in ("skoleleder@demo.maalpil.dk", "konsulent@demo.maalpil.dk", "skolechef@demo.maalpil.dk"):
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 303, email


# --- strategies ---------------------------------------------------------------------------------


def test_every_school_has_a_strategy_for_the_current_period(demo):
    period = db.session.scalar(sa.select(Period).where(Period.key == "2025-2027"))
    assert (period.title, period.start_year, period.end_year, period.is_demo) == (
        "Virksomhedsstrategi 2025-2027", 2025, 2027, True
    )
    strategies = current_strategies()
    assert {s.school_id for s in strategies} == {s.id for s in all_of(School)}
    for strategy in strategies:
        assert strategy.is_demo and strategy.current_year == 2026
        assert 3 <= len(strategy.goals) <= 5
        for goal in strategy.goals:
            assert goal.political_goals and goal.indicator and goal.data_type and goal.unit
            assert goal.baseline_year == 2024 and goal.target_year == 2027
            assert [m.year for m in goal.measurements][:2] == [2024, 2025]
            assert 2 <= len(goal.initiatives) <= 4
            for initiative in goal.initiatives:
                assert initiative.owner_level is not None and initiative.expectations
                assert initiative.responsible and initiative.starting_point and initiative.success_signs
                updates = initiative.status_updates  # newest first
                assert 2 <= len(updates) <= 7
                assert initiative.status == updates[0].status
                assert initiative.status_changed_at == updates[0].created_at


def test_every_status_and_conclusion_occurs(demo):
    assert {i.status for i in all_of(Initiative)} == set(Status)
    evaluations = all_of(Evaluation)
    assert {e.conclusion for e in evaluations} == set(Conclusion)
    assert any(e.needs_action for e in evaluations)  # an adjust/stop nobody acted on yet
    assert any(e.conclusion != Conclusion.CONTINUE and e.acted_on_at for e in evaluations)
    assert any(e.goal_id for e in evaluations) and any(e.initiative_id for e in evaluations)
    authors = {c.author.role for c in all_of(Comment)}
    assert {Role.CONSULTANT, Role.DIRECTORATE} <= authors


def test_herningvej_is_the_richest_school(demo):
    strategy = herningvej_strategy()
    assert len(strategy.goals) == 5
    for goal in strategy.goals:
        assert [m.year for m in goal.measurements] == [2024, 2025, 2026]
    initiatives = [i for g in strategy.goals for i in g.initiatives]
    assert {i.status for i in initiatives} == set(Status)
    assert sum(1 for i in initiatives if i.evaluations) >= 5
    assert any(g.evaluations for g in strategy.goals)
    # Herningvej's own levels (elever, forældre) own some of its initiatives.
    assert {i.owner_level.key for i in initiatives if i.owner_level.is_local} == {"elever", "foraeldre"}
    # A finished strategy in the seeded period 2021-2023 to carry over from.
    old = herningvej_strategy("2021-2023")
    assert old is not None and old.goals
    assert {i.status for g in old.goals for i in g.initiatives} <= {Status.COMPLETED, Status.STOPPED}


def test_some_schools_are_stale_and_the_rest_recent(demo):
    now = datetime.now(UTC)
    ages = [(now - s.last_activity_at).days for s in current_strategies()]
    stale = [a for a in ages if a >= 90]
    assert 2 <= len(stale) <= 3
    assert all(a <= 30 for a in ages if a < 90)
    watched = all_of(WatchlistEntry)
    assert len(watched) == 1 and watched[0].reason
    assert watched[0].created_by.role == Role.DIRECTORATE
    watched_strategy = next(s for s in current_strategies() if s.school_id == watched[0].school_id)
    assert (now - watched_strategy.last_activity_at).days >= 90


# --- follow-up ----------------------------------------------------------------------------------


def test_notes_of_every_stance_and_visibility(demo):
    notes = all_of(SparringNote)
    assert {s for n in notes for s in n.stances} == {s.value for s in Stance}
    assert {n.visibility for n in notes} == set(Visibility)
    assert all(n.is_demo and n.author.role == Role.CONSULTANT for n in notes)
    assert all(n.author.id and n.school in n.author.assigned_schools for n in notes)
    assert all(n.observation and n.suggestion and n.subject for n in notes)
    linked = [n for n in notes if n.goals]
    assert linked and all(g.strategy.school_id == n.school_id for n in linked for g in n.goals)
    assert {n.visibility for n in notes if n.school.name == HERNINGVEJ} == set(Visibility)


def test_meetings_of_every_type_with_agendas(demo):
    meetings = all_of(Meeting)
    assert {m.meeting_type for m in meetings} == set(MeetingType)
    assert {m.state.value for m in meetings} == {"planned", "held", "cancelled"}
    assert all(m.is_demo and m.agenda_items for m in meetings)
    today = date.today()
    assert all(m.starts_at.date() > today for m in meetings if m.state.value == "planned")
    lus = [m for m in meetings if m.meeting_type == MeetingType.LUS]
    for meeting in lus:
        from_profile = [i for i in meeting.agenda_items if i.expectation_id]
        assert from_profile
        assert all(i.expectation.level_id == meeting.subject.profile_level_id for i in from_profile)
    for meeting in (m for m in meetings if m.meeting_type == MeetingType.ONE_TO_ONE):
        assert any(i.goal_id for i in meeting.agenda_items)


def test_cadence_differs_between_schools(demo):
    today = date.today()
    year_start = date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    since = datetime(year_start.year, 8, 1, tzinfo=UTC)
    held = db.session.execute(
        sa.select(Meeting.school_id, Meeting.meeting_type, sa.func.count())
        .where(Meeting.state == "held", Meeting.starts_at >= since)
        .group_by(Meeting.school_id, Meeting.meeting_type)
    ).all()
    one_to_ones = {school: n for school, kind, n in held if kind == MeetingType.ONE_TO_ONE}
    schools = {s.id for s in all_of(School)}
    assert len(schools - set(one_to_ones)) >= 2  # some schools have had no 1:1 this school year
    lus_done = {school for school, kind, _ in held if kind == MeetingType.LUS}
    assert lus_done and schools - lus_done  # LUS held at some schools, not at others


def test_agreements_in_every_state(demo):
    today = date.today()
    agreements = all_of(Agreement)
    assert all(a.note_id or a.meeting_id for a in agreements)
    assert all(a.owner_id and a.created_by_id for a in agreements)
    states = {("done" if a.done_at else "overdue" if a.is_overdue(today) else "open") for a in agreements}
    assert states == {"open", "overdue", "done"}
    herningvej = [a for a in agreements if a.school.name == HERNINGVEJ]
    assert any(a.is_overdue(today) for a in herningvej)
    assert any(a.done_at is None and a.due_on >= today for a in herningvej)


# --- loading ------------------------------------------------------------------------------------


def test_seed_alone_creates_no_demo_rows(seeded):
    seed_reference_data()
    db.session.commit()
    assert not demo_loaded()
    for model in (User, School, Cluster, Period, Strategy, SparringNote, Meeting):
        assert count(model) == 0 or not db.session.scalar(sa.select(sa.exists().where(model.is_demo)))
    assert count(User) == 0 and count(Strategy) == 0


def test_demo_is_loaded_afterwards_without_audit_events(demo):
    assert demo_loaded()
    assert count(AuditEvent) == 0
    assert "14 schools" in demo


def test_cli_twice_does_not_duplicate(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded" in first.output
    counts = table_counts()
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    assert table_counts() == counts


def test_force_reloads_the_same_demo_and_keeps_real_data(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    counts = table_counts()
    statuses = sorted((i.title, i.status.value) for i in all_of(Initiative))
    herningvej = db.session.scalar(sa.select(School).where(School.name == HERNINGVEJ))
    real = User(email="rigtig@example.dk", name="Rigtig Bruger", role=Role.LEADER, school=herningvej)
    db.session.add(real)
    db.session.commit()

    again = runner.invoke(args=["demo", "--force"])

    assert again.exit_code == 0, again.output
    assert again.output == first.output  # deterministic: the same demo once more
    db.session.expire_all()
    assert table_counts() == {**counts, "User": counts["User"] + 1}
    assert sorted((i.title, i.status.value) for i in all_of(Initiative)) == statuses
    assert db.session.get(User, real.id).school.name == HERNINGVEJ
    assert db.session.scalar(sa.select(School).where(School.name == HERNINGVEJ)).cluster is not None


def test_every_demo_account_has_notifications_some_unread(demo):
    from strategy.models import Notification

    counts = dict(db.session.execute(
        sa.select(Notification.recipient_id, sa.func.count()).group_by(Notification.recipient_id)).all())
    unread = dict(db.session.execute(
        sa.select(Notification.recipient_id, sa.func.count()).where(Notification.read_at.is_(None))
        .group_by(Notification.recipient_id)).all())
    # A committee member follows no school's work, only the committee's report: nothing to tell.
    demo_users = db.session.scalars(sa.select(User).where(User.is_demo.is_(True), User.role != Role.COMMITTEE)).all()
    missing = [u.email for u in demo_users if not counts.get(u.id)]
    assert not missing, missing
    board = db.session.scalar(sa.select(User).where(User.email == "bestyrelse@demo.maalpil.dk"))
    assert unread.get(board.id), "the parent representative's invitation to this year's SUS"
    assert all(unread.get(u.id) for u in demo_users if u.email.split("@")[0] in
               ("admin", "skolechef", "konsulent", "skoleleder", "laeser")), unread
    assert "notifications" in demo


def test_loading_the_demo_twice_keeps_one_set_of_notifications(demo):
    from strategy.models import Notification

    first = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    load_demo()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == first
