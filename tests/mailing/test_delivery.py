"""Queueing and SMTP delivery of the outbox, against a real SMTP server on 127.0.0.1."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from kotoverkko.common.models import AuditEntry
from kotoverkko.mailing import services
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.mailing.services import (
    claim_timeout,
    message_queue,
    outbox_deliver,
    outbox_retry,
)
from kotoverkko.mailing.tasks import outbox_deliver_due
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queue(to="aino@example.fi", key=None, template="mailtest/greeting", **kwargs):
    kwargs.setdefault("language", "fi")
    kwargs.setdefault("context", {"topic": "Kotoutuminen"})
    return message_queue(to=to, template=template, key=key or f"test:{to}", **kwargs)


def make_due(*messages):
    """Move the next attempt of these messages to the past, as if their wait were over."""
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.parametrize(
    ("language", "weekday"),
    [("fi", "maanantai"), ("sv", "måndag"), ("en", "Monday")],
)
def test_message_is_rendered_and_sent_in_recipient_language(smtp_server, language, weekday):
    # given
    queue(language=language)

    # when
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 1
    sent = smtp_server.only()
    assert sent["Subject"] == f"[{language}] {weekday} Kotoutuminen"
    text = sent.get_body(preferencelist=("plain",)).get_content()
    assert f"{weekday}: Kotoutuminen" in text
    assert f"/{language}/outbox/" in text
    assert OutboxMessage.objects.get().language == language


def test_unknown_language_falls_back_to_finnish(mail_templates):
    # when
    message = queue(language="de")

    # then
    assert message.language == "fi"
    assert message.subject == "[fi] maanantai Kotoutuminen"


def test_password_reset_link_has_the_recipient_language_prefix(smtp_server, settings):
    # given
    settings.SITE_URL = "https://kotoverkko.example"
    message_queue(
        to="erik@example.fi",
        template="accounts/email/password_reset",
        context={"uid": "MQ", "token": "abc-123", "name": "Erik Lindqvist"},
        language="sv",
        key="password-reset:1:abc-123",
    )

    # when
    outbox_deliver()

    # then
    sent = smtp_server.only()
    text = sent.get_body(preferencelist=("plain",)).get_content()
    html = sent.get_body(preferencelist=("html",)).get_content()
    assert "Erik Lindqvist" in text
    assert "https://kotoverkko.example/sv/accounts/reset/MQ/abc-123/" in text
    assert 'href="https://kotoverkko.example/sv/accounts/reset/MQ/abc-123/"' in html
    assert '<html lang="sv">' in html


def test_text_part_is_not_html_escaped(smtp_server):
    # given
    queue(context={"topic": "Koulutus & työ <Rovaniemi>"})

    # when
    outbox_deliver()

    # then
    sent = smtp_server.only()
    assert "Koulutus & työ <Rovaniemi>" in sent.get_body(preferencelist=("plain",)).get_content()
    assert (
        "Koulutus &amp; työ &lt;Rovaniemi&gt;"
        in sent.get_body(preferencelist=("html",)).get_content()
    )


def test_same_key_queued_twice_gives_one_row(mail_templates):
    # given
    first = queue(key="newsletter:7:42")

    # when
    second = queue(key="newsletter:7:42", context={"topic": "Toinen"})

    # then
    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().subject == "[fi] maanantai Kotoutuminen"


def test_nothing_is_queued_when_the_transaction_rolls_back(
    smtp_server, django_capture_on_commit_callbacks
):
    # given
    def change_that_fails():
        with transaction.atomic():
            queue()
            raise RuntimeError("the change that caused the message failed")

    # when
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        change_that_fails()

    # then
    assert not OutboxMessage.objects.exists()
    assert callbacks == []
    assert smtp_server.received == []


def test_delivery_starts_when_the_transaction_commits(
    smtp_server, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        queue(to="a@example.fi")
        queue(to="b@example.fi")
        queue(to="c@example.fi")
    assert smtp_server.received == []

    # when
    for callback in callbacks:
        callback()

    # then
    assert len(callbacks) == 1, "one delivery task per transaction is enough"
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == [
        "a@example.fi",
        "b@example.fi",
        "c@example.fi",
    ]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_batch_is_sent_over_one_connection(smtp_server):
    # given
    for number in range(6):
        queue(to=f"member{number}@example.fi")

    # when
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 6
    assert len(smtp_server.received) == 6
    assert smtp_server.sessions == 1
    assert {r.session for r in smtp_server.received} == {1}
    sent = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT)
    assert sent.count() == 6
    assert all(m.sent_at is not None and m.attempts == 1 for m in sent)


def test_refused_recipients_do_not_break_the_connection_for_the_rest(smtp_server):
    # given
    smtp_server.permanent.add("gone@example.fi")
    smtp_server.temporary.add("busy@example.fi")
    queue(to="first@example.fi")
    queue(to="gone@example.fi")
    queue(to="busy@example.fi")
    queue(to="last@example.fi")

    # when
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 2
    assert counts["failed"] == 1
    assert counts["retry"] == 1
    assert [r.rcpt_tos[0] for r in smtp_server.received] == ["first@example.fi", "last@example.fi"]
    assert smtp_server.sessions == 1


def test_temporary_refusal_queues_again_with_growing_backoff(smtp_server):
    # given
    smtp_server.temporary.add("busy@example.fi")
    message = queue(to="busy@example.fi")

    # when
    before = timezone.now()
    outbox_deliver()

    # then
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1
    assert "450" in message.last_error
    first_wait = message.next_attempt_at - before
    assert first_wait >= timedelta(minutes=4)

    # when the wait is over and the server still refuses
    make_due(message)
    before = timezone.now()
    outbox_deliver()

    # then
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 2
    second_wait = message.next_attempt_at - before
    assert second_wait > first_wait * 1.5

    # when the wait is over and the server accepts
    smtp_server.temporary.clear()
    make_due(message)
    outbox_deliver()

    # then
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.last_error == ""
    assert message.attempts == 3


def test_message_not_yet_due_is_not_sent(smtp_server):
    # given
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )

    # when
    counts = outbox_deliver()

    # then
    assert counts["due"] == 0
    assert smtp_server.received == []


def test_permanent_refusal_marks_message_failed(smtp_server):
    # given
    smtp_server.permanent.add("gone@example.fi")
    message = queue(to="gone@example.fi")

    # when
    counts = outbox_deliver()

    # then
    assert counts["failed"] == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error
    assert "Mailbox does not exist" in message.last_error
    assert message.sent_at is None


def test_server_down_defers_messages_without_failing_them(smtp_down):
    # given
    first = queue(to="a@example.fi")
    second = queue(to="b@example.fi")

    # when
    before = timezone.now()
    counts = outbox_deliver()

    # then
    assert counts["deferred"] == 2
    assert counts["failed"] == 0
    for message in (first, second):
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.QUEUED
        assert message.attempts == 0
        assert "Connection refused" in message.last_error
        assert message.next_attempt_at > before


def test_messages_deferred_while_server_was_down_are_sent_when_it_is_back(smtp_down, smtp_server):
    # given (smtp_server came last, so the settings point at the running server)
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        last_error="ConnectionRefusedError: [Errno 111] Connection refused"
    )

    # when
    outbox_deliver()

    # then
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.last_error == ""
    assert len(smtp_server.received) == 1


def test_message_left_sending_by_a_crashed_worker_is_sent_again(smtp_server):
    # given
    stale = queue(to="stale@example.fi")
    fresh = queue(to="fresh@example.fi")
    now = timezone.now()
    OutboxMessage.objects.filter(pk=stale.pk).update(
        status=OutboxMessage.Status.SENDING,
        claimed_at=now - claim_timeout() - timedelta(minutes=1),
        attempts=1,
    )
    OutboxMessage.objects.filter(pk=fresh.pk).update(
        status=OutboxMessage.Status.SENDING, claimed_at=now - timedelta(minutes=1), attempts=1
    )

    # when
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 1
    assert [r.rcpt_tos for r in smtp_server.received] == [["stale@example.fi"]]
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == OutboxMessage.Status.SENT
    assert stale.attempts == 2
    assert stale.claimed_at is None
    assert fresh.status == OutboxMessage.Status.SENDING


def test_message_interrupted_more_than_max_attempts_is_failed_without_sending(
    smtp_server, settings
):
    # given
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING,
        claimed_at=timezone.now() - claim_timeout() - timedelta(minutes=1),
        attempts=3,
    )

    # when
    outbox_deliver()

    # then
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "interrupted" in message.last_error
    assert smtp_server.received == []


def test_temporary_failure_on_the_last_attempt_marks_message_failed(smtp_server, settings):
    # given
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.temporary.add("busy@example.fi")
    message = queue(to="busy@example.fi")
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=2)

    # when
    counts = outbox_deliver()

    # then
    assert counts["failed"] == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert "450" in message.last_error


def test_of_two_claims_of_the_same_row_only_one_wins(mail_templates):
    # given two workers that both read the same due row
    message = queue()
    due_for_first = services._due_ids(10)
    due_for_second = services._due_ids(10)
    assert due_for_first == due_for_second == [message.pk]

    # when both try to take it
    first = services._claim(due_for_first)
    second = services._claim(due_for_second)

    # then
    assert [m.pk for m in first] == [message.pk]
    assert first[0].status == OutboxMessage.Status.SENDING
    assert second == []
    message.refresh_from_db()
    assert message.attempts == 1


def _allows_concurrent_writers() -> bool:
    """In-memory SQLite (the default test database) locks whole tables between threads."""
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_exactly_once(smtp_server, monkeypatch):
    if not _allows_concurrent_writers():
        pytest.skip("needs PostgreSQL or a file SQLite test database (TEST_SQLITE_NAME)")
    # given twenty due messages, and two workers that read the same due rows before claiming
    monkeypatch.setattr(services, "_enqueue_delivery", lambda: None)
    for number in range(20):
        queue(to=f"member{number}@example.fi")
    read_due_ids = services._due_ids
    both_have_read = threading.Barrier(2, timeout=10)

    def due_ids_then_wait(limit):
        ids = read_due_ids(limit)
        both_have_read.wait()
        return ids

    monkeypatch.setattr(services, "_due_ids", due_ids_then_wait)
    results, errors = [], []

    def worker():
        try:
            results.append(outbox_deliver())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert errors == []
    assert [result["due"] for result in results] == [20, 20]
    assert sum(result["sent"] for result in results) == 20
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == sorted(
        f"member{number}@example.fi" for number in range(20)
    )
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_a_row_claimed_by_another_worker_is_skipped(smtp_server, monkeypatch):
    # given a worker that read the due rows just before another worker claimed one of them
    taken = queue(to="taken@example.fi")
    free = queue(to="free@example.fi")
    due = services._due_ids(10)
    services._claim([taken.pk])
    monkeypatch.setattr(services, "_due_ids", lambda limit: due)

    # when
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 1
    assert [r.rcpt_tos for r in smtp_server.received] == [["free@example.fi"]]
    taken.refresh_from_db()
    assert taken.status == OutboxMessage.Status.SENDING
    assert taken.attempts == 1
    assert free.pk in due


def test_headers_stored_on_the_row_are_sent(smtp_server):
    # given
    queue(
        to_name='Äiti Ölander, "ry"',
        headers={
            "List-Unsubscribe": "<https://example.fi/unsubscribe/abc>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )

    # when
    outbox_deliver()

    # then
    sent = smtp_server.only()
    assert sent["List-Unsubscribe"] == "<https://example.fi/unsubscribe/abc>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent["Auto-Submitted"] == "auto-generated"
    (recipient,) = sent["To"].addresses
    assert recipient.display_name == 'Äiti Ölander, "ry"'
    assert recipient.addr_spec == "aino@example.fi"


def test_header_with_a_line_break_is_refused_when_queued(mail_templates):
    # when / then
    with pytest.raises(ValueError, match="header"):
        queue(headers={"X-Test": "a\r\nBcc: someone@example.com"})
    assert not OutboxMessage.objects.exists()


def test_invalid_recipient_is_refused_when_queued(mail_templates):
    # when / then
    with pytest.raises(ValidationError):
        queue(to="not an address")
    assert not OutboxMessage.objects.exists()


def test_html_alternative_is_sent_when_an_html_template_exists(smtp_server):
    # given
    queue(to="html@example.fi", template="mailtest/greeting")
    queue(to="text@example.fi", template="mailtest/plain")

    # when
    outbox_deliver()

    # then
    by_recipient = {r.rcpt_tos[0]: r.message for r in smtp_server.received}
    with_html = by_recipient["html@example.fi"]
    assert with_html.get_content_type() == "multipart/alternative"
    html = with_html.get_body(preferencelist=("html",)).get_content()
    assert "<strong>Kotoutuminen</strong>" in html
    text_only = by_recipient["text@example.fi"]
    assert text_only.get_content_type() == "text/plain"
    assert text_only.get_content().strip() == "Only text: Kotoutuminen"
    assert OutboxMessage.objects.get(to_email="text@example.fi").body_html == ""


def test_failed_message_can_be_sent_again(smtp_server, django_capture_on_commit_callbacks):
    # given a message refused before the address was fixed
    message = OutboxMessage.objects.create(
        key="join-request-decided:5",
        to_email="fixed@example.fi",
        language="fi",
        subject="Hakemus",
        body_text="Tervetuloa",
        status=OutboxMessage.Status.FAILED,
        attempts=1,
        last_error="SMTPRecipientsRefused: 550",
    )
    admin = UserFactory(is_superuser=True)

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outbox_retry(actor=admin, message=message)

    # then
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.last_error == ""
    assert smtp_server.only()["Subject"] == "Hakemus"
    entry = AuditEntry.objects.get(model="mailing.outboxmessage")
    assert entry.actor == admin
    assert entry.changes == {"status": ["failed", "queued"]}


def test_only_a_failed_message_can_be_sent_again(mail_templates):
    # given
    message = queue()
    admin = UserFactory(is_superuser=True)

    # when / then
    with pytest.raises(ValidationError):
        outbox_retry(actor=admin, message=message)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert not AuditEntry.objects.exists()


def test_delivery_task_works_through_every_batch(smtp_server, settings):
    # given
    settings.OUTBOX_BATCH_SIZE = 2
    for number in range(5):
        queue(to=f"member{number}@example.fi")

    # when
    total = outbox_deliver_due.call()

    # then
    assert total == {"sent": 5, "retry": 0, "failed": 0, "skipped": 0, "deferred": 0}
    assert len(smtp_server.received) == 5


def test_delivery_task_ends_when_the_server_is_down(smtp_down, settings):
    # given a full batch that includes a message a crashed worker left behind
    settings.OUTBOX_BATCH_SIZE = 2
    left_behind = queue(to="left@example.fi")
    queue(to="new@example.fi")
    OutboxMessage.objects.filter(pk=left_behind.pk).update(
        status=OutboxMessage.Status.SENDING,
        claimed_at=timezone.now() - claim_timeout() - timedelta(minutes=1),
    )

    # when
    total = outbox_deliver_due.call()

    # then
    assert total == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0, "deferred": 1}
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sending", "queued"}


def test_nothing_is_queued_while_mail_is_suppressed(mail_templates):
    # given / when
    with services.mail_suppressed():
        suppressed = queue(to="historia@example.fi")
    queue(to="nyt@example.fi")
    # then
    assert suppressed is None
    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == ["nyt@example.fi"]
    assert not services.mail_is_suppressed()


def test_calendar_part_is_sent_with_the_method_of_its_calendar(smtp_server):
    # given
    calendar = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
    # when
    with pytest.raises(ValueError, match="METHOD"):
        queue(to="a@example.fi", key="k1", calendar=("REQUEST", calendar))
    queue(to="b@example.fi", key="k2", calendar=("CANCEL", calendar))
    outbox_deliver()
    # then
    sent = smtp_server.only()
    parts = [part for part in sent.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 2  # the alternative body and the invite.ics file
    assert {part.get_param("method") for part in parts} == {"CANCEL"}
    assert any(part.get_filename() == "invite.ics" for part in parts)
