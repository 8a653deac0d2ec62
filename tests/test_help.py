"""Help inside the product: the first-week guide per role (offered once after the first sign-in),
the glossary's help texts, the accessibility statement, Min profil."""

from strategy.extensions import db
from strategy.models import LoginAttempt, Role, User
from tests.helpers import text_of

def test_the_welcome_is_offered_until_closed_then_never_again(client, make, login_as):
    school = make.school("Welcomeskolen")
    leader = login_as(make.user(Role.LEADER, school=school, name="Nina Ny"))
    page = text_of(client.get(f"/skoler/{school.id}"))
    assert "Velkommen til Målpil, Nina Ny" in page and "Læs guiden til din første uge" in page

    response = client.post("/hjaelp/velkomst", data={"next": f"/skoler/{school.id}"})
    assert response.status_code == 303 and response.headers["Location"] == f"/skoler/{school.id}"
    db.session.expire_all()
    assert db.session.get(User, leader.id).first_week_guide_seen_at is not None
    assert "Velkommen til Målpil" not in text_of(client.get(f"/skoler/{school.id}"))
    # The guide itself stays one click away in the header.
    assert "Hjælp" in text_of(client.get(f"/skoler/{school.id}"))

def test_closing_the_welcome_goes_only_to_a_page_of_this_site(client, make, login_as):
    login_as(make.user(Role.CONSULTANT))
    response = client.post("/hjaelp/velkomst", data={"next": "//evil.example/"})
    assert response.status_code == 303 and response.headers["Location"] == "/"

def test_each_role_gets_its_own_first_week(client, make, login_as):
    school = make.school("Guideskolen")
    login_as(make.user(Role.LEADER, school=school))
    leader_guide = text_of(client.get("/hjaelp"))
    assert "Din første uge i Målpil" in leader_guide
    assert "Sæt status på tiltagene" in leader_guide and "Læs det, konsulenten har delt" in leader_guide
    assert "Åbn Notater og samtaler" in leader_guide  # the step links to the page in the leader's menu

    login_as(make.user(Role.CONSULTANT))
    consultant_guide = client.get("/hjaelp")
    assert "Skriv et sparringsnotat" in text_of(consultant_guide)
    assert "Sæt status på tiltagene" not in text_of(consultant_guide)
    # Another role's guide can be read, without links into pages this user does not have.
    directorate = text_of(client.get("/hjaelp?rolle=directorate"))
    assert "Læs Overblik" in directorate and "Åbn Overblik" not in directorate
    assert client.get("/hjaelp?rolle=boss").status_code == 404

def test_the_accessibility_statement_is_public_and_linked_from_every_footer(client, make, login_as):
    page = client.get("/tilgaengelighed")
    assert page.status_code == 200
    text = text_of(page)
    assert "Tilgængelighedserklæring" in text and "WCAG 2.1 niveau AA" in text
    assert "Sådan tester vi" in text and "tilgaengelighed@skoleforvaltningen.dk" in text
    assert 'href="/tilgaengelighed"' in client.get("/login").get_data(as_text=True)

def test_min_profil_shows_who_i_am_my_language_and_my_sign_ins(client, make, login_as):
    school = make.school("Profilskolen")
    user = login_as(make.user(Role.LEADER, school=school, name="Pia Profil"))
    other = make.user(Role.LEADER, school=school, name="Ole Anden")
    db.session.add_all([
        LoginAttempt(email=user.email, ip_address="10.1.2.3", success=True),
        LoginAttempt(email=user.email, ip_address="10.9.9.9", success=False),
        LoginAttempt(email=other.email, ip_address="10.7.7.7", success=True),
    ])
    db.session.commit()

    response = client.get("/min-profil")
    assert response.status_code == 200
    text = text_of(response)
    assert "Pia Profil" in text and "Skoleleder" in text and "Profilskolen" in text and user.email in text
    assert "Målpils sprog" in text
    assert "10.1.2.3" in text and "10.9.9.9" in text and "Afvist" in text
    assert "10.7.7.7" not in text  # another person's sign-ins are never shown
    assert 'href="/min-profil"' in response.get_data(as_text=True)  # the header's way there

def test_a_glossary_word_explains_itself_where_it_is_used(client, make, login_as):
    login_as(make.user(Role.CONSULTANT, assigned=[make.school("Ordskolen")]))
    html = client.get("/mine-skoler").get_data(as_text=True)
    assert 'aria-label="Hvad betyder LUS og GRUS?"' in html
    assert "gruppeudviklingssamtalen med ledelsesteamet" in html
