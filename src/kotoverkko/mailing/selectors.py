"""Reading the outbox and the mass sendings for their administration pages."""

from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from .batches import progress_from_counts
from .models import MailBatch, OutboxMessage


def outbox_list(*, status: str = "") -> QuerySet[OutboxMessage]:
    """Messages newest first, without their bodies, optionally of one status; a message of a
    mass sending comes with its batch's subject."""
    messages = OutboxMessage.objects.select_related("batch").defer(
        "body_text",
        "body_html",
        "headers",
        "attachments",
        "variables",
        "batch__body_text",
        "batch__body_html",
        "batch__headers",
    )
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-pk")


def outbox_get(*, message_id: int) -> OutboxMessage:
    return get_object_or_404(OutboxMessage.objects.select_related("batch"), pk=message_id)


def batch_list() -> QuerySet[MailBatch]:
    """Mass sendings newest first, with their list's network, without their bodies."""
    return (
        MailBatch.objects.select_related("mailing_list__network")
        .defer("body_text", "body_html", "headers")
        .order_by("-created_at", "-pk")
    )


def batch_get(*, batch_id: int) -> MailBatch:
    return get_object_or_404(
        MailBatch.objects.select_related("mailing_list__network", "created_by"), pk=batch_id
    )


def batch_progress_many(batches: Iterable[MailBatch]) -> dict[int, dict[str, int]]:
    """The progress figures of several sendings (a page of them) in one query."""
    batches = list(batches)
    counts: dict[int, dict[str, int]] = {batch.pk: {} for batch in batches}
    rows = (
        OutboxMessage.objects.filter(batch_id__in=counts)
        .order_by()
        .values("batch_id", "status")
        .annotate(count=Count("pk"))
        .values_list("batch_id", "status", "count")
    )
    for batch_id, status, count in rows:
        counts[batch_id][status] = count
    return {batch.pk: progress_from_counts(batch.total, counts[batch.pk]) for batch in batches}
