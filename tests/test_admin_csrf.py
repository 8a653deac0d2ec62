"""With CSRF on, the administration's own forms carry a working token (plain and prefixed)."""

import re

import pytest
import sqlalchemy as sa

from strategy import create_app
from strategy.extensions import db
from strategy.models import ExpectationCategory, ProfileLevel, Role
from strategy.passwords import hash_password
from tests.conftest import Factory, _reset_database
from tests.helpers import sign_in


@pytest.fixture
def csrf_client():
    app = create_app("test", WTF_CSRF_ENABLED=True)
    with app.app_context():
        _reset_database()  # empty tables on SQLite and PostgreSQL alike
        from strategy.seeding import seed_reference_data

        seed_reference_data()
        admin = Factory().user(Role.ADMIN, email="admin@example.dk", name="Admin", password_hash=hash_password("x" * 12))
        client = app.test_client()
        sign_in(client, admin)
        yield client, admin
        db.session.remove()


def form_token(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    return re.search(r'value="([^"]+)"', match.group(0)).group(1)


def test_create_user_form_token_is_accepted_and_missing_token_refused(csrf_client):
    client, _admin = csrf_client
    html = client.get("/admin/brugere/ny").get_data(as_text=True)
    data = {"email": "ny@example.dk", "name": "Ny", "role": "directorate"}
    assert client.post("/admin/brugere/ny", data=data).status_code == 400
    response = client.post("/admin/brugere/ny", data=data | {"csrf_token": form_token(html, "csrf_token")})
    assert response.status_code == 303


def test_hand_written_tokens_work(csrf_client):
    client, admin = csrf_client
    html = client.get(f"/admin/brugere/{admin.id}").get_data(as_text=True)
    assert client.post(f"/admin/brugere/{admin.id}/invitation").status_code == 400
    response = client.post(f"/admin/brugere/{admin.id}/invitation", data={"csrf_token": form_token(html, "csrf_token")})
    assert response.status_code == 303

    level = db.session.scalars(sa.select(ProfileLevel)).first()
    expectation = level.expectations_in(ExpectationCategory.SKILLS)[0]
    html = client.get(f"/admin/learning-pipeline/niveau/{level.id}").get_data(as_text=True)
    response = client.post(
        f"/admin/forventninger/{expectation.id}", data={"text": "Ny tekst", "csrf_token": form_token(html, "csrf_token")}
    )
    assert response.status_code == 303
