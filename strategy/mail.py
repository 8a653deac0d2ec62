"""Sending e-mail, built once for every feature that writes to people (invitations, password
resets, reminders, digests).

Configured with Flask-Mail's setting names (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USE_SSL,
MAIL_USERNAME, MAIL_PASSWORD, MAIL_DEFAULT_SENDER). Without MAIL_SERVER (``make run``, the demo)
messages are written to the log instead, so everything works without a mail server.

``queue`` renders a message in the recipient's language (plain text and HTML, from
``templates/emails/<name>.txt`` and ``.html``) and adds it to the request's transaction: an
e-mail exists exactly when the change that caused it was committed. ``deliver`` hands queued
messages to SMTP after the commit; what fails stays pending for the next ``flask send-mail``.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from strategy.extensions import db
from strategy.models import MailState, OutgoingEmail, User

log = logging.getLogger("maalpil.mail")


def queue(
    recipient: User | str,
    kind: str,
    template: str,
    subject: str | None = None,
    dedupe_key: str | None = None,
    **context,
) -> OutgoingEmail | None:
    """Queue one e-mail to a user (in their language) or to a bare address (in Danish).

    ``template`` names ``templates/emails/<template>.txt`` (required) and ``.html`` (optional);
    the text template's first line ``Subject: …`` is the subject unless ``subject`` is given.
    With a ``dedupe_key`` already queued, nothing is added and None is returned."""
    user = recipient if isinstance(recipient, User) else None
    address = user.email if user is not None else str(recipient)
    locale = user.locale if user is not None and user.locale in current_app.config["LANGUAGES"] else "da"
    with force_locale(locale):
        text = render_template(f"emails/{template}.txt", recipient=user, **context)
        try:
            html = render_template(f"emails/{template}.html", recipient=user, **context)
        except TemplateNotFound:
            html = ""
    first, _sep, rest = text.partition("\n")
    if subject is None and first.startswith("Subject:"):
        subject, text = first.removeprefix("Subject:").strip(), rest.lstrip("\n")
    message = OutgoingEmail(
        recipient_id=user.id if user is not None else None,
        to_address=address,
        kind=kind,
        subject=(subject or "Målpil")[:300],
        body_text=text,
        body_html=html,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        db.session.add(message)
        db.session.flush()
        return message
    # A unique key decides between concurrent runs: the loser's savepoint is rolled back.
    if db.session.scalar(sa.select(OutgoingEmail.id).where(OutgoingEmail.dedupe_key == dedupe_key)):
        return None
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except sa.exc.IntegrityError:
        return None
    return message


def absolute_url(endpoint: str, **values) -> str:
    """A link for an e-mail: PUBLIC_BASE_URL and the route, the same in a request and in a
    scheduled command (which has no request to take a host from)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def _mime(message: OutgoingEmail) -> EmailMessage:
    config = current_app.config
    mime = EmailMessage()
    sender = config["MAIL_DEFAULT_SENDER"]
    mime["From"] = formataddr(sender) if isinstance(sender, tuple | list) else sender
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Message-ID"] = make_msgid(domain=_sender_domain(mime["From"]))
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.body_text)
    if message.body_html:
        mime.add_alternative(message.body_html, subtype="html")
    return mime


def _sender_domain(sender: str) -> str:
    return sender.rpartition("@")[2].strip("> ") or "localhost"


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    timeout = config["MAIL_TIMEOUT_SECONDS"]
    if config["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def _claim(ids: list[int] | None, limit: int) -> list[OutgoingEmail]:
    """Pending messages this process will send. On PostgreSQL the rows are locked with SKIP
    LOCKED, so two instances running ``send-mail`` at once never take the same message."""
    query = (
        sa.select(OutgoingEmail)
        .where(OutgoingEmail.state == MailState.PENDING)
        .order_by(OutgoingEmail.id)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(OutgoingEmail.id.in_(ids))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def deliver(messages: list[OutgoingEmail] | None = None, limit: int = 500) -> tuple[int, int]:
    """Send pending messages (the given ones, or any pending): (sent, failed). Commits.

    Each message is marked in the same transaction that claimed it, so a crash between SMTP and
    the commit can at worst send one message twice, never lose one."""
    ids = [m.id for m in messages] if messages is not None else None
    if ids == []:
        return 0, 0
    db.session.commit()  # the messages' own transaction is done before anything is sent
    claimed = _claim(ids, limit)
    if not claimed:
        db.session.commit()
        return 0, 0
    config = current_app.config
    sent = failed = 0
    smtp = None
    try:
        if config["MAIL_SERVER"]:
            smtp = _smtp()
        for message in claimed:
            message.attempts += 1
            try:
                if smtp is None:
                    log.info("e-mail (no MAIL_SERVER, not sent) to %s: %s\n%s", message.to_address,
                             message.subject, message.body_text)
                else:
                    smtp.send_message(_mime(message))
            except (smtplib.SMTPException, OSError) as error:
                _failed(message, error)
                failed += 1
                if _connection_lost(error):
                    break  # the rest waits for the next run
            else:
                message.state = MailState.SENT
                message.sent_at = datetime.now(UTC)
                message.last_error = ""
                sent += 1
    except (smtplib.SMTPException, OSError) as error:
        # Could not connect or sign in: nothing was sent, everything stays pending.
        log.warning("SMTP server %s:%s unavailable: %s", config["MAIL_SERVER"], config["MAIL_PORT"], error)
        for message in claimed:
            if message.state == MailState.PENDING and message.attempts == 0:
                message.last_error = str(error)[:500]
        failed = len([m for m in claimed if m.state == MailState.PENDING])
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
    db.session.commit()
    return sent, failed


def _connection_lost(error: Exception) -> bool:
    """A dropped connection or a timeout, not a refusal of this one message (smtplib's errors
    are OSErrors too, so the refusals are told apart by type)."""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return not isinstance(error, smtplib.SMTPException)


def _failed(message: OutgoingEmail, error: Exception) -> None:
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    log.warning("e-mail %s to %s not sent (attempt %s): %s", message.id, message.to_address,
                message.attempts, message.last_error)
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.state = MailState.FAILED


def deliver_quietly(messages: list[OutgoingEmail]) -> None:
    """Deliver right after a request's commit; a failure leaves the messages for ``send-mail``
    and never turns the user's (already committed) action into an error page."""
    try:
        deliver(messages)
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        log.warning("e-mail delivery postponed: %s", error)
