"""Mass sendings (a newsletter edition to a list): creating, pausing, resuming, cancelling and
following them.

`batch_create` freezes the recipient set: in one transaction it stores the batch (subject and
bodies once, with placeholders) and one outbox row per recipient, keyed
`<key_prefix>:<subscriber id>`, so that calling it again for the same sending queues nothing
twice. Delivery (`services`) fills the placeholders per recipient, skips anyone who has left
the list since, and leaves the rows of a paused or cancelled batch alone.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from email.utils import parseaddr
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Count, QuerySet
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.translation import gettext as _

from kotoverkko.common.audit import audit_record

from . import services
from .models import MailBatch, MailingList, OutboxMessage, Subscriber
from .services import PREFERENCES_URL, RECIPIENT_EMAIL, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL
from .subscriptions import list_name
from .wire import encoded_words, header_check

__all__ = [
    "PREFERENCES_URL",
    "RECIPIENT_EMAIL",
    "UNSUBSCRIBE_MAILTO",
    "UNSUBSCRIBE_URL",
    "batch_cancel",
    "batch_create",
    "batch_pause",
    "batch_progress",
    "batch_resume",
]

# Outbox rows are written this many at a time.
CREATE_CHUNK = 2000
_KEY_MAX_LENGTH = OutboxMessage._meta.get_field("key").max_length
_SUBJECT_MAX_LENGTH = MailBatch._meta.get_field("subject").max_length
# A subscriber id has at most 19 digits, and the key a colon before it.
_KEY_PREFIX_MAX_LENGTH = _KEY_MAX_LENGTH - 20
Status = MailBatch.Status


def list_headers(mailing_list: MailingList, language: str) -> dict[str, str]:
    """List-Id (RFC 2919) and the one-click unsubscribe headers (RFC 2369, RFC 8058); the
    links are per recipient, so they are placeholders here."""
    domain = settings.MAIL_DOMAIN.encode("idna").decode("ascii")
    name = " ".join(list_name(mailing_list, language).split())
    return {
        "List-Id": f"{encoded_words(name, 'List-Id')} <list-{mailing_list.pk}.{domain}>",
        "List-Unsubscribe": f"<{UNSUBSCRIBE_URL}>, <{UNSUBSCRIBE_MAILTO}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Precedence": "list",
    }


def _sender(name: str) -> str:
    """DEFAULT_FROM_EMAIL's address under the list's name: "Lapin MAKO" <noreply@…>."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    name = " ".join(name.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}" <{address}>' if name else address


def _recipient_rows(recipients: Iterable[Subscriber] | QuerySet[Subscriber]) -> Iterator[tuple]:
    """(pk, email, first name, last name) of each recipient, read in one query."""
    if isinstance(recipients, QuerySet):
        queryset = recipients
    else:
        queryset = Subscriber.objects.filter(pk__in=[subscriber.pk for subscriber in recipients])
    return (
        queryset.order_by("pk")
        .values_list("pk", "email", "person__first_name", "person__last_name")
        .iterator(chunk_size=CREATE_CHUNK)
    )


def _queue_rows(
    batch: MailBatch,
    recipients: Iterable[Subscriber] | QuerySet[Subscriber],
    *,
    key_prefix: str,
    now: datetime,
    history: bool,
) -> None:
    """Write one outbox row per recipient: a key, an address and a name each, the rest the
    same for all. One prepared INSERT runs for every chunk of recipients (executemany), about
    five times quicker than building model instances for bulk_create. A row whose key exists
    (a recipient listed twice) is left out."""
    connection = connections[OutboxMessage.objects.db]
    meta = OutboxMessage._meta
    varying = ["key", "to_email", "to_name", "subscriber"]
    constants = {
        "from_email": batch.from_email,
        "language": batch.language,
        "subject": "",
        "body_text": "",
        "body_html": "",
        "headers": {},
        "batch": batch.pk,
        "variables": {},
        "attachments": [],
        "status": OutboxMessage.Status.SENT if history else OutboxMessage.Status.QUEUED,
        "attempts": 0,
        "next_attempt_at": now,
        "claimed_at": None,
        "last_error": "",
        "created_at": now,
        "sent_at": now if history else None,
    }
    fields = [meta.get_field(name) for name in [*varying, *constants]]
    missing = {f.name for f in meta.concrete_fields if not f.primary_key} - {f.name for f in fields}
    if missing:
        raise RuntimeError(f"The outbox rows of a batch lack values for {sorted(missing)}.")
    fixed = tuple(
        meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in constants.items()
    )
    quote = connection.ops.quote_name
    statement = " ".join(
        [
            connection.ops.insert_statement(on_conflict=OnConflict.IGNORE),
            quote(meta.db_table),
            "(" + ", ".join(quote(field.column) for field in fields) + ")",
            "VALUES (" + ", ".join(["%s"] * len(fields)) + ")",
            connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None),
        ]
    )
    rows = (
        (f"{key_prefix}:{pk}", email, f"{first or ''} {last or ''}".strip(), pk, *fixed)
        for pk, email, first, last in _recipient_rows(recipients)
    )
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, CREATE_CHUNK)):
            cursor.executemany(statement, chunk)


def _validated(*, subject: str, body_text: str, key_prefix: str) -> str:
    subject = subject.strip()
    if not subject:
        raise ValidationError(_("A mass sending needs a subject."), code="subject")
    if "\r" in subject or "\n" in subject:
        raise ValidationError(_("The subject may not contain line breaks."), code="subject")
    if len(subject) > _SUBJECT_MAX_LENGTH:
        raise ValidationError(
            _("The subject may have at most %(count)d characters.")
            % {"count": _SUBJECT_MAX_LENGTH},
            code="subject",
        )
    if not body_text.strip():
        raise ValidationError(_("A mass sending needs a text body."), code="body_text")
    if not key_prefix or len(key_prefix) > _KEY_PREFIX_MAX_LENGTH:
        raise ValueError(f"A key prefix must have 1 to {_KEY_PREFIX_MAX_LENGTH} characters.")
    return subject


def batch_create(
    *,
    title: str,
    mailing_list: MailingList,
    language: str,
    subject: str,
    body_text: str,
    body_html: str,
    recipients: Iterable[Subscriber] | QuerySet[Subscriber],
    key_prefix: str,
    created_by: Any = None,
) -> MailBatch:
    """Store a mass sending to `recipients` and start its delivery when the transaction commits.

    The bodies may contain UNSUBSCRIBE_URL, PREFERENCES_URL and RECIPIENT_EMAIL; delivery
    replaces them for each recipient. A second call with a `key_prefix` already used returns
    the first batch and queues nothing. ValidationError for a subject with a line break (it
    would become a header of its own) or an empty subject or text body.

    Inside `services.mail_suppressed()` (history loaded as demo data) the batch is recorded
    as already sent, and nothing is delivered.
    """
    subject = _validated(subject=subject, body_text=body_text, key_prefix=key_prefix)
    language = services.supported_language(language)
    headers = list_headers(mailing_list, language)
    for name, value in headers.items():
        header_check(name, value)
    history = services.mail_is_suppressed()
    with transaction.atomic():
        # Serialises the sendings of one list, so that two requests cannot both start one.
        MailingList.objects.select_for_update().filter(pk=mailing_list.pk).first()
        existing = (
            OutboxMessage.objects.filter(key__startswith=f"{key_prefix}:", batch__isnull=False)
            .values_list("batch_id", flat=True)
            .first()
        )
        if existing is not None:
            return MailBatch.objects.get(pk=existing)
        now = timezone.now()
        batch = MailBatch.objects.create(
            title=title[: MailBatch._meta.get_field("title").max_length],
            mailing_list=mailing_list,
            language=language,
            from_email=_sender(list_name(mailing_list, language)),
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            headers=headers,
            created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        )
        _queue_rows(batch, recipients, key_prefix=key_prefix, now=now, history=history)
        batch.total = batch.messages.count()
        if history or not batch.total:
            batch.status = Status.DONE
            batch.finished_at = now
        batch.save(update_fields=["total", "status", "finished_at"])
        if batch.status == Status.SENDING:
            services.deliver_after_commit()
    return batch


def _locked(batch: MailBatch) -> MailBatch:
    return (
        MailBatch.objects.select_for_update(of=("self",))
        .select_related("mailing_list")
        .get(pk=batch.pk)
    )


def _audit(actor: Any, batch: MailBatch, changes: dict[str, list]) -> None:
    network_ids = [batch.mailing_list.network_id] if batch.mailing_list else []
    audit_record(actor=actor, action="update", obj=batch, changes=changes, network_ids=network_ids)


@transaction.atomic
def batch_pause(batch: MailBatch, actor: Any) -> MailBatch:
    """Stop sending; the messages not yet sent wait until the batch is resumed. Messages a
    worker has already taken (at most one chunk) still go."""
    locked = _locked(batch)
    if locked.status != Status.SENDING:
        raise ValidationError(_("Only a sending in progress can be paused."), code="status")
    locked.status = Status.PAUSED
    locked.paused_at = timezone.now()
    locked.save(update_fields=["status", "paused_at"])
    _audit(actor, locked, {"status": [Status.SENDING, Status.PAUSED]})
    return locked


@transaction.atomic
def batch_resume(batch: MailBatch, actor: Any) -> MailBatch:
    """Go on sending a paused batch; delivery starts when the transaction commits."""
    locked = _locked(batch)
    if locked.status != Status.PAUSED:
        raise ValidationError(_("Only a paused sending can be resumed."), code="status")
    locked.status = Status.SENDING
    locked.paused_at = None
    locked.save(update_fields=["status", "paused_at"])
    _audit(actor, locked, {"status": [Status.PAUSED, Status.SENDING]})
    services.batches_finish([locked.pk])
    locked.refresh_from_db(fields=["status", "finished_at"])
    if locked.status == Status.SENDING:
        services.deliver_after_commit()
    return locked


@transaction.atomic
def batch_cancel(batch: MailBatch, actor: Any) -> MailBatch:
    """Stop a sending for good: the messages not yet sent are skipped. Messages a worker has
    already taken (at most one chunk) still go."""
    locked = _locked(batch)
    if locked.status not in (Status.SENDING, Status.PAUSED):
        raise ValidationError(_("Only a sending in progress can be cancelled."), code="status")
    before = locked.status
    now = timezone.now()
    skipped = locked.messages.filter(status=OutboxMessage.Status.QUEUED).update(
        status=OutboxMessage.Status.SKIPPED, last_error=services.CANCELLED_ERROR
    )
    locked.status = Status.CANCELLED
    locked.finished_at = now
    locked.save(update_fields=["status", "finished_at"])
    _audit(actor, locked, {"status": [before, Status.CANCELLED], "skipped": [0, skipped]})
    return locked


def progress_from_counts(total: int, counts: dict[str, int]) -> dict[str, int]:
    """The figures of a progress bar from a batch's message counts by status."""
    figures = {status: counts.get(status, 0) for status in OutboxMessage.Status.values}
    figures["remaining"] = figures["queued"] + figures["sending"]
    figures["total"] = total
    figures["done"] = figures["sent"] + figures["failed"] + figures["skipped"]
    figures["percent"] = 100 if not total else min(100, figures["done"] * 100 // total)
    return figures


def batch_progress(batch: MailBatch) -> dict[str, int]:
    """How far a sending is: queued, sending, sent, failed, skipped, remaining (queued and
    sending), done, total and percent done. One query."""
    counts = dict(
        batch.messages.order_by()
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return progress_from_counts(batch.total, counts)
