"""An issue as readers see it: its content in one language, the e-mail (subject, HTML and
plain text) made from it, and the same content for the archive page.

Texts of news items, introductions and text items are plain text with blank lines between
paragraphs; they are escaped wherever HTML is made of them, never trusted as markup.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, loader
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from kotoverkko.events.models import Event
from kotoverkko.library.models import Document

from . import selectors
from .models import Issue, IssueItem, NewsItem

HELSINKI = ZoneInfo("Europe/Helsinki")
EMAIL_TEMPLATE = "newsletter/email/issue"
EVENT_TEXT_WORDS = 40


@dataclass
class Entry:
    """One item of an issue, ready to show: every text already in the edition's language."""

    title: str = ""
    text: str = ""
    url: str = ""
    link_label: str = ""
    when: str = ""
    when_iso: str = ""
    place: str = ""
    meta: str = ""


@dataclass
class Section:
    """Consecutive items of one kind under one heading (a text item is a section of its own)."""

    key: str
    heading: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class IssueContent:
    language: str
    subject: str
    title: str
    network_name: str
    month_label: str
    introduction: str
    sections: list[Section]
    archive_url: str
    network_url: str
    contact_name: str
    contact_email: str


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def default_title(network, month, language: str) -> str:
    """The default title, e.g. "Lapin MAKO-verkosto: bulletin 3/2026", in the language."""
    with translation.override(language):
        return _("%(network)s: bulletin %(month)s/%(year)s") % {
            "network": network.name,
            "month": month.month,
            "year": month.year,
        }


def event_when(event: Event) -> str:
    """The event's date and time in Finnish time, written the edition's way."""
    start = event.starts_at.astimezone(HELSINKI)
    end = event.ends_at.astimezone(HELSINKI)
    start_day = _day(start)
    if start.date() == end.date():
        return _("%(day)s at %(start)s–%(end)s") % {
            "day": start_day,
            "start": formats.time_format(start, "TIME_FORMAT"),
            "end": formats.time_format(end, "TIME_FORMAT"),
        }
    return _("%(start_day)s at %(start)s – %(end_day)s at %(end)s") % {
        "start_day": start_day,
        "start": formats.time_format(start, "TIME_FORMAT"),
        "end_day": _day(end),
        "end": formats.time_format(end, "TIME_FORMAT"),
    }


def _day(moment: datetime) -> str:
    return capfirst(
        f"{formats.date_format(moment, 'l')} {formats.date_format(moment, 'DATE_FORMAT')}"
    )


def event_place(event: Event) -> str:
    """Where: the venue and address, online (and on which platform), or both."""
    place = online = ""
    if event.is_in_person:
        address = [event.venue_name, event.street_address]
        if event.municipality_id:
            address.append(event.municipality.name)
        place = ", ".join(part for part in address if part)
    if event.is_online:
        if event.online_platform:
            online = _("online (%(platform)s)") % {"platform": event.online_platform}
        else:
            online = _("online")
    if place and online:
        return _("%(place)s and %(online)s") % {"place": place, "online": online}
    return place or online


def _news_entry(item: IssueItem, news: NewsItem) -> Entry:
    return Entry(
        title=item.heading or news.title,
        text=item.text or news.text,
        url=news.link,
        link_label=_("Read more") if news.link else "",
        meta=formats.date_format(news.publish_on, "DATE_FORMAT"),
    )


def _event_entry(item: IssueItem, event: Event) -> Entry:
    text = item.text or event.theme or Truncator(event.description).words(EVENT_TEXT_WORDS)
    status = ""
    if event.status != Event.Status.SCHEDULED:
        status = capfirst(event.get_status_display())
    return Entry(
        title=item.heading or event.title,
        text=text,
        url=site_url(event.get_absolute_url()),
        link_label=_("Event page and registration"),
        when=event_when(event),
        when_iso=event.starts_at.isoformat(),
        place=event_place(event),
        meta=" · ".join(part for part in (capfirst(event.get_type_display()), status) if part),
    )


def _material_entry(item: IssueItem, material: Document) -> Entry:
    url = reverse("library:document_detail", kwargs={"pk": material.pk})
    if material.event_id is not None:
        meta = _("From the event %(event)s") % {"event": material.event.title}
    else:
        meta = " · ".join(part for part in (material.speaker, material.organisation_name) if part)
    return Entry(
        title=item.heading or material.title,
        text=item.text,
        url=site_url(url),
        link_label=_("Open the material"),
        meta=meta,
    )


def _text_entry(item: IssueItem) -> Entry:
    return Entry(text=item.text)


SECTION_HEADINGS = {
    "news:regional": lambda: _("Regional news"),
    "news:national": lambda: _("National news"),
    "event": lambda: _("Trainings and events"),
    "material": lambda: _("New materials"),
}


def _sections(items: list[IssueItem]) -> list[Section]:
    """The items in their order, consecutive ones of a kind under one heading."""
    sections: list[Section] = []
    for item in items:
        if item.kind == IssueItem.Kind.NEWS and item.news_id:
            key, entry = f"news:{item.news.scope}", _news_entry(item, item.news)
        elif item.kind == IssueItem.Kind.EVENT and item.event_id:
            key, entry = "event", _event_entry(item, item.event)
        elif item.kind == IssueItem.Kind.MATERIAL and item.material_id:
            key, entry = "material", _material_entry(item, item.material)
        else:
            sections.append(Section(key=f"text:{item.pk}", heading=item.heading))
            sections[-1].entries.append(_text_entry(item))
            continue
        if not sections or sections[-1].key != key:
            sections.append(Section(key=key, heading=SECTION_HEADINGS[key]()))
        sections[-1].entries.append(entry)
    return sections


def issue_content(
    issue: Issue, language: str, items: list[IssueItem] | None = None
) -> IssueContent:
    """What the issue says in `language` (content fields fall back to the first language that
    has them); `items` saves the query when the caller has them."""
    if items is None:
        items = selectors.issue_items(issue=issue)
    network = issue.network
    with translation.override(language):
        title = issue.title or default_title(network, issue.month, language)
        contact = network.contact_person
        return IssueContent(
            language=language,
            subject=title,
            title=title,
            network_name=network.name,
            month_label=capfirst(formats.date_format(issue.month, "YEAR_MONTH_FORMAT")),
            introduction=issue.introduction,
            sections=_sections(items),
            archive_url=site_url(
                reverse("newsletter:archive_issue", kwargs={"slug": network.slug, "pk": issue.pk})
            ),
            network_url=site_url(network.get_absolute_url()),
            contact_name=contact.full_name if contact is not None else "",
            contact_email=network.contact_email or (contact.email if contact else ""),
        )


def placeholders() -> dict[str, str]:
    """The per-recipient links as the mass sending fills them in at delivery."""
    from kotoverkko.mailing.batches import PREFERENCES_URL, UNSUBSCRIBE_URL

    return {"unsubscribe_url": UNSUBSCRIBE_URL, "preferences_url": PREFERENCES_URL}


def render_email(
    content: IssueContent, *, links: dict[str, str], is_test: bool = False
) -> tuple[str, str, str]:
    """Subject, HTML and plain text of the e-mail; `links` gives the unsubscribe and
    preferences addresses (placeholders for a mass sending)."""
    context = {"content": content, "is_test": is_test, **links}
    with translation.override(content.language):
        subject = " ".join(_plain(f"{EMAIL_TEMPLATE}_subject.txt", context).split())
        text = _plain(f"{EMAIL_TEMPLATE}.txt", context)
        html = loader.get_template(f"{EMAIL_TEMPLATE}.html").render(context)
    return subject, html, text


def email_context(content: IssueContent, *, links: dict[str, str], is_test: bool) -> dict:
    """The context of the e-mail templates (for `mailing.services.message_queue`)."""
    return {"content": content, "is_test": is_test, **links}


def _plain(name: str, context: dict) -> str:
    """A text template rendered without HTML escaping: "&" in a title stays "&"."""
    template = loader.get_template(name)
    return template.template.render(Context(context, autoescape=False))


def issue_render(issue: Issue, language: str) -> tuple[str, str, str]:
    """The issue as the e-mail of its `language` edition: (subject, HTML, plain text), with
    the unsubscribe and preferences placeholders that delivery fills in per recipient."""
    return render_email(issue_content(issue, language), links=placeholders())
