"""The sent-journal of a delivering worker: lines written as the server accepts messages, recorded
in bulk, and the journals of dead workers recorded before anything is taken over."""

import fcntl
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from kotoverkko.mailing import journal
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.mailing.services import outbox_deliver, outbox_deliver_all

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _journals(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def sending_rows(count: int) -> list[OutboxMessage]:
    """Messages a worker has claimed and not yet recorded."""
    now = timezone.now()
    return [
        OutboxMessage.objects.create(
            key=f"journal:{number}",
            to_email=f"tilaaja{number}@example.fi",
            language="fi",
            subject="Tiedote",
            body_text="Hei",
            status=OutboxMessage.Status.SENDING,
            claimed_at=now,
            attempts=1,
        )
        for number in range(count)
    ]


def left_journal(lines: str) -> os.PathLike:
    """A journal as a killed worker leaves it: written, and locked by nobody."""
    directory = journal.journal_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "kone-4242-deadbeef.log"
    path.write_text(lines)
    return path


def test_dead_workers_journal_is_recorded_and_removed():
    # given two messages written down by a worker that was killed, and a third it was sending
    first, second, third = sending_rows(3)
    accepted = timezone.now().replace(microsecond=0) - timedelta(minutes=3)
    path = left_journal(
        f"{first.pk} {accepted.isoformat()}\n{second.pk} {accepted.isoformat()}\n{third.pk} 20"
    )
    # when
    recovered = journal.journals_recover()
    # then the two are sent at the time they were accepted; the cut line is not trusted
    assert recovered == 2
    rows = {row.pk: row for row in OutboxMessage.objects.all()}
    assert rows[first.pk].status == rows[second.pk].status == OutboxMessage.Status.SENT
    assert rows[first.pk].sent_at == accepted
    assert rows[first.pk].claimed_at is None
    assert rows[third.pk].status == OutboxMessage.Status.SENDING
    assert not path.exists()


def test_journal_of_a_running_worker_is_left_alone():
    # given a journal whose worker is alive and holds its lock
    (message,) = sending_rows(1)
    path = left_journal(f"{message.pk} {timezone.now().isoformat()}\n")
    holder = os.open(path, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        # when
        recovered = journal.journals_recover()
    finally:
        os.close(holder)
    # then
    assert recovered == 0
    assert path.exists()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING


def test_recording_twice_changes_nothing_more():
    (message,) = sending_rows(1)
    entry = [(message.pk, timezone.now())]
    assert journal.record_sent(entry) == 1
    assert journal.record_sent(entry) == 0


def test_worker_writes_down_each_message_and_records_them_in_bulk(smtp_server):
    # given
    messages = []
    for number in range(5):
        messages.append(
            OutboxMessage.objects.create(
                key=f"queued:{number}",
                to_email=f"lukija{number}@example.fi",
                language="fi",
                subject="Tiedote",
                body_text="Hei",
                next_attempt_at=timezone.now(),
            )
        )
    written = []
    original = journal.SentJournal.record

    def spy(self, message_id, sent_at):
        written.append(message_id)
        original(self, message_id, sent_at)

    # when
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(journal.SentJournal, "record", spy)
        counts = outbox_deliver_all()
    # then every message went through the journal, is recorded, and no journal is left
    assert counts["sent"] == 5
    assert sorted(written) == sorted(m.pk for m in messages)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert list(journal.journal_dir().glob("*")) == []


def test_delivery_records_a_dead_workers_journal_before_taking_over(smtp_server, settings):
    # given a killed worker's claims, long stale, of which it had sent the first
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 1
    first, second = sending_rows(2)
    stale = timezone.now() - timedelta(minutes=5)
    OutboxMessage.objects.update(claimed_at=stale)
    left_journal(f"{first.pk} {stale.isoformat()}\n")
    # when another worker delivers
    counts = outbox_deliver()
    # then only the unsent one goes out again
    assert counts["sent"] == 1
    assert [r.rcpt_tos for r in smtp_server.received] == [[second.to_email]]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
