"""What every API endpoint shares: pagination, permission checks and service errors."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination

from kotoverkko.common.permissions import user_can


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def require_can(user: Any, action: str, obj: Any = None, message: str | None = None) -> None:
    """Refuse with 403 unless the permission rules allow the action."""
    if not user_can(user, action, obj):
        raise exceptions.PermissionDenied(
            message or _("You do not have permission to perform this action.")
        )


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a service's ValidationError into a 400 answer with the same field errors."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


class SlugRelatedField(serializers.SlugRelatedField):
    """A slug or code lookup that refuses a NUL character before querying: PostgreSQL cannot
    even compare text that holds one, so the lookup would fail with a server error."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
