"""The single entry point for e-mail, and its delivery over SMTP.

Nothing accepted is lost: `message_queue` stores the rendered message as an OutboxMessage row in
the caller's transaction, so the message is committed together with the change that caused it,
or not at all. Delivery starts only after that commit and does not depend on it: a row stays
`queued` until a worker claims it, the scheduled sweep finds rows whose task was lost, and a
claim older than STALE_CLAIM (a worker that crashed while sending) is taken over. Delivery is
therefore at least once: a worker that dies after the server accepted a message, but before it
recorded that, sends the message again.
"""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist, loader
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotoverkko.common.audit import audit_record

from .models import OutboxMessage

logger = logging.getLogger("kotoverkko.mailing")

# A message still "sending" after this long was left by a crashed worker and is retried.
STALE_CLAIM = timedelta(minutes=10)
# Temporary failures wait BACKOFF_BASE, then twice as long each time, never more than BACKOFF_MAX.
BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=6)
# When the mail server cannot be reached the due messages wait this long; it is no attempt.
UNREACHABLE_DELAY = timedelta(minutes=1)

CALENDAR_METHODS = ("REQUEST", "CANCEL", "PUBLISH")
_KEY_MAX_LENGTH = OutboxMessage._meta.get_field("key").max_length
_SUBJECT_MAX_LENGTH = OutboxMessage._meta.get_field("subject").max_length
_ERROR_MAX_LENGTH = 2000


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
    language = _supported_language(language)
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
    _deliver_after_commit()
    return message


def _supported_language(language: str | None) -> str:
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


def _deliver_after_commit() -> None:
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


def _due_ids(limit: int) -> list[int]:
    now = timezone.now()
    return list(
        OutboxMessage.objects.filter(
            Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _claim(pk: int) -> OutboxMessage | None:
    """Take one message for sending, counting the attempt.

    A conditional update, so of two workers that read the same due row only one wins. The
    attempt is counted here, before sending, so that a message that keeps crashing its worker
    still reaches the limit.
    """
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now)
        | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=pk,
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    return OutboxMessage.objects.get(pk=pk)


class _Email(EmailMultiAlternatives):
    """An e-mail whose text/calendar parts say their iTIP method (RFC 6047), as calendar
    clients require: `Content-Type: text/calendar; method=REQUEST`."""

    calendar_method: str | None = None

    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype)
        if mimetype == "text/calendar" and self.calendar_method:
            part.set_param("method", self.calendar_method)
        return part


def _as_email(message: OutboxMessage, connection: Any) -> EmailMultiAlternatives:
    to = formataddr((message.to_name, message.to_email)) if message.to_name else message.to_email
    email = _Email(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", **message.headers},
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


def outbox_deliver(*, limit: int | None = None) -> dict[str, int]:
    """Deliver due messages over one reused SMTP connection; returns counts by outcome.

    `due` is how many messages were due; `deferred` how many waited because the mail server
    could not be reached (which is not counted as an attempt).
    """
    limit = limit or settings.OUTBOX_BATCH_SIZE
    counts = {"due": 0, "sent": 0, "retry": 0, "failed": 0, "deferred": 0}
    ids = _due_ids(limit)
    counts["due"] = len(ids)
    if not ids:
        return counts
    connection = get_connection(fail_silently=False)
    is_open = False
    try:
        for index, pk in enumerate(ids):
            if not is_open:
                try:
                    connection.open()
                except Exception as exc:  # noqa: BLE001 - any failure to connect is temporary
                    _close_quietly(connection)
                    counts["deferred"] = _defer_unreachable(ids[index:], exc)
                    logger.warning("mail server unreachable: %s", exc)
                    break
                is_open = True
            message = _claim(pk)
            if message is None:
                continue
            outcome, connection_ok = _send_one(message, connection)
            counts[outcome] += 1
            if not connection_ok:
                _close_quietly(connection)
                is_open = False
    finally:
        if is_open:
            _close_quietly(connection)
    return counts


def _send_one(message: OutboxMessage, connection: Any) -> tuple[str, bool]:
    """Send one claimed message and record the result; returns the outcome and whether the
    connection can carry the next message."""
    connection_ok = True
    if message.attempts > settings.OUTBOX_MAX_ATTEMPTS:
        # Only a message whose sending was interrupted again and again gets here.
        message.status = OutboxMessage.Status.FAILED
        message.last_error = "Delivery was interrupted too many times."
        outcome = "failed"
    else:
        try:
            connection.send_messages([_as_email(message, connection)])
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
                logger.exception("unexpected error sending mail", extra={"outbox_id": message.pk})
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            outcome = "sent"
    message.claimed_at = None
    message.save(update_fields=["status", "next_attempt_at", "last_error", "sent_at", "claimed_at"])
    logger.log(
        logging.DEBUG if outcome == "sent" else logging.INFO,
        "mail %s",
        outcome,
        extra={"outbox_id": message.pk, "attempts": message.attempts},
    )
    return outcome, connection_ok


def _defer_unreachable(ids: list[int], exc: Exception) -> int:
    """Record that the server could not be reached on the due messages, and let them wait."""
    now = timezone.now()
    return OutboxMessage.objects.filter(
        pk__in=ids, status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now
    ).update(
        last_error=_error_text(exc),
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
    _deliver_after_commit()
    return locked
