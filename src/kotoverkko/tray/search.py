"""Offerings in the search index: one public entry per offering that is not archived, with
its title, description and how to take part in each language it has, and its category's and
organisation's names, so that site search finds it and client guidance matches its words.

Offerings are followed with post_save and post_delete signals, as the other kinds are in
kotoverkko.search.sources: the index is a projection that `kotoverkko reindex` rebuilds.
"""

from collections.abc import Iterator

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kotoverkko.common.cache import public_pages_changed
from kotoverkko.search.index import EntryData, register_source
from kotoverkko.search.models import Entry
from kotoverkko.search.sources import follow_model, in_chunks, texts_by_language

from .models import Offering

OFFERING = "offering"


def offering_page(offering_id: int) -> str:
    """The offering's page, as the Finnish page's address (the index stores it so)."""
    with translation.override("fi"):
        return reverse("tray:offering_detail", kwargs={"pk": offering_id})


def offering_entry(offering: Offering) -> EntryData | None:
    """An offering's entry; none for an archived one or one without a title."""
    if offering.archived:
        return None
    titles = texts_by_language(offering, "title")
    if not titles:
        return None
    preferred = [code for code in offering.languages or [] if code in titles]
    language = next(iter(preferred), "fi" if "fi" in titles else next(iter(titles)))
    bodies: dict[str, list[str]] = {}
    for name in ("description", "how_to_join"):
        for code, text in texts_by_language(offering, name).items():
            bodies.setdefault(code, []).append(text)
    # The category's and the organisation's names make "neuvonta" or "Punainen Risti" find it.
    for related in (offering.category, offering.organisation):
        for code, text in texts_by_language(related, "name").items():
            bodies.setdefault(code, []).append(text)
    joined = {code: "\n\n".join(texts) for code, texts in bodies.items()}
    return EntryData(
        type=OFFERING,
        object_id=offering.pk,
        title=titles[language],
        body=joined.pop(language, ""),
        language=language,
        url=offering_page(offering.pk),
        visibility=Entry.Visibility.PUBLIC,
        year=offering.confirmed_on.year if offering.confirmed_on else None,
        organisation_id=offering.organisation_id,
        titles_by_language=titles,
        bodies_by_language=joined,
    )


def _offerings():
    return Offering.objects.select_related("category", "organisation")


def _offering_entries() -> Iterator[EntryData]:
    for offering in in_chunks(_offerings().filter(archived=False).order_by("pk")):
        if (data := offering_entry(offering)) is not None:
            yield data


def _offering_entry_for(object_id: int) -> EntryData | None:
    offering = _offerings().filter(pk=object_id).first()
    return None if offering is None else offering_entry(offering)


def register() -> None:
    """Make offerings a kind of content of the index (called from the app's ready())."""
    register_source(
        OFFERING,
        label=_("Offerings"),
        entries=_offering_entries,
        entry_for=_offering_entry_for,
        count=lambda: Offering.objects.filter(archived=False).count(),
        # Guidance keeps each municipality's candidates until public content changes: a
        # rebuilt entry is such a change.
        refreshed=lambda _object_id: public_pages_changed(),
    )
    follow_model(Offering, OFFERING)
