"""Importing a member list into a network, and exporting members and the organisation directory.

An import is read into plain rows (kept between the preview and the confirmation), planned
against the database (every row gets an outcome, or errors), and written only when no row has
an error: all of it in one transaction, through the network services so that it is audited.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.common.spreadsheets import SpreadsheetError, read_sheet, write_csv, write_xlsx

from . import selectors, services
from .models import LANGUAGE_CHOICES, Membership, Network, Organisation, Person

# Column headings ------------------------------------------------------------------------------

IMPORT_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "title",
    "organisation",
    "language",
    "role",
]

# Headings recognised in Finnish, Swedish and English (compared without case, spaces collapsed).
# Each starts with its Finnish, Swedish and English heading (shown on the upload page).
COLUMN_HEADINGS: dict[str, tuple[str, ...]] = {
    "first_name": (
        "etunimi",
        "förnamn",
        "first name",
        "etunimet",
        "firstname",
        "given name",
        "forename",
    ),
    "last_name": (
        "sukunimi",
        "efternamn",
        "last name",
        "släktnamn",
        "lastname",
        "surname",
        "family name",
    ),
    "email": (
        "sähköposti",
        "e-post",
        "email",
        "sähköpostiosoite",
        "s-posti",
        "e-postadress",
        "epost",
        "e-mail",
        "email address",
        "e-mail address",
    ),
    "phone": (
        "puhelin",
        "telefon",
        "phone",
        "puhelinnumero",
        "matkapuhelin",
        "telefonnummer",
        "mobil",
        "phone number",
        "telephone",
        "mobile",
    ),
    "title": ("nimike", "titel", "title", "tehtävänimike", "titteli", "befattning", "job title"),
    "organisation": (
        "organisaatio",
        "organisation",
        "organization",
        "organisaation nimi",
        "organisationens namn",
        "organisation name",
        "organization name",
    ),
    "language": ("kieli", "språk", "language", "asiointikieli", "preferred language"),
    "role": ("rooli", "roll", "role"),
}

COLUMN_LABELS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"),
    "title": gettext_lazy("Title"),
    "organisation": gettext_lazy("Organisation"),
    "language": gettext_lazy("Language"),
    "role": gettext_lazy("Role"),
}

LANGUAGE_WORDS = {
    "fi": ("fi", "fin", "suomi", "suomeksi", "finska", "finnish"),
    "sv": ("sv", "swe", "ruotsi", "ruotsiksi", "svenska", "swedish"),
    "en": ("en", "eng", "englanti", "englanniksi", "engelska", "english"),
}

ROLE_WORDS = {
    Membership.Role.MEMBER: ("member", "jäsen", "medlem"),
    Membership.Role.COORDINATOR: (
        "coordinator",
        "koordinaattori",
        "verkostokoordinaattori",
        "koordinator",
        "nätverkskoordinator",
    ),
    Membership.Role.LEAD: (
        "lead",
        "team lead",
        "leader",
        "vetäjä",
        "tiiminvetäjä",
        "alatiimin vetäjä",
        "ledare",
        "teamledare",
    ),
}

BUSINESS_ID = re.compile(r"\d{7}-\d")
PERSON_LIMITS = {
    name: Person._meta.get_field(name).max_length
    for name in ("first_name", "last_name", "phone", "title")
}


def _words(value: str) -> str:
    return " ".join(str(value).casefold().replace("_", " ").split())


def _heading_key(heading: str) -> str:
    return _words(heading).strip(" *:")


def _heading_map() -> dict[str, str]:
    """Heading → field, including the column labels of the current language (as exported)."""
    mapping = {
        _heading_key(heading): name
        for name, headings in COLUMN_HEADINGS.items()
        for heading in headings
    }
    for name, label in COLUMN_LABELS.items():
        mapping.setdefault(_heading_key(str(label)), name)
    return mapping


def column_help() -> list[dict[str, Any]]:
    """The columns an import understands, with example headings, for the upload page."""
    return [
        {"field": name, "label": COLUMN_LABELS[name], "headings": COLUMN_HEADINGS[name][:3]}
        for name in IMPORT_FIELDS
    ]


# Reading the file -----------------------------------------------------------------------------


def member_import_read(*, data: bytes, filename: str, max_rows: int) -> dict[str, Any]:
    """The recognised columns of an uploaded member list as plain, storable rows.

    Raises SpreadsheetError with a message for the user when the file as a whole is unusable.
    """
    table = read_sheet(data, filename, max_rows=max_rows)
    headings = _heading_map()
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, heading in enumerate(table.header):
        name = headings.get(_heading_key(heading))
        if name is None:
            if heading:
                ignored.append(heading)
            continue
        if name in columns:
            raise SpreadsheetError(
                _("Two columns give the %(column)s: “%(first)s” and “%(second)s”. Keep one.")
                % {
                    "column": COLUMN_LABELS[name],
                    "first": table.header[columns[name]],
                    "second": heading,
                }
            )
        columns[name] = index
    if "email" not in columns:
        raise SpreadsheetError(
            _(
                "The file has no e-mail column. The first row must name the columns, for example "
                "“first name”, “last name” and “e-mail”."
            )
        )
    if not table.rows:
        raise SpreadsheetError(_("The file has no rows to import."))
    rows = []
    for number, cells in table.rows:
        row: dict[str, Any] = {"row": number}
        for name, index in columns.items():
            row[name] = " ".join(cells[index].split()) if index < len(cells) else ""
        rows.append(row)
    return {"filename": filename[:200], "columns": list(columns), "ignored": ignored, "rows": rows}


# Planning -------------------------------------------------------------------------------------


class Outcome(models.TextChoices):
    NEW = "new", gettext_lazy("new person and membership")
    EXISTING = "existing", gettext_lazy("listed person, new membership")
    SKIPPED = "skipped", gettext_lazy("already a member, skipped")
    ERROR = "error", gettext_lazy("error")


@dataclass
class PlannedRow:
    number: int
    values: dict[str, str]
    outcome: str = Outcome.NEW
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    person: Person | None = None
    organisation_id: int | None = None
    organisation: Organisation | None = None
    new_organisation: str = ""
    language: str = "fi"
    role: str = Membership.Role.MEMBER

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def role_label(self) -> str:
        return str(Membership.Role(self.role).label)

    @property
    def name(self) -> str:
        return " ".join(filter(None, [self.values["first_name"], self.values["last_name"]]))


@dataclass
class ImportPlan:
    network: Network
    rows: list[PlannedRow]
    columns: list[str]
    ignored: list[str]
    create_organisations: bool
    filename: str = ""

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def column_labels(self) -> list[str]:
        return [str(COLUMN_LABELS[name]) for name in self.columns]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in Outcome}

    @property
    def new_organisations(self) -> list[str]:
        names: dict[str, str] = {}
        for row in self.rows:
            if row.new_organisation and not row.errors:
                names.setdefault(_words(row.new_organisation), row.new_organisation)
        return sorted(names.values(), key=str.casefold)


def _lookup(words: dict[str, Iterable[str]], labels: Iterable[tuple[str, Any]]) -> dict[str, str]:
    table = {_words(word): code for code, options in words.items() for word in options}
    for code, label in labels:
        table.setdefault(_words(str(label)), code)
    return table


@dataclass
class _Vocabulary:
    """Words accepted for languages and roles, with the labels of the current language."""

    languages: dict[str, str]
    roles: dict[str, str]

    @classmethod
    def load(cls) -> "_Vocabulary":
        return cls(
            languages=_lookup(LANGUAGE_WORDS, LANGUAGE_CHOICES),
            roles=_lookup(ROLE_WORDS, Membership.Role.choices),
        )

    def language(self, value: str) -> str | None:
        if not value:
            return "fi"
        key = _words(value)
        if match := re.fullmatch(r"(fi|sv|en)[-_ ][a-z]{2}", key):
            return match.group(1)
        return self.languages.get(key)

    def role(self, value: str) -> str | None:
        if not value:
            return Membership.Role.MEMBER
        return self.roles.get(_words(value))


@dataclass
class _OrganisationIndex:
    by_name: dict[str, list[int]]
    by_business_id: dict[str, list[int]]
    active: set[int]

    @classmethod
    def load(cls) -> "_OrganisationIndex":
        today = timezone.localdate()
        by_name: dict[str, list[int]] = {}
        by_business_id: dict[str, list[int]] = {}
        active: set[int] = set()
        rows = Organisation.objects.values_list(
            "pk", "name", "name_fi", "name_sv", "name_en", "business_id", "valid_until"
        )
        for pk, *names, business_id, valid_until in rows:
            for name in {_words(n) for n in names if n}:
                by_name.setdefault(name, []).append(pk)
            if business_id:
                by_business_id.setdefault(business_id, []).append(pk)
            if valid_until is None or valid_until >= today:
                active.add(pk)
        return cls(by_name, by_business_id, active)

    def match(self, value: str) -> list[int]:
        if BUSINESS_ID.fullmatch(value):
            found = self.by_business_id.get(value, [])
        else:
            found = self.by_name.get(_words(value), [])
        if len(found) > 1:
            # A reorganised institution may share its name with its ended predecessor.
            current = [pk for pk in found if pk in self.active]
            found = current or found
        return found


def _chunks(values: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _email_is_valid(email: str) -> bool:
    if len(email) > Person._meta.get_field("email").max_length:
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _check_email(row: PlannedRow, seen: dict[str, int]) -> None:
    email = row.values["email"].lower()
    row.values["email"] = email
    if not email:
        row.errors.append(_("The e-mail address is missing."))
        return
    if not _email_is_valid(email):
        row.errors.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
        return
    if email in seen:
        row.errors.append(
            _("The e-mail address %(email)s is already on row %(row)d of the file.")
            % {"email": email, "row": seen[email]}
        )
    else:
        seen[email] = row.number


def _check_role(row: PlannedRow, network: Network, vocabulary: _Vocabulary) -> None:
    role = vocabulary.role(row.values["role"])
    if role is None:
        row.errors.append(
            _("Unknown role “%(role)s”. Use member, coordinator or team lead.")
            % {"role": row.values["role"]}
        )
    elif role == Membership.Role.LEAD and not network.is_team:
        row.errors.append(
            _("Only a team has a team lead; %(network)s is not a team.") % {"network": network}
        )
    else:
        row.role = role


def _check_new_person(
    row: PlannedRow, index: _OrganisationIndex, vocabulary: _Vocabulary, create: bool
) -> None:
    if not row.values["first_name"]:
        row.errors.append(_("The first name is missing."))
    if not row.values["last_name"]:
        row.errors.append(_("The last name is missing."))
    for name, limit in PERSON_LIMITS.items():
        if len(row.values[name]) > limit:
            row.errors.append(
                _("The %(column)s is too long: at most %(max)d characters.")
                % {"column": str(COLUMN_LABELS[name]).lower(), "max": limit}
            )
    language = vocabulary.language(row.values["language"])
    if language is None:
        row.errors.append(
            _("Unknown language “%(language)s”. Use fi, sv or en.")
            % {"language": row.values["language"]}
        )
    else:
        row.language = language
    text = row.values["organisation"]
    if not text:
        return
    found = index.match(text)
    if len(found) == 1:
        row.organisation_id = found[0]
    elif len(found) > 1:
        row.errors.append(
            _("Several organisations are called “%(name)s”. Give the business ID instead.")
            % {"name": text}
        )
    elif BUSINESS_ID.fullmatch(text):
        row.errors.append(_("No organisation has the business ID %(id)s.") % {"id": text})
    elif not create:
        row.errors.append(
            _(
                "Unknown organisation “%(name)s”. Add it to the directory first, give its "
                "business ID, or choose to add unknown organisations."
            )
            % {"name": text}
        )
    elif len(text) > Organisation._meta.get_field("name").max_length:
        row.errors.append(_("The organisation name “%(name)s” is too long.") % {"name": text})
    else:
        row.new_organisation = text
        row.notes.append(_("The organisation “%(name)s” will be added.") % {"name": text})


def member_import_plan(
    *, network: Network, parsed: dict[str, Any], create_organisations: bool
) -> ImportPlan:
    """What importing the rows would do, row by row, as the database is now."""
    rows = [
        PlannedRow(
            number=int(raw["row"]),
            values={name: str(raw.get(name) or "") for name in IMPORT_FIELDS},
        )
        for raw in parsed["rows"]
    ]
    vocabulary = _Vocabulary.load()
    seen: dict[str, int] = {}
    for row in rows:
        _check_email(row, seen)
        _check_role(row, network, vocabulary)

    emails = sorted(seen)
    people: dict[str, Person] = {}
    for chunk in _chunks(emails):
        people.update((p.email, p) for p in Person.objects.filter(email__in=chunk))
    current: dict[int, Membership] = {}
    person_ids = [p.pk for p in people.values()]
    for chunk in _chunks(person_ids):
        current.update(
            (m.person_id, m)
            for m in Membership.objects.filter(
                network=network,
                person_id__in=chunk,
                status__in=[Membership.Status.ACTIVE, Membership.Status.REQUESTED],
            )
        )

    index: _OrganisationIndex | None = None
    for row in rows:
        person = people.get(row.values["email"])
        if person is not None:
            row.person = person
            membership = current.get(person.pk)
            if membership is not None and membership.status == Membership.Status.ACTIVE:
                row.outcome = Outcome.SKIPPED
                row.notes.append(
                    _("%(name)s is already a member (%(role)s); the row is skipped.")
                    % {"name": person.full_name, "role": membership.get_role_display()}
                )
            else:
                row.outcome = Outcome.EXISTING
                row.notes.append(
                    _("Already listed as %(name)s; the listed details are kept.")
                    % {"name": person.full_name}
                )
        else:
            if index is None:
                index = _OrganisationIndex.load()
            _check_new_person(row, index, vocabulary, create_organisations)
        if row.errors:
            row.outcome = Outcome.ERROR

    _attach_organisations(rows)
    return ImportPlan(
        network=network,
        rows=rows,
        columns=list(parsed.get("columns", [])),
        ignored=list(parsed.get("ignored", [])),
        create_organisations=create_organisations,
        filename=str(parsed.get("filename", "")),
    )


def _attach_organisations(rows: list[PlannedRow]) -> None:
    """Fetch the organisations that rows were matched to, in one query."""
    ids = {row.organisation_id for row in rows if row.organisation_id is not None}
    if not ids:
        return
    found = Organisation.objects.in_bulk(sorted(ids))
    for row in rows:
        if row.organisation_id is not None:
            row.organisation = found.get(row.organisation_id)


class ImportRefused(Exception):
    """The rows have errors; nothing was saved. The plan shows them."""

    def __init__(self, plan: ImportPlan):
        super().__init__("The import has rows with errors.")
        self.plan = plan


@transaction.atomic
def member_import_run(
    *, actor, network: Network, parsed: dict[str, Any], create_organisations: bool
) -> ImportPlan:
    """Write every row of a clean import, or nothing: the plan is made again first.

    Raises ImportRefused when a row has an error, and lets a service's ValidationError through
    (for a change made by someone else meanwhile); either way the transaction is rolled back.
    """
    plan = member_import_plan(
        network=network, parsed=parsed, create_organisations=create_organisations
    )
    if plan.has_errors:
        raise ImportRefused(plan)
    added: dict[str, Organisation] = {}
    new_people: list[tuple[dict[str, Any], str]] = []
    existing_people: list[tuple[Person, str]] = []
    for row in plan.rows:
        if row.outcome == Outcome.SKIPPED:
            continue
        if row.outcome == Outcome.EXISTING:
            existing_people.append((row.person, row.role))
            continue
        organisation = row.organisation
        if row.new_organisation:
            key = _words(row.new_organisation)
            if key not in added:
                added[key] = services.organisation_create(
                    actor=actor,
                    data={"name_fi": row.new_organisation, "type": Organisation.Type.OTHER},
                )
            organisation = added[key]
        new_people.append(
            (
                {
                    "first_name": row.values["first_name"],
                    "last_name": row.values["last_name"],
                    "email": row.values["email"],
                    "phone": row.values["phone"],
                    "title": row.values["title"],
                    "organisation": organisation,
                    "language": row.language,
                },
                row.role,
            )
        )
    services.membership_bulk_import(
        actor=actor, network=network, new_people=new_people, existing_people=existing_people
    )
    return plan


# Exports --------------------------------------------------------------------------------------

EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_bytes(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, title: str
) -> bytes:
    """The table as a CSV or XLSX file; every text cell is made inert for spreadsheets."""
    if fmt == "xlsx":
        return write_xlsx(header, rows, title=title)
    if fmt == "csv":
        return write_csv(header, rows)
    raise ValueError(f"Unknown export format {fmt!r}.")


def member_export_table(
    *, network: Network, include_ended: bool = False
) -> tuple[list[str], list[list[Any]]]:
    """The network's direct members: contact details, organisation, role and period."""
    header = [
        _("First name"),
        _("Last name"),
        _("E-mail"),
        _("Phone"),
        _("Title"),
        _("Organisation"),
        _("Role"),
        _("Status"),
        _("From"),
        _("Until"),
    ]
    rows = [
        [
            membership.person.first_name,
            membership.person.last_name,
            membership.person.email,
            membership.person.phone,
            membership.person.title,
            membership.person.organisation.name if membership.person.organisation else "",
            membership.get_role_display(),
            membership.get_status_display(),
            membership.started_on,
            membership.ended_on,
        ]
        for membership in selectors.network_memberships(
            network=network, include_ended=include_ended
        )
    ]
    return header, rows


def organisation_export_table(
    *, filters: selectors.OrganisationFilters
) -> tuple[list[str], list[list[Any]]]:
    """The public facts of the organisations that the directory shows with these filters."""
    header = [
        _("Name in Finnish"),
        _("Name in Swedish"),
        _("Name in English"),
        _("Type"),
        _("Municipality"),
        _("Business ID"),
        _("Website"),
        _("Valid from"),
        _("Valid until"),
    ]
    rows = [
        [
            organisation.name_fi,
            organisation.name_sv,
            organisation.name_en,
            organisation.get_type_display(),
            organisation.municipality.name if organisation.municipality else "",
            organisation.business_id,
            organisation.website,
            organisation.valid_from,
            organisation.valid_until,
        ]
        for organisation in selectors.organisation_list(filters=filters)
    ]
    return header, rows
