"""Incoming mail to the list addresses: bounces (delivery status notifications) and mailto
unsubscribes.

The mail server hands every message for `bounce+…@MAIL_DOMAIN` and `unsubscribe+…@MAIL_DOMAIN`
to `kotoverkko mail_receive` (or POSTs it to /mail/inbound/bounce). Every message we send has
its own return path, `bounce+<signed outbox id>@…` (VERP), so a bounce names the message it is
about: through the address it was delivered to, or failing that through the return path or
Message-ID in the copy of our headers that most bounces carry. The flufl.bounce detectors
tell a permanent failure from a temporary one; a message they find no failure in (an
out-of-office reply to the return path, say) is not a bounce.

Only a bounce tied to one of our messages counts towards suppression: anyone can send mail
that looks like a bounce, but not with a signed return path. After MAIL_HARD_BOUNCE_LIMIT hard
bounces the address is suppressed for every list. A bounce that cannot be tied to a message is
recorded for the administrators and changes nothing. Temporary failures are only recorded.
"""

import logging
import re
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from flufl.bounce import all_failures

from .models import Bounce, ConsentRecord, OutboxMessage, Subscriber
from .tokens import bounce_token_read, unsubscribe_token_read

logger = logging.getLogger("kotoverkko.mailing")

# Larger messages are not read: a bounce with the whole newsletter attached is far smaller.
MAX_MESSAGE_BYTES = 10 * 1024 * 1024
_DIAGNOSTIC_MAX_LENGTH = 2000
_SIGNED_ID = r"(\d{1,18}\.[0-9a-f]{24})"  # tokens.bounce_token
_BOUNCE_ADDRESS = re.compile(rf"\bbounce\+{_SIGNED_ID}@", re.IGNORECASE)
_UNSUBSCRIBE_ADDRESS = re.compile(rf"\bunsubscribe\+(\d{{1,18}}\.{_SIGNED_ID})@", re.IGNORECASE)
_MESSAGE_ID = re.compile(rf"<{_SIGNED_ID}@", re.IGNORECASE)
_RECIPIENT_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To")
_STATUS_FIELDS = ("Final-Recipient", "Action", "Status", "Diagnostic-Code")


@dataclass
class Inbound:
    """What became of one incoming message: `bounce` (with the bounces recorded),
    `unsubscribe` (with whether it took anyone off a list) or `ignored`."""

    kind: str
    bounces: list[Bounce] = field(default_factory=list)
    unsubscribed: bool = False


def mail_inbound(raw: bytes, *, envelope_to: str | None = None) -> Inbound:
    """Handle one message to a list address: an unsubscribe request or a bounce."""
    message = message_from_bytes(raw)
    recipients = [envelope_to] if envelope_to else _header_values(message, _RECIPIENT_HEADERS)
    if not any(_BOUNCE_ADDRESS.search(value) for value in recipients):
        for value in recipients:
            match = _UNSUBSCRIBE_ADDRESS.search(value)
            if match and unsubscribe_token_read(match[1]) is not None:
                return Inbound("unsubscribe", unsubscribed=_unsubscribe(match[1]))
    bounces = _bounce_process(raw, message, envelope_to=envelope_to)
    return Inbound("bounce" if bounces else "ignored", bounces=bounces)


def bounce_process(raw: bytes, *, envelope_to: str | None = None) -> list[Bounce]:
    """Record the bounces one delivery status notification reports; [] if it reports none.

    `envelope_to` is the address the mail server delivered the notification to (our
    per-message return path), when the server passes it on.
    """
    return _bounce_process(raw, message_from_bytes(raw), envelope_to=envelope_to)


def _bounce_process(raw: bytes, message: Message, *, envelope_to: str | None) -> list[Bounce]:
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # noqa: BLE001 - a detector that trips over odd mail finds nothing
        logger.warning("bounce detection failed", exc_info=True)
        return []
    hard = sorted(_decoded(address) for address in permanent)
    soft = sorted(_decoded(address) for address in temporary if address not in permanent)
    if not hard and not soft:
        return []
    diagnostic = _diagnostic(message)
    ours = _our_message(raw, message, envelope_to)
    if ours is not None:
        kind = Bounce.Kind.HARD if hard else Bounce.Kind.SOFT
        reported = ", ".join(hard or soft)
        if reported.lower() != ours.to_email.lower():
            diagnostic = f"Reported: {reported}\n{diagnostic}"
        return [_record_ours(ours, kind, diagnostic[:_DIAGNOSTIC_MAX_LENGTH])]
    logger.info("bounce not tied to a message of ours", extra={"addresses": hard + soft})
    return [
        Bounce.objects.create(
            email=address[: Bounce._meta.get_field("email").max_length],
            subscriber=Subscriber.objects.filter(email=address.lower()).first(),
            kind=kind,
            diagnostic=diagnostic[:_DIAGNOSTIC_MAX_LENGTH],
        )
        for kind, addresses in ((Bounce.Kind.HARD, hard), (Bounce.Kind.SOFT, soft))
        for address in addresses
    ]


def _decoded(address: bytes) -> str:
    return address.decode("ascii", errors="replace").strip().lower()


def _our_message(raw: bytes, message: Message, envelope_to: str | None) -> OutboxMessage | None:
    """The outbox message a bounce is about, from a signed id in (in order) the address it
    was delivered to, its recipient headers, and the returned copy of our headers."""
    candidates: list[str] = []
    places = [envelope_to] if envelope_to else []
    places += _header_values(message, _RECIPIENT_HEADERS)
    for value in places:
        candidates += _BOUNCE_ADDRESS.findall(value)
    text = raw.decode("latin-1")
    candidates += _BOUNCE_ADDRESS.findall(text)
    candidates += _MESSAGE_ID.findall(text)
    seen: set[int] = set()
    for token in candidates:
        message_id = bounce_token_read(token)
        if message_id is None or message_id in seen:
            continue
        seen.add(message_id)
        found = OutboxMessage.objects.filter(pk=message_id).first()
        if found is not None:
            return found
    return None


def _header_values(message: Message, names: tuple[str, ...]) -> list[str]:
    return [str(value) for name in names for value in message.get_all(name, [])]


def _diagnostic(message: Message) -> str:
    """The notification's status lines (RFC 3464), or its subject when it has none."""
    lines = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status" or not part.is_multipart():
            continue
        for block in part.get_payload():
            for name in _STATUS_FIELDS:
                if value := block.get(name):
                    lines.append(f"{name}: {' '.join(str(value).split())}")
    if not lines and message.get("Subject"):
        try:
            subject = str(make_header(decode_header(message["Subject"])))
        except (LookupError, UnicodeError, ValueError):
            subject = str(message["Subject"])
        lines.append(f"Subject: {' '.join(subject.split())}")
    return "\n".join(lines)


@transaction.atomic
def _record_ours(message: OutboxMessage, kind: str, diagnostic: str) -> Bounce:
    """Record a bounce of one of our messages, and count a hard one against the address.

    The same notification received twice (a mail server that retried the pipe) is counted
    once: a message bounces hard at most once.
    """
    email = message.to_email.lower()
    subscriber = (
        Subscriber.objects.select_for_update().filter(pk=message.subscriber_id or 0).first()
        or Subscriber.objects.select_for_update().filter(email=email).first()
    )
    existing = Bounce.objects.filter(message=message, kind=kind).first()
    if existing is not None:
        return existing
    bounce = Bounce.objects.create(
        email=email, subscriber=subscriber, message=message, kind=kind, diagnostic=diagnostic
    )
    if kind == Bounce.Kind.HARD and subscriber is not None:
        Subscriber.objects.filter(pk=subscriber.pk).update(hard_bounces=F("hard_bounces") + 1)
        suppressed = Subscriber.objects.filter(
            pk=subscriber.pk,
            hard_bounces__gte=settings.MAIL_HARD_BOUNCE_LIMIT,
            suppressed_at__isnull=True,
        ).update(suppressed_at=timezone.now(), suppression_reason=Subscriber.Suppression.BOUNCES)
        if suppressed:
            logger.info(
                "address suppressed after hard bounces", extra={"subscriber": subscriber.pk}
            )
    return bounce


def _unsubscribe(token: str) -> bool:
    """A mail client's answer to the mailto link of List-Unsubscribe leaves that list."""
    from .subscriptions import unsubscribe_by_token

    try:
        return unsubscribe_by_token(token, ConsentRecord.Basis.ONE_CLICK)
    except ValidationError:
        # A list or subscriber that no longer exists: nothing to leave.
        return False
