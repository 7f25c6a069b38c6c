"""Writing the library: documents added from uploads or from text, changed, removed, and their
text read in the background.

A file is written before its row; when the row cannot be saved the file is removed, and a
removed document's file goes once the removal is committed. Reading the text runs as a task
after the commit, in a child process with limits (kotoverkko.library.extraction); a document
whose text could not be read keeps its file and says why.
"""

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotoverkko.common import uploads
from kotoverkko.common.audit import audit_record, diff, snapshot
from kotoverkko.common.cache import public_pages_changed
from kotoverkko.common.uploads import CheckedUpload
from kotoverkko.network.models import Network
from kotoverkko.network.roles import NetworkTree

from . import extraction
from .models import LANGUAGE_CHOICES, Document

logger = logging.getLogger("kotoverkko.library")

LANGUAGES = [code for code, _label in LANGUAGE_CHOICES]
TRANSLATED = [f"{name}_{code}" for name in ("title", "description") for code in LANGUAGES]
PLAIN = ["language", "date", "speaker", "keywords", "visibility"]
RELATED = ["network", "organisation", "event", "item"]
FIELDS = TRANSLATED + PLAIN + RELATED
# A document left waiting this long (its task lost with a stopped worker) is queued again.
STALE_AFTER = timedelta(minutes=15)
DEFAULT_EXTRACTION_SECONDS = 60
DEFAULT_EXTRACTION_MEMORY_MB = 768


def _is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _scope(document: Document) -> list[int]:
    if document.network_id is None:
        return []
    return NetworkTree.load().ancestors(document.network_id)


def _squeeze(text: str) -> str:
    return " ".join(str(text or "").split())


def _keywords(value: Any) -> str:
    words = value if isinstance(value, list | tuple) else str(value or "").split(",")
    seen: dict[str, None] = {}
    for word in words:
        word = _squeeze(word)
        if word and word.casefold() not in {known.casefold() for known in seen}:
            seen[word] = None
    return ", ".join(seen)


def _assign(document: Document, data: dict[str, Any]) -> None:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown document fields: {sorted(unknown)}")
    for name, value in data.items():
        if name.startswith("title_") or name == "speaker":
            value = _squeeze(value)
        elif name.startswith("description_"):
            value = str(value or "").strip()
        elif name == "keywords":
            value = _keywords(value)
        setattr(document, name, value)


def _settle(document: Document) -> None:
    """What follows from the event: its network, and members-only when the event is not public.
    Then check the whole document."""
    errors: dict[str, str] = {}
    event = document.event
    if document.item_id is not None and (event is None or document.item.event_id != event.pk):
        errors["item"] = _("The agenda item belongs to another event.")
    if event is not None:
        if document.network_id is None:
            document.network_id = event.network_id
        if not event.is_public:
            document.visibility = Document.Visibility.MEMBERS
    if document.visibility == Document.Visibility.MEMBERS and document.network_id is None:
        errors["visibility"] = _("A document for members only needs its network.")
    if not any(getattr(document, f"title_{code}", "") for code in LANGUAGES):
        errors["title_fi"] = _("Give the document a title in at least one language.")
    if errors:
        raise ValidationError(errors)
    document.full_clean(exclude=["file", "title", "description"])


def _public_pages_follow(*documents: Document) -> None:
    """Pages cached for anonymous visitors list public documents (an event's materials, the
    library): they are rendered again after the commit."""
    if any(document.is_public or document.event_id for document in documents):
        transaction.on_commit(public_pages_changed)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _extract_later(document: Document) -> None:
    from .tasks import document_extract

    pk = document.pk
    transaction.on_commit(lambda: document_extract.enqueue(document_id=pk), robust=True)


@transaction.atomic
def document_upload(
    *, actor, upload, checked: CheckedUpload, data: dict[str, Any] | None = None
) -> Document:
    """Add a document from an upload that `common.uploads.upload_check` accepted; its text is
    read in the background. Without a title the file's name is the title."""
    name = uploads.download_name(getattr(upload, "name", "") or "", checked.kind)
    document = Document(
        original_name=name[:200],
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=_sha256(upload),
        extraction=Document.Extraction.PENDING,
        uploaded_by=actor if _is_user(actor) else None,
    )
    data = dict(data or {})
    _assign(document, data)
    if not any(getattr(document, f"title_{code}", "") for code in LANGUAGES):
        stem = name.rsplit(".", 1)[0] if "." in name else name
        setattr(document, f"title_{document.language}", _squeeze(stem)[:300] or name)
    _settle(document)
    if (
        document.event_id is not None
        and Document.objects.filter(event_id=document.event_id, sha256=document.sha256).exists()
    ):
        raise ValidationError({"file": _("This file is already among the event's materials.")})
    document.file.save(name, upload, save=False)
    stored = document.file.name
    try:
        document.save()
        audit_record(
            actor=actor,
            action="create",
            obj=document,
            changes={"title": [None, document.title], "file": [None, name]},
            network_ids=_scope(document),
        )
    except Exception:
        document.file.storage.delete(stored)
        raise
    _extract_later(document)
    _public_pages_follow(document)
    return document


@transaction.atomic
def document_create_text(*, actor, text: str, data: dict[str, Any]) -> Document:
    """Add a document that is only text (an imported transcript): searchable at once."""
    document = Document(
        extraction=Document.Extraction.NONE,
        text=extraction.normalise(str(text or ""))[: extraction.MAX_TEXT_CHARS],
        extracted_at=timezone.now(),
        uploaded_by=actor if _is_user(actor) else None,
    )
    _assign(document, data)
    _settle(document)
    document.save()
    audit_record(
        actor=actor,
        action="create",
        obj=document,
        changes={"title": [None, document.title]},
        network_ids=_scope(document),
    )
    _public_pages_follow(document)
    return document


AUDITED = TRANSLATED + PLAIN + ["network_id", "organisation_id", "event_id", "item_id"]


@transaction.atomic
def document_update(*, actor, document: Document, data: dict[str, Any]) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = snapshot(document, AUDITED)
    was = Document(visibility=document.visibility, event_id=document.event_id)
    _assign(document, data)
    _settle(document)
    document.save()
    changes = diff(before, snapshot(document, AUDITED))
    if changes:
        audit_record(
            actor=actor,
            action="update",
            obj=document,
            changes=changes,
            network_ids=_scope(document),
        )
        _public_pages_follow(was, document)
    return document


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    """Remove a document and, once that is committed, its file."""
    storage, stored = document.file.storage, document.file.name
    scope, title = _scope(document), document.title
    audit_record(
        actor=actor,
        action="delete",
        obj=document,
        changes={"title": [title, None]},
        network_ids=scope,
    )
    _public_pages_follow(document)
    document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def document_extract_again(*, actor, document: Document) -> Document:
    """Queue the file to be read again (after the limits were raised, or a worker was lost)."""
    if not document.file:
        raise ValidationError(_("This document has no file to read."))
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(
            extraction=Document.Extraction.PENDING, extraction_reason=""
        )
        document.extraction, document.extraction_reason = Document.Extraction.PENDING, ""
        _extract_later(document)
    return document


# Reading the text -----------------------------------------------------------------------------


@contextmanager
def _local_path(document: Document):
    """The file as a path on this machine: the stored file itself on the file system, or a
    temporary copy from remote storage."""
    try:
        yield document.file.path
        return
    except NotImplementedError:
        pass
    with tempfile.TemporaryDirectory(prefix="kotoverkko-extract-") as folder:
        local = os.path.join(folder, "document")
        with document.file.open("rb") as source, open(local, "wb") as target:
            shutil.copyfileobj(source, target)
        yield local


def _limits() -> tuple[float, int]:
    return (
        float(getattr(settings, "LIBRARY_EXTRACTION_SECONDS", DEFAULT_EXTRACTION_SECONDS)),
        int(getattr(settings, "LIBRARY_EXTRACTION_MEMORY_MB", DEFAULT_EXTRACTION_MEMORY_MB)),
    )


def document_extract(document_id: int) -> str:
    """Read a document's text and store it, or the reason it could not be read. Safe to run
    twice; returns the outcome ("done", "failed", or "skipped" when there is nothing to do)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.extraction != Document.Extraction.PENDING:
        return "skipped"
    if not document.file:
        Document.objects.filter(pk=document_id).update(extraction=Document.Extraction.NONE)
        return "skipped"
    seconds, memory_mb = _limits()
    text, reason = "", ""
    try:
        with _local_path(document) as path:
            text = extraction.extract_text_limited(
                path, document.kind, timeout_seconds=seconds, memory_mb=memory_mb
            )
    except FileNotFoundError:
        reason = extraction.UNREADABLE
    except extraction.ExtractionError as error:
        reason = error.code
    outcome = Document.Extraction.FAILED if reason else Document.Extraction.DONE
    with transaction.atomic():
        current = Document.objects.select_for_update().filter(pk=document_id).first()
        if current is None or current.extraction != Document.Extraction.PENDING:
            return "skipped"
        current.text = text
        current.extraction = outcome
        current.extraction_reason = reason
        current.extracted_at = timezone.now()
        # save() rather than update(): the search index follows saved documents.
        current.save(update_fields=["text", "extraction", "extraction_reason", "extracted_at"])
    if reason:
        logger.info("document %s could not be read: %s", document_id, reason)
    return str(outcome)


def documents_pending_requeue(*, now=None) -> int:
    """Queue again the documents whose reading was lost (a worker stopped). Returns how many."""
    from .tasks import document_extract as task

    now = now or timezone.now()
    stale = Document.objects.filter(
        extraction=Document.Extraction.PENDING, updated_at__lt=now - STALE_AFTER
    ).values_list("pk", flat=True)
    count = 0
    for pk in stale:
        task.enqueue(document_id=pk)
        # Touch it, so that one lost task is not queued again on every sweep.
        Document.objects.filter(pk=pk).update(updated_at=now)
        count += 1
    return count


def networks_by_slug(slugs: Iterable[str]) -> dict[str, Network]:
    return {network.slug: network for network in Network.objects.filter(slug__in=set(slugs))}
