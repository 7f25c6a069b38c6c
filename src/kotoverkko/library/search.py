"""Library documents in the search index, with similar documents.

Documents are followed with post_save and post_delete signals, as the other kinds are in
kotoverkko.search.sources: the index is a projection that `kotoverkko reindex` rebuilds.
"""

from collections.abc import Iterator

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kotoverkko.search.index import EntryData, register_source
from kotoverkko.search.models import Entry
from kotoverkko.search.sources import follow_model, in_chunks, texts_by_language

from .models import Document

DOCUMENT = "document"


def document_entry(document: Document) -> EntryData | None:
    titles = texts_by_language(document, "title")
    if not titles:
        return None
    language = document.language if document.language in titles else next(iter(titles))
    descriptions = texts_by_language(document, "description")
    extra = [document.speaker, ", ".join(document.keyword_list)]
    body_parts = [descriptions.pop(language, ""), *extra, document.text]
    with translation.override("fi"):
        url = reverse("library:document_detail", kwargs={"pk": document.pk})
    date = document.date or document.uploaded_at.date()
    return EntryData(
        type=DOCUMENT,
        object_id=document.pk,
        title=titles[language],
        body="\n\n".join(part for part in body_parts if part),
        language=language,
        url=url,
        network=document.network_id,
        visibility=(Entry.Visibility.PUBLIC if document.is_public else Entry.Visibility.MEMBERS),
        year=date.year,
        organisation_id=document.organisation_id,
        titles_by_language=titles,
        bodies_by_language=descriptions,
    )


def _document_entries() -> Iterator[EntryData]:
    for document in in_chunks(Document.objects.order_by("pk")):
        if (data := document_entry(document)) is not None:
            yield data


def _document_entry_for(object_id: int) -> EntryData | None:
    document = Document.objects.filter(pk=object_id).first()
    return None if document is None else document_entry(document)


def register() -> None:
    register_source(
        DOCUMENT,
        label=_("Documents"),
        entries=_document_entries,
        entry_for=_document_entry_for,
        similar=True,
        count=lambda: Document.objects.count(),
    )
    follow_model(Document, DOCUMENT)
