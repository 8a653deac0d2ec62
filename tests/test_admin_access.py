"""Who may open and change each administration page (DESIGN.md "Who may do what").

Users and schools: the administrator edits, the directorate reads, nobody else sees them.
Reference data: the administrator and the directorate edit here; others read it elsewhere.
The whole audit log (Historik): the administrator only.
"""

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Period, PoliticalGoal, ProfileLevel, Role, User

ROLES = [Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT, Role.LEADER, Role.READER]
ADMIN_ONLY = {Role.ADMIN}
ADMINISTRATION = {Role.ADMIN, Role.DIRECTORATE}


@pytest.fixture
def world(seeded, make):
    cluster = make.cluster("Nord")
    school = make.school("Aaby Skole", cluster=cluster)
    other = make.user(Role.LEADER, school=school)
    return {
        "user": other.id,
        "school": school.id,
        "cluster": cluster.id,
        "period": db.session.scalars(sa.select(Period)).first().id,
        "activity": db.session.scalars(sa.select(Period)).first().activities[0].id,
        "goal": db.session.scalars(sa.select(PoliticalGoal)).first().id,
        "policy": db.session.scalars(sa.select(PoliticalGoal)).first().policy_id,
        "level": db.session.scalars(sa.select(ProfileLevel)).first().id,
    }


# (url template, roles that may open it)
PAGES = [
    ("/admin", ADMINISTRATION),
    ("/admin/brugere", ADMINISTRATION),
    ("/admin/brugere/{user}", ADMINISTRATION),
    ("/admin/brugere/ny", ADMIN_ONLY),
    ("/admin/skoler", ADMINISTRATION),
    ("/admin/skoler/{school}", ADMINISTRATION),
    ("/admin/skoler/ny", ADMIN_ONLY),
    ("/admin/klynger/{cluster}", ADMINISTRATION),
    ("/admin/klynger/ny", ADMIN_ONLY),
    ("/admin/perioder", ADMINISTRATION),
    ("/admin/perioder/ny", ADMINISTRATION),
    ("/admin/perioder/{period}", ADMINISTRATION),
    ("/admin/aktiviteter/{activity}", ADMINISTRATION),
    ("/admin/politiske-maal", ADMINISTRATION),
    ("/admin/politiske-maal/{goal}", ADMINISTRATION),
    ("/admin/politikker/{policy}/nyt-maal", ADMINISTRATION),
    ("/admin/learning-pipeline", ADMINISTRATION),
    ("/admin/learning-pipeline/ny", ADMINISTRATION),
    ("/admin/learning-pipeline/niveau/{level}", ADMINISTRATION),
    ("/admin/historik", ADMIN_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_who_may_open_each_page(client, make, login_as, world, url, allowed, role):
    login_as(make.user(role))
    response = client.get(url.format(**world))
    assert response.status_code == (200 if role in allowed else 403)


def test_signed_out_visitors_are_sent_to_login(client, world):
    response = client.get("/admin/brugere")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# (url template, form data, roles that may post it)
WRITES = [
    ("/admin/brugere/ny", {"email": "ny@example.dk", "name": "Ny", "role": "admin"}, ADMIN_ONLY),
    ("/admin/brugere/{user}/deaktiver", {}, ADMIN_ONLY),
    ("/admin/brugere/{user}/invitation", {}, ADMIN_ONLY),
    ("/admin/skoler/ny", {"name": "Ny Skole"}, ADMIN_ONLY),
    ("/admin/skoler/{school}/flyt", {"cluster_id": ""}, ADMIN_ONLY),
    ("/admin/klynger/ny", {"name": "Syd"}, ADMIN_ONLY),
    ("/admin/perioder/ny", {"start_year": "2031", "end_year": "2033"}, ADMINISTRATION),
    ("/admin/perioder/{period}/aktiviteter", {"new-text": "Netværksmøder"}, ADMINISTRATION),
    ("/admin/politikker/{policy}/nyt-maal", {"text": "Alle børn læser"}, ADMINISTRATION),
    ("/admin/learning-pipeline/niveau/{level}/forventninger", {"category": "skills", "text": "Lytter"}, ADMINISTRATION),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "data", "allowed"), WRITES, ids=[w[0] for w in WRITES])
def test_who_may_change_what(client, make, login_as, world, url, data, allowed, role):
    login_as(make.user(role))
    response = client.post(url.format(**world), data=data)
    if role in allowed:
        assert response.status_code == 303
    else:
        assert response.status_code == 403


def test_a_refused_write_saves_nothing(client, make, login_as, world):
    login_as(make.user(Role.DIRECTORATE))
    before = db.session.scalar(sa.select(sa.func.count(User.id)))
    response = client.post(
        "/admin/brugere/ny",
        data={"email": "ny@example.dk", "name": "Ny", "role": "admin"},
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_writes_are_post_only(client, make, login_as, world):
    login_as(make.user(Role.ADMIN))
    assert client.get(f"/admin/brugere/{world['user']}/deaktiver").status_code == 405
    assert client.get(f"/admin/skoler/{world['school']}/flyt").status_code == 405


@pytest.mark.parametrize(
    ("role", "sees_edit_controls"), [(Role.ADMIN, True), (Role.DIRECTORATE, False)]
)
def test_directorate_reads_users_and_schools_without_edit_controls(client, make, login_as, world, role, sees_edit_controls):
    login_as(make.user(role))
    user_page = client.get(f"/admin/brugere/{world['user']}").get_data(as_text=True)
    schools_page = client.get("/admin/skoler").get_data(as_text=True)
    assert ("Deaktivér bruger" in user_page) is sees_edit_controls
    assert ("Opret bruger" in client.get("/admin/brugere").get_data(as_text=True)) is sees_edit_controls
    assert ("Flyt til klynge" in schools_page) is sees_edit_controls


def test_landing_page_links_only_what_the_role_may_use(client, make, login_as, world):
    login_as(make.user(Role.DIRECTORATE))
    page = client.get("/admin").get_data(as_text=True)
    assert "/admin/brugere" in page and "/admin/perioder" in page
    assert "/admin/historik" not in page

    login_as(make.user(Role.ADMIN))
    assert "/admin/historik" in client.get("/admin").get_data(as_text=True)


@pytest.mark.parametrize(("role", "shown"), [(r, r in ADMINISTRATION) for r in ROLES])
def test_navigation_shows_administration_to_admin_and_directorate(client, make, login_as, world, role, shown):
    login_as(make.user(role))
    page = client.get("/learning-pipeline").get_data(as_text=True)
    assert ('href="/admin"' in page) is shown
