"""Importing an existing mailing list from CSV or XLSX, and exporting a list's subscribers and
consent records.

An import is read into rows, each checked on its own (so that every error can be shown with its
row number), and written only when no row has an error: all of it in one transaction. The
coordinator states on the form that the people on the list agreed to it; that statement and the
file's name are the consent basis recorded for each address. A name column may be present, as
it often is in exported lists, but it is not stored: a list needs only the addresses.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.common.spreadsheets import SpreadsheetError, read_sheet, write_csv, write_xlsx
from kotoverkko.common.uploads import download_name
from kotoverkko.network.imports import COLUMN_HEADINGS as MEMBER_HEADINGS
from kotoverkko.network.imports import LANGUAGE_WORDS

from . import subscriptions
from .models import ConsentRecord, MailingList, Subscription

# Headings recognised in Finnish, Swedish and English, compared without case or extra spaces.
COLUMN_HEADINGS: dict[str, tuple[str, ...]] = {
    "email": MEMBER_HEADINGS["email"],
    "language": MEMBER_HEADINGS["language"],
    "name": ("nimi", "namn", "name", "koko nimi", "fullständigt namn", "full name"),
}
COLUMN_LABELS = {
    "email": gettext_lazy("E-mail"),
    "language": gettext_lazy("Language"),
    "name": gettext_lazy("Name"),
}
NAME_MAX_LENGTH = 200
_LANGUAGE_BY_WORD = {word: code for code, words in LANGUAGE_WORDS.items() for word in words}

OUTCOME_LABELS = {
    "added": gettext_lazy("added"),
    "already": gettext_lazy("already on the list, unchanged"),
    "left": gettext_lazy("left this list or every list earlier, not added"),
}


def _words(value: str) -> str:
    return " ".join(str(value).casefold().replace("_", " ").split()).strip(" *:")


def column_help() -> list[dict[str, Any]]:
    """The columns an import understands, with example headings, for the upload page."""
    return [
        {"label": COLUMN_LABELS[name], "headings": headings[:3], "required": name == "email"}
        for name, headings in COLUMN_HEADINGS.items()
    ]


@dataclass
class ImportRow:
    number: int
    email: str
    language: str
    name: str
    errors: list[str] = field(default_factory=list)
    outcome: str = ""
    confirmed_elsewhere: bool = False

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS.get(self.outcome, ""))


@dataclass
class ImportResult:
    filename: str
    rows: list[ImportRow]
    ignored: list[str]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOME_LABELS, 0)
        for row in self.rows:
            if row.outcome in counts:
                counts[row.outcome] += 1
        counts["confirmed_elsewhere"] = sum(
            1 for row in self.rows if row.outcome == "added" and row.confirmed_elsewhere
        )
        return counts


class ImportRefused(Exception):
    """A row has an error; nothing was saved."""

    def __init__(self, result: ImportResult):
        super().__init__("import refused")
        self.result = result


def subscriber_import_read(
    *, data: bytes, filename: str, max_rows: int, default_language: str
) -> ImportResult:
    """The rows of an uploaded list, each checked; SpreadsheetError (with a message for the
    user) when the file as a whole cannot be used."""
    table = read_sheet(data, filename, max_rows=max_rows)
    headings = {_words(h): name for name, options in COLUMN_HEADINGS.items() for h in options}
    for name, label in COLUMN_LABELS.items():
        headings.setdefault(_words(str(label)), name)
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, heading in enumerate(table.header):
        name = headings.get(_words(heading))
        if name is None:
            if heading:
                ignored.append(heading)
        elif name in columns:
            raise SpreadsheetError(
                _("Two columns give the %(column)s: “%(first)s” and “%(second)s”. Keep one.")
                % {
                    "column": str(COLUMN_LABELS[name]).lower(),
                    "first": table.header[columns[name]],
                    "second": heading,
                }
            )
        else:
            columns[name] = index
    if "email" not in columns:
        raise SpreadsheetError(
            _(
                "The file has no e-mail column. The first row must name the columns, for "
                "example “e-mail”."
            )
        )
    if not table.rows:
        raise SpreadsheetError(_("The file has no rows to import."))

    def cell(cells: list[str], name: str) -> str:
        index = columns.get(name)
        return " ".join(cells[index].split()) if index is not None and index < len(cells) else ""

    rows = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        row = ImportRow(
            number=number,
            email=subscriptions.normalise_email(cell(cells, "email")),
            language=default_language,
            name=cell(cells, "name"),
        )
        _check_email(row, seen)
        _check_language(row, cell(cells, "language"))
        if len(row.name) > NAME_MAX_LENGTH:
            row.errors.append(
                _("The name is too long: at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}
            )
        rows.append(row)
    # The name is kept in each consent record: without folders or control characters.
    return ImportResult(filename=download_name(filename, ""), rows=rows, ignored=ignored)


def _check_email(row: ImportRow, seen: dict[str, int]) -> None:
    if not row.email:
        row.errors.append(_("The e-mail address is missing."))
        return
    try:
        subscriptions.email_validated(row.email)
    except ValidationError:
        row.errors.append(_("“%(email)s” is not a valid e-mail address.") % {"email": row.email})
        return
    if row.email in seen:
        row.errors.append(
            _("The e-mail address %(email)s is already on row %(row)d of the file.")
            % {"email": row.email, "row": seen[row.email]}
        )
    else:
        seen[row.email] = row.number


def _check_language(row: ImportRow, value: str) -> None:
    if not value:
        return
    key = _words(value)
    code = _LANGUAGE_BY_WORD.get(key)
    if code is None and re.fullmatch(r"(fi|sv|en)[- ][a-z]{2}", key):
        code = key[:2]  # fi-FI, sv_FI
    if code is None:
        row.errors.append(
            _("Unknown language “%(language)s”. Use fi, sv or en.") % {"language": value}
        )
    else:
        row.language = code


@transaction.atomic
def subscriber_import_run(
    *, actor, mailing_list: MailingList, result: ImportResult
) -> ImportResult:
    """Write a checked import: everything or, when any row has an error, nothing."""
    if result.has_errors:
        raise ImportRefused(result)
    entries = [
        subscriptions.ImportEntry(email=row.email, language=row.language) for row in result.rows
    ]
    subscriptions.subscription_import(
        actor=actor, mailing_list=mailing_list, entries=entries, filename=result.filename
    )
    for row, entry in zip(result.rows, entries, strict=True):
        row.outcome = entry.outcome
        row.confirmed_elsewhere = entry.confirmed_elsewhere
    return result


# Exports --------------------------------------------------------------------------------------

EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_bytes(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, title: str
) -> bytes:
    """The table as CSV or XLSX; text that a spreadsheet would read as a formula is made inert."""
    if fmt == "xlsx":
        return write_xlsx(header, rows, title=title)
    if fmt == "csv":
        return write_csv(header, rows)
    raise ValueError(f"Unknown export format {fmt!r}.")


def subscriber_export_table(*, mailing_list: MailingList) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("E-mail"),
        _("Language"),
        _("Status"),
        _("Source"),
        _("Created"),
        _("Consent given"),
        _("Left the list"),
        _("Left every list"),
        _("Suppressed"),
        _("Hard bounces"),
    ]
    rows = [
        [
            row.subscriber.email,
            row.subscriber.language,
            row.get_status_display(),
            row.get_source_display(),
            row.created_at,
            row.confirmed_at,
            row.unsubscribed_at,
            row.subscriber.left_all_at,
            row.subscriber.suppressed_at,
            row.subscriber.hard_bounces,
        ]
        for row in subscriptions.subscription_list(mailing_list=mailing_list).iterator(
            chunk_size=2000
        )
    ]
    return header, rows


def consent_export_table(*, mailing_list: MailingList) -> tuple[list[str], list[list[Any]]]:
    """The list's consent records, and the records of its subscribers' leaving every list."""
    header = [
        _("Time"),
        _("E-mail"),
        _("List"),
        _("Action"),
        _("How"),
        _("Consent text version"),
        _("Language"),
        _("Detail"),
        _("IP address"),
    ]
    on_list = Subscription.objects.filter(mailing_list=mailing_list).values("subscriber_id")
    records = (
        ConsentRecord.objects.filter(
            Q(mailing_list=mailing_list) | Q(mailing_list__isnull=True, subscriber_id__in=on_list)
        )
        .select_related("subscriber")
        .order_by("at", "pk")
    )
    every_list = _("every list")
    rows = [
        [
            record.at,
            record.subscriber.email,
            record.list_name if record.mailing_list_id else every_list,
            record.get_action_display(),
            record.get_basis_display(),
            record.consent_version,
            record.language,
            record.detail,
            record.ip_address or "",
        ]
        for record in records.iterator(chunk_size=2000)
    ]
    return header, rows
