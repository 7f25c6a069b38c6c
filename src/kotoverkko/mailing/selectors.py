"""Reading the outbox for its administration pages."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import OutboxMessage


def outbox_list(*, status: str = "") -> QuerySet[OutboxMessage]:
    """Messages newest first, without their bodies, optionally of one status."""
    messages = OutboxMessage.objects.defer("body_text", "body_html", "headers", "attachments")
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-pk")


def outbox_get(*, message_id: int) -> OutboxMessage:
    return get_object_or_404(OutboxMessage, pk=message_id)
