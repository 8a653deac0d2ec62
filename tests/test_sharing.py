"""Knowledge sharing: practices across schools, "Brug som inspiration", provenance and spread."""

from datetime import date

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Adoption, AuditEvent, Conclusion, DataType, Evaluation, Initiative, PoliticalGoal, Policy, Role, Status
from tests.helpers import htmx_headers


@pytest.fixture
def town(make):
    """Three schools in two clusters sharing a political goal; B's reading band is evaluated."""
    north, south = make.cluster("Klynge Nord"), make.cluster("Klynge Syd")
    a = make.school("Asylskolen", cluster=north)
    b = make.school("Bakkeskolen", cluster=south)
    c = make.school("Centralskolen", cluster=south)
    pg = PoliticalGoal(key="laese", policy=Policy(key="p", name="Skolepolitik"), text="Alle børn læser sikkert")
    other_pg = PoliticalGoal(key="trivsel", policy=pg.policy, text="Alle børn trives", position=2)
    db.session.add_all([pg, other_pg])
    db.session.commit()
    goal_a = make.goal(make.strategy(a), title="Flere sikre læsere", political_goals=[pg])
    goal_b = make.goal(make.strategy(b), title="Læselyst", political_goals=[pg])
    goal_c = make.goal(make.strategy(c), title="Trivsel", political_goals=[other_pg])
    proven = make.initiative(goal_b, title="Læsebånd med makkerlæsning", status=Status.ON_TRACK,
                             starting_point="Eleverne læste kun, når de skulle.",
                             what_we_try="25 minutter makkerlæsning fire morgener om ugen.",
                             success_signs="Eleverne kommer selv i gang.")
    db.session.add(Evaluation(initiative=proven, evaluated_on=date(2026, 6, 1), what_was_done="Kørt hele året",
                              data_types=[DataType.RESULT.value], data_used="Sikre læsere steg fra 64 % til 73 %",
                              conclusion=Conclusion.CONTINUE))
    untried = make.initiative(goal_b, title="Bogklub", status=Status.IN_PROGRESS)
    elsewhere = make.initiative(goal_c, title="Legepatruljer")
    db.session.commit()
    leader_a = make.user(Role.LEADER, school=a)
    leader_b = make.user(Role.LEADER, school=b)
    return dict(a=a, b=b, c=c, pg=pg, goal_a=goal_a, goal_b=goal_b, goal_c=goal_c, proven=proven, untried=untried,
                elsewhere=elsewhere, leader_a=leader_a, leader_b=leader_b, north=north, south=south)


def test_practices_from_other_schools_tried_and_evaluated_first(client, login_as, town):
    login_as(town["leader_a"])
    html = client.get(f"/skoler/{town['a'].id}/praksis").get_data(as_text=True)
    assert "Mål: Flere sikre læsere" in html
    proven, untried = html.index("Læsebånd med makkerlæsning"), html.index("Bogklub")
    assert proven < untried  # "afprøvet og evalueret" first
    assert "Afprøvet og evalueret" in html and "Bakkeskolen · Klynge Syd" in html
    assert "Samme politiske mål: Alle børn læser sikkert." in html
    assert "Legepatruljer" not in html  # another political goal
    assert f"/tiltag/{town['proven'].id}/inspiration?til_maal={town['goal_a'].id}" in html


def test_practices_by_shared_learning_pipeline_expectations(client, login_as, make, town, app):
    from strategy.models import Expectation, ExpectationCategory, ProfileLevel

    level = ProfileLevel(key="medarbejder", name="Medarbejder")
    expectation = Expectation(level=level, category=ExpectationCategory.SKILLS, text="Giver feedback")
    db.session.add(expectation)
    town["goal_a"].political_goals = []
    mine = make.initiative(town["goal_a"], title="Feedback i teams")
    mine.expectations = [expectation]
    db.session.merge(town["elsewhere"]).expectations = [expectation]
    db.session.commit()
    login_as(town["leader_a"])
    html = client.get(f"/skoler/{town['a'].id}/praksis").get_data(as_text=True)
    assert "Legepatruljer" in html and "Samme forventning: Giver feedback." in html
    assert "Læsebånd med makkerlæsning" not in html  # no longer the same political goal


def test_adopt_a_practice_with_own_words_and_provenance_on_both_pages(client, login_as, town):
    source = town["proven"]
    login_as(town["leader_a"])
    form = client.get(f"/tiltag/{source.id}/inspiration?til_maal={town['goal_a'].id}").get_data(as_text=True)
    # Step 1: the other school's text, quoted and read-only; step 2: our own, to be written.
    assert "Sådan gjorde Bakkeskolen" in form and '<blockquote class="practice-quote">Eleverne læste kun' in form
    assert "Sikre læsere steg fra 64 % til 73 %" in form
    assert 'value="Læsebånd med makkerlæsning"' in form  # the name is offered
    assert f'<option selected value="{town["goal_a"].id}">' in form or f'value="{town["goal_a"].id}" selected' in form
    assert '<textarea' in form and "Eleverne læste kun, når de skulle.</textarea>" not in form  # nothing copied

    # The source's words verbatim in a context field are refused at the field (422), input kept.
    copied = client.post(f"/tiltag/{source.id}/inspiration", data={
        "goal": town["goal_a"].id, "title": "Læsebånd", "starting_point": "Eleverne læste kun, når de skulle.",
        "what_we_try": "Makkerlæsning i 4. klasse"}, headers=htmx_headers())
    assert copied.status_code == 422
    assert "Skriv med jeres egne ord" in copied.get_data(as_text=True)
    assert "Makkerlæsning i 4. klasse" in copied.get_data(as_text=True)
    empty = client.post(f"/tiltag/{source.id}/inspiration", data={"goal": town["goal_a"].id, "title": "Læsebånd"})
    assert empty.status_code == 422 and "Beskriv jeres eget ståsted" in empty.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Adoption)) == 0

    created = client.post(f"/tiltag/{source.id}/inspiration", data={
        "goal": town["goal_a"].id, "title": "Læsebånd på Asylskolen",
        "starting_point": "Vores 4. klasser læser for lidt, og vi har mange nye lærere.",
        "what_we_try": "Makkerlæsning to morgener om ugen til at begynde med.",
        "political_goals": [town["pg"].id]})
    assert created.status_code == 303
    new = db.session.scalar(sa.select(Initiative).where(Initiative.title == "Læsebånd på Asylskolen"))
    assert created.headers["Location"] == f"/tiltag/{new.id}"
    assert new.goal_id == town["goal_a"].id and [p.id for p in new.political_goals] == [town["pg"].id]
    adoption = db.session.scalar(sa.select(Adoption))
    assert (adoption.initiative_id, adoption.source_initiative_id, adoption.source_school_id) == (
        new.id, source.id, town["b"].id)
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "adopt")).object_id == new.id

    mine = client.get(f"/tiltag/{new.id}").get_data(as_text=True)
    assert "Inspireret af" in mine and f'href="/tiltag/{source.id}">Læsebånd med makkerlæsning</a>' in mine
    assert "på Bakkeskolen" in mine
    login_as(town["leader_b"])
    theirs = client.get(f"/tiltag/{source.id}").get_data(as_text=True)
    assert "Praksissen er brugt som inspiration på 1 skole" in theirs
    assert f'href="/tiltag/{new.id}">Asylskolen</a> (Klynge Nord)' in theirs
    # The adopted initiative is found by the search like any other.
    assert "Læsebånd på Asylskolen" in client.get("/soeg?q=makkerlæsning").get_data(as_text=True)


def test_who_may_adopt(client, login_as, make, town):
    source = town["proven"]
    login_as(town["leader_b"])  # its own school's initiative: nothing to adopt
    assert client.get(f"/tiltag/{source.id}/inspiration").status_code == 403
    assert "Brug som inspiration" not in client.get(f"/tiltag/{source.id}").get_data(as_text=True)
    for role in (Role.READER, Role.CONSULTANT, Role.DIRECTORATE, Role.ADMIN):
        login_as(make.user(role, school=town["a"] if role == Role.READER else None))
        assert client.get(f"/tiltag/{source.id}/inspiration").status_code == 403, role
    login_as(town["leader_a"])
    assert "Brug som inspiration" in client.get(f"/tiltag/{source.id}").get_data(as_text=True)
    # Only into the own strategy's goals: another school's goal is not a choice.
    response = client.post(f"/tiltag/{source.id}/inspiration", data={
        "goal": town["goal_b"].id, "title": "X", "starting_point": "Hos os", "what_we_try": "Noget"})
    assert response.status_code == 422 and db.session.scalar(sa.select(sa.func.count()).select_from(Adoption)) == 0


def test_the_directorate_sees_the_spread_per_political_goal_across_clusters(client, login_as, make, town):
    from strategy.sharing.service import adopt

    for school, title in ((town["a"], "Læsebånd A"), (town["c"], "Læsebånd C")):
        goal = town["goal_c"] if school is town["c"] else town["goal_a"]
        adopt(db.session.merge(town["proven"]), goal, {"title": title, "starting_point": "Hos os",
                                                       "what_we_try": "Vores version"}, None)
    db.session.commit()
    login_as(make.user(Role.DIRECTORATE))
    html = client.get("/videndeling").get_data(as_text=True)
    row = html[html.index("<tbody>"):html.index("</tbody>")]
    assert "Alle børn læser sikkert" in row
    cells = [c for c in row.split("<td>")[1:]]
    assert [c.split("</td>")[0] for c in cells] == ["1", "1", "2"]  # Klynge Nord, Klynge Syd, total
    assert "Læsebånd med makkerlæsning</a>\n      (Bakkeskolen, Klynge Syd)" in html
    login_as(town["leader_a"])
    assert client.get("/videndeling").status_code == 403
