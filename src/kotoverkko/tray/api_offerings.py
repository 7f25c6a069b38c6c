"""The tray's API for offerings and wishes (/api/v1/tray/...): the public offerings with their
filters, keeping an organisation's offerings, the vocabularies, and wishes with their answers.

Everyone reads offerings; wishes are for logged-in users who may see them (as on the pages).
An offering the user may not change is a 403, a wish she may not see a 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.api.common import Pagination, SlugRelatedField, require_can, service_errors
from kotoverkko.codelists.models import Municipality, Region, ServiceClass
from kotoverkko.common.permissions import user_can
from kotoverkko.network.api import (
    MunicipalityOutputSerializer,
    OrganisationBriefOutputSerializer,
    TranslatedField,
)
from kotoverkko.network.models import Network, Organisation

from . import selectors, services
from .languages import LANGUAGES
from .models import Category, ClientGroup, Offering, PathStage, TimeOfDay, Wish, WishResponse


def _named_choice_field(component: str, choices: list[tuple[str, str]]):
    """A choice field that is its own schema component, so that choice sets of one field name
    (a category's kind, an answer's kind) do not collide."""

    @extend_schema_field(
        {"type": "string", "enum": [value for value, _label in choices]}, component_name=component
    )
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    NamedChoiceField.__name__ = NamedChoiceField.__qualname__ = f"{component}Field"
    return NamedChoiceField


CategoryKindField = _named_choice_field("TrayCategoryKindEnum", Category.Kind.choices)
CostField = _named_choice_field("OfferingCostEnum", Offering.Cost.choices)
PathStageField = _named_choice_field("PathStageEnum", PathStage.choices)
TimeOfDayField = _named_choice_field("TimeOfDayEnum", TimeOfDay.choices)
WishStatusField = _named_choice_field("WishStatusEnum", Wish.Status.choices)
AnswerKindField = _named_choice_field("WishAnswerKindEnum", WishResponse.Kind.choices)


# Output --------------------------------------------------------------------------------------


class CategoryOutputSerializer(serializers.Serializer):
    code = serializers.SlugField()
    kind = CategoryKindField()
    name = TranslatedField()
    description = TranslatedField()


class ClientGroupOutputSerializer(serializers.Serializer):
    code = serializers.SlugField()
    name = TranslatedField()


class RegionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedField()


class OfferingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = TranslatedField()
    description = TranslatedField()
    how_to_join = TranslatedField()
    organisation = OrganisationBriefOutputSerializer()
    category = serializers.SlugField(source="category.code")
    municipalities = MunicipalityOutputSerializer(many=True)
    regions = RegionOutputSerializer(many=True, help_text="Whole regions it covers.")
    languages = serializers.ListField(
        child=serializers.CharField(), help_text="ISO 639 codes of the languages it is in."
    )
    groups = serializers.SerializerMethodField()
    path_stages = serializers.ListField(
        child=PathStageField(),
        help_text="Where it sits in the newcomer's path.",
    )
    times = serializers.ListField(child=TimeOfDayField())
    cost = CostField()
    cost_note = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    web_page = serializers.CharField(source="url")
    service_class = serializers.CharField(
        source="service_class.code", allow_null=True, help_text="The PTV service class's code."
    )
    confirmed_on = serializers.DateField(help_text="When it was last confirmed as valid.")
    archived = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(child=serializers.SlugField(), help_text="Client group codes.")
    )
    def get_groups(self, offering: Offering) -> list[str]:
        return [group.code for group in offering.groups.all()]

    @extend_schema_field(serializers.URLField(help_text="The offering's page."))
    def get_url(self, offering: Offering) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("tray:offering_detail", kwargs={"pk": offering.pk})
        )


class WishResponseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = OrganisationBriefOutputSerializer()
    kind = AnswerKindField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()


class WishOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = TranslatedField()
    description = TranslatedField()
    organisation = OrganisationBriefOutputSerializer()
    network = serializers.SlugField(source="network.slug", allow_null=True)
    municipality = serializers.CharField(source="municipality.code", allow_null=True)
    category = serializers.SlugField(source="category.code", allow_null=True)
    status = WishStatusField()
    offering = serializers.IntegerField(
        source="offering_id", allow_null=True, help_text="The offering it became."
    )
    created_at = serializers.DateTimeField()


class WishDetailOutputSerializer(WishOutputSerializer):
    responses = WishResponseOutputSerializer(many=True)


# Input ---------------------------------------------------------------------------------------


def _text(max_length: int | None = None) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=max_length, trim_whitespace=True
    )


def _codes(queryset, help_text: str) -> SlugRelatedField:
    return SlugRelatedField(
        slug_field="code", queryset=queryset, many=True, required=False, help_text=help_text
    )


class OfferingFilterSerializer(serializers.Serializer):
    municipality = SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        required=False,
        help_text="Offered there or in its whole region (municipality code, e.g. 240).",
    )
    category = SlugRelatedField(slug_field="code", queryset=Category.objects.all(), required=False)
    language = serializers.ChoiceField(
        choices=sorted(LANGUAGES), required=False, help_text="ISO 639 code."
    )
    group = SlugRelatedField(slug_field="code", queryset=ClientGroup.objects.all(), required=False)
    stage = PathStageField(required=False)
    organisation = serializers.IntegerField(required=False, min_value=1)

    def filters(self) -> selectors.OfferingFilters:
        given = self.validated_data

        def pk(name):
            return given[name].pk if given.get(name) is not None else None

        return selectors.OfferingFilters(
            municipality=pk("municipality"),
            category=pk("category"),
            language=given.get("language", ""),
            group=pk("group"),
            stage=given.get("stage", ""),
            organisation=given.get("organisation"),
        )


class OfferingUpdateInputSerializer(serializers.Serializer):
    """An offering's fields; a change gives those to change. Texts per language
    (`title_fi`, `title_sv`, `title_en`); at least one title, and a place: municipalities or
    whole regions."""

    title_fi = _text(200)
    title_sv = _text(200)
    title_en = _text(200)
    description_fi = _text()
    description_sv = _text()
    description_en = _text()
    how_to_join_fi = _text()
    how_to_join_sv = _text()
    how_to_join_en = _text()
    category = SlugRelatedField(slug_field="code", queryset=Category.objects.all(), required=False)
    municipalities = _codes(Municipality.objects.all(), "Municipality codes, e.g. 240.")
    regions = _codes(Region.objects.all(), "Codes of whole regions, e.g. 19.")
    languages = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        help_text="ISO 639 codes, e.g. fi, ar, ru.",
    )
    groups = _codes(ClientGroup.objects.all(), "Client group codes, e.g. families.")
    path_stages = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="assessment, plan, training, after or outside.",
    )
    times = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="daytime, evenings or weekends.",
    )
    cost = CostField(required=False)
    cost_note = _text(200)
    contact_name = _text(200)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = _text(40)
    web_page = serializers.URLField(required=False, allow_blank=True)
    service_class = SlugRelatedField(
        slug_field="code",
        queryset=ServiceClass.objects.all(),
        required=False,
        allow_null=True,
        help_text="The PTV service class's code, e.g. P10.1.",
    )

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        data.pop("organisation", None)
        if "web_page" in data:
            data["url"] = data.pop("web_page")
        return data


class OfferingCreateInputSerializer(OfferingUpdateInputSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="The organisation that offers it."
    )
    category = SlugRelatedField(slug_field="code", queryset=Category.objects.all())


class WishFilterSerializer(serializers.Serializer):
    network = SlugRelatedField(
        slug_field="slug",
        queryset=Network.objects.all(),
        required=False,
        help_text="This network and those below it (slug).",
    )
    municipality = SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False
    )
    status = WishStatusField(required=False)

    def filters(self) -> selectors.WishFilters:
        given = self.validated_data
        return selectors.WishFilters(
            network=given["network"].pk if given.get("network") else None,
            municipality=given["municipality"].pk if given.get("municipality") else None,
            status=given.get("status", ""),
        )


class WishCreateInputSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="The organisation whose wish it is."
    )
    title_fi = _text(200)
    title_sv = _text(200)
    title_en = _text(200)
    description_fi = _text()
    description_sv = _text()
    description_en = _text()
    network = SlugRelatedField(
        slug_field="slug",
        queryset=Network.objects.all(),
        required=False,
        allow_null=True,
        help_text="Its members see the wish (slug).",
    )
    municipality = SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    category = SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), required=False, allow_null=True
    )

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        data.pop("organisation")
        return data


class WishResponseInputSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="The organisation that answers."
    )
    kind = AnswerKindField(
        help_text='"can": we can do this; "together": let\'s do it together.',
    )
    message = _text(2000)


# Helpers -------------------------------------------------------------------------------------


def _query(serializer_class, request: Request):
    """The query parameters, validated; empty ones count as not given."""
    given = {key: value for key, value in request.query_params.items() if value.strip()}
    serializer = serializer_class(data=given)
    serializer.is_valid(raise_exception=True)
    return serializer


def _offering(request: Request, pk: int) -> Offering:
    """The offering; an archived one only for those who keep it."""
    offering = selectors.offering_get(pk=pk)
    if offering is None or (
        offering.archived and not user_can(request.user, "offering.edit", offering)
    ):
        raise Http404
    return offering


def _offering_data(request: Request, pk: int) -> dict:
    offering = selectors.offering_get(pk=pk)
    return OfferingOutputSerializer(offering, context={"request": request}).data


def _wish(request: Request, pk: int) -> Wish:
    return get_object_or_404(selectors.wish_list_visible(user=request.user), pk=pk)


# Endpoints -----------------------------------------------------------------------------------


class OfferingListApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Pagination
    serializer_class = OfferingOutputSerializer

    @extend_schema(
        summary="Offerings",
        description="The tray's offerings, not archived, by category.",
        parameters=[OfferingFilterSerializer],
        responses=OfferingOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = _query(OfferingFilterSerializer, request).filters()
        page = self.paginate_queryset(selectors.offering_list_public(filters=filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add an offering",
        description="For the organisation's editors and the coordinators who may edit it.",
        request=OfferingCreateInputSerializer,
        responses={201: OfferingOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = OfferingCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = serializer.validated_data["organisation"]
        require_can(
            request.user,
            "offering.create",
            organisation,
            _("You cannot add offerings for this organisation."),
        )
        with service_errors():
            offering = services.offering_create(
                actor=request.user, organisation=organisation, data=serializer.service_data()
            )
        return Response(_offering_data(request, offering.pk), status=status.HTTP_201_CREATED)


class OfferingDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = OfferingOutputSerializer

    @extend_schema(summary="An offering")
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(_offering(request, pk)).data)

    @extend_schema(
        summary="Change an offering",
        description="A change confirms the offering as valid today.",
        request=OfferingUpdateInputSerializer,
        responses={200: OfferingOutputSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        offering = _offering(request, pk)
        require_can(request.user, "offering.edit", offering, _("You cannot change this offering."))
        serializer = OfferingUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.offering_update(
                actor=request.user, offering=offering, data=serializer.service_data()
            )
        return Response(_offering_data(request, pk))

    @extend_schema(
        summary="Archive an offering",
        description="Takes it off the tray; its history stays.",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        offering = _offering(request, pk)
        require_can(request.user, "offering.edit", offering, _("You cannot archive this offering."))
        services.offering_archive(actor=request.user, offering=offering)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OfferingConfirmApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OfferingOutputSerializer

    @extend_schema(
        summary="Confirm an offering",
        description="The organisation says the offering is still as described.",
        request=None,
        responses={200: OfferingOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        offering = _offering(request, pk)
        require_can(request.user, "offering.edit", offering, _("You cannot confirm this offering."))
        services.offering_confirm(actor=request.user, offering=offering)
        return Response(_offering_data(request, pk))


class CategoryListApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = None
    serializer_class = CategoryOutputSerializer

    @extend_schema(summary="Tray categories", responses=CategoryOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(selectors.category_list(), many=True).data)


class ClientGroupListApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = None
    serializer_class = ClientGroupOutputSerializer

    @extend_schema(summary="Client groups", responses=ClientGroupOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(selectors.group_list(), many=True).data)


class WishListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = WishOutputSerializer

    @extend_schema(
        summary="Wishes",
        description="The wishes the user may see: of her networks, of the organisations she "
        "edits, and for coordinators those of their area. Newest first.",
        parameters=[WishFilterSerializer],
        responses=WishOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = _query(WishFilterSerializer, request).filters()
        page = self.paginate_queryset(
            selectors.wish_list_visible(user=request.user, filters=filters)
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Post a wish",
        description="For the organisation's editors.",
        request=WishCreateInputSerializer,
        responses={201: WishDetailOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = WishCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = serializer.validated_data["organisation"]
        require_can(
            request.user,
            "wish.create",
            organisation,
            _("You cannot post wishes for this organisation."),
        )
        with service_errors():
            wish = services.wish_create(
                actor=request.user, organisation=organisation, data=serializer.service_data()
            )
        data = WishDetailOutputSerializer(_wish(request, wish.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


class WishDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = WishDetailOutputSerializer

    @extend_schema(summary="A wish with its answers")
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(_wish(request, pk)).data)


class WishResponseApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = WishResponseOutputSerializer

    @extend_schema(
        summary="Answer a wish",
        description="For the editors of the answering organisation; a second answer from the "
        "same organisation replaces its first. An organisation cannot answer its own wish.",
        request=WishResponseInputSerializer,
        responses={201: WishResponseOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        wish = _wish(request, pk)
        serializer = WishResponseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = serializer.validated_data["organisation"]
        require_can(
            request.user,
            "wish.respond",
            organisation,
            _("You cannot answer for this organisation."),
        )
        with service_errors():
            response = services.wish_respond(
                actor=request.user,
                wish=wish,
                organisation=organisation,
                kind=serializer.validated_data["kind"],
                message=serializer.validated_data.get("message", ""),
            )
        return Response(self.get_serializer(response).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("tray/offerings/", OfferingListApi.as_view(), name="api-tray-offering-list"),
    path("tray/offerings/<int:pk>/", OfferingDetailApi.as_view(), name="api-tray-offering-detail"),
    path(
        "tray/offerings/<int:pk>/confirm/",
        OfferingConfirmApi.as_view(),
        name="api-tray-offering-confirm",
    ),
    path("tray/categories/", CategoryListApi.as_view(), name="api-tray-category-list"),
    path("tray/groups/", ClientGroupListApi.as_view(), name="api-tray-group-list"),
    path("tray/wishes/", WishListApi.as_view(), name="api-tray-wish-list"),
    path("tray/wishes/<int:pk>/", WishDetailApi.as_view(), name="api-tray-wish-detail"),
    path(
        "tray/wishes/<int:pk>/responses/",
        WishResponseApi.as_view(),
        name="api-tray-wish-responses",
    ),
]
