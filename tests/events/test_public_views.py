"""The public calendar, event pages, registration and its cancellation: languages, filters,
visibility, link release, JSON-LD, bad input and query counts."""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kotoverkko.events import services
from kotoverkko.events.models import (
    AgendaSlot,
    Audience,
    Event,
    EventSeries,
    Minutes,
    Registration,
    Speaker,
)
from kotoverkko.library.models import Document
from kotoverkko.mailing.models import OutboxMessage
from tests.events.factories import (
    AgendaItemFactory,
    EventFactory,
    OnlineEventFactory,
    RegistrationFactory,
    helsinki,
)
from tests.factories import (
    NetworkFactory,
    OrganisationFactory,
    TeamFactory,
    coordinator_of,
    member_of,
    municipality,
    person_with_login,
)

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode()


def calendar_titles(response) -> set[str]:
    """The titles linked from the rows of the calendar's table."""
    table = page_text(response).split('<table class="event-list">', 1)[1].split("</table>")[0]
    return set(re.findall(r'<a href="/\w\w/events/\d+/">([^<]+)</a>', table))


def grid_titles(response) -> list[str]:
    """The titles linked from the days of the month grid, once for each day shown."""
    grid = page_text(response).split('<table class="month-grid">', 1)[1].split("</table>")[0]
    links = re.findall(r'<a href="/\w\w/events/\d+/">(.*?)</a>', grid)
    return [re.sub(r"^(\d+[:.]\d\d |<span[^>]*>[^<]*</span> )", "", link) for link in links]


def json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', page_text(response), re.S
    )
    assert match, "the page has no JSON-LD"
    return json.loads(match.group(1))


def freeze(monkeypatch, moment) -> None:
    """Every timezone.now() of the code under test answers `moment`."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


# Languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fi", "Kotoutumisen yhteistyöpäivä"),
        ("sv", "Integrationens samarbetsdag"),
        ("en", "Integration cooperation day"),
    ],
)
def test_list_month_and_event_page_speak_the_readers_language(client, language, title):
    # given
    start = timezone.localtime() + timedelta(days=3)
    event = EventFactory(
        title_fi="Kotoutumisen yhteistyöpäivä",
        title_sv="Integrationens samarbetsdag",
        title_en="Integration cooperation day",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )

    # when
    pages = [
        client.get(f"/{language}/events/"),
        client.get(f"/{language}/events/{start.year}/{start.month}/"),
        client.get(f"/{language}/events/{event.pk}/"),
    ]

    # then
    for response in pages:
        assert response.status_code == 200
        assert f'<html lang="{language}">' in page_text(response)
        assert title in page_text(response)
    assert calendar_titles(pages[0]) == {title}
    assert json_ld(pages[2])["name"] == title


def test_title_falls_back_to_finnish_when_a_translation_is_missing(client):
    # given
    EventFactory(title_fi="Vain suomeksi", title_sv="", title_en="")

    # when
    response = client.get("/en/events/")

    # then
    assert calendar_titles(response) == {"Vain suomeksi"}


def test_list_row_shows_time_in_helsinki_place_type_format_and_registration(client):
    # given: 7:00 UTC on a summer day is 10:00 in Helsinki
    start = timezone.localtime() + timedelta(days=10)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    EventFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        type=Event.Type.TRAINING,
        venue_name="Lappia-talo",
        municipality=municipality("698"),
    )

    # when
    body = page_text(client.get("/en/events/"))

    # then
    assert f"{start.day} " in body
    assert "10:00–12:00" in body
    assert "Lappia-talo, Rovaniemi" in body
    assert "Training" in body
    assert "In person" in body
    assert "Registration open" in body


# Filters ------------------------------------------------------------------------------------


def _filter_case(name: str):
    """(query, title expected, title not expected) for one filter."""
    if name == "network":
        mine, other = NetworkFactory(slug="mako"), NetworkFactory()
        team = TeamFactory(parent=mine)
        EventFactory(network=mine, title_en="Wanted")
        EventFactory(network=mine, team=team, title_en="Wanted too")
        EventFactory(network=other, title_en="Other")
        return "network=mako", {"Wanted", "Wanted too"}
    if name == "team":
        team = TeamFactory(slug="vastaanotto")
        EventFactory(network=team.parent, team=team, title_en="Wanted")
        EventFactory(network=team.parent, title_en="Other")
        return "team=vastaanotto", {"Wanted"}
    if name == "region":
        rovaniemi = municipality("698")
        EventFactory(municipality=rovaniemi, title_en="Wanted")
        EventFactory(municipality=municipality("091"), title_en="Other")
        return f"region={rovaniemi.region.code}", {"Wanted"}
    if name == "municipality":
        EventFactory(municipality=municipality("698"), title_en="Wanted")
        EventFactory(municipality=municipality("091"), title_en="Other")
        return "municipality=698", {"Wanted"}
    if name == "type":
        EventFactory(type=Event.Type.TRAINING, title_en="Wanted")
        EventFactory(title_en="Other")
        return "type=training", {"Wanted"}
    if name == "audience":
        EventFactory(title_en="Wanted").audiences.add(Audience.objects.get(code="ngos"))
        EventFactory(title_en="Other")
        return "audience=ngos", {"Wanted"}
    if name == "language":
        EventFactory(languages=["fi", "sv"], title_en="Wanted")
        EventFactory(languages=["fi"], title_en="Other")
        return "language=sv", {"Wanted"}
    if name == "format":
        OnlineEventFactory(title_en="Wanted")
        OnlineEventFactory(format=Event.Format.HYBRID, venue_name="Talo", title_en="Wanted too")
        EventFactory(title_en="Other")
        return "format=online", {"Wanted", "Wanted too"}
    if name == "q":
        EventFactory(title_en="Wanted", theme_fi="Kotoutumisen selonteko")
        EventFactory(title_en="Other")
        return "q=selonteko", {"Wanted"}
    if name == "when":
        past = helsinki(2024, 5, 10, 9)
        EventFactory(starts_at=past, ends_at=past + timedelta(hours=1), title_en="Wanted")
        EventFactory(title_en="Other")
        return "when=past", {"Wanted"}
    raise AssertionError(name)


@pytest.mark.parametrize(
    "name",
    [
        "network",
        "team",
        "region",
        "municipality",
        "type",
        "audience",
        "language",
        "format",
        "q",
        "when",
    ],
)
@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_each_filter_narrows_the_list(client, name, logged_in):
    # given
    query, wanted = _filter_case(name)
    if logged_in:
        client.force_login(person_with_login().user)

    # when
    response = client.get(f"/en/events/?{query}")

    # then
    assert response.status_code == 200
    assert calendar_titles(response) == wanted


def test_filters_are_kept_in_the_month_view(client):
    # given
    start = timezone.localtime() + timedelta(days=1)
    EventFactory(type=Event.Type.TRAINING, title_en="Wanted", starts_at=start, ends_at=start)
    EventFactory(title_en="Other", starts_at=start, ends_at=start)

    # when
    response = client.get(f"/en/events/{start.year}/{start.month}/?type=training")

    # then
    assert grid_titles(response) == ["Wanted"]
    assert "type=training" in page_text(response).split("Next month")[0]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("network=ei-ole", "There is no network “ei-ole”"),
        ("team=ei-ole", "There is no team “ei-ole”"),
        ("region=99", "There is no region “99”"),
        ("municipality=000", "There is no municipality “000”"),
        ("type=party", "There is no event type “party”"),
        ("audience=nobody", "There is no target group “nobody”"),
        ("language=de", "There is no language “de”"),
        ("format=teleport", "There is no format “teleport”"),
        ("when=someday", "Choose upcoming or past events."),
        ("q=" + "x" * 101, "at most 100 characters"),
        ("day=2026-13-01", "Give the day as 2026-11-14."),
        ("month=2026-13", "Give the month as 2026-11."),
    ],
)
def test_unknown_filter_value_gets_a_message_and_400_not_an_error(client, query, message):
    # given
    EventFactory(title_en="Still listed")

    # when
    response = client.get(f"/en/events/?{query}")
    month = client.get(f"/en/events/2026/11/?{query}")

    # then: the message, and the list without the filter that was not understood
    assert response.status_code == 400
    assert message in page_text(response)
    assert calendar_titles(response) == {"Still listed"}
    assert month.status_code == 400
    assert message in page_text(month)


def test_unknown_month_is_404(client):
    assert client.get("/en/events/2026/13/").status_code == 404
    assert client.get("/en/events/2026/0/").status_code == 404


def test_page_number_out_of_range_shows_the_first_page(client):
    # given
    EventFactory(title_en="First")

    # when
    response = client.get("/en/events/?page=abc")

    # then
    assert response.status_code == 200
    assert calendar_titles(response) == {"First"}


def test_list_is_paginated_by_twenty(client):
    # given
    start = timezone.localtime() + timedelta(days=2)
    for day in range(21):
        moment = start + timedelta(days=day)
        EventFactory(title_en=f"Event {day:02d}", starts_at=moment, ends_at=moment)

    # when
    first = client.get("/en/events/")
    second = client.get("/en/events/?page=2")

    # then
    assert len(calendar_titles(first)) == 20
    assert calendar_titles(second) == {"Event 20"}
    assert 'rel="next"' in page_text(first)
    assert 'rel="prev"' in page_text(second)
    assert 'rel="next"' not in page_text(second)


def test_past_events_newest_first_with_materials_and_minutes_marked(client):
    # given
    older = EventFactory(
        title_en="Older", starts_at=helsinki(2018, 9, 20), ends_at=helsinki(2018, 9, 21, 16)
    )
    newer = EventFactory(
        title_en="Newer", starts_at=helsinki(2019, 6, 11), ends_at=helsinki(2019, 6, 11, 15)
    )
    Document.objects.create(
        event=older,
        title="Slides",
        file=ContentFile(b"%PDF-1.4", name="slides.pdf"),
        original_name="slides.pdf",
        content_type="application/pdf",
        size=8,
    )
    Minutes.objects.create(
        event=newer, body="Muistio", status=Minutes.Status.APPROVED, published=True
    )

    # when
    body = page_text(client.get("/en/events/?when=past"))

    # then
    assert body.index("Newer") < body.index("Older")
    older_row = body.split("Older")[1].split("</tr>")[0]
    newer_row = body.split("Newer")[1].split("</tr>")[0]
    assert "materials" in older_row
    assert "minutes" not in older_row
    assert "minutes" in newer_row
    assert "materials" not in newer_row


# Month view ---------------------------------------------------------------------------------


def test_month_grid_marks_today_and_shows_a_two_day_event_on_both_days(client):
    # given
    today = timezone.localdate()
    start = helsinki(today.year, today.month, 14, 9)
    event = EventFactory(
        title_en="Cooperation days",
        type=Event.Type.COOPERATION_DAY,
        starts_at=start,
        ends_at=start + timedelta(days=1, hours=7),
    )

    # when
    body = page_text(client.get(f"/en/events/{today.year}/{today.month}/"))

    # then
    grid = body.split('<table class="month-grid">')[1].split("</table>")[0]
    assert grid.count(f'href="/en/events/{event.pk}/"') == 2
    assert grid.count('aria-current="date"') == 1
    assert '<th scope="col">' in grid
    assert '<th scope="row"' in grid
    assert "9:00 Cooperation days" in grid
    assert "continues:</span> Cooperation days" in grid
    assert 'rel="prev"' in body
    assert 'rel="next"' in body
    assert f'href="/en/events/?month={today.year:04d}-{today.month:02d}"' in body


def test_a_busy_day_shows_three_events_and_links_to_the_rest(client):
    # given
    start = helsinki(2027, 3, 5, 8)
    for hour in range(5):
        moment = start + timedelta(hours=hour)
        EventFactory(title_en=f"Session {hour}", starts_at=moment, ends_at=moment)

    # when
    month = client.get("/en/events/2027/3/?format=in_person")
    day = client.get("/en/events/?format=in_person&day=2027-03-05")

    # then
    assert grid_titles(month) == ["Session 0", "Session 1", "Session 2"]
    assert 'href="/en/events/?format=in_person&amp;day=2027-03-05">2 more</a>' in page_text(month)
    assert calendar_titles(day) == {f"Session {hour}" for hour in range(5)}


def test_a_month_of_past_events_can_be_listed(client):
    # given
    EventFactory(
        title_en="In May", starts_at=helsinki(2024, 5, 10), ends_at=helsinki(2024, 5, 10, 10)
    )
    EventFactory(
        title_en="In June", starts_at=helsinki(2024, 6, 14), ends_at=helsinki(2024, 6, 14, 10)
    )

    # when
    response = client.get("/en/events/?month=2024-05")

    # then
    assert response.status_code == 200
    assert calendar_titles(response) == {"In May"}
    assert "Events: May 2024" in page_text(response)


# Visibility ---------------------------------------------------------------------------------


def _hidden_events():
    network = NetworkFactory()
    members = EventFactory(network=network, visibility=Event.Visibility.MEMBERS, title_en="Members")
    draft = EventFactory(network=network, visibility=Event.Visibility.DRAFT, title_en="Draft")
    EventFactory(network=network, title_en="Public")
    return network, members, draft


def test_anonymous_visitor_never_sees_members_only_or_draft_events(client):
    # given
    _network, members, draft = _hidden_events()

    # when
    listing = client.get("/en/events/")

    # then
    assert calendar_titles(listing) == {"Public"}
    month = page_text(client.get(f"/en/events/{members.starts_at.year}/{members.starts_at.month}/"))
    assert "Members" not in month
    assert "Draft" not in month
    for event in (members, draft):
        assert client.get(f"/en/events/{event.pk}/").status_code == 404
        assert client.get(f"/en/events/{event.pk}/register/").status_code == 404


def test_member_sees_members_only_events_but_not_drafts(client):
    # given
    network, members, draft = _hidden_events()
    client.force_login(member_of(network).user)

    # when
    listing = client.get("/en/events/")

    # then
    assert calendar_titles(listing) == {"Public", "Members"}
    assert client.get(f"/en/events/{members.pk}/").status_code == 200
    assert client.get(f"/en/events/{draft.pk}/").status_code == 404


def test_coordinator_sees_drafts_and_may_plan_them(client):
    # given
    network, _members, draft = _hidden_events()
    client.force_login(coordinator_of(network).user)

    # when
    listing = client.get("/en/events/")
    page = client.get(f"/en/events/{draft.pk}/")

    # then
    assert calendar_titles(listing) == {"Public", "Members", "Draft"}
    assert page.status_code == 200
    assert f'href="/en/coordination/events/{draft.pk}/"' in page_text(page)


def test_visitor_gets_no_planning_link(client):
    event = EventFactory()
    assert "/coordination/events/" not in page_text(client.get(f"/en/events/{event.pk}/"))


# The participation link ---------------------------------------------------------------------


def _online_event(**kwargs) -> Event:
    start = helsinki(2026, 3, 6, 9)
    return OnlineEventFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        link_shown_before=timedelta(minutes=15),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (helsinki(2026, 3, 6, 8, 44), False),
        (helsinki(2026, 3, 6, 8, 46), True),
        (helsinki(2026, 3, 6, 9, 59), True),
        (helsinki(2026, 3, 6, 10, 1), False),
    ],
)
def test_public_link_is_shown_from_its_release_until_the_end(client, monkeypatch, moment, shown):
    # given
    event = _online_event(link_audience=Event.LinkAudience.PUBLIC)
    freeze(monkeypatch, moment)

    # when
    response = client.get(f"/en/events/{event.pk}/")

    # then
    assert (event.online_link in page_text(response)) is shown
    location = json_ld(response)["location"]
    assert location["@type"] == "VirtualLocation"
    assert ("url" in location) is shown


def test_registrants_only_link_needs_a_logged_in_registrant(client, monkeypatch):
    # given
    event = _online_event(link_audience=Event.LinkAudience.REGISTRANTS)
    registrant = person_with_login()
    RegistrationFactory(event=event, email=registrant.email, person=registrant)
    freeze(monkeypatch, helsinki(2026, 3, 6, 8, 50))

    # when
    anonymous = page_text(client.get(f"/en/events/{event.pk}/"))
    client.force_login(person_with_login().user)
    other = page_text(client.get(f"/en/events/{event.pk}/"))
    client.force_login(registrant.user)
    own = page_text(client.get(f"/en/events/{event.pk}/"))

    # then
    assert event.online_link not in anonymous
    assert event.online_link not in other
    assert event.online_link in own
    assert "You are registered." in own


# The event page -----------------------------------------------------------------------------


def test_event_page_shows_everything_a_participant_needs(client):
    # given
    network = NetworkFactory(slug="integration")
    organiser = OrganisationFactory(name_fi="Varsinais-Suomen ELY-keskus")
    funder = OrganisationFactory(name_fi="Turun kaupunki")
    main = EventFactory(
        network=network,
        title_en="Integration 2024",
        starts_at=helsinki(2027, 11, 14, 9),
        ends_at=helsinki(2027, 11, 15, 16),
        type=Event.Type.COOPERATION_DAY,
        municipality=municipality("853"),
        postal_code="20100",
        accessibility_en="Step-free entrance from the yard.",
        organiser=organiser,
        eu_cofunded=True,
        description_en="Line one <b>bold</b>\nLine two",
        languages=["fi", "sv"],
    )
    main.funders.add(funder)
    main.audiences.add(Audience.objects.get(code="municipalities"))
    session = OnlineEventFactory(
        network=network,
        parent=main,
        title_en="Integration 2024 info session",
        starts_at=helsinki(2027, 5, 10, 9),
        ends_at=helsinki(2027, 5, 10, 10),
    )
    item = AgendaItemFactory(
        event=main,
        title_en="Current affairs",
        type="current_affairs",
        duration=40,
        starts_at=helsinki(2027, 11, 14, 10),
    )
    Speaker.objects.create(item=item, name="Marina M.", organisation_name="Salon kaupunki")
    AgendaSlot.objects.create(
        item=item, label="Kelan toimisto", starts_at=item.starts_at, seconds=300
    )
    material = Document.objects.create(
        event=main,
        item=item,
        title="Round slides",
        file=ContentFile(b"x", name="a.pdf"),
        original_name="a.pdf",
        content_type="application/pdf",
        size=1,
    )

    # when
    body = page_text(client.get(f"/en/events/{main.pk}/"))

    # then
    for text in (
        "Integration 2024",
        "Sun 14 Nov 2027 9:00 – Mon 15 Nov 2027 16:00",
        "20100 Turku",
        "Step-free entrance from the yard.",
        "Varsinais-Suomen ELY-keskus",
        "Turun kaupunki",
        "co-funded by the European Union",
        "municipalities",
        "Finnish, Swedish",
        "Line one &lt;b&gt;bold&lt;/b&gt;<br>Line two",
        "Current affairs",
        "40 min",
        "Marina M., Salon kaupunki",
        "Kelan toimisto",
        "Integration 2024 info session",
        f'href="/en/library/{material.pk}/"',
        f'href="/en/events/{main.pk}/event.ics"',
        'href="/en/networks/integration/events.ics"',
    ):
        assert text in body, text
    assert "<b>bold</b>" not in body
    sub_page = page_text(client.get(f"/en/events/{session.pk}/"))
    assert f'href="/en/events/{main.pk}/"' in sub_page


def test_cancelled_event_is_clearly_marked_and_has_no_registration(client):
    # given
    event = EventFactory(status=Event.Status.CANCELLED, capacity=10)

    # when
    response = client.get(f"/en/events/{event.pk}/")

    # then
    assert "This event is cancelled." in page_text(response)
    assert f"/en/events/{event.pk}/register/" not in page_text(response)
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"


def test_minutes_are_shown_only_when_published(client):
    # given
    event = EventFactory(starts_at=helsinki(2025, 2, 6), ends_at=helsinki(2025, 2, 6, 12))
    minutes = Minutes.objects.create(event=event, body="Sovittiin seuraavasta.")

    # when
    draft = page_text(client.get(f"/en/events/{event.pk}/"))
    minutes.status, minutes.published = Minutes.Status.APPROVED, True
    minutes.save()
    published = page_text(client.get(f"/en/events/{event.pk}/"))

    # then
    assert "Sovittiin seuraavasta." not in draft
    assert "Sovittiin seuraavasta." in published


def test_event_page_lists_the_other_dates_of_its_series(client):
    # given
    network = NetworkFactory()
    series = EventSeries.objects.create(
        network=network,
        rule="FREQ=WEEKLY;BYDAY=FR",
        starts_on=(timezone.localdate() + timedelta(days=7)),
        start_time=helsinki(2026, 1, 1, 9).time(),
        duration=timedelta(hours=1),
    )
    start = timezone.localtime() + timedelta(days=7)
    dates = [
        EventFactory(
            network=network,
            series=series,
            starts_at=start + timedelta(weeks=week),
            ends_at=start + timedelta(weeks=week, hours=1),
        )
        for week in range(3)
    ]

    # when
    body = page_text(client.get(f"/en/events/{dates[0].pk}/"))

    # then
    series_part = body.split("Other dates in this series")[1]
    assert f'href="/en/events/{dates[1].pk}/"' in series_part
    assert f'href="/en/events/{dates[2].pk}/"' in series_part
    assert f'href="/en/events/{dates[0].pk}/"' not in series_part


# JSON-LD ------------------------------------------------------------------------------------


def test_json_ld_describes_the_event_in_schema_org_terms(client):
    # given: a hybrid event with a parent and a sub-event
    network = NetworkFactory(slug="mako", contact_email="mako@example.fi")
    parent = EventFactory(network=network, title_en="Main event")
    event = EventFactory(
        network=network,
        parent=parent,
        title_en="Hybrid meeting",
        format=Event.Format.HYBRID,
        online_platform="Teams",
        online_link="https://teams.example.com/meet/x",
        venue_name="Kemin kulttuurikeskus",
        street_address="Marina Takalon katu 3",
        postal_code="94100",
        municipality=municipality("240"),
        starts_at=helsinki(2027, 9, 20, 9),
        ends_at=helsinki(2027, 9, 20, 15),
        languages=["fi", "en"],
        description_en="Two days of talks.",
        status=Event.Status.POSTPONED,
    )
    child = EventFactory(network=network, parent=event, title_en="Info session")

    # when
    data = json_ld(client.get(f"/en/events/{event.pk}/"))

    # then
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Hybrid meeting"
    assert data["startDate"] == "2027-09-20T09:00:00+03:00"
    assert data["endDate"] == "2027-09-20T15:00:00+03:00"
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["@type"] == "Place"
    assert place["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "FI",
        "streetAddress": "Marina Takalon katu 3",
        "postalCode": "94100",
        "addressLocality": "Kemi",
    }
    assert virtual == {"@type": "VirtualLocation", "name": "Teams"}
    assert data["organizer"]["@type"] == "Organization"
    assert data["organizer"]["url"].endswith("/en/networks/mako/")
    assert data["description"] == "Two days of talks."
    assert data["inLanguage"] == ["fi", "en"]
    assert data["url"] == f"http://testserver/en/events/{event.pk}/"
    assert data["superEvent"]["url"] == f"http://testserver/en/events/{parent.pk}/"
    assert [sub["name"] for sub in data["subEvent"]] == [child.title_en]


def test_json_ld_cannot_break_out_of_its_script_element(client):
    # given
    event = EventFactory(title_en="</script><script>alert(1)</script> & more")

    # when
    response = client.get(f"/en/events/{event.pk}/")

    # then
    head = page_text(response).split("</head>")[0]
    assert "<script>alert(1)" not in head
    assert json_ld(response)["name"] == "</script><script>alert(1)</script> & more"


# Registration -------------------------------------------------------------------------------

FORM = {
    "name": "Noora Hakala",
    "email": "noora@example.fi",
    "organisation_name": "Kemin kaupunki",
    "diet": "vegaani",
    "accessibility_needs": "",
    "language": "sv",
}


def test_registration_confirms_a_seat_and_sends_the_confirmation(client):
    # given
    event = EventFactory(capacity=10, walk_ins_welcome=True)

    # when
    form_page = client.get(f"/en/events/{event.pk}/register/")
    response = client.post(f"/en/events/{event.pk}/register/", FORM)

    # then
    assert form_page.status_code == 200
    assert "Registration closes" in page_text(form_page)
    assert "10 seats left." in page_text(form_page)
    assert "Participation without registration is welcome." in page_text(form_page)
    assert response.status_code == 302
    assert response["Location"] == f"/en/events/{event.pk}/"
    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.name, registration.diet, registration.language) == (
        "Noora Hakala",
        "vegaani",
        "sv",
    )
    assert OutboxMessage.objects.filter(
        to_email="noora@example.fi", key=f"registration:{registration.pk}:confirmed"
    ).exists()
    followed = page_text(client.get(response["Location"]))
    assert "You are registered for" in followed
    assert "noora@example.fi" in followed


def test_language_of_messages_defaults_to_the_page_language(client):
    event = EventFactory()
    body = page_text(client.get(f"/sv/events/{event.pk}/register/"))
    assert '<option value="sv" selected>' in body


def test_registration_form_is_prefilled_for_a_logged_in_person(client):
    # given
    network = NetworkFactory()
    person = member_of(network, first_name="Aino", last_name="Korhonen")
    event = EventFactory(network=network)
    client.force_login(person.user)

    # when
    body = page_text(client.get(f"/en/events/{event.pk}/register/"))

    # then
    assert 'value="Aino Korhonen"' in body
    assert f'value="{person.email}"' in body
    assert f'<option value="{person.organisation_id}" selected>' in body


def test_full_event_puts_the_registration_on_the_waiting_list(client):
    # given
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)

    # when
    form_page = page_text(client.get(f"/en/events/{event.pk}/register/"))
    response = client.post(f"/en/events/{event.pk}/register/", FORM, follow=True)

    # then
    assert "The event is full." in form_page
    assert Registration.objects.get(email="noora@example.fi").status == Registration.Status.WAITING
    assert "waiting list" in page_text(response)


def test_registration_after_the_deadline_is_refused_and_nothing_is_saved(client):
    # given
    event = EventFactory(registration_deadline=timezone.now() - timedelta(hours=1))

    # when
    form_page = client.get(f"/en/events/{event.pk}/register/")
    response = client.post(f"/en/events/{event.pk}/register/", FORM)

    # then
    assert "Registration has closed." in page_text(form_page)
    assert '<form method="post"' not in page_text(form_page)
    assert response.status_code == 400
    assert "Registration has closed." in page_text(response)
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_registration_to_a_cancelled_event_is_refused(client):
    event = EventFactory(status=Event.Status.CANCELLED)
    response = client.post(f"/en/events/{event.pk}/register/", FORM)
    assert response.status_code == 400
    assert "The event is cancelled." in page_text(response)
    assert not Registration.objects.exists()


def test_same_address_twice_gets_a_message_and_400(client):
    # given
    event = EventFactory()
    client.post(f"/en/events/{event.pk}/register/", FORM)

    # when
    response = client.post(f"/en/events/{event.pk}/register/", {**FORM, "name": "Toinen"})

    # then
    assert response.status_code == 400
    assert "This address is already registered for the event." in page_text(response)
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"name": ""}, "This field is required."),
        ({"language": "de"}, "Select a valid choice."),
        ({"organisation": "999999"}, "Select a valid choice."),
        ({"diet": "x" * 301}, "at most 300 characters"),
        ({"website": "http://spam.example"}, "The registration could not be sent."),
    ],
)
def test_bad_registration_input_gets_a_message_and_400(client, change, message):
    event = EventFactory()
    response = client.post(f"/en/events/{event.pk}/register/", {**FORM, **change})
    assert response.status_code == 400
    assert message in page_text(response)
    assert not Registration.objects.exists()


def test_registration_errors_are_translated(client):
    event = EventFactory()
    response = client.post(f"/fi/events/{event.pk}/register/", {**FORM, "name": ""})
    assert response.status_code == 400
    assert "Tämä kenttä vaaditaan." in page_text(response)


def test_many_registrations_from_one_client_are_slowed_down(client, settings):
    # given
    settings.EVENT_REGISTRATION_LIMIT = 2
    event = EventFactory()
    url = f"/en/events/{event.pk}/register/"
    for number in range(2):
        client.post(url, {**FORM, "email": f"n{number}@example.fi"}, REMOTE_ADDR="203.0.113.5")

    # when
    response = client.post(url, {**FORM, "email": "x@example.fi"}, REMOTE_ADDR="203.0.113.5")
    other = client.post(url, {**FORM, "email": "y@example.fi"}, REMOTE_ADDR="198.51.100.7")

    # then
    assert response.status_code == 429
    assert "Too many registrations" in page_text(response)
    assert other.status_code == 302
    assert set(Registration.objects.values_list("email", flat=True)) == {
        "n0@example.fi",
        "n1@example.fi",
        "y@example.fi",
    }


def test_behind_a_trusted_proxy_each_visitor_is_counted_by_their_own_address(client, settings):
    # given: one proxy in front of the site, which every request seems to come from
    settings.EVENT_REGISTRATION_LIMIT = 1
    settings.TRUSTED_PROXIES = 1
    event = EventFactory()
    url = f"/en/events/{event.pk}/register/"

    def post(n: int, visitor: str):
        data = {**FORM, "email": f"n{n}@example.fi"}
        return client.post(url, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=visitor)

    # when
    first, second = post(1, "198.51.100.7"), post(2, "203.0.113.5")
    again = post(3, "198.51.100.7")

    # then
    assert [first.status_code, second.status_code] == [302, 302]
    assert again.status_code == 429


def test_event_without_registration_says_so(client):
    event = EventFactory(registration_open=False, walk_ins_welcome=True)
    body = page_text(client.get(f"/en/events/{event.pk}/register/"))
    assert "This event has no registration." in body
    assert "Participation without registration is welcome." in body


# Cancelling ---------------------------------------------------------------------------------


def test_bad_cancel_link_gets_a_clear_message_and_400(client):
    response = client.get("/en/events/registrations/not-a-token/cancel/")
    assert response.status_code == 400
    assert "The link is not valid." in page_text(response)
    assert client.post("/en/events/registrations/not-a-token/cancel/").status_code == 400


def test_cancel_link_asks_first_and_the_freed_seat_goes_to_the_waiting_list(client):
    # given
    event = EventFactory(capacity=1)
    seated = RegistrationFactory(event=event, name="Seated")
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITING)
    url = f"/en/events/registrations/{services.registration_cancel_token(seated)}/cancel/"

    # when a mail scanner follows the link
    question = client.get(url)

    # then nothing happens yet
    assert question.status_code == 200
    assert "Cancel my registration" in page_text(question)
    seated.refresh_from_db()
    assert seated.status == Registration.Status.CONFIRMED

    # when the person presses the button
    response = client.post(url)

    # then
    assert response.status_code == 302
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert OutboxMessage.objects.filter(
        to_email=waiting.email, key=f"registration:{waiting.pk}:promoted"
    ).exists()
    after = client.get(url)
    assert "This registration is cancelled." in page_text(after)
    assert "was cancelled" in page_text(after)


def test_cancelling_twice_gets_a_clear_message(client):
    # given
    registration = RegistrationFactory(status=Registration.Status.CANCELLED)
    url = f"/en/events/registrations/{services.registration_cancel_token(registration)}/cancel/"

    # when
    response = client.post(url)

    # then
    assert response.status_code == 400
    assert "The registration is already cancelled." in page_text(response)


# Network home -------------------------------------------------------------------------------


def test_network_home_shows_its_upcoming_events_and_feed(client):
    # given
    network = NetworkFactory(slug="mako")
    team = TeamFactory(parent=network)
    EventFactory(network=network, title_fi="Koko verkoston kokous")
    EventFactory(network=network, team=team, title_fi="Tiimin tapaaminen")
    EventFactory(network=network, visibility=Event.Visibility.DRAFT, title_fi="Luonnos")
    EventFactory(title_fi="Toisen verkoston kokous")

    # when
    body = page_text(client.get("/fi/networks/mako/"))

    # then
    assert "Koko verkoston kokous" in body
    assert "Tiimin tapaaminen" in body
    assert "Luonnos" not in body
    assert "Toisen verkoston kokous" not in body
    assert 'href="/fi/events/?network=mako"' in body
    assert 'href="/fi/networks/mako/events.ics"' in body


# Query counts -------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    client.get(url)  # filter menus and the like are cached by the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _events(count: int, **kwargs) -> list[Event]:
    start = timezone.localtime() + timedelta(days=1)
    return [
        EventFactory(
            starts_at=start + timedelta(hours=hour),
            ends_at=start + timedelta(hours=hour + 1),
            capacity=5,
            **kwargs,
        )
        for hour in range(count)
    ]


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_list_and_month_query_counts_do_not_grow_with_events(client, logged_in):
    # given
    network = NetworkFactory()
    if logged_in:
        client.force_login(member_of(network).user)
    today = timezone.localtime() + timedelta(days=1)
    urls = ["/en/events/", "/en/events/?when=past", f"/en/events/{today.year}/{today.month}/"]
    for event in _events(5, network=network):
        RegistrationFactory(event=event)

    # when
    few = [_queries(client, url) for url in urls]
    for event in _events(25, network=network, visibility=Event.Visibility.MEMBERS):
        RegistrationFactory(event=event)
    many = [_queries(client, url) for url in urls]

    # then
    assert few == many
    assert max(many) <= 12


def test_event_page_query_count_does_not_grow_with_agenda_and_sessions(client):
    # given
    def event_with(count: int) -> Event:
        event = EventFactory()
        for number in range(count):
            item = AgendaItemFactory(event=event, starts_at=event.starts_at)
            Speaker.objects.create(item=item, person=person_with_login(), name="")
            Document.objects.create(
                event=event,
                item=item,
                title=f"Slides {number}",
                file=ContentFile(b"x", name="a.pdf"),
                original_name="a.pdf",
                content_type="application/pdf",
                size=1,
            )
            EventFactory(network=event.network, parent=event)
        return event

    few, many = event_with(5), event_with(30)

    # when
    counts = [_queries(client, f"/en/events/{event.pk}/") for event in (few, many)]

    # then
    assert counts[0] == counts[1]


def test_month_view_is_cached_for_anonymous_visitors_until_a_public_change(
    client, settings, django_capture_on_commit_callbacks
):
    # given
    settings.PAGE_CACHE_SECONDS = 60
    start = timezone.localtime() + timedelta(days=1)
    url = f"/en/events/{start.year}/{start.month}/"
    EventFactory(title_en="First", starts_at=start, ends_at=start)

    # when
    first = client.get(url)
    second = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_create(
            actor=None,
            network=NetworkFactory(),
            data={
                "type": Event.Type.TRAINING,
                "title_fi": "Uusi",
                "title_en": "Added",
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "visibility": Event.Visibility.PUBLIC,
                "format": Event.Format.ONLINE,
            },
        )
    third = client.get(url)

    # then
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in third
    assert "Added" in page_text(third)


def test_calendar_is_shared_between_anonymous_visitors_but_not_logged_in_ones(
    client, settings, django_capture_on_commit_callbacks
):
    # given
    settings.PAGE_CACHE_SECONDS = 60
    network = NetworkFactory()
    EventFactory(network=network, title_en="Open meeting")
    members_only = EventFactory(
        network=network, title_en="Members meeting", visibility=Event.Visibility.MEMBERS
    )
    # when
    first, second = client.get("/en/events/"), client.get("/en/events/")
    client.force_login(member_of(network).user)
    member_view = client.get("/en/events/")
    # then
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert "Members meeting" not in page_text(second)
    assert "X-Page-Cache" not in member_view
    assert "Members meeting" in page_text(member_view)
    assert members_only.title_en in page_text(member_view)


def test_team_home_links_to_the_calendar_filtered_by_the_team(client):
    # given
    team = TeamFactory(slug="vastaanotto")
    EventFactory(network=team.parent, team=team, title_fi="Tiimin tapaaminen")

    # when
    body = page_text(client.get("/fi/networks/vastaanotto/"))

    # then
    assert "Tiimin tapaaminen" in body
    assert 'href="/fi/events/?team=vastaanotto"' in body
