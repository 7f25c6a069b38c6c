"""Reading the code lists."""

from django.db.models import QuerySet

from .models import Municipality


def municipality_list(*, region_codes: list[str] | None = None) -> QuerySet[Municipality]:
    qs = Municipality.objects.select_related("region")
    if region_codes:
        qs = qs.filter(region__code__in=region_codes)
    return qs.order_by("name")
