"""Writing the tray: offerings and their confirmation, wishes and the answers to them.

Workshops are in workshop.py, the analysis in analysis.py and client guidance in guidance.py.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotoverkko.common.audit import audit_record, diff, snapshot
from kotoverkko.common.cache import public_pages_changed
from kotoverkko.network.models import Organisation

from .languages import LANGUAGES
from .models import Offering, PathStage, TimeOfDay, Wish, WishResponse

CONTENT_LANGUAGES = ("fi", "sv", "en")
TRANSLATED = [
    f"{name}_{code}"
    for name in ("title", "description", "how_to_join")
    for code in CONTENT_LANGUAGES
]
PLAIN = [
    "category",
    "languages",
    "path_stages",
    "times",
    "cost",
    "cost_note",
    "contact_name",
    "contact_email",
    "contact_phone",
    "url",
    "service_class",
]
M2M = ["municipalities", "regions", "groups"]
OFFERING_FIELDS = TRANSLATED + PLAIN + M2M
AUDITED = TRANSLATED + [
    "category_id",
    "languages",
    "path_stages",
    "times",
    "cost",
    "cost_note",
    "contact_name",
    "contact_email",
    "contact_phone",
    "url",
    "service_class_id",
    "municipalities",
    "regions",
    "groups",
]


def _is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _squeeze(value: Any) -> str:
    return " ".join(str(value or "").split())


def _codes(values, allowed, message: str) -> list[str]:
    """A list of known codes, in the given order, without repeats."""
    result: list[str] = []
    for value in values or []:
        code = str(value).strip().lower()
        if code not in allowed:
            raise ValidationError(message % {"value": value})
        if code not in result:
            result.append(code)
    return result


def _assign(offering: Offering, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(OFFERING_FIELDS)
    if unknown:
        raise ValueError(f"Unknown offering fields: {sorted(unknown)}")
    errors: dict[str, Any] = {}
    m2m: dict[str, Any] = {}
    for name, value in data.items():
        if name in M2M:
            m2m[name] = list(value or [])
            continue
        try:
            if name.startswith("title_") or name in ("cost_note", "contact_name", "contact_phone"):
                value = _squeeze(value)
            elif name.startswith(("description_", "how_to_join_")):
                value = str(value or "").strip()
            elif name == "languages":
                value = _codes(value, LANGUAGES, _("Unknown language “%(value)s”."))
            elif name == "path_stages":
                value = _codes(value, PathStage.values, _("Unknown stage “%(value)s”."))
            elif name == "times":
                value = _codes(value, TimeOfDay.values, _("Unknown time “%(value)s”."))
        except ValidationError as error:
            errors[name] = error.messages
            continue
        setattr(offering, name, value)
    if errors:
        raise ValidationError(errors)
    return m2m


def _check(offering: Offering, m2m: dict[str, Any], *, creating: bool) -> None:
    errors: dict[str, str] = {}
    if not any(getattr(offering, f"title_{code}", "") for code in CONTENT_LANGUAGES):
        errors["title_fi"] = _("Give the offering a title in at least one language.")
    municipalities = m2m.get("municipalities")
    regions = m2m.get("regions")
    if creating or municipalities is not None or regions is not None:
        if municipalities is None:
            municipalities = list(offering.municipalities.all()) if offering.pk else []
        if regions is None:
            regions = list(offering.regions.all()) if offering.pk else []
        if not municipalities and not regions:
            errors["municipalities"] = _("Say where it is offered: municipalities or a region.")
    if getattr(offering, "category_id", None) is None:
        errors["category"] = _("Choose the category.")
    if errors:
        raise ValidationError(errors)
    offering.full_clean(exclude=["title", "description", "how_to_join", "confirmed_by"])


def _save_m2m(offering: Offering, m2m: dict[str, Any]) -> None:
    for name, values in m2m.items():
        getattr(offering, name).set(values)


@transaction.atomic
def offering_create(*, actor, organisation: Organisation, data: dict[str, Any]) -> Offering:
    """A new offering of an organisation, confirmed today."""
    offering = Offering(
        organisation=organisation,
        confirmed_on=timezone.localdate(),
        confirmed_by=actor if _is_user(actor) else None,
    )
    m2m = _assign(offering, data)
    _check(offering, m2m, creating=True)
    offering.save()
    _save_m2m(offering, m2m)
    audit_record(
        actor=actor,
        action="create",
        obj=offering,
        changes={"title": [None, offering.title]},
    )
    transaction.on_commit(public_pages_changed)
    return offering


@transaction.atomic
def offering_update(*, actor, offering: Offering, data: dict[str, Any]) -> Offering:
    """Change an offering; a change by its organisation confirms it too."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    before = snapshot(offering, AUDITED)
    m2m = _assign(offering, data)
    _check(offering, m2m, creating=False)
    offering.confirmed_on = timezone.localdate()
    offering.confirmed_by = actor if _is_user(actor) else None
    offering.save()
    _save_m2m(offering, m2m)
    changes = diff(before, snapshot(offering, AUDITED))
    if changes:
        audit_record(actor=actor, action="update", obj=offering, changes=changes)
    transaction.on_commit(public_pages_changed)
    return offering


@transaction.atomic
def offering_confirm(*, actor, offering: Offering, on: date | None = None) -> Offering:
    """The organisation says the offering is still as described."""
    on = on or timezone.localdate()
    offering.confirmed_on = on
    offering.confirmed_by = actor if _is_user(actor) else None
    offering.reminded_at = None
    # save() rather than update(): the search index follows saved offerings.
    offering.save(update_fields=["confirmed_on", "confirmed_by", "reminded_at", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=offering, changes={"confirmed_on": [None, str(on)]}
    )
    return offering


@transaction.atomic
def offering_archive(*, actor, offering: Offering, archived: bool = True) -> Offering:
    """Take an offering off the tray (or put it back); its history stays."""
    offering.archived = archived
    offering.save(update_fields=["archived", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=offering, changes={"archived": [not archived, archived]}
    )
    transaction.on_commit(public_pages_changed)
    return offering


# Wishes ------------------------------------------------------------------------------------

WISH_FIELDS = [f"{name}_{code}" for name in ("title", "description") for code in CONTENT_LANGUAGES]
WISH_FIELDS += ["network", "municipality", "category", "workshop"]


@transaction.atomic
def wish_create(*, actor, organisation: Organisation, data: dict[str, Any]) -> Wish:
    unknown = set(data) - set(WISH_FIELDS)
    if unknown:
        raise ValueError(f"Unknown wish fields: {sorted(unknown)}")
    wish = Wish(organisation=organisation, created_by=actor if _is_user(actor) else None)
    for name, value in data.items():
        if name.startswith("title_"):
            value = _squeeze(value)
        elif name.startswith("description_"):
            value = str(value or "").strip()
        setattr(wish, name, value)
    if not any(getattr(wish, f"title_{code}", "") for code in CONTENT_LANGUAGES):
        raise ValidationError({"title_fi": _("Write the wish in at least one language.")})
    if wish.workshop_id is not None and wish.network_id is None:
        wish.network_id = wish.workshop.network_id
    wish.full_clean(exclude=["title", "description", "created_by"])
    wish.save()
    audit_record(actor=actor, action="create", obj=wish, changes={"title": [None, wish.title]})
    return wish


@transaction.atomic
def wish_respond(
    *, actor, wish: Wish, organisation: Organisation, kind: str, message: str = ""
) -> WishResponse:
    """An organisation's answer to a wish ("we can do this", "let's do it together"); a second
    answer from the same organisation replaces its first. An open wish becomes taken."""
    if kind not in WishResponse.Kind.values:
        raise ValidationError({"kind": _("Choose an answer.")})
    if organisation.pk == wish.organisation_id:
        raise ValidationError({"organisation": _("An organisation cannot answer its own wish.")})
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    if wish.status == Wish.Status.DONE:
        raise ValidationError(_("This wish has already come true."))
    response, _created = WishResponse.objects.update_or_create(
        wish=wish,
        organisation=organisation,
        defaults={
            "kind": kind,
            "message": str(message or "").strip()[:2000],
            "created_by": actor if _is_user(actor) else None,
        },
    )
    if wish.status == Wish.Status.OPEN:
        wish.status = Wish.Status.TAKEN
        wish.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=wish, changes={"response": [None, kind]})
    return response


@transaction.atomic
def wish_status_set(*, actor, wish: Wish, status: str, offering: Offering | None = None) -> Wish:
    """Move a wish on: taken up, or done (with the offering it became, if any)."""
    if status not in Wish.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    before = wish.status
    wish.status = status
    if offering is not None:
        wish.offering = offering
    wish.save(update_fields=["status", "offering", "updated_at"])
    audit_record(actor=actor, action="update", obj=wish, changes={"status": [before, status]})
    return wish
