"""The API for one's own list subscriptions (/api/v1/me/subscriptions/): the lists of the
logged-in person's address, joining one, leaving one, and the language of the messages.

Subscribers without a login use the signed links of the list pages instead. Leaving every list
is on the preferences page, which the link in every message opens.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.api.common import service_errors
from kotoverkko.common.clients import client_address
from kotoverkko.network.models import LANGUAGE_CHOICES, Network

from . import subscriptions
from .api import SubscriptionSourceField, SubscriptionStatusField
from .models import ConsentRecord, MailingList, Subscriber


class OwnSubscriptionSerializer(serializers.Serializer):
    list = serializers.SlugField(source="mailing_list.network.slug")
    list_name = serializers.CharField(source="mailing_list.network.name")
    status = SubscriptionStatusField()
    source = SubscriptionSourceField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    unsubscribed_at = serializers.DateTimeField(allow_null=True)


class OwnListsSerializer(serializers.Serializer):
    email = serializers.EmailField()
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, allow_null=True)
    left_every_list = serializers.BooleanField()
    suppressed = serializers.BooleanField(
        help_text="No list mail goes to the address after repeated permanent bounces."
    )
    subscriptions = OwnSubscriptionSerializer(many=True)


class JoinInputSerializer(serializers.Serializer):
    list = serializers.SlugField(help_text="The network or team whose list to join.")


class LanguageInputSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)


def _overview(request: Request) -> dict:
    subscriber = subscriptions.own_subscriber(request.user)
    if subscriber is None:
        return {
            "email": request.user.email,
            "language": None,
            "left_every_list": False,
            "suppressed": False,
            "subscriptions": [],
        }
    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "left_every_list": subscriber.left_all_at is not None,
        "suppressed": subscriber.suppressed_at is not None,
        "subscriptions": subscriptions.subscriber_subscriptions(subscriber=subscriber),
    }


def _list(slug: str) -> MailingList:
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    return subscriptions.mailing_list_for(network)


def _own(request: Request) -> Subscriber:
    subscriber = subscriptions.own_subscriber(request.user)
    if subscriber is None:
        raise Http404
    return subscriber


class OwnSubscriptionsApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OwnListsSerializer

    @extend_schema(
        summary="My list subscriptions",
        description="The lists the logged-in person's address is or was on.",
        responses=OwnListsSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(OwnListsSerializer(_overview(request)).data)

    @extend_schema(
        summary="Join a list",
        description="Puts the logged-in person's own address on a network's list, active at "
        "once (the login confirms the address). A closed list takes only the network's members.",
        request=JoinInputSerializer,
        responses={201: OwnListsSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = JoinInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mailing_list = _list(serializer.validated_data["list"])
        with service_errors():
            subscriptions.subscription_self_join(
                user=request.user,
                mailing_list=mailing_list,
                ip_address=client_address(request) or None,
            )
        return Response(OwnListsSerializer(_overview(request)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Set the language of my list messages",
        request=LanguageInputSerializer,
        responses=OwnListsSerializer,
    )
    def patch(self, request: Request) -> Response:
        serializer = LanguageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            subscriptions.subscriber_language_set(
                subscriber=_own(request), language=serializer.validated_data["language"]
            )
        return Response(OwnListsSerializer(_overview(request)).data)


class OwnSubscriptionDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OwnListsSerializer

    @extend_schema(
        summary="Leave a list",
        description="Takes the logged-in person's address off one list at once; the others stay.",
        responses={204: None},
    )
    def delete(self, request: Request, slug: str) -> Response:
        subscriber = _own(request)
        mailing_list = _list(slug)
        with service_errors():
            changed = subscriptions.unsubscribe(
                subscriber=subscriber,
                mailing_list=mailing_list,
                basis=ConsentRecord.Basis.API,
                ip_address=client_address(request) or None,
            )
        if not changed and not mailing_list.subscriptions.filter(subscriber=subscriber).exists():
            raise Http404(_("Your address is not on this list."))
        return Response(status=status.HTTP_204_NO_CONTENT)
