"""Writing and reading the audit log: who changed what, when."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited values of an object, for comparing before and after a change."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = _plain(list(getattr(obj, name).all())) if obj.pk else []
        else:
            values[name] = _plain(getattr(obj, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    network_ids: Iterable[int] = (),
) -> AuditEntry:
    """Store one audit entry; called by services in the same transaction as the change."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry.objects.create(
        actor=user,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
    )
    if ids := sorted(set(network_ids)):
        entry.networks.set(ids)
    return entry


def audit_record_many(
    *,
    actor: Any,
    action: str,
    objects: list[models.Model],
    changes: list[dict[str, Any]],
    network_ids: Iterable[int] = (),
) -> None:
    """Store one audit entry per object in a few queries (bulk imports)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    entries = AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=user,
                action=action,
                model=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                changes=change,
            )
            for obj, change in zip(objects, changes, strict=True)
        ],
        batch_size=500,
    )
    ids = sorted(set(network_ids))
    if ids and entries:
        through = AuditEntry.networks.through
        through.objects.bulk_create(
            [through(auditentry_id=e.pk, network_id=n) for e in entries for n in ids],
            batch_size=1000,
        )


def readable_changes(entry: AuditEntry) -> list[dict[str, Any]]:
    """An entry's changes with field names and choice values as people read them."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.translation import gettext as _

    try:
        meta = apps.get_model(entry.model)._meta
    except (LookupError, ValueError):
        meta = None

    def shown(field, value):
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field is not None and field.choices:
            labels = {str(k): str(v) for k, v in field.flatchoices}
            return labels.get(str(value), value)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    rows = []
    for name, values in (entry.changes or {}).items():
        try:
            field = meta.get_field(name) if meta else None
        except FieldDoesNotExist:
            field = None
        before, after = (list(values) + [None, None])[:2]
        rows.append(
            {
                "field": str(field.verbose_name) if field is not None else name,
                "before": shown(field, before),
                "after": shown(field, after),
            }
        )
    return rows
