"""Importing documents in bulk (`kotoverkko import_documents`): files, folders of files, and
JSON Lines files of ready texts such as transcripts.

A file is uploaded as it is, after the same checks as an upload on the site. A JSON Lines
file holds one document a line: `{"title": ..., "text": ..., "language": "fi", "network":
slug, "visibility": "public"}` and optionally `titles` (by language), `description`, `date`,
`speaker`, `keywords` and `organisation` (an id). Every item is saved in its own
transaction, so a bad item is reported and the others are kept; the search index recomputes
similar documents once, at the end.
"""

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from kotoverkko.common.uploads import upload_check
from kotoverkko.events.models import Event
from kotoverkko.network.models import Network, Organisation
from kotoverkko.search.index import bulk_indexing

from . import extraction, services
from .models import Document

JSON_LINES_SUFFIX = ".jsonl"
_CHUNK = 64 * 1024


class ImportUsageError(Exception):
    """The import cannot start: a path or an option is wrong."""


@dataclass(frozen=True)
class Defaults:
    """What the items are saved with, unless a JSON line says otherwise."""

    network: Network | None = None
    visibility: str = Document.Visibility.PUBLIC
    language: str = "fi"
    organisation: Organisation | None = None
    event: Event | None = None


@dataclass(frozen=True)
class ImportOptions:
    defaults: Defaults = field(default_factory=Defaults)
    # Check every item and save nothing.
    dry_run: bool = False
    # A file already in the library (the same bytes) is skipped rather than added again.
    skip_duplicates: bool = False
    # Read the text of each uploaded file at once, rather than leaving it to the worker.
    extract_now: bool = False


@dataclass(frozen=True)
class Source:
    """A file to import: one upload, or a JSON Lines file of `items` documents."""

    path: Path
    json_lines: bool
    items: int = 1
    # Why the file could not even be counted (it is then one failed item).
    error: str = ""


@dataclass(frozen=True)
class Note:
    """What happened to an item that was not simply added."""

    FAILED = "failed"
    SKIPPED = "skipped"
    UNREAD = "unread"

    kind: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    added: int = 0
    notes: list[Note] = field(default_factory=list)

    @property
    def failed(self) -> list[Note]:
        return [note for note in self.notes if note.kind == Note.FAILED]

    @property
    def skipped(self) -> list[Note]:
        return [note for note in self.notes if note.kind == Note.SKIPPED]


# Before the import -----------------------------------------------------------------------------


def defaults_resolve(
    *,
    network: str = "",
    visibility: str = Document.Visibility.PUBLIC,
    language: str = "fi",
    organisation: int | None = None,
    event: int | None = None,
) -> Defaults:
    """The import's defaults from the command's options; raises ImportUsageError for a
    network, organisation or event that does not exist."""
    if visibility not in Document.Visibility.values:
        raise ImportUsageError(_unknown_visibility(visibility))
    if language not in services.LANGUAGES:
        raise ImportUsageError(_unknown_language(language))
    found_network = None
    if network:
        found_network = services.networks_by_slug([network]).get(network)
        if found_network is None:
            raise ImportUsageError(_unknown_network(network))
    found_organisation = None
    if organisation is not None:
        found_organisation = Organisation.objects.filter(pk=organisation).first()
        if found_organisation is None:
            raise ImportUsageError(_unknown_organisation(organisation))
    found_event = None
    if event is not None:
        found_event = Event.objects.filter(pk=event).first()
        if found_event is None:
            raise ImportUsageError(_("Unknown event %(id)s.") % {"id": event})
    return Defaults(
        network=found_network,
        visibility=visibility,
        language=language,
        organisation=found_organisation,
        event=found_event,
    )


def sources_collect(paths: Iterable[str]) -> list[Source]:
    """The files to import, in the order given, a folder's files (hidden ones left out) in
    sorted order; each file once. Raises ImportUsageError for a path that does not exist."""
    paths = list(paths)
    missing = [given for given in paths if not os.path.lexists(given)]
    if missing:
        raise ImportUsageError(
            _("No such file or folder: %(paths)s") % {"paths": ", ".join(missing)}
        )
    sources: list[Source] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = _files_below(path)
        elif path.is_file():
            files = [path]
        else:
            raise ImportUsageError(_("Not a file or a folder: %(path)s") % {"path": given})
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                sources.append(_source(file))
    return sources


def items_count(sources: Iterable[Source]) -> int:
    return sum(source.items for source in sources)


def _files_below(folder: Path) -> list[Path]:
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(
            Path(root, name)
            for name in names
            if not name.startswith(".") and Path(root, name).is_file()
        )
    return sorted(found)


def _source(path: Path) -> Source:
    if path.suffix.lower() != JSON_LINES_SUFFIX:
        return Source(path=path, json_lines=False)
    try:
        with path.open("rb") as handle:
            count = sum(1 for line in handle if line.strip())
    except OSError as error:
        return Source(path=path, json_lines=True, error=_unreadable(error))
    return Source(path=path, json_lines=True, items=count)


# The import ------------------------------------------------------------------------------------


def documents_import(
    sources: Iterable[Source],
    *,
    options: ImportOptions,
    actor=None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import every item of the sources; an item that cannot be imported is noted with the
    reason and the others go on."""
    importer = _Importer(options=options, actor=actor, progress=progress or (lambda count: None))
    with bulk_indexing():
        for source in sources:
            if source.error:
                importer.fail(source.path, None, source.error)
                importer.progress(source.items)
            elif source.json_lines:
                importer.json_lines(source)
            else:
                importer.upload(source.path)
                importer.progress(1)
    return importer.result


class _Rehearsal(Exception):
    """Raised to roll back a dry run's save."""


class _Importer:
    def __init__(self, *, options: ImportOptions, actor, progress: Callable[[int], None]):
        self.options = options
        self.defaults = options.defaults
        self.actor = actor
        self.progress = progress
        self.result = ImportResult()
        self.networks: dict[str, Network | None] = {}
        self.organisations: dict[int, Organisation | None] = {}
        # The files met in this run: a dry run saves nothing, yet a second copy is a duplicate.
        self.digests: set[str] = set()

    def fail(self, path: Path, line: int | None, message: str) -> None:
        self.result.notes.append(Note(Note.FAILED, str(path), line, message))

    def note(self, kind: str, path: Path, message: str) -> None:
        self.result.notes.append(Note(kind, str(path), None, message))

    def save(self, create: Callable[[], Document]) -> Document | None:
        """Save a document (each service call is its own transaction); in a dry run, roll the
        save back, so that every check of the service is made, and return None."""
        if not self.options.dry_run:
            return create()
        try:
            with transaction.atomic():
                create()
                raise _Rehearsal
        except _Rehearsal:
            return None

    # Files ---------------------------------------------------------------------------------

    def upload(self, path: Path) -> None:
        try:
            with path.open("rb") as handle:
                added, document = self._upload(path, File(handle, name=path.name))
        except OSError as error:
            self.fail(path, None, _unreadable(error))
            return
        except ValidationError as error:
            self.fail(path, None, messages_of(error))
            return
        if added:
            self.result.added += 1
        if document is not None and self.options.extract_now:
            self._extract(path, document)

    def _upload(self, path: Path, upload: File) -> tuple[bool, Document | None]:
        """Whether the file was added (or would be, in a dry run), and the document saved."""
        checked = upload_check(upload, name=path.name)
        digest = _sha256(upload)
        if self.options.skip_duplicates and self._known(digest):
            self.note(Note.SKIPPED, path, _("Skipped: the same file is already in the library."))
            return False, None
        data = self._common_data()
        document = None
        if self.options.dry_run:
            # The details are checked as the upload's would be, without storing the file.
            title = {f"title_{self.defaults.language}": path.stem or path.name}
            self.save(
                lambda: services.document_create_text(
                    actor=self.actor, text="", data={**data, **title}
                )
            )
        else:
            document = services.document_upload(
                actor=self.actor, upload=upload, checked=checked, data=data
            )
        self.digests.add(digest)
        return True, document

    def _known(self, digest: str) -> bool:
        return digest in self.digests or Document.objects.filter(sha256=digest).exists()

    def _common_data(self) -> dict[str, Any]:
        return {
            "language": self.defaults.language,
            "visibility": self.defaults.visibility,
            "network": self.defaults.network,
            "organisation": self.defaults.organisation,
            "event": self.defaults.event,
        }

    def _extract(self, path: Path, document: Document) -> None:
        # Run after the upload's commit; when the task backend has read it already, this
        # is skipped and the outcome is read back all the same.
        services.document_extract(document.pk)
        document.refresh_from_db(fields=["extraction", "extraction_reason"])
        if document.extraction == Document.Extraction.FAILED:
            reason = extraction.REASONS.get(
                document.extraction_reason, extraction.REASONS[extraction.UNREADABLE]
            )
            self.note(
                Note.UNREAD,
                path,
                _("Added, but its text could not be read: %(reason)s") % {"reason": reason},
            )

    # JSON Lines ----------------------------------------------------------------------------

    def json_lines(self, source: Source) -> None:
        try:
            handle = source.path.open("rb")
        except OSError as error:
            self.fail(source.path, None, _unreadable(error))
            self.progress(source.items)
            return
        with handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                self._line(source.path, number, raw)
                self.progress(1)

    def _line(self, path: Path, number: int, raw: bytes) -> None:
        try:
            text, data = self._parse(raw, first=number == 1)
            self.save(lambda: services.document_create_text(actor=self.actor, text=text, data=data))
        except ValidationError as error:
            self.fail(path, number, messages_of(error))
            return
        self.result.added += 1

    def _parse(self, raw: bytes, *, first: bool) -> tuple[str, dict[str, Any]]:
        """The text and the details of one line; raises ValidationError naming every
        problem found."""
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("The line is not UTF-8 text.")) from None
        if first:
            line = line.removeprefix("\ufeff")
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("The line is not valid JSON (%(error)s).") % {"error": error.msg}
            ) from None
        if not isinstance(item, dict):
            raise ValidationError(_("The line is not a JSON object."))
        item = _without_nul(item)
        errors: list[str] = []
        language = _text_value(item, "language", errors) or self.defaults.language
        if language not in services.LANGUAGES:
            errors.append(_unknown_language(language))
        data: dict[str, Any] = {
            **self._common_data(),
            "language": language,
            **self._titles(item, language, errors),
        }
        text = _text_value(item, "text", errors)
        if text is not None and not text.strip():
            errors.append(_('The line has no text ("text").'))
        if description := _text_value(item, "description", errors):
            data[f"description_{language}"] = description
        if speaker := _text_value(item, "speaker", errors):
            data["speaker"] = speaker
        if "keywords" in item:
            data["keywords"] = _keywords(item["keywords"], errors)
        if "date" in item:
            data["date"] = _date(item["date"], errors)
        if visibility := _text_value(item, "visibility", errors):
            if visibility not in Document.Visibility.values:
                errors.append(_unknown_visibility(visibility))
            data["visibility"] = visibility
        if slug := _text_value(item, "network", errors):
            data["network"] = self._network(slug, errors)
        if item.get("organisation") is not None:
            data["organisation"] = self._organisation(item["organisation"], errors)
        if errors:
            raise ValidationError(errors)
        return text or "", data

    def _titles(self, item: dict, language: str, errors: list[str]) -> dict[str, str]:
        titles = item.get("titles") or {}
        if not isinstance(titles, dict) or not all(
            isinstance(value, str) for value in titles.values()
        ):
            errors.append(
                _('"titles" must be an object of titles by language: {"fi": "…", "sv": "…"}.')
            )
            titles = {}
        unknown = sorted(code for code in titles if code not in services.LANGUAGES)
        if unknown:
            errors.append(
                _("Unknown language in titles: %(languages)s.") % {"languages": ", ".join(unknown)}
            )
        found = {f"title_{code}": value for code, value in titles.items() if value.strip()}
        title = _text_value(item, "title", errors)
        if title and title.strip():
            found[f"title_{language}"] = title
        if not found and title is not None:
            errors.append(_('The line has no title ("title" or "titles").'))
        return found

    def _network(self, slug: str, errors: list[str]) -> Network | None:
        if slug not in self.networks:
            self.networks[slug] = services.networks_by_slug([slug]).get(slug)
        network = self.networks[slug]
        if network is None:
            errors.append(_unknown_network(slug))
        return network

    def _organisation(self, value: Any, errors: list[str]) -> Organisation | None:
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
            errors.append(_('"organisation" must be the number of an organisation.'))
            return None
        pk = int(value)
        if pk not in self.organisations:
            self.organisations[pk] = Organisation.objects.filter(pk=pk).first()
        organisation = self.organisations[pk]
        if organisation is None:
            errors.append(_unknown_organisation(pk))
        return organisation


# Reading the values of a line ------------------------------------------------------------------


def _without_nul(value: Any) -> Any:
    """The line's values without NUL characters, which no text needs and PostgreSQL refuses."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(part) for part in value]
    if isinstance(value, dict):
        return {key: _without_nul(part) for key, part in value.items()}
    return value


def _text_value(item: dict, key: str, errors: list[str]) -> str | None:
    """The text under `key` ("" when absent), or None after noting a value that is not text."""
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(_('"%(key)s" must be text.') % {"key": key})
        return None
    return value


def _keywords(value: Any, errors: list[str]) -> list[str] | str:
    if value is None:
        return ""
    if isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(word, str) for word in value)
    ):
        return value
    errors.append(_('"keywords" must be a list of words or text separated by commas.'))
    return ""


def _date(value: Any, errors: list[str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.append(_('"date" must be a date such as 2025-03-31.'))
    return None


# Messages --------------------------------------------------------------------------------------


def messages_of(error: ValidationError) -> str:
    """A ValidationError as one line: each message, after the name of its field if it has one."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        label = _field_label(name)
        parts.extend(message if label is None else f"{label}: {message}" for message in messages)
    return " ".join(parts)


def _field_label(name: str) -> str | None:
    if name == NON_FIELD_ERRORS:
        return None
    try:
        return str(Document._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _unknown_language(language: str) -> str:
    return _('Unknown language "%(language)s": use fi, sv or en.') % {"language": language}


def _unknown_visibility(visibility: str) -> str:
    return _('Unknown visibility "%(visibility)s": use public or members.') % {
        "visibility": visibility
    }


def _unknown_network(slug: str) -> str:
    return _('Unknown network "%(slug)s".') % {"slug": slug}


def _unknown_organisation(pk: int) -> str:
    return _("Unknown organisation %(id)s.") % {"id": pk}


def _unreadable(error: OSError) -> str:
    return _("The file could not be read: %(error)s") % {"error": error.strerror or error}


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(_CHUNK), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
