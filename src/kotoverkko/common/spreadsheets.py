"""Reading and writing CSV/XLSX tables safely (no formula injection, bounded size)."""

import codecs
import csv
import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

# Text starting with one of these is read as a formula (or as the start of one) by spreadsheet
# programs; the full-width forms are treated the same way by some of them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")

# Characters that XML 1.0, and so XLSX, cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BINARY_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"BM", b"\x1f\x8b")
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
_ZIP_SIGNATURE = b"PK\x03\x04"
MAX_XLSX_EXPANDED_BYTES = 50 * 1024 * 1024


class SpreadsheetError(ValueError):
    """A file that cannot be read as a table; the message is shown to the user."""


def neutralise(value: Any) -> Any:
    """Make a cell inert in spreadsheet programs: text starting like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain_cell(value: Any) -> Any:
    """A value that both writers can store as it is: text, a number, a date or nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return neutralise(str(value))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_plain_cell(h) for h in header])
    for row in rows:
        writer.writerow([_plain_cell(v) for v in row])
    # A byte order mark so that spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    value = _plain_cell(value)
    if isinstance(value, str):
        # Text is written as text: neutralise() has already quoted anything formula-like, and
        # characters that XML cannot hold would make the workbook unreadable.
        return _ILLEGAL_XML.sub("", value)
    return value


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet_title = _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip("' ")[:31] or "Sheet"
    sheet = workbook.create_sheet(title=sheet_title)
    sheet.append([_xlsx_cell(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Table:
    """A table read from a file: its lower-cased header and its non-empty rows.

    Each row carries its number in the file (counting from 1, blank rows included), so that
    messages can point to the row as the user sees it in a spreadsheet program.
    """

    header: list[str]
    rows: list[tuple[int, list[str]]]

    def records(self) -> list[dict[str, str]]:
        result = []
        for _number, cells in self.rows:
            padded = cells + [""] * (len(self.header) - len(cells))
            result.append(dict(zip(self.header, padded, strict=False)))
        return result


def read_sheet(data: bytes, filename: str, *, max_rows: int) -> Table:
    """The first sheet of an XLSX file or the table in a CSV file, at most max_rows rows."""
    if data.startswith(_ZIP_SIGNATURE):
        return _read_xlsx(data, max_rows=max_rows)
    if data.startswith(_OLE_SIGNATURE):
        raise SpreadsheetError(
            _("Old Excel files (.xls) cannot be read. Save the file as XLSX or CSV and try again.")
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError(_("The XLSX file cannot be read."))
    if data.startswith(_BINARY_SIGNATURES) or (
        b"\0" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        raise SpreadsheetError(_("The file is neither CSV nor XLSX."))
    return _read_csv(data, max_rows=max_rows)


def _collect(rows: Iterable[Sequence[Any]], *, max_rows: int) -> Table:
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(rows, start=1):
        cells = [_text(c) for c in raw]
        if not any(cells):
            continue
        if header is None:
            # The first non-empty row names the columns.
            header = [" ".join(c.lower().split()) for c in cells]
            continue
        if len(body) >= max_rows:
            raise SpreadsheetError(
                _("The file has more than %(max)d rows; at most %(max)d can be read at once.")
                % {"max": max_rows}
            )
        body.append((number, cells))
    if header is None:
        raise SpreadsheetError(_("The file is empty."))
    return Table(header=header, rows=body)


def read_table(data: bytes, filename: str, *, max_rows: int) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts keyed by the lower-cased header."""
    return read_sheet(data, filename, max_rows=max_rows).records()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        _("The file's character encoding is not recognised. Save it as CSV in UTF-8.")
    )


def _delimiter(text: str) -> str:
    """The separator used in the header line: semicolon, tab or comma."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    outside_quotes = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: outside_quotes.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, *, max_rows: int) -> Table:
    text = _decode(data)
    if "\0" in text:
        raise SpreadsheetError(_("The file is neither CSV nor XLSX."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _collect(reader, max_rows=max_rows)
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file is malformed near row %(row)d.") % {"row": reader.line_num}
        ) from exc


def _read_xlsx(data: bytes, *, max_rows: int) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
        if expanded > MAX_XLSX_EXPANDED_BYTES:
            raise SpreadsheetError(_("The spreadsheet expands to too large a size."))
        with warnings.catch_warnings():
            # Files from some programs lack default styles; openpyxl warns and carries on.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds on a broken file
        raise SpreadsheetError(_("The XLSX file cannot be read.")) from exc
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("The XLSX file has no worksheet."))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _collect(workbook.worksheets[0].iter_rows(values_only=True), max_rows=max_rows)
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise SpreadsheetError(_("The XLSX file cannot be read.")) from exc
    finally:
        workbook.close()
