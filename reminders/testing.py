"""Test helpers shipped with the app: a real SMTP server on loopback (aiosmtpd, a test dependency) that can
refuse the first messages. Used by the tests and by bench/reminders.py."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller


class Mailbox:
    """Keeps each message the server accepts; refuses the first ``refuse`` with a temporary error."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.refused = 0
        # What arrived, as (recipients, raw message): parsing waits until a test asks, to keep the server quick.
        self.received: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refused < self.refuse:
                self.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def parsed(self) -> list[email.message.EmailMessage]:
        """The messages received, parsed. (A method: aiosmtpd looks its handler's attributes up on each connection.)"""
        return [email.message_from_bytes(content, policy=email.policy.default) for _to, content in self.received]

    def count_by_recipient(self) -> Counter:
        return Counter(recipient for recipients, _content in self.received for recipient in recipients)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(mailbox: Mailbox) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def mailer_settings(controller: Controller) -> dict:
    """A MAILERS setting sending through Django's SMTP backend to ``controller``."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": controller.hostname, "port": controller.port, "timeout": 5},
        }
    }
