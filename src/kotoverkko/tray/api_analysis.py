"""The API of the tray's analysis (/api/v1/tray/networks/<slug>/…): a network's coverage
matrix, overlapping offerings and gaps, for the network's coordinators only (by API token or
session); anyone else gets 403, an unknown network 404."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kotoverkko.api.common import require_can
from kotoverkko.network.api import MunicipalityOutputSerializer
from kotoverkko.network.models import Network

from . import analysis


def _network(request: Request, slug: str) -> Network:
    network = get_object_or_404(Network, slug=slug)
    require_can(request.user, "tray.coordinate", network)
    return network


class TrayCodeNameOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="__str__", help_text="In the request's language.")


class CoverageColumnOutputSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text='A category code, or a language code ("-" for offerings that give none).'
    )
    label = serializers.CharField()


class CoverageRowOutputSerializer(serializers.Serializer):
    municipality = MunicipalityOutputSerializer()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Offerings by column key."
    )
    total = serializers.IntegerField(help_text="Offerings in the municipality, each once.")


class CoverageOutputSerializer(serializers.Serializer):
    network = serializers.SlugField()
    by = serializers.ChoiceField(choices=["category", "language"])
    columns = CoverageColumnOutputSerializer(many=True)
    rows = CoverageRowOutputSerializer(many=True)
    column_totals = serializers.DictField(
        child=serializers.IntegerField(), help_text="Offerings of the area by column key."
    )
    total = serializers.IntegerField(help_text="Offerings in the area, each once.")


class OverlapOfferingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation_id = serializers.IntegerField()
    organisation = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())


class OverlapGroupOutputSerializer(serializers.Serializer):
    category = TrayCodeNameOutputSerializer()
    municipalities = MunicipalityOutputSerializer(many=True)
    offerings = OverlapOfferingOutputSerializer(many=True)
    organisations = serializers.ListField(child=serializers.CharField())
    shared_terms = serializers.ListField(
        child=serializers.CharField(), help_text="Analysed words the offerings have in common."
    )
    similarity = serializers.FloatField(help_text="The highest cosine between two of them.")


class GapOutputSerializer(serializers.Serializer):
    municipality = MunicipalityOutputSerializer()
    category = TrayCodeNameOutputSerializer()
    language = serializers.CharField(help_text='The expected language, or "".')
    language_name = serializers.CharField()
    group = TrayCodeNameOutputSerializer(allow_null=True)
    in_category = serializers.IntegerField(
        help_text="Offerings of the category in the municipality, in any language, for anyone."
    )


class CoverageApi(APIView):
    @extend_schema(
        summary="Coverage matrix of a network's area",
        description="Offerings in each municipality of the network's area by category, or by "
        "language with ?by=language. An offering for a whole region counts in each of its "
        "municipalities; archived offerings are left out. For the network's coordinators.",
        parameters=[
            OpenApiParameter("by", OpenApiTypes.STR, enum=["category", "language"], required=False)
        ],
        responses=CoverageOutputSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        network = _network(request, slug)
        by = request.query_params.get("by", "category")
        if by not in ("category", "language"):
            raise serializers.ValidationError({"by": ["Use category or language."]})
        matrix = analysis.coverage_matrix(network=network, by_language=by == "language")
        keys = [column.key for column in matrix.columns]
        payload = {
            "network": network.slug,
            "by": matrix.by,
            "columns": matrix.columns,
            "rows": [
                {
                    "municipality": row.municipality,
                    "counts": dict(zip(keys, row.counts, strict=True)),
                    "total": row.total,
                }
                for row in matrix.rows
            ],
            "column_totals": dict(zip(keys, matrix.column_totals, strict=True)),
            "total": matrix.total,
        }
        return Response(CoverageOutputSerializer(payload).data)


class OverlapsApi(APIView):
    @extend_schema(
        summary="Overlapping offerings in a network's area",
        description="Groups of offerings of one category in the same municipality, for "
        "intersecting client groups and languages, whose texts are alike. For the network's "
        "coordinators.",
        responses=OverlapGroupOutputSerializer(many=True),
    )
    def get(self, request: Request, slug: str) -> Response:
        network = _network(request, slug)
        groups = analysis.overlaps(network=network)
        return Response(OverlapGroupOutputSerializer(groups, many=True).data)


class GapsApi(APIView):
    @extend_schema(
        summary="Gaps in a network's area",
        description="For each municipality of the area, each of the network's expectations "
        "with no offering to meet it. For the network's coordinators.",
        responses=GapOutputSerializer(many=True),
    )
    def get(self, request: Request, slug: str) -> Response:
        network = _network(request, slug)
        return Response(GapOutputSerializer(analysis.gaps(network=network), many=True).data)


urlpatterns = [
    path("tray/networks/<slug:slug>/coverage/", CoverageApi.as_view(), name="api-tray-coverage"),
    path("tray/networks/<slug:slug>/overlaps/", OverlapsApi.as_view(), name="api-tray-overlaps"),
    path("tray/networks/<slug:slug>/gaps/", GapsApi.as_view(), name="api-tray-gaps"),
]
