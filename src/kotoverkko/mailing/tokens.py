"""Signed tokens in the links and addresses of list mail.

A token is its payload (numbers joined by dots) and a keyed hash of it in lower-case hex, so it
survives where case does not: the local part of an e-mail address (`unsubscribe+<token>@…`,
`bounce+<token>@…`) may be folded to lower case by a mail server. Unsubscribe and preferences
tokens do not expire: a link in a message from years ago must still let its reader leave. A
confirmation token carries its issue time and expires after CONFIRM_MAX_AGE.
"""

import time
from datetime import timedelta

from django.utils.crypto import constant_time_compare, salted_hmac

CONFIRM_MAX_AGE = timedelta(days=7)
_HASH_LENGTH = 24


def _sign(purpose: str, *numbers: int) -> str:
    payload = ".".join(str(int(number)) for number in numbers)
    digest = salted_hmac(f"kotoverkko.mailing.{purpose}", payload).hexdigest()[:_HASH_LENGTH]
    return f"{payload}.{digest}"


def _read(purpose: str, token: str, count: int) -> tuple[int, ...] | None:
    parts = (token or "").strip().lower().split(".")
    if len(parts) != count + 1 or not all(part.isdigit() and len(part) < 19 for part in parts[:-1]):
        return None
    numbers = tuple(int(part) for part in parts[:-1])
    if not constant_time_compare(_sign(purpose, *numbers), ".".join(parts)):
        return None
    return numbers


def unsubscribe_token(subscriber_id: int, list_id: int) -> str:
    """Leaves one list: the List-Unsubscribe link and address of that list's messages."""
    return _sign("unsubscribe", subscriber_id, list_id)


def unsubscribe_token_read(token: str) -> tuple[int, int] | None:
    """(subscriber id, list id), or None for a token that was not signed here."""
    numbers = _read("unsubscribe", token, 2)
    return (numbers[0], numbers[1]) if numbers else None


def preferences_token(subscriber_id: int) -> str:
    """Opens the subscriber's preferences page: every list, language, leaving all."""
    return _sign("preferences", subscriber_id)


def preferences_token_read(token: str) -> int | None:
    numbers = _read("preferences", token, 1)
    return numbers[0] if numbers else None


def confirm_token(subscription_id: int, *, now: float | None = None) -> str:
    """Confirms a pending subscription (double opt-in); valid for CONFIRM_MAX_AGE."""
    issued = int(now if now is not None else time.time())
    return _sign("confirm", subscription_id, issued)


def confirm_token_read(token: str, *, now: float | None = None) -> int | None:
    """The subscription id, or None for a forged or expired token."""
    numbers = _read("confirm", token, 2)
    if numbers is None:
        return None
    subscription_id, issued = numbers
    age = (now if now is not None else time.time()) - issued
    if age < 0 or age > CONFIRM_MAX_AGE.total_seconds():
        return None
    return subscription_id


def bounce_token(message_id: int) -> str:
    """The per-message envelope sender (VERP): `bounce+<token>@MAIL_BOUNCE_DOMAIN`."""
    return _sign("bounce", message_id)


def bounce_token_read(token: str) -> int | None:
    numbers = _read("bounce", token, 1)
    return numbers[0] if numbers else None
