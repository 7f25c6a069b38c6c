"""The API for networks, teams, organisations, people and memberships (/api/v1/)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.api.common import Pagination, SlugRelatedField, require_can, service_errors
from kotoverkko.codelists.models import Municipality
from kotoverkko.common.cache import public_pages_changed
from kotoverkko.common.permissions import user_can

from . import selectors, services
from .models import LANGUAGE_CHOICES, Membership, Network, Organisation, Person

# Output --------------------------------------------------------------------------------------


class TranslatedTextSerializer(serializers.Serializer):
    """The shape of a translated field; a language without text is null."""

    fi = serializers.CharField(allow_null=True)
    sv = serializers.CharField(allow_null=True)
    en = serializers.CharField(allow_null=True)


@extend_schema_field(TranslatedTextSerializer)
class TranslatedField(serializers.Field):
    """A content field in every language: {"fi": ..., "sv": ..., "en": ...}."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return {
            code: getattr(instance, f"{self.field_name}_{code}", None) or None
            for code in settings.MODELTRANSLATION_LANGUAGES
        }


class MunicipalityOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedField()


class NetworkOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=Network.Kind.choices)
    parent = serializers.SlugField(source="parent.slug", allow_null=True)
    name = TranslatedField()
    short_name = serializers.CharField()
    description = TranslatedField()
    how_to_join = TranslatedField()
    meeting_rhythm = TranslatedField()
    languages = serializers.ListField(child=serializers.ChoiceField(choices=LANGUAGE_CHOICES))
    contact_email = serializers.EmailField()
    is_open = serializers.BooleanField()
    municipalities = MunicipalityOutputSerializer(many=True)


class OrganisationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = TranslatedField()
    type = serializers.ChoiceField(choices=Organisation.Type.choices)
    description = TranslatedField()
    municipality = MunicipalityOutputSerializer(allow_null=True)
    municipalities = MunicipalityOutputSerializer(many=True)
    language_status = serializers.ChoiceField(choices=Organisation.LanguageStatus.choices)
    business_id = serializers.CharField()
    website = serializers.URLField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)


class OrganisationBriefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = TranslatedField()


class OrganisationDetailOutputSerializer(OrganisationOutputSerializer):
    """An organisation with those it was formed from and those that replaced it."""

    predecessors = OrganisationBriefOutputSerializer(many=True)
    successors = OrganisationBriefOutputSerializer(many=True)


class PersonOutputSerializer(serializers.Serializer):
    """A person; e-mail and phone are null unless the user may see their contact details."""

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    title = serializers.CharField()
    organisation = OrganisationBriefOutputSerializer(allow_null=True)
    municipality = MunicipalityOutputSerializer(allow_null=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    email = serializers.EmailField(allow_null=True)
    phone = serializers.CharField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not user_can(self.context["request"].user, "person.view_contact", instance):
            data["email"] = None
            data["phone"] = None
        return data


class PersonBriefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class MembershipOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = PersonBriefOutputSerializer()
    network = serializers.SlugField(source="network.slug")
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    status = serializers.ChoiceField(choices=Membership.Status.choices)
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)


# Input ---------------------------------------------------------------------------------------


def _network_field(**kwargs) -> serializers.SlugRelatedField:
    return SlugRelatedField(slug_field="slug", queryset=Network.objects.all(), **kwargs)


def _municipality_field(**kwargs) -> serializers.SlugRelatedField:
    return SlugRelatedField(slug_field="code", queryset=Municipality.objects.all(), **kwargs)


class TeamFilterSerializer(serializers.Serializer):
    network = _network_field(required=False, help_text="Only the teams of this network (slug).")


class OrganisationFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Words in the name, or a business ID.",
    )
    type = serializers.ChoiceField(choices=Organisation.Type.choices, required=False)
    municipality = _municipality_field(
        required=False, help_text="Based in or serving this municipality (code, e.g. 698)."
    )
    network = _network_field(
        required=False,
        help_text="Having active members in this network or below it (slug).",
    )
    include_inactive = serializers.BooleanField(
        required=False, default=False, help_text="Include organisations that have ceased."
    )


class PersonFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Words in the name, e-mail or organisation.",
    )
    network = _network_field(
        required=False, help_text="Active members of this network or below it (slug)."
    )
    organisation = serializers.IntegerField(required=False, min_value=1)


class PersonUpdateInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=40, allow_blank=True, required=False)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, required=False
    )
    municipality = _municipality_field(
        allow_null=True, required=False, help_text="Municipality code, e.g. 698."
    )
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)


class PersonCreateInputSerializer(PersonUpdateInputSerializer):
    network = _network_field(help_text="The network or team the person joins (slug).")
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)


class MembershipFilterSerializer(serializers.Serializer):
    network = _network_field(required=False, help_text="Only this network or team (slug).")
    status = serializers.ChoiceField(choices=Membership.Status.choices, required=False)


class MembershipCreateInputSerializer(serializers.Serializer):
    """The person is given by id (someone the user can see) or by e-mail address."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), required=False)
    email = serializers.EmailField(required=False)
    network = _network_field()
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    started_on = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if request := self.context.get("request"):
            self.fields["person"].queryset = selectors.person_list_visible(
                filters=selectors.PersonFilters(), user=request.user
            )

    def validate(self, attrs):
        email = attrs.pop("email", None)
        if ("person" in attrs) == (email is not None):
            raise serializers.ValidationError(
                _("Give either the person's id or their e-mail address.")
            )
        if email is not None:
            person = Person.objects.filter(email__iexact=email.strip()).first()
            if person is None:
                raise serializers.ValidationError(
                    {"email": _("Nobody with this e-mail address is listed.")}
                )
            attrs["person"] = person
        return attrs


class MembershipEndInputSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, help_text="Today if not given.")

    def validate_ended_on(self, value):
        membership = self.context["membership"]
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The end date cannot be in the future."))
        if membership.started_on and value < membership.started_on:
            raise serializers.ValidationError(
                _("The end date is before the start date %(date)s.")
                % {"date": membership.started_on.isoformat()}
            )
        return value


def _filters(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Networks and teams --------------------------------------------------------------------------


class _NetworkListBase(GenericAPIView):
    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = NetworkOutputSerializer
    kind = Network.Kind.NETWORK

    def get(self, request: Request) -> Response:
        networks = selectors.network_list_by_kind(kind=self.kind, parent=self.parent(request))
        page = self.paginate_queryset(networks)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def parent(self, request: Request) -> Network | None:
        return None


class _NetworkDetailBase(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = NetworkOutputSerializer
    kind = Network.Kind.NETWORK

    def get(self, request: Request, slug: str) -> Response:
        try:
            network = selectors.network_get(slug=slug)
        except Network.DoesNotExist as exc:
            raise Http404 from exc
        if network.kind != self.kind:
            raise Http404
        return Response(self.get_serializer(network).data)


@extend_schema_view(
    get=extend_schema(
        summary="Networks and regional sub-networks",
        responses=NetworkOutputSerializer(many=True),
    )
)
class NetworkListApi(_NetworkListBase):
    pass


@extend_schema_view(get=extend_schema(summary="A network or regional sub-network"))
class NetworkDetailApi(_NetworkDetailBase):
    pass


@extend_schema_view(
    get=extend_schema(
        summary="Thematic teams",
        parameters=[TeamFilterSerializer],
        responses=NetworkOutputSerializer(many=True),
    )
)
class TeamListApi(_NetworkListBase):
    kind = Network.Kind.TEAM

    def parent(self, request: Request) -> Network | None:
        return _filters(TeamFilterSerializer, request).get("network")


@extend_schema_view(get=extend_schema(summary="A thematic team"))
class TeamDetailApi(_NetworkDetailBase):
    kind = Network.Kind.TEAM


# Organisations -------------------------------------------------------------------------------


class OrganisationListApi(GenericAPIView):
    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = OrganisationOutputSerializer

    @extend_schema(
        summary="Organisations",
        parameters=[OrganisationFilterSerializer],
        responses=OrganisationOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        given = _filters(OrganisationFilterSerializer, request)
        municipality = given.get("municipality")
        filters = selectors.OrganisationFilters(
            q=(given.get("q") or "").strip(),
            type=given.get("type") or "",
            municipality=municipality.pk if municipality else None,
            network=given.get("network"),
            include_inactive=given["include_inactive"],
        )
        page = self.paginate_queryset(selectors.organisation_list_with_area(filters=filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OrganisationDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = OrganisationDetailOutputSerializer

    @extend_schema(summary="An organisation")
    def get(self, request: Request, pk: int) -> Response:
        try:
            organisation = selectors.organisation_get(pk=pk)
        except Organisation.DoesNotExist as exc:
            raise Http404 from exc
        return Response(self.get_serializer(organisation).data)


# People --------------------------------------------------------------------------------------


def _visible_person(request: Request, pk: int) -> Person:
    """The person, if the user may look them up; 404 otherwise, so ids reveal nothing."""
    people = selectors.person_list_visible(filters=selectors.PersonFilters(), user=request.user)
    return get_object_or_404(people, pk=pk)


class PersonListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = PersonOutputSerializer

    @extend_schema(
        summary="People the user can see",
        description="People in the networks the user manages, people sharing a network with "
        "the user, and the user. E-mail and phone are null where the user may not see them.",
        parameters=[PersonFilterSerializer],
        responses=PersonOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        given = _filters(PersonFilterSerializer, request)
        filters = selectors.PersonFilters(
            q=(given.get("q") or "").strip(),
            network=given.get("network"),
            organisation=given.get("organisation"),
        )
        people = selectors.person_list_visible(filters=filters, user=request.user)
        page = selectors.people_attach_network_ids(people=self.paginate_queryset(people))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add a person to a network",
        request=PersonCreateInputSerializer,
        responses={201: PersonOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        require_can(request.user, "person.create")
        serializer = PersonCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        role = data.pop("role")
        require_can(
            request.user, "network.manage", network, _("You cannot add people to this network.")
        )
        with service_errors():
            person = services.person_create(
                actor=request.user, data=data, network=network, role=role
            )
        public_pages_changed()
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PersonOutputSerializer

    @extend_schema(summary="A person")
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(_visible_person(request, pk)).data)

    @extend_schema(
        summary="Change a person",
        request=PersonUpdateInputSerializer,
        responses={200: PersonOutputSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        person = _visible_person(request, pk)
        require_can(request.user, "person.edit", person)
        serializer = PersonUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            person = services.person_update(
                actor=request.user, person=person, data=dict(serializer.validated_data)
            )
        return Response(self.get_serializer(person).data)


# Memberships ---------------------------------------------------------------------------------


class MembershipListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = MembershipOutputSerializer

    @extend_schema(
        summary="Memberships of the networks the user manages",
        description="Current and ended memberships (the history) unless a status is given.",
        parameters=[MembershipFilterSerializer],
        responses=MembershipOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        given = _filters(MembershipFilterSerializer, request)
        network = given.get("network")
        if network is not None:
            require_can(request.user, "network.manage", network)
        memberships = selectors.membership_list_managed(
            user=request.user, network=network, status=given.get("status", "")
        )
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add a membership",
        request=MembershipCreateInputSerializer,
        responses={201: MembershipOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        require_can(request.user, "coordination.access")
        serializer = MembershipCreateInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_can(
            request.user,
            "network.manage",
            data["network"],
            _("You cannot add members to this network."),
        )
        with service_errors():
            membership = services.membership_add(
                actor=request.user,
                person=data["person"],
                network=data["network"],
                role=data["role"],
                started_on=data.get("started_on"),
            )
        public_pages_changed()
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipEndApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MembershipOutputSerializer

    @extend_schema(
        summary="End a membership",
        description="The membership stays as history with its end date.",
        request=MembershipEndInputSerializer,
        responses={200: MembershipOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        try:
            membership = selectors.membership_get(pk=pk)
        except Membership.DoesNotExist as exc:
            raise Http404 from exc
        require_can(request.user, "membership.manage", membership)
        serializer = MembershipEndInputSerializer(
            data=request.data, context={"membership": membership}
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            membership = services.membership_end(
                actor=request.user,
                membership=membership,
                ended_on=serializer.validated_data.get("ended_on"),
            )
        public_pages_changed()
        return Response(self.get_serializer(membership).data)
