"""The events API: who sees which events, planning through the API, one's own registrations,
series and agendas, the Linked Events export, and the OpenAPI document."""

import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from kotoverkko.events import services
from kotoverkko.events.models import (
    AgendaItem,
    Audience,
    ChecklistItem,
    Event,
    Registration,
    Speaker,
)
from kotoverkko.events.recurrence import Recurrence
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.network.models import Network
from tests.api.conftest import queries_for, token_client
from tests.api.test_schema import _as_json_schema
from tests.events.factories import (
    HELSINKI,
    AgendaItemFactory,
    EventFactory,
    OnlineEventFactory,
    RegistrationFactory,
)
from tests.factories import (
    NetworkFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
    coordinator_of,
    member_of,
    municipality,
)

pytestmark = pytest.mark.django_db

EVENT_PATHS = [
    "/api/v1/events/",
    "/api/v1/events/{id}/",
    "/api/v1/events/{id}/cancel/",
    "/api/v1/events/{id}/agenda/",
    "/api/v1/events/{id}/registrations/",
    "/api/v1/events/series/{id}/",
    "/api/v1/registrations/",
    "/api/v1/registrations/{id}/",
    "/api/v1/linked-events/event/",
    "/api/v1/linked-events/event/{id}/",
    "/api/v1/linked-events/keyword/{id}/",
    "/api/v1/linked-events/place/{id}/",
]


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when the collected static files are missing."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def nets():
    """Lapland's MAKO with a regional network and a team, and Ostrobothnia's POMAKO."""
    mako = NetworkFactory(slug="mako", name_fi="MAKO-verkosto", languages=["fi", "sv"])
    mako.municipalities.set([municipality("698")])
    meri_lappi = NetworkFactory(slug="meri-lappi", parent=mako, name_fi="Meri-Lappi")
    team = TeamFactory(slug="pakolaiset", parent=mako, name_fi="Pakolaisten vastaanotto")
    pomako = NetworkFactory(slug="pomako", name_fi="POMAKO")
    return {"mako": mako, "meri_lappi": meri_lappi, "team": team, "pomako": pomako}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _soon(**delta) -> datetime:
    return (timezone.now() + timedelta(**delta)).replace(microsecond=0)


def _audience(code: str) -> Audience:
    return Audience.objects.get(code=code)


# Listing and visibility ---------------------------------------------------------------------


def test_anonymous_visitor_lists_upcoming_public_events_with_every_language(nets):
    # given
    public = EventFactory(
        network=nets["mako"],
        title_fi="Verkostotapaaminen",
        title_sv="Nätverksmöte",
        title_en="",
        municipality=municipality("698"),
        postal_code="96100",
    )
    public.audiences.set([_audience("municipalities")])
    EventFactory(network=nets["mako"], visibility=Event.Visibility.MEMBERS)
    EventFactory(network=nets["mako"], visibility=Event.Visibility.DRAFT)
    past = EventFactory(
        network=nets["mako"],
        starts_at=_soon(days=-10),
        ends_at=_soon(days=-10, hours=2),
    )

    # when
    response = APIClient().get("/api/v1/events/")

    # then
    assert _ids(response) == [public.pk]
    row = response.json()["results"][0]
    assert row["title"] == {"fi": "Verkostotapaaminen", "sv": "Nätverksmöte", "en": None}
    assert row["ics_url"] == f"http://testserver/fi/events/{public.pk}/event.ics"
    assert row["url"] == f"http://testserver/fi/events/{public.pk}/"
    starts = datetime.fromisoformat(row["starts_at"])
    assert starts == public.starts_at
    assert starts.utcoffset() == public.starts_at.astimezone(HELSINKI).utcoffset()
    assert row["status"] == "scheduled"
    assert row["visibility"] == "public"
    assert row["place"]["venue_name"] == "Kaupungintalo"
    assert row["place"]["municipality"]["code"] == "698"
    assert row["online"] is None
    assert row["audiences"][0]["code"] == "municipalities"
    assert row["audiences"][0]["name"]["sv"] == "kommuner"
    assert row["network"] == "mako"
    assert row["costs"] is None
    assert APIClient().get(f"/api/v1/events/{past.pk}/").json()["id"] == past.pk


def test_members_see_members_only_events_of_their_networks_and_planners_their_drafts(nets):
    # given
    public = EventFactory(network=nets["pomako"])
    mako_members = EventFactory(network=nets["mako"], visibility=Event.Visibility.MEMBERS)
    pomako_members = EventFactory(network=nets["pomako"], visibility=Event.Visibility.MEMBERS)
    mako_draft = EventFactory(network=nets["mako"], visibility=Event.Visibility.DRAFT)
    member = member_of(nets["meri_lappi"])
    coordinator = coordinator_of(nets["mako"])
    other_coordinator = coordinator_of(nets["pomako"])

    # when
    as_member = set(_ids(token_client(member).get("/api/v1/events/")))
    as_coordinator = set(_ids(token_client(coordinator).get("/api/v1/events/")))
    as_other = set(_ids(token_client(other_coordinator).get("/api/v1/events/")))

    # then
    assert as_member == {public.pk, mako_members.pk}
    assert as_coordinator == {public.pk, mako_members.pk, mako_draft.pk}
    assert as_other == {public.pk, pomako_members.pk}


def test_event_detail_follows_the_same_visibility(nets):
    # given
    members_only = EventFactory(network=nets["mako"], visibility=Event.Visibility.MEMBERS)
    draft = EventFactory(network=nets["mako"], visibility=Event.Visibility.DRAFT)
    member = token_client(member_of(nets["mako"]))
    other_coordinator = token_client(coordinator_of(nets["pomako"]))
    coordinator = token_client(coordinator_of(nets["mako"]))

    # then
    assert APIClient().get(f"/api/v1/events/{members_only.pk}/").status_code == 404
    assert member.get(f"/api/v1/events/{members_only.pk}/").status_code == 200
    assert member.get(f"/api/v1/events/{draft.pk}/").status_code == 404
    assert other_coordinator.get(f"/api/v1/events/{draft.pk}/").status_code == 404
    assert coordinator.get(f"/api/v1/events/{draft.pk}/").json()["visibility"] == "draft"
    assert APIClient().get("/api/v1/events/999999/").status_code == 404
    huge = "9" * 30
    for url in [
        f"/api/v1/events/{huge}/",
        f"/api/v1/events/{huge}/agenda/",
        f"/api/v1/events/series/{huge}/",
    ]:
        assert APIClient().get(url).status_code == 404, url
    assert member.delete(f"/api/v1/registrations/{huge}/").status_code == 404
    assert member.post(f"/api/v1/events/{huge}/registrations/").status_code == 404


def test_calendar_filters_narrow_the_list(nets):
    # given
    kemi = municipality("240")
    in_team = EventFactory(
        network=nets["mako"],
        team=nets["team"],
        type=Event.Type.TEAM_MEETING,
        municipality=kemi,
        languages=["fi", "sv"],
    )
    in_team.audiences.set([_audience("ngos")])
    regional = EventFactory(network=nets["meri_lappi"], starts_at=_soon(days=60))
    hybrid = OnlineEventFactory(
        network=nets["pomako"],
        format=Event.Format.HYBRID,
        venue_name="Kaupungintalo",
        type=Event.Type.INFO_SESSION,
        starts_at=_soon(days=90),
    )
    online = OnlineEventFactory(network=nets["pomako"], starts_at=_soon(days=95))
    past = EventFactory(
        network=nets["mako"], starts_at=_soon(days=-40), ends_at=_soon(days=-40, hours=3)
    )
    client = APIClient()

    def ids(**params) -> set[int]:
        return set(_ids(client.get("/api/v1/events/", params)))

    # then
    assert ids(network="mako") == {in_team.pk, regional.pk}
    assert ids(network="meri-lappi") == {regional.pk}
    assert ids(team="pakolaiset") == {in_team.pk}
    assert ids(municipality="240") == {in_team.pk}
    assert ids(region=kemi.region.code) >= {in_team.pk}
    assert ids(type="info_session") == {hybrid.pk}
    assert ids(audience="ngos") == {in_team.pk}
    assert ids(language="sv") == {in_team.pk}
    assert ids(format="online") == {hybrid.pk, online.pk}
    assert ids(format="in_person") == {in_team.pk, regional.pk, hybrid.pk}
    assert ids(format="hybrid") == {hybrid.pk}
    assert ids(past="true") == {past.pk}
    upcoming_window = {
        "from": timezone.localdate(regional.starts_at).isoformat(),
        "to": timezone.localdate(hybrid.starts_at).isoformat(),
    }
    assert ids(**upcoming_window) == {regional.pk, hybrid.pk}
    assert ids(network="", type="") == {in_team.pk, regional.pk, hybrid.pk, online.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"network": "no-such-network"}, "network"),
        ({"team": "mako"}, "team"),
        ({"region": "99"}, "region"),
        ({"municipality": "000"}, "municipality"),
        ({"type": "party"}, "type"),
        ({"audience": "aliens"}, "audience"),
        ({"language": "de"}, "language"),
        ({"format": "carrier-pigeon"}, "format"),
        ({"past": "maybe"}, "past"),
        ({"from": "2025-02-30"}, "from"),
        ({"from": "2025-03-01", "to": "2025-02-01"}, "to"),
        ({"q": "x" * 101}, "q"),
        ({"q": "nul\x00byte"}, "q"),
        ({"network": "nul\x00byte"}, "network"),
        ({"audience": "nul\x00byte"}, "audience"),
    ],
)
def test_bad_filter_values_are_refused_with_a_message(nets, params, field):
    # when
    response = APIClient().get("/api/v1/events/", params)

    # then
    assert response.status_code == 400
    assert response.json()[field][0]


# What an event object tells ------------------------------------------------------------------


def test_participation_link_is_shown_only_once_released(nets):
    # given
    later = OnlineEventFactory(network=nets["mako"], link_audience=Event.LinkAudience.PUBLIC)
    starting = OnlineEventFactory(
        network=nets["mako"],
        starts_at=_soon(minutes=10),
        ends_at=_soon(hours=1),
        link_audience=Event.LinkAudience.PUBLIC,
    )
    for_registrants = OnlineEventFactory(
        network=nets["mako"],
        starts_at=_soon(minutes=10),
        ends_at=_soon(hours=1),
        online_link="https://teams.example.com/meet/registrants",
    )
    member = member_of(nets["mako"])
    RegistrationFactory(event=for_registrants, person=member, email=member.email)
    coordinator = coordinator_of(nets["mako"])

    def online(client, event) -> dict:
        return client.get(f"/api/v1/events/{event.pk}/").json()["online"]

    # then
    assert online(APIClient(), later) == {"platform": "Teams", "link": None}
    assert online(APIClient(), starting)["link"] == "https://teams.example.com/meet/abc123"
    assert online(APIClient(), for_registrants)["link"] is None
    assert online(token_client(member_of(nets["mako"])), for_registrants)["link"] is None
    assert online(token_client(member), for_registrants)["link"] == (
        "https://teams.example.com/meet/registrants"
    )
    assert online(token_client(coordinator), later)["link"] == (
        "https://teams.example.com/meet/abc123"
    )


def test_registration_state_counts_seats_and_waiting_list(nets):
    # given
    event = EventFactory(network=nets["mako"], capacity=2, walk_ins_welcome=True)
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITING)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    closed = EventFactory(network=nets["mako"], registration_deadline=_soon(days=-1))

    # when
    state = APIClient().get(f"/api/v1/events/{event.pk}/").json()["registration"]
    closed_state = APIClient().get(f"/api/v1/events/{closed.pk}/").json()["registration"]

    # then
    assert state == {
        "enabled": True,
        "open": True,
        "deadline": state["deadline"],
        "capacity": 2,
        "seats_taken": 2,
        "waiting": 1,
        "walk_ins_welcome": True,
    }
    assert datetime.fromisoformat(state["deadline"]) == event.starts_at
    assert closed_state["open"] is False
    assert closed_state["enabled"] is True


def test_costs_are_shown_to_the_events_planners_only(nets):
    # given
    event = EventFactory(
        network=nets["mako"], room_rent=Decimal("120.00"), coffee_cost=Decimal("45.50")
    )

    # when
    as_coordinator = token_client(coordinator_of(nets["mako"])).get(f"/api/v1/events/{event.pk}/")
    as_member = token_client(member_of(nets["mako"])).get(f"/api/v1/events/{event.pk}/")

    # then
    assert as_coordinator.json()["costs"] == {
        "room_rent": "120.00",
        "coffee": "45.50",
        "other": "0.00",
        "total": "165.50",
    }
    assert as_member.json()["costs"] is None


# Planning ------------------------------------------------------------------------------------


def _new_event(**overrides) -> dict[str, Any]:
    return {
        "network": "mako",
        "type": "network_meeting",
        "title": {"fi": "Verkostotapaaminen", "sv": "Nätverksmöte"},
        "starts_at": "2030-09-20T09:00:00",
        "ends_at": "2030-09-20T12:00:00",
        "venue_name": "Kemin kaupungintalo",
        "municipality": "240",
        "audiences": ["municipalities", "ngos"],
        "languages": ["fi", "sv"],
        **overrides,
    }


def test_coordinator_plans_an_event_through_the_api(nets):
    # given
    coordinator = coordinator_of(nets["mako"])
    host = OrganisationFactory()

    # when
    response = token_client(coordinator).post(
        "/api/v1/events/", _new_event(hosts=[host.pk]), format="json"
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    event = Event.objects.get(pk=body["id"])
    assert event.network == nets["mako"]
    assert event.title_sv == "Nätverksmöte"
    assert event.visibility == Event.Visibility.DRAFT
    assert event.starts_at == datetime(2030, 9, 20, 9, tzinfo=HELSINKI)
    assert body["starts_at"] == "2030-09-20T09:00:00+03:00"
    assert {a.code for a in event.audiences.all()} == {"municipalities", "ngos"}
    assert [h["id"] for h in body["hosts"]] == [host.pk]
    assert ChecklistItem.objects.filter(event=event).exists()
    assert body["title"] == {"fi": "Verkostotapaaminen", "sv": "Nätverksmöte", "en": None}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2030-09-20T08:00:00"}, "ends_at"),
        ({"title": {"fi": " ", "sv": ""}}, "title"),
        ({"type": "party"}, "type"),
        ({"audiences": ["aliens"]}, "audiences"),
        ({"venue_name": ""}, "venue_name"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"online_link": "http://insecure.example.com/"}, "online_link"),
        ({"title": {"fi": "Tapaaminen"}, "visibility": "public"}, "title_sv"),
        ({"team": "meri-lappi"}, "team"),
        ({"network": "no-such-network"}, "network"),
        ({"capacity": 0}, "capacity"),
        ({"room_rent": "-5"}, "room_rent"),
        ({"status": "cancelled"}, "status"),
        ({"parent": 999999}, "parent"),
        ({"municipality": "24\x000"}, "municipality"),
        ({"audiences": ["ngos\x00"]}, "audiences"),
        ({"title": {"fi": "nul\x00"}}, "title"),
    ],
)
def test_bad_event_input_is_refused_and_nothing_is_saved(nets, overrides, field):
    # given
    coordinator = coordinator_of(nets["mako"])

    # when
    response = token_client(coordinator).post(
        "/api/v1/events/", _new_event(**overrides), format="json"
    )

    # then
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Event.objects.exists()


def test_only_planners_of_the_network_create_events(nets):
    # given
    data = _new_event()

    # when
    anonymous = APIClient().post("/api/v1/events/", data, format="json")
    member = token_client(member_of(nets["mako"])).post("/api/v1/events/", data, format="json")
    other = token_client(coordinator_of(nets["pomako"])).post(
        "/api/v1/events/", data, format="json"
    )

    # then
    assert anonymous.status_code == 401
    assert member.status_code == 403
    assert other.status_code == 403
    assert not Event.objects.exists()


def test_changing_the_time_raises_the_sequence_and_tells_the_registered(nets):
    # given
    event = EventFactory(network=nets["mako"])
    registration = RegistrationFactory(event=event, email="osallistuja@example.fi")
    coordinator = token_client(coordinator_of(nets["mako"]))
    new_start = event.starts_at + timedelta(days=1)

    # when
    response = coordinator.patch(
        f"/api/v1/events/{event.pk}/",
        {
            "starts_at": new_start.isoformat(),
            "ends_at": (new_start + timedelta(hours=2)).isoformat(),
            "title": {"en": "Network meeting, moved"},
        },
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sequence"] == 1
    assert datetime.fromisoformat(body["starts_at"]) == new_start
    assert body["title"]["en"] == "Network meeting, moved"
    assert body["title"]["fi"] == event.title_fi
    assert OutboxMessage.objects.filter(to_email=registration.email).exists()


def test_planners_of_another_network_cannot_change_or_cancel(nets):
    # given
    public = EventFactory(network=nets["mako"])
    draft = EventFactory(network=nets["mako"], visibility=Event.Visibility.DRAFT)
    other = token_client(coordinator_of(nets["pomako"]))
    member = token_client(member_of(nets["mako"]))

    # when
    seen_not_planned = other.patch(f"/api/v1/events/{public.pk}/", {"capacity": 5}, format="json")
    unseen = other.patch(f"/api/v1/events/{draft.pk}/", {"capacity": 5}, format="json")
    member_cancel = member.post(f"/api/v1/events/{public.pk}/cancel/")
    anonymous = APIClient().patch(f"/api/v1/events/{public.pk}/", {"capacity": 5}, format="json")

    # then
    assert seen_not_planned.status_code == 403
    assert unseen.status_code == 404
    assert member_cancel.status_code == 403
    assert anonymous.status_code == 401
    public.refresh_from_db()
    assert public.capacity is None
    assert public.status == Event.Status.SCHEDULED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "cancelled"}, "status"),
        ({"team": "no-such-team"}, "team"),
        ({"ends_at": "2000-01-01T00:00:00"}, "ends_at"),
        ({"scope": "everything"}, "scope"),
        ({"link_shown_before": "-1 00:00:00"}, "link_shown_before"),
        ({"languages": ["de"]}, "languages"),
    ],
)
def test_bad_changes_are_refused(nets, change, field):
    # given
    event = EventFactory(network=nets["mako"])
    coordinator = token_client(coordinator_of(nets["mako"]))

    # when
    response = coordinator.patch(f"/api/v1/events/{event.pk}/", change, format="json")

    # then
    assert response.status_code == 400, response.content
    assert field in response.json()
    event.refresh_from_db()
    assert event.sequence == 0


def test_a_team_of_another_network_is_refused(nets):
    # given
    event = EventFactory(network=nets["mako"])
    TeamFactory(slug="pomakon-tiimi", parent=nets["pomako"])
    coordinator = token_client(coordinator_of(nets["mako"]))

    # when
    response = coordinator.patch(
        f"/api/v1/events/{event.pk}/", {"team": "pomakon-tiimi"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "team" in response.json()


def test_coordinator_cancels_an_event_once(nets):
    # given
    event = EventFactory(network=nets["mako"])
    RegistrationFactory(event=event, email="tuleva@example.fi")
    coordinator = token_client(coordinator_of(nets["mako"]))

    # when
    first = coordinator.post(f"/api/v1/events/{event.pk}/cancel/")
    again = coordinator.post(f"/api/v1/events/{event.pk}/cancel/")

    # then
    assert first.status_code == 200
    assert first.json()["status"] == "cancelled"
    assert first.json()["sequence"] == 1
    assert again.status_code == 400
    assert again.json()
    assert OutboxMessage.objects.filter(to_email="tuleva@example.fi").exists()


# Series and agenda ---------------------------------------------------------------------------


def _fridays(network: Network, *, actor, count: int = 3, **data) -> list[Event]:
    first = timezone.localdate() + timedelta(days=30)
    first += timedelta(days=(4 - first.weekday()) % 7)
    starts = datetime(first.year, first.month, first.day, 9, tzinfo=HELSINKI)
    values = {
        "type": Event.Type.INFO_SESSION,
        "title_fi": "Perjantain tietoisku",
        "title_sv": "Fredagsinfo",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "visibility": Event.Visibility.PUBLIC,
        "format": Event.Format.ONLINE,
        "online_platform": "Teams",
        "online_link": "https://teams.example.com/meet/fridays",
        "languages": ["fi"],
        **data,
    }
    return services.series_create(
        actor=actor,
        network=network,
        data=values,
        recurrence=Recurrence(frequency="weekly", weekdays=(4,), count=count),
    )


def test_series_gives_its_rule_and_the_occurrences_one_may_see(nets):
    # given
    coordinator = coordinator_of(nets["mako"])
    occurrences = _fridays(nets["mako"], actor=coordinator.user)
    hidden = occurrences[2]
    services.event_update(
        actor=coordinator.user, event=hidden, data={"visibility": Event.Visibility.DRAFT}
    )
    series = occurrences[0].series

    # when
    public = APIClient().get(f"/api/v1/events/series/{series.pk}/")
    planner = token_client(coordinator).get(f"/api/v1/events/series/{series.pk}/")

    # then
    assert public.status_code == 200
    body = public.json()
    assert body["rule"] == "FREQ=WEEKLY;BYDAY=FR;COUNT=3"
    assert body["start_time"] == "09:00:00"
    assert body["duration"] == "01:00:00"
    assert [row["id"] for row in body["occurrences"]] == [e.pk for e in occurrences[:2]]
    assert {row["series"] for row in body["occurrences"]} == {series.pk}
    assert len(planner.json()["occurrences"]) == 3


def test_a_series_nobody_may_see_is_not_found(nets):
    # given
    coordinator = coordinator_of(nets["mako"])
    occurrences = _fridays(nets["mako"], actor=coordinator.user, visibility="members")
    series = occurrences[0].series

    # then
    assert APIClient().get(f"/api/v1/events/series/{series.pk}/").status_code == 404
    assert APIClient().get("/api/v1/events/series/999999/").status_code == 404
    member = token_client(member_of(nets["mako"]))
    assert member.get(f"/api/v1/events/series/{series.pk}/").status_code == 200


def test_agenda_of_a_public_event_with_speakers_and_turns(nets):
    # given
    event = EventFactory(network=nets["mako"])
    talk = AgendaItemFactory(
        event=event,
        type=AgendaItem.Type.THEME_TALK,
        title_fi="Kotoutumislaki",
        title_sv="Integrationslagen",
        starts_at=event.starts_at + timedelta(minutes=30),
        duration=45,
    )
    speaker_org = OrganisationFactory(name_fi="Lapin elinvoimakeskus")
    Speaker.objects.create(item=talk, name="Leila Ali", organisation=speaker_org)
    round_ = AgendaItemFactory(
        event=event, type=AgendaItem.Type.CURRENT_AFFAIRS, starts_at=event.starts_at, duration=30
    )
    RegistrationFactory(event=event, organisation_name="Kemin kaupunki")
    RegistrationFactory(event=event, organisation_name="Punainen Risti")
    services.agenda_round_slot(actor=None, item=round_)

    # when
    response = APIClient().get(f"/api/v1/events/{event.pk}/agenda/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["event"] == event.pk
    first, second = body["items"]
    assert first["type"] == "current_affairs"
    assert [(s["label"], s["seconds"]) for s in first["slots"]] == [
        ("Kemin kaupunki", 900),
        ("Punainen Risti", 900),
    ]
    assert second["title"] == {"fi": "Kotoutumislaki", "sv": "Integrationslagen", "en": None}
    assert second["duration"] == 45
    assert second["speakers"] == [
        {"name": "Leila Ali", "organisation": "Lapin elinvoimakeskus", "person": None}
    ]
    assert datetime.fromisoformat(second["ends_at"]) == talk.ends_at


def test_agenda_of_a_members_only_event_is_for_members(nets):
    # given
    event = EventFactory(network=nets["mako"], visibility=Event.Visibility.MEMBERS)
    AgendaItemFactory(event=event)

    # then
    assert APIClient().get(f"/api/v1/events/{event.pk}/agenda/").status_code == 404
    member = token_client(member_of(nets["mako"]))
    assert len(member.get(f"/api/v1/events/{event.pk}/agenda/").json()["items"]) == 1


# Registrations -------------------------------------------------------------------------------


def test_member_registers_with_her_person_record_and_sees_her_place(nets):
    # given
    event = EventFactory(network=nets["mako"], capacity=1)
    first = member_of(nets["mako"], first_name="Aino", last_name="Korhonen")
    second = member_of(nets["mako"])

    # when
    response = token_client(first).post(
        f"/api/v1/events/{event.pk}/registrations/", {"diet": "gluteeniton"}, format="json"
    )
    waiting = token_client(second).post(f"/api/v1/events/{event.pk}/registrations/")

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["name"] == "Aino Korhonen"
    assert body["email"] == first.email
    assert body["organisation"] == first.organisation_id
    assert body["diet"] == "gluteeniton"
    assert body["event"]["id"] == event.pk
    assert waiting.status_code == 201
    assert waiting.json()["status"] == "waiting"
    registration = Registration.objects.get(pk=body["id"])
    assert registration.person == first
    assert OutboxMessage.objects.filter(to_email=first.email).exists()


def test_user_without_a_person_record_gives_her_name(nets):
    # given
    event = EventFactory(network=nets["mako"])
    client = APIClient()
    user = UserFactory(email="vieras@example.fi")
    client.force_authenticate(user)

    # when
    nameless = client.post(f"/api/v1/events/{event.pk}/registrations/", {}, format="json")
    named = client.post(
        f"/api/v1/events/{event.pk}/registrations/",
        {"name": "Vieras Käyttäjä", "organisation_name": "Kemin kaupunki"},
        format="json",
    )

    # then
    assert nameless.status_code == 400
    assert "name" in nameless.json()
    assert named.status_code == 201
    assert named.json()["email"] == "vieras@example.fi"
    assert named.json()["organisation_name"] == "Kemin kaupunki"
    assert [r["id"] for r in client.get("/api/v1/registrations/").json()["results"]] == [
        named.json()["id"]
    ]


@pytest.mark.parametrize(
    ("event_kwargs", "body", "field"),
    [
        ({"registration_deadline": "past"}, {}, "non_field_errors"),
        ({"status": Event.Status.CANCELLED}, {}, "non_field_errors"),
        ({"registration_open": False}, {}, "non_field_errors"),
        ({}, {"email": "not-an-address"}, "email"),
        ({}, {"language": "de"}, "language"),
        ({}, {"diet": "x" * 301}, "diet"),
        ({}, {"organisation": 999999}, "organisation"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_saved(nets, event_kwargs, body, field):
    # given
    if event_kwargs.get("registration_deadline") == "past":
        event_kwargs["registration_deadline"] = _soon(days=-1)
    event = EventFactory(network=nets["mako"], **event_kwargs)
    member = token_client(member_of(nets["mako"]))

    # when
    response = member.post(f"/api/v1/events/{event.pk}/registrations/", body, format="json")

    # then
    assert response.status_code == 400, response.content
    assert response.json()[field]
    assert not Registration.objects.exists()


def test_registering_twice_and_registering_unseen_events_are_refused(nets):
    # given
    event = EventFactory(network=nets["mako"])
    draft = EventFactory(network=nets["mako"], visibility=Event.Visibility.DRAFT)
    person = member_of(nets["mako"])
    member = token_client(person)
    member.post(f"/api/v1/events/{event.pk}/registrations/")

    # when
    twice = member.post(f"/api/v1/events/{event.pk}/registrations/")
    unseen = member.post(f"/api/v1/events/{draft.pk}/registrations/")
    anonymous = APIClient().post(f"/api/v1/events/{event.pk}/registrations/")

    # then
    assert twice.status_code == 400
    assert "email" in twice.json()
    assert unseen.status_code == 404
    assert anonymous.status_code == 401
    assert Registration.objects.count() == 1


def test_own_registrations_list_only_her_own_and_she_cancels_only_her_own(nets):
    # given
    event = EventFactory(network=nets["mako"], capacity=1)
    later = EventFactory(network=nets["mako"], starts_at=_soon(days=60))
    person = member_of(nets["mako"])
    mine = RegistrationFactory(event=event, person=person, email=person.email)
    by_address = RegistrationFactory(event=later, email=person.email)
    RegistrationFactory(event=later, email=person.email, status=Registration.Status.CANCELLED)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITING)
    someone_elses = RegistrationFactory(event=later)
    client = token_client(person)

    # when
    listed = client.get("/api/v1/registrations/")
    not_mine = client.delete(f"/api/v1/registrations/{someone_elses.pk}/")
    cancelled = client.delete(f"/api/v1/registrations/{mine.pk}/")
    again = client.delete(f"/api/v1/registrations/{mine.pk}/")

    # then
    assert _ids(listed) == [mine.pk, by_address.pk]
    assert listed.json()["results"][0]["event"]["title"]["fi"] == event.title_fi
    assert not_mine.status_code == 404
    assert cancelled.status_code == 204
    assert again.status_code == 404
    mine.refresh_from_db()
    waiting.refresh_from_db()
    someone_elses.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert someone_elses.status == Registration.Status.CONFIRMED
    assert APIClient().get("/api/v1/registrations/").status_code == 401


def test_planners_list_the_registrations_of_their_events(nets):
    # given
    event = EventFactory(network=nets["mako"])
    organisation = OrganisationFactory(name_fi="Kemin kaupunki")
    confirmed = RegistrationFactory(event=event, organisation=organisation, diet="vegaani")
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITING)

    # when
    as_coordinator = token_client(coordinator_of(nets["mako"])).get(
        f"/api/v1/events/{event.pk}/registrations/"
    )
    as_member = token_client(member_of(nets["mako"])).get(
        f"/api/v1/events/{event.pk}/registrations/"
    )
    as_other = token_client(coordinator_of(nets["pomako"])).get(
        f"/api/v1/events/{event.pk}/registrations/"
    )

    # then
    assert _ids(as_coordinator) == [confirmed.pk, waiting.pk]
    row = as_coordinator.json()["results"][0]
    assert row["organisation"]["name"]["fi"] == "Kemin kaupunki"
    assert row["diet"] == "vegaani"
    assert row["attendance"] == ""
    assert as_member.status_code == 403
    assert as_other.status_code == 403


# Linked Events -------------------------------------------------------------------------------

LINKED_EVENT_KEYS = {
    "id",
    "@id",
    "@context",
    "@type",
    "name",
    "description",
    "short_description",
    "info_url",
    "start_time",
    "end_time",
    "event_status",
    "super_event",
    "super_event_type",
    "sub_events",
    "location",
    "keywords",
    "audience",
    "in_language",
    "offers",
    "provider",
    "publisher",
    "event_type",
    "last_modified_time",
    "date_published",
}


def _linked(client: APIClient, url: str = "/api/v1/linked-events/event/", **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_linked_events_export_has_the_linked_events_shape(nets):
    # given
    yso = Audience.objects.create(
        code="maahanmuuttajat", name_fi="maahanmuuttajat", yso_id="yso:p6165"
    )
    event = EventFactory(
        network=nets["mako"],
        title_fi="Verkostotapaaminen",
        title_sv="Nätverksmöte",
        title_en="",
        theme_fi="Kotoutumislaki",
        description_fi="Ajankohtaiskierros & teemaesitys.\n\nTervetuloa!",
        description_sv="",
        municipality=municipality("240"),
        postal_code="94100",
        languages=["fi", "sv"],
    )
    event.audiences.set([yso, _audience("ngos")])
    EventFactory(network=nets["mako"], visibility=Event.Visibility.MEMBERS)
    EventFactory(network=nets["mako"], visibility=Event.Visibility.DRAFT)

    # when
    page = _linked(APIClient())

    # then
    assert page["meta"] == {"count": 1, "next": None, "previous": None}
    (item,) = page["data"]
    assert set(item) >= LINKED_EVENT_KEYS
    base = "http://testserver/api/v1/linked-events"
    assert item["id"] == f"kotoverkko:{event.pk}"
    assert item["@id"] == f"{base}/event/kotoverkko:{event.pk}/"
    assert item["@context"] == "http://schema.org"
    assert item["@type"] == "Event"
    assert item["name"] == {"fi": "Verkostotapaaminen", "sv": "Nätverksmöte"}
    assert item["short_description"] == {"fi": "Kotoutumislaki"}
    assert item["description"] == {
        "fi": "<p>Ajankohtaiskierros &amp; teemaesitys.</p>\n\n<p>Tervetuloa!</p>"
    }
    assert item["info_url"]["sv"] == f"http://testserver/sv/events/{event.pk}/"
    assert item["start_time"] == event.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert item["event_status"] == "EventScheduled"
    assert item["super_event"] is None
    assert item["super_event_type"] is None
    assert item["sub_events"] == []
    assert item["location"] == {"@id": f"{base}/place/kotoverkko:place-{event.pk}/"}
    assert item["keywords"] == [{"@id": f"{base}/keyword/kotoverkko:type-network_meeting/"}]
    assert item["audience"] == [
        {"@id": "https://api.hel.fi/linkedevents/v1/keyword/yso:p6165/"},
        {"@id": f"{base}/keyword/kotoverkko:ngos/"},
    ]
    assert item["in_language"] == [
        {"@id": "https://api.hel.fi/linkedevents/v1/language/fi/"},
        {"@id": "https://api.hel.fi/linkedevents/v1/language/sv/"},
    ]
    assert item["offers"][0]["is_free"] is True
    assert item["publisher"] == "kotoverkko:mako"
    assert item["provider"]["fi"] == "MAKO-verkosto"
    assert item["event_type"] == "General"
    assert item["is_virtualevent"] is False
    assert item["virtualevent_url"] is None
    assert item["date_published"] is None
    assert item["last_modified_time"].endswith("Z")


def test_linked_events_embed_the_place_and_keywords_when_asked(nets):
    # given
    event = EventFactory(
        network=nets["mako"],
        venue_name="Kulttuurikeskus",
        street_address="Marina Takalon katu 3",
        postal_code="94100",
        municipality=municipality("240"),
        accessibility_fi="Esteetön sisäänkäynti",
    )
    online = OnlineEventFactory(network=nets["mako"], starts_at=_soon(days=40))

    # when
    data = _linked(APIClient(), include="location,keywords,nonsense")["data"]

    # then
    place = data[0]["location"]
    assert place["@type"] == "Place"
    assert place["id"] == f"kotoverkko:place-{event.pk}"
    assert place["name"] == {"fi": "Kulttuurikeskus"}
    assert place["street_address"] == {"fi": "Marina Takalon katu 3"}
    assert place["postal_code"] == "94100"
    assert place["address_locality"] == {"fi": "Kemi", "sv": "Kemi", "en": "Kemi"}
    assert place["description"] == {"fi": "Esteetön sisäänkäynti"}
    keyword = data[0]["keywords"][0]
    assert keyword["id"] == "kotoverkko:type-network_meeting"
    assert keyword["name"]["en"] == "network meeting"
    assert data[1]["id"] == f"kotoverkko:{online.pk}"
    assert data[1]["location"]["id"] == "kotoverkko:internet"
    assert data[1]["is_virtualevent"] is True
    assert data[1]["virtualevent_url"] is None
    resolved = _linked(APIClient(), f"/api/v1/linked-events/place/kotoverkko:place-{event.pk}/")
    assert resolved == place
    internet = _linked(APIClient(), "/api/v1/linked-events/place/kotoverkko:internet/")
    assert internet["name"]["sv"] == "Internet"


def test_linked_events_sub_events_point_at_their_super_events(nets):
    # given: the Integration 2024 day, its Friday info-session series and one extra session
    coordinator = coordinator_of(nets["mako"])
    main = EventFactory(
        network=nets["mako"],
        type=Event.Type.SEMINAR,
        title_fi="Kotoutuminen 2024",
        starts_at=_soon(days=120),
        ends_at=_soon(days=121),
    )
    fridays = _fridays(nets["mako"], actor=coordinator.user, count=2, parent=main)
    extra = EventFactory(
        network=nets["mako"], parent=main, type=Event.Type.INFO_SESSION, starts_at=_soon(days=100)
    )
    hidden = EventFactory(network=nets["mako"], parent=main, visibility=Event.Visibility.DRAFT)
    series_id = f"kotoverkko:series-{fridays[0].series_id}"
    client = APIClient()

    def at(id: str) -> str:
        return f"http://testserver/api/v1/linked-events/event/{id}/"

    # when
    by_id = {item["id"]: item for item in _linked(client, page_size=50)["data"]}
    series = _linked(client, f"/api/v1/linked-events/event/{series_id}/")

    # then
    umbrella = by_id[f"kotoverkko:{main.pk}"]
    assert umbrella["super_event_type"] == "umbrella"
    assert umbrella["sub_events"] == [{"@id": at(series_id)}, {"@id": at(f"kotoverkko:{extra.pk}")}]
    assert at(f"kotoverkko:{hidden.pk}") not in str(umbrella)
    occurrence = by_id[f"kotoverkko:{fridays[0].pk}"]
    assert occurrence["super_event"] == {"@id": at(series_id)}
    assert occurrence["super_event_type"] is None
    assert by_id[f"kotoverkko:{extra.pk}"]["super_event"] == {"@id": at(f"kotoverkko:{main.pk}")}
    assert series["id"] == series_id
    assert series["super_event_type"] == "recurring"
    assert series["super_event"] == {"@id": at(f"kotoverkko:{main.pk}")}
    assert series["sub_events"] == [{"@id": at(f"kotoverkko:{e.pk}")} for e in fridays]
    assert series["name"] == {"fi": "Perjantain tietoisku", "sv": "Fredagsinfo"}
    assert series["start_time"] == occurrence["start_time"]
    assert series["end_time"] == by_id[f"kotoverkko:{fridays[1].pk}"]["end_time"]


def test_linked_events_detail_status_keywords_and_missing_objects(nets):
    # given
    cancelled = EventFactory(network=nets["mako"], status=Event.Status.CANCELLED)
    members_only = EventFactory(network=nets["mako"], visibility=Event.Visibility.MEMBERS)
    client = APIClient()
    base = "/api/v1/linked-events"

    # when
    detail = _linked(client, f"{base}/event/kotoverkko:{cancelled.pk}/")
    audience = _linked(client, f"{base}/keyword/kotoverkko:ngos/")
    event_type = _linked(client, f"{base}/keyword/kotoverkko:type-info_session/")

    # then
    assert detail["event_status"] == "EventCancelled"
    assert audience["@type"] == "Keyword"
    assert audience["name"]["sv"] == "organisationer och föreningar"
    assert event_type["name"]["fi"]
    for missing in [
        f"{base}/event/kotoverkko:{members_only.pk}/",
        f"{base}/event/kotoverkko:series-999/",
        f"{base}/event/helsinki:abc/",
        f"{base}/event/kotoverkko:0/",
        f"{base}/event/kotoverkko:99999999999999999999999/",
        f"{base}/keyword/kotoverkko:aliens/",
        f"{base}/keyword/kotoverkko:type-party/",
        f"{base}/keyword/yso:p6165/",
        f"{base}/keyword/kotoverkko:ngos%00/",
        f"{base}/event/kotoverkko:1%00/",
        f"{base}/place/kotoverkko:place-{members_only.pk}/",
        f"{base}/place/kotoverkko:place-x/",
    ]:
        assert client.get(missing).status_code == 404, missing


def test_linked_events_pages_and_dates(nets):
    # given
    events = [EventFactory(network=nets["mako"], starts_at=_soon(days=30 + n)) for n in range(5)]
    past = EventFactory(
        network=nets["mako"], starts_at=_soon(days=-30), ends_at=_soon(days=-30, hours=2)
    )
    client = APIClient()

    # when
    first = _linked(client, page_size=2)
    second = client.get(first["meta"]["next"]).json()
    from_past = _linked(
        client,
        start=timezone.localdate(past.starts_at).isoformat(),
        end=timezone.localdate(events[0].starts_at).isoformat(),
    )

    # then
    assert first["meta"]["count"] == 5
    assert [item["id"] for item in first["data"] + second["data"]] == [
        f"kotoverkko:{e.pk}" for e in events[:4]
    ]
    assert second["meta"]["previous"]
    assert [item["id"] for item in from_past["data"]] == [
        f"kotoverkko:{past.pk}",
        f"kotoverkko:{events[0].pk}",
    ]
    assert _linked(client, start="today")["meta"]["count"] == 5
    assert client.get("/api/v1/linked-events/event/", {"start": "eilen"}).status_code == 400
    bad_order = {"start": "2025-03-01", "end": "2025-01-01"}
    assert client.get("/api/v1/linked-events/event/", bad_order).status_code == 400
    assert client.get("/api/v1/linked-events/event/", {"page": 99}).status_code == 404


# Query counts --------------------------------------------------------------------------------


def _events_with_everything(network: Network, count: int) -> list[Event]:
    organiser = OrganisationFactory()
    hosts = OrganisationFactory.create_batch(2)
    parent = EventFactory(network=network, starts_at=_soon(days=300))
    events = []
    for n in range(count):
        event = EventFactory(
            network=network,
            organiser=organiser,
            municipality=municipality("698"),
            parent=parent,
            starts_at=_soon(days=31 + n),
        )
        event.audiences.set([_audience("ngos"), _audience("municipalities")])
        event.hosts.set(hosts)
        event.funders.set(hosts[:1])
        RegistrationFactory(event=event)
        events.append(event)
    return events


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_event_list_query_count_does_not_grow_with_events(nets, who):
    # given
    person = {
        "anonymous": lambda: None,
        "member": lambda: member_of(nets["mako"]),
        "coordinator": lambda: coordinator_of(nets["mako"]),
    }[who]()
    client = token_client(person) if person else APIClient()
    _events_with_everything(nets["mako"], 5)
    few, body = queries_for(client, "/api/v1/events/", network="mako")
    assert body["count"] == 6

    # when
    _events_with_everything(nets["mako"], 25)
    many, body = queries_for(client, "/api/v1/events/", network="mako")

    # then
    assert body["count"] == 32
    assert many == few


def test_linked_events_and_registration_lists_query_counts_do_not_grow(nets):
    # given
    coordinator = coordinator_of(nets["mako"])
    client = token_client(coordinator)
    public = APIClient()

    def add(count: int) -> None:
        for event in _events_with_everything(nets["mako"], count):
            RegistrationFactory(event=event, person=coordinator, email=coordinator.email)
        RegistrationFactory.create_batch(count, event=first, organisation=OrganisationFactory())

    def counts() -> tuple[int, int, int]:
        linked, _body = queries_for(public, "/api/v1/linked-events/event/", include="location")
        own, body = queries_for(client, "/api/v1/registrations/")
        registrations, _body = queries_for(client, f"/api/v1/events/{first.pk}/registrations/")
        return linked, own, registrations

    first = EventFactory(network=nets["mako"])
    add(5)
    few = counts()

    # when
    add(25)
    many = counts()

    # then
    assert many == few
    assert Registration.objects.filter(person=coordinator).count() == 30


# The OpenAPI document ------------------------------------------------------------------------


def test_schema_validates_without_warnings_and_documents_the_events_api(tmp_path):
    # given
    target = tmp_path / "schema.yaml"

    # when (fails with SchemaGenerationError on any warning or error)
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    # then
    document = yaml.safe_load(target.read_text())
    assert set(EVENT_PATHS) <= set(document["paths"])
    linked = document["paths"]["/api/v1/linked-events/event/"]["get"]
    assert {p["name"] for p in linked["parameters"]} >= {"page", "page_size", "start", "include"}


@pytest.fixture(scope="module")
def components() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return _as_json_schema(copy.deepcopy(document["components"]))


def _check(components: dict, name: str, body: Any) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": components}
    jsonschema.Draft202012Validator(schema).validate(body)


def test_real_answers_match_the_documented_shapes(nets, components):
    # given
    coordinator = coordinator_of(nets["mako"])
    client = token_client(coordinator)
    event = EventFactory(
        network=nets["mako"], team=nets["team"], organiser=OrganisationFactory(), capacity=10
    )
    event.audiences.set([_audience("ngos")])
    event.hosts.set([OrganisationFactory()])
    online = OnlineEventFactory(network=nets["mako"], format=Event.Format.HYBRID)
    registration = RegistrationFactory(
        event=event, person=coordinator, email=coordinator.email, organisation=OrganisationFactory()
    )
    fridays = _fridays(nets["mako"], actor=coordinator.user, count=2, parent=event)
    item = AgendaItemFactory(event=event, type=AgendaItem.Type.CURRENT_AFFAIRS)
    Speaker.objects.create(item=item, person=coordinator)
    services.agenda_round_slot(actor=None, item=item)
    series = f"kotoverkko:series-{fridays[0].series_id}"
    base = "/api/v1/linked-events"

    # when
    answers = [
        ("PaginatedEventOutputList", client.get("/api/v1/events/")),
        ("PaginatedEventOutputList", APIClient().get("/api/v1/events/")),
        ("EventOutput", client.get(f"/api/v1/events/{online.pk}/")),
        ("SeriesOutput", client.get(f"/api/v1/events/series/{fridays[0].series_id}/")),
        ("AgendaOutput", client.get(f"/api/v1/events/{event.pk}/agenda/")),
        (
            "PaginatedRegistrationOutputList",
            client.get(f"/api/v1/events/{event.pk}/registrations/"),
        ),
        ("PaginatedOwnRegistrationOutputList", own := client.get("/api/v1/registrations/")),
        ("PaginatedLinkedEventList", APIClient().get(f"{base}/event/")),
        (
            "PaginatedLinkedEventList",
            APIClient().get(f"{base}/event/", {"include": "location,keywords,audience"}),
        ),
        ("LinkedEvent", APIClient().get(f"{base}/event/{series}/")),
        ("LinkedEvent", APIClient().get(f"{base}/event/kotoverkko:{event.pk}/")),
        ("LinkedKeyword", APIClient().get(f"{base}/keyword/kotoverkko:ngos/")),
        ("LinkedPlace", APIClient().get(f"{base}/place/kotoverkko:place-{event.pk}/")),
        ("LinkedPlace", APIClient().get(f"{base}/place/kotoverkko:internet/")),
    ]
    created = client.post("/api/v1/events/", _new_event(), format="json")
    cancelled = client.post(f"/api/v1/events/{online.pk}/cancel/")
    other = EventFactory(network=nets["mako"])
    registered = client.post(f"/api/v1/events/{other.pk}/registrations/")

    # then
    for name, response in answers:
        assert response.status_code == 200, (name, response.content)
        _check(components, name, response.json())
    assert created.status_code == 201
    _check(components, "EventOutput", created.json())
    _check(components, "EventOutput", cancelled.json())
    assert registered.status_code == 201
    _check(components, "OwnRegistrationOutput", registered.json())
    assert registration.pk in {row["id"] for row in own.json()["results"]}
