"""Schools and clusters: listed by cluster, created, renamed, moved between clusters."""

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import AuditEvent, Cluster, Role, School
from tests.helpers import htmx_headers, reload, text_of


@pytest.fixture
def admin(make, login_as):
    return login_as(make.user(Role.ADMIN))


def test_schools_are_listed_grouped_by_cluster(client, admin, make):
    nord, syd = make.cluster("Klynge Nord"), make.cluster("Klynge Syd")
    make.school("Aaby Skole", cluster=nord)
    make.school("Søndre Skole", cluster=syd)
    make.school("Ensom Skole")
    text = text_of(client.get("/admin/skoler"))
    assert text.index("Klynge Nord") < text.index("Aaby Skole") < text.index("Klynge Syd") < text.index("Søndre Skole")
    assert text.index("Skoler uden klynge") < text.index("Ensom Skole")


def test_admin_creates_a_school_in_a_cluster(client, admin, make):
    nord = make.cluster("Nord")
    response = client.post("/admin/skoler/ny", data={"name": " Ny Skole ", "cluster_id": str(nord.id)})
    assert response.status_code == 303
    school = db.session.scalar(sa.select(School).where(School.name == "Ny Skole"))
    assert school.cluster_id == nord.id
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.action, event.object_type, event.changes) == (
        "create", "School", {"name": "Ny Skole", "cluster": "Nord", "institution_number": None})


@pytest.mark.parametrize(("name", "message"), [("", "Skriv skolens navn."), ("Aaby Skole", "Der findes allerede en skole med dette navn.")])
def test_invalid_school_is_refused_at_the_field(client, admin, make, name, message):
    make.school("Aaby Skole")
    response = client.post("/admin/skoler/ny", data={"name": name, "cluster_id": ""})
    assert response.status_code == 422
    assert 'id="name-error"' in response.get_data(as_text=True)
    assert message in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(School.id))) == 1


def test_renaming_a_school_keeps_its_id_and_is_audited(client, admin, make):
    school = make.school("Gammelt Navn")
    response = client.post(f"/admin/skoler/{school.id}", data={"name": "Nyt Navn", "cluster_id": ""})
    assert response.status_code == 303
    assert reload(school).name == "Nyt Navn"
    event = db.session.scalar(sa.select(AuditEvent))
    assert event.changes == {"name": ["Gammelt Navn", "Nyt Navn"]}


def test_moving_a_school_to_another_cluster(client, admin, make):
    nord, syd = make.cluster("Nord"), make.cluster("Syd")
    school = make.school("Aaby Skole", cluster=nord)
    response = client.post(f"/admin/skoler/{school.id}/flyt", data={"cluster_id": str(syd.id)})
    assert response.status_code == 303
    assert reload(school).cluster_id == syd.id
    assert db.session.scalar(sa.select(AuditEvent)).changes == {"cluster": ["Nord", "Syd"]}


def test_moving_with_htmx_returns_the_regrouped_list(client, admin, make):
    nord, syd = make.cluster("Nord"), make.cluster("Syd")
    school = make.school("Aaby Skole", cluster=nord)
    response = client.post(f"/admin/skoler/{school.id}/flyt", data={"cluster_id": str(syd.id)}, headers=htmx_headers())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "Aaby Skole er flyttet til Syd." in html
    assert f'id="move-{school.id}" name="cluster_id" data-autofocus' in html


def test_moving_to_an_unknown_cluster_is_refused(client, admin, make):
    school = make.school("Aaby Skole")
    response = client.post(f"/admin/skoler/{school.id}/flyt", data={"cluster_id": "9999"})
    assert response.status_code == 422
    assert reload(school).cluster_id is None


def test_cluster_create_rename_and_delete_when_empty(client, admin, make):
    assert client.post("/admin/klynger/ny", data={"name": "Øst"}).status_code == 303
    cluster = db.session.scalar(sa.select(Cluster).where(Cluster.name == "Øst"))
    assert client.post(f"/admin/klynger/{cluster.id}", data={"name": "Østklyngen"}).status_code == 303
    assert reload(cluster).name == "Østklyngen"

    school = make.school("Aaby Skole", cluster=reload(cluster))
    refused = client.post(f"/admin/klynger/{cluster.id}/slet")
    assert refused.status_code == 409
    assert reload(cluster) is not None

    school.cluster = None
    db.session.commit()
    cluster_id = cluster.id
    assert client.post(f"/admin/klynger/{cluster_id}/slet").status_code == 303
    db.session.expire_all()
    assert db.session.get(Cluster, cluster_id) is None
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["create", "update", "delete"]


def test_duplicate_cluster_name_is_refused(client, admin, make):
    make.cluster("Nord")
    response = client.post("/admin/klynger/ny", data={"name": "Nord"})
    assert response.status_code == 422
    assert "Der findes allerede en klynge med dette navn." in text_of(response)


def test_school_page_lists_its_people(client, admin, make):
    school = make.school("Aaby Skole")
    make.user(Role.LEADER, school=school, name="Lis Leder")
    make.user(Role.CONSULTANT, assigned=[school], name="Karl Konsulent")
    make.user(Role.LEADER, name="Anden Leder")
    text = text_of(client.get(f"/admin/skoler/{school.id}"))
    assert "Lis Leder" in text and "Karl Konsulent" in text
    assert "Anden Leder" not in text


def test_schools_page_runs_a_fixed_number_of_queries(client, admin, make, count_queries):
    def page_queries():
        with count_queries() as statements:
            assert client.get("/admin/skoler").status_code == 200
        return len(statements)

    make.school(cluster=make.cluster())
    few = page_queries()
    for _ in range(5):
        cluster = make.cluster()
        make.school(cluster=cluster)
        make.school(cluster=cluster)
        make.school()
    assert page_queries() == few
