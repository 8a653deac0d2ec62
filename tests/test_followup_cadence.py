"""The 1:1 / LUS / GRUS cadence per school year (1 August - 31 July)."""

from datetime import date

import pytest

from strategy.extensions import db
from strategy.cadence import (
    cadence_for_school,
    cadence_for_schools,
    expected_one_to_ones,
    school_year_of,
)
from strategy.models import FollowUpFormat, MeetingState, MeetingType, Role, Visibility
from tests.helpers import local, text_of


@pytest.fixture
def school(make):
    return make.school("Østreskolen")


@pytest.fixture
def consultant(make, school):
    return make.user(Role.CONSULTANT, assigned=[school])


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2025, 7, 31), 2024),
        (date(2025, 8, 1), 2025),
        (date(2026, 1, 15), 2025),
        (date(2026, 7, 31), 2025),
        (date(2026, 8, 1), 2026),
    ],
)
def test_school_year_runs_from_1_august_to_31_july(day, year):
    assert school_year_of(day) == year


def test_a_meeting_on_31_july_counts_for_the_year_that_ends_one_on_1_august_for_the_new(school, consultant, make):
    make.meeting(school, consultant, starts_at=local(date(2025, 7, 31), 14))
    make.meeting(school, consultant, starts_at=local(date(2025, 8, 1), 9))

    old = cadence_for_school(school.id, date(2025, 7, 31))
    new = cadence_for_school(school.id, date(2025, 8, 1))

    assert (old.school_year, old.one_to_one_held) == (2024, 1)
    assert (new.school_year, new.one_to_one_held) == (2025, 1)


def test_the_boundary_is_the_local_date_not_utc(school, consultant, make):
    # 00:30 on 1 August in Copenhagen is 22:30 on 31 July in UTC: it belongs to the new year.
    make.meeting(school, consultant, starts_at=local(date(2025, 8, 1), 0, 30))
    # 23:30 on 31 July in Copenhagen is 21:30 UTC the same day: the old year.
    make.meeting(school, consultant, starts_at=local(date(2025, 7, 31), 23, 30))

    assert cadence_for_school(school.id, date(2025, 9, 1)).one_to_one_held == 1
    assert cadence_for_school(school.id, date(2025, 7, 31)).one_to_one_held == 1


def test_only_held_non_draft_one_to_ones_count(school, consultant, make):
    day = date(2025, 10, 1)
    make.meeting(school, consultant, starts_at=local(day))
    make.meeting(school, consultant, starts_at=local(day), state=MeetingState.PLANNED)
    make.meeting(school, consultant, starts_at=local(day), state=MeetingState.CANCELLED)
    make.meeting(school, consultant, starts_at=local(day), visibility=Visibility.DRAFT)
    make.meeting(school, consultant, starts_at=local(day), visibility=Visibility.INTERNAL)
    make.meeting(school, consultant, starts_at=local(day), meeting_type=MeetingType.SPARRING)

    assert cadence_for_school(school.id, date(2025, 12, 1)).one_to_one_held == 2


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2025, 8, 1), 0),
        (date(2025, 10, 23), 0),
        (date(2025, 10, 24), 1),  # 84 of 333 days: 4 x 84 // 333 = 1
        (date(2026, 1, 31), 2),
        (date(2026, 4, 10), 3),
        (date(2026, 6, 29), 3),
        (date(2026, 6, 30), 4),
        (date(2026, 7, 31), 4),
    ],
)
def test_expected_one_to_ones_pro_rata_over_the_teaching_year(today, expected):
    # span 1 Aug 2025 -> 30 Jun 2026 = 333 days; expected = 4 x elapsed // 333
    assert expected_one_to_ones(4, 2025, today) == expected


def test_behind_means_fewer_held_than_expected_by_today(school, consultant, make):
    make.meeting(school, consultant, starts_at=local(date(2025, 9, 10)))

    assert not cadence_for_school(school.id, date(2026, 1, 1)).one_to_one_behind  # 1 held, 1 expected
    late = cadence_for_school(school.id, date(2026, 2, 1))  # 2 expected
    assert late.one_to_one_behind and late.behind and late.one_to_one_missing == 1


def test_lus_and_grus_are_missing_only_after_31_march(school, consultant, make):
    make.meeting(school, consultant, meeting_type=MeetingType.LUS, starts_at=local(date(2025, 10, 1)))

    march = cadence_for_school(school.id, date(2026, 3, 31))
    april = cadence_for_school(school.id, date(2026, 4, 1))

    assert march.lus_held and not march.grus_held
    assert not march.grus_missing
    assert april.grus_missing and not april.lus_missing
    assert april.behind


def test_a_planned_lus_is_shown_as_planned_not_held(school, consultant, make):
    make.meeting(school, consultant, meeting_type=MeetingType.LUS, state=MeetingState.PLANNED,
                 starts_at=local(date(2026, 5, 1)))
    c = cadence_for_school(school.id, date(2026, 4, 2))
    assert c.lus_planned and not c.lus_held and c.lus_missing


def test_the_range_comes_from_the_follow_up_format(school):
    db.session.add(FollowUpFormat(key="one_to_one", name="1:1", meeting_type="one_to_one",
                                  min_per_year=6, max_per_year=8))
    db.session.commit()
    c = cadence_for_school(school.id, date(2026, 6, 30))
    assert (c.one_to_one_min, c.one_to_one_max, c.one_to_one_expected) == (6, 8, 6)


def test_without_the_format_it_falls_back_to_4_to_6(school):
    c = cadence_for_school(school.id, date(2026, 6, 30))
    assert (c.one_to_one_min, c.one_to_one_max, c.one_to_one_expected) == (4, 6, 4)


def test_all_schools_in_a_fixed_number_of_queries(make, consultant, count_queries):
    few = [make.school() for _ in range(2)]
    many = [make.school() for _ in range(8)]
    for s in many:
        for month in (9, 10, 11):
            make.meeting(s, consultant, starts_at=local(date(2025, month, 3)))
        make.meeting(s, consultant, meeting_type=MeetingType.GRUS, starts_at=local(date(2025, 12, 3)))

    few_ids, many_ids = [s.id for s in few], [s.id for s in many]

    with count_queries() as small:
        cadence_for_schools(few_ids, date(2026, 1, 1))
    with count_queries() as large:
        result = cadence_for_schools(many_ids, date(2026, 1, 1))

    assert len(small) == len(large) == 2
    assert all(c.one_to_one_held == 3 and c.grus_held for c in result.values())


def test_directorate_sees_the_schools_behind(client, make, login_as, consultant, school):
    on_track = make.school("Vestskolen")
    for month in (8, 10):
        make.meeting(on_track, consultant, starts_at=local(date(2025, month, 20)))
    login_as(make.user(Role.DIRECTORATE))

    response = client.get("/opfoelgning?aar=2025&bagud=1")

    assert response.status_code == 200
    text = text_of(response)
    # Once the school year is over, every school short of the minimum is behind.
    assert "Østreskolen" in text and "Vestskolen" in text
    db.session.add(FollowUpFormat(key="one_to_one", name="1:1", min_per_year=2, max_per_year=6))
    for kind in (MeetingType.LUS, MeetingType.GRUS, MeetingType.SUS):  # the SUS counts too (§ 40 a)
        make.meeting(on_track, consultant, meeting_type=kind, starts_at=local(date(2025, 11, 5)))
    text = text_of(client.get("/opfoelgning?aar=2025&bagud=1"))
    assert "Østreskolen" in text and "Vestskolen" not in text


@pytest.mark.parametrize(
    "role, status",
    [(Role.ADMIN, 200), (Role.DIRECTORATE, 200), (Role.CONSULTANT, 200), (Role.LEADER, 403), (Role.READER, 403)],
)
def test_who_opens_the_cadence_page(client, make, login_as, role, status):
    login_as(make.user(role))
    assert client.get("/opfoelgning").status_code == status


def test_a_consultant_sees_only_assigned_schools_on_the_cadence_page(client, make, login_as, school, consultant):
    make.school("Fremmedskolen")
    login_as(consultant)
    text = text_of(client.get("/opfoelgning"))
    assert "Østreskolen" in text and "Fremmedskolen" not in text
