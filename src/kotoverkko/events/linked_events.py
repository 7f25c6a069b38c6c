"""Public events in the shape of Helsinki's Linked Events API v1: schema.org types, fi/sv/en
objects, YSO keyword ids, `{"meta": …, "data": […]}` pages, so that calendars and aggregators
written for Linked Events can read Kotoverkko's events.

Ids are "kotoverkko:<pk>" for events. A series has no Event row of its own, so, as in Linked
Events, it appears as a "recurring" super event with the id "kotoverkko:series-<pk>" whose
sub-events are its occurrences; a main event with sub-events (the Integration 2024 day and its
Friday info sessions) is an "umbrella". Places are the venue of one event
("kotoverkko:place-<pk>") or the Internet ("kotoverkko:internet"). Audiences with a YSO concept
point at the keyword in Helsinki's API, as Linked Events does; event types and audiences without
one are keywords of ours ("kotoverkko:type-<type>", "kotoverkko:<audience code>").
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.html import linebreaks
from django.utils.text import Truncator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import selectors
from .models import Audience, Event, EventSeries

CONTEXT = "http://schema.org"
DATA_SOURCE = "kotoverkko"
# Shared vocabularies (YSO concepts, languages) are named by their Linked Events addresses.
HELSINKI_API = "https://api.hel.fi/linkedevents/v1/"
INTERNET = f"{DATA_SOURCE}:internet"
INCLUDABLE = frozenset({"location", "keywords", "audience"})
SHORT_DESCRIPTION_LENGTH = 160

EVENT_STATUS = {
    Event.Status.SCHEDULED: "EventScheduled",
    Event.Status.POSTPONED: "EventPostponed",
    Event.Status.RESCHEDULED: "EventRescheduled",
    Event.Status.CANCELLED: "EventCancelled",
}

_EVENT_ID = re.compile(rf"{DATA_SOURCE}:(?:(?P<series>series-)?(?P<pk>[1-9][0-9]{{0,17}}))")
_PLACE_ID = re.compile(rf"{DATA_SOURCE}:place-(?P<pk>[1-9][0-9]{{0,17}})")
_TYPE_KEYWORD = f"{DATA_SOURCE}:type-"
_AUDIENCE_KEYWORD = re.compile(rf"{DATA_SOURCE}:(?P<code>[-a-zA-Z0-9_]{{1,60}})")


def _languages() -> tuple[str, ...]:
    return tuple(settings.MODELTRANSLATION_LANGUAGES)


def texts(obj, name: str) -> dict[str, str] | None:
    """A translated field as Linked Events writes it: empty languages left out, and null when
    there is no text in any language."""
    if obj is None:
        return None
    values = {code: getattr(obj, f"{name}_{code}", "") or "" for code in _languages()}
    return {code: value for code, value in values.items() if value.strip()} or None


def _utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Reading ------------------------------------------------------------------------------------


def _with_related(qs: QuerySet) -> QuerySet:
    public_sub_events = Event.objects.filter(visibility=Event.Visibility.PUBLIC).only(
        "pk", "parent", "series", "starts_at"
    )
    return qs.select_related("network", "organiser", "parent", "municipality").prefetch_related(
        "audiences",
        Prefetch(
            "sub_events",
            queryset=public_sub_events.order_by("starts_at", "pk"),
            to_attr="public_sub_events",
        ),
    )


def public_events(*, starts_from: date | None = None, starts_before: date | None = None):
    """Public events, as on the calendar: upcoming ones unless a first date is given."""
    filters = selectors.EventFilters(starts_from=starts_from, starts_before=starts_before)
    return _with_related(selectors.event_list(filters=filters, user=None))


def _public() -> QuerySet:
    return Event.objects.filter(visibility=Event.Visibility.PUBLIC)


def parse_event_id(value: str) -> tuple[str, int] | None:
    """("event", pk) or ("series", pk) for an id of ours, None for anything else."""
    match = _EVENT_ID.fullmatch(value)
    if match is None:
        return None
    return ("series" if match["series"] else "event"), int(match["pk"])


def public_event_get(*, pk: int) -> Event:
    """A public event; raises Event.DoesNotExist."""
    return _with_related(_public()).get(pk=pk)


def public_series_get(*, pk: int) -> tuple[EventSeries, list[Event]]:
    """A series and its public occurrences; raises EventSeries.DoesNotExist when it has
    none, so that a series of members-only meetings stays unknown."""
    occurrences = list(
        _with_related(_public().filter(series_id=pk).select_related("series")).order_by(
            "starts_at", "pk"
        )
    )
    if not occurrences:
        raise EventSeries.DoesNotExist
    return occurrences[0].series, occurrences


@dataclass(frozen=True)
class Keyword:
    id: str
    name: dict[str, str] | None

    @property
    def is_yso(self) -> bool:
        return self.id.startswith("yso:")


def audience_keyword(audience: Audience) -> Keyword:
    """The YSO concept of the audience where one is known, else a keyword of ours."""
    yso = audience.yso_id.strip()
    if yso:
        return Keyword(yso if yso.startswith("yso:") else f"yso:{yso}", texts(audience, "name"))
    return Keyword(f"{DATA_SOURCE}:{audience.code}", texts(audience, "name"))


def type_keyword(event_type: str) -> Keyword:
    label = Event.Type(event_type).label
    names = {}
    for code in _languages():
        with translation.override(code):
            names[code] = str(label)
    return Keyword(f"{_TYPE_KEYWORD}{event_type}", names)


def keyword_get(*, id: str) -> Keyword | None:
    """One of our keywords: an event type or an audience."""
    if id.startswith(_TYPE_KEYWORD):
        event_type = id.removeprefix(_TYPE_KEYWORD)
        return type_keyword(event_type) if event_type in Event.Type.values else None
    match = _AUDIENCE_KEYWORD.fullmatch(id)
    if match is None:
        return None
    audience = Audience.objects.filter(code=match["code"]).first()
    if audience is None:
        return None
    return Keyword(f"{DATA_SOURCE}:{audience.code}", texts(audience, "name"))


def place_event_get(*, id: str) -> Event | None:
    """The public in-person event whose venue the place id names."""
    match = _PLACE_ID.fullmatch(id)
    if match is None:
        return None
    return (
        _public()
        .filter(pk=int(match["pk"]), format__in=[Event.Format.IN_PERSON, Event.Format.HYBRID])
        .select_related("municipality")
        .first()
    )


# Writing ------------------------------------------------------------------------------------


def event_id(event: Event) -> str:
    return f"{DATA_SOURCE}:{event.pk}"


def series_id(pk: int) -> str:
    return f"{DATA_SOURCE}:series-{pk}"


def place_id(event: Event) -> str:
    return f"{DATA_SOURCE}:place-{event.pk}"


@dataclass(frozen=True)
class Export:
    """Turns events into Linked Events objects; `absolute` makes a path a full address."""

    absolute: Callable[[str], str]
    include: frozenset[str] = field(default_factory=frozenset)

    # Addresses

    def event_url(self, id: str) -> str:
        return self.absolute(reverse("api-linked-event-detail", kwargs={"id": id}))

    def place_url(self, id: str) -> str:
        return self.absolute(reverse("api-linked-place-detail", kwargs={"id": id}))

    def keyword_url(self, keyword: Keyword) -> str:
        if keyword.is_yso:
            return f"{HELSINKI_API}keyword/{keyword.id}/"
        return self.absolute(reverse("api-linked-keyword-detail", kwargs={"id": keyword.id}))

    def _ref(self, url: str) -> dict[str, str]:
        return {"@id": url}

    def _info_url(self, event: Event) -> dict[str, str]:
        urls = {}
        for code in _languages():
            with translation.override(code):
                urls[code] = self.absolute(event.get_absolute_url())
        return urls

    # Objects

    def event(self, event: Event) -> dict:
        sub_events = self._sub_event_refs(getattr(event, "public_sub_events", []))
        if event.series_id:
            super_event = self._ref(self.event_url(series_id(event.series_id)))
        else:
            super_event = self._parent_ref(event)
        link_shown = selectors.link_visible(event=event)
        return {
            "id": event_id(event),
            "@id": self.event_url(event_id(event)),
            "@context": CONTEXT,
            "@type": "Event",
            "data_source": DATA_SOURCE,
            "publisher": f"{DATA_SOURCE}:{event.network.slug}",
            "provider": texts(event.organiser, "name") or texts(event.network, "name"),
            "name": texts(event, "title"),
            "short_description": _short_description(event),
            "description": _description(event),
            "info_url": self._info_url(event),
            "start_time": _utc(event.starts_at),
            "end_time": _utc(event.ends_at),
            "event_status": EVENT_STATUS[event.status],
            "type_id": "General",
            "event_type": "General",
            "super_event": super_event,
            "super_event_type": "umbrella" if sub_events else None,
            "sub_events": sub_events,
            "location": self._location(event),
            "is_virtualevent": event.is_online,
            "virtualevent_url": event.online_link if link_shown else None,
            "keywords": [self._keyword(type_keyword(event.type), "keywords")],
            "audience": [
                self._keyword(audience_keyword(audience), "audience")
                for audience in event.audiences.all()
            ],
            "in_language": [
                self._ref(f"{HELSINKI_API}language/{code}/") for code in event.languages or []
            ],
            "offers": [{"is_free": True, "price": None, "info_url": None, "description": None}],
            "external_links": [],
            "images": [],
            "created_time": _utc(event.created_at),
            "last_modified_time": _utc(event.updated_at),
            # Kotoverkko does not record when an event was made public.
            "date_published": None,
        }

    def series(self, series: EventSeries, occurrences: list[Event]) -> dict:
        """The "recurring" super event of a series: its texts and place are those of its
        first public occurrence, its time spans all of them."""
        data = self.event(occurrences[0])
        everything_cancelled = all(event.is_cancelled for event in occurrences)
        data.update(
            {
                "id": series_id(series.pk),
                "@id": self.event_url(series_id(series.pk)),
                "start_time": _utc(occurrences[0].starts_at),
                "end_time": _utc(max(event.ends_at for event in occurrences)),
                "event_status": EVENT_STATUS[
                    Event.Status.CANCELLED if everything_cancelled else Event.Status.SCHEDULED
                ],
                "super_event": self._parent_ref(occurrences[0]),
                "super_event_type": "recurring",
                "sub_events": [self._ref(self.event_url(event_id(e))) for e in occurrences],
                "virtualevent_url": None,
                "created_time": _utc(series.created_at),
                "last_modified_time": _utc(max(event.updated_at for event in occurrences)),
            }
        )
        return data

    def place(self, event: Event) -> dict:
        languages = [code for code in (event.languages or []) if code in _languages()] or [
            settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        ]

        def same_in_every_language(value: str) -> dict[str, str] | None:
            value = value.strip()
            return dict.fromkeys(languages, value) if value else None

        return {
            "id": place_id(event),
            "@id": self.place_url(place_id(event)),
            "@context": CONTEXT,
            "@type": "Place",
            "data_source": DATA_SOURCE,
            "name": same_in_every_language(event.venue_name or event.street_address),
            "street_address": same_in_every_language(event.street_address),
            "postal_code": event.postal_code or None,
            "address_locality": texts(event.municipality, "name"),
            "description": texts(event, "accessibility"),
        }

    def internet(self) -> dict:
        return {
            "id": INTERNET,
            "@id": self.place_url(INTERNET),
            "@context": CONTEXT,
            "@type": "Place",
            "data_source": DATA_SOURCE,
            "name": dict.fromkeys(_languages(), "Internet"),
            "street_address": None,
            "postal_code": None,
            "address_locality": None,
            "description": None,
        }

    def keyword(self, keyword: Keyword) -> dict:
        return {
            "id": keyword.id,
            "@id": self.keyword_url(keyword),
            "@context": CONTEXT,
            "@type": "Keyword",
            "data_source": "yso" if keyword.is_yso else DATA_SOURCE,
            "name": keyword.name,
            "aggregate": False,
            "deprecated": False,
            "alt_labels": [],
            "replaced_by": None,
        }

    # Parts

    def _keyword(self, keyword: Keyword, part: str) -> dict:
        if part in self.include:
            return self.keyword(keyword)
        return self._ref(self.keyword_url(keyword))

    def _location(self, event: Event) -> dict | None:
        if event.is_in_person and (event.venue_name or event.street_address):
            if "location" in self.include:
                return self.place(event)
            return self._ref(self.place_url(place_id(event)))
        if not event.is_online:
            return None
        if "location" in self.include:
            return self.internet()
        return self._ref(self.place_url(INTERNET))

    def _parent_ref(self, event: Event) -> dict[str, str] | None:
        parent = event.parent if event.parent_id else None
        if parent is None or not parent.is_public:
            return None
        return self._ref(self.event_url(event_id(parent)))

    def _sub_event_refs(self, sub_events: Iterable[Event]) -> list[dict[str, str]]:
        """A main event's sub-events; occurrences of a series are listed once, as their
        recurring super event."""
        refs: list[dict[str, str]] = []
        seen: set[str] = set()
        for sub in sub_events:
            id = series_id(sub.series_id) if sub.series_id else event_id(sub)
            if id not in seen:
                seen.add(id)
                refs.append(self._ref(self.event_url(id)))
        return refs


def _short_description(event: Event) -> dict[str, str] | None:
    """The theme, or else the start of the description, at most 160 characters as Linked
    Events requires."""
    source = texts(event, "theme") or texts(event, "description") or {}
    short = {
        code: Truncator(" ".join(value.split())).chars(SHORT_DESCRIPTION_LENGTH)
        for code, value in source.items()
    }
    return short or None


def _description(event: Event) -> dict[str, str] | None:
    """Linked Events descriptions are HTML: paragraphs of the escaped plain text."""
    values = texts(event, "description")
    if values is None:
        return None
    return {code: linebreaks(value, autoescape=True) for code, value in values.items()}


def parse_include(value: str) -> frozenset[str]:
    """Which related objects to embed; Linked Events ignores names it does not know."""
    return frozenset(part.strip() for part in value.split(",")) & INCLUDABLE


# The documented shape (OpenAPI) -------------------------------------------------------------


class _JsonLdSerializer(serializers.Serializer):
    """Documents a JSON-LD object, whose "@id", "@context" and "@type" are not Python names."""

    json_ld_type = ""

    def get_fields(self):
        fields = {"@id": serializers.URLField()}
        if self.json_ld_type:
            fields["@context"] = serializers.CharField(help_text=CONTEXT, required=False)
            fields["@type"] = serializers.CharField(help_text=self.json_ld_type, required=False)
        return {**fields, **super().get_fields()}


class LinkedTextSerializer(serializers.Serializer):
    """Text per language; languages without text are left out."""

    fi = serializers.CharField(required=False)
    sv = serializers.CharField(required=False)
    en = serializers.CharField(required=False)


class LinkedReferenceSerializer(_JsonLdSerializer):
    """A link to another object: {"@id": address}."""


class LinkedPlaceSerializer(_JsonLdSerializer):
    """A place; only "@id" unless `include=location` was asked for."""

    json_ld_type = "Place"

    id = serializers.CharField(
        required=False, help_text='"kotoverkko:place-<pk>" or "kotoverkko:internet"'
    )
    data_source = serializers.CharField(required=False)
    name = LinkedTextSerializer(allow_null=True, required=False)
    street_address = LinkedTextSerializer(allow_null=True, required=False)
    postal_code = serializers.CharField(allow_null=True, required=False)
    address_locality = LinkedTextSerializer(allow_null=True, required=False)
    description = LinkedTextSerializer(allow_null=True, required=False)


class LinkedKeywordSerializer(_JsonLdSerializer):
    """A keyword (YSO or ours); only "@id" unless `include=keywords` or `include=audience`."""

    json_ld_type = "Keyword"

    id = serializers.CharField(required=False)
    data_source = serializers.CharField(required=False)
    name = LinkedTextSerializer(allow_null=True, required=False)
    aggregate = serializers.BooleanField(required=False)
    deprecated = serializers.BooleanField(required=False)
    alt_labels = serializers.ListField(child=serializers.CharField(), required=False)
    replaced_by = serializers.CharField(allow_null=True, required=False)


class LinkedOfferSerializer(serializers.Serializer):
    is_free = serializers.BooleanField()
    price = LinkedTextSerializer(allow_null=True)
    info_url = LinkedTextSerializer(allow_null=True)
    description = LinkedTextSerializer(allow_null=True)


@extend_schema_field(
    {"type": "string", "enum": list(EVENT_STATUS.values())}, component_name="LinkedEventStatusEnum"
)
class _EventStatusField(serializers.ChoiceField):
    """schema.org's EventStatusType values, named apart from Kotoverkko's own statuses."""

    def __init__(self, **kwargs):
        super().__init__(choices=list(EVENT_STATUS.values()), **kwargs)


class LinkedEventSerializer(_JsonLdSerializer):
    """A public event (or the recurring super event of a series) as a Linked Events v1
    `event` object."""

    json_ld_type = "Event"

    id = serializers.CharField(help_text='"kotoverkko:<pk>" or "kotoverkko:series-<pk>"')
    data_source = serializers.CharField()
    publisher = serializers.CharField(help_text='"kotoverkko:<network slug>"')
    provider = LinkedTextSerializer(allow_null=True)
    name = LinkedTextSerializer(allow_null=True)
    short_description = LinkedTextSerializer(allow_null=True)
    description = LinkedTextSerializer(allow_null=True, help_text="HTML")
    info_url = LinkedTextSerializer(allow_null=True)
    start_time = serializers.DateTimeField()
    end_time = serializers.DateTimeField()
    event_status = _EventStatusField()
    type_id = serializers.CharField(help_text="General")
    event_type = serializers.CharField(help_text="General")
    super_event = LinkedReferenceSerializer(allow_null=True)
    super_event_type = serializers.ChoiceField(choices=["recurring", "umbrella"], allow_null=True)
    sub_events = LinkedReferenceSerializer(many=True)
    location = LinkedPlaceSerializer(allow_null=True)
    is_virtualevent = serializers.BooleanField()
    virtualevent_url = serializers.URLField(allow_null=True)
    keywords = LinkedKeywordSerializer(many=True)
    audience = LinkedKeywordSerializer(many=True)
    in_language = LinkedReferenceSerializer(many=True)
    offers = LinkedOfferSerializer(many=True)
    external_links = serializers.ListField(child=serializers.DictField())
    images = serializers.ListField(child=serializers.DictField())
    created_time = serializers.DateTimeField()
    last_modified_time = serializers.DateTimeField()
    date_published = serializers.DateTimeField(allow_null=True)
