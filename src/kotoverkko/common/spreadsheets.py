"""Reading and writing CSV/XLSX tables safely (no formula injection, bounded size)."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


class SpreadsheetError(ValueError):
    """A file that cannot be read as a table; the message is shown to the user."""


def neutralise(value: Any) -> Any:
    """Make a cell inert in spreadsheet programs: text starting like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    # A byte order mark so that spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet")
    sheet.append([neutralise(h) for h in header])
    for row in rows:
        cells = []
        for value in row:
            value = "" if value is None else neutralise(value)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl writes strings as strings, but a leading "=" would still be read as a formula
    # by its own writer; neutralise() above has already quoted those.
    return buffer.getvalue()


def read_table(data: bytes, filename: str, *, max_rows: int) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts keyed by the lower-cased header."""
    name = filename.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or b"\0" not in data[:1024]:
        rows = _read_csv(data)
    else:
        raise SpreadsheetError(_("The file is neither CSV nor XLSX."))
    if not rows:
        raise SpreadsheetError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in rows[0]]
    if not any(header):
        raise SpreadsheetError(_("The first row must name the columns."))
    body = rows[1:]
    if len(body) > max_rows:
        raise SpreadsheetError(
            _("The file has %(count)d rows; at most %(max)d can be imported at once.")
            % {"count": len(body), "max": max_rows}
        )
    result = []
    for row in body:
        cells = ["" if c is None else str(c).strip() for c in row]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        result.append(dict(zip(header, cells, strict=False)))
    return result


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise SpreadsheetError(_("The file's character encoding is not recognised."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise SpreadsheetError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _read_xlsx(data: bytes) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
        if expanded > 50 * 1024 * 1024:
            raise SpreadsheetError(_("The spreadsheet expands to too large a size."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise SpreadsheetError(_("The XLSX file cannot be read.")) from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
