"""Crash safety of delivery: a real worker process, killed with SIGKILL at random moments while it
sends a 10,000-message sending to an SMTP sink, and started again until it is done.

What must hold afterwards: every subscriber got the message, nothing was lost, every outbox row
is recorded as sent, and no more copies were sent twice than the worker was killed (a worker
writes each message down in its journal right after the server accepted it, and a restarted
worker records a killed one's journal before it takes anything over, so a kill can catch at
most the one message between the two).
"""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from kotoverkko.mailing import services, tokens
from kotoverkko.mailing.batches import batch_create
from kotoverkko.mailing.models import (
    MailBatch,
    MailingList,
    OutboxMessage,
    Subscriber,
    Subscription,
)
from tests.factories import NetworkFactory
from tests.mailing.conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = 10_000
KILLS = 4
SEED = 20250901
# How long after the worker's first message of a run it may be killed, in seconds.
KILL_AFTER = (0.05, 0.8)
CLAIM_TIMEOUT_SECONDS = 2
RUN_TIMEOUT = 60


class CountingSink:
    """Accepts every message and counts the copies per recipient and return path."""

    def __init__(self):
        self.lock = threading.Lock()
        self.copies: Counter[str] = Counter()
        self.return_paths: set[str] = set()
        self.total = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.copies[recipient] += 1
            self.return_paths.add(envelope.mail_from)
            self.total += 1
        return "250 Message accepted"


@pytest.fixture
def sink():
    handler = CountingSink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def database_url() -> str:
    """The test database, as the worker process opens it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}"


def worker_env(port: int, data_dir) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "EMAIL_", "OUTBOX_", "DATABASE_", "TEST_SQLITE"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kotoverkko.conf.settings",
            "KOTOVERKKO_PROFILE": "test",
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "OUTBOX_BATCH_SIZE": "100",
            "OUTBOX_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT_SECONDS),
            "MAIL_DOMAIN": settings.MAIL_DOMAIN,
            "SITE_URL": settings.SITE_URL,
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kotoverkko", "outbox_work", "--until-empty"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def a_sending_to_every_subscriber() -> MailBatch:
    network = NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO")
    mailing_list = MailingList.objects.create(network=network)
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"tilaaja{number}@example.fi") for number in range(MESSAGES)],
        batch_size=2000,
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                mailing_list=mailing_list,
                subscriber_id=pk,
                status=Subscription.Status.ACTIVE,
                source=Subscription.Source.IMPORT,
                confirmed_at=now,
            )
            for pk in Subscriber.objects.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    return batch_create(
        title="Syyskuun tiedote",
        mailing_list=mailing_list,
        language="fi",
        subject="Syyskuun tiedote – Åbo ja Hämeenlinna",
        body_text="Hei!\n\nPeru tilaus: %%unsubscribe_url%%\n",
        body_html='<p>Hei!</p><p><a href="%%unsubscribe_url%%">Peru tilaus</a></p>',
        recipients=Subscriber.objects.all(),
        key_prefix="crash-test",
    )


def test_killed_worker_loses_nothing_and_duplicates_at_most_one_per_kill(
    sink, tmp_path, monkeypatch
):
    # given a 10,000-message sending that the test process does not deliver itself
    handler, port = sink
    monkeypatch.setattr(services, "_enqueue_delivery", lambda: None)
    batch = a_sending_to_every_subscriber()
    assert batch.total == MESSAGES
    env = worker_env(port, tmp_path)
    rng = random.Random(SEED)

    # when the worker is killed several times at random moments while it sends
    kills = 0
    for _ in range(KILLS):
        worker = start_worker(env)
        sent_before = handler.total
        try:
            wait_for(
                lambda before=sent_before: handler.total > before,
                RUN_TIMEOUT,
                "the worker to send",
            )
            time.sleep(rng.uniform(*KILL_AFTER))
        finally:
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                kills += 1
            worker.communicate(timeout=RUN_TIMEOUT)
    # and finally runs until the sending is done
    worker = start_worker(env)
    out, err = worker.communicate(timeout=RUN_TIMEOUT)

    # then
    assert worker.returncode == 0, err.decode()
    assert kills == KILLS
    recipients = {f"tilaaja{number}@example.fi" for number in range(MESSAGES)}
    assert set(handler.copies) == recipients, "a subscriber got nothing"
    duplicates = handler.total - MESSAGES
    assert 0 <= duplicates <= kills
    assert sum(1 for copies in handler.copies.values() if copies > 1) == duplicates
    statuses = Counter(OutboxMessage.objects.filter(batch=batch).values_list("status", flat=True))
    assert statuses == {OutboxMessage.Status.SENT: MESSAGES}
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.DONE
    # every copy went out with its own signed return path
    message_ids = {
        tokens.bounce_token_read(path.split("+", 1)[1].split("@")[0])
        for path in handler.return_paths
    }
    assert message_ids == set(batch.messages.values_list("pk", flat=True))
