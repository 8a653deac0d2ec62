"""Who may open and change each administration page (DESIGN.md "Who may do what").

Users and schools: the administrator edits, the directorate reads, nobody else sees them.
Reference data: the administrator and the directorate edit here; others read it elsewhere.
The whole audit log (Historik): the administrator only.
"""

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Period, PoliticalGoal, ProfileLevel, Role, User
from tests.route_rules import allows, endpoint_of

ROLES = [Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT, Role.LEADER, Role.READER]
# Who may open the administration at all: as the route table says (tests/route_rules.py).
ADMINISTRATION = {role for role in ROLES if allows("admin.index", "GET", role.value)}


def allowed_roles(app, method: str, url: str) -> set[Role]:
    """The roles the route table (tests/route_rules.py) lets use the route ``url`` reaches."""
    endpoint = endpoint_of(app, method, url)
    return {role for role in ROLES if allows(endpoint, method, role.value)}


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


# url templates; who may open each is the route table's row for the route it reaches
PAGES = [
    "/admin",
    "/admin/brugere",
    "/admin/brugere/{user}",
    "/admin/brugere/ny",
    "/admin/skoler",
    "/admin/skoler/{school}",
    "/admin/skoler/ny",
    "/admin/klynger/{cluster}",
    "/admin/klynger/ny",
    "/admin/perioder",
    "/admin/perioder/ny",
    "/admin/perioder/{period}",
    "/admin/aktiviteter/{activity}",
    "/admin/politiske-maal",
    "/admin/politiske-maal/{goal}",
    "/admin/politikker/{policy}/nyt-maal",
    "/admin/learning-pipeline",
    "/admin/learning-pipeline/ny",
    "/admin/learning-pipeline/niveau/{level}",
    "/admin/historik",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PAGES, ids=PAGES)
def test_who_may_open_each_page(app, client, make, login_as, world, url, role):
    login_as(make.user(role))
    allowed = allowed_roles(app, "GET", url.format(**world))
    response = client.get(url.format(**world))
    assert response.status_code == (200 if role in allowed else 403)


def test_signed_out_visitors_are_sent_to_login(client, world):
    response = client.get("/admin/brugere")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# (url template, form data); who may post it is the route table's row for the route it reaches
WRITES = [
    ("/admin/brugere/ny", {"email": "ny@example.dk", "name": "Ny", "role": "admin"}),
    ("/admin/brugere/{user}/deaktiver", {}),
    ("/admin/brugere/{user}/invitation", {}),
    ("/admin/skoler/ny", {"name": "Ny Skole"}),
    ("/admin/skoler/{school}/flyt", {"cluster_id": ""}),
    ("/admin/klynger/ny", {"name": "Syd"}),
    ("/admin/perioder/ny", {"start_year": "2031", "end_year": "2033"}),
    ("/admin/perioder/{period}/aktiviteter", {"new-text": "Netværksmøder"}),
    ("/admin/politikker/{policy}/nyt-maal", {"text": "Alle børn læser"}),
    ("/admin/learning-pipeline/niveau/{level}/forventninger", {"category": "skills", "text": "Lytter"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "data"), WRITES, ids=[w[0] for w in WRITES])
def test_who_may_change_what(app, client, make, login_as, world, url, data, role):
    login_as(make.user(role))
    allowed = allowed_roles(app, "POST", url.format(**world))
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
