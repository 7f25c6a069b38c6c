"""What forms share: showing a service's validation errors on the form that fed it."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError


def apply_service_errors(
    form, error: ValidationError, renamed: Mapping[str, str] | None = None
) -> None:
    """Put a service's (or a model's) validation errors on the form's fields.

    `renamed` maps a model field to the form field that edits it (e.g. "starts_at" to the
    date input "starts_on"); an error for a field the form does not have goes above the form.
    """
    if not hasattr(error, "error_dict"):
        for item in error.error_list:
            form.add_error(None, item)
        return
    for name, errors in error.error_dict.items():
        target = (renamed or {}).get(name, name)
        for item in errors:
            form.add_error(target if target in form.fields else None, item)
