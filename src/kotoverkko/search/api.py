"""The API of site-wide search (/api/v1/search/): the same results as the search page, with
the same permissions (public entries for everyone, members' entries for their networks'
members; a token or a session tells who asks)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.api.common import SlugRelatedField
from kotoverkko.network.models import LANGUAGE_CHOICES, Network

from .forms import MAX_QUERY_LENGTH
from .index import registered_sources
from .selectors import MAX_PER_PAGE, PER_PAGE, SearchFilters, search, suggestions


class SearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH, help_text="Words to look for, in any inflected form."
    )
    type = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text="Only entries of this type (event, organisation, news, document, …).",
    )
    network = SlugRelatedField(
        slug_field="slug",
        queryset=Network.objects.all(),
        required=False,
        help_text="Only entries of this network and those below it (slug).",
    )
    organisation = serializers.IntegerField(
        required=False, min_value=1, help_text="Only entries of this organisation (id)."
    )
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, help_text="Only entries in this language."
    )
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200)
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PER_PAGE, default=PER_PAGE
    )

    def validate_q(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError(
                _("The search contains a character that is not allowed.")
            )
        return " ".join(value.split())

    def validate_type(self, value: str) -> str:
        known = {source.type for source in registered_sources()}
        if value and value not in known:
            raise serializers.ValidationError(
                _("There is no content type “%(value)s”.") % {"value": value}
            )
        return value


class SearchHitOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The object's id within its type.")
    type = serializers.CharField()
    title = serializers.CharField(help_text="In the language asked for, where there is one.")
    url = serializers.CharField()
    score = serializers.FloatField(help_text="Higher is better; comparable within one search.")
    snippet = serializers.CharField(
        help_text="HTML: an escaped passage with the words found in <mark> elements."
    )
    language = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    visibility = serializers.CharField(help_text="public, or members (of the entry's network)")


class SuggestionOutputSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField()


class SearchOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Entries found.")
    capped = serializers.BooleanField(
        help_text="More entries matched than were ranked: these are the best of the newest."
    )
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    results = SearchHitOutputSerializer(many=True)
    suggestions = SuggestionOutputSerializer(
        many=True, help_text="Other searches that find something, when this one found nothing."
    )


class SearchApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = SearchOutputSerializer

    @extend_schema(
        summary="Search events, news, organisations and documents",
        parameters=[SearchInputSerializer],
        responses=SearchOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        given = SearchInputSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        network = data.get("network")
        filters = SearchFilters(
            type=data.get("type") or "",
            network=network.pk if network else None,
            organisation=data.get("organisation"),
            language=data.get("language") or "",
            year=data.get("year"),
        )
        results = search(
            data["q"],
            user=request.user,
            filters=filters,
            page=data["page"],
            per_page=data["page_size"],
        )
        found = []
        if not results.total and results.query:
            found = suggestions(data["q"], request.user, filters=filters)
        body = {
            "count": results.total,
            "capped": results.capped,
            "page": results.page,
            "num_pages": results.num_pages,
            "results": results.hits,
            "suggestions": found,
        }
        return Response(self.get_serializer(body).data)
