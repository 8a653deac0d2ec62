"""The skoleudviklingssamtale (folkeskoleloven § 40 a): prepared in parts, held on the meeting
template, its agreements followed up first at the next year's SUS; the report in two versions."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from strategy.extensions import db
from strategy.cadence import cadence_for_school, school_year_of
from strategy.models import (
    Classification,
    Measurement,
    MeetingState,
    MeetingType,
    OutgoingEmail,
    PoliticalGoal,
    Role,
    SchoolDevelopmentConversation,
    Status,
)
from tests.helpers import text_of

THIS_YEAR = school_year_of(date.today())
STATEMENT = "Testresultater er udeladt, jf. folkeskolelovens § 55 b"


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(response.data)).pages)


@pytest.fixture
def school(make, seeded):
    school = make.school("Nordskolen")
    leader = make.user(Role.LEADER, school=school, name="Lone Leder")
    chief = make.user(Role.DIRECTORATE, name="Sune Skolechef")
    parent = make.user(Role.BOARD, school=school, name="Pia Forælder")
    other_board = make.user(Role.BOARD, school=make.school("Sydskolen"), name="Ole Anden")
    strategy = make.strategy(school, make.period(THIS_YEAR - 1, THIS_YEAR + 1))
    reading = make.goal(strategy, title="Flere sikre læsere", indicator="Ordlæsningsprøven 2. klasse",
                        classification=Classification.CONFIDENTIAL, baseline_value=60, target_value=80)
    db.session.add(Measurement(goal=reading, year=THIS_YEAR, value=71))
    wellbeing = make.goal(strategy, title="Alle har en ven", indicator="Trivselsmålingen: fællesskab",
                          classification=Classification.PUBLIC, baseline_value=80, target_value=90)
    db.session.add(Measurement(goal=wellbeing, year=THIS_YEAR, value=85))
    make.initiative(wellbeing, status=Status.ON_TRACK, title="Legepatruljer", responsible="Bo Pedel")
    db.session.commit()
    return {"school": school, "leader": leader, "chief": chief, "parent": parent, "other_board": other_board,
            "reading": reading, "wellbeing": wellbeing, "strategy": strategy}


def test_sus_from_preparation_to_agreements_followed_up_next_year(client, login_as, school, make):
    s = school["school"]
    last = THIS_YEAR - 1

    # Last school year: the directorate starts the preparation ...
    login_as(school["chief"])
    assert client.post(f"/skoler/{s.id}/sus?aar={last}").status_code == 303
    sus = db.session.scalar(sa.select(SchoolDevelopmentConversation).where(SchoolDevelopmentConversation.school_id == s.id))
    assert sus.school_year == last
    # ... the leader proposes a focus area linked to a goal (and may not add the municipality's topics) ...
    login_as(school["leader"])
    response = client.post(f"/sus/{sus.id}/fokusomraader", data={"title": "", "goal_id": ""})
    assert response.status_code == 422 and "Skriv fokusområdet." in text_of(response)
    assert client.post(f"/sus/{sus.id}/fokusomraader", data={
        "title": "Læsning i indskolingen", "description": "Læsebånd hver dag", "goal_id": school["reading"].id,
    }).status_code == 303
    assert client.post(f"/sus/{sus.id}/emner", data={"note": "x"}).status_code == 403
    # ... the administration adds a topic from the period's political goals and activities ...
    login_as(school["chief"])
    political_goal = db.session.scalar(sa.select(PoliticalGoal).order_by(PoliticalGoal.position))
    response = client.post(f"/sus/{sus.id}/emner", data={"political_goal_id": "", "activity_id": ""})
    assert response.status_code == 422 and "Vælg et politisk mål eller en strategisk aktivitet." in text_of(response)
    assert client.post(f"/sus/{sus.id}/emner", data={
        "political_goal_id": political_goal.id, "note": "Hvordan går det med læsningen?",
    }).status_code == 303
    # ... invites the parent representative (a board member of this school only) ...
    response = client.post(f"/sus/{sus.id}/foraeldrerepraesentant", data={"member_id": school["other_board"].id})
    assert response.status_code == 422
    assert client.post(f"/sus/{sus.id}/foraeldrerepraesentant", data={"member_id": school["parent"].id}).status_code == 303
    invitation = db.session.scalar(sa.select(OutgoingEmail).where(OutgoingEmail.kind == "sus_invitation"))
    assert invitation.to_address == school["parent"].email and STATEMENT in invitation.body_text
    # ... and plans the conversation: the agenda is built from the preparation.
    response = client.post(f"/sus/{sus.id}/samtale", data={"starts_at": f"{last + 1}-03-02T10:00"})
    assert response.status_code == 303
    db.session.expire_all()
    meeting = db.session.get(SchoolDevelopmentConversation, sus.id).meeting
    assert meeting.meeting_type == MeetingType.SUS and meeting.subject_id == school["leader"].id
    titles = [item.title for item in meeting.agenda_items]
    assert "Skolens fokusområde: Læsning i indskolingen" in titles
    assert any(t.startswith("Kommunens emne:") for t in titles)
    assert "De obligatoriske test (fortroligt)" in titles  # the directorate may read the test results
    # The directorate records it on the meeting template like any conversation.
    assert client.get(f"/samtaler/{meeting.id}/rediger").status_code == 200

    # It is held; two agreements: one is done by next year, one is not.
    meeting.state = MeetingState.HELD
    db.session.commit()
    make.agreement(meeting, text="Læsebånd i alle klasser", owner=school["leader"], due_on=date.today() - timedelta(days=30), done=True)
    make.agreement(meeting, text="Forældremøde om læsning", owner=school["leader"], due_on=date.today() - timedelta(days=10))
    assert cadence_for_school(s.id, date(last + 1, 5, 1), last).sus_held

    # This year: last year's agreements and what became of each are shown first ...
    assert client.post(f"/skoler/{s.id}/sus?aar={THIS_YEAR}").status_code == 303
    page = text_of(client.get(f"/skoler/{s.id}/sus?aar={THIS_YEAR}"))
    previous = page.index("Sidste års skoleudviklingssamtale")
    assert previous < page.index("Skolens forslag til udviklings- og fokusområder") < page.index("Skolens mål, resultater og tiltag")
    assert "Læsebånd i alle klasser" in page and "Gennemført" in page
    assert "Forældremøde om læsning" in page and "Ikke gennemført, fristen er overskredet" in page
    # ... and become the first item of this year's agenda.
    this_sus = db.session.scalar(sa.select(SchoolDevelopmentConversation).where(
        SchoolDevelopmentConversation.school_id == s.id, SchoolDevelopmentConversation.school_year == THIS_YEAR))
    assert client.post(f"/sus/{this_sus.id}/samtale", data={"starts_at": f"{THIS_YEAR + 1}-02-01T09:00"}).status_code == 303
    db.session.expire_all()
    first = db.session.get(SchoolDevelopmentConversation, this_sus.id).meeting.agenda_items[0]
    assert first.title == "Opfølgning på sidste års aftaler"
    assert "Læsebånd i alle klasser (Gennemført)" in first.purpose
    assert "Forældremøde om læsning (Ikke gennemført, fristen er overskredet)" in first.purpose


def test_the_cadence_page_shows_which_schools_have_had_this_years_sus(client, login_as, school, make):
    s, chief = school["school"], school["chief"]
    behind = make.school("Østskolen")
    make.meeting(s, chief, MeetingType.SUS, MeetingState.HELD, datetime(THIS_YEAR, 10, 1, 9, tzinfo=UTC), title="SUS")
    after_march = date(THIS_YEAR + 1, 4, 2)
    assert cadence_for_school(s.id, after_march, THIS_YEAR).sus_held
    assert cadence_for_school(behind.id, after_march, THIS_YEAR).sus_missing
    assert cadence_for_school(behind.id, after_march, THIS_YEAR).behind
    assert not cadence_for_school(behind.id, date(THIS_YEAR, 12, 1), THIS_YEAR).sus_missing  # still time
    login_as(chief)
    page = client.get(f"/opfoelgning?aar={THIS_YEAR}").get_data(as_text=True)
    assert f"/skoler/{s.id}/sus?aar={THIS_YEAR}" in page and f"/skoler/{behind.id}/sus?aar={THIS_YEAR}" in page
    assert "SUS" in text_of(client.get(f"/opfoelgning?aar={THIS_YEAR}"))


def test_sus_report_full_and_the_boards_version_without_test_results(client, login_as, school):
    s = school["school"]
    login_as(school["chief"])
    full = text_of(client.get(f"/skoler/{s.id}/sus/rapport"))
    assert "Flere sikre læsere" in full and "Ordlæsningsprøven 2. klasse" in full
    assert "Bo Pedel" in full  # who is responsible: working detail, the full version only
    board = text_of(client.get(f"/skoler/{s.id}/sus/bestyrelse"))
    assert STATEMENT in board
    assert "Flere sikre læsere" not in board and "Ordlæsningsprøven" not in board
    assert "Alle har en ven" in board and "Trivselsmålingen: fællesskab" in board and "Legepatruljer" in board
    assert "Bo Pedel" not in board

    full_pdf = pdf_text(client.get(f"/skoler/{s.id}/sus/rapport.pdf"))
    board_pdf = pdf_text(client.get(f"/skoler/{s.id}/sus/bestyrelse.pdf"))
    assert "Ordlæsningsprøven" in full_pdf
    assert "Ordlæsningsprøven" not in board_pdf and "Flere sikre læsere" not in board_pdf
    assert "folkeskolelovens § 55 b" in board_pdf

    # The parent representative reads the board's version, never the full one; another school's board neither.
    login_as(school["parent"])
    assert client.get(f"/skoler/{s.id}/sus/rapport").status_code == 403
    assert client.get(f"/skoler/{s.id}/sus/rapport.pdf").status_code == 403
    assert "Ordlæsningsprøven" not in text_of(client.get(f"/skoler/{s.id}/sus/bestyrelse"))
    login_as(school["other_board"])
    assert client.get(f"/skoler/{s.id}/sus/bestyrelse").status_code == 403


def test_a_leader_may_not_see_another_schools_test_results_in_the_material(client, login_as, school, make):
    other_leader = make.user(Role.LEADER, school=make.school("Vestskolen"))
    login_as(other_leader)
    assert client.get(f"/skoler/{school['school'].id}/sus").status_code == 403
    login_as(school["leader"])
    assert "Ordlæsningsprøven 2. klasse" in text_of(client.get(f"/skoler/{school['school'].id}/sus/rapport"))


def test_reports_page_calls_it_what_the_law_calls_it(client, login_as, school):
    login_as(school["chief"])
    page = text_of(client.get("/overblik/rapporter"))
    assert "skoleudviklingssamtale" in page.lower()
    assert "kvalitetsrapport" not in page.lower()


def test_only_the_invited_parent_representative_reads_the_preparation(client, login_as, school, make):
    s = school["school"]
    other_member = make.user(Role.BOARD, school=s, name="Kim Anden Forælder")
    login_as(school["chief"])
    client.post(f"/skoler/{s.id}/sus?aar={THIS_YEAR}")
    sus = db.session.scalar(sa.select(SchoolDevelopmentConversation).where(SchoolDevelopmentConversation.school_id == s.id))
    login_as(school["parent"])
    assert client.get(f"/skoler/{s.id}/sus?aar={THIS_YEAR}").status_code == 403  # not invited yet
    login_as(school["chief"])
    client.post(f"/sus/{sus.id}/foraeldrerepraesentant", data={"member_id": school["parent"].id})
    login_as(school["parent"])
    page = text_of(client.get(f"/skoler/{s.id}/sus?aar={THIS_YEAR}"))
    assert "du er inviteret" in page and STATEMENT in page and "Ordlæsningsprøven" not in page
    login_as(other_member)
    assert client.get(f"/skoler/{s.id}/sus?aar={THIS_YEAR}").status_code == 403
    # The board's version of the report is the whole board's.
    assert STATEMENT in text_of(client.get(f"/skoler/{s.id}/sus/bestyrelse?aar={THIS_YEAR}"))
