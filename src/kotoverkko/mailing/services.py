"""The single entry point for e-mail, and its delivery over SMTP.

Nothing accepted is lost: `message_queue` stores the rendered message as an OutboxMessage row in
the caller's transaction, so the message is committed together with the change that caused it,
or not at all. Delivery starts only after that commit and does not depend on it: a row stays
`queued` until a worker claims it, the scheduled sweep finds rows whose task was lost, and a
claim older than OUTBOX_CLAIM_TIMEOUT_SECONDS (a worker that crashed while sending) is taken
over. Delivery is therefore at least once: a worker that dies after the server accepted a
message, but before it recorded that, sends that one message again.

Messages of a mass sending (`batches.batch_create`) carry only their recipient; their subject
and bodies are the batch's, encoded once per worker run (`wire.MassMessage`), with the
placeholders below filled in per recipient. Every message goes out with its own return path,
`bounce+<token>@MAIL_DOMAIN`, so that a bounce names the message it is about (`bounces.py`).
"""

import logging
import smtplib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import timedelta
from email import message_from_bytes
from email.utils import format_datetime, formataddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template import Context, TemplateDoesNotExist, loader
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotoverkko.common.audit import audit_record

from .journal import SentJournal, journals_recover
from .models import MailBatch, OutboxMessage, Subscription
from .tokens import bounce_token, preferences_token, unsubscribe_token
from .wire import MassMessage, address_header, ascii_address, fill

logger = logging.getLogger("kotoverkko.mailing")

# Placeholders in the subject-less parts of a mass sending (bodies and headers) that delivery
# fills in for each recipient; `batches` offers them to the senders of mass mail.
UNSUBSCRIBE_URL = "%%unsubscribe_url%%"
UNSUBSCRIBE_MAILTO = "%%unsubscribe_mailto%%"
PREFERENCES_URL = "%%preferences_url%%"
RECIPIENT_EMAIL = "%%email%%"

# Temporary failures wait BACKOFF_BASE, then twice as long each time, never more than BACKOFF_MAX.
BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=6)
# When the mail server cannot be reached the due messages wait this long; it is no attempt.
UNREACHABLE_DELAY = timedelta(minutes=1)

CALENDAR_METHODS = ("REQUEST", "CANCEL", "PUBLISH")
# What a message of a cancelled mass sending says instead of being sent.
CANCELLED_ERROR = "The sending was cancelled."
_KEY_MAX_LENGTH = OutboxMessage._meta.get_field("key").max_length
_SUBJECT_MAX_LENGTH = OutboxMessage._meta.get_field("subject").max_length
_ERROR_MAX_LENGTH = 2000
# The clock of a chunk's deadline.
_clock = time.monotonic


_suppressed: ContextVar[bool] = ContextVar("mail_suppressed", default=False)


@contextmanager
def mail_suppressed() -> Iterator[None]:
    """Queue nothing inside the block: for loading history (demo data, imports of past
    events), whose people must not be mailed. Callers may skip building a message's parts
    when `mail_is_suppressed()`."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def mail_is_suppressed() -> bool:
    return _suppressed.get()


def message_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None,
    key: str,
    to_name: str = "",
    headers: dict[str, str] | None = None,
    calendar: tuple[str, str] | None = None,
) -> OutboxMessage | None:
    """Render a message in the recipient's language and store it; delivery starts on commit.

    `template` names up to three templates: `<template>_subject.txt`, `<template>.txt` and, if
    it exists, `<template>.html`. The text templates are rendered without HTML escaping. Their
    context has `site_url` and `language` besides `context`. The same key is never queued
    twice: a second call returns the first message. Inside `mail_suppressed()` nothing is
    stored and None is returned.

    `calendar` is an iTIP message as (METHOD, iCalendar text): it is sent as a
    `text/calendar; method=…` alternative, which calendar clients act on, and as an .ics file.
    """
    if _suppressed.get():
        return None
    if not key or len(key) > _KEY_MAX_LENGTH:
        raise ValueError(f"An outbox key must have 1 to {_KEY_MAX_LENGTH} characters.")
    to = to.strip()
    validate_email(to)
    attachments = []
    if calendar is not None:
        method, text = calendar
        if method not in CALENDAR_METHODS or f"METHOD:{method}" not in text:
            raise ValueError("The calendar part's method must match the calendar's METHOD.")
        attachments.append({"kind": "calendar", "method": method, "content": text})
    headers = {str(name): str(value) for name, value in (headers or {}).items()}
    for name, value in headers.items():
        if any(char in name + value for char in "\r\n") or not name:
            raise ValueError(f"Invalid mail header {name!r}.")

    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    language = supported_language(language)
    subject, body_text, body_html = _render(template, context, language)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                to_email=to,
                to_name=" ".join(to_name.split()),
                from_email=settings.DEFAULT_FROM_EMAIL,
                language=language,
                subject=subject[:_SUBJECT_MAX_LENGTH],
                body_text=body_text,
                body_html=body_html,
                headers=headers,
                attachments=attachments,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        # Another transaction queued the same key first.
        return OutboxMessage.objects.get(key=key)
    deliver_after_commit()
    return message


def supported_language(language: str | None) -> str:
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def _render(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Subject, text and HTML body; URLs reversed here get the language's prefix."""
    with translation.override(language):
        full_context = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = " ".join(_render_plain(f"{template}_subject.txt", full_context).split())
        body_text = _render_plain(f"{template}.txt", full_context)
        try:
            html_template = loader.get_template(f"{template}.html")
        except TemplateDoesNotExist:
            body_html = ""
        else:
            body_html = html_template.render(full_context)
    return subject, body_text, body_html


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """Render a text template with autoescaping off: "&" in a name must stay "&"."""
    template = loader.get_template(name)
    engine_template = getattr(template, "template", None)
    if engine_template is None:
        return template.render(context)
    return engine_template.render(Context(context, autoescape=False))


def deliver_after_commit() -> None:
    """Start delivery once the current transaction commits; once per transaction is enough."""
    connection = transaction.get_connection()
    pending = getattr(connection, "run_on_commit", [])
    if connection.in_atomic_block and any(entry[1] is _enqueue_delivery for entry in pending):
        return
    transaction.on_commit(_enqueue_delivery)


def _enqueue_delivery() -> None:
    from .tasks import outbox_deliver_due

    try:
        outbox_deliver_due.enqueue()
    except Exception:
        # The message is committed; the scheduled sweep delivers it.
        logger.exception("could not enqueue outbox delivery")


def claim_timeout() -> timedelta:
    """How long a claim holds: a message still `sending` after this was left by a worker that
    died, and is taken over."""
    return timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)


def _due(now) -> Q:
    """Queued messages whose time has come and claims left by crashed workers, except the
    messages of a mass sending that is paused or cancelled."""
    return (
        Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now)
        | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - claim_timeout())
    ) & (Q(batch__isnull=True) | Q(batch__status=MailBatch.Status.SENDING))


def _due_ids(limit: int) -> list[int]:
    return list(
        OutboxMessage.objects.filter(_due(timezone.now()))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _claim(ids: list[int]) -> list[OutboxMessage]:
    """Take those of `ids` that are still due for sending, counting an attempt on each.

    One UPDATE for all of them. Of two workers that read the same due rows, each row goes to
    one: PostgreSQL locks the rows (skipping those another worker holds), SQLite lets one
    writing transaction run at a time. The attempt is counted before sending, so that a
    message that keeps crashing its worker still reaches the limit.
    """
    if not ids:
        return []
    now = timezone.now()
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_due(now), pk__in=ids)
            .order_by("next_attempt_at", "pk")
        )
        if messages:
            OutboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(
                status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    for message in messages:
        message.status = OutboxMessage.Status.SENDING
        message.claimed_at = now
        message.attempts += 1
    return messages


def _release(messages: list[OutboxMessage], *, delay: timedelta, error: str = "") -> int:
    """Give claimed messages back unsent, without counting the attempt; returns how many."""
    if not messages:
        return 0
    fields: dict[str, Any] = {
        "status": OutboxMessage.Status.QUEUED,
        "claimed_at": None,
        "attempts": F("attempts") - 1,
        "next_attempt_at": timezone.now() + delay,
    }
    if error:
        fields["last_error"] = error
    return OutboxMessage.objects.filter(
        pk__in=[message.pk for message in messages],
        status=OutboxMessage.Status.SENDING,
        claimed_at=messages[0].claimed_at,
    ).update(**fields)


class _Email(EmailMultiAlternatives):
    """An e-mail whose text/calendar parts say their iTIP method (RFC 6047), as calendar
    clients require: `Content-Type: text/calendar; method=REQUEST`."""

    calendar_method: str | None = None

    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype)
        if mimetype == "text/calendar" and self.calendar_method:
            part.set_param("method", self.calendar_method)
        return part


class _PreparedEmail(EmailMultiAlternatives):
    """A message of a mass sending whose wire form is already written. Over SMTP the bytes
    are sent as they are; other mail backends (development, tests) get them parsed back."""

    def __init__(self, raw: bytes, **kwargs: Any):
        super().__init__(**kwargs)
        self.raw = raw

    def message(self):
        return message_from_bytes(self.raw)


def _mail_domain() -> str:
    return settings.MAIL_DOMAIN.encode("idna").decode("ascii")


def envelope_sender(message_id: int) -> str:
    """The message's own return path (VERP): a bounce names the message it is about."""
    return _envelope_sender(bounce_token(message_id))


def _envelope_sender(token: str) -> str:
    return f"bounce+{token}@{_mail_domain()}"


def _message_id_header(token: str) -> str:
    """The same for every attempt at one outbox row, so a receiver can tell a resend."""
    return f"<{token}@{_mail_domain()}>"


def _as_email(message: OutboxMessage, connection: Any) -> EmailMultiAlternatives:
    to = formataddr((message.to_name, message.to_email)) if message.to_name else message.to_email
    email = _Email(
        subject=message.subject,
        body=message.body_text,
        from_email=envelope_sender(message.pk),
        to=[to],
        headers={
            "From": message.from_email or settings.DEFAULT_FROM_EMAIL,
            "Message-ID": _message_id_header(bounce_token(message.pk)),
            "Auto-Submitted": "auto-generated",
            **message.headers,
        },
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        if attachment.get("kind") == "calendar":
            _attach_calendar(email, attachment["method"], attachment["content"])
    return email


def _attach_calendar(email: _Email, method: str, content: str) -> None:
    """The invitation as an alternative body (what Outlook, Gmail and Thunderbird act on) and
    as an invite.ics file for clients that only show attachments."""
    email.calendar_method = method
    email.attach_alternative(content, "text/calendar")
    email.attach("invite.ics", content, "text/calendar")


class _Link:
    """A per-recipient link that differs from recipient to recipient only in its signed token.

    Building one with `reverse` for every copy of a mass sending cost more than building the
    copy, so the link is built once for a sample recipient and then by putting each
    recipient's token in the sample's place. A link in which the sample token does not appear
    exactly once is built the slow way every time, in the sending's language.
    """

    def __init__(self, build: Callable[..., str], sample_token: str, *sample: int, language: str):
        self.build, self.language = build, language
        with translation.override(language):
            url = build(*sample)
        self.parts = url.split(sample_token) if url.count(sample_token) == 1 else None

    def __call__(self, token: str, *ids: int) -> str:
        if self.parts is None:
            with translation.override(self.language):
                return self.build(*ids)
        return token.join(self.parts)


class _MassSending:
    """What delivery needs of one mass sending, prepared once per worker run: its encoded
    parts and its links (which open pages in the sending's language)."""

    def __init__(self, batch: MailBatch):
        from .subscriptions import preferences_url, unsubscribe_mailto, unsubscribe_url

        self.batch = batch
        self.message = mass_message(batch)
        list_id, language = batch.mailing_list_id or 0, batch.language
        sample = unsubscribe_token(0, list_id)
        self.unsubscribe_url = _Link(unsubscribe_url, sample, 0, list_id, language=language)
        self.unsubscribe_mailto = _Link(unsubscribe_mailto, sample, 0, list_id, language=language)
        self.preferences_url = _Link(preferences_url, preferences_token(0), 0, language=language)

    def values(self, message: OutboxMessage) -> dict[str, str]:
        """What the placeholders stand for in one recipient's copy."""
        values = {f"%%{name}%%": str(value) for name, value in message.variables.items()}
        values[RECIPIENT_EMAIL] = message.to_email
        list_id, subscriber_id = self.batch.mailing_list_id, message.subscriber_id
        if subscriber_id and list_id:
            token = unsubscribe_token(subscriber_id, list_id)
            values[UNSUBSCRIBE_URL] = self.unsubscribe_url(token, subscriber_id, list_id)
            values[UNSUBSCRIBE_MAILTO] = self.unsubscribe_mailto(token, subscriber_id, list_id)
            values[PREFERENCES_URL] = self.preferences_url(
                preferences_token(subscriber_id), subscriber_id
            )
        return values

    def render(self, message: OutboxMessage, token: str, date: str) -> bytes:
        return self.message.render(
            to=address_header(message.to_name, message.to_email),
            message_id=_message_id_header(token),
            date=date,
            values=self.values(message),
        )


def mass_message(batch: MailBatch) -> MassMessage:
    """The parts of a mass sending that every copy shares, encoded once."""
    return MassMessage(
        from_email=batch.from_email or settings.DEFAULT_FROM_EMAIL,
        subject=batch.subject,
        body_text=batch.body_text,
        body_html=batch.body_html,
        headers=batch.headers,
    )


def _reply_codes(exc: Exception) -> list[int]:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return [code for code, _text in exc.recipients.values()]
    if isinstance(exc, smtplib.SMTPResponseException):
        return [exc.smtp_code]
    return []


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer about the recipient or the message, or a message that cannot be built.

    A 5xx answer on connecting, greeting, logging in or about the sender is the server's
    configuration, not this message's fault: those are retried like temporary failures.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
        codes = _reply_codes(exc)
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, OSError):
        return False
    return isinstance(exc, ValueError)


def _connection_survives(exc: Exception) -> bool:
    """smtplib resets the session after a refusal (except 421, which closes it)."""
    if isinstance(
        exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError | smtplib.SMTPSenderRefused
    ):
        return 421 not in _reply_codes(exc)
    return isinstance(exc, ValueError)


def _backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def _error_text(exc: Exception) -> str:
    """The technical record of a failure for administrators: class and server reply."""
    return f"{type(exc).__name__}: {exc}"[:_ERROR_MAX_LENGTH]


class Pace:
    """At most `per_second` messages a second, evenly spaced (0: as fast as they go)."""

    def __init__(self, per_second: float, *, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at: float | None = None

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next_at is not None and self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


def _counts() -> dict[str, int]:
    return dict.fromkeys(("due", "sent", "retry", "failed", "skipped", "deferred"), 0)


class _Courier:
    """One worker's run of deliveries: an SMTP connection kept open from message to message
    and chunk to chunk, the pace, and the encoded parts of the mass sendings it meets."""

    def __init__(self) -> None:
        self.connection = get_connection(fail_silently=False)
        self.is_open = False
        self.error: Exception | None = None
        self.pace = Pace(settings.OUTBOX_RATE_PER_SECOND)
        self.sendings: dict[int, _MassSending] = {}
        self.date_second, self.date_text = 0, ""
        self.journal = SentJournal()
        self.upcoming: tuple[OutboxMessage, MailBatch | None] | None = None
        self.built: dict[int, tuple[bytes, str]] = {}

    def _record(self, message: OutboxMessage) -> None:
        """Record a sent message: in the worker's journal (see journal.py), or at once inside
        a transaction of the caller, which a journal's later flush would not be part of."""
        if connections[OutboxMessage.objects.db].in_atomic_block:
            _record_sent(message)
            return
        self.journal.record(message.pk, message.sent_at)

    def _recorded(self) -> None:
        """Record in the database every message written down so far."""
        self.journal.flush()

    def open(self) -> bool:
        if self.is_open:
            return True
        try:
            self.connection.open()
        except Exception as exc:  # noqa: BLE001 - any failure to connect is temporary
            _close_quietly(self.connection)
            self.error = exc
            logger.warning("mail server unreachable: %s", exc)
            return False
        self.is_open = True
        return True

    def close(self) -> None:
        try:
            self.journal.close()
        finally:
            if self.is_open:
                _close_quietly(self.connection)
                self.is_open = False

    def deliver(self, limit: int) -> dict[str, int]:
        """Claim up to `limit` due messages and send them; returns counts by outcome.

        Each message is written down as sent as soon as the server has accepted it (in the
        worker's journal, recorded in the database in bulk), so a worker killed at any moment
        leaves at most the one message it was sending to be sent again.
        A chunk is sent within half the claim timeout, or its rest given back, so that no
        other worker takes over messages this one is still sending.
        """
        counts = _counts()
        self.built.clear()
        # What stopped workers wrote down as sent is recorded before anything is taken over.
        journals_recover(own=self.journal)
        ids = _due_ids(limit)
        counts["due"] = len(ids)
        if not ids:
            return counts
        if not self.open():
            counts["deferred"] = _defer_unreachable(ids, self.error)
            return counts
        messages = _claim(ids)
        deadline = _clock() + claim_timeout().total_seconds() / 2
        batches = MailBatch.objects.in_bulk({m.batch_id for m in messages if m.batch_id})
        messages, stopped = _stopped_sendings(messages, batches)
        messages, skipped = _skip_unreachable(messages, batches)
        counts["skipped"] = skipped + stopped
        for index, message in enumerate(messages):
            if _clock() > deadline:
                _release(messages[index:], delay=timedelta(0))
                break
            if not self.open():
                counts["deferred"] += _release(
                    messages[index:], delay=UNREACHABLE_DELAY, error=_error_text(self.error)
                )
                break
            self.pace.wait()
            following = messages[index + 1] if index + 1 < len(messages) else None
            self.upcoming = (following, batches.get(following.batch_id)) if following else None
            outcome, connection_ok = self._send_one(message, batches.get(message.batch_id))
            counts[outcome] += 1
            if not connection_ok:
                self.close()
        self._recorded()
        if batches:
            batches_finish(list(batches))
        return counts

    def _send_one(self, message: OutboxMessage, batch: MailBatch | None) -> tuple[str, bool]:
        """Send one claimed message and record the result; returns the outcome and whether
        the connection can carry the next message."""
        connection_ok = True
        if message.attempts > settings.OUTBOX_MAX_ATTEMPTS:
            # Only a message whose sending was interrupted again and again gets here.
            message.status = OutboxMessage.Status.FAILED
            message.last_error = "Delivery was interrupted too many times."
            outcome = "failed"
        else:
            try:
                if batch is None:
                    self.connection.send_messages([_as_email(message, self.connection)])
                else:
                    self._send_mass(message, batch)
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on the message
                message.last_error = _error_text(exc)
                connection_ok = _connection_survives(exc)
                if _is_permanent(exc) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    message.status = OutboxMessage.Status.FAILED
                    outcome = "failed"
                else:
                    message.status = OutboxMessage.Status.QUEUED
                    message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                    outcome = "retry"
                if not isinstance(exc, OSError | ValueError):
                    logger.exception(
                        "unexpected error sending mail", extra={"outbox_id": message.pk}
                    )
            else:
                message.status = OutboxMessage.Status.SENT
                message.sent_at = timezone.now()
                message.last_error = ""
                outcome = "sent"
        message.claimed_at = None
        if outcome == "sent":
            self._record(message)
        else:
            message.save(
                update_fields=["status", "next_attempt_at", "last_error", "sent_at", "claimed_at"]
            )
        logger.log(
            logging.DEBUG if outcome == "sent" else logging.INFO,
            "mail %s",
            outcome,
            extra={"outbox_id": message.pk, "attempts": message.attempts},
        )
        return outcome, connection_ok

    def _date(self) -> str:
        """The Date header, written once a second."""
        now = timezone.now()
        second = int(now.timestamp())
        if second != self.date_second:
            self.date_second, self.date_text = second, format_datetime(now)
        return self.date_text

    def _sending(self, batch: MailBatch) -> _MassSending:
        sending = self.sendings.get(batch.pk)
        if sending is None:
            sending = self.sendings[batch.pk] = _MassSending(batch)
        return sending

    def _built(self, message: OutboxMessage, batch: MailBatch) -> tuple[bytes, str]:
        """One recipient's copy and its return path."""
        token = bounce_token(message.pk)
        raw = self._sending(batch).render(message, token, self._date())
        return raw, _envelope_sender(token)

    def _build_upcoming(self) -> None:
        """Build the next copy while the server takes in this one: its work and ours then
        overlap instead of taking turns. A copy that cannot be built is left to fail in turn."""
        if self.upcoming is None:
            return
        message, batch = self.upcoming
        self.upcoming = None
        if batch is None:
            return
        try:
            self.built[message.pk] = self._built(message, batch)
        except Exception:  # noqa: BLE001 - built again, and its error recorded, in turn
            logger.debug("building a copy ahead failed", exc_info=True)

    def _send_mass(self, message: OutboxMessage, batch: MailBatch) -> None:
        sending = self._sending(batch)
        built = self.built.pop(message.pk, None)
        raw, sender = built if built is not None else self._built(message, batch)
        smtp = getattr(self.connection, "connection", None)
        if isinstance(self.connection, SMTPBackend) and smtp is not None:
            _smtp_send(
                smtp, sender, ascii_address(message.to_email), raw, meanwhile=self._build_upcoming
            )
            return
        # Other mail backends (development, tests) get a Django message with the same bytes.
        values = sending.values(message)
        html = fill(batch.body_html, values)
        email = _PreparedEmail(
            raw,
            subject=batch.subject,
            body=fill(batch.body_text, values),
            from_email=sender,
            to=[address_header(message.to_name, message.to_email)],
            headers={"From": batch.from_email or settings.DEFAULT_FROM_EMAIL},
            alternatives=[(html, "text/html")] if html.strip() else None,
            connection=self.connection,
        )
        self.connection.send_messages([email])


def _smtp_send(
    smtp: smtplib.SMTP,
    sender: str,
    recipient: str,
    raw: bytes,
    *,
    meanwhile: Callable[[], None] | None = None,
) -> None:
    """One SMTP transaction for one recipient, with the outcomes and errors of
    `smtplib.SMTP.sendmail`, written for the mass sending's hot path: the addresses are
    already checked ASCII addresses and the message already has CRLF line ends, so they are
    not parsed and rewritten again for every message. `meanwhile` runs after the content is
    sent, while the server reads it and before its answer is read."""
    smtp.ehlo_or_helo_if_needed()
    smtp.putcmd("mail", f"FROM:<{sender}>")
    code, reply = smtp.getreply()
    if code != 250:
        _reset_quietly(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    smtp.putcmd("rcpt", f"TO:<{recipient}>")
    code, reply = smtp.getreply()
    if code not in (250, 251):
        _reset_quietly(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        _reset_quietly(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    # Dot-stuffing (RFC 5321 4.5.2), then the end of the data.
    body = raw.replace(b"\r\n.", b"\r\n..")
    if body.startswith(b"."):
        body = b"." + body
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body + b".\r\n")
    if meanwhile is not None:
        meanwhile()
    code, reply = smtp.getreply()
    if code != 250:
        _reset_quietly(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _reset_quietly(smtp: smtplib.SMTP, code: int) -> None:
    """Abandon the transaction as sendmail does: RSET, or after 421 (the server is closing)
    close the connection."""
    if code == 421:
        smtp.close()
        return
    with suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def _record_sent(message: OutboxMessage) -> None:
    """Record one message as sent at once: inside a caller's transaction, where the worker's
    journal (whose flush is a transaction of its own) cannot take it."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=message.status, sent_at=message.sent_at, last_error="", claimed_at=None
    )


def _stopped_sendings(
    messages: list[OutboxMessage], batches: dict[int, MailBatch]
) -> tuple[list[OutboxMessage], int]:
    """Hand back the messages of sendings paused or cancelled since they were claimed: a
    paused one's wait, a cancelled one's are skipped. Returns the rest and how many were
    skipped."""
    paused, cancelled = [], []
    for message in messages:
        status = batches[message.batch_id].status if message.batch_id else MailBatch.Status.SENDING
        if status == MailBatch.Status.PAUSED:
            paused.append(message)
        elif status != MailBatch.Status.SENDING:
            cancelled.append(message)
    if not paused and not cancelled:
        return messages, 0
    _release(paused, delay=timedelta(0))
    OutboxMessage.objects.filter(
        pk__in=[message.pk for message in cancelled], status=OutboxMessage.Status.SENDING
    ).update(status=OutboxMessage.Status.SKIPPED, claimed_at=None, last_error=CANCELLED_ERROR)
    stopped = {message.pk for message in paused + cancelled}
    return [m for m in messages if m.pk not in stopped], len(cancelled)


def _skip_unreachable(
    messages: list[OutboxMessage], batches: dict[int, MailBatch]
) -> tuple[list[OutboxMessage], int]:
    """Mark skipped the messages of mass sendings whose recipient has since left the list,
    left every list or been suppressed; returns the messages still to send and how many were
    skipped."""
    list_messages = [m for m in messages if m.batch_id]
    if not list_messages:
        return messages, 0
    reachable = set(
        Subscription.objects.filter(
            mailing_list_id__in={batches[m.batch_id].mailing_list_id for m in list_messages},
            subscriber_id__in={m.subscriber_id for m in list_messages if m.subscriber_id},
            status=Subscription.Status.ACTIVE,
            subscriber__left_all_at__isnull=True,
            subscriber__suppressed_at__isnull=True,
        ).values_list("mailing_list_id", "subscriber_id")
    )
    skipped = {
        m.pk
        for m in list_messages
        if (batches[m.batch_id].mailing_list_id, m.subscriber_id) not in reachable
    }
    if not skipped:
        return messages, 0
    OutboxMessage.objects.filter(pk__in=skipped, status=OutboxMessage.Status.SENDING).update(
        status=OutboxMessage.Status.SKIPPED, claimed_at=None
    )
    return [m for m in messages if m.pk not in skipped], len(skipped)


def batches_finish(batch_ids: list[int]) -> None:
    """Mark done the sendings among these that have no message left to send."""
    unfinished = OutboxMessage.objects.filter(
        batch=OuterRef("pk"),
        status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING],
    )
    MailBatch.objects.filter(pk__in=batch_ids, status=MailBatch.Status.SENDING).exclude(
        Exists(unfinished)
    ).update(status=MailBatch.Status.DONE, finished_at=timezone.now())


@contextmanager
def _commits_without_waiting() -> Iterator[None]:
    """On PostgreSQL, let the commits of a delivery run return before the disk has them
    (synchronous_commit off, on this connection while the run lasts): a run commits a claim
    per chunk and a journal flush every few hundred messages, and need not wait for the disk
    for each.

    A worker that dies loses nothing by it, as the database server has the commit. Only a
    crash of the database server itself could forget the last moments' records, and their
    messages would be sent again: delivery stays at least once.
    """
    connection = connections[OutboxMessage.objects.db]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            # A broken connection is closed and opened anew, with the default.
            logger.warning("could not reset synchronous_commit", exc_info=True)


def outbox_deliver(*, limit: int | None = None) -> dict[str, int]:
    """Deliver one chunk of due messages (at most `limit`, OUTBOX_BATCH_SIZE by default) over
    one SMTP connection; returns counts by outcome.

    `due` is how many messages were due; `deferred` how many waited because the mail server
    could not be reached (which is not counted as an attempt); `skipped` how many messages of
    a mass sending were not sent because their recipient left the list.
    """
    courier = _Courier()
    try:
        with _commits_without_waiting():
            return courier.deliver(limit or settings.OUTBOX_BATCH_SIZE)
    finally:
        courier.close()


def outbox_deliver_all(*, max_seconds: float | None = None) -> dict[str, int]:
    """Deliver chunk after chunk over one SMTP connection until nothing more is due.

    A short chunk means nothing more was due; a chunk that sent nothing (the server is
    unreachable, or other workers took the messages) ends the run too, and so does
    `max_seconds`. Returns the counts of all chunks added up.
    """
    started = time.monotonic()
    total = _counts()
    courier = _Courier()
    try:
        with _commits_without_waiting():
            while True:
                counts = courier.deliver(settings.OUTBOX_BATCH_SIZE)
                for name, count in counts.items():
                    total[name] += count
                processed = sum(counts[name] for name in ("sent", "retry", "failed", "skipped"))
                if counts["due"] < settings.OUTBOX_BATCH_SIZE or processed == 0:
                    return total
                if max_seconds is not None and time.monotonic() - started >= max_seconds:
                    return total
    finally:
        courier.close()


def outbox_unfinished() -> int:
    """How many messages are being sent now, or were left `sending` by a crashed worker."""
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).count()


def _defer_unreachable(ids: list[int], exc: Exception | None) -> int:
    """Record that the server could not be reached on the due messages, and let them wait."""
    now = timezone.now()
    return OutboxMessage.objects.filter(
        pk__in=ids, status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now
    ).update(
        last_error=_error_text(exc) if exc else "",
        next_attempt_at=now + UNREACHABLE_DELAY,
    )


def _close_quietly(connection: Any) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        logger.debug("closing the SMTP connection failed", exc_info=True)


@transaction.atomic
def outbox_retry(*, actor: Any, message: OutboxMessage) -> OutboxMessage:
    """Queue a failed message again, after its address or the mail server was fixed."""
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status != OutboxMessage.Status.FAILED:
        raise ValidationError(_("Only a message whose delivery failed can be sent again."))
    locked.status = OutboxMessage.Status.QUEUED
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.claimed_at = None
    locked.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=locked,
        changes={"status": [OutboxMessage.Status.FAILED, OutboxMessage.Status.QUEUED]},
    )
    deliver_after_commit()
    return locked
