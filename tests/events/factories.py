"""factory_boy factories for events."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from kotoverkko.events.models import AgendaItem, Event, Registration
from tests.factories import NetworkFactory

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An aware Helsinki wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


class EventFactory(DjangoModelFactory):
    """A public in-person network meeting a month from now (relative to the real clock)."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    type = Event.Type.NETWORK_MEETING
    title_fi = factory.Sequence(lambda n: f"Verkostotapaaminen {n}")
    title_sv = factory.Sequence(lambda n: f"Nätverksmöte {n}")
    title_en = factory.Sequence(lambda n: f"Network meeting {n}")
    description_fi = "Ajankohtaiskierros ja teemaesitys."
    starts_at = factory.LazyFunction(
        lambda: (datetime.now(HELSINKI) + timedelta(days=30)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    visibility = Event.Visibility.PUBLIC
    format = Event.Format.IN_PERSON
    venue_name = "Kaupungintalo"
    street_address = "Hallituskatu 7"
    languages = factory.LazyFunction(lambda: ["fi"])

    @factory.post_generation
    def checklist(obj, create, extracted, **kwargs):
        """The planning checklist of its type, as `services.event_create` makes it."""
        if create and extracted is not False:
            from kotoverkko.events.services import _checklist_create

            _checklist_create(obj)


class OnlineEventFactory(EventFactory):
    format = Event.Format.ONLINE
    venue_name = ""
    street_address = ""
    online_platform = "Teams"
    online_link = "https://teams.example.com/meet/abc123"


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Osallistuja {n}")
    email = factory.Sequence(lambda n: f"osallistuja{n}@example.fi")
    organisation_name = factory.Sequence(lambda n: f"Organisaatio {n}")
    status = Registration.Status.CONFIRMED


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    duration = 30
    type = AgendaItem.Type.OTHER
    title_fi = factory.Sequence(lambda n: f"Asia {n}")
