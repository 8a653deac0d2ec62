"""Administering accounts: create (with an invitation), edit, invitations, deactivate, search."""

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import AccountToken, AuditEvent, Role, User
from tests.helpers import asked_to_sign_in_again, htmx_headers, reload, sign_in, text_of

NEW_PASSWORD = "et-langt-nok-kodeord"


@pytest.fixture
def admin(make, login_as):
    return login_as(make.user(Role.ADMIN, name="Alma Admin"))


def user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def sign_in_other_client(app, user: User):
    """A second browser, signed in as ``user`` the way the login form would."""
    other = app.test_client()
    sign_in(other, user)
    return other


# --- create -------------------------------------------------------------------------------------


def test_admin_creates_a_school_leader_who_gets_an_invitation(client, admin, make, smtp):
    school = make.school("Aaby Skole")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "email": "  Bente.Berg@Example.dk ",
            "name": "Bente Berg",
            "title": "Skoleleder",
            "role": "leader",
            "school_id": str(school.id),
            "send_invitation": "y",
        },
    )
    assert response.status_code == 303
    user = by_email("bente.berg@example.dk")
    assert user is not None, "the e-mail address is stored trimmed and in lower case"
    assert response.headers["Location"].endswith(f"/admin/brugere/{user.id}")
    assert (user.name, user.title, user.role, user.school_id) == ("Bente Berg", "Skoleleder", Role.LEADER, school.id)
    assert user.password_hash == "", "nobody typed a password for Bente"
    page = text_of(client.get(response.headers["Location"]))
    assert "Bente Berg er oprettet og har fået en invitation" in page, page[page.find("Log ud"):][:600]
    [message] = smtp.to("bente.berg@example.dk")
    assert "/invitation/" in smtp.text(message) and "7 dage" in smtp.text(message)
    [token] = db.session.scalars(sa.select(AccountToken))
    assert token.user_id == user.id and token.token_hash not in smtp.text(message)


def test_creating_a_consultant_assigns_schools(client, admin, make):
    a, b, c = make.school("A-skolen"), make.school("B-skolen"), make.school("C-skolen")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "email": "konsulent@example.dk",
            "name": "Karl Konsulent",
            "role": "consultant",
            "assigned_school_ids": [str(a.id), str(c.id)],
            "school_id": str(b.id),  # not for a consultant: ignored
        },
    )
    assert response.status_code == 303
    user = by_email("konsulent@example.dk")
    assert [s.name for s in user.assigned_schools] == ["A-skolen", "C-skolen"]
    assert user.school_id is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "taken@example.dk"}, "email", "Der findes allerede en bruger med denne e-mailadresse."),
        ({"email": "TAKEN@example.dk "}, "email", "Der findes allerede en bruger med denne e-mailadresse."),
        ({"email": "ikke-en-adresse"}, "email", "Skriv en gyldig e-mailadresse"),
        ({"school_id": ""}, "school_id", "Vælg skolen: en skoleleder, læser eller et skolebestyrelsesmedlem hører til én skole."),
        ({"role": "reader", "school_id": ""}, "school_id", "Vælg skolen"),
        ({"name": "   "}, "name", "Skriv brugerens navn."),
    ],
)
def test_invalid_user_is_refused_at_the_field_and_nothing_is_saved(client, admin, make, change, field, message):
    make.user(Role.READER, email="taken@example.dk")
    school = make.school()
    data = {
        "email": "ny@example.dk",
        "name": "Nina Ny",
        "title": "Afdelingsleder",
        "role": "leader",
        "school_id": str(school.id),
    } | change
    before = user_count()

    response = client.post("/admin/brugere/ny", data=data)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html, "the message sits next to its field"
    assert message in text_of(response)
    assert 'value="Afdelingsleder"' in html, "the user's input is kept"
    assert user_count() == before
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_htmx_create_with_an_error_returns_only_the_form(client, admin, make):
    response = client.post(
        "/admin/brugere/ny",
        data={"email": "ikke-en-adresse", "name": "X", "role": "admin"},
        headers=htmx_headers(),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert "Skriv en gyldig e-mailadresse" in html


def test_htmx_create_success_redirects_the_whole_page(client, admin):
    response = client.post(
        "/admin/brugere/ny",
        data={"email": "x@example.dk", "name": "X", "role": "directorate"},
        headers=htmx_headers(),
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/admin/brugere/")


# --- edit ---------------------------------------------------------------------------------------


def test_admin_edits_a_user_and_the_change_is_audited(client, admin, make):
    old_school, new_school = make.school("Gammel Skole"), make.school("Ny Skole")
    user = make.user(Role.LEADER, school=old_school, name="Lis Leder", email="lis@example.dk")
    response = client.post(
        f"/admin/brugere/{user.id}",
        data={"email": "lis@example.dk", "name": "Lis Lauridsen", "title": "", "role": "leader",
              "school_id": str(new_school.id)},
    )
    assert response.status_code == 303
    user = reload(user)
    assert (user.name, user.school_id) == ("Lis Lauridsen", new_school.id)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "User"))
    assert event.action == "update"
    assert event.actor_id == admin.id
    assert event.object_id == user.id
    assert event.changes == {"name": ["Lis Leder", "Lis Lauridsen"], "school": ["Gammel Skole", "Ny Skole"]}


def test_editing_to_another_users_email_is_refused(client, admin, make):
    make.user(Role.READER, email="taken@example.dk")
    user = make.user(Role.DIRECTORATE, email="mine@example.dk", name="Dora")
    response = client.post(
        f"/admin/brugere/{user.id}",
        data={"email": "taken@example.dk", "name": "Dora D", "role": "directorate"},
    )
    assert response.status_code == 422
    assert "Der findes allerede en bruger med denne e-mailadresse." in text_of(response)
    assert 'value="Dora D"' in response.get_data(as_text=True)
    assert reload(user).email == "mine@example.dk"
    assert reload(user).name == "Dora"


def test_keeping_ones_own_email_is_not_a_duplicate(client, admin, make):
    user = make.user(Role.DIRECTORATE, email="mine@example.dk")
    response = client.post(f"/admin/brugere/{user.id}", data={"email": "mine@example.dk", "name": "D", "role": "directorate"})
    assert response.status_code == 303


def test_an_admin_cannot_take_away_their_own_admin_role(client, admin):
    response = client.post(f"/admin/brugere/{admin.id}", data={"email": admin.email, "name": admin.name, "role": "reader"})
    assert response.status_code == 422
    assert "Du kan ikke fjerne din egen administratorrolle." in text_of(response)
    assert reload(admin).role == Role.ADMIN


def test_changing_a_consultants_school_assignments(client, admin, make):
    a, b = make.school("A-skolen"), make.school("B-skolen")
    consultant = make.user(Role.CONSULTANT, assigned=[a])
    response = client.post(
        f"/admin/brugere/{consultant.id}",
        data={"email": consultant.email, "name": consultant.name, "role": "consultant", "assigned_school_ids": [str(b.id)]},
    )
    assert response.status_code == 303
    assert [s.name for s in reload(consultant).assigned_schools] == ["B-skolen"]
    event = db.session.scalar(sa.select(AuditEvent))
    assert event.changes == {"assigned_schools": [["A-skolen"], ["B-skolen"]]}


# --- password and deactivation ------------------------------------------------------------------


def test_the_admin_form_has_no_password_field(client, admin, make):
    user = make.user(Role.READER)
    for page in (client.get("/admin/brugere/ny"), client.get(f"/admin/brugere/{user.id}")):
        assert 'type="password"' not in page.get_data(as_text=True)


def test_an_invitation_is_sent_again_and_the_first_link_stops_working(client, admin, make, smtp):
    user = make.user(Role.READER, email="rikke@example.dk", password_hash="")
    assert client.post(f"/admin/brugere/{user.id}/invitation").status_code == 303
    assert client.post(f"/admin/brugere/{user.id}/invitation").status_code == 303
    first, second = smtp.to("rikke@example.dk")
    link = lambda m: next(w for w in smtp.text(m).split() if "/invitation/" in w)  # noqa: E731
    path = lambda m: "/" + link(m).split("/", 3)[3]  # noqa: E731
    assert client.get(path(first)).status_code == 410
    assert "Linket virker ikke" in text_of(client.get(path(first)))
    assert client.get(path(second)).status_code == 200
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == user.id)).all()
    assert actions == ["invitation_sent", "invitation_sent"]


def test_a_revoked_invitation_no_longer_works(client, admin, make, smtp):
    user = make.user(Role.READER, email="rikke@example.dk", password_hash="")
    client.post(f"/admin/brugere/{user.id}/invitation")
    assert "Invitation sendt" in text_of(client.get(f"/admin/brugere/{user.id}"))
    assert client.post(f"/admin/brugere/{user.id}/invitation/tilbagekald").status_code == 303
    [message] = smtp.to("rikke@example.dk")
    link = next(w for w in smtp.text(message).split() if "/invitation/" in w)
    response = client.post("/" + link.split("/", 3)[3], data={"new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert response.status_code == 410
    assert reload(user).password_hash == ""
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "invitation_revoked")) is not None
    assert "ingen gyldig invitation" in text_of(client.get(f"/admin/brugere/{user.id}"))


def test_deactivating_a_user_ends_their_session_at_once(app, client, admin, make):
    leader = make.user(Role.LEADER)
    browser = sign_in_other_client(app, leader)
    assert browser.get("/learning-pipeline").status_code == 200
    old_token = leader.session_token

    response = client.post(f"/admin/brugere/{leader.id}/deaktiver")

    assert response.status_code == 303
    leader = reload(leader)
    assert leader.active is False
    assert leader.session_token != old_token
    next_request = browser.get("/learning-pipeline")
    assert next_request.status_code == 302
    assert "/login" in next_request.headers["Location"]

    # Reactivation lets the person sign in again, but the old cookie stays dead.
    assert client.post(f"/admin/brugere/{leader.id}/aktiver").status_code == 303
    assert reload(leader).active is True
    assert browser.get("/learning-pipeline").status_code == 302

    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.changes for e in events] == [{"active": [True, False]}, {"active": [False, True]}]


def test_htmx_request_of_a_deactivated_user_is_asked_to_sign_in_again(app, client, admin, make):
    reader = make.user(Role.READER)
    browser = sign_in_other_client(app, reader)
    client.post(f"/admin/brugere/{reader.id}/deaktiver")
    asked_to_sign_in_again(browser.get("/learning-pipeline?q=x", headers=htmx_headers()))


def test_an_admin_cannot_deactivate_themselves(client, admin):
    response = client.post(f"/admin/brugere/{admin.id}/deaktiver")
    assert response.status_code == 409
    assert "Du kan ikke deaktivere din egen konto" in text_of(response)
    assert reload(admin).active is True
    assert client.get("/admin").status_code == 200, "still signed in"


# --- list and search ----------------------------------------------------------------------------


@pytest.fixture
def people(make):
    aaby, bakke = make.school("Aaby Skole"), make.school("Bakkeskolen")
    return {
        "oe": make.user(Role.LEADER, school=aaby, name="Øjvind Østergaard", email="oejvind@example.dk"),
        "ka": make.user(Role.CONSULTANT, assigned=[bakke], name="Karen Andersen", email="karen@example.dk"),
        "di": make.user(Role.DIRECTORATE, name="Dorte Iversen", email="dorte@kommune.dk", active=False),
        "schools": (aaby, bakke),
    }


def names_in(response) -> set[str]:
    """The names in the result table (the signed-in admin's name also sits in the page header)."""
    html = response.get_data(as_text=True)
    table = html[html.find("<tbody>"):html.find("</tbody>")] if "<tbody>" in html else ""
    return {n for n in ("Øjvind Østergaard", "Karen Andersen", "Dorte Iversen", "Alma Admin") if n in table}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Øjvind Østergaard", "Karen Andersen", "Dorte Iversen", "Alma Admin"]),
        ("?q=øster", ["Øjvind Østergaard"]),  # Danish letters fold on every database
        ("?q=KOMMUNE.DK", ["Dorte Iversen"]),
        ("?q=karen+andersen", ["Karen Andersen"]),
        ("?rolle=consultant", ["Karen Andersen"]),
        ("?status=inactive", ["Dorte Iversen"]),
        ("?q=zzz", []),
    ],
)
def test_user_list_filters(client, admin, people, query, expected):
    response = client.get("/admin/brugere" + query)
    assert response.status_code == 200
    assert names_in(response) == set(expected)


def test_school_filter_finds_leaders_and_assigned_consultants(client, admin, people):
    aaby, bakke = people["schools"]
    assert names_in(client.get(f"/admin/brugere?skole={aaby.id}")) == {"Øjvind Østergaard"}
    assert names_in(client.get(f"/admin/brugere?skole={bakke.id}")) == {"Karen Andersen"}


def test_search_as_you_type_returns_only_the_results(client, admin, people):
    response = client.get("/admin/brugere?q=karen", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<form" not in html
    assert "Karen Andersen" in html and "1 bruger." in html
    assert "HX-Request" in response.headers["Vary"]


def test_user_list_runs_a_fixed_number_of_queries(client, admin, make, count_queries):
    def page_queries():
        with count_queries() as statements:
            assert client.get("/admin/brugere").status_code == 200
        return len(statements)

    school = make.school()
    make.user(Role.CONSULTANT, assigned=[school])
    few = page_queries()
    for _ in range(8):
        make.user(Role.LEADER, school=make.school())
        make.user(Role.CONSULTANT, assigned=[make.school(), school])
    assert page_queries() == few


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/brugere/9999").status_code == 404
