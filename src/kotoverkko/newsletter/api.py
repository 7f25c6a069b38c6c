"""The API for news and bulletins (/api/v1/newsletter/): news items, issues, and the delivery
of an issue's editions.

Who sees what follows the pages: everyone reads published news and issues that went out; a
network's coordinators also read its unpublished news and its drafts, write its news, and
follow the delivery of its issues. Something the user may not see is a 404; something she may
see but not change is a 403.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.api.common import Pagination, SlugRelatedField, require_can, service_errors
from kotoverkko.events.api import TranslatedTextInputSerializer
from kotoverkko.network.api import TranslatedField
from kotoverkko.network.models import Network

from . import selectors, services
from .models import Issue, IssueItem, NewsItem


def _named_choice_field(component: str, choices) -> type[serializers.ChoiceField]:
    """A choice field that is its own schema component, not mixed with others of one name."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

    NamedChoiceField.__name__ = NamedChoiceField.__qualname__ = f"{component}Field"
    return NamedChoiceField


NewsScopeField = _named_choice_field("NewsScopeEnum", NewsItem.Scope)
IssueStatusField = _named_choice_field("IssueStatusEnum", Issue.Status)
IssueItemKindField = _named_choice_field("IssueItemKindEnum", IssueItem.Kind)


# Output --------------------------------------------------------------------------------------


class NewsOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    network = serializers.SlugField(source="network.slug")
    scope = NewsScopeField()
    title = TranslatedField()
    text = TranslatedField(help_text="Plain text; paragraphs are separated by an empty line.")
    link = serializers.CharField(help_text='Where to read more, or "".')
    publish_on = serializers.DateField(help_text="Public from this day.")
    url = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.URLField(help_text="The news item's public page."))
    def get_url(self, news: NewsItem) -> str:
        path = reverse("newsletter:news_detail", kwargs={"slug": news.network.slug, "pk": news.pk})
        return self.context["request"].build_absolute_uri(path)


class IssueItemOutputSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = IssueItemKindField()
    news = serializers.IntegerField(source="news_id", allow_null=True)
    event = serializers.IntegerField(source="event_id", allow_null=True)
    material = serializers.IntegerField(source="material_id", allow_null=True)
    heading = TranslatedField()
    text = TranslatedField()


class IssueOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    network = serializers.SlugField(source="network.slug")
    month = serializers.DateField(help_text="The first day of the issue's month.")
    number = serializers.IntegerField(help_text="1 for the month's regular issue.")
    title = TranslatedField()
    status = IssueStatusField()
    scheduled_for = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.URLField(
            allow_null=True, help_text="The issue in the public archive, once it went out."
        )
    )
    def get_url(self, issue: Issue) -> str | None:
        if issue.status not in selectors.PUBLIC_STATUSES:
            return None
        path = reverse(
            "newsletter:archive_issue", kwargs={"slug": issue.network.slug, "pk": issue.pk}
        )
        return self.context["request"].build_absolute_uri(path)


class IssueDetailOutputSerializer(IssueOutputSerializer):
    introduction = TranslatedField()
    items = IssueItemOutputSerializer(many=True, source="items.all")


class BatchProgressOutputSerializer(serializers.Serializer):
    queued = serializers.IntegerField()
    sending = serializers.IntegerField()
    sent = serializers.IntegerField()
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Left the list or were suppressed meanwhile.")
    remaining = serializers.IntegerField(help_text="Queued and being sent.")
    done = serializers.IntegerField(help_text="Sent, failed and skipped.")
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class EditionDeliveryOutputSerializer(serializers.Serializer):
    language = serializers.CharField()
    subject = serializers.CharField()
    batch = serializers.IntegerField(allow_null=True, help_text="The mass sending.")
    status = serializers.CharField(allow_null=True, help_text="The mass sending's status.")
    progress = BatchProgressOutputSerializer(allow_null=True)


class IssueDeliveryOutputSerializer(serializers.Serializer):
    issue = serializers.IntegerField()
    status = IssueStatusField()
    sent_at = serializers.DateTimeField(allow_null=True)
    editions = EditionDeliveryOutputSerializer(many=True)


# Input ---------------------------------------------------------------------------------------


class NewsFilterSerializer(serializers.Serializer):
    network = SlugRelatedField(
        slug_field="slug",
        queryset=Network.objects.all(),
        required=False,
        help_text="This network and those below it.",
    )


class NewsUpdateInputSerializer(serializers.Serializer):
    """The fields of a news item; a change gives the fields to change."""

    scope = NewsScopeField(required=False)
    title = TranslatedTextInputSerializer(required=False)
    text = TranslatedTextInputSerializer(required=False)
    link = serializers.URLField(max_length=500, allow_blank=True, required=False)
    publish_on = serializers.DateField(required=False)

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        for name in ("title", "text"):
            for code, value in (data.pop(name, None) or {}).items():
                data[f"{name}_{code}"] = value
        data.pop("network", None)
        return data


class NewsCreateInputSerializer(NewsUpdateInputSerializer):
    network = SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), help_text="The network (slug)."
    )
    title = TranslatedTextInputSerializer()
    publish_on = serializers.DateField()


# News ----------------------------------------------------------------------------------------


def _filters(serializer_class, request: Request) -> dict:
    given = {key: value for key, value in request.query_params.items() if value.strip()}
    serializer = serializer_class(data=given)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _visible_news(request: Request, pk: int) -> NewsItem:
    return get_object_or_404(selectors.news_list_for_api(user=request.user), pk=pk)


def _news_data(request: Request, pk: int) -> dict:
    news = NewsItem.objects.select_related("network").get(pk=pk)
    return NewsOutputSerializer(news, context={"request": request}).data


class NewsListApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Pagination
    serializer_class = NewsOutputSerializer

    @extend_schema(
        summary="News",
        description="Published news newest first, and the unpublished news of the networks "
        "the user coordinates.",
        parameters=[NewsFilterSerializer],
        responses=NewsOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        given = _filters(NewsFilterSerializer, request)
        news = selectors.news_list_for_api(user=request.user, network=given.get("network"))
        page = self.paginate_queryset(news)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Write a news item",
        description="For the network's coordinators. The title is needed in the network's "
        "first language, and in Swedish too for a bilingual network.",
        request=NewsCreateInputSerializer,
        responses={201: NewsOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = NewsCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        network = serializer.validated_data["network"]
        require_can(
            request.user, "news.edit", network, _("You cannot write news for this network.")
        )
        with service_errors():
            news = services.news_create(
                actor=request.user, network=network, data=serializer.service_data()
            )
        return Response(_news_data(request, news.pk), status=status.HTTP_201_CREATED)


class NewsDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = NewsOutputSerializer

    @extend_schema(summary="A news item")
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(_visible_news(request, pk)).data)

    @extend_schema(
        summary="Change a news item",
        request=NewsUpdateInputSerializer,
        responses={200: NewsOutputSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        news = _visible_news(request, pk)
        require_can(request.user, "news.edit", news, _("You cannot change this news item."))
        serializer = NewsUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.news_update(actor=request.user, news=news, data=serializer.service_data())
        return Response(_news_data(request, pk))

    @extend_schema(summary="Delete a news item", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        news = _visible_news(request, pk)
        require_can(request.user, "news.edit", news, _("You cannot delete this news item."))
        with service_errors():
            services.news_delete(actor=request.user, news=news)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Issues --------------------------------------------------------------------------------------


class IssueFilterSerializer(serializers.Serializer):
    network = SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, help_text="Slug."
    )


def _visible_issue(request: Request, pk: int) -> Issue:
    issues = selectors.issue_list_for_api(user=request.user).prefetch_related(
        selectors.issue_items_prefetch()
    )
    return get_object_or_404(issues, pk=pk)


class IssueListApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Pagination
    serializer_class = IssueOutputSerializer

    @extend_schema(
        summary="Bulletin issues",
        description="Issues that went out, newest first; for a network's coordinators also "
        "its drafts and scheduled issues, with their status.",
        parameters=[IssueFilterSerializer],
        responses=IssueOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        given = _filters(IssueFilterSerializer, request)
        issues = selectors.issue_list_for_api(user=request.user, network=given.get("network"))
        page = self.paginate_queryset(issues)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class IssueDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = IssueDetailOutputSerializer

    @extend_schema(summary="A bulletin issue and its items")
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(_visible_issue(request, pk)).data)


class IssueDeliveryApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = IssueDeliveryOutputSerializer

    @extend_schema(
        summary="Delivery of an issue",
        description="For the network's coordinators: each language edition's mass sending "
        "and how far its delivery has come.",
    )
    def get(self, request: Request, pk: int) -> Response:
        issue = _visible_issue(request, pk)
        require_can(request.user, "newsletter.manage", issue, _("You do not edit this bulletin."))
        editions = []
        rows = selectors.issue_editions(issue=issue)
        if rows:
            from kotoverkko.mailing.batches import batch_progress

            for edition in rows:
                batch = edition.batch
                editions.append(
                    {
                        "language": edition.language,
                        "subject": edition.subject,
                        "batch": batch.pk if batch else None,
                        "status": batch.status if batch else None,
                        "progress": batch_progress(batch) if batch else None,
                    }
                )
        data = {
            "issue": issue.pk,
            "status": issue.status,
            "sent_at": issue.sent_at,
            "editions": editions,
        }
        return Response(self.get_serializer(data).data)
