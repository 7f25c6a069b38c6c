"""A real SMTP server on 127.0.0.1 for the delivery tests, and the test e-mail templates."""

import asyncio
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    session: int
    raw: bytes = b""


@dataclass
class RecordingHandler:
    """Accepts mail, except for the addresses told to answer 450 (temporary) or 550 (permanent).

    Every SMTP session that greets the server counts once, so a test can see whether a batch
    reused one connection.
    """

    temporary: set[str] = field(default_factory=set)
    permanent: set[str] = field(default_factory=set)
    # Seconds the server waits before answering DATA: longer than EMAIL_TIMEOUT is a timeout.
    data_delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        with self.lock:
            self.sessions += 1
            session.number = self.sessions
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.permanent:
            return "550 5.1.1 Mailbox does not exist"
        if address in self.temporary:
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
            return "451 4.3.0 Too slow"
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.received.append(
                Received(
                    mail_from=envelope.mail_from,
                    rcpt_tos=list(envelope.rcpt_tos),
                    message=message,
                    session=getattr(session, "number", 0),
                    raw=envelope.original_content,
                )
            )
        return "250 Message accepted"

    def only(self) -> EmailMessage:
        assert len(self.received) == 1, f"expected one message, got {len(self.received)}"
        return self.received[0].message


@pytest.fixture
def mail_templates(settings):
    """Adds tests/mailing/templates to the template directories."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], TEMPLATES_DIR]},
        *settings.TEMPLATES[1:],
    ]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings, mail_templates):
    """A running SMTP server; Django's SMTP backend is pointed at it."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield handler
    controller.stop()


@pytest.fixture
def smtp_down(settings, mail_templates):
    """Django's SMTP backend pointed at a port where nothing listens."""
    use_smtp(settings, free_port())
