"""The bell, the list of notifications, marking them read in place, the settings page and the
administrator's log of sends."""

from __future__ import annotations

import json
import re
from datetime import date

import sqlalchemy as sa

from strategy import mail, notifications
from strategy.extensions import db
from strategy.followup import service as followup
from strategy.models import NotificationSetting, Notification, OutgoingEmail, Role, Visibility
from tests.helpers import htmx_headers, reload, text_of
from tests.test_notifications import MARKER, new_agreement, note_input


def _setup(make):
    school = make.school("Nordskolen")
    leader = make.user(Role.LEADER, school=school, name="Lone Leder")
    consultant = make.user(Role.CONSULTANT, assigned=[school], name="Karen Konsulent")
    followup.create_note(consultant, school, note_input(Visibility.SHARED, [new_agreement(leader)],
                                                        held_on=date(2026, 12, 1)))
    followup.create_note(consultant, school, note_input(Visibility.SHARED, held_on=date(2026, 12, 2)))
    db.session.commit()
    return school, leader, consultant


def test_the_bell_shows_the_unread_count_and_the_page_lists_newest_first(client, login_as, make):
    _school, leader, _consultant = _setup(make)
    login_as(leader)
    page = client.get("/notifikationer")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="notification-bell"' in html and 'data-unread="3"' in html
    text = text_of(page)
    assert text.index("2. dec. 2026") < text.index("1. dec. 2026")  # newest first
    assert "3 ulæste" in text and "fra Karen Konsulent" in text
    assert MARKER not in html
    assert html.count('class="notification-item is-unread"') == 3


def test_marking_one_read_swaps_the_item_and_the_bell_in_place(client, login_as, make):
    _school, leader, _consultant = _setup(make)
    login_as(leader)
    first = db.session.scalars(sa.select(Notification).order_by(Notification.id)).first()

    response = client.post(f"/notifikationer/{first.id}/laest", headers=htmx_headers())

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="notification-{first.id}"' in html and "is-unread" not in html
    assert 'id="notification-bell"' in html and 'hx-swap-oob="true"' in html and 'data-unread="2"' in html
    assert json.loads(response.headers["HX-Trigger"])["announce"] == "Markeret som læst."
    assert reload(first).read_at is not None


def test_marking_all_read_and_the_plain_form_fallback(client, login_as, make):
    _school, leader, _consultant = _setup(make)
    login_as(leader)
    response = client.post("/notifikationer/laest", headers=htmx_headers())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="notifications"' in html and "0 ulæste" in html and "is-unread" not in html
    assert 'id="notification-bell"' in html and "data-unread" not in html
    assert notifications.unread_count(leader) == 0
    # Without JavaScript: a 303 back to the list.
    assert client.post("/notifikationer/laest").status_code == 303


def test_another_persons_notification_is_not_found(client, login_as, make):
    _school, leader, consultant = _setup(make)
    mine = db.session.scalars(sa.select(Notification)).first()
    login_as(consultant)
    assert client.post(f"/notifikationer/{mine.id}/laest").status_code == 404
    assert reload(mine).read_at is None
    assert "Nordskolen" not in text_of(client.get("/notifikationer"))


def test_the_bell_is_one_indexed_query(app, client, login_as, make, count_queries):
    _school, leader, _consultant = _setup(make)
    login_as(leader)
    with app.test_request_context():
        from flask_login import login_user

        login_user(leader)
        from flask import render_template

        with count_queries() as statements:
            html = render_template("notifications/_bell.html")
    assert 'data-unread="3"' in html
    assert len(statements) == 1 and "notification" in statements[0]
    if db.engine.dialect.name == "sqlite":
        plan = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statements[0], (leader.id,)).all()
        assert "ix_notification_recipient_unread" in str(plan)


def test_the_settings_page_saves_and_refuses_nonsense(client, login_as, make):
    _school, leader, _consultant = _setup(make)
    login_as(leader)
    page = client.get("/indstillinger/notifikationer")
    assert page.status_code == 200
    assert re.search(r'<input[^>]*checked[^>]*value="weekly"|<input[^>]*value="weekly"[^>]*checked', page.get_data(as_text=True))

    bad = client.post("/indstillinger/notifikationer", data={"frequency": "hourly", "notes": "y"}, headers=htmx_headers())
    assert bad.status_code == 422
    assert db.session.get(NotificationSetting, leader.id) is None

    saved = client.post("/indstillinger/notifikationer", data={"frequency": "daily", "agreements": "y"},
                        headers=htmx_headers())
    assert saved.status_code == 200 and "Dine indstillinger er gemt." in saved.get_data(as_text=True)
    setting = db.session.get(NotificationSetting, leader.id)
    assert (setting.frequency.value, setting.notes, setting.agreements, setting.status) == ("daily", False, True, False)


def test_the_admins_log_of_sends_shows_whom_what_when_and_result_never_the_body(client, login_as, make):
    admin = make.user(Role.ADMIN)
    leader = make.user(Role.LEADER, email="lone@skole.dk")
    with client.application.test_request_context():
        message = mail.queue(leader, "digest", "digest", dedupe_key="digest:x", subject="Målpil: dit overblik",
                             digest=type("D", (), {"groups": [], "due_agreements": []})(), today=date(2026, 12, 7),
                             settings_url="s", inbox_url="i")
        message.body_text = MARKER
        message.last_error = "SMTPDataError: (451, b'Try again later')"
        db.session.commit()
    login_as(admin)
    page = client.get("/admin/e-mails")
    assert page.status_code == 200
    text = text_of(page)
    assert "lone@skole.dk" in text and "Målpil: dit overblik" in text and "Venter" in text and "451" in text
    assert MARKER not in page.get_data(as_text=True)
    login_as(leader)
    assert client.get("/admin/e-mails").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail)) == 1


def test_anonymising_a_person_removes_their_notifications_and_settings(app, make):
    from strategy.datasafety import anonymise_person, export_person

    _school, leader, _consultant = _setup(make)
    db.session.add(NotificationSetting(user_id=leader.id))
    db.session.commit()
    assert len(export_person(leader)["notification.recipient_id"]) == 3  # part of their data export
    counts = anonymise_person(leader)
    db.session.commit()
    assert counts["notification"] == 3
    assert notifications.unread_count(leader) == 0
    assert db.session.get(NotificationSetting, leader.id) is None
