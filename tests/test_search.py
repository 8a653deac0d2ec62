"""Search in Danish: stemming, ranking, filters, the index kept current, the pages.

Runs on the suite's database: SQLite (FTS5 over Snowball stems) by default, PostgreSQL
(``to_tsvector('danish', ...)`` with a GIN index) when DATABASE_URL points there.
"""

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    Conclusion,
    DataType,
    Evaluation,
    MeetingState,
    MeetingType,
    PoliticalGoal,
    Policy,
    Role,
    SearchDocument,
    Status,
    Visibility,
)
from strategy.search import Filters, search, suggest
from strategy.search.index import rebuild_all
from strategy.search.text import parse
from tests.helpers import htmx_headers


@pytest.fixture(autouse=True)
def _links(app):
    """Hits carry their link, which url_for builds inside a request."""
    with app.test_request_context():
        yield


def titles(user, text, **filters):
    results = search(user, text, Filters(**filters), per_kind=50)
    return [str(h.title).replace("<mark>", "").replace("</mark>", "") for g in results.groups for h in g.hits]


def kinds(user, text):
    return {g.kind.value: g.count for g in search(user, text).groups}


def test_the_engine_is_the_suites_database(app):
    """Both engines are tested: this file runs on SQLite, and again on PostgreSQL in CI."""
    assert db.engine.dialect.name in ("sqlite", "postgresql")
    if db.engine.dialect.name == "postgresql":
        assert db.session.scalar(sa.text(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_search_document_tsv'")) == 1
    else:
        assert db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'search_fts'")) == 1


def test_læsning_finds_læse_and_inflections_find_each_other(make):
    admin = make.user(Role.ADMIN)
    goal = make.goal(title="Flere elever er sikre læsere")
    make.initiative(goal, title="Vi vil læse mere hver dag")
    make.initiative(goal, title="Læsebåndet om morgenen")
    make.initiative(goal, title="Matematik i udeskolen")
    assert "Vi vil læse mere hver dag" in titles(admin, "læsning")
    assert "Læsebåndet om morgenen" in titles(admin, "læsebånd")  # -et is an inflection
    assert "Flere elever er sikre læsere" in titles(admin, "læser")
    assert "Matematik i udeskolen" not in titles(admin, "læsning")
    # The last word is a prefix: search as you type.
    assert "Læsebåndet om morgenen" in titles(admin, "læseb")


def test_every_word_must_match(make):
    admin = make.user(Role.ADMIN)
    goal = make.goal(title="Trivsel")
    make.initiative(goal, title="Læsebånd i indskolingen")
    make.initiative(goal, title="Læsebånd på mellemtrinnet")
    assert titles(admin, "læsebånd indskolingen", kind=None) == ["Læsebånd i indskolingen"]


def test_the_exact_phrase_ranks_first_then_the_best_match(make):
    admin = make.user(Role.ADMIN)
    goal = make.goal(title="Læsning")
    # The scattered one mentions both words more often, but only one holds the phrase.
    make.initiative(goal, title="Makkerlæsning", what_we_try="Indskolingen læser. Læsebånd, læsebånd og mere læsebånd "
                                                            "for hele skolen. Indskolingen igen.")
    make.initiative(goal, title="Morgenbånd", what_we_try="Et læsebånd i indskolingen hver morgen.")
    assert titles(admin, "læsebånd i indskolingen")[:2] == ["Morgenbånd", "Makkerlæsning"]
    # Without a phrase, the heading counts more than the body.
    make.initiative(goal, title="Fællesskabsbånd", what_we_try="Et bånd med trivsel og mere trivsel.")
    make.initiative(goal, title="Trivsel for alle", what_we_try="Vi arbejder med fællesskab.")
    assert titles(admin, "trivsel")[0] == "Trivsel for alle"


def test_results_are_grouped_by_kind_with_counts_and_highlights_escaped(make):
    admin = make.user(Role.ADMIN)
    goal = make.goal(title="Læsning <b>fed</b>", description="Mere læsning")
    initiative = make.initiative(goal, title="<script>alert(1)</script> læsebånd")
    db.session.add(Evaluation(initiative=initiative, evaluated_on=initiative.created_at.date(),
                              what_was_done="Læsebåndet er gennemført", conclusion=Conclusion.CONTINUE))
    db.session.commit()
    results = search(admin, "læsebånd")
    assert [(g.kind.value, g.count) for g in results.groups] == [("initiative", 1), ("evaluation", 1)]
    title = str(results.groups[0].hits[0].title)
    assert "<script>" not in title and "&lt;script&gt;" in title and "<mark>læsebånd</mark>" in title
    assert "<mark>Læsning</mark> &lt;b&gt;fed&lt;/b&gt;" in str(search(admin, "læsning").groups[-1].hits[0].title)


def test_filters_status_conclusion_school_cluster_period_and_political_goal(make):
    admin = make.user(Role.ADMIN)
    north = make.cluster("Nord")
    a, b = make.school("A", cluster=north), make.school("B")
    old = make.period(2021, 2023)
    goal_a = make.goal(make.strategy(a))
    goal_b = make.goal(make.strategy(b, period=old))
    policy = Policy(key="p", name="Politik")
    pg = PoliticalGoal(key="pg", policy=policy, text="Alle børn lærer at læse")
    db.session.add(pg)
    goal_a.political_goals = [pg]
    db.session.commit()
    on_track = make.initiative(goal_a, title="Læsebånd A", status=Status.ON_TRACK)
    make.initiative(goal_b, title="Læsebånd B", status=Status.CHALLENGED)
    db.session.add(Evaluation(initiative=on_track, evaluated_on=on_track.created_at.date(), what_was_done="læsebånd",
                              conclusion=Conclusion.CONTINUE, data_types=[DataType.RESULT.value]))
    db.session.commit()
    assert set(titles(admin, "læsebånd", kind=None)) == {"Læsebånd A", "Læsebånd B"}
    assert titles(admin, "læsebånd", status=Status.CHALLENGED) == ["Læsebånd B"]
    assert titles(admin, "læsebånd", school_id=a.id) == ["Læsebånd A", "Læsebånd A"]  # the initiative and its evaluation
    assert set(titles(admin, "læsebånd", cluster_id=north.id)) == {"Læsebånd A"}
    assert set(titles(admin, "læsebånd", period_id=old.id)) == {"Læsebånd B"}
    assert set(titles(admin, "læsebånd", political_goal_id=pg.id)) == {"Læsebånd A"}
    conclusion = search(admin, "læsebånd", Filters(conclusion=Conclusion.CONTINUE))
    assert {(g.kind.value, g.count) for g in conclusion.groups} == {("initiative", 1), ("evaluation", 1)}


def test_the_index_follows_every_change_in_the_same_transaction(make):
    admin = make.user(Role.ADMIN)
    initiative = make.initiative(title="Skolehaver")
    assert titles(admin, "skolehave") == ["Skolehaver"]
    initiative.title = "Udeskole"
    db.session.commit()
    assert titles(admin, "skolehave") == [] and titles(admin, "udeskole") == ["Udeskole"]
    # A change that is rolled back never reaches the index.
    initiative.title = "Drivhus"
    db.session.flush()
    db.session.rollback()
    assert titles(admin, "drivhus") == [] and titles(admin, "udeskole") == ["Udeskole"]
    # Archiving hides the initiative; archiving its goal hides it too, and restoring shows it.
    goal = initiative.goal
    goal.archived_at = initiative.created_at
    db.session.commit()
    assert titles(admin, "udeskole") == []
    goal.archived_at = None
    db.session.commit()
    assert titles(admin, "udeskole") == ["Udeskole"]


def test_status_and_latest_conclusion_are_filterable_as_soon_as_they_change(make):
    admin = make.user(Role.ADMIN)
    initiative = make.initiative(title="Læsebånd")
    initiative.status = Status.COMPLETED
    db.session.commit()
    assert titles(admin, "læsebånd", status=Status.COMPLETED) == ["Læsebånd"]
    db.session.add(Evaluation(initiative=initiative, evaluated_on=initiative.created_at.date(),
                              what_was_done="Gjort", conclusion=Conclusion.STOP, next_steps="Stop"))
    db.session.commit()
    assert titles(admin, "læsebånd", conclusion=Conclusion.STOP, kind=None) == ["Læsebånd", "Læsebånd"]


def test_rebuilding_gives_the_same_index_as_keeping_it_current(make):
    admin = make.user(Role.ADMIN)
    school = make.school()
    goal = make.goal(make.strategy(school), title="Læsning", indicator="Andel sikre læsere")
    make.initiative(goal, title="Læsebånd", who_does_what="Læsevejlederen")
    make.note(school, admin, Visibility.SHARED, goal.created_at.date(), observation="Læsebåndet virker")
    make.meeting(school, None, MeetingType.SPARRING, MeetingState.PLANNED, goal.created_at,
                 title="Opfølgning på læsning")
    columns = [c for c in SearchDocument.__table__.c if c.name != "id"]

    def snapshot():
        return sorted(tuple(r) for r in db.session.execute(sa.select(*columns)))

    before, found = snapshot(), kinds(admin, "læs")
    rebuild_all(db.session)
    db.session.commit()
    assert snapshot() == before and kinds(admin, "læs") == found
    assert set(found) == {"initiative", "goal", "indicator", "note", "meeting"}


def test_anonymising_a_person_removes_their_name_from_the_index(make):
    from strategy.datasafety import anonymise_person

    admin = make.user(Role.ADMIN)
    leader = make.user(Role.LEADER, name="Karen Blixen")
    make.note(leader.school, admin, Visibility.SHARED, leader.created_at.date(),
              participants="Karen Blixen og konsulenten")
    assert kinds(admin, "blixen") == {"note": 1}
    anonymise_person(leader)
    db.session.commit()
    assert kinds(admin, "blixen") == {}


def test_stop_words_alone_find_nothing_and_odd_input_never_fails(make):
    admin = make.user(Role.ADMIN)
    make.initiative(title="Og i at")
    assert search(admin, "og i at").groups == []
    assert not parse("  og  ")
    for text in ['"', "'", "*", "læse*", "a OR b", "NOT", "(", ":*", "&|!", "x" * 500, "\\", "NEAR(a b)",
                 "_", "a_b", "læse_", "日本", "١٢", "²", "ﬁ", "2026"]:
        search(admin, text)
        suggest(admin, text)


# --- the pages --------------------------------------------------------------------------------


def test_results_page_works_without_javascript_and_keeps_the_query_in_the_url(client, make, login_as):
    leader = login_as(make.user(Role.LEADER))
    make.initiative(make.goal(make.strategy(leader.school)), title="Læsebånd hver morgen")
    page = client.get("/soeg?q=læsebåndet+morgen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    assert 'value="læsebåndet morgen"' in html  # the query stays in the form
    assert "<mark>morgen</mark>" in html and "1 resultat" in html
    fragment = client.get("/soeg?q=læsebånd", headers=htmx_headers()).get_data(as_text=True)
    assert "<html" not in fragment and "Læsebånd" in fragment
    assert client.get("/soeg?q=læsebånd&type=nonsense&skole=abc&side=-1").status_code == 200


def test_suggestions_fragment(client, make, login_as):
    leader = login_as(make.user(Role.LEADER))
    initiative = make.initiative(make.goal(make.strategy(leader.school)), title="Læsebånd hver morgen")
    html = client.get("/soeg/forslag?q=læseb", headers=htmx_headers()).get_data(as_text=True)
    assert 'role="listbox"' in html and 'role="option"' in html
    assert f'href="/tiltag/{initiative.id}"' in html and "<mark>Læsebånd</mark>" in html
    assert "/soeg?q=l%C3%A6seb" in html  # "Vis alle resultater"
    assert client.get("/soeg/forslag?q=", headers=htmx_headers()).get_data(as_text=True).strip() == ""


def test_the_header_has_the_search_field_for_every_signed_in_user(client, make, login_as):
    login_as(make.user(Role.READER))
    html = client.get("/soeg").get_data(as_text=True)
    assert 'id="header-q"' in html and 'hx-trigger="input changed delay:300ms"' in html
    assert 'hx-sync="this:replace"' in html and "js/search.js" in html


def test_the_learning_pipeline_level_filter(make):
    from strategy.models import Expectation, ExpectationCategory, ProfileLevel

    admin = make.user(Role.ADMIN)
    leaders = ProfileLevel(key="leder", name="Leder af medarbejdere")
    teachers = ProfileLevel(key="medarbejder", name="Medarbejder")
    feedback = Expectation(level=teachers, category=ExpectationCategory.SKILLS, text="Giver feedback på læsning")
    db.session.add_all([leaders, feedback])
    db.session.commit()
    make.initiative(title="Læsebånd ledet af ledelsen", owner_level_id=leaders.id)
    exercised = make.initiative(title="Læsebånd med feedback")
    exercised.expectations = [feedback]
    make.initiative(title="Læsebånd uden niveau")
    db.session.commit()
    assert titles(admin, "læsebånd", level_id=leaders.id) == ["Læsebånd ledet af ledelsen"]
    # An initiative exercising the level's expectations counts, and so does the expectation.
    assert set(titles(admin, "læsning", level_id=teachers.id)) == {"Giver feedback på læsning"}
    assert titles(admin, "læsebånd", level_id=teachers.id) == ["Læsebånd med feedback"]
