"""A real SMTP server on loopback for tests and benchmarks (aiosmtpd), which can refuse the first messages."""

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
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refused < self.refuse:
                self.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def count_by_recipient(self) -> Counter:
        return Counter(message["To"] for message in self.messages)


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
