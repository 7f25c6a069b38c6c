"""The API for events (/api/v1/): the calendar and event objects, series, agendas, one's own
registrations, planning, and the export of public events in the shape of Linked Events.

Who sees what follows the pages: everyone sees public events, members the members-only events
of their networks, planners their drafts; an event the user may not see is a 404, one she may
see but not plan is a 403.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from kotoverkko.api.common import Pagination, SlugRelatedField, require_can, service_errors
from kotoverkko.codelists.models import Municipality, Region
from kotoverkko.common.permissions import user_can
from kotoverkko.network.api import (
    MunicipalityOutputSerializer,
    OrganisationBriefOutputSerializer,
    TranslatedField,
)
from kotoverkko.network.models import LANGUAGE_CHOICES, Network, Organisation

from . import linked_events, selectors, services
from .models import AgendaItem, Audience, Event, EventSeries, Registration

TRANSLATED = ("title", "theme", "description", "accessibility", "funding_note")


def _named_choice_field(component: str, choices) -> type[serializers.ChoiceField]:
    """A choice field whose values are their own schema component, so that an event's "type"
    or "status" is not mistaken for an organisation's or a membership's of the same name."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

    NamedChoiceField.__name__ = NamedChoiceField.__qualname__ = f"{component}Field"
    return NamedChoiceField


EventTypeField = _named_choice_field("EventTypeEnum", Event.Type)
EventStatusField = _named_choice_field("EventStatusEnum", Event.Status)
RegistrationStatusField = _named_choice_field("RegistrationStatusEnum", Registration.Status)
AgendaItemTypeField = _named_choice_field("AgendaItemTypeEnum", AgendaItem.Type)


# Output --------------------------------------------------------------------------------------


class AudienceOutputSerializer(serializers.Serializer):
    code = serializers.SlugField()
    name = TranslatedField()
    yso_id = serializers.CharField(help_text='General Finnish Ontology concept ("yso:p…") or ""')


class EventPlaceOutputSerializer(serializers.Serializer):
    venue_name = serializers.CharField()
    street_address = serializers.CharField()
    postal_code = serializers.CharField()
    municipality = MunicipalityOutputSerializer(allow_null=True)
    accessibility = TranslatedField()


class EventOnlineOutputSerializer(serializers.Serializer):
    platform = serializers.CharField(help_text="e.g. Teams")
    link = serializers.URLField(
        allow_null=True,
        help_text="The participation link, null until it is released to the user.",
    )


class EventRegistrationStateOutputSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="The event takes registrations at all.")
    open = serializers.BooleanField(help_text="Registrations are accepted now.")
    deadline = serializers.DateTimeField(help_text="Registration closes (the start if unset).")
    capacity = serializers.IntegerField(allow_null=True)
    seats_taken = serializers.IntegerField()
    waiting = serializers.IntegerField()
    walk_ins_welcome = serializers.BooleanField()


class EventCostsOutputSerializer(serializers.Serializer):
    room_rent = serializers.DecimalField(max_digits=9, decimal_places=2)
    coffee = serializers.DecimalField(max_digits=9, decimal_places=2, source="coffee_cost")
    other = serializers.DecimalField(max_digits=9, decimal_places=2, source="other_costs")
    total = serializers.DecimalField(max_digits=11, decimal_places=2, source="total_costs")


class EventOutputSerializer(serializers.Serializer):
    """An event. Needs "counts" (registration_counts) and "registered" (ids of the events
    the user has registered to) in its context."""

    id = serializers.IntegerField()
    uid = serializers.CharField(help_text="Calendar UID (RFC 5545), never changes.")
    sequence = serializers.IntegerField(help_text="Calendar SEQUENCE, raised on every change.")
    url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()
    network = serializers.SlugField(source="network.slug")
    team = serializers.SlugField(source="team.slug", allow_null=True)
    type = EventTypeField()
    title = TranslatedField()
    theme = TranslatedField()
    description = TranslatedField()
    languages = serializers.ListField(child=serializers.ChoiceField(choices=LANGUAGE_CHOICES))
    audiences = AudienceOutputSerializer(many=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = EventStatusField()
    visibility = serializers.ChoiceField(choices=Event.Visibility.choices)
    format = serializers.ChoiceField(choices=Event.Format.choices)
    place = serializers.SerializerMethodField()
    online = serializers.SerializerMethodField()
    registration = serializers.SerializerMethodField()
    organiser = OrganisationBriefOutputSerializer(allow_null=True)
    hosts = OrganisationBriefOutputSerializer(many=True)
    co_organisers = OrganisationBriefOutputSerializer(many=True)
    funders = OrganisationBriefOutputSerializer(many=True)
    eu_cofunded = serializers.BooleanField()
    funding_note = TranslatedField()
    parent = serializers.IntegerField(
        source="parent_id", allow_null=True, help_text="The main event this one is part of."
    )
    series = serializers.IntegerField(source="series_id", allow_null=True)
    costs = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def _absolute(self, path: str) -> str:
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(serializers.URLField(help_text="The event's page."))
    def get_url(self, event: Event) -> str:
        return self._absolute(event.get_absolute_url())

    @extend_schema_field(serializers.URLField(help_text="The event as an iCalendar file."))
    def get_ics_url(self, event: Event) -> str:
        return self._absolute(reverse("events:event_ics", kwargs={"pk": event.pk}))

    @extend_schema_field(EventPlaceOutputSerializer(allow_null=True))
    def get_place(self, event: Event) -> dict | None:
        if not event.is_in_person:
            return None
        return EventPlaceOutputSerializer(event, context=self.context).data

    @extend_schema_field(EventOnlineOutputSerializer(allow_null=True))
    def get_online(self, event: Event) -> dict | None:
        if not event.is_online:
            return None
        user = self.context["request"].user
        link = event.online_link or None
        if link and not (
            user_can(user, "event.manage", event)
            or selectors.link_visible(
                event=event, user=user, registered=event.pk in self.context["registered"]
            )
        ):
            link = None
        return EventOnlineOutputSerializer({"platform": event.online_platform, "link": link}).data

    @extend_schema_field(EventRegistrationStateOutputSerializer)
    def get_registration(self, event: Event) -> dict:
        counts = self.context["counts"].get(event.pk, {})
        state = {
            "enabled": event.registration_open,
            "open": not event.registration_refusal(timezone.now()),
            "deadline": event.registration_closes_at(),
            "capacity": event.capacity,
            "seats_taken": counts.get("confirmed", 0),
            "waiting": counts.get("waiting", 0),
            "walk_ins_welcome": event.walk_ins_welcome,
        }
        return EventRegistrationStateOutputSerializer(state).data

    @extend_schema_field(EventCostsOutputSerializer(allow_null=True))
    def get_costs(self, event: Event) -> dict | None:
        """Room rent and coffee are the planners' business."""
        if not user_can(self.context["request"].user, "event.manage", event):
            return None
        return EventCostsOutputSerializer(event).data


class SeriesOutputSerializer(serializers.Serializer):
    """A recurring event: its rule and the occurrences the user can see."""

    id = serializers.IntegerField()
    network = serializers.SlugField(source="network.slug")
    rule = serializers.CharField(help_text="RFC 5545 RRULE")
    starts_on = serializers.DateField()
    start_time = serializers.TimeField(help_text="Local time in Europe/Helsinki.")
    duration = serializers.DurationField()
    until = serializers.DateField(allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    excluded_dates = serializers.ListField(child=serializers.DateField())
    occurrences = EventOutputSerializer(many=True, source="visible_occurrences")


class SpeakerOutputSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")
    organisation = serializers.CharField(source="display_organisation")
    person = serializers.IntegerField(source="person_id", allow_null=True)


class AgendaSlotOutputSerializer(serializers.Serializer):
    label = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    starts_at = serializers.DateTimeField()
    seconds = serializers.IntegerField()


class AgendaItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    type = AgendaItemTypeField()
    title = TranslatedField()
    description = TranslatedField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    duration = serializers.IntegerField(help_text="Minutes.")
    speakers = SpeakerOutputSerializer(many=True)
    slots = AgendaSlotOutputSerializer(
        many=True, help_text="The organisations' turns in a current-affairs round."
    )


class AgendaOutputSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="pk")
    items = AgendaItemOutputSerializer(many=True, source="agenda.all")


class EventBriefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = TranslatedField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = EventStatusField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(help_text="The event's page."))
    def get_url(self, event: Event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class OwnRegistrationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = EventBriefOutputSerializer()
    status = RegistrationStatusField()
    name = serializers.CharField()
    email = serializers.EmailField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    organisation_name = serializers.CharField()
    diet = serializers.CharField()
    accessibility_needs = serializers.CharField()
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    created_at = serializers.DateTimeField()


class RegistrationOutputSerializer(serializers.Serializer):
    """A registration as the event's planners see it."""

    id = serializers.IntegerField()
    status = RegistrationStatusField()
    person = serializers.IntegerField(source="person_id", allow_null=True)
    name = serializers.CharField()
    email = serializers.EmailField()
    organisation = OrganisationBriefOutputSerializer(allow_null=True)
    organisation_name = serializers.CharField()
    diet = serializers.CharField()
    accessibility_needs = serializers.CharField()
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    attendance = serializers.ChoiceField(choices=Registration.Attendance.choices)
    walk_in = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    cancelled_at = serializers.DateTimeField(allow_null=True)


# Input ---------------------------------------------------------------------------------------


def _slug_field(queryset, slug_field: str = "slug", **kwargs) -> serializers.SlugRelatedField:
    return SlugRelatedField(slug_field=slug_field, queryset=queryset, **kwargs)


class EventFilterSerializer(serializers.Serializer):
    """The public calendar's filters; `from` and `to` are inclusive dates."""

    network = _slug_field(
        Network.objects.all(), required=False, help_text="This network and those below it."
    )
    team = _slug_field(Network.objects.filter(kind=Network.Kind.TEAM), required=False)
    region = _slug_field(
        Region.objects.all(), "code", required=False, help_text="Region code, e.g. 19 (Lapland)."
    )
    municipality = _slug_field(
        Municipality.objects.all(), "code", required=False, help_text="e.g. 698"
    )
    type = EventTypeField(required=False)
    audience = _slug_field(Audience.objects.all(), "code", required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    format = serializers.ChoiceField(
        choices=Event.Format.choices,
        required=False,
        help_text="online includes hybrid events, and so does in_person.",
    )
    q = serializers.CharField(required=False, max_length=100, help_text="Words in the title.")
    past = serializers.BooleanField(
        required=False, default=False, help_text="Past events, newest first."
    )
    from_ = serializers.DateField(required=False, help_text="Starting on or after this day.")
    to = serializers.DateField(required=False, help_text="Starting on or before this day.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": _("The end date is before the start date.")})
        return attrs

    def filters(self) -> selectors.EventFilters:
        given = self.validated_data
        last = given.get("to")
        return selectors.EventFilters(
            network=given.get("network"),
            team=given.get("team"),
            region=given["region"].code if given.get("region") else "",
            municipality=given["municipality"].code if given.get("municipality") else "",
            type=given.get("type", ""),
            audience=given["audience"].code if given.get("audience") else "",
            language=given.get("language", ""),
            format=given.get("format", ""),
            q=" ".join(given.get("q", "").split()),
            past=given["past"],
            starts_from=given.get("from"),
            starts_before=last + timedelta(days=1) if last else None,
        )


class TranslatedTextInputSerializer(serializers.Serializer):
    """Text per language; a language left out is not changed."""

    fi = serializers.CharField(required=False, allow_blank=True)
    sv = serializers.CharField(required=False, allow_blank=True)
    en = serializers.CharField(required=False, allow_blank=True)


def _organisations(**kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), **kwargs)


class EventUpdateInputSerializer(serializers.Serializer):
    """The fields of an event; a change gives the fields to change."""

    team = _slug_field(
        Network.objects.filter(kind=Network.Kind.TEAM),
        required=False,
        allow_null=True,
        help_text="A team of the event's network (slug).",
    )
    type = EventTypeField(required=False)
    title = TranslatedTextInputSerializer(required=False)
    theme = TranslatedTextInputSerializer(required=False)
    description = TranslatedTextInputSerializer(required=False)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), required=False, max_length=3
    )
    audiences = _slug_field(Audience.objects.all(), "code", many=True, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    status = EventStatusField(
        required=False, help_text="Cancel through the cancel address, which tells everyone."
    )
    visibility = serializers.ChoiceField(choices=Event.Visibility.choices, required=False)
    format = serializers.ChoiceField(choices=Event.Format.choices, required=False)
    venue_name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    street_address = serializers.CharField(max_length=200, allow_blank=True, required=False)
    postal_code = serializers.CharField(max_length=10, allow_blank=True, required=False)
    municipality = _slug_field(Municipality.objects.all(), "code", allow_null=True, required=False)
    accessibility = TranslatedTextInputSerializer(required=False)
    online_platform = serializers.CharField(max_length=60, allow_blank=True, required=False)
    online_link = serializers.URLField(max_length=1000, allow_blank=True, required=False)
    link_audience = serializers.ChoiceField(choices=Event.LinkAudience.choices, required=False)
    link_shown_before = serializers.DurationField(
        required=False, min_value=timedelta(0), max_value=timedelta(days=30)
    )
    link_sent_before = serializers.DurationField(
        required=False, min_value=timedelta(0), max_value=timedelta(days=30)
    )
    registration_open = serializers.BooleanField(required=False)
    registration_deadline = serializers.DateTimeField(allow_null=True, required=False)
    capacity = serializers.IntegerField(
        min_value=1, max_value=100_000, allow_null=True, required=False
    )
    walk_ins_welcome = serializers.BooleanField(required=False)
    organiser = _organisations(allow_null=True, required=False)
    hosts = _organisations(many=True, required=False)
    co_organisers = _organisations(many=True, required=False)
    funders = _organisations(many=True, required=False)
    eu_cofunded = serializers.BooleanField(required=False)
    funding_note = TranslatedTextInputSerializer(required=False)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.none(),
        allow_null=True,
        required=False,
        help_text="The main event this one is part of.",
    )
    room_rent = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False
    )
    coffee_cost = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False
    )
    other_costs = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if request := self.context.get("request"):
            self.fields["parent"].queryset = selectors.event_list_visible(user=request.user)

    def validate_status(self, value):
        if value == Event.Status.CANCELLED:
            raise serializers.ValidationError(
                _("Cancel the event with its cancel address, so that everyone is told.")
            )
        return value

    def service_data(self) -> dict:
        """The validated fields as the services take them: text per language in
        `title_fi`, `title_sv`, …"""
        data = dict(self.validated_data)
        for name in TRANSLATED:
            for code, value in (data.pop(name, None) or {}).items():
                data[f"{name}_{code}"] = value.strip()
        return data


class EventCreateInputSerializer(EventUpdateInputSerializer):
    network = _slug_field(Network.objects.all(), help_text="The network (slug).")
    type = EventTypeField()
    title = TranslatedTextInputSerializer()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    def validate_title(self, value):
        if not any((text or "").strip() for text in value.values()):
            raise serializers.ValidationError(_("Give the title in at least one language."))
        return value


class EventChangeInputSerializer(EventUpdateInputSerializer):
    scope = serializers.ChoiceField(
        choices=[("this", "this"), ("following", "following")],
        default="this",
        help_text="For an occurrence of a series: this one, or this and the following ones.",
    )


class RegistrationCreateInputSerializer(serializers.Serializer):
    """Name, address and organisation default to the user's own person record."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False)
    organisation = _organisations(allow_null=True, required=False)
    organisation_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    diet = serializers.CharField(max_length=300, required=False, allow_blank=True)
    accessibility_needs = serializers.CharField(max_length=300, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)


class _LinkedDateField(serializers.DateField):
    """A date, or "today" as Linked Events accepts."""

    def to_internal_value(self, value):
        if isinstance(value, str) and value.strip().lower() in ("today", "now"):
            return timezone.localdate()
        return super().to_internal_value(value)


class LinkedEventFilterSerializer(serializers.Serializer):
    start = _LinkedDateField(
        required=False,
        help_text='Events starting on or after this day (or "today"); without it, upcoming events.',
    )
    end = _LinkedDateField(required=False, help_text="Events starting on or before this day.")
    include = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Objects to embed instead of links, comma-separated: location, keywords, "
        "audience.",
    )

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("The end date is before the start date.")})
        return attrs


# Reading helpers -----------------------------------------------------------------------------


def _visible_event(request: Request, pk: int) -> Event:
    """The event, if the user may see it; 404 otherwise, so ids reveal nothing."""
    return get_object_or_404(
        selectors.event_list_for_api(selectors.event_list_visible(user=request.user)), pk=pk
    )


def _managed_event(request: Request, pk: int) -> Event:
    """An event the user plans: 404 if she may not see it, 403 if she may not plan it."""
    event = _visible_event(request, pk)
    require_can(request.user, "event.manage", event, _("You do not plan this event."))
    return event


def _event_context(request: Request, events) -> dict:
    events = list(events)
    registered = set(
        selectors.registrations_of(user=request.user)
        .filter(event__in=events)
        .values_list("event_id", flat=True)
    )
    return {
        "request": request,
        "counts": selectors.registration_counts(events=events),
        "registered": registered,
    }


def _event_data(request: Request, pk: int, *, written: bool = False) -> dict:
    """The event as the user sees it; after she has just written it, as it now is even if
    the change took it out of her sight (a team lead moving it to another team)."""
    if written:
        event = selectors.event_list_for_api(Event.objects.filter(pk=pk)).get()
    else:
        event = _visible_event(request, pk)
    return EventOutputSerializer(event, context=_event_context(request, [event])).data


def _filters(serializer_class, request: Request) -> serializers.Serializer:
    """The query parameters, validated; empty ones count as not given."""
    given = {key: value for key, value in request.query_params.items() if value.strip()}
    serializer = serializer_class(data=given)
    serializer.is_valid(raise_exception=True)
    return serializer


# Events --------------------------------------------------------------------------------------


class _FormatFiltersEvents(DefaultContentNegotiation):
    """Here `?format=online` filters the events; it does not pick the renderer as DRF's own
    `format` parameter would (answering 404 for a format it does not know)."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


class EventListApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    content_negotiation_class = _FormatFiltersEvents
    pagination_class = Pagination
    serializer_class = EventOutputSerializer

    @extend_schema(
        summary="Events",
        description="Upcoming events soonest first (past ones newest first with `past`), "
        "as the calendar shows them to the user.",
        parameters=[EventFilterSerializer],
        responses=EventOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = _filters(EventFilterSerializer, request).filters()
        events = selectors.event_list_for_api(
            selectors.event_list(filters=filters, user=request.user)
        )
        page = self.paginate_queryset(events)
        data = EventOutputSerializer(page, many=True, context=_event_context(request, page)).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Plan an event",
        description="A new event with the planning checklist of its type; a draft unless a "
        "visibility is given.",
        request=EventCreateInputSerializer,
        responses={201: EventOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = EventCreateInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.service_data()
        network = data.pop("network")
        require_can(
            request.user, "event.create", network, _("You cannot plan events in this network.")
        )
        with service_errors():
            event = services.event_create(actor=request.user, network=network, data=data)
        return Response(
            _event_data(request, event.pk, written=True), status=status.HTTP_201_CREATED
        )


class EventDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = EventOutputSerializer

    @extend_schema(summary="An event")
    def get(self, request: Request, pk: int) -> Response:
        return Response(_event_data(request, pk))

    @extend_schema(
        summary="Change an event",
        description="A change to the time, place, link or status raises the calendar "
        "SEQUENCE and sends the new version to everyone invited or registered.",
        request=EventChangeInputSerializer,
        responses={200: EventOutputSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        event = _managed_event(request, pk)
        serializer = EventChangeInputSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.service_data()
        scope = data.pop("scope", "this")
        with service_errors():
            services.event_update(actor=request.user, event=event, data=data, scope=scope)
        return Response(_event_data(request, pk, written=True))


class EventCancelApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = EventOutputSerializer

    @extend_schema(
        summary="Cancel an event",
        description="Everyone invited or registered gets a calendar cancellation.",
        request=None,
        responses={200: EventOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = _managed_event(request, pk)
        with service_errors():
            services.event_cancel(actor=request.user, event=event)
        return Response(_event_data(request, pk, written=True))


class SeriesDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = SeriesOutputSerializer

    @extend_schema(summary="A recurring event and its occurrences")
    def get(self, request: Request, pk: int) -> Response:
        series = get_object_or_404(EventSeries.objects.select_related("network"), pk=pk)
        occurrences = list(
            selectors.event_list_for_api(
                selectors.event_list_visible(user=request.user).filter(series=series)
            )
        )
        if not occurrences:
            raise Http404
        series.visible_occurrences = occurrences
        context = _event_context(request, occurrences)
        return Response(SeriesOutputSerializer(series, context=context).data)


class AgendaApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = AgendaOutputSerializer

    @extend_schema(summary="An event's agenda with speakers and turns")
    def get(self, request: Request, pk: int) -> Response:
        try:
            event = selectors.event_get_visible(pk=pk, user=request.user)
        except Event.DoesNotExist as exc:
            raise Http404 from exc
        return Response(self.get_serializer(event).data)


# Registrations -------------------------------------------------------------------------------


def _language(person) -> str:
    if person is not None and person.language:
        return person.language
    code = (translation.get_language() or "")[:2]
    return code if code in dict(LANGUAGE_CHOICES) else settings.LANGUAGE_CODE


class EventRegistrationsApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = RegistrationOutputSerializer

    @extend_schema(
        summary="Registrations to an event",
        description="For the event's planners: confirmed, waiting and cancelled.",
        responses=RegistrationOutputSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        event = _managed_event(request, pk)
        page = self.paginate_queryset(selectors.registration_list(event=event))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Register to an event",
        description="Registers the user: a seat if one is free, otherwise the waiting list. "
        "A confirmation with the calendar invitation is e-mailed.",
        request=RegistrationCreateInputSerializer,
        responses={201: OwnRegistrationOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = _visible_event(request, pk)
        serializer = RegistrationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data
        person = getattr(request.user, "person", None)
        if "organisation" in given:
            organisation = given["organisation"]
        elif person is not None and not given.get("organisation_name"):
            organisation = person.organisation
        else:
            organisation = None
        data = services.RegistrationData(
            name=given.get("name") or (person.full_name if person else ""),
            email=given.get("email") or (person.email if person else request.user.email),
            organisation=organisation,
            organisation_name=given.get("organisation_name", ""),
            diet=given.get("diet", ""),
            accessibility_needs=given.get("accessibility_needs", ""),
            language=given.get("language") or _language(person),
        )
        with service_errors():
            registration = services.registration_create(event=event, data=data, person=person)
        output = OwnRegistrationOutputSerializer(registration, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class OwnRegistrationListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = OwnRegistrationOutputSerializer

    @extend_schema(
        summary="The user's own registrations",
        description="Confirmed and waiting places, by the date of the event.",
        responses=OwnRegistrationOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.registrations_of(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OwnRegistrationDetailApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OwnRegistrationOutputSerializer

    @extend_schema(
        summary="Cancel one's own registration",
        description="The freed seat goes to the first on the waiting list.",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        registration = get_object_or_404(selectors.registrations_of(user=request.user), pk=pk)
        with service_errors():
            services.registration_cancel(registration=registration, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Linked Events -------------------------------------------------------------------------------


class LinkedEventsPagination(PageNumberPagination):
    """Pages as Linked Events writes them: {"meta": {count, next, previous}, "data": […]}."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        meta = {
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
        }
        return Response({"meta": meta, "data": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["meta", "data"],
            "properties": {
                "meta": {
                    "type": "object",
                    "required": ["count", "next", "previous"],
                    "properties": {"count": {"type": "integer"}, "next": link, "previous": link},
                },
                "data": schema,
            },
        }


def _export(request: Request, include: str = "") -> linked_events.Export:
    return linked_events.Export(
        absolute=request.build_absolute_uri, include=linked_events.parse_include(include)
    )


_INCLUDE = OpenApiParameter(
    "include",
    str,
    description="Objects to embed instead of links, comma-separated: location, keywords, audience.",
)


class LinkedEventListApi(GenericAPIView):
    permission_classes = [AllowAny]
    pagination_class = LinkedEventsPagination
    serializer_class = linked_events.LinkedEventSerializer

    @extend_schema(
        summary="Public events as Linked Events",
        description="Public events in the shape of Helsinki's Linked Events API v1 `event` "
        "objects (schema.org Event, fi/sv/en texts, YSO keyword ids), paged with `page` and "
        "`page_size`.",
        parameters=[LinkedEventFilterSerializer],
        responses=linked_events.LinkedEventSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        given = _filters(LinkedEventFilterSerializer, request).validated_data
        end = given.get("end")
        events = linked_events.public_events(
            starts_from=given.get("start"),
            starts_before=end + timedelta(days=1) if end else None,
        )
        page = self.paginate_queryset(events)
        export = _export(request, given.get("include", ""))
        return self.get_paginated_response([export.event(event) for event in page])


class LinkedEventDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = linked_events.LinkedEventSerializer

    @extend_schema(
        summary="A public event as Linked Events",
        description='"kotoverkko:<pk>" for an event, "kotoverkko:series-<pk>" for the '
        "recurring super event of a series.",
        parameters=[_INCLUDE],
    )
    def get(self, request: Request, id: str) -> Response:
        export = _export(request, request.query_params.get("include", ""))
        match linked_events.parse_event_id(id):
            case ("event", pk):
                try:
                    event = linked_events.public_event_get(pk=pk)
                except Event.DoesNotExist as exc:
                    raise Http404 from exc
                return Response(export.event(event))
            case ("series", pk):
                try:
                    series, occurrences = linked_events.public_series_get(pk=pk)
                except EventSeries.DoesNotExist as exc:
                    raise Http404 from exc
                return Response(export.series(series, occurrences))
        raise Http404


class LinkedKeywordDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = linked_events.LinkedKeywordSerializer

    @extend_schema(
        summary="A keyword of ours as Linked Events",
        description='An event type ("kotoverkko:type-<type>") or a target group '
        '("kotoverkko:<code>").',
    )
    def get(self, request: Request, id: str) -> Response:
        keyword = linked_events.keyword_get(id=id)
        if keyword is None:
            raise Http404
        return Response(_export(request).keyword(keyword))


class LinkedPlaceDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = linked_events.LinkedPlaceSerializer

    @extend_schema(
        summary="A place as Linked Events",
        description='The venue of a public event ("kotoverkko:place-<pk>") or the Internet '
        '("kotoverkko:internet").',
    )
    def get(self, request: Request, id: str) -> Response:
        export = _export(request)
        if id == linked_events.INTERNET:
            return Response(export.internet())
        event = linked_events.place_event_get(id=id)
        if event is None:
            raise Http404
        return Response(export.place(event))
