"""The guidance API (/api/v1/tray/guidance/): the guidance page's search for other systems,
public like the page. The need is free text (`q`) and/or picks; a pick counts over what the
text says of the same thing."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.codelists.models import Municipality

from .guidance import MAX_RESULTS, RESULT_LIMIT, guidance_search, need_build
from .languages import LANGUAGES, language_name
from .models import ClientGroup, PathStage, TimeOfDay
from .search import offering_page
from .views_guidance import MAX_NEED_LENGTH


class GuidanceInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_NEED_LENGTH,
        help_text="The need in free text, in Finnish, Swedish or English, any inflection.",
    )
    municipality = serializers.CharField(
        required=False, allow_blank=True, max_length=3, help_text="Municipality code (240)."
    )
    language = serializers.ChoiceField(
        choices=sorted(LANGUAGES), required=False, allow_blank=True, help_text="ISO 639 code."
    )
    group = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="Client group code."
    )
    stage = serializers.ChoiceField(choices=PathStage.choices, required=False, allow_blank=True)
    time = serializers.ChoiceField(choices=TimeOfDay.choices, required=False, allow_blank=True)
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_RESULTS, default=RESULT_LIMIT
    )

    def validate_q(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError(
                _("The text contains a character that is not allowed.")
            )
        return " ".join(value.split())

    def validate_municipality(self, value: str) -> Municipality | None:
        if not value:
            return None
        municipality = Municipality.objects.select_related("region").filter(code=value).first()
        if municipality is None:
            raise serializers.ValidationError(
                _("There is no municipality with the code “%(value)s”.") % {"value": value}
            )
        return municipality

    def validate_group(self, value: str) -> str:
        if value and not ClientGroup.objects.filter(code=value).exists():
            raise serializers.ValidationError(
                _("There is no client group “%(value)s”.") % {"value": value}
            )
        return value


class GuidanceCodeNameOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class GuidanceNeedOutputSerializer(serializers.Serializer):
    municipality = GuidanceCodeNameOutputSerializer(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    groups = serializers.ListField(child=serializers.CharField())
    stages = serializers.ListField(child=serializers.CharField())
    times = serializers.ListField(child=serializers.CharField())
    words = serializers.ListField(
        child=serializers.CharField(), help_text="The words matched against the offerings' text."
    )


class GuidanceReasonOutputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="place, language, group, stage, time or words")
    label = serializers.CharField(help_text="In the language asked for (Accept-Language).")


class GuidanceContactOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class GuidanceOrganisationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GuidanceResultOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    how_to_join = serializers.CharField()
    organisation = GuidanceOrganisationOutputSerializer()
    category = GuidanceCodeNameOutputSerializer()
    languages = serializers.ListField(child=GuidanceCodeNameOutputSerializer())
    groups = serializers.ListField(child=GuidanceCodeNameOutputSerializer())
    municipalities = serializers.ListField(child=GuidanceCodeNameOutputSerializer())
    regions = serializers.ListField(child=GuidanceCodeNameOutputSerializer())
    path_stages = serializers.ListField(child=serializers.CharField())
    times = serializers.ListField(child=serializers.CharField())
    cost = serializers.CharField()
    cost_note = serializers.CharField()
    contact = GuidanceContactOutputSerializer()
    url = serializers.CharField(help_text='The offering\'s own web page, or "".')
    page = serializers.CharField(help_text="The offering's page on this site.")
    confirmed_on = serializers.DateField()
    nearby = serializers.BooleanField(help_text="From another municipality of the region.")
    score = serializers.FloatField()
    reasons = GuidanceReasonOutputSerializer(many=True)


class GuidanceOutputSerializer(serializers.Serializer):
    need = GuidanceNeedOutputSerializer()
    nearby = serializers.BooleanField(
        help_text="Nothing in the municipality fits: the results are from nearby ones."
    )
    results = GuidanceResultOutputSerializer(many=True)


def _pairs(objects) -> list[dict[str, str]]:
    return [{"code": obj.code, "name": obj.name} for obj in objects]


def _result(result) -> dict:
    offering = result.offering
    return {
        "id": offering.pk,
        "title": offering.title,
        "description": offering.description,
        "how_to_join": offering.how_to_join,
        "organisation": {"id": offering.organisation_id, "name": offering.organisation.name},
        "category": {"code": offering.category.code, "name": offering.category.name},
        "languages": [{"code": c, "name": language_name(c)} for c in offering.languages or []],
        "groups": _pairs(result.groups),
        "municipalities": _pairs(result.municipalities),
        "regions": _pairs(result.regions),
        "path_stages": offering.path_stages or [],
        "times": offering.times or [],
        "cost": offering.cost,
        "cost_note": offering.cost_note,
        "contact": {
            "name": offering.contact_name,
            "email": offering.contact_email,
            "phone": offering.contact_phone,
        },
        "url": offering.url,
        "page": offering_page(offering.pk),
        "confirmed_on": offering.confirmed_on,
        "nearby": result.nearby,
        "score": result.score,
        "reasons": result.reasons,
    }


class GuidanceApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = GuidanceOutputSerializer

    @extend_schema(
        summary="Offerings that fit a client's need, with why each fits",
        parameters=[GuidanceInputSerializer],
        responses=GuidanceOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        given = GuidanceInputSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        need = need_build(
            text=data.get("q") or "",
            municipality=data.get("municipality"),
            language=data.get("language") or "",
            group=data.get("group") or "",
            stage=data.get("stage") or "",
            time=data.get("time") or "",
        )
        found = guidance_search(need, limit=data["limit"])
        municipality = need.municipality
        body = {
            "need": {
                "municipality": (
                    {"code": municipality.code, "name": municipality.name} if municipality else None
                ),
                "languages": list(need.languages),
                "groups": list(need.groups),
                "stages": list(need.stages),
                "times": list(need.times),
                "words": [word.text for word in need.query.words],
            },
            "nearby": found.nearby,
            "results": [_result(result) for result in found.results],
        }
        return Response(self.get_serializer(body).data)


urlpatterns = [
    path("tray/guidance/", GuidanceApi.as_view(), name="api-tray-guidance"),
]
