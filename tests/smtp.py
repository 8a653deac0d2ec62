"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), and one that refuses or drops."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Inbox:
    """What the server received, as parsed e-mail messages."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)
    refuse: bool = False  # answer every message with a temporary failure (451)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message: email.message.EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def html(message: email.message.EmailMessage) -> str:
        part = message.get_body(("html",))
        return part.get_content() if part is not None else ""


@contextmanager
def smtp_server():
    """Yield (inbox, port) of an SMTP server that runs until the block ends."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class _Dropping(SMTP):
    async def smtp_DATA(self, arg):
        # Hang up in the middle of the conversation, as a crashing server does.
        self.transport.close()


@contextmanager
def dropping_smtp_server():
    """An SMTP server that accepts the connection and hangs up when the message is sent."""
    port = free_port()

    class DroppingController(Controller):
        def factory(self):
            return _Dropping(self.handler)

    controller = DroppingController(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
