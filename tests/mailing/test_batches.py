"""Mass sendings: freezing the recipients, delivery over SMTP with each recipient's links, the
list headers, the VERP return path, skipping those who left, pause, resume, cancel, progress,
and what goes on the wire (CRLF, line lengths, encodings, no header injection)."""

import re
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kotoverkko.common.models import AuditEntry
from kotoverkko.mailing import batches, services, subscriptions, tokens, wire
from kotoverkko.mailing.batches import batch_cancel, batch_create, batch_pause, batch_resume
from kotoverkko.mailing.models import ConsentRecord, MailBatch, OutboxMessage, Subscription
from kotoverkko.mailing.services import message_queue, outbox_deliver, outbox_deliver_all
from kotoverkko.mailing.wire import MassMessage
from tests.factories import NetworkFactory, PersonFactory, UserFactory
from tests.mailing.factories import MailingListFactory, SubscriberFactory, subscribed

pytestmark = pytest.mark.django_db

SUBJECT = "Syyskuun tiedote: Åbo, Hämeenlinna ja Östersund"
TEXT = (
    "Hei!\n\nTämän kuun uutiset.\n\n"
    "Asetukset: %%preferences_url%%\nPeru tilaus: %%unsubscribe_url%%\nOsoite: %%email%%\n"
)
HTML = (
    "<p>Hei!</p><p>Tämän kuun uutiset.</p>"
    '<p><a href="%%preferences_url%%">Asetukset</a> · '
    '<a href="%%unsubscribe_url%%">Peru tilaus</a></p>'
)
Status = OutboxMessage.Status


@pytest.fixture(autouse=True)
def _addresses(settings):
    settings.SITE_URL = "https://kotoverkko.example"
    settings.MAIL_DOMAIN = "lists.kotoverkko.example"
    settings.DEFAULT_FROM_EMAIL = "Kotoverkko <noreply@kotoverkko.example>"


@pytest.fixture
def mailing_list():
    network = NetworkFactory(
        slug="lapin-mako",
        name_fi="Lapin MAKO-verkosto",
        name_sv="Lapplands MAKO-nätverk",
        name_en="Lapland MAKO network",
    )
    return MailingListFactory(network=network)


def send(mailing_list, *, recipients=None, key_prefix="bulletin:1", **kwargs) -> MailBatch:
    fields = {
        "title": "Syyskuun tiedote",
        "language": "fi",
        "subject": SUBJECT,
        "body_text": TEXT,
        "body_html": HTML,
        **kwargs,
    }
    if recipients is None:
        recipients = subscriptions.list_recipients(mailing_list)
    return batch_create(
        mailing_list=mailing_list, recipients=recipients, key_prefix=key_prefix, **fields
    )


def by_recipient(smtp_server) -> dict:
    return {received.rcpt_tos[0]: received for received in smtp_server.received}


def unfolded(value: str) -> str:
    return re.sub(r"\r?\n[ \t]", " ", str(value))


# Creating a sending ---------------------------------------------------------------------------


def test_create_freezes_the_recipients_with_one_row_each(mailing_list):
    # given three active subscribers, one who left and one who has not confirmed
    active = [subscribed(mailing_list) for _ in range(3)]
    left = subscribed(mailing_list)
    subscriptions.unsubscribe(
        subscriber=left, mailing_list=mailing_list, basis=ConsentRecord.Basis.PREFERENCES
    )
    pending = SubscriberFactory()
    Subscription.objects.create(
        mailing_list=mailing_list, subscriber=pending, source=Subscription.Source.FORM
    )

    # when
    batch = send(mailing_list)
    subscribed(mailing_list)  # joins after the sending was created

    # then
    assert batch.total == 3
    assert batch.status == MailBatch.Status.SENDING
    rows = OutboxMessage.objects.filter(batch=batch).order_by("subscriber_id")
    assert [row.subscriber_id for row in rows] == [s.pk for s in active]
    assert [row.key for row in rows] == [f"bulletin:1:{s.pk}" for s in active]
    assert {row.status for row in rows} == {Status.QUEUED}
    assert all(row.subject == "" and row.body_text == "" for row in rows)
    assert batch.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert batch.from_email == '"Lapin MAKO-verkosto" <noreply@kotoverkko.example>'


def test_second_create_with_the_same_key_prefix_queues_nothing_twice(mailing_list):
    # given
    for _ in range(3):
        subscribed(mailing_list)
    first = send(mailing_list)

    # when
    subscribed(mailing_list)
    second = send(mailing_list, subject="Toinen yritys")

    # then
    assert second.pk == first.pk
    assert MailBatch.objects.count() == 1
    assert OutboxMessage.objects.count() == 3


def test_recipients_may_be_a_list_and_duplicates_get_one_row(mailing_list):
    # given
    aino, erik = subscribed(mailing_list), subscribed(mailing_list)

    # when
    batch = send(mailing_list, recipients=[aino, erik, aino])

    # then
    assert batch.total == 2
    assert set(batch.messages.values_list("to_email", flat=True)) == {aino.email, erik.email}


def test_recipient_name_comes_from_the_person(mailing_list):
    # given
    person = PersonFactory(first_name="Åsa", last_name="Hämäläinen-Öhman")
    subscriber = subscribed(mailing_list, person=person)

    # when
    batch = send(mailing_list)

    # then
    assert batch.messages.get(subscriber=subscriber).to_name == "Åsa Hämäläinen-Öhman"


@pytest.mark.parametrize(
    "subject", ["Tiedote\r\nBcc: kaikki@example.com", "Tiedote\nX-Evil: 1", "   "]
)
def test_subject_with_a_line_break_or_nothing_in_it_is_refused(mailing_list, subject):
    # given
    subscribed(mailing_list)

    # when / then
    with pytest.raises(ValidationError):
        send(mailing_list, subject=subject)
    assert not MailBatch.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_sending_without_recipients_is_done_at_once(mailing_list):
    # when
    batch = send(mailing_list)

    # then
    assert batch.total == 0
    assert batch.status == MailBatch.Status.DONE
    assert batch.finished_at is not None


def test_sending_created_while_mail_is_suppressed_is_history(mailing_list, smtp_server):
    # given
    subscribed(mailing_list)

    # when
    with services.mail_suppressed():
        batch = send(mailing_list)
    counts = outbox_deliver()

    # then
    assert batch.status == MailBatch.Status.DONE
    assert set(batch.messages.values_list("status", flat=True)) == {Status.SENT}
    assert counts["due"] == 0
    assert smtp_server.received == []


def test_delivery_starts_when_the_transaction_commits(
    mailing_list, smtp_server, django_capture_on_commit_callbacks
):
    # given
    for _ in range(3):
        subscribed(mailing_list)

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = send(mailing_list)

    # then
    assert len(callbacks) == 1
    assert len(smtp_server.received) == 3
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.DONE
    assert batch.finished_at is not None


# What each recipient gets -----------------------------------------------------------------------


def test_each_copy_has_the_recipients_own_links_and_list_headers(mailing_list, smtp_server):
    # given
    aino = subscribed(mailing_list, email="aino@example.fi")
    erik = subscribed(mailing_list, email="erik@example.fi")
    send(mailing_list)

    # when
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 2
    received = by_recipient(smtp_server)
    for subscriber in (aino, erik):
        sent = received[subscriber.email].message
        unsubscribe = subscriptions.unsubscribe_url(subscriber.pk, mailing_list.pk)
        mailto = subscriptions.unsubscribe_mailto(subscriber.pk, mailing_list.pk)
        preferences = subscriptions.preferences_url(subscriber.pk, "fi")
        assert unfolded(sent["List-Unsubscribe"]) == f"<{unsubscribe}>, <{mailto}>"
        assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert sent["List-Id"] == (
            f"Lapin MAKO-verkosto <list-{mailing_list.pk}.lists.kotoverkko.example>"
        )
        assert sent["Precedence"] == "list"
        text = sent.get_body(preferencelist=("plain",)).get_content()
        assert f"Asetukset: {preferences}\r\n" in text or f"Asetukset: {preferences}\n" in text
        assert f"Peru tilaus: {unsubscribe}" in text
        assert f"Osoite: {subscriber.email}" in text
        html = sent.get_body(preferencelist=("html",)).get_content()
        assert f'<a href="{unsubscribe}">Peru tilaus</a>' in html
        assert f'<a href="{preferences}">Asetukset</a>' in html
        assert "%%" not in text + html
    assert unsubscribe.startswith("https://kotoverkko.example/mail/unsubscribe/")
    assert preferences.startswith("https://kotoverkko.example/fi/lists/preferences/")


def test_links_of_a_swedish_edition_open_swedish_pages(mailing_list, smtp_server):
    # given
    subscriber = subscribed(mailing_list, language="sv")
    send(mailing_list, language="sv", subject="Månadsbrev", body_text="%%preferences_url%%")

    # when
    outbox_deliver()

    # then
    text = smtp_server.only().get_body(preferencelist=("plain",)).get_content()
    assert text.strip() == subscriptions.preferences_url(subscriber.pk, "sv")
    assert "/sv/lists/preferences/" in text


def test_envelope_sender_is_the_messages_own_bounce_address(mailing_list, smtp_server):
    # given
    subscriber = subscribed(mailing_list)
    send(mailing_list)
    message_queue(
        to="erik@example.fi",
        template="mailtest/greeting",
        context={"topic": "Kotoutuminen"},
        language="fi",
        key="single",
    )

    # when
    outbox_deliver()

    # then each message's return path names the message, and From stays the site's
    for received in smtp_server.received:
        row = OutboxMessage.objects.get(to_email=received.rcpt_tos[0])
        token = tokens.bounce_token(row.pk)
        assert received.mail_from == f"bounce+{token}@lists.kotoverkko.example"
        assert tokens.bounce_token_read(received.mail_from[7:].split("@")[0]) == row.pk
        assert received.message["Message-ID"] == f"<{token}@lists.kotoverkko.example>"
    sent = by_recipient(smtp_server)
    list_from = sent[subscriber.email].message["From"].addresses[0]
    assert (list_from.display_name, list_from.addr_spec) == (
        "Lapin MAKO-verkosto",
        "noreply@kotoverkko.example",
    )
    assert sent["erik@example.fi"].message["From"] == "Kotoverkko <noreply@kotoverkko.example>"


def test_a_copy_sent_again_keeps_its_message_id(mailing_list, smtp_server):
    # given a copy that was sent, and then taken over as if its worker had died before
    # recording it
    subscribed(mailing_list)
    batch = send(mailing_list)
    outbox_deliver()
    batch.messages.update(status=Status.QUEUED)
    MailBatch.objects.filter(pk=batch.pk).update(status=MailBatch.Status.SENDING)

    # when
    outbox_deliver()

    # then
    first, second = smtp_server.received
    assert first.message["Message-ID"] == second.message["Message-ID"]


# On the wire -----------------------------------------------------------------------------------


def test_wire_has_crlf_line_ends_short_lines_and_encoded_headers(mailing_list, smtp_server):
    # given one very long HTML line and a long text line, and names beyond ASCII
    person = PersonFactory(first_name="Åsa", last_name="Hämäläinen-Öhman")
    subscribed(mailing_list, email="asa@example.fi", person=person)
    long_html = "<p>" + "Kotoutuminen ja työllisyys – välittäjäorganisaatiot. " * 200 + "</p>"
    long_text = "Pitkä rivi ilman rivinvaihtoa: " + "äöå " * 1500
    send(
        mailing_list,
        body_html=long_html + HTML,
        body_text=long_text + "\n" + TEXT,
    )

    # when
    outbox_deliver()

    # then every line ends in CRLF, none is longer than 998 octets, headers are ASCII
    raw = smtp_server.received[0].raw
    assert b"\n" not in raw.replace(b"\r\n", b""), "a line ends without CR"
    assert b"\r" not in raw.replace(b"\r\n", b""), "a CR without LF"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert b"=?utf-8?" in head
    # and the message reads back as written
    sent = message_from_bytes(raw, policy=policy.default)
    assert sent["Subject"] == SUBJECT
    (recipient,) = sent["To"].addresses
    assert recipient.display_name == "Åsa Hämäläinen-Öhman"
    assert recipient.addr_spec == "asa@example.fi"
    text_part = sent.get_body(preferencelist=("plain",))
    html_part = sent.get_body(preferencelist=("html",))
    assert text_part.get_content_charset() == "utf-8"
    assert text_part.get_content().replace("\r\n", "\n").startswith(long_text + "\n")
    assert html_part.get_content().startswith(long_html)
    assert sent.get_content_type() == "multipart/alternative"
    assert not sent.defects
    assert not any(part.defects for part in sent.walk())


def test_lines_that_begin_with_a_dot_arrive_as_written(mailing_list, smtp_server):
    # given lines that SMTP would read as the end of the data, or lose a dot of, unescaped
    subscribed(mailing_list)
    dotted = ".\n.alkaa pisteellä\n..kaksi pistettä\n"
    send(mailing_list, body_text=dotted + TEXT, body_html="")

    # when
    outbox_deliver()

    # then
    sent = smtp_server.only()
    assert sent.get_content().replace("\r\n", "\n").startswith(dotted + "Hei!")


def test_sending_without_html_is_a_single_text_part(mailing_list, smtp_server):
    # given
    subscribed(mailing_list)
    send(mailing_list, body_html="")

    # when
    outbox_deliver()

    # then
    sent = smtp_server.only()
    assert sent.get_content_type() == "text/plain"
    assert "Peru tilaus: https://kotoverkko.example/mail/unsubscribe/" in sent.get_content()


def test_a_name_with_a_line_break_cannot_add_a_header(mailing_list, smtp_server):
    # given
    person = PersonFactory(first_name="Aino\r\nBcc: kaikki@example.com", last_name="Korhonen")
    subscribed(mailing_list, email="aino@example.fi", person=person)
    send(mailing_list)

    # when
    outbox_deliver()

    # then
    received = smtp_server.received[0]
    assert received.rcpt_tos == ["aino@example.fi"]
    assert received.message["Bcc"] is None
    assert received.message["To"].addresses[0].display_name == (
        "Aino Bcc: kaikki@example.com Korhonen"
    )


def test_mass_message_pieces_and_values_join_into_the_exact_text():
    # given placeholders at the start, the end, inside long lines and next to line ends
    text = "%%a%%" + "x" * 150 + "%%b%%\n\n" + "ä" * 100 + "%%a%%" + " \n%%b%%"
    message = MassMessage(
        from_email="Kotoverkko <noreply@example.fi>",
        subject="Testi",
        body_text=text,
        body_html="",
        headers={},
    )
    values = {"%%a%%": "https://example.fi/a=1&b=2 " * 5, "%%b%%": "ÅÄÖ"}

    # when
    raw = message.render(
        to="a@example.fi",
        message_id="<1@example.fi>",
        date="Mon, 01 Sep 2025 09:00:00 +0000",
        values=values,
    )

    # then
    assert max(len(line) for line in raw.split(b"\r\n")) <= 76
    sent = message_from_bytes(raw, policy=policy.default)
    expected = text.replace("%%a%%", values["%%a%%"]).replace("%%b%%", "ÅÄÖ")
    assert sent.get_content().replace("\r\n", "\n") == expected.replace("\r\n", "\n") + "\n"


# Leaving before the copy goes ---------------------------------------------------------------


def test_who_left_after_the_sending_was_created_is_skipped(mailing_list, smtp_server):
    # given
    stays = subscribed(mailing_list, email="stays@example.fi")
    leaves = subscribed(mailing_list, email="leaves@example.fi")
    leaves_all = subscribed(mailing_list, email="all@example.fi")
    bounced = subscribed(mailing_list, email="bounced@example.fi")
    batch = send(mailing_list)

    # when
    subscriptions.unsubscribe(
        subscriber=leaves, mailing_list=mailing_list, basis=ConsentRecord.Basis.ONE_CLICK
    )
    subscriptions.leave_all(subscriber=leaves_all, basis=ConsentRecord.Basis.PREFERENCES)
    bounced.suppressed_at = timezone.now()
    bounced.save(update_fields=["suppressed_at"])
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 1
    assert counts["skipped"] == 3
    assert [r.rcpt_tos for r in smtp_server.received] == [[stays.email]]
    statuses = dict(batch.messages.values_list("to_email", "status"))
    assert statuses == {
        "stays@example.fi": Status.SENT,
        "leaves@example.fi": Status.SKIPPED,
        "all@example.fi": Status.SKIPPED,
        "bounced@example.fi": Status.SKIPPED,
    }
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.DONE
    assert batches.batch_progress(batch)["skipped"] == 3


# Pausing, resuming, cancelling ------------------------------------------------------------------


def test_paused_sending_waits_until_it_is_resumed(mailing_list, smtp_server):
    # given
    coordinator = UserFactory()
    for _ in range(3):
        subscribed(mailing_list)
    batch = send(mailing_list)

    # when paused
    batch_pause(batch, coordinator)
    counts = outbox_deliver()

    # then
    assert counts["due"] == 0
    assert smtp_server.received == []
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.PAUSED
    assert batch.paused_at is not None

    # when resumed
    batch_resume(batch, coordinator)
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 3
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.DONE
    assert batch.paused_at is None
    changes = [e.changes["status"] for e in AuditEntry.objects.order_by("pk")]
    assert changes == [["sending", "paused"], ["paused", "sending"]]
    assert AuditEntry.objects.filter(networks=mailing_list.network).count() == 2


def test_resuming_a_sending_whose_messages_all_went_marks_it_done(mailing_list, smtp_server):
    # given a pause that came after the worker had taken the last messages
    subscribed(mailing_list)
    batch = send(mailing_list)
    outbox_deliver()
    MailBatch.objects.filter(pk=batch.pk).update(status=MailBatch.Status.PAUSED)

    # when
    resumed = batch_resume(batch, None)

    # then
    assert resumed.status == MailBatch.Status.DONE
    assert resumed.finished_at is not None


def test_cancelled_sending_skips_what_was_not_sent(mailing_list, smtp_server):
    # given two messages sent and three waiting
    for _ in range(5):
        subscribed(mailing_list)
    batch = send(mailing_list)
    outbox_deliver(limit=2)

    # when
    batch_cancel(batch, UserFactory())
    counts = outbox_deliver()

    # then
    assert counts["due"] == 0
    assert len(smtp_server.received) == 2
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.CANCELLED
    assert batch.finished_at is not None
    progress = batches.batch_progress(batch)
    assert (progress["sent"], progress["skipped"], progress["remaining"]) == (2, 3, 0)
    skipped = batch.messages.filter(status=Status.SKIPPED)
    assert {m.last_error for m in skipped} == {"The sending was cancelled."}


@pytest.mark.parametrize(
    ("change", "left_as"),
    [(batch_pause, (Status.QUEUED, 0)), (batch_cancel, (Status.SKIPPED, 1))],
)
def test_a_chunk_taken_just_before_a_pause_or_cancel_is_not_sent(
    mailing_list, smtp_server, monkeypatch, change, left_as
):
    # given a worker that claims the messages just before the coordinator stops the sending
    for _ in range(3):
        subscribed(mailing_list)
    batch = send(mailing_list)
    claim = services._claim

    def claim_then_stop(ids):
        claimed = claim(ids)
        change(batch, UserFactory())
        return claimed

    monkeypatch.setattr(services, "_claim", claim_then_stop)

    # when
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 0
    assert smtp_server.received == []
    assert set(batch.messages.values_list("status", "attempts")) == {left_as}


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (MailBatch.Status.PAUSED, batch_pause),
        (MailBatch.Status.DONE, batch_pause),
        (MailBatch.Status.SENDING, batch_resume),
        (MailBatch.Status.CANCELLED, batch_cancel),
        (MailBatch.Status.DONE, batch_cancel),
    ],
)
def test_a_change_that_does_not_fit_the_status_is_refused(mailing_list, status, action):
    # given
    subscribed(mailing_list)
    batch = send(mailing_list)
    MailBatch.objects.filter(pk=batch.pk).update(status=status)

    # when / then
    with pytest.raises(ValidationError):
        action(batch, UserFactory())
    batch.refresh_from_db()
    assert batch.status == status
    assert not AuditEntry.objects.exists()


def test_progress_counts_what_was_sent_and_what_remains(mailing_list, smtp_server):
    # given
    for _ in range(5):
        subscribed(mailing_list)
    batch = send(mailing_list)

    # when
    outbox_deliver(limit=2)

    # then
    progress = batches.batch_progress(batch)
    assert progress == {
        "queued": 3,
        "sending": 0,
        "sent": 2,
        "failed": 0,
        "skipped": 0,
        "remaining": 3,
        "done": 2,
        "total": 5,
        "percent": 40,
    }


# Delivery mechanics ----------------------------------------------------------------------------


def test_a_chunk_is_claimed_in_one_update_and_each_message_recorded_once(mailing_list, smtp_server):
    # given two sendings of different sizes
    def deliver_sending(size, key_prefix):
        recipients = [subscribed(mailing_list) for _ in range(size)]
        send(mailing_list, recipients=recipients, key_prefix=key_prefix)
        with CaptureQueriesContext(connection) as queries:
            counts = outbox_deliver()
        assert counts["sent"] == size
        statements = [query["sql"] for query in queries.captured_queries]
        updates = [sql for sql in statements if sql.startswith("UPDATE")]
        return len(updates), len(statements) - len(updates)

    # when
    small_updates, small_other = deliver_sending(3, "small")
    large_updates, large_other = deliver_sending(9, "large")

    # then one UPDATE claims each chunk, one records each message, one finishes the batch,
    # and the other queries do not grow with the chunk
    assert (small_updates, large_updates) == (3 + 2, 9 + 2)
    assert small_other == large_other


def test_refused_copies_fail_or_wait_and_the_sending_stays_open(mailing_list, smtp_server):
    # given
    smtp_server.permanent.add("gone@example.fi")
    smtp_server.temporary.add("busy@example.fi")
    subscribed(mailing_list, email="gone@example.fi")
    subscribed(mailing_list, email="busy@example.fi")
    subscribed(mailing_list, email="ok@example.fi")
    batch = send(mailing_list)

    # when
    counts = outbox_deliver()

    # then
    assert (counts["sent"], counts["failed"], counts["retry"]) == (1, 1, 1)
    progress = batches.batch_progress(batch)
    assert (progress["failed"], progress["queued"]) == (1, 1)
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.SENDING
    busy = batch.messages.get(to_email="busy@example.fi")
    assert busy.next_attempt_at > timezone.now() + timedelta(minutes=4)


def test_server_that_does_not_answer_in_time_is_a_temporary_failure(
    mailing_list, smtp_server, settings
):
    # given a server that takes longer than EMAIL_TIMEOUT to answer DATA
    settings.EMAIL_TIMEOUT = 0.5
    smtp_server.data_delay = 3
    subscribed(mailing_list)
    batch = send(mailing_list)

    # when
    counts = outbox_deliver()

    # then
    assert counts["retry"] == 1
    message = batch.messages.get()
    assert message.status == Status.QUEUED
    assert "timed out" in message.last_error
    assert message.next_attempt_at > timezone.now()


def test_unreachable_server_defers_the_sending_without_counting_attempts(mailing_list, smtp_down):
    # given
    subscribed(mailing_list)
    subscribed(mailing_list)
    batch = send(mailing_list)

    # when
    counts = outbox_deliver()

    # then
    assert counts["deferred"] == 2
    assert set(batch.messages.values_list("status", "attempts")) == {(Status.QUEUED, 0)}


def test_rate_limit_spaces_the_messages(mailing_list, smtp_server, settings):
    # given
    settings.OUTBOX_RATE_PER_SECOND = 40
    for _ in range(6):
        subscribed(mailing_list)
    send(mailing_list)

    # when
    started = time.monotonic()
    counts = outbox_deliver()
    elapsed = time.monotonic() - started

    # then six messages at 40 a second take at least five intervals
    assert counts["sent"] == 6
    assert elapsed >= 5 / 40


def test_pace_sleeps_only_as_long_as_the_rate_needs():
    # given a clock that the pace's sleeps move forward
    now = [100.0]
    sleeps = []

    def sleep(seconds):
        sleeps.append(round(seconds, 6))
        now[0] += seconds

    pace = services.Pace(4, clock=lambda: now[0], sleep=sleep)

    # when three sends come at once, then one after a long pause
    pace.wait()
    pace.wait()
    pace.wait()
    now[0] += 10
    pace.wait()

    # then
    assert sleeps == [0.25, 0.25]


def test_a_chunk_that_runs_out_of_time_gives_the_rest_back(
    mailing_list, smtp_server, settings, monkeypatch
):
    # given a clock that jumps past half the claim timeout after the first message
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 60
    for _ in range(4):
        subscribed(mailing_list)
    batch = send(mailing_list)
    ticks = iter([0.0, 0.0, 31.0, 31.0, 31.0, 31.0])
    monkeypatch.setattr(services, "_clock", lambda: next(ticks, 31.0))

    # when
    counts = outbox_deliver()

    # then
    assert counts["sent"] == 1
    waiting = batch.messages.filter(status=Status.QUEUED)
    assert waiting.count() == 3
    assert {(m.attempts, m.claimed_at) for m in waiting} == {(0, None)}
    assert all(m.next_attempt_at <= timezone.now() for m in waiting)


def test_deliver_all_goes_through_every_chunk_over_one_connection(
    mailing_list, smtp_server, settings
):
    # given
    settings.OUTBOX_BATCH_SIZE = 3
    for _ in range(8):
        subscribed(mailing_list)
    batch = send(mailing_list)

    # when
    counts = outbox_deliver_all()

    # then
    assert counts["sent"] == 8
    assert smtp_server.sessions == 1
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.DONE


def test_other_mail_backends_get_the_filled_in_message(mailing_list, settings):
    # given the test suite's in-memory backend
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    subscriber = subscribed(mailing_list)
    send(mailing_list)

    # when
    outbox_deliver()

    # then
    (email,) = mail.outbox
    unsubscribe = subscriptions.unsubscribe_url(subscriber.pk, mailing_list.pk)
    assert email.to == [subscriber.email]
    assert email.subject == SUBJECT
    assert f"Peru tilaus: {unsubscribe}" in email.body
    assert f'href="{unsubscribe}"' in email.alternatives[0][0]
    parsed = email.message()
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.from_email.startswith("bounce+")


@pytest.mark.parametrize(
    ("name", "value"),
    [("Subject", "Tiedote\r\nBcc: kaikki@example.com"), ("X-Note", "a\nb"), ("Bad Name", "x")],
)
def test_a_header_that_could_add_another_is_refused_on_the_wire(name, value):
    # when / then
    with pytest.raises(ValueError, match="header"):
        wire.header_line(name, value)


def test_delivery_leaves_the_connections_commit_setting_as_it_was(mailing_list, smtp_server):
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    # given
    subscribed(mailing_list)
    send(mailing_list)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]

    # when
    counts = outbox_deliver_all()

    # then
    assert counts["sent"] == 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == before
