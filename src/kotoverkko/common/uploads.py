"""Checking uploaded documents by their content, and naming them safely on the way out.

An upload is accepted only when its bytes are one of the document kinds the platform stores
(PDF, PPTX, DOCX, ODT, ODP, plain text, Markdown); its file name and the browser's content
type are never trusted. Zip-based formats are recognised from the names in the archive's
central directory, and their declared expansion is bounded so that a small upload cannot
unpack into gigabytes (a zip bomb) when the library later extracts its text.
"""

import codecs
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_EXPANDED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 5000
# Office XML compresses about 5–20 to 1; a thousand to one is a file made to expand.
DEFAULT_MAX_RATIO = 200
# Entries smaller than this may compress as well as they like: they cannot expand far.
_RATIO_FLOOR = 1024 * 1024

_CHUNK = 64 * 1024
# Readers accept a PDF header after some junk; this check does not, so that a program with a
# PDF header further in (a polyglot) is not taken for a document.
_PDF_SIGNATURE = b"%PDF-"
_HEAD = 16
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extension: str


KINDS = {
    kind.code: kind
    for kind in (
        Kind("pdf", "application/pdf", ".pdf"),
        Kind(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ".pptx",
        ),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        Kind("odt", "application/vnd.oasis.opendocument.text", ".odt"),
        Kind(
            "odp",
            "application/vnd.oasis.opendocument.presentation",
            ".odp",
        ),
        Kind("txt", "text/plain; charset=utf-8", ".txt"),
        Kind("md", "text/markdown; charset=utf-8", ".md"),
    )
}
# What the file input offers; a hint for the browser's file picker, never a check.
ACCEPT = ",".join(kind.extension for kind in KINDS.values()) + ",.markdown"


@dataclass(frozen=True)
class CheckedUpload:
    """What an accepted upload is: its kind, the content type to serve it with, its size."""

    kind: str
    content_type: str
    size: int

    @property
    def extension(self) -> str:
        return KINDS[self.kind].extension


def _limits() -> tuple[int, int, int, int]:
    # Read at call time, so that settings (and tests) can change them.
    return (
        int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)),
        int(getattr(settings, "UPLOAD_MAX_EXPANDED_BYTES", DEFAULT_MAX_EXPANDED_BYTES)),
        int(getattr(settings, "UPLOAD_MAX_ENTRIES", DEFAULT_MAX_ENTRIES)),
        int(getattr(settings, "UPLOAD_MAX_RATIO", DEFAULT_MAX_RATIO)),
    )


def upload_max_bytes() -> int:
    """The largest upload accepted (settings.UPLOAD_MAX_BYTES, 25 MB unless set)."""
    return _limits()[0]


def _not_accepted() -> ValidationError:
    return ValidationError(
        _(
            "This kind of file cannot be uploaded. Upload a PDF, PowerPoint (PPTX), Word "
            "(DOCX), OpenDocument (ODT, ODP), plain text or Markdown file."
        ),
        code="file_type",
    )


def upload_check(
    upload: IO[bytes], *, name: str = "", max_bytes: int | None = None
) -> CheckedUpload:
    """Accept an uploaded document or raise ValidationError with a message for the user.

    `upload` is a binary file object (Django's UploadedFile will do); it is read from the start
    and left at the start. `name` is the uploader's file name, used only to tell Markdown from
    plain text, which no content can.
    """
    size_limit, expanded_limit, entry_limit, ratio_limit = _limits()
    if max_bytes is not None:
        size_limit = max_bytes
    size = _size(upload)
    if size > size_limit:
        raise ValidationError(
            _("The file is %(size)s; at most %(max)s can be uploaded.")
            % {"size": filesizeformat(size), "max": filesizeformat(size_limit)},
            code="file_size",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    try:
        if head.startswith(_PDF_SIGNATURE):
            kind = "pdf"
        elif head.startswith(_ZIP_SIGNATURES):
            kind = _zip_kind(
                upload,
                expanded_limit=expanded_limit,
                entry_limit=entry_limit,
                ratio_limit=ratio_limit,
            )
        elif _is_text(upload):
            kind = "md" if name.lower().endswith(_MARKDOWN_SUFFIXES) else "txt"
        else:
            kind = ""
    finally:
        upload.seek(0)
    if not kind:
        raise _not_accepted()
    return CheckedUpload(kind=kind, content_type=KINDS[kind].content_type, size=size)


def _size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        return size
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    return size


def _zip_kind(upload: IO[bytes], *, expanded_limit: int, entry_limit: int, ratio_limit: int) -> str:
    """The office format a zip archive holds, judged by the names in its central directory;
    refuses archives that would expand too far."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_accepted() from None
    with archive:
        entries = archive.infolist()
        _check_expansion(
            entries, expanded_limit=expanded_limit, entry_limit=entry_limit, ratio_limit=ratio_limit
        )
        names = {info.filename for info in entries}
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ValidationError(
                _("Documents with macros cannot be uploaded. Save the file without macros."),
                code="file_macros",
            )
        if "[Content_Types].xml" in names:
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
            if any(n.startswith("word/") for n in names):
                return "docx"
            return ""
        if "mimetype" in names:
            return _odf_kind(archive, archive.getinfo("mimetype"))
    return ""


def _check_expansion(
    entries: list[zipfile.ZipInfo], *, expanded_limit: int, entry_limit: int, ratio_limit: int
) -> None:
    too_large = ValidationError(
        _("The file unpacks to too large a size to be stored."), code="file_expansion"
    )
    if len(entries) > entry_limit:
        raise too_large
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise ValidationError(
                _("The file is password-protected. Upload it without the password."),
                code="file_encrypted",
            )
        total += info.file_size
        if total > expanded_limit:
            raise too_large
        if info.file_size > _RATIO_FLOOR and info.file_size > ratio_limit * max(
            info.compress_size, 1
        ):
            raise too_large
    compressed = sum(info.compress_size for info in entries)
    if total > _RATIO_FLOOR and total > ratio_limit * max(compressed, 1):
        raise too_large


def _odf_kind(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """ODT or ODP by the archive's `mimetype` entry, which the OpenDocument standard requires."""
    if info.file_size > 200:
        return ""
    try:
        with archive.open(info) as handle:
            value = handle.read(201).strip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return ""
    return _ODF_MIMETYPES.get(value, "")


def _is_text(upload: IO[bytes]) -> bool:
    """UTF-8 from start to end (a byte-order mark allowed) without NUL bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        while chunk := upload.read(_CHUNK):
            if b"\0" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# Downloads -----------------------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r"[\\/:*?\"<>|]+")
_ASCII_FALLBACK_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def download_name(original: str, kind: str) -> str:
    """A file name for a download: the uploader's name without paths or control characters,
    ending in the extension of the detected kind (so "slides.exe" that was a PDF is
    "slides.exe.pdf" and opens as what it is)."""
    name = original.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_IN_NAME.sub("_", name).strip(" .")
    extension = KINDS[kind].extension if kind in KINDS else ""
    allowed = (extension, ".markdown") if kind == "md" else (extension,)
    if not name.lower().endswith(allowed):
        name = (name or "file") + extension
    if len(name) > 150:
        name = name[: 150 - len(extension)] + extension
    return name


def attachment_header(filename: str) -> str:
    """A Content-Disposition value for a download: an ASCII fallback name and the real one
    percent-encoded as RFC 6266 / RFC 5987 say, so nothing in the name can end the header."""
    cleaned = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C")
    ascii_name = (
        unicodedata.normalize("NFKD", cleaned).encode("ascii", "ignore").decode("ascii").strip()
    )
    ascii_name = _ASCII_FALLBACK_UNSAFE.sub("_", ascii_name).strip(" _") or "download"
    encoded = quote(cleaned or "download", safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
