"""E-mail through a real SMTP server on 127.0.0.1: queued with the change, sent after it, kept
when the server is down or hangs up, sent once however many times delivery runs."""

import pytest
import sqlalchemy as sa
from flask import render_template_string

from strategy import mail
from strategy.extensions import db
from strategy.models import MailState, OutgoingEmail
from tests.smtp import dropping_smtp_server, free_port, smtp_server


@pytest.fixture
def mail_template(app, tmp_path):
    """A tiny e-mail template pair, so these tests do not depend on any feature's e-mails."""
    from jinja2 import ChoiceLoader, DictLoader

    loader = app.jinja_loader
    app.jinja_env.loader = ChoiceLoader([
        DictLoader({
            "emails/_test.txt": "Subject: {{ _('Overblik') }} {{ name }}\n\n{{ _('Min skole') }} {{ name }}\n{{ link }}\n",
            "emails/_test.html": "<p>{{ _('Min skole') }} {{ name }}</p><p><a href=\"{{ link }}\">{{ link }}</a></p>",
        }),
        loader,
    ])
    yield "_test"
    app.jinja_env.loader = loader


def _states():
    return [m.state for m in db.session.scalars(sa.select(OutgoingEmail).order_by(OutgoingEmail.id))]


def test_a_queued_message_is_sent_as_text_and_html_in_the_recipients_language(app, make, smtp, mail_template):
    anne = make.user("leader", email="anne@skole.dk", locale="en")
    mail.queue(anne, "test", mail_template, name="Anne", link=mail.absolute_url("main.index"))
    mail.queue("bo@skole.dk", "test", mail_template, name="Bo", link="x")
    assert mail.deliver() == (2, 0)

    [to_anne] = smtp.to("anne@skole.dk")
    assert to_anne["Subject"] == "Overview Anne"
    assert "My school Anne" in smtp.text(to_anne)
    assert "http://127.0.0.1:5000/" in smtp.text(to_anne)
    assert "<p>My school Anne</p>" in smtp.html(to_anne)
    [to_bo] = smtp.to("bo@skole.dk")
    assert to_bo["Subject"] == "Overblik Bo"  # a bare address gets Danish
    assert _states() == [MailState.SENT, MailState.SENT]


def test_a_dedupe_key_queues_a_message_once(app, smtp, mail_template):
    assert mail.queue("a@skole.dk", "test", mail_template, dedupe_key="digest:1:2026-W49", name="A", link="") is not None
    assert mail.queue("a@skole.dk", "test", mail_template, dedupe_key="digest:1:2026-W49", name="A", link="") is None
    db.session.commit()
    assert mail.deliver() == (1, 0)
    assert mail.deliver() == (0, 0)
    assert len(smtp.to("a@skole.dk")) == 1


def test_a_server_that_is_down_loses_nothing(app, mail_template):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there
    mail.queue("a@skole.dk", "test", mail_template, name="A", link="")
    assert mail.deliver() == (0, 1)
    [message] = db.session.scalars(sa.select(OutgoingEmail))
    assert message.state == MailState.PENDING
    assert "refused" in message.last_error.lower() or "connect" in message.last_error.lower()

    with smtp_server() as (inbox, port):
        app.config.update(MAIL_PORT=port)
        assert mail.deliver() == (1, 0)  # the next run sends what was waiting
    assert len(inbox.to("a@skole.dk")) == 1
    app.config.update(MAIL_SERVER="")


def test_a_server_that_refuses_keeps_the_message_for_the_next_run(app, smtp, mail_template):
    smtp.refuse = True
    mail.queue("a@skole.dk", "test", mail_template, name="A", link="")
    assert mail.deliver() == (0, 1)
    [message] = db.session.scalars(sa.select(OutgoingEmail))
    assert (message.state, message.attempts) == (MailState.PENDING, 1)
    assert "451" in message.last_error
    smtp.refuse = False
    assert mail.deliver() == (1, 0)
    assert len(smtp.to("a@skole.dk")) == 1


def test_a_server_that_hangs_up_keeps_the_rest_pending(app, mail_template):
    with dropping_smtp_server() as port:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        mail.queue("a@skole.dk", "test", mail_template, name="A", link="")
        mail.queue("b@skole.dk", "test", mail_template, name="B", link="")
        sent, failed = mail.deliver()
    assert sent == 0 and failed == 1
    assert _states() == [MailState.PENDING, MailState.PENDING]
    app.config.update(MAIL_SERVER="")


def test_a_message_is_given_up_after_the_configured_attempts(app, smtp, mail_template):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    smtp.refuse = True
    mail.queue("a@skole.dk", "test", mail_template, name="A", link="")
    mail.deliver()
    mail.deliver()
    assert _states() == [MailState.FAILED]
    smtp.refuse = False
    assert mail.deliver() == (0, 0)
    app.config["MAIL_MAX_ATTEMPTS"] = 10


def test_without_a_mail_server_messages_go_to_the_log(app, mail_template, caplog):
    app.config["MAIL_SERVER"] = ""
    mail.queue("a@skole.dk", "test", mail_template, name="A", link="http://x/")
    with caplog.at_level("INFO", logger="maalpil.mail"):
        assert mail.deliver() == (1, 0)
    assert "a@skole.dk" in caplog.text and "Min skole A" in caplog.text


def test_send_mail_command_delivers_what_is_waiting(app, smtp, mail_template):
    mail.queue("a@skole.dk", "test", mail_template, name="A", link="")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "E-mails sent: 1" in result.output
    assert len(smtp.to("a@skole.dk")) == 1


def test_a_message_rolled_back_with_its_change_is_never_sent(app, smtp, mail_template):
    mail.queue("a@skole.dk", "test", mail_template, name="A", link="")
    db.session.rollback()
    assert mail.deliver() == (0, 0)
    assert smtp.to("a@skole.dk") == []


def test_html_part_escapes_what_it_is_given(app, smtp, mail_template):
    mail.queue("a@skole.dk", "test", mail_template, name="<b>A</b>", link="")
    mail.deliver()
    [message] = smtp.to("a@skole.dk")
    assert "&lt;b&gt;A&lt;/b&gt;" in smtp.html(message)
    assert render_template_string("{{ x }}", x="<b>") == "&lt;b&gt;"
