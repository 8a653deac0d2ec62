"""Historik: the administrator reads the whole audit log, filtered by user and by object."""

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import AuditEvent, Role, School
from tests.helpers import htmx_headers, text_of


@pytest.fixture
def admin(make, login_as):
    return login_as(make.user(Role.ADMIN, name="Alma Admin"))


def rows(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.find("<tbody>"):html.find("</tbody>")] if "<tbody>" in html else ""


def test_history_shows_who_changed_what_from_what_to_what(client, admin, make):
    school = make.school("Gammel Skole")
    client.post(f"/admin/skoler/{school.id}", data={"name": "Ny Skole", "cluster_id": ""})
    text = text_of(client.get("/admin/historik"))
    assert "Alma Admin" in text
    assert "Ændret" in text and "Skole #%d" % school.id in text
    assert "fra Gammel Skole → til Ny Skole" in text


def test_history_filters_by_user(client, admin, make, login_as):
    bo = make.user(Role.ADMIN, name="Bo Bruger")
    client.post("/admin/klynger/ny", data={"name": "Almas klynge"})
    login_as(bo)
    client.post("/admin/klynger/ny", data={"name": "Bos klynge"})

    response = client.get(f"/admin/historik?bruger={bo.id}")
    assert "Bos klynge" in rows(response) and "Almas klynge" not in rows(response)
    response = client.get(f"/admin/historik?bruger={admin.id}")
    assert "Almas klynge" in rows(response) and "Bos klynge" not in rows(response)


def test_history_filters_by_object_type_and_id(client, admin, make):
    a, b = make.school("A-skolen"), make.school("B-skolen")
    client.post(f"/admin/skoler/{a.id}", data={"name": "A-skolen 2", "cluster_id": ""})
    client.post(f"/admin/skoler/{b.id}", data={"name": "B-skolen 2", "cluster_id": ""})
    client.post("/admin/klynger/ny", data={"name": "Nord"})

    only_a = rows(client.get(f"/admin/historik?type=School&id={a.id}"))
    assert "A-skolen 2" in only_a and "B-skolen 2" not in only_a
    schools = rows(client.get("/admin/historik?type=School"))
    assert "A-skolen 2" in schools and "B-skolen 2" in schools and "Nord" not in schools


def test_history_filter_uses_htmx_fragment(client, admin, make):
    client.post("/admin/klynger/ny", data={"name": "Nord"})
    response = client.get("/admin/historik?type=Cluster", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<form" not in html
    assert "Nord" in html


def test_user_page_links_to_what_the_user_did(client, admin, make):
    other = make.user(Role.ADMIN, name="Bo Bruger")
    page = client.get(f"/admin/brugere/{other.id}").get_data(as_text=True)
    assert f"/admin/historik?bruger={other.id}" in page
    assert f"/admin/historik?type=User&amp;id={other.id}" in page


def test_own_recent_actions_on_the_user_page(client, admin):
    client.post("/admin/klynger/ny", data={"name": "Nord"})
    text = text_of(client.get(f"/admin/brugere/{admin.id}"))
    assert "Seneste handlinger" in text and "Klynge oprettet: Nord" in text


def test_directorate_sees_no_history_links(client, make, login_as):
    login_as(make.user(Role.DIRECTORATE))
    other = make.user(Role.LEADER)
    page = client.get(f"/admin/brugere/{other.id}").get_data(as_text=True)
    assert "/admin/historik" not in page
    assert client.get(f"/admin/historik?bruger={other.id}").status_code == 403


def test_history_pages_older_events(client, admin, make):
    school = make.school()
    for n in range(55):
        db.session.add(AuditEvent(actor_id=admin.id, action="update", object_type="School", object_id=school.id,
                                  summary=f"Hændelse {n:02d}"))
    db.session.commit()
    first = client.get("/admin/historik")
    assert "Hændelse 54" in rows(first) and "Hændelse 04" not in rows(first)
    assert "side=2" in first.get_data(as_text=True)
    second = client.get("/admin/historik?side=2")
    assert "Hændelse 04" in rows(second) and "Hændelse 54" not in rows(second)


def test_history_runs_a_fixed_number_of_queries(client, admin, make, count_queries):
    def page_queries():
        with count_queries() as statements:
            assert client.get("/admin/historik").status_code == 200
        return len(statements)

    client.post("/admin/klynger/ny", data={"name": "Nord"})
    few = page_queries()
    for n in range(10):
        actor = make.user(Role.ADMIN)
        db.session.add(AuditEvent(actor_id=actor.id, action="create", object_type="School", object_id=n, changes={"name": "x"}))
    db.session.commit()
    assert page_queries() == few


def test_every_admin_write_is_audited_with_the_actor(client, admin, make):
    """Create, update and delete each leave one event, in the same transaction as the change."""
    client.post("/admin/skoler/ny", data={"name": "Ny Skole", "cluster_id": ""})
    school = db.session.scalar(sa.select(School).where(School.name == "Ny Skole"))
    client.post("/admin/klynger/ny", data={"name": "Nord"})
    client.post("/admin/skoler/ny", data={"name": "", "cluster_id": ""})  # refused: no event
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.object_type, e.actor_id) for e in events] == [
        ("create", "School", admin.id),
        ("create", "Cluster", admin.id),
    ]
    assert events[0].object_id == school.id and events[0].school_id == school.id
