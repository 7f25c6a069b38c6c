"""The single entry point for e-mail, and its delivery over SMTP."""

import logging
import smtplib
import socket
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMessage

logger = logging.getLogger("kotoverkko.mailing")

# A message still "sending" after this long was left by a crashed worker and is retried.
STALE_CLAIM = timedelta(minutes=10)


def message_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None,
    key: str,
    to_name: str = "",
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Render a message in the recipient's language and store it; delivery starts on commit.

    `template` names three templates: `<template>_subject.txt`, `<template>.txt` and, if it
    exists, `<template>.html`. The same key is never queued twice.
    """
    language = language if language in {"fi", "sv", "en"} else settings.LANGUAGE_CODE
    with translation.override(language):
        full_context = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = " ".join(
            render_to_string(f"{template}_subject.txt", full_context).split()
        )
        body_text = render_to_string(f"{template}.txt", full_context)
        try:
            body_html = render_to_string(f"{template}.html", full_context)
        except Exception:  # noqa: BLE001 - the HTML part is optional
            body_html = ""
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                to_email=to.strip(),
                to_name=to_name,
                from_email=settings.DEFAULT_FROM_EMAIL,
                language=language,
                subject=subject[:300],
                body_text=body_text,
                body_html=body_html,
                headers=headers or {},
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)
    transaction.on_commit(_enqueue_delivery)
    return message


def _enqueue_delivery() -> None:
    from .tasks import outbox_deliver_due

    outbox_deliver_due.enqueue()


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


def _claim(pk: int) -> bool:
    """Take one message for sending; a conditional update so two workers never both win."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.QUEUED)
        | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=pk,
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now)
    return claimed == 1


def _as_email(message: OutboxMessage, connection) -> EmailMultiAlternatives:
    to = f'"{message.to_name}" <{message.to_email}>' if message.to_name else message.to_email
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={**message.headers, "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def _is_permanent(exc: Exception) -> bool:
    """5xx answers about the recipient or the message are permanent; the rest may pass later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600 and not isinstance(
            exc, smtplib.SMTPAuthenticationError
        )
    return isinstance(exc, ValueError | UnicodeError)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def outbox_deliver(*, limit: int | None = None) -> dict[str, int]:
    """Deliver due messages over one reused SMTP connection; returns counts by outcome."""
    limit = limit or settings.OUTBOX_BATCH_SIZE
    counts = {"sent": 0, "retry": 0, "failed": 0}
    ids = _due_ids(limit)
    if not ids:
        return counts
    connection = get_connection(fail_silently=False)
    opened = False
    try:
        for pk in ids:
            if not _claim(pk):
                continue
            message = OutboxMessage.objects.get(pk=pk)
            message.attempts += 1
            try:
                if not opened:
                    connection.open()
                    opened = True
                _as_email(message, connection).send()
            except (smtplib.SMTPException, OSError, socket.timeout, ValueError) as exc:
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if _is_permanent(exc) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    message.status = OutboxMessage.Status.FAILED
                    counts["failed"] += 1
                    logger.warning("mail failed permanently", extra={"outbox_id": pk})
                else:
                    message.status = OutboxMessage.Status.QUEUED
                    message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                    counts["retry"] += 1
                    logger.info("mail will be retried", extra={"outbox_id": pk})
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    # The connection is gone; the next message opens a fresh one.
                    _close_quietly(connection)
                    opened = False
            else:
                message.status = OutboxMessage.Status.SENT
                message.sent_at = timezone.now()
                message.last_error = ""
                counts["sent"] += 1
            message.claimed_at = None
            message.save(update_fields=[
                "status", "attempts", "next_attempt_at", "last_error", "sent_at", "claimed_at",
            ])
    finally:
        if opened:
            _close_quietly(connection)
    return counts


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        logger.debug("closing the SMTP connection failed", exc_info=True)


def outbox_retry(*, message: OutboxMessage) -> OutboxMessage:
    """Send a failed message again (after the address or server was fixed)."""
    message.status = OutboxMessage.Status.QUEUED
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "next_attempt_at"])
    transaction.on_commit(_enqueue_delivery)
    return message
