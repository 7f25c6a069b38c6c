"""Writing the search index: entries saved and deleted by the apps that own the content, the
registry of sources that `kotoverkko reindex` rebuilds everything from, and the rebuild.

Other apps call `index_entry_save` and `index_entry_delete` from their services (or have their
objects followed by kotoverkko.search.sources), and read with `search`, `suggestions` and
`similar_for` (kotoverkko.search.selectors, re-exported here).
"""

import contextvars
import logging
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .analyser import LANGUAGES, analyse
from .backends import index_tidy
from .models import Entry, IndexedTerm, SimilarEntry
from .selectors import SearchFilters, SearchResults, search, similar_for, suggestions

logger = logging.getLogger("kotoverkko.search")

__all__ = [
    "EntryData",
    "SearchFilters",
    "SearchResults",
    "bulk_indexing",
    "index_entries_replace",
    "index_entry_delete",
    "index_entry_save",
    "index_object_refresh",
    "register_source",
    "registered_sources",
    "search",
    "similar_for",
    "suggestions",
]

# The body text kept for snippets: the first pages of a long transcript.
SNIPPET_SOURCE_CHARS = 10_000
# A body is searchable up to here (some 250 pages): a whole book would not make one entry
# better, and PostgreSQL keeps a tsvector under a megabyte.
ANALYSED_CHARS = 500_000
BATCH_SIZE = 500
TERM_CHUNK = 500


@dataclass(frozen=True)
class EntryData:
    """What one object puts in the index (the arguments of index_entry_save)."""

    type: str
    object_id: int
    title: str
    body: str
    language: str
    url: str
    network: Any = None  # a Network or its id
    visibility: str = Entry.Visibility.PUBLIC
    year: int | None = None
    organisation_id: int | None = None
    titles_by_language: dict[str, str] | None = None
    bodies_by_language: dict[str, str] | None = None


@dataclass(frozen=True)
class Source:
    """A kind of content in the index (see register_source)."""

    type: str
    label: Any
    entries: Callable[[], Iterable[EntryData]]
    entry_for: Callable[[int], EntryData | None] | None = None
    similar: bool = False
    count: Callable[[], int] | None = None
    refreshed: Callable[[int | None], None] | None = None


_sources: dict[str, Source] = {}


def register_source(
    type: str,
    *,
    label: Any,
    entries: Callable[[], Iterable[EntryData]],
    entry_for: Callable[[int], EntryData | None] | None = None,
    similar: bool = False,
    count: Callable[[], int] | None = None,
    refreshed: Callable[[int | None], None] | None = None,
) -> None:
    """Register (or replace) a kind of content, so that reindex can rebuild its entries.

    `entries` yields every entry of the kind; `entry_for` gives one object's entry (None when
    it is gone or not to be searched), which keeps the index current object by object;
    `similar` gives the kind's entries similar entries; `count` tells the progress bar how
    many entries to expect; `refreshed` is told, after the commit, that an object's entry
    (or, with None, every entry of the kind) was rebuilt, for caches kept over the entries.
    """
    _sources[type] = Source(type, label, entries, entry_for, similar, count, refreshed)


def unregister_source(type: str) -> None:
    _sources.pop(type, None)


def registered_sources() -> list[Source]:
    return list(_sources.values())


def source_for(type: str) -> Source | None:
    return _sources.get(type)


# Entries -----------------------------------------------------------------------------------


@dataclass
class _Prepared:
    fields: dict[str, Any]
    terms: set[str] = field(default_factory=set)


def _network_id(network: Any) -> int | None:
    if network is None or isinstance(network, int):
        return network
    return network.pk


def _clean(text: str) -> str:
    """Composed characters (ä as one code point), as the analyser sees them, since snippets
    mark the stored text's words by their analysis; no NUL, which PostgreSQL cannot store."""
    return unicodedata.normalize("NFC", text).replace("\x00", "")


def _prepare(data: EntryData) -> _Prepared:
    """Validate an entry and analyse its text."""
    errors = {}
    if not data.type or len(data.type) > 30:
        errors["type"] = _("An entry needs a type of at most 30 characters.")
    if data.language not in LANGUAGES:
        errors["language"] = _("Choose among Finnish, Swedish and English.")
    if data.visibility not in Entry.Visibility.values:
        errors["visibility"] = _("Unknown visibility.")
    network_id = _network_id(data.network)
    if data.visibility == Entry.Visibility.MEMBERS and network_id is None:
        errors["network"] = _("An entry for members only needs its network.")
    if not (data.title or "").strip():
        errors["title"] = _("An entry needs a title.")
    if errors:
        raise ValidationError(errors)
    titles = {
        language: _clean(text).strip()
        for language, text in (data.titles_by_language or {}).items()
        if language in LANGUAGES and text and text.strip()
    }
    title = _clean(data.title).strip()
    title_terms = analyse(title, data.language)
    for language, text in titles.items():
        if text != title:
            title_terms.extend(analyse(text, language))
    body = _clean(data.body or "")
    body_terms = analyse(body[:ANALYSED_CHARS], data.language)
    for language, text in (data.bodies_by_language or {}).items():
        if language in LANGUAGES and text and text != body:
            body_terms.extend(analyse(_clean(text)[:ANALYSED_CHARS], language))
    return _Prepared(
        fields={
            "network_id": network_id,
            "visibility": data.visibility,
            "language": data.language,
            "year": data.year,
            "organisation_id": data.organisation_id,
            "title": title[:300],
            "titles": titles,
            "url": data.url[:500],
            "text": body[:SNIPPET_SOURCE_CHARS],
            "title_terms": " ".join(title_terms),
            "body_terms": " ".join(body_terms),
        },
        terms=set(title_terms) | set(body_terms),
    )


def _entry_terms(entry: Entry) -> set[str]:
    return set(entry.title_terms.split()) | set(entry.body_terms.split())


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _term_counts_change(type: str, *, added: set[str], removed: set[str]) -> None:
    """Keep the entries-per-term counts in step: new rows start at 0 and every count moves by
    an UPDATE, so concurrent writers never lose a count."""
    for chunk in _chunks(sorted(added), TERM_CHUNK):
        IndexedTerm.objects.bulk_create(
            [IndexedTerm(type=type, term=term, entries=0) for term in chunk],
            ignore_conflicts=True,
        )
        IndexedTerm.objects.filter(type=type, term__in=chunk).update(entries=F("entries") + 1)
    for chunk in _chunks(sorted(removed), TERM_CHUNK):
        IndexedTerm.objects.filter(type=type, term__in=chunk).update(entries=F("entries") - 1)


_bulk = contextvars.ContextVar("search_bulk_indexing", default=None)


@contextmanager
def bulk_indexing() -> Iterator[None]:
    """Save many entries without recomputing similar entries after each: the types touched
    are recomputed in full once, after the transaction commits (an import of many documents)."""
    if _bulk.get() is not None:
        yield
        return
    touched: set[str] = set()
    token = _bulk.set(touched)
    try:
        yield
    finally:
        _bulk.reset(token)
    for type in sorted(touched):
        _on_commit_enqueue("similar_recompute_all", type=type)


def bulk_indexing_active() -> bool:
    return _bulk.get() is not None


def _on_commit_enqueue(name: str, **kwargs) -> None:
    from . import tasks

    transaction.on_commit(lambda: getattr(tasks, name).enqueue(**kwargs), robust=True)


def _similar_changed(type: str, object_id: int) -> None:
    source = source_for(type)
    if source is None or not source.similar:
        return
    touched = _bulk.get()
    if touched is not None:
        touched.add(type)
    else:
        _on_commit_enqueue("similar_recompute", type=type, object_id=object_id)


@transaction.atomic
def index_entry_save(
    *,
    type: str,
    object_id: int,
    title: str,
    body: str,
    language: str,
    url: str,
    network=None,
    visibility: str = Entry.Visibility.PUBLIC,
    year: int | None = None,
    organisation_id: int | None = None,
    titles_by_language: dict[str, str] | None = None,
    bodies_by_language: dict[str, str] | None = None,
) -> Entry:
    """Put an object in the index, or bring its entry up to date; raises ValidationError for
    an entry that cannot be indexed (nothing is then saved)."""
    prepared = _prepare(
        EntryData(
            type=type,
            object_id=object_id,
            title=title,
            body=body,
            language=language,
            url=url,
            network=network,
            visibility=visibility,
            year=year,
            organisation_id=organisation_id,
            titles_by_language=titles_by_language,
            bodies_by_language=bodies_by_language,
        )
    )
    entry = Entry.objects.select_for_update().filter(type=type, object_id=object_id).first()
    created = False
    if entry is None:
        try:
            with transaction.atomic():
                entry = Entry.objects.create(type=type, object_id=object_id, **prepared.fields)
            created = True
        except IntegrityError:
            # Saved at the same moment by another process: update that row instead.
            entry = Entry.objects.select_for_update().get(type=type, object_id=object_id)
    old_terms = set() if created else _entry_terms(entry)
    if not created:
        for name, value in prepared.fields.items():
            setattr(entry, name, value)
        entry.save()
    _term_counts_change(type, added=prepared.terms - old_terms, removed=old_terms - prepared.terms)
    _similar_changed(type, object_id)
    return entry


@transaction.atomic
def index_entry_delete(type: str, object_id: int) -> bool:
    """Take an object out of the index; the entries that listed it as similar are recomputed
    after the commit. Returns whether there was an entry."""
    entry = Entry.objects.select_for_update().filter(type=type, object_id=object_id).first()
    if entry is None:
        return False
    listed_by = list(
        SimilarEntry.objects.filter(other=entry).values_list("entry__object_id", flat=True)
    )
    _term_counts_change(type, added=set(), removed=_entry_terms(entry))
    entry.delete()
    source = source_for(type)
    if source is not None and source.similar:
        for other_id in listed_by:
            _on_commit_enqueue("similar_recompute", type=type, object_id=other_id)
    return True


def index_object_refresh(type: str, object_id: int) -> bool:
    """Bring one object's entry in line with the object (saved, changed or deleted), through
    its registered source. Returns whether the object is in the index now."""
    source = source_for(type)
    if source is None or source.entry_for is None:
        return False
    data = source.entry_for(object_id)
    if data is None:
        index_entry_delete(type, object_id)
    else:
        index_entry_save(**_data_kwargs(data))
    if source.refreshed is not None:
        transaction.on_commit(lambda: source.refreshed(object_id), robust=True)
    return data is not None


def _data_kwargs(data: EntryData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in EntryData.__dataclass_fields__}


# Rebuilding --------------------------------------------------------------------------------

ENTRY_FIELDS = [
    "network_id",
    "visibility",
    "language",
    "year",
    "organisation_id",
    "title",
    "titles",
    "url",
    "text",
    "title_terms",
    "body_terms",
    "updated_at",
]


def index_entries_replace(
    type: str,
    entries: Iterable[EntryData],
    *,
    progress: Callable[[int], None] | None = None,
    similar: bool = True,
) -> int:
    """Make the index hold exactly these entries of a type: save them in batches, remove the
    type's other entries, recount the terms, and (for a type with similar entries, unless
    `similar` is false) recompute those. Returns the number of entries."""
    from .similar import similar_recompute_all

    counts: Counter[str] = Counter()
    seen: set[int] = set()
    with transaction.atomic():
        for batch in _chunks(entries, BATCH_SIZE):
            rows = []
            for data in batch:
                if data.type != type:
                    raise ValueError(f"An entry of type {data.type!r} among {type!r}.")
                if data.object_id in seen:
                    continue
                try:
                    prepared = _prepare(data)
                except ValidationError as error:
                    logger.warning(
                        "not indexed: %s %s: %s", type, data.object_id, "; ".join(error.messages)
                    )
                    continue
                counts.update(prepared.terms)
                seen.add(data.object_id)
                rows.append(Entry(type=type, object_id=data.object_id, **prepared.fields))
            Entry.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["type", "object_id"],
                update_fields=ENTRY_FIELDS,
            )
            if progress is not None:
                progress(len(batch))
        existing = set(Entry.objects.filter(type=type).values_list("object_id", flat=True))
        for chunk in _chunks(sorted(existing - seen), BATCH_SIZE):
            Entry.objects.filter(type=type, object_id__in=chunk).delete()
        IndexedTerm.objects.filter(type=type).delete()
        IndexedTerm.objects.bulk_create(
            (IndexedTerm(type=type, term=term, entries=n) for term, n in counts.items()),
            batch_size=2000,
        )
    index_tidy()
    source = source_for(type)
    if similar and source is not None and source.similar:
        similar_recompute_all(type)
    return len(seen)


def index_source_rebuild(source: Source, *, progress=None, similar: bool = True) -> int:
    count = index_entries_replace(source.type, source.entries(), progress=progress, similar=similar)
    if source.refreshed is not None:
        transaction.on_commit(lambda: source.refreshed(None), robust=True)
    return count
