"""The content of other apps in the search index: events, organisations and news.

Each kind is registered with the index (so `kotoverkko reindex` rebuilds it) and followed
with post_save and post_delete signal handlers, which queue the object's reindexing for after
the commit. Signals are kept out of domain logic elsewhere; here they are the right tool, since
the index is a projection of the events, network and newsletter apps that can be rebuilt from
them at any time, and those apps need not know it exists. Content saved without signals (bulk
loads) is picked up by the next reindex.

An entry's address is stored as the Finnish page's and shown in the reader's language.
"""

from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kotoverkko.events.models import Event
from kotoverkko.network.models import Organisation
from kotoverkko.newsletter.models import NewsItem

from .analyser import LANGUAGES
from .index import EntryData, register_source
from .models import Entry

EVENT = "event"
ORGANISATION = "organisation"
NEWS = "news"
CHUNK = 500


def texts_by_language(obj, name: str) -> dict[str, str]:
    return {
        language: value
        for language in LANGUAGES
        if (value := (getattr(obj, f"{name}_{language}", "") or "").strip())
    }


def _joined(*parts: dict[str, str]) -> dict[str, str]:
    """Texts by language from several fields (a theme and a description)."""
    result: dict[str, list[str]] = {}
    for texts in parts:
        for language, text in texts.items():
            result.setdefault(language, []).append(text)
    return {language: "\n\n".join(texts) for language, texts in result.items()}


def _main_language(preferred: Iterable[str], titles: dict[str, str]) -> str:
    for language in preferred:
        if language in titles:
            return language
    return next(iter(titles), "fi")


def in_chunks(queryset) -> Iterator:
    return queryset.iterator(chunk_size=CHUNK)


# Events ---------------------------------------------------------------------------------------


def event_entry(event: Event) -> EntryData | None:
    """A published event (public, or for members of its network); drafts are not searchable."""
    if event.visibility == Event.Visibility.DRAFT:
        return None
    titles = texts_by_language(event, "title")
    if not titles:
        return None
    language = _main_language([*(event.languages or []), "fi"], titles)
    bodies = _joined(texts_by_language(event, "theme"), texts_by_language(event, "description"))
    with translation.override("fi"):
        url = reverse("events:event_detail", kwargs={"pk": event.pk})
    public = event.visibility == Event.Visibility.PUBLIC
    return EntryData(
        type=EVENT,
        object_id=event.pk,
        title=titles[language],
        body=bodies.pop(language, ""),
        language=language,
        url=url,
        network=event.network_id,
        visibility=Entry.Visibility.PUBLIC if public else Entry.Visibility.MEMBERS,
        year=timezone.localtime(event.starts_at).year,
        organisation_id=event.organiser_id,
        titles_by_language=titles,
        bodies_by_language=bodies,
    )


def _event_entries() -> Iterator[EntryData]:
    events = Event.objects.exclude(visibility=Event.Visibility.DRAFT).order_by("pk")
    for event in in_chunks(events):
        if (data := event_entry(event)) is not None:
            yield data


def _event_entry_for(object_id: int) -> EntryData | None:
    event = Event.objects.filter(pk=object_id).first()
    return None if event is None else event_entry(event)


# Organisations ---------------------------------------------------------------------------------


def organisation_entry(organisation: Organisation) -> EntryData | None:
    titles = texts_by_language(organisation, "name")
    if not titles:
        return None
    swedish_first = (organisation.language_status or "").startswith("sv")
    language = _main_language(["sv", "fi"] if swedish_first else ["fi", "sv"], titles)
    bodies = texts_by_language(organisation, "description")
    with translation.override("fi"):
        url = reverse("network:organisation_detail", kwargs={"pk": organisation.pk})
    return EntryData(
        type=ORGANISATION,
        object_id=organisation.pk,
        title=titles[language],
        body=bodies.pop(language, ""),
        language=language,
        url=url,
        organisation_id=organisation.pk,
        titles_by_language=titles,
        bodies_by_language=bodies,
    )


def _organisation_entries() -> Iterator[EntryData]:
    for organisation in in_chunks(Organisation.objects.order_by("pk")):
        if (data := organisation_entry(organisation)) is not None:
            yield data


def _organisation_entry_for(object_id: int) -> EntryData | None:
    organisation = Organisation.objects.filter(pk=object_id).first()
    return None if organisation is None else organisation_entry(organisation)


# News ------------------------------------------------------------------------------------------


def news_entry(news: NewsItem, today=None) -> EntryData | None:
    """A published news item (its publish date has come), public as on the network's pages."""
    today = today or timezone.localdate()
    if news.publish_on > today:
        return None
    titles = texts_by_language(news, "title")
    if not titles:
        return None
    language = _main_language(["fi", "sv"], titles)
    bodies = texts_by_language(news, "text")
    with translation.override("fi"):
        url = reverse("newsletter:news_detail", kwargs={"slug": news.network.slug, "pk": news.pk})
    return EntryData(
        type=NEWS,
        object_id=news.pk,
        title=titles[language],
        body=bodies.pop(language, ""),
        language=language,
        url=url,
        network=news.network_id,
        year=news.publish_on.year,
        titles_by_language=titles,
        bodies_by_language=bodies,
    )


def _news_entries() -> Iterator[EntryData]:
    today = timezone.localdate()
    items = NewsItem.objects.filter(publish_on__lte=today).select_related("network")
    for news in in_chunks(items.order_by("pk")):
        if (data := news_entry(news, today)) is not None:
            yield data


def _news_entry_for(object_id: int) -> EntryData | None:
    news = NewsItem.objects.select_related("network").filter(pk=object_id).first()
    return None if news is None else news_entry(news)


def news_index_published() -> int:
    """Index the news published by today that are not in the index yet (a news item saved
    before its publish date becomes searchable on that date). Returns how many."""
    from .index import index_object_refresh

    indexed = Entry.objects.filter(type=NEWS).values_list("object_id", flat=True)
    due = NewsItem.objects.filter(publish_on__lte=timezone.localdate()).exclude(pk__in=indexed)
    return sum(index_object_refresh(NEWS, pk) for pk in due.values_list("pk", flat=True))


# Following changes ------------------------------------------------------------------------------


def _queue_refresh(type: str, object_id: int) -> None:
    """Reindex the object after the commit (the task reads it as it is then, so a transaction
    that saves it twice queues two runs with the same outcome)."""
    from .index import bulk_indexing_active, index_object_refresh
    from .tasks import entry_refresh

    if bulk_indexing_active():
        # An import: indexed here after each commit, and the similar entries are recomputed
        # once at its end, rather than one task per object in the worker.
        transaction.on_commit(lambda: index_object_refresh(type, object_id), robust=True)
        return
    transaction.on_commit(
        lambda: entry_refresh.enqueue(type=type, object_id=object_id), robust=True
    )


def follow_model(model, type: str) -> None:
    def changed(sender, instance, **kwargs) -> None:
        if kwargs.get("raw"):
            return
        _queue_refresh(type, instance.pk)

    uid = f"kotoverkko.search.{type}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".delete")


def register() -> None:
    register_source(
        EVENT,
        label=_("Events"),
        entries=_event_entries,
        entry_for=_event_entry_for,
        count=lambda: Event.objects.exclude(visibility=Event.Visibility.DRAFT).count(),
    )
    register_source(
        ORGANISATION,
        label=_("Organisations"),
        entries=_organisation_entries,
        entry_for=_organisation_entry_for,
        count=lambda: Organisation.objects.count(),
    )
    register_source(
        NEWS,
        label=_("News"),
        entries=_news_entries,
        entry_for=_news_entry_for,
        count=lambda: NewsItem.objects.filter(publish_on__lte=timezone.localdate()).count(),
    )
    follow_model(Event, EVENT)
    follow_model(Organisation, ORGANISATION)
    follow_model(NewsItem, NEWS)
