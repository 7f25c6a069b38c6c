"""The API for mailing lists (/api/v1/lists/): a list's subscriptions, for those who manage its
network. Subscribers themselves use the signed links of the list pages, not the API.

A network that does not exist is a 404; one the user may not manage is a 403.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.api.common import Pagination, require_can, service_errors
from kotoverkko.network.models import LANGUAGE_CHOICES, Network

from . import subscriptions
from .models import MailingList, Subscription


def _named_choice_field(component: str, choices) -> type[serializers.ChoiceField]:
    """A choice field that is its own schema component, so that a subscription's "status" is
    not merged with another object's field of the same name."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

    NamedChoiceField.__name__ = NamedChoiceField.__qualname__ = f"{component}Field"
    return NamedChoiceField


SubscriptionStatusField = _named_choice_field("SubscriptionStatusEnum", Subscription.Status)
SubscriptionSourceField = _named_choice_field("SubscriptionSourceEnum", Subscription.Source)


class SubscriptionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(source="subscriber.email")
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, source="subscriber.language")
    status = SubscriptionStatusField()
    source = SubscriptionSourceField()
    receives_mail = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    unsubscribed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(
        serializers.BooleanField(
            help_text="Active, and the address has neither left every list nor been "
            "suppressed after bounces."
        )
    )
    def get_receives_mail(self, subscription: Subscription) -> bool:
        return (
            subscription.status == Subscription.Status.ACTIVE
            and subscription.subscriber.is_reachable
        )


class SubscriptionFilterSerializer(serializers.Serializer):
    status = SubscriptionStatusField(required=False, help_text="Only subscriptions in this state.")
    q = serializers.CharField(
        required=False, max_length=254, help_text="Only addresses containing this text."
    )

    def validate_q(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError(
                _("The search contains a character that is not allowed.")
            )
        return value


class SubscriptionCreateInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text="For addresses new to the site; the network's first language if not given.",
    )
    consented = serializers.BooleanField(
        default=False,
        help_text="The person has agreed to receive the list (true: active at once). Without "
        "it the address gets a confirmation link and is active once it is used.",
    )


def _managed_list(request: Request, slug: str) -> MailingList:
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    require_can(
        request.user,
        "network.manage",
        network,
        _("You cannot manage the mailing list of this network."),
    )
    return subscriptions.mailing_list_for(network)


class ListSubscriptionsApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = SubscriptionOutputSerializer

    @extend_schema(
        summary="Subscriptions of a network's mailing list",
        description="Every subscription, by address, for those who manage the network.",
        parameters=[SubscriptionFilterSerializer],
        responses=SubscriptionOutputSerializer(many=True),
    )
    def get(self, request: Request, slug: str) -> Response:
        mailing_list = _managed_list(request, slug)
        filters = SubscriptionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = subscriptions.subscription_list(
            mailing_list=mailing_list,
            status=filters.validated_data.get("status", ""),
            search=filters.validated_data.get("q", ""),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add an address to a network's mailing list",
        description="Active at once when `consented`, otherwise pending until the address's "
        "owner uses the confirmation link sent to it. An address that left every list, or "
        "left this list itself, cannot be made active this way.",
        request=SubscriptionCreateInputSerializer,
        responses={201: SubscriptionOutputSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        mailing_list = _managed_list(request, slug)
        serializer = SubscriptionCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        language = data.get("language") or (mailing_list.network.languages or ["fi"])[0]
        with service_errors():
            subscription = subscriptions.subscription_add_by_coordinator(
                actor=request.user,
                mailing_list=mailing_list,
                email=data["email"],
                language=language,
                consented=data["consented"],
                source=Subscription.Source.API,
            )
        return Response(self.get_serializer(subscription).data, status=status.HTTP_201_CREATED)


class ListSubscriptionDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = SubscriptionOutputSerializer

    def _subscription(self, request: Request, slug: str, pk: int) -> Subscription:
        mailing_list = _managed_list(request, slug)
        return get_object_or_404(
            Subscription.objects.select_related("subscriber", "mailing_list__network"),
            pk=pk,
            mailing_list=mailing_list,
        )

    @extend_schema(summary="A subscription of a network's mailing list")
    def get(self, request: Request, slug: str, pk: int) -> Response:
        return Response(self.get_serializer(self._subscription(request, slug, pk)).data)

    @extend_schema(
        summary="Take an address off a network's mailing list",
        description="The subscription ends (its consent records stay); an ended one is left "
        "as it is.",
        responses={204: None},
    )
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        subscription = self._subscription(request, slug, pk)
        subscriptions.subscription_remove(
            actor=request.user, subscription=subscription, source=Subscription.Source.API
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
