"""Reading the text out of an uploaded document.

The text becomes a document's transcript and feeds the search index. Every supported kind is
read here: PDF with pypdf, the office formats (DOCX, PPTX, ODT, ODP) with the standard library's
zip and expat modules, plain text and Markdown by their encoding. Uploaded files are hostile
until shown otherwise, so XML with a document type declaration (the way in for entity expansion
attacks) is refused, no more than a fixed amount of XML is read from an archive, and the result
is capped. `extract_text_limited` runs the work in a child process with a wall-clock timeout and
limits on memory and CPU, so that a file made to exhaust the parser costs one process, not the
worker that asked.
"""

import argparse
import codecs
import json
import os
import re
import resource
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.parsers import expat

from django.utils.translation import gettext_lazy as _

MAX_TEXT_CHARS = 2_000_000
# Uncompressed XML read from one office file, over all its parts.
MAX_XML_BYTES = 100 * 1024 * 1024
# Bytes of a plain text file decoded: enough for the character cap in any encoding used here.
MAX_PLAIN_BYTES = 4 * MAX_TEXT_CHARS + 4

_CHUNK = 64 * 1024

UNREADABLE = "unreadable"
ENCRYPTED = "encrypted"
NO_TEXT = "no_text"
TOO_LARGE = "too_large"
TIMED_OUT = "timed_out"

REASONS = {
    UNREADABLE: _(
        "The file could not be read. It may be damaged, or not the kind of file it appears to be."
    ),
    ENCRYPTED: _(
        "The file is password-protected, so its text cannot be read. Upload it without the "
        "password."
    ),
    NO_TEXT: _(
        "No text was found in the file. A scanned document holds only pictures of its pages; "
        "upload a version with text, for example after running text recognition (OCR) on it."
    ),
    TOO_LARGE: _("The file holds too much content for its text to be read."),
    TIMED_OUT: _("Reading the text of the file took too long and was stopped."),
}


class ExtractionError(Exception):
    """The text of a file could not be read; `code` says why and `reason` says it to a person."""

    def __init__(self, code: str):
        if code not in REASONS:
            code = UNREADABLE
        super().__init__(code)
        self.code = code

    @property
    def reason(self) -> str:
        return REASONS[self.code]


def extract_text(path: str | os.PathLike, kind: str) -> str:
    """The text of the file at `path`, a document of `kind` as `common.uploads` names kinds;
    whitespace normalised with paragraph breaks kept, at most MAX_TEXT_CHARS characters."""
    readers = {
        "pdf": _pdf_text,
        "docx": _docx_text,
        "pptx": _pptx_text,
        "odt": _odt_text,
        "odp": _odp_text,
        "txt": _plain_text,
        "md": _plain_text,
    }
    if kind not in readers:
        raise ExtractionError(UNREADABLE)
    try:
        raw = readers[kind](Path(path))
    except MemoryError:
        raise ExtractionError(TOO_LARGE) from None
    except (OSError, RecursionError):
        raise ExtractionError(UNREADABLE) from None
    text = normalise(raw)
    if not text:
        raise ExtractionError(NO_TEXT)
    return text


# Normalising ---------------------------------------------------------------------------------

# C0 and C1 controls except tab and newline, lone surrogates, and the byte-order mark.
_DROPPED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """One space between words, no space at line ends, at most one blank line in a row, no
    control characters, at most MAX_TEXT_CHARS characters (cut at a word boundary)."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _DROPPED.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if len(text) > MAX_TEXT_CHARS:
        cut = text[:MAX_TEXT_CHARS]
        boundary = max(cut.rfind(" "), cut.rfind("\n"))
        text = cut[:boundary] if boundary > MAX_TEXT_CHARS // 2 else cut
        text = text.rstrip()
    return text


# PDF -----------------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            # Only files without a password to open them (owner-restricted ones) are read.
            raise ExtractionError(ENCRYPTED)
        pages = []
        length = 0
        for page in reader.pages:
            page_text = page.extract_text() or ""
            pages.append(page_text)
            length += len(page_text)
            if length > MAX_TEXT_CHARS:
                break
    except ExtractionError:
        raise
    except (FileNotDecryptedError, DependencyError):
        # DependencyError: AES encryption without the optional cryptography package.
        raise ExtractionError(ENCRYPTED) from None
    except MemoryError:
        raise
    except Exception:
        # pypdf signals a damaged file with many exception types, not all its own.
        raise ExtractionError(UNREADABLE) from None
    return "\n\n".join(pages)


# Office formats ------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"


class _Budget:
    """Bytes of XML still allowed to be read from one archive."""

    def __init__(self, limit: int):
        self.left = limit

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise ExtractionError(TOO_LARGE)


class _TextCollector:
    """Collects the text of an XML part as it streams through expat, one paragraph a line.

    `paragraphs` are the elements that end a paragraph; `runs`, when given, the only elements
    whose character data is text (DOCX and PPTX keep text in w:t and a:t; elsewhere in those
    parts are field codes and deleted text); `tabs` and `breaks` stand for a tab and a line
    break; `spaces` is ODF's text:s, whose c attribute says how many; `pages` are the elements
    (slides) followed by a blank line.
    """

    def __init__(
        self,
        *,
        paragraphs: set[str],
        runs: set[str] | None = None,
        tabs: frozenset[str] = frozenset(),
        breaks: frozenset[str] = frozenset(),
        spaces: frozenset[str] = frozenset(),
        pages: frozenset[str] = frozenset(),
    ):
        self.paragraphs = paragraphs
        self.runs = runs
        self.tabs = tabs
        self.breaks = breaks
        self.spaces = spaces
        self.pages = pages
        self.parts: list[str] = []
        self.length = 0
        self._open_paragraphs = 0
        self._open_runs = 0
        self._line: list[str] = []

    def parser(self) -> "expat.XMLParserType":
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        parser.buffer_text = True
        return parser

    def _refuse(self, *args: object) -> None:
        # A document type declaration can define entities that expand without bound.
        raise ExtractionError(UNREADABLE)

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if name in self.paragraphs:
            if self._open_paragraphs:
                # A paragraph inside another (a note, a frame): the outer text so far is a line.
                self._end_line()
            self._open_paragraphs += 1
        elif self.runs is not None and name in self.runs:
            self._open_runs += 1
        elif name in self.tabs:
            self._add("\t")
        elif name in self.breaks:
            self._add("\n")
        elif name in self.spaces:
            count = attributes.get(f"{_TEXT} c", "1")
            self._add(" " * min(int(count) if count.isdigit() else 1, 100))

    def _end(self, name: str) -> None:
        if name in self.paragraphs:
            self._open_paragraphs = max(self._open_paragraphs - 1, 0)
            self._end_line()
        elif self.runs is not None and name in self.runs:
            self._open_runs = max(self._open_runs - 1, 0)
        elif name in self.pages:
            self._end_line()
            self._emit("\n")

    def _characters(self, data: str) -> None:
        if self.runs is None:
            if self._open_paragraphs:
                self._add(data)
        elif self._open_runs:
            self._add(data)

    def _add(self, text: str) -> None:
        self._line.append(text)
        self.length += len(text)
        if self.length > MAX_TEXT_CHARS + 1000:
            # Enough text for the cap; stop parsing rather than hold more.
            raise _Enough

    def _end_line(self) -> None:
        if self._line:
            self._emit("".join(self._line) + "\n")
            self._line = []

    def _emit(self, text: str) -> None:
        self.parts.append(text)

    def text(self) -> str:
        self._end_line()
        return "".join(self.parts)


class _Enough(Exception):
    """Raised inside the parser when the text cap is reached."""


def _feed(archive: zipfile.ZipFile, name: str, collector: _TextCollector, budget: _Budget) -> None:
    parser = collector.parser()
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(_CHUNK):
                budget.spend(len(chunk))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Enough:
        return
    except expat.ExpatError:
        raise ExtractionError(UNREADABLE) from None


def _office_text(path: Path, read: Callable[[zipfile.ZipFile, _Budget], str]) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            return read(archive, _Budget(MAX_XML_BYTES))
    except ExtractionError:
        raise
    except KeyError:
        # A part the format requires is missing.
        raise ExtractionError(UNREADABLE) from None
    except RuntimeError as error:
        # zipfile's way of saying an entry is encrypted.
        code = ENCRYPTED if "encrypted" in str(error) else UNREADABLE
        raise ExtractionError(code) from None
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, OSError):
        raise ExtractionError(UNREADABLE) from None


def _docx_text(path: Path) -> str:
    def read(archive: zipfile.ZipFile, budget: _Budget) -> str:
        collector = _TextCollector(
            paragraphs={f"{_W} p"},
            runs={f"{_W} t"},
            tabs=frozenset({f"{_W} tab"}),
            breaks=frozenset({f"{_W} br", f"{_W} cr"}),
        )
        _feed(archive, "word/document.xml", collector, budget)
        return collector.text()

    return _office_text(path, read)


_SLIDE_NAME = re.compile(r"ppt/slides/slide(\d+)\.xml")


def _pptx_text(path: Path) -> str:
    def read(archive: zipfile.ZipFile, budget: _Budget) -> str:
        numbered = []
        for name in archive.namelist():
            match = _SLIDE_NAME.fullmatch(name)
            if match:
                numbered.append((int(match.group(1)), name))
        slides = []
        for _number, name in sorted(numbered):
            collector = _TextCollector(
                paragraphs={f"{_A} p"},
                runs={f"{_A} t"},
                breaks=frozenset({f"{_A} br"}),
            )
            _feed(archive, name, collector, budget)
            slides.append(collector.text())
        return "\n\n".join(slides)

    return _office_text(path, read)


def _odf_collector(pages: Iterable[str] = ()) -> _TextCollector:
    return _TextCollector(
        paragraphs={f"{_TEXT} p", f"{_TEXT} h"},
        tabs=frozenset({f"{_TEXT} tab"}),
        breaks=frozenset({f"{_TEXT} line-break"}),
        spaces=frozenset({f"{_TEXT} s"}),
        pages=frozenset(pages),
    )


def _odt_text(path: Path) -> str:
    def read(archive: zipfile.ZipFile, budget: _Budget) -> str:
        collector = _odf_collector()
        _feed(archive, "content.xml", collector, budget)
        return collector.text()

    return _office_text(path, read)


def _odp_text(path: Path) -> str:
    def read(archive: zipfile.ZipFile, budget: _Budget) -> str:
        collector = _odf_collector(pages={f"{_DRAW} page"})
        _feed(archive, "content.xml", collector, budget)
        return collector.text()

    return _office_text(path, read)


# Plain text and Markdown ---------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _plain_text(path: Path) -> str:
    with path.open("rb") as handle:
        data = handle.read(MAX_PLAIN_BYTES)
        complete = not handle.read(1)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, complete=complete, errors="replace")
    try:
        return _decode(data, "utf-8", complete=complete, errors="strict")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _decode(data: bytes, encoding: str, *, complete: bool, errors: str) -> str:
    # An incremental decoder leaves a character cut off at the read limit out, not garbled.
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    return decoder.decode(data, final=complete)


# Running in a child process ------------------------------------------------------------------

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def extract_text_limited(
    path: str | os.PathLike, kind: str, *, timeout_seconds: float = 60, memory_mb: int = 512
) -> str:
    """`extract_text` in a child process that is stopped after `timeout_seconds` and may use at
    most `memory_mb` of address space and about as many seconds of CPU as of wall time."""
    cpu_seconds = max(int(timeout_seconds) + 1, 1)
    command = [
        sys.executable,
        "-m",
        "kotoverkko.library.extraction",
        "--memory-mb",
        str(int(memory_mb)),
        "--cpu-seconds",
        str(cpu_seconds),
        os.fspath(path),
        kind,
    ]
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(_SOURCE_ROOT), environment.get("PYTHONPATH")])
    )
    environment["PYTHONIOENCODING"] = "utf-8"
    try:
        completed = subprocess.run(  # noqa: S603 - fixed interpreter and module, no shell
            command,
            capture_output=True,
            timeout=timeout_seconds,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExtractionError(TIMED_OUT) from None
    if completed.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        # The CPU limit: SIGXCPU at the soft limit, SIGKILL at the hard one.
        raise ExtractionError(TIMED_OUT)
    try:
        answer = json.loads(completed.stdout)
    except ValueError:
        answer = None
    if completed.returncode != 0 or not isinstance(answer, dict):
        if b"MemoryError" in completed.stderr:
            raise ExtractionError(TOO_LARGE)
        raise ExtractionError(UNREADABLE)
    if "error" in answer:
        raise ExtractionError(str(answer["error"]))
    text = answer.get("text")
    if not isinstance(text, str):
        raise ExtractionError(UNREADABLE)
    return text


def _limit_resources(*, memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def main(argv: list[str] | None = None) -> int:
    """Read one file and print {"text": ...} or {"error": code} as JSON on stdout."""
    parser = argparse.ArgumentParser(prog="python -m kotoverkko.library.extraction")
    parser.add_argument("--memory-mb", type=int, default=512)
    parser.add_argument("--cpu-seconds", type=int, default=60)
    parser.add_argument("path")
    parser.add_argument("kind")
    arguments = parser.parse_args(argv)
    # The PDF library is loaded before the limits so that they bound reading the file, not
    # loading code (a failed shared-library mapping would hide that memory ran out). The limits
    # are set here, in the child itself, rather than in a preexec_fn: that hook is unsafe in a
    # parent with threads, and a worker may have them.
    import pypdf  # noqa: F401

    _limit_resources(memory_mb=arguments.memory_mb, cpu_seconds=arguments.cpu_seconds)
    try:
        answer = {"text": extract_text(arguments.path, arguments.kind)}
    except ExtractionError as error:
        answer = {"error": error.code}
    except MemoryError:
        answer = {"error": TOO_LARGE}
    sys.stdout.write(json.dumps(answer, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
