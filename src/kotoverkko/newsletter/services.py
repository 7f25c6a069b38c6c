"""Writing news and bulletins: news items; compiling a month's issue; editing its items and
introduction; a test to oneself; sending it as one mass sending per language edition; and
scheduling, with the timed work that compiles drafts and sends what is due.

Every write runs in one transaction. An issue's row is locked while it changes, so an edit,
a send and a scheduled send cannot overlap: once an issue is sending, its editions are frozen
and nothing in it changes any more.
"""

import calendar
import logging
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotoverkko.common.audit import audit_record, diff, snapshot
from kotoverkko.common.cache import public_pages_changed
from kotoverkko.events.models import Event
from kotoverkko.library.models import Document
from kotoverkko.mailing.services import message_queue
from kotoverkko.network.models import Network
from kotoverkko.network.roles import NetworkTree

from . import selectors
from .models import Edition, Issue, IssueItem, NewsItem
from .rendering import (
    EMAIL_TEMPLATE,
    default_title,
    email_context,
    issue_content,
    issue_render,  # noqa: F401 - part of this module's interface
    placeholders,
    render_email,
    site_url,
)

logger = logging.getLogger("kotoverkko.newsletter")

LANGUAGES = ("fi", "sv", "en")
NEWS_FIELDS = [
    "scope",
    *[f"{name}_{code}" for name in ("title", "text") for code in LANGUAGES],
    "link",
    "publish_on",
]
ISSUE_FIELDS = [f"{name}_{code}" for name in ("title", "introduction") for code in LANGUAGES]
ITEM_TEXT_FIELDS = [f"{name}_{code}" for name in ("heading", "text") for code in LANGUAGES]
EDITABLE = (Issue.Status.DRAFT, Issue.Status.SCHEDULED)
# How far ahead an issue may be scheduled.
SCHEDULE_HORIZON = timedelta(days=366)


def _user(actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _scope(network_id: int) -> list[int]:
    return NetworkTree.load().ancestors(network_id)


def _clean_text(value: Any) -> str:
    """Trimmed text with Windows and old Mac line ends made plain newlines."""
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


# News ---------------------------------------------------------------------------------------


def _news_assign(news: NewsItem, data: dict[str, Any]) -> None:
    unknown = set(data) - set(NEWS_FIELDS)
    if unknown:
        raise ValueError(f"Unknown news fields: {sorted(unknown)}")
    for name, value in data.items():
        if name.startswith("title_"):
            value = " ".join(str(value or "").split())
        elif name.startswith("text_"):
            value = _clean_text(value)
        elif name == "link":
            value = str(value or "").strip()
        setattr(news, name, value)


def _news_validate(news: NewsItem, network: Network) -> None:
    """The title in the network's first language, and in Swedish too if it is bilingual."""
    errors: dict[str, str] = {}
    languages = selectors.network_languages(network)
    required = [languages[0]] + (["sv"] if network.is_bilingual and languages[0] != "sv" else [])
    for code in required:
        if not (getattr(news, f"title_{code}", "") or "").strip():
            errors[f"title_{code}"] = (
                _("A bilingual network's news needs a Swedish title.")
                if code == "sv" and code != languages[0]
                else _("Write the title.")
            )
    if news.link and not news.link.lower().startswith(("https://", "http://")):
        errors["link"] = _("The link must start with https:// or http://.")
    if errors:
        raise ValidationError(errors)
    news.full_clean()


@transaction.atomic
def news_create(*, actor, network: Network, data: dict[str, Any]) -> NewsItem:
    """A news item of the network; it shows on the public pages from its publish date."""
    news = NewsItem(network=network, created_by=_user(actor))
    _news_assign(news, data)
    _news_validate(news, network)
    news.save()
    audit_record(
        actor=actor,
        action="create",
        obj=news,
        changes=diff({}, snapshot(news, NEWS_FIELDS)),
        network_ids=_scope(network.pk),
    )
    public_pages_changed()
    return news


@transaction.atomic
def news_update(*, actor, news: NewsItem, data: dict[str, Any]) -> NewsItem:
    news = NewsItem.objects.select_for_update().select_related("network").get(pk=news.pk)
    before = snapshot(news, NEWS_FIELDS)
    _news_assign(news, data)
    _news_validate(news, news.network)
    news.save()
    changes = diff(before, snapshot(news, NEWS_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="update",
            obj=news,
            changes=changes,
            network_ids=_scope(news.network_id),
        )
        public_pages_changed()
    return news


@transaction.atomic
def news_delete(*, actor, news: NewsItem) -> None:
    """Delete a news item; one that went out in an issue stays, as the archive shows it."""
    news = NewsItem.objects.select_for_update().get(pk=news.pk)
    if IssueItem.objects.filter(news=news).exclude(issue__status__in=EDITABLE).exists():
        raise ValidationError(
            _(
                "This news item went out in a bulletin; it stays in the archive and cannot be "
                "deleted."
            )
        )
    audit_record(
        actor=actor,
        action="delete",
        obj=news,
        changes=diff(snapshot(news, NEWS_FIELDS), {}),
        network_ids=_scope(news.network_id),
    )
    news.delete()
    public_pages_changed()


# Compiling ----------------------------------------------------------------------------------


@transaction.atomic
def issue_compile(
    *, network: Network, month: date, now: datetime, actor=None, extra: bool = False
) -> Issue:
    """The month's issue as a draft: the month's news, the coming trainings and events, and
    the new public documents of its library.

    The month's regular issue (number 1) is made once: compiling it again returns it as it
    is. `extra` makes one more issue for the month, numbered after the last.
    """
    if network.is_team:
        raise ValidationError(_("Bulletins are made for networks, not for teams."))
    month = selectors.month_start(month)
    Network.objects.select_for_update().filter(pk=network.pk).first()
    if extra:
        last = Issue.objects.filter(network=network, month=month).aggregate(n=Max("number"))["n"]
        number = (last or 0) + 1
    else:
        existing = Issue.objects.filter(network=network, month=month, number=1).first()
        if existing is not None:
            return existing
        number = 1
    issue = Issue(
        network=network,
        month=month,
        number=number,
        status=Issue.Status.DRAFT,
        compiled_at=now,
        created_by=_user(actor),
    )
    for code in selectors.network_languages(network):
        title = default_title(network, month, code)
        if number > 1:
            with translation.override(code):
                title = _("%(title)s (extra issue %(number)s)") % {
                    "title": title,
                    "number": number,
                }
        setattr(issue, f"title_{code}", title)
    try:
        with transaction.atomic():
            issue.save()
    except IntegrityError:
        # Another worker compiled the same issue first.
        return Issue.objects.get(network=network, month=month, number=number)
    _compile_items(issue, now)
    audit_record(
        actor=actor,
        action="create",
        obj=issue,
        changes={"month": [None, month.isoformat()], "number": [None, number]},
        network_ids=_scope(network.pk),
    )
    return issue


def _compile_items(issue: Issue, now: datetime) -> None:
    network = issue.network
    today = timezone.localdate(now)
    items: list[IssueItem] = []
    for news in selectors.compile_news(network=network, month=issue.month, today=today):
        items.append(IssueItem(issue=issue, kind=IssueItem.Kind.NEWS, news=news))
    for event in selectors.compile_events(network=network, now=now):
        items.append(IssueItem(issue=issue, kind=IssueItem.Kind.EVENT, event=event))
    for material in selectors.compile_materials(network=network, now=now):
        items.append(IssueItem(issue=issue, kind=IssueItem.Kind.MATERIAL, material=material))
    for position, item in enumerate(items):
        item.position = position
    IssueItem.objects.bulk_create(items)


# Editing ------------------------------------------------------------------------------------


def _lock_editable(issue: Issue) -> Issue:
    locked = Issue.objects.select_for_update().select_related("network").get(pk=issue.pk)
    if locked.status not in EDITABLE:
        raise ValidationError(_("The issue has been sent; it can no longer be changed."))
    return locked


def _renumber(issue: Issue, ordered: list[IssueItem]) -> None:
    changed = []
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            changed.append(item)
    IssueItem.objects.bulk_update(changed, ["position"])


def _items(issue: Issue) -> list[IssueItem]:
    return list(IssueItem.objects.filter(issue=issue).order_by("position", "pk"))


@transaction.atomic
def issue_update(*, actor, issue: Issue, data: dict[str, Any]) -> Issue:
    """The title and introduction in each language."""
    issue = _lock_editable(issue)
    unknown = set(data) - set(ISSUE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown issue fields: {sorted(unknown)}")
    for name, value in data.items():
        if name.startswith("title_"):
            value = " ".join(str(value or "").split())
        else:
            value = _clean_text(value)
        setattr(issue, name, value)
    first = selectors.network_languages(issue.network)[0]
    if not (getattr(issue, f"title_{first}", "") or "").strip():
        raise ValidationError({f"title_{first}": _("Write the title.")})
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def issue_item_move(*, actor, issue: Issue, item: IssueItem, direction: str) -> None:
    """Move an item one place up or down."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose up or down."))
    issue = _lock_editable(issue)
    ordered = _items(issue)
    index = next((i for i, row in enumerate(ordered) if row.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("The item is not in this issue."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(issue, ordered)


@transaction.atomic
def issue_items_reorder(*, actor, issue: Issue, order: list[int]) -> None:
    """Put the items in the given order of their ids; every item must be there once."""
    issue = _lock_editable(issue)
    ordered = _items(issue)
    by_id = {item.pk: item for item in ordered}
    if sorted(order) != sorted(by_id):
        raise ValidationError(_("Give every item of the issue exactly once."))
    _renumber(issue, [by_id[pk] for pk in order])


@transaction.atomic
def issue_item_remove(*, actor, issue: Issue, item: IssueItem) -> None:
    issue = _lock_editable(issue)
    deleted, _rows = IssueItem.objects.filter(pk=item.pk, issue=issue).delete()
    if not deleted:
        raise ValidationError(_("The item is not in this issue."))
    _renumber(issue, _items(issue))


def _append(issue: Issue, item: IssueItem) -> IssueItem:
    last = IssueItem.objects.filter(issue=issue).aggregate(n=Max("position"))["n"]
    item.issue = issue
    item.position = 0 if last is None else last + 1
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def issue_item_add_news(*, actor, issue: Issue, news: NewsItem) -> IssueItem:
    issue = _lock_editable(issue)
    if not selectors.news_is_offered(network=issue.network, news=news):
        raise ValidationError({"news": _("The news item belongs to another network.")})
    if IssueItem.objects.filter(issue=issue, news=news).exists():
        raise ValidationError({"news": _("The issue already has this news item.")})
    return _append(issue, IssueItem(kind=IssueItem.Kind.NEWS, news=news))


@transaction.atomic
def issue_item_add_event(*, actor, issue: Issue, event: Event) -> IssueItem:
    issue = _lock_editable(issue)
    if not selectors.event_is_offered(network=issue.network, event=event):
        raise ValidationError(
            {"event": _("Only public events of the network can be in its bulletin.")}
        )
    if IssueItem.objects.filter(issue=issue, event=event).exists():
        raise ValidationError({"event": _("The issue already has this event.")})
    return _append(issue, IssueItem(kind=IssueItem.Kind.EVENT, event=event))


@transaction.atomic
def issue_item_add_material(*, actor, issue: Issue, material: Document) -> IssueItem:
    issue = _lock_editable(issue)
    if not selectors.material_is_offered(network=issue.network, material=material):
        raise ValidationError({"material": _("Only the network's public documents can be added.")})
    if IssueItem.objects.filter(issue=issue, material=material).exists():
        raise ValidationError({"material": _("The issue already has this material.")})
    return _append(issue, IssueItem(kind=IssueItem.Kind.MATERIAL, material=material))


@transaction.atomic
def issue_item_add_text(*, actor, issue: Issue, data: dict[str, Any]) -> IssueItem:
    """A free text with an optional heading, in each language."""
    issue = _lock_editable(issue)
    unknown = set(data) - set(ITEM_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown text item fields: {sorted(unknown)}")
    item = IssueItem(kind=IssueItem.Kind.TEXT)
    for name, value in data.items():
        clean = " ".join(str(value or "").split()) if name.startswith("heading_") else None
        setattr(item, name, clean if clean is not None else _clean_text(value))
    first = selectors.network_languages(issue.network)[0]
    if not (getattr(item, f"text_{first}", "") or "").strip():
        raise ValidationError({f"text_{first}": _("Write the text.")})
    return _append(issue, item)


@transaction.atomic
def issue_delete(*, actor, issue: Issue) -> None:
    """Delete a draft; a scheduled issue is unscheduled first, a sent one stays."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.status != Issue.Status.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    audit_record(
        actor=actor,
        action="delete",
        obj=locked,
        changes={"month": [locked.month.isoformat(), None]},
        network_ids=_scope(locked.network_id),
    )
    locked.delete()


# Testing, sending and scheduling ------------------------------------------------------------


def issue_send_test(*, issue: Issue, user, language: str | None = None) -> list:
    """The issue to the user's own address, in one language or in each of the network's, so
    that she sees it as subscribers will. Nothing goes to the list."""
    languages = selectors.network_languages(issue.network)
    if language:
        if language not in languages:
            raise ValidationError(_("The network does not publish in that language."))
        languages = [language]
    address = (getattr(user, "email", "") or "").strip()
    if not address:
        raise ValidationError(_("Your account has no e-mail address."))
    person = getattr(user, "person", None)
    with translation.override(languages[0]):
        public = site_url(reverse("newsletter:archive", kwargs={"slug": issue.network.slug}))
    links = {"unsubscribe_url": public, "preferences_url": public}
    items = selectors.issue_items(issue=issue)
    messages = []
    for code in languages:
        content = issue_content(issue, code, items)
        message = message_queue(
            to=address,
            to_name=person.full_name if person is not None else "",
            template=EMAIL_TEMPLATE,
            context=email_context(content, links=links, is_test=True),
            language=code,
            key=f"issue-test:{issue.pk}:{code}:{secrets.token_hex(8)}",
        )
        messages.append(message)
    return messages


def _has_content(issue: Issue, items: list[IssueItem]) -> bool:
    return bool(items) or any(
        (getattr(issue, f"introduction_{code}", "") or "").strip() for code in LANGUAGES
    )


@transaction.atomic
def issue_send(*, issue: Issue, actor, now: datetime) -> list[Edition]:
    """Send the issue now: for each language of the network, freeze its edition and hand it
    to the list as one mass sending. Subscribers get the edition of their language, or the
    network's first language when it does not publish in theirs."""
    locked = _lock_editable(issue)
    return _send_locked(locked, actor=actor, now=now)


def _send_locked(issue: Issue, *, actor, now: datetime) -> list[Edition]:
    from kotoverkko.mailing.batches import batch_create
    from kotoverkko.mailing.subscriptions import list_recipients, mailing_list_for

    items = selectors.issue_items(issue=issue)
    if not _has_content(issue, items):
        raise ValidationError(_("The issue is empty: add items or an introduction first."))
    network = issue.network
    mailing_list = mailing_list_for(network)
    recipients = list_recipients(mailing_list)
    links = placeholders()
    editions = []
    for code in selectors.network_languages(network):
        subject, html, text = render_email(issue_content(issue, code, items), links=links)
        edition = Edition.objects.create(
            issue=issue, language=code, subject=subject[:300], body_html=html, body_text=text
        )
        edition.batch = batch_create(
            title=f"{subject} ({code})"[:300],
            mailing_list=mailing_list,
            language=code,
            subject=subject,
            body_text=text,
            body_html=html,
            recipients=selectors.edition_recipients(
                network=network, language=code, recipients=recipients
            ),
            key_prefix=f"issue:{issue.pk}:{code}",
            created_by=_user(actor),
        )
        edition.save(update_fields=["batch"])
        editions.append(edition)
    previous = issue.status
    issue.status = Issue.Status.SENDING
    issue.sent_at = now
    issue.save(update_fields=["status", "sent_at", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=issue,
        changes={"status": [previous, Issue.Status.SENDING]},
        network_ids=_scope(network.pk),
    )
    public_pages_changed()
    issue_delivery_check(issue=issue)
    return editions


def issue_delivery_check(*, issue: Issue) -> bool:
    """Mark a sending issue sent once none of its editions has messages left to deliver;
    returns whether it is sent."""
    from kotoverkko.mailing.batches import batch_progress
    from kotoverkko.mailing.models import MailBatch

    finished = (MailBatch.Status.DONE, MailBatch.Status.CANCELLED)
    for edition in Edition.objects.filter(issue=issue).select_related("batch"):
        batch = edition.batch
        if batch is None or batch.status in finished:
            continue
        if batch_progress(batch)["remaining"] > 0:
            return False
    Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(status=Issue.Status.SENT)
    return True


@transaction.atomic
def issue_schedule(*, actor, issue: Issue, when: datetime, now: datetime) -> Issue:
    """Send the issue at `when` (the scheduler sends it within a minute of that time)."""
    issue = _lock_editable(issue)
    if timezone.is_naive(when):
        raise ValueError("The sending time must be timezone-aware.")
    if when <= now:
        raise ValidationError({"scheduled_for": _("Choose a time in the future.")})
    if when > now + SCHEDULE_HORIZON:
        raise ValidationError({"scheduled_for": _("Choose a time within a year.")})
    if not _has_content(issue, selectors.issue_items(issue=issue)):
        raise ValidationError(_("The issue is empty: add items or an introduction first."))
    previous = issue.scheduled_for
    issue.status = Issue.Status.SCHEDULED
    issue.scheduled_for = when
    issue.save(update_fields=["status", "scheduled_for", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=issue,
        changes={"scheduled_for": [previous.isoformat() if previous else None, when.isoformat()]},
        network_ids=_scope(issue.network_id),
    )
    return issue


@transaction.atomic
def issue_unschedule(*, actor, issue: Issue) -> Issue:
    issue = _lock_editable(issue)
    if issue.status != Issue.Status.SCHEDULED:
        raise ValidationError(_("The issue is not scheduled."))
    previous = issue.scheduled_for
    issue.status = Issue.Status.DRAFT
    issue.scheduled_for = None
    issue.save(update_fields=["status", "scheduled_for", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=issue,
        changes={"scheduled_for": [previous.isoformat() if previous else None, None]},
        network_ids=_scope(issue.network_id),
    )
    return issue


# Timed work ---------------------------------------------------------------------------------


def compile_day(month: date) -> int:
    """NEWSLETTER_COMPILE_DAY, moved to the month's last day in a shorter month."""
    last = calendar.monthrange(month.year, month.month)[1]
    return min(max(settings.NEWSLETTER_COMPILE_DAY, 1), last)


def issues_compile_due(*, now: datetime) -> list[Issue]:
    """On the compile day, the month's draft of every network with a mailing list (those
    that have it already are left as they are)."""
    today = timezone.localdate(now)
    if today.day != compile_day(today):
        return []
    compiled = []
    for network in selectors.networks_to_compile():
        try:
            compiled.append(issue_compile(network=network, month=today, now=now))
        except ValidationError:
            logger.exception("bulletin not compiled", extra={"network": network.pk})
    return compiled


def issues_send_due(*, now: datetime) -> int:
    """Send the scheduled issues whose time has come; returns how many were sent."""
    sent = 0
    for issue_id in selectors.issues_due(now=now).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                locked = (
                    Issue.objects.select_for_update()
                    .select_related("network")
                    .filter(pk=issue_id, status=Issue.Status.SCHEDULED, scheduled_for__lte=now)
                    .first()
                )
                if locked is None:
                    continue
                _send_locked(locked, actor=None, now=now)
        except ValidationError:
            logger.exception("scheduled bulletin not sent", extra={"issue": issue_id})
        else:
            sent += 1
    return sent


def issues_delivery_check() -> int:
    """Mark sent the sending issues whose editions have been delivered."""
    return sum(1 for issue in selectors.issues_sending() if issue_delivery_check(issue=issue))
