"""Who is on which mailing list, with whose consent: subscribing, confirming, leaving.

Every change of a subscription appends a ConsentRecord in the same transaction, so the records
tell the whole story: what was asked (REQUESTED), agreed (GIVEN) or withdrawn (WITHDRAWN), when,
how, and the version of the consent text that was shown.

Double opt-in: the public form only makes a PENDING subscription and sends a confirmation link;
the list sends nothing until the link is used. The form's answer does not depend on whether the
address is known, so it cannot be used to find out who is subscribed.

Leaving a list ends that list's subscription. Leaving every list (`leave_all`) ends all of them
and marks the address so that no membership, import or coordinator puts it on a list again;
only its owner can, through the form and its confirmation link or the preferences page.
A membership's list subscription is undone by the end of the membership, but a membership never
puts back someone who was taken off the list otherwise.
"""

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotoverkko.common.audit import audit_record
from kotoverkko.common.cache import public_pages_changed
from kotoverkko.network.models import LANGUAGE_CHOICES, Membership, Network, Person
from kotoverkko.network.roles import NetworkTree

from . import consent, tokens
from .models import ConsentRecord, MailingList, Subscriber, Subscription
from .services import message_queue

Basis = ConsentRecord.Basis
Action = ConsentRecord.Action
Status = Subscription.Status
Source = Subscription.Source

# One confirmation (or "already subscribed") message per list and address in this many seconds:
# submitting the form again and again does not fill the address's mailbox.
CONFIRM_RESEND_SECONDS = 60 * 60
# Withdrawals made by the subscriber themselves; a coordinator cannot undo them by saying the
# person agreed, only by sending a new confirmation request.
SELF_WITHDRAWALS = frozenset({Basis.ONE_CLICK, Basis.PREFERENCES, Basis.FORM})
_EMAIL_MAX_LENGTH = Subscriber._meta.get_field("email").max_length
_DETAIL_MAX_LENGTH = ConsentRecord._meta.get_field("detail").max_length
_LIST_NAME_MAX_LENGTH = ConsentRecord._meta.get_field("list_name").max_length
_LANGUAGES = {code for code, _label in LANGUAGE_CHOICES}
_CHUNK = 500


# Addresses and links ---------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_validated(email: str) -> str:
    """The address as stored (stripped, lower-case), or ValidationError on the email field."""
    email = normalise_email(email)
    message = _("Enter a valid e-mail address.")
    if not email or len(email) > _EMAIL_MAX_LENGTH:
        raise ValidationError({"email": message}, code="invalid")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": message}, code="invalid") from None
    return email


def _language(code: str | None, fallback: str = "") -> str:
    if code in _LANGUAGES:
        return code
    if fallback in _LANGUAGES:
        return fallback
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in _LANGUAGES else "fi"


def _absolute(name: str, kwargs: dict[str, Any], language: str | None = None) -> str:
    """A link for an e-mail: SITE_URL and the page's address in the given language."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


def unsubscribe_url(subscriber_id: int, list_id: int) -> str:
    """The one-click link of a list's messages: a POST leaves the list (RFC 8058), a GET shows
    a page with a button. It has no language prefix, so it never changes."""
    token = tokens.unsubscribe_token(subscriber_id, list_id)
    return settings.SITE_URL + reverse("mailing_mail:unsubscribe", kwargs={"token": token})


def unsubscribe_mailto(subscriber_id: int, list_id: int) -> str:
    """The mailto form of List-Unsubscribe; the incoming-mail command reads the token."""
    token = tokens.unsubscribe_token(subscriber_id, list_id)
    return f"mailto:unsubscribe+{token}@{settings.MAIL_DOMAIN}?subject=unsubscribe"


def preferences_url(subscriber_id: int, language: str | None = None) -> str:
    """The subscriber's preferences page (every list, language, leaving all)."""
    token = tokens.preferences_token(subscriber_id)
    return _absolute("mailing_lists:preferences", {"token": token}, language)


def confirm_url(subscription_id: int, language: str | None = None) -> str:
    token = tokens.confirm_token(subscription_id)
    return _absolute("mailing_lists:confirm", {"token": token}, language)


# Reading ---------------------------------------------------------------------------------------


def mailing_list_for(network: Network) -> MailingList:
    """The network's (or team's) list, made on first use with the default settings."""
    try:
        return network.mailing_list
    except MailingList.DoesNotExist:
        pass
    mailing_list, _created = MailingList.objects.get_or_create(network=network)
    mailing_list.network = network
    return mailing_list


def mailing_list_get(*, slug: str) -> MailingList:
    """The list of the network with this slug; Network.DoesNotExist if there is none."""
    network = Network.objects.select_related("parent").get(slug=slug)
    return mailing_list_for(network)


def list_recipients(mailing_list: MailingList) -> QuerySet[Subscriber]:
    """Who gets the list's messages now: an active subscription, not left all, not suppressed."""
    return Subscriber.objects.filter(
        subscriptions__mailing_list=mailing_list,
        subscriptions__status=Status.ACTIVE,
        left_all_at__isnull=True,
        suppressed_at__isnull=True,
    ).order_by("pk")


def list_is_open(network: Network) -> bool:
    """Whether the network's list takes subscriptions through the public form (a list not
    made yet will, with the default settings); reads without making the list."""
    is_open = MailingList.objects.filter(network=network).values_list("is_open", flat=True)
    return next(iter(is_open), True)


def list_name(mailing_list: MailingList, language: str | None = None) -> str:
    """The list's name (its network's) in a language, for records and messages."""
    with translation.override(_language(language)):
        return str(mailing_list.network.name)[:_LIST_NAME_MAX_LENGTH]


def subscription_list(
    *, mailing_list: MailingList, status: str = "", search: str = ""
) -> QuerySet[Subscription]:
    """A list's subscriptions for its coordinators, by address; one query whatever the page."""
    rows = Subscription.objects.filter(mailing_list=mailing_list).select_related("subscriber")
    if status:
        rows = rows.filter(status=status)
    if search := normalise_email(search):
        rows = rows.filter(subscriber__email__contains=search)
    return rows.order_by("subscriber__email", "pk")


def subscription_counts(*, mailing_list: MailingList) -> dict[str, int]:
    counts = dict.fromkeys(Status.values, 0)
    rows = (
        Subscription.objects.filter(mailing_list=mailing_list)
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    counts.update(dict(rows))
    counts["reachable"] = list_recipients(mailing_list).count()
    return counts


def subscriber_subscriptions(*, subscriber: Subscriber) -> list[Subscription]:
    """Every list the subscriber is or was on, by name, for the preferences page."""
    rows = Subscription.objects.filter(subscriber=subscriber).select_related(
        "mailing_list__network"
    )
    return sorted(rows, key=lambda row: str(row.mailing_list.network.name).casefold())


def subscriber_from_preferences_token(token: str) -> Subscriber:
    subscriber_id = tokens.preferences_token_read(token)
    subscriber = (
        Subscriber.objects.filter(pk=subscriber_id).first() if subscriber_id is not None else None
    )
    if subscriber is None:
        raise _invalid_link()
    return subscriber


def unsubscribe_target(token: str) -> tuple[Subscriber, MailingList]:
    """The subscriber and list an unsubscribe token names, or ValidationError."""
    ids = tokens.unsubscribe_token_read(token)
    if ids is None:
        raise _invalid_link()
    subscriber = Subscriber.objects.filter(pk=ids[0]).first()
    mailing_list = MailingList.objects.select_related("network").filter(pk=ids[1]).first()
    if subscriber is None or mailing_list is None:
        raise _invalid_link()
    return subscriber, mailing_list


def _invalid_link() -> ValidationError:
    return ValidationError(
        _(
            "This link is not valid. Check that you opened the whole link from the e-mail; "
            "long links are sometimes split over two lines."
        ),
        code="invalid_token",
    )


# Consent records -------------------------------------------------------------------------------


def _record(**fields: Any) -> ConsentRecord:
    return ConsentRecord.objects.create(**_record_fields(**fields))


def _record_fields(
    *,
    subscriber: Subscriber,
    mailing_list: MailingList | None,
    action: str,
    basis: str,
    consent_version: str = "",
    language: str = "",
    detail: str = "",
    ip_address: str | None = None,
    at: datetime | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A record's fields; `names` keeps the list's name per language across many records."""
    language = _language(language, subscriber.language)
    name = ""
    if mailing_list is not None:
        names = {} if names is None else names
        if language not in names:
            names[language] = list_name(mailing_list, language)
        name = names[language]
    return {
        "subscriber": subscriber,
        "mailing_list": mailing_list,
        "list_name": name,
        "action": action,
        "basis": basis,
        "consent_version": consent_version,
        "language": language,
        "detail": " ".join(detail.split())[:_DETAIL_MAX_LENGTH],
        "ip_address": ip_address or None,
        "at": at or timezone.now(),
    }


def _last_withdrawals(mailing_list: MailingList, subscriber_ids: Sequence[int]) -> dict[int, str]:
    """The basis of each subscriber's latest withdrawal from the list (leaving every list
    included), if any."""
    last: dict[int, str] = {}
    for start in range(0, len(subscriber_ids), _CHUNK):
        rows = (
            ConsentRecord.objects.filter(
                Q(mailing_list=mailing_list) | Q(mailing_list__isnull=True),
                action=Action.WITHDRAWN,
                subscriber_id__in=subscriber_ids[start : start + _CHUNK],
            )
            .order_by("subscriber_id", "at", "pk")
            .values_list("subscriber_id", "basis")
        )
        last.update(dict(rows))
    return last


def _left_by_choice(basis: str | None) -> bool:
    """Taken off the list by someone's decision, rather than by a membership that ended."""
    return basis is not None and basis != Basis.MEMBERSHIP


def consent_history(*, subscriber: Subscriber) -> list[dict[str, Any]]:
    """The subscriber's consent records, oldest first, each with the text they saw."""
    records = ConsentRecord.objects.filter(subscriber=subscriber).select_related(
        "mailing_list__network"
    )
    history = []
    for record in records.order_by("at", "pk"):
        # The list's name and the text in the language the subscriber saw them in.
        with translation.override(_language(record.language, subscriber.language)):
            name = record.list_name
            if record.mailing_list is not None:
                name = str(record.mailing_list.network.name)
            text = consent.consent_text(record.consent_version, list_name=name)
        history.append({"record": record, "list": name, "text": text})
    return history


def consent_export(subscriber: Subscriber) -> dict[str, Any]:
    """Everything stored about the address's subscriptions and consents, for its owner."""
    subscriptions = [
        {
            "list": str(row.mailing_list.network.name),
            "status": row.status,
            "source": row.source,
            "created_at": _iso(row.created_at),
            "confirmed_at": _iso(row.confirmed_at),
            "unsubscribed_at": _iso(row.unsubscribed_at),
        }
        for row in subscriber_subscriptions(subscriber=subscriber)
    ]
    records = [
        {
            "at": _iso(item["record"].at),
            "list": item["list"],
            "action": item["record"].action,
            "basis": item["record"].basis,
            "consent_version": item["record"].consent_version,
            "consent_text": item["text"],
            "language": item["record"].language,
            "detail": item["record"].detail,
            "ip_address": item["record"].ip_address or "",
        }
        for item in consent_history(subscriber=subscriber)
    ]
    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "created_at": _iso(subscriber.created_at),
        "left_all_at": _iso(subscriber.left_all_at),
        "suppressed_at": _iso(subscriber.suppressed_at),
        "exported_at": _iso(timezone.now()),
        "subscriptions": subscriptions,
        "consent_records": records,
    }


CONSENT_EXPORT_FIELDS = (
    "at",
    "list",
    "action",
    "basis",
    "consent_version",
    "consent_text",
    "language",
    "detail",
    "ip_address",
)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


# Subscribing through the form ------------------------------------------------------------------


def _subscriber_get_or_create(email: str, language: str) -> Subscriber:
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email, defaults={"language": _language(language)}
    )
    return subscriber


def _subscription_locked(subscriber: Subscriber, mailing_list: MailingList) -> Subscription | None:
    return (
        Subscription.objects.select_for_update(of=("self",))
        .filter(subscriber=subscriber, mailing_list=mailing_list)
        .first()
    )


def _resend_window() -> int:
    return int(time.time() // CONFIRM_RESEND_SECONDS)


def _send_confirmation(subscription: Subscription, language: str) -> None:
    mailing_list = subscription.mailing_list
    message_queue(
        to=subscription.subscriber.email,
        template="mailing/lists/email/confirm",
        context={
            "list_name": list_name(mailing_list, language),
            "confirm_url": confirm_url(subscription.pk, language),
            "valid_days": tokens.CONFIRM_MAX_AGE.days,
        },
        language=language,
        key=f"list-confirm:{subscription.pk}:{_resend_window()}",
    )


def _send_already_subscribed(subscription: Subscription, language: str) -> None:
    subscriber = subscription.subscriber
    message_queue(
        to=subscriber.email,
        template="mailing/lists/email/already_subscribed",
        context={
            "list_name": list_name(subscription.mailing_list, language),
            "preferences_url": preferences_url(subscriber.pk, language),
        },
        language=language,
        key=f"list-already:{subscription.pk}:{_resend_window()}",
    )


@transaction.atomic
def subscribe_request(
    *,
    mailing_list: MailingList,
    email: str,
    language: str,
    ip_address: str | None,
    consent_version: str,
) -> Subscription:
    """A request from the public form: a pending subscription and a confirmation link.

    What the visitor sees does not depend on the address: an address already on the list gets
    a message saying so instead of a link, and an address an administrator has stopped gets
    nothing. The known subscriber's language and settings change only when the link is used.
    """
    if not mailing_list.is_open:
        raise ValidationError(_("This list does not take subscriptions through the site."))
    if not consent.is_known_version(consent_version):
        raise ValidationError(
            _("The subscription form has changed since you opened it. Read it again and resend.")
        )
    email = email_validated(email)
    language = _language(language)
    subscriber = _subscriber_get_or_create(email, language)
    Subscription.objects.get_or_create(
        mailing_list=mailing_list,
        subscriber=subscriber,
        defaults={"status": Status.PENDING, "source": Source.FORM},
    )
    subscription = _subscription_locked(subscriber, mailing_list)
    subscription.subscriber = subscriber
    subscription.mailing_list = mailing_list
    if subscription.status == Status.ACTIVE and subscriber.is_reachable:
        _send_already_subscribed(subscription, subscriber.language)
        return subscription
    if subscription.status == Status.UNSUBSCRIBED:
        subscription.status = Status.PENDING
        subscription.save(update_fields=["status"])
    _record(
        subscriber=subscriber,
        mailing_list=mailing_list,
        action=Action.REQUESTED,
        basis=Basis.FORM,
        consent_version=consent_version,
        language=language,
        ip_address=ip_address,
    )
    if subscriber.suppression_reason != Subscriber.Suppression.ADMINISTRATOR:
        _send_confirmation(subscription, language)
    return subscription


def subscription_for_confirm_token(token: str) -> Subscription:
    """The subscription a confirmation link names, or ValidationError saying what is wrong
    with the link (expired, or not a link the site made)."""
    subscription_id = tokens.confirm_token_read(token)
    if subscription_id is None:
        raise _confirm_link_error(token)
    subscription = (
        Subscription.objects.select_related("subscriber", "mailing_list__network")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise _invalid_link()
    if subscription.status == Status.UNSUBSCRIBED:
        raise _left_after_link()
    return subscription


def _left_after_link() -> ValidationError:
    return ValidationError(
        _(
            "You left this list after this link was sent, so it no longer subscribes you. "
            "To join the list again, use the subscription form."
        ),
        code="left",
    )


def _confirm_link_error(token: str) -> ValidationError:
    parts = (token or "").strip().split(".")
    issued = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() and len(parts[1]) < 19 else -1
    if issued >= 0 and tokens.confirm_token_read(token, now=issued) is not None:
        return ValidationError(
            _(
                "This confirmation link has expired: links are valid for %(days)d days. "
                "Subscribe again to get a new link."
            )
            % {"days": tokens.CONFIRM_MAX_AGE.days},
            code="expired",
        )
    return _invalid_link()


@transaction.atomic
def subscribe_confirm(token: str, *, ip_address: str | None = None) -> Subscription:
    """The owner of the address used the confirmation link: the subscription is active.

    Using the link again changes nothing. The language chosen on the form, and the consent
    text shown there, come from the request the link answers.
    """
    found = subscription_for_confirm_token(token)
    # Address first, then subscription: the order every service here locks them in.
    subscriber = Subscriber.objects.select_for_update().get(pk=found.subscriber_id)
    subscription = _subscription_locked(subscriber, found.mailing_list)
    subscription.subscriber = subscriber
    subscription.mailing_list = found.mailing_list
    if subscription.status == Status.ACTIVE and subscriber.is_reachable:
        return subscription
    if subscription.status == Status.UNSUBSCRIBED:
        raise _left_after_link()
    request = (
        ConsentRecord.objects.filter(
            subscriber=subscriber, mailing_list=subscription.mailing_list, action=Action.REQUESTED
        )
        .order_by("-at", "-pk")
        .first()
    )
    now = timezone.now()
    subscription.status = Status.ACTIVE
    subscription.confirmed_at = now
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    _make_reachable(subscriber, language=request.language if request else "")
    _record(
        subscriber=subscriber,
        mailing_list=subscription.mailing_list,
        action=Action.GIVEN,
        basis=request.basis if request else Basis.FORM,
        consent_version=request.consent_version if request else "",
        language=request.language if request else subscriber.language,
        ip_address=ip_address,
        at=now,
    )
    return subscription


def _make_reachable(subscriber: Subscriber, *, language: str = "") -> None:
    """The owner showed they read the address: a choice to leave everything is undone by their
    new one, and a suppression for bounces is lifted, since the address works again."""
    fields = []
    if subscriber.left_all_at is not None:
        subscriber.left_all_at = None
        fields.append("left_all_at")
    if subscriber.suppression_reason == Subscriber.Suppression.BOUNCES:
        subscriber.suppressed_at = None
        subscriber.suppression_reason = ""
        subscriber.hard_bounces = 0
        fields += ["suppressed_at", "suppression_reason", "hard_bounces"]
    if language in _LANGUAGES and language != subscriber.language:
        subscriber.language = language
        fields.append("language")
    if fields:
        subscriber.save(update_fields=fields)


# Leaving and coming back -----------------------------------------------------------------------


@transaction.atomic
def unsubscribe(
    *,
    subscriber: Subscriber,
    mailing_list: MailingList,
    basis: str,
    ip_address: str | None = None,
    detail: str = "",
) -> bool:
    """Take the address off one list (its other lists stay); True if that changed anything."""
    subscription = _subscription_locked(subscriber, mailing_list)
    if subscription is None or subscription.status == Status.UNSUBSCRIBED:
        return False
    now = timezone.now()
    subscription.status = Status.UNSUBSCRIBED
    subscription.unsubscribed_at = now
    subscription.save(update_fields=["status", "unsubscribed_at"])
    _record(
        subscriber=subscriber,
        mailing_list=mailing_list,
        action=Action.WITHDRAWN,
        basis=basis,
        detail=detail,
        ip_address=ip_address,
        at=now,
    )
    return True


def unsubscribe_by_token(token: str, basis: str, ip_address: str | None = None) -> bool:
    """Leave the list an unsubscribe token names (the one-click link, the mailto address).

    True if the address was on the list, False if it had already left; ValidationError (code
    "invalid_token") for a token the site did not make or whose list or address is gone.
    """
    subscriber, mailing_list = unsubscribe_target(token)
    return unsubscribe(
        subscriber=subscriber, mailing_list=mailing_list, basis=basis, ip_address=ip_address
    )


@transaction.atomic
def leave_all(*, subscriber: Subscriber, basis: str, ip_address: str | None = None) -> bool:
    """Leave every list, now and later: memberships, imports and coordinators no longer put
    the address on a list. One record, for every list; True if anything changed."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    current = Subscription.objects.filter(
        subscriber=subscriber, status__in=[Status.ACTIVE, Status.PENDING]
    ).select_related("mailing_list__network")
    names = sorted(
        (list_name(row.mailing_list, subscriber.language) for row in current), key=str.casefold
    )
    if subscriber.left_all_at is not None and not names:
        return False
    now = timezone.now()
    current.update(status=Status.UNSUBSCRIBED, unsubscribed_at=now)
    if subscriber.left_all_at is None:
        subscriber.left_all_at = now
        subscriber.save(update_fields=["left_all_at"])
    _record(
        subscriber=subscriber,
        mailing_list=None,
        action=Action.WITHDRAWN,
        basis=basis,
        detail=", ".join(names),
        ip_address=ip_address,
        at=now,
    )
    return True


@transaction.atomic
def rejoin(
    *,
    subscriber: Subscriber,
    mailing_list: MailingList,
    ip_address: str | None = None,
    consent_version: str = consent.CURRENT_VERSION,
) -> bool:
    """Join again, from the preferences page, a list the address was on; True if it changed
    anything. Joining one list undoes leaving every list, for that list only."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscription = _subscription_locked(subscriber, mailing_list)
    if subscription is None:
        raise ValidationError(_("You can join again only a list you have been on."))
    if subscription.status == Status.ACTIVE and subscriber.left_all_at is None:
        return False
    now = timezone.now()
    subscription.status = Status.ACTIVE
    subscription.confirmed_at = now
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    _make_reachable(subscriber)
    _record(
        subscriber=subscriber,
        mailing_list=mailing_list,
        action=Action.GIVEN,
        basis=Basis.PREFERENCES,
        consent_version=consent_version,
        ip_address=ip_address,
        at=now,
    )
    return True


def own_subscriber(user) -> Subscriber | None:
    """The subscriber of a logged-in person's address, if the address is known to the lists."""
    return Subscriber.objects.filter(email=normalise_email(user.email)).first()


@transaction.atomic
def subscription_self_join(
    *, user, mailing_list: MailingList, ip_address: str | None = None
) -> Subscription:
    """A logged-in person puts her own address on a list, through the API.

    Her login stands for the confirmation link: the subscription is active at once, with the
    API as the consent basis. An open list takes anyone; a closed one only the network's
    members. Joining undoes an earlier choice to leave every list, as rejoining does.
    """
    from kotoverkko.network.roles import roles_for

    network = mailing_list.network
    if not mailing_list.is_open and network.pk not in roles_for(user).member_of:
        raise ValidationError(_("Only the network's members can join this list."))
    email = email_validated(user.email)
    person = getattr(user, "person", None)
    language = getattr(person, "language", "") or (network.languages or ["fi"])[0]
    subscriber = Subscriber.objects.select_for_update().get(
        pk=_subscriber_get_or_create(email, language).pk
    )
    subscription = _subscription_locked(subscriber, mailing_list)
    if (
        subscription is not None
        and subscription.status == Status.ACTIVE
        and subscriber.left_all_at is None
    ):
        return subscription
    now = timezone.now()
    if subscription is None:
        subscription = Subscription(
            mailing_list=mailing_list, subscriber=subscriber, source=Subscription.Source.API
        )
    subscription.status = Status.ACTIVE
    subscription.confirmed_at = now
    subscription.unsubscribed_at = None
    subscription.save()
    _make_reachable(subscriber)
    _record(
        subscriber=subscriber,
        mailing_list=mailing_list,
        action=Action.GIVEN,
        basis=Basis.API,
        consent_version=consent.CURRENT_VERSION,
        language=translation.get_language() or language,
        ip_address=ip_address,
        at=now,
    )
    return subscription


def subscriber_language_set(*, subscriber: Subscriber, language: str) -> bool:
    """The language of the subscriber's messages; True if it changed."""
    if language not in _LANGUAGES:
        raise ValidationError({"language": _("Choose Finnish, Swedish or English.")})
    changed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(language=language)
        .update(language=language)
    )
    subscriber.language = language
    return bool(changed)


# Coordinators ---------------------------------------------------------------------------------


def _basis_of(source: str) -> str:
    return Basis.API if source == Source.API else Basis.COORDINATOR


def _actor_detail(actor) -> str:
    return str(getattr(actor, "email", "") or "")


@transaction.atomic
def subscription_add_by_coordinator(
    *,
    actor,
    mailing_list: MailingList,
    email: str,
    language: str,
    consented: bool,
    source: str = Source.COORDINATOR,
) -> Subscription:
    """Put an address on the list for a coordinator (or an API client).

    With `consented` the coordinator states that the person has agreed (asked in person, in
    writing): the subscription is active at once. Without it the address gets a confirmation
    link and is on the list when the link is used. An address that left every list, or left
    this list itself, cannot be made active this way.
    """
    email = email_validated(email)
    basis = _basis_of(source)
    subscriber = _subscriber_get_or_create(email, language)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.left_all_at is not None:
        raise ValidationError(
            {
                "email": _(
                    "This address has left every list. Only its owner can subscribe it again, "
                    "through the subscription form."
                )
            }
        )
    subscription, created = Subscription.objects.get_or_create(
        mailing_list=mailing_list,
        subscriber=subscriber,
        defaults={"status": Status.PENDING, "source": source},
    )
    if not created:
        subscription = _subscription_locked(subscriber, mailing_list)
    before = None if created else subscription.status
    if before == Status.ACTIVE:
        raise ValidationError({"email": _("This address is already on the list.")})
    if (
        consented
        and not created
        and _last_withdrawals(mailing_list, [subscriber.pk]).get(subscriber.pk) in SELF_WITHDRAWALS
    ):
        raise ValidationError(
            {
                "consented": _(
                    "This address left the list itself. Send a confirmation request instead: "
                    "it is on the list again once its owner uses the link."
                )
            }
        )
    now = timezone.now()
    subscription.source = source
    if consented:
        subscription.status = Status.ACTIVE
        subscription.confirmed_at = now
        subscription.unsubscribed_at = None
    else:
        subscription.status = Status.PENDING
    subscription.save()
    subscription.mailing_list = mailing_list
    subscription.subscriber = subscriber
    _record(
        subscriber=subscriber,
        mailing_list=mailing_list,
        action=Action.GIVEN if consented else Action.REQUESTED,
        basis=basis,
        consent_version="",
        language=language,
        detail=_actor_detail(actor),
        at=now,
    )
    if not consented:
        _send_confirmation(subscription, subscriber.language)
    audit_record(
        actor=actor,
        action="update" if before else "create",
        obj=subscription,
        changes={"status": [before, subscription.status], "source": [None, source]},
        network_ids=[mailing_list.network_id],
    )
    return subscription


@transaction.atomic
def subscription_remove(
    *, actor, subscription: Subscription, source: str = Source.COORDINATOR
) -> bool:
    """A coordinator takes an address off the list; the records stay."""
    changed = unsubscribe(
        subscriber=subscription.subscriber,
        mailing_list=subscription.mailing_list,
        basis=_basis_of(source),
        detail=_actor_detail(actor),
    )
    if changed:
        audit_record(
            actor=actor,
            action="update",
            obj=subscription,
            changes={"status": [subscription.status, Status.UNSUBSCRIBED]},
            network_ids=[subscription.mailing_list.network_id],
        )
        subscription.status = Status.UNSUBSCRIBED
    return changed


@transaction.atomic
def mailing_list_update(
    *, actor, mailing_list: MailingList, is_open: bool, members_subscribed: bool
) -> MailingList:
    """Change a list's settings. Turning `members_subscribed` on puts the current members on
    the list (except those who left it or every list)."""
    before = {
        "is_open": mailing_list.is_open,
        "members_subscribed": mailing_list.members_subscribed,
    }
    mailing_list.is_open = is_open
    mailing_list.members_subscribed = members_subscribed
    mailing_list.save(update_fields=["is_open", "members_subscribed"])
    after = {"is_open": is_open, "members_subscribed": members_subscribed}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        audit_record(
            actor=actor,
            action="update",
            obj=mailing_list,
            changes=changes,
            network_ids=[mailing_list.network_id],
        )
    if "is_open" in changes:
        # The network's public page links to the form only while the list is open.
        public_pages_changed()
    if members_subscribed and not before["members_subscribed"]:
        network = mailing_list.network
        below = NetworkTree.load().descendants(network.pk)
        people = Person.objects.filter(
            memberships__network_id__in=below, memberships__status=Membership.Status.ACTIVE
        ).distinct()
        _membership_subscribe(mailing_list, list(people), network)
    return mailing_list


# Memberships -----------------------------------------------------------------------------------


def subscription_membership_add(person: Person, network: Network) -> int:
    """A membership became active: the person is put on the lists of the network and of every
    network above it (a member of a regional network or team is a member of those too), where
    the list has `members_subscribed`. Returns how many subscriptions became active."""
    return subscription_membership_add_many(people=[person], network=network)


def subscription_membership_add_many(*, people: Sequence[Person], network: Network) -> int:
    """`subscription_membership_add` for many people at once (member imports), in a few queries
    per list whatever their number."""
    if not people:
        return 0
    added = 0
    chain = NetworkTree.load().ancestors(network.pk)
    networks = {n.pk: n for n in Network.objects.filter(pk__in=chain)}
    for network_id in chain:
        mailing_list = mailing_list_for(networks[network_id])
        if mailing_list.members_subscribed:
            added += _membership_subscribe(mailing_list, people, network)
    return added


def _membership_subscribe(
    mailing_list: MailingList, people: Sequence[Person], joined: Network
) -> int:
    with transaction.atomic():
        subscribers = _subscribers_for_people(people)
        ids = [subscriber.pk for subscriber in subscribers]
        existing = {
            row.subscriber_id: row
            for start in range(0, len(ids), _CHUNK)
            for row in Subscription.objects.filter(
                mailing_list=mailing_list, subscriber_id__in=ids[start : start + _CHUNK]
            )
        }
        withdrawals = _last_withdrawals(mailing_list, [pk for pk in ids if pk in existing])
        now = timezone.now()
        names: dict[str, str] = {}
        new_rows: list[Subscription] = []
        changed_rows: list[Subscription] = []
        records: list[ConsentRecord] = []
        for subscriber in subscribers:
            row = existing.get(subscriber.pk)
            if subscriber.left_all_at is not None or (row and row.status == Status.ACTIVE):
                continue
            if row is not None and _left_by_choice(withdrawals.get(subscriber.pk)):
                continue
            if row is None:
                row = Subscription(mailing_list=mailing_list, subscriber=subscriber, created_at=now)
                new_rows.append(row)
            else:
                changed_rows.append(row)
            row.status = Status.ACTIVE
            row.source = Source.MEMBERSHIP
            row.confirmed_at = now
            row.unsubscribed_at = None
            records.append(
                ConsentRecord(
                    **_record_fields(
                        subscriber=subscriber,
                        mailing_list=mailing_list,
                        action=Action.GIVEN,
                        basis=Basis.MEMBERSHIP,
                        detail=joined.name_fi or joined.name,
                        at=now,
                        names=names,
                    )
                )
            )
        Subscription.objects.bulk_create(new_rows, batch_size=_CHUNK)
        Subscription.objects.bulk_update(
            changed_rows, ["status", "source", "confirmed_at", "unsubscribed_at"], batch_size=_CHUNK
        )
        ConsentRecord.objects.bulk_create(records, batch_size=_CHUNK)
    return len(records)


def _subscribers_for_people(people: Sequence[Person]) -> list[Subscriber]:
    """The subscriber of each person's current address, made where missing and linked to the
    person where it is free to link."""
    by_email: dict[str, Person] = {}
    for person in people:
        email = normalise_email(person.email)
        if email:
            by_email.setdefault(email, person)
    emails = list(by_email)
    linked = set(
        Subscriber.objects.filter(person__in=[p.pk for p in by_email.values()]).values_list(
            "person_id", flat=True
        )
    )
    found = _subscribers_by_email(emails)
    missing = [
        Subscriber(
            email=email,
            language=_language(person.language),
            person=person if person.pk not in linked else None,
        )
        for email, person in by_email.items()
        if email not in found
    ]
    if missing:
        # Another request may add one of the addresses meanwhile; it is read back below.
        Subscriber.objects.bulk_create(missing, batch_size=_CHUNK, ignore_conflicts=True)
        found = _subscribers_by_email(emails)
    to_link = []
    for email, subscriber in found.items():
        person = by_email[email]
        if subscriber.person_id is None and person.pk not in linked:
            subscriber.person = person
            linked.add(person.pk)
            to_link.append(subscriber)
    Subscriber.objects.bulk_update(to_link, ["person"], batch_size=_CHUNK)
    return [found[email] for email in emails if email in found]


def _subscribers_by_email(emails: Sequence[str]) -> dict[str, Subscriber]:
    return {
        subscriber.email: subscriber
        for start in range(0, len(emails), _CHUNK)
        for subscriber in Subscriber.objects.filter(email__in=emails[start : start + _CHUNK])
    }


@transaction.atomic
def subscription_membership_end(person: Person, network: Network) -> int:
    """A membership ended (call after its status is saved): the subscriptions it made end on
    the lists of the networks the person is no longer a member of. A subscription the person
    made themselves, or a coordinator or an import made, stays."""
    tree = NetworkTree.load()
    still_member: set[int] = set()
    for network_id in Membership.objects.filter(
        person=person, status=Membership.Status.ACTIVE
    ).values_list("network_id", flat=True):
        still_member.update(tree.ancestors(network_id))
    left = [pk for pk in tree.ancestors(network.pk) if pk not in still_member]
    subscriber = Subscriber.objects.filter(
        Q(email=normalise_email(person.email)) | Q(person=person)
    ).first()
    if subscriber is None or not left:
        return 0
    ended = 0
    rows = Subscription.objects.filter(
        subscriber=subscriber,
        mailing_list__network_id__in=left,
        source=Source.MEMBERSHIP,
        status__in=[Status.ACTIVE, Status.PENDING],
    ).select_related("mailing_list__network")
    for row in rows:
        ended += unsubscribe(
            subscriber=subscriber,
            mailing_list=row.mailing_list,
            basis=Basis.MEMBERSHIP,
            detail=network.name_fi or network.name,
        )
    return ended


# Imports --------------------------------------------------------------------------------------


@dataclass
class ImportEntry:
    """One address of an imported list, and what the import did with it."""

    email: str
    language: str
    outcome: str = ""  # "added", "already", "left"
    confirmed_elsewhere: bool = False


def subscription_import(
    *, actor, mailing_list: MailingList, entries: Iterable[ImportEntry], filename: str
) -> list[ImportEntry]:
    """Put the imported addresses on the list, active, with the import as their consent basis
    (the coordinator has stated that the people agreed). No confirmation is sent to anyone.

    Addresses already on the list are left as they are; addresses that left this list or every
    list are not put back. Runs in the caller's transaction; a few queries per 500 addresses.
    """
    entries = list(entries)
    emails = [entry.email for entry in entries]
    found = _subscribers_by_email(emails)
    missing = [
        Subscriber(email=entry.email, language=_language(entry.language))
        for entry in entries
        if entry.email not in found
    ]
    if missing:
        Subscriber.objects.bulk_create(missing, batch_size=_CHUNK, ignore_conflicts=True)
        found = _subscribers_by_email(emails)
    ids = [subscriber.pk for subscriber in found.values()]
    existing = {
        row.subscriber_id: row
        for start in range(0, len(ids), _CHUNK)
        for row in Subscription.objects.filter(
            mailing_list=mailing_list, subscriber_id__in=ids[start : start + _CHUNK]
        )
    }
    withdrawals = _last_withdrawals(mailing_list, [pk for pk in ids if pk in existing])
    confirmed: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        confirmed.update(
            ConsentRecord.objects.filter(
                subscriber_id__in=ids[start : start + _CHUNK], action=Action.GIVEN
            )
            .exclude(mailing_list=mailing_list)
            .values_list("subscriber_id", flat=True)
        )
    now = timezone.now()
    names: dict[str, str] = {}
    new_rows: list[Subscription] = []
    changed_rows: list[Subscription] = []
    records: list[ConsentRecord] = []
    for entry in entries:
        subscriber = found[entry.email]
        row = existing.get(subscriber.pk)
        entry.confirmed_elsewhere = subscriber.pk in confirmed
        if row is not None and row.status == Status.ACTIVE:
            entry.outcome = "already"
            continue
        if subscriber.left_all_at is not None or (
            row is not None and _left_by_choice(withdrawals.get(subscriber.pk))
        ):
            entry.outcome = "left"
            continue
        if row is None:
            row = Subscription(mailing_list=mailing_list, subscriber=subscriber, created_at=now)
            new_rows.append(row)
        else:
            changed_rows.append(row)
        row.status = Status.ACTIVE
        row.source = Source.IMPORT
        row.confirmed_at = now
        row.unsubscribed_at = None
        entry.outcome = "added"
        records.append(
            ConsentRecord(
                **_record_fields(
                    subscriber=subscriber,
                    mailing_list=mailing_list,
                    action=Action.GIVEN,
                    basis=Basis.IMPORT,
                    detail=filename,
                    at=now,
                    names=names,
                )
            )
        )
    Subscription.objects.bulk_create(new_rows, batch_size=_CHUNK)
    Subscription.objects.bulk_update(
        changed_rows, ["status", "source", "confirmed_at", "unsubscribed_at"], batch_size=_CHUNK
    )
    ConsentRecord.objects.bulk_create(records, batch_size=_CHUNK)
    if records:
        audit_record(
            actor=actor,
            action="update",
            obj=mailing_list,
            changes={"imported": [filename, len(records)]},
            network_ids=[mailing_list.network_id],
        )
    return entries
