"""A real SMTP server for tests (aiosmtpd on a free local port) and the settings that send kpo's mail
to it."""

from __future__ import annotations

import email
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.ports import free_port_in

BASE = "https://kpo.example.org"
SENDER = "kpo <noreply@kpo.example.org>"


class Inbox:
    """An aiosmtpd handler keeping each message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[Message]:
        return [email.message_from_bytes(bytes(e.original_content or b"")) for e in self.envelopes]


def smtp_settings(settings: Any, port: int) -> None:
    """Send kpo's mail by SMTP to 127.0.0.1:`port`, with links on BASE."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = SENDER
    settings.KPO_BASE_URL = BASE


@contextmanager
def running_smtp_server(settings: Any, ports: range) -> Iterator[Inbox]:
    """A server on a free port of `ports`, with kpo's mail going to it, until the block ends."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port_in(ports))
    controller.start()
    try:
        smtp_settings(settings, controller.port)
        yield inbox
    finally:
        controller.stop()
