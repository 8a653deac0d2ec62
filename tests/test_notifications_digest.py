"""The digest e-mail and the calendar it keeps: school days, Danish holidays, Copenhagen time
across summer time, through a real SMTP server (one that accepts, one that refuses, one that
drops the connection)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.followup import service as followup
from strategy.models import DigestFrequency, MailState, Notification, NotificationSetting, OutgoingEmail, Role, Visibility
from strategy.notifications import reminders
from strategy.notifications.calendar import SchoolCalendar, digest_moment, easter_sunday, public_holidays
from tests.smtp import dropping_smtp_server, smtp_server
from tests.test_notifications import MARKER, new_agreement, note_input

CPH = ZoneInfo("Europe/Copenhagen")


# --- the calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize("year, easter", [(2023, date(2023, 4, 9)), (2024, date(2024, 3, 31)),
                                          (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
                                          (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25))])
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_public_holidays_move_with_easter_and_store_bededag_is_gone_from_2024():
    holidays_2026 = public_holidays(2026)
    assert holidays_2026[date(2026, 4, 2)] == "Skærtorsdag"
    assert holidays_2026[date(2026, 5, 14)] == "Kristi himmelfartsdag"
    assert holidays_2026[date(2026, 5, 25)] == "2. pinsedag"
    assert "Store bededag" not in holidays_2026.values()
    assert "Store bededag" not in public_holidays(2024).values()
    assert public_holidays(2023)[date(2023, 5, 5)] == "Store bededag"


def test_school_days_skip_weekends_public_holidays_and_the_configured_school_holidays():
    plain = SchoolCalendar()
    # Thursday 2 April 2026 (skærtorsdag) to Tuesday 7 April: only the Tuesday is a school day.
    assert plain.school_days_between(date(2026, 4, 1), date(2026, 4, 7)) == 1
    # Friday 5 May 2023 was store bededag; Friday 26 April 2024 (its date that year) is a school day.
    assert not plain.is_school_day(date(2023, 5, 5))
    assert plain.is_school_day(date(2024, 4, 26))
    with_autumn = SchoolCalendar([(date(2026, 10, 10), date(2026, 10, 18))])
    assert plain.school_days_between(date(2026, 10, 9), date(2026, 10, 19)) == 6
    assert with_autumn.school_days_between(date(2026, 10, 9), date(2026, 10, 19)) == 1
    # cutoff is the inverse: something changed on or before it is 45 school days old today.
    today = date(2026, 11, 27)
    cutoff = with_autumn.cutoff(today, 45)
    assert with_autumn.school_days_between(cutoff, today) >= 45
    assert with_autumn.school_days_between(cutoff + timedelta(days=1), today) < 45


@pytest.mark.parametrize("now_utc, key, moment_utc", [
    # Winter time (CET, UTC+1): Monday 07:00 is 06:00 UTC.
    (datetime(2026, 12, 7, 5, 59, tzinfo=UTC), "2026-W49", datetime(2026, 11, 30, 6, 0, tzinfo=UTC)),
    (datetime(2026, 12, 7, 6, 0, tzinfo=UTC), "2026-W50", datetime(2026, 12, 7, 6, 0, tzinfo=UTC)),
    # The Monday after the change to summer time (29 March 2026): 07:00 CEST is 05:00 UTC.
    (datetime(2026, 3, 30, 4, 59, tzinfo=UTC), "2026-W13", datetime(2026, 3, 23, 6, 0, tzinfo=UTC)),
    (datetime(2026, 3, 30, 5, 0, tzinfo=UTC), "2026-W14", datetime(2026, 3, 30, 5, 0, tzinfo=UTC)),
    # The Monday after the change back (25 October 2026): 06:00 UTC again.
    (datetime(2026, 10, 26, 5, 30, tzinfo=UTC), "2026-W43", datetime(2026, 10, 19, 5, 0, tzinfo=UTC)),
    (datetime(2026, 10, 26, 6, 0, tzinfo=UTC), "2026-W44", datetime(2026, 10, 26, 6, 0, tzinfo=UTC)),
])
def test_the_weekly_moment_is_monday_07_00_in_copenhagen_across_summer_time(now_utc, key, moment_utc):
    moment, period = digest_moment(now_utc, "weekly", 0, 7, CPH)
    assert period == key
    assert moment == moment_utc


def test_the_daily_moment_and_none():
    moment, period = digest_moment(datetime(2026, 3, 29, 5, 30, tzinfo=UTC), "daily", 0, 7, CPH)
    assert (moment, period) == (datetime(2026, 3, 29, 5, 0, tzinfo=UTC), "2026-03-29")  # first summer-time day
    assert digest_moment(datetime(2026, 3, 29, 5, 30, tzinfo=UTC), "none", 0, 7, CPH) is None


# --- the digest --------------------------------------------------------------------------------

MONDAY_0700 = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


@pytest.fixture
def school(make):
    school = make.school("Nordskolen")
    leader = make.user(Role.LEADER, school=school, name="Lone Leder", email="lone@skole.dk")
    consultant = make.user(Role.CONSULTANT, assigned=[school], name="Karen Konsulent", email="karen@kommune.dk")
    other = make.user(Role.LEADER, name="Ole Anden", email="ole@skole.dk")
    directorate = make.user(Role.DIRECTORATE, name="Dorthe", email="dorthe@kommune.dk")
    # A shared note with an overdue agreement for the leader, and a draft note with a secret.
    followup.create_note(consultant, school, note_input(Visibility.SHARED, [
        new_agreement(leader, due=date(2026, 12, 3))], held_on=date(2026, 12, 4)))
    followup.create_note(consultant, school, note_input(Visibility.DRAFT, [
        new_agreement(leader, due=date(2026, 12, 2))], observation=MARKER))
    followup.create_note(consultant, school, note_input(Visibility.INTERNAL, [
        new_agreement(leader, due=date(2026, 12, 2))], observation=MARKER))
    db.session.commit()
    return dict(school=school, leader=leader, consultant=consultant, other=other, directorate=directorate)


def _mail_states():
    return [m.state for m in db.session.scalars(sa.select(OutgoingEmail).where(OutgoingEmail.kind == "digest"))]


def test_the_monday_digest_lists_the_leaders_items_with_links_in_text_and_html(app, school, smtp):
    reminders.run(MONDAY_0700 - timedelta(minutes=1))
    assert smtp.to("lone@skole.dk") == []  # 06:59 in Copenhagen: not yet

    report = reminders.run(MONDAY_0700)
    assert report.failed == 0
    [message] = smtp.to("lone@skole.dk")
    text, html = smtp.text(message), smtp.html(message)
    assert message["Subject"] == "Målpil: dit overblik 7. dec. 2026"
    assert "Et sparringsnotat fra 4. dec. 2026 er delt med Nordskolen" in text
    assert "Dine aftaler med frist snart eller overskredet" in text
    assert "Frist 3. dec. 2026 (overskredet) – Nordskolen" in text
    assert "http://127.0.0.1:5000/notater/" in text
    assert 'href="http://127.0.0.1:5000/notater/' in html
    assert "http://127.0.0.1:5000/indstillinger/notifikationer" in text
    assert text.count("Frist 2. dec.") == 0  # the draft's and the internal note's agreements
    # Only people with something get one; nobody gets anything about others.
    assert smtp.to("ole@skole.dk") == []
    for m in smtp.messages:
        assert MARKER not in smtp.text(m) + smtp.html(m) + m["Subject"]


def test_running_twice_in_the_hour_sends_nobody_two(app, school, smtp):
    reminders.run(MONDAY_0700)
    reminders.run(MONDAY_0700 + timedelta(minutes=20))
    reminders.run(MONDAY_0700 + timedelta(hours=3))
    assert len(smtp.to("lone@skole.dk")) == 1
    # The week after, what is new since, and the overdue agreement again.
    note = followup.create_note(school["consultant"], school["school"], note_input(Visibility.SHARED,
                                                                                  held_on=date(2026, 12, 9)))
    db.session.flush()
    db.session.execute(sa.update(Notification).where(Notification.object_id == note.id)
                       .values(created_at=datetime(2026, 12, 9, 10, tzinfo=UTC)))  # shared on Wednesday
    db.session.commit()
    reminders.run(MONDAY_0700 + timedelta(days=7))
    first, second = smtp.to("lone@skole.dk")
    assert "4. dec. 2026 er delt" in smtp.text(first) and "4. dec. 2026 er delt" not in smtp.text(second)
    assert "9. dec. 2026 er delt" in smtp.text(second)


def test_the_digest_is_in_the_persons_language(app, school, smtp):
    school["leader"].locale = "en"
    db.session.commit()
    reminders.run(MONDAY_0700)
    [message] = smtp.to("lone@skole.dk")
    assert message["Subject"].startswith("Målpil: your overview")
    assert "A sparring note from Dec 4, 2026 was shared with Nordskolen" in smtp.text(message)


def test_settings_daily_none_and_per_kind(app, school, smtp):
    db.session.add(NotificationSetting(user_id=school["leader"].id, frequency=DigestFrequency.DAILY,
                                       notes=False, agreements=True, status=True))
    db.session.commit()
    tuesday = MONDAY_0700 + timedelta(days=1)
    reminders.run(tuesday)
    [message] = smtp.to("lone@skole.dk")
    assert "er delt med" not in smtp.text(message)  # notes switched off
    assert "Frist 3. dec. 2026" in smtp.text(message)

    setting = db.session.get(NotificationSetting, school["leader"].id)
    setting.frequency = DigestFrequency.NONE
    db.session.commit()
    reminders.run(tuesday + timedelta(days=1))
    assert len(smtp.to("lone@skole.dk")) == 1


def test_a_refusing_server_loses_nothing_and_the_next_run_sends_once(app, school):
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        inbox.refuse = True
        report = reminders.run(MONDAY_0700)
        assert report.sent == 0 and report.failed >= 1
        assert MailState.PENDING in _mail_states()
        [failed] = [m for m in db.session.scalars(sa.select(OutgoingEmail)) if m.to_address == "lone@skole.dk"]
        assert "451" in failed.last_error
        inbox.refuse = False
        reminders.run(MONDAY_0700 + timedelta(minutes=30))
        reminders.run(MONDAY_0700 + timedelta(minutes=60))
        assert len(inbox.to("lone@skole.dk")) == 1
    app.config.update(MAIL_SERVER="", MAIL_PORT=25)
    assert set(_mail_states()) == {MailState.SENT}


def test_a_server_that_drops_the_connection_loses_nothing(app, school):
    with dropping_smtp_server() as port:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        report = reminders.run(MONDAY_0700)
        assert report.sent == 0
    assert _mail_states() and set(_mail_states()) == {MailState.PENDING}
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_PORT=port)
        reminders.run(MONDAY_0700 + timedelta(minutes=5))
        assert len(inbox.to("lone@skole.dk")) == 1
    app.config.update(MAIL_SERVER="", MAIL_PORT=25)


def test_the_command_line_dry_run_prints_and_keeps_nothing(app, school):
    result = app.test_cli_runner().invoke(args=["send-reminders", "--dry-run", "--now", "2026-12-07T07:00+01:00"])
    assert result.exit_code == 0, result.output
    assert "--- to lone@skole.dk: Målpil: dit overblik 7. dec. 2026" in result.output
    assert "nothing was kept" in result.output
    assert MARKER not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail)) == 0

    result = app.test_cli_runner().invoke(args=["send-reminders", "--now", "2026-12-07T07:00"])
    assert result.exit_code != 0 and "time zone" in result.output
