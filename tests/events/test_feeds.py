"""Calendar feeds and files: what each feed holds, who sees what, filters, the personal
address and its revocation, conditional requests (ETag, Last-Modified, 304) and query counts."""

from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kotoverkko.events import services
from kotoverkko.events.models import Audience, CalendarToken, Event, Registration
from tests.events.factories import EventFactory, OnlineEventFactory, RegistrationFactory
from tests.factories import (
    NetworkFactory,
    TeamFactory,
    UserFactory,
    member_of,
    municipality,
    person_with_login,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://kotoverkko.example"


def uids(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return [str(vevent["uid"]) for vevent in calendar.walk("VEVENT")]


def network_feed_url(network, language="fi") -> str:
    return f"/{language}/networks/{network.slug}/events.ics"


def personal_feed_url(token: str, language="fi") -> str:
    return f"/{language}/events/my/{token}.ics"


# What the public feeds hold -----------------------------------------------------------------


def test_network_feed_holds_the_public_events_of_the_network_and_those_below_it(client):
    # given
    network = NetworkFactory()
    regional = NetworkFactory(parent=network)
    team = TeamFactory(parent=network)
    own = EventFactory(network=network)
    of_region = EventFactory(network=regional)
    of_team = EventFactory(network=network, team=team, type=Event.Type.TEAM_MEETING)
    EventFactory(network=NetworkFactory())  # another network's
    EventFactory(network=network, visibility=Event.Visibility.MEMBERS)
    EventFactory(network=network, visibility=Event.Visibility.DRAFT)
    # when
    response = client.get(network_feed_url(network))
    # then
    assert sorted(uids(response)) == sorted([own.uid, of_region.uid, of_team.uid])
    assert response["Cache-Control"] == "public, max-age=300"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "PUBLISH"
    assert network.name_fi in str(calendar["x-wr-calname"])


def test_regional_networks_feed_leaves_out_the_parents_events(client):
    network = NetworkFactory()
    regional = NetworkFactory(parent=network)
    EventFactory(network=network)
    own = EventFactory(network=regional)
    assert uids(client.get(network_feed_url(regional))) == [own.uid]


def test_feed_holds_upcoming_events_and_the_past_twelve_months(client):
    # given
    network = NetworkFactory()
    now = timezone.now()
    recent = EventFactory(
        network=network, starts_at=now - timedelta(days=300), ends_at=now - timedelta(days=300)
    )
    EventFactory(
        network=network, starts_at=now - timedelta(days=400), ends_at=now - timedelta(days=400)
    )
    upcoming = EventFactory(network=network)
    # when
    response = client.get(network_feed_url(network))
    # then
    assert uids(response) == [recent.uid, upcoming.uid]


def test_unknown_network_feed_is_not_found(client):
    assert client.get("/fi/networks/ei-ole/events.ics").status_code == 404


def test_members_only_and_draft_events_are_never_in_public_feeds_even_for_members():
    # given a member of the network, logged in
    network = NetworkFactory()
    member = member_of(network)
    public = EventFactory(network=network)
    EventFactory(network=network, visibility=Event.Visibility.MEMBERS)
    EventFactory(network=network, visibility=Event.Visibility.DRAFT)
    client = Client()
    client.force_login(member.user)
    # when
    responses = [
        client.get(network_feed_url(network)),
        client.get("/fi/events/calendar.ics"),
        client.get(f"/fi/events/calendar.ics?network={network.slug}"),
    ]
    # then
    for response in responses:
        assert uids(response) == [public.uid]


def test_calendar_feed_filters_by_type_format_municipality_region_audience_and_language(client):
    # given
    kemi, rovaniemi = municipality("240"), municipality("698")
    audience = Audience.objects.create(code="test-audience", name="Testiryhmä")
    training = EventFactory(type=Event.Type.TRAINING, municipality=kemi)
    online = OnlineEventFactory(languages=["sv"])
    meeting = EventFactory(municipality=rovaniemi)
    meeting.audiences.add(audience)
    # when / then
    assert uids(client.get("/fi/events/calendar.ics?type=training")) == [training.uid]
    assert uids(client.get("/fi/events/calendar.ics?format=online")) == [online.uid]
    assert uids(client.get("/fi/events/calendar.ics?municipality=240")) == [training.uid]
    region = rovaniemi.region.code
    assert training.uid in uids(client.get(f"/fi/events/calendar.ics?region={region}"))
    assert uids(client.get(f"/fi/events/calendar.ics?audience={audience.code}")) == [meeting.uid]
    assert uids(client.get("/fi/events/calendar.ics?language=sv")) == [online.uid]
    assert len(uids(client.get("/fi/events/calendar.ics"))) == 3


def test_calendar_feed_filters_by_network_and_team(client):
    network = NetworkFactory()
    team = TeamFactory(parent=network)
    of_team = EventFactory(network=network, team=team)
    of_network = EventFactory(network=network)
    EventFactory()
    assert sorted(uids(client.get(f"/fi/events/calendar.ics?network={network.slug}"))) == sorted(
        [of_team.uid, of_network.uid]
    )
    assert uids(client.get(f"/fi/events/calendar.ics?team={team.slug}")) == [of_team.uid]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("network=ei-ole", "There is no network “ei-ole”"),
        ("team=ei-ole", "There is no team “ei-ole”"),
        ("type=party", "There is no event type “party”"),
        ("audience=nobody", "There is no target group “nobody”"),
        ("municipality=999", "There is no municipality “999”"),
        ("region=XX", "There is no region “XX”"),
        ("format=carrier-pigeon", "There is no format “carrier-pigeon”"),
        ("language=xx", "There is no language “xx”"),
        ("q=%00" + "x" * 3000, "Null characters are not allowed."),
    ],
)
def test_invalid_filter_gets_400_with_a_message(client, query, message):
    # when
    response = client.get(f"/en/events/calendar.ics?{query}")
    # then
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_feed_speaks_the_language_of_its_address(client):
    event = EventFactory(title_fi="Verkostotapaaminen", title_sv="Nätverksmöte")
    response = client.get(network_feed_url(event.network, "sv"))
    vevent = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(vevent["summary"]) == "Nätverksmöte"
    assert str(vevent["url"]) == f"https://kotoverkko.example/sv/events/{event.pk}/"


def test_feeds_answer_only_get_and_head(client):
    network = NetworkFactory()
    assert client.post(network_feed_url(network)).status_code == 405
    assert client.head(network_feed_url(network)).status_code == 200


# Conditional requests -----------------------------------------------------------------------


def test_etag_gives_304_until_an_event_changes(client):
    # given
    event = EventFactory()
    url = network_feed_url(event.network)
    first = client.get(url)
    etag = first["ETag"]
    # when / then: the same copy is current
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=300"
    # when the event changes, the feed is sent again with a new ETag
    services.event_update(actor=None, event=event, data={"title_fi": "Uusi otsikko"})
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Uusi otsikko" in changed.content


def test_etag_changes_when_an_event_leaves_the_feed(client):
    # given two events, the one that stays changed last
    network = NetworkFactory()
    leaving = EventFactory(network=network)
    staying = EventFactory(network=network)
    Event.objects.filter(pk=staying.pk).update(updated_at=timezone.now() + timedelta(minutes=1))
    url = network_feed_url(network)
    etag = client.get(url)["ETag"]
    # when the other becomes members-only without its change showing (the newest change and
    # the newest event in the feed stay the same)
    Event.objects.filter(pk=leaving.pk).update(visibility=Event.Visibility.MEMBERS)
    # then
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert uids(response) == [staying.uid]


def test_renaming_the_network_changes_its_feeds_etag(client):
    # given
    event = EventFactory()
    url = network_feed_url(event.network)
    etag = client.get(url)["ETag"]
    # when
    network = event.network
    network.name_fi = "Uusi nimi"
    network.save()
    # then
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Uusi nimi" in response.content.decode()


def test_etag_differs_by_language_and_by_filter(client):
    event = EventFactory(type=Event.Type.TRAINING)
    etags = {
        client.get(network_feed_url(event.network, "fi"))["ETag"],
        client.get(network_feed_url(event.network, "sv"))["ETag"],
        client.get("/fi/events/calendar.ics")["ETag"],
        client.get("/fi/events/calendar.ics?type=training")["ETag"],
    }
    assert len(etags) == 4


def test_if_modified_since_gives_304_until_a_later_change(client):
    # given
    event = EventFactory()
    url = network_feed_url(event.network)
    last_modified = client.get(url)["Last-Modified"]
    # when / then
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    Event.objects.filter(pk=event.pk).update(
        title_fi="Muutettu", updated_at=timezone.now() + timedelta(minutes=1)
    )
    response = client.get(url, headers={"if-modified-since": last_modified})
    assert response.status_code == 200
    assert b"Muutettu" in response.content


def test_304_needs_one_query_for_the_feed_whatever_its_size(client, django_assert_num_queries):
    # given
    network = NetworkFactory()
    EventFactory.create_batch(5, network=network)
    url = network_feed_url(network)
    etag = client.get(url)["ETag"]
    # then: the network, the network tree, the fingerprint
    with django_assert_num_queries(3):
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304


# The personal feed --------------------------------------------------------------------------


def test_personal_feed_holds_ones_registrations_of_any_visibility(client):
    # given
    person = person_with_login()
    user = person.user
    network = NetworkFactory()
    confirmed = EventFactory(network=network, visibility=Event.Visibility.MEMBERS)
    waiting = EventFactory(network=network)
    left = EventFactory(network=network)
    not_mine = EventFactory(network=network)
    RegistrationFactory(event=confirmed, person=person, email=user.email)
    RegistrationFactory(event=waiting, email=user.email, status=Registration.Status.WAITING)
    RegistrationFactory(event=left, email=user.email, status=Registration.Status.CANCELLED)
    RegistrationFactory(event=not_mine)
    token = services.calendar_token_get_or_create(user=user).token
    # when
    response = client.get(personal_feed_url(token))
    # then
    assert sorted(uids(response)) == sorted([confirmed.uid, waiting.uid])
    assert response["Cache-Control"].startswith("private")
    assert response["ETag"]
    assert response["Last-Modified"]


def vevents(response) -> dict:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_personal_feed_marks_waiting_list_events_tentative_until_a_seat_is_given(client):
    # given
    user = UserFactory()
    held, waited = EventFactory(title_fi="Pidetty"), EventFactory(title_fi="Jonossa")
    RegistrationFactory(event=held, email=user.email)
    waiting = RegistrationFactory(
        event=waited, email=user.email, status=Registration.Status.WAITING
    )
    url = personal_feed_url(services.calendar_token_get_or_create(user=user).token)
    # when
    response = client.get(url)
    # then
    events = vevents(response)
    assert str(events[held.uid]["STATUS"]) == "CONFIRMED"
    assert str(events[held.uid]["SUMMARY"]) == "Pidetty"
    assert str(events[waited.uid]["STATUS"]) == "TENTATIVE"
    assert str(events[waited.uid]["SUMMARY"]) == "Jonossa (jonotuslista)"
    # when the seat is given, the calendar's copy is stale and the event confirmed
    Registration.objects.filter(pk=waiting.pk).update(status=Registration.Status.CONFIRMED)
    promoted = client.get(url, headers={"if-none-match": response["ETag"]})
    assert promoted.status_code == 200
    events = vevents(promoted)
    assert str(events[waited.uid]["STATUS"]) == "CONFIRMED"


def test_another_users_token_never_shows_your_events(client):
    # given two users, each registered to one event
    mine, theirs = EventFactory(), EventFactory()
    me, other = UserFactory(), UserFactory()
    RegistrationFactory(event=mine, email=me.email)
    RegistrationFactory(event=theirs, email=other.email)
    token = services.calendar_token_get_or_create(user=other).token
    # when
    response = client.get(personal_feed_url(token))
    # then
    assert uids(response) == [theirs.uid]


def test_unknown_token_is_not_found(client):
    assert client.get(personal_feed_url("not-a-token")).status_code == 404


def test_revoking_the_token_makes_the_old_address_404_and_the_new_one_work(client):
    # given
    user = UserFactory()
    RegistrationFactory(email=user.email)
    old = services.calendar_token_get_or_create(user=user).token
    assert client.get(personal_feed_url(old)).status_code == 200
    # when
    new = services.calendar_token_revoke(user=user).token
    # then
    assert client.get(personal_feed_url(old)).status_code == 404
    assert client.get(personal_feed_url(new)).status_code == 200


def test_personal_etag_changes_when_a_registration_is_swapped_for_another(client):
    # given registrations to the most recently changed event and to another one
    user = UserFactory()
    newest, swapped, taken = EventFactory(), EventFactory(), EventFactory()
    Event.objects.filter(pk=newest.pk).update(updated_at=timezone.now() + timedelta(minutes=1))
    RegistrationFactory(event=newest, email=user.email)
    registration = RegistrationFactory(event=swapped, email=user.email)
    token = services.calendar_token_get_or_create(user=user).token
    url = personal_feed_url(token)
    etag = client.get(url)["ETag"]
    # when one is cancelled and another made: the count and the newest change stay the same
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)
    RegistrationFactory(event=taken, email=user.email)
    # then
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert sorted(uids(response)) == sorted([newest.uid, taken.uid])


def test_personal_feed_304(client):
    user = UserFactory()
    RegistrationFactory(email=user.email)
    url = personal_feed_url(services.calendar_token_get_or_create(user=user).token)
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


# Query counts -------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    client.get(url)  # the filter menus are cached for every page; that is not the feed's cost
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feed_queries_do_not_grow_with_the_number_of_events(client):
    # given feeds of 5 events, then of 50, spread over networks and municipalities
    network = NetworkFactory()
    user = UserFactory()
    token = services.calendar_token_get_or_create(user=user).token
    urls = [
        network_feed_url(network),
        f"/fi/events/calendar.ics?network={network.slug}&type=network_meeting&language=fi",
        personal_feed_url(token),
    ]
    places = [municipality(code) for code in ("698", "240", "091")]

    def add(n: int) -> None:
        for i in range(n):
            regional = NetworkFactory(parent=network)
            factory = OnlineEventFactory if i % 2 else EventFactory
            event = factory(network=regional, municipality=places[i % 3])
            RegistrationFactory(event=event, email=user.email)

    add(5)
    small = [queries_for(client, url) for url in urls]
    # when
    add(45)
    large = [queries_for(client, url) for url in urls]
    # then
    assert large == small
    assert len(uids(client.get(urls[0]))) == 50
    assert len(uids(client.get(urls[2]))) == 50


# "Add to calendar" --------------------------------------------------------------------------


def test_event_file_is_an_attachment_with_a_safe_name(client):
    # given
    event = EventFactory(title_fi='Yhteistyöpäivä: Kemi/Tornio "2026"; osa 1')
    # when
    response = client.get(f"/fi/events/{event.pk}/event.ics")
    # then
    assert uids(response) == [event.uid]
    assert response["Content-Disposition"] == (
        'attachment; filename="yhteistyopaiva-kemitornio-2026-osa-1.ics"'
    )
    assert icalendar.Calendar.from_ical(response.content)["method"] == "PUBLISH"


def test_event_file_follows_the_events_visibility(client):
    # given
    network = NetworkFactory()
    members_only = EventFactory(network=network, visibility=Event.Visibility.MEMBERS)
    draft = EventFactory(network=network, visibility=Event.Visibility.DRAFT)
    member = member_of(network)
    # when / then
    assert client.get(f"/fi/events/{members_only.pk}/event.ics").status_code == 404
    assert client.get(f"/fi/events/{draft.pk}/event.ics").status_code == 404
    client.force_login(member.user)
    response = client.get(f"/fi/events/{members_only.pk}/event.ics")
    assert uids(response) == [members_only.uid]
    assert response["Cache-Control"].startswith("private")
    assert client.get(f"/fi/events/{draft.pk}/event.ics").status_code == 404
    assert client.get("/fi/events/999999/event.ics").status_code == 404


# The page of one's feed address -------------------------------------------------------------


def test_my_calendar_needs_login(client):
    response = client.get("/fi/my/calendar/")
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_my_calendar_shows_the_absolute_feed_address(client, language):
    # given
    user = UserFactory()
    client.force_login(user)
    # when
    response = client.get(f"/{language}/my/calendar/")
    # then
    token = CalendarToken.objects.get(user=user).token
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="https://kotoverkko.example/{language}/events/my/{token}.ics"' in body
    assert f'href="webcal://kotoverkko.example/{language}/events/my/{token}.ics"' in body
    assert '<label for="feed-url">' in body
    assert f'<html lang="{language}">' in body


def test_new_address_replaces_the_old_one_and_needs_a_csrf_token():
    # given
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/en/my/calendar/")
    old = CalendarToken.objects.get(user=user).token
    # when posted without the CSRF token, nothing changes
    assert client.post("/en/my/calendar/").status_code == 403
    assert CalendarToken.objects.get(user=user).token == old
    # when posted from the page
    csrf = client.cookies["csrftoken"].value
    response = client.post("/en/my/calendar/", {"csrfmiddlewaretoken": csrf}, follow=True)
    # then
    new = CalendarToken.objects.get(user=user).token
    assert new != old
    body = response.content.decode()
    assert f"/en/events/my/{new}.ics" in body
    assert "The old address no longer works." in body
    assert client.get(personal_feed_url(old)).status_code == 404
