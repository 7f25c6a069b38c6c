"""The planning pages of coordinators and team leads: permissions, the event form (one event
and series), editing occurrences, cancelling, the next meeting, the checklist, the host
rotation, costs, the dashboard's overdue tasks, and query counts."""

from datetime import UTC, date, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kotoverkko.events import services
from kotoverkko.events.models import ChecklistItem, Event, EventSeries, HostTurn
from kotoverkko.network.models import Membership
from tests.events.factories import EventFactory, RegistrationFactory, helsinki
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    TeamFactory,
    coordinator_of,
    member_of,
    municipality,
    person_with_login,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mako():
    """A network with a team, its coordinator, the team's lead, a member, and a coordinator
    of another network."""
    network = NetworkFactory(slug="mako", name_fi="Lapin MAKO")
    team = TeamFactory(parent=network, slug="vastaanotto", name_fi="Vastaanotto")
    lead = person_with_login()
    MembershipFactory(person=lead, network=team, role=Membership.Role.LEAD)
    other = NetworkFactory(slug="pomako", name_fi="POMAKO")
    return {
        "network": network,
        "team": team,
        "coordinator": coordinator_of(network),
        "lead": lead,
        "member": member_of(network),
        "other_coordinator": coordinator_of(other),
        "other": other,
    }


def titled(title: str) -> dict:
    """The same title in every language, whatever language the page speaks."""
    return {"title_fi": title, "title_sv": title, "title_en": title}


def log_in(client, person):
    client.force_login(person.user)
    return client


def event_data(**overrides) -> dict:
    """A valid posted event form: an in-person network meeting on 12 May 2027, 9–12."""
    data = {
        "type": "network_meeting",
        "title_fi": "Verkostotapaaminen",
        "theme_fi": "Kotoutumisen palvelut",
        "status": "scheduled",
        "visibility": "draft",
        "languages": ["fi"],
        "starts_on": "2027-05-12",
        "starts_time": "09:00",
        "ends_time": "12:00",
        "format": "in_person",
        "venue_name": "Kaupungintalo",
        "street_address": "Hallituskatu 7",
        "municipality": municipality("698").pk,
        "link_audience": "registrants",
        "link_shown_minutes": "15",
        "link_sent_hours": "24",
        "registration_open": "on",
        "room_rent": "120.50",
        "coffee_cost": "80",
        "other_costs": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def create_url(network) -> str:
    return reverse("events:manage_create", kwargs={"slug": network.slug})


def edit_data(event: Event, **overrides) -> dict:
    """The edit form as the page shows it for the event, with some fields changed."""
    local_start = timezone.localtime(event.starts_at)
    local_end = timezone.localtime(event.ends_at)
    data = event_data(
        type=event.type,
        title_fi=event.title_fi,
        title_sv=event.title_sv or "",
        title_en=event.title_en or "",
        theme_fi=event.theme_fi or "",
        description_fi=event.description_fi or "",
        visibility=event.visibility,
        status=event.status,
        languages=list(event.languages),
        starts_on=local_start.date().isoformat(),
        starts_time=local_start.strftime("%H:%M"),
        ends_time=local_end.strftime("%H:%M"),
        format=event.format,
        venue_name=event.venue_name,
        street_address=event.street_address,
        municipality=event.municipality_id or "",
        room_rent=str(event.room_rent),
        coffee_cost=str(event.coffee_cost),
        other_costs=str(event.other_costs),
        registration_open="on" if event.registration_open else None,
        hosts=[o.pk for o in event.hosts.all()],
    )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Permissions -------------------------------------------------------------------------------


def _page_urls(network, event) -> dict[str, str]:
    return {
        "list": reverse("events:manage_list"),
        "create": create_url(network),
        "event": reverse("events:manage_event", kwargs={"pk": event.pk}),
        "edit": reverse("events:manage_edit", kwargs={"pk": event.pk}),
        "cancel": reverse("events:manage_cancel", kwargs={"pk": event.pk}),
        "checklist": reverse("events:manage_checklist", kwargs={"pk": event.pk}),
        "hosts": reverse("events:manage_hosts", kwargs={"slug": network.slug}),
        "costs": reverse("events:manage_costs", kwargs={"slug": network.slug}),
        "costs_csv": reverse("events:manage_costs_csv", kwargs={"slug": network.slug}),
    }


PAGES = ["list", "create", "event", "edit", "cancel", "checklist", "hosts", "costs", "costs_csv"]


@pytest.mark.parametrize("page", PAGES)
def test_coordinator_opens_every_planning_page(client, mako, page):
    # given
    event = services.event_create(
        actor=None, network=mako["network"], data=_service_data(title_fi="Tapaaminen")
    )
    log_in(client, mako["coordinator"])
    # when
    response = client.get(_page_urls(mako["network"], event)[page])
    # then
    assert response.status_code == 200


@pytest.mark.parametrize("page", [p for p in PAGES if p != "list"])
def test_coordinator_of_another_network_is_refused(client, mako, page):
    # given
    event = EventFactory(network=mako["network"])
    log_in(client, mako["other_coordinator"])
    # when
    response = client.get(_page_urls(mako["network"], event)[page])
    # then
    assert response.status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_member_is_refused(client, mako, page):
    event = EventFactory(network=mako["network"])
    log_in(client, mako["member"])
    assert client.get(_page_urls(mako["network"], event)[page]).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_log_in(client, mako, page):
    event = EventFactory(network=mako["network"])
    url = _page_urls(mako["network"], event)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", ["event", "edit", "cancel", "checklist"])
def test_team_lead_plans_her_teams_events_only(client, mako, page):
    # given
    own = EventFactory(network=mako["network"], team=mako["team"], type="team_meeting")
    network_wide = EventFactory(network=mako["network"])
    log_in(client, mako["lead"])
    # when
    allowed = client.get(_page_urls(mako["team"], own)[page])
    refused = client.get(_page_urls(mako["team"], network_wide)[page])
    # then
    assert allowed.status_code == 200
    assert refused.status_code == 403


def test_team_lead_creates_in_her_team_but_not_in_the_network(client, mako):
    log_in(client, mako["lead"])
    assert client.get(create_url(mako["team"])).status_code == 200
    assert client.get(create_url(mako["network"])).status_code == 403
    hosts = reverse("events:manage_hosts", kwargs={"slug": mako["network"].slug})
    assert client.get(hosts).status_code == 403


def test_team_lead_sees_only_her_teams_events_in_the_list(client, mako):
    # given
    EventFactory(network=mako["network"], team=mako["team"], **titled("Tiimin tapaaminen"))
    EventFactory(network=mako["network"], **titled("Koko verkoston tapaaminen"))
    log_in(client, mako["lead"])
    # when
    body = client.get(reverse("events:manage_list")).content.decode()
    # then
    assert "Tiimin tapaaminen" in body
    assert "Koko verkoston tapaaminen" not in body


def test_list_shows_upcoming_and_past_of_managed_networks(client, mako):
    # given
    upcoming = EventFactory(network=mako["network"], **titled("Tuleva"))
    RegistrationFactory(event=upcoming)
    RegistrationFactory(event=upcoming)
    past = EventFactory(
        network=mako["network"],
        **titled("Mennyt"),
        checklist=False,
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=10) + timedelta(hours=2),
    )
    ChecklistItem.objects.create(event=past, title="Muistio", due_on=date(2020, 1, 1))
    EventFactory(network=mako["other"], **titled("Toisen verkoston"))
    log_in(client, mako["coordinator"])
    # when
    upcoming_page = client.get(reverse("events:manage_list"))
    past_page = client.get(reverse("events:manage_list") + "?when=past")
    # then
    body = upcoming_page.content.decode()
    assert "Tuleva" in body
    assert "Mennyt" not in body
    assert "Toisen verkoston" not in body
    assert upcoming_page.context["rows"][0]["registrations"]["confirmed"] == 2
    assert reverse("events:manage_create", kwargs={"slug": "mako"}) in body
    assert reverse("events:manage_create", kwargs={"slug": "vastaanotto"}) in body
    assert "Mennyt" in past_page.content.decode()
    assert past_page.context["rows"][0]["event"].overdue == 1


def test_list_filters_by_network(client, mako):
    EventFactory(network=mako["network"], team=mako["team"], **titled("Tiimin"))
    EventFactory(network=mako["network"], **titled("Verkoston"))
    log_in(client, mako["coordinator"])
    body = client.get(reverse("events:manage_list") + "?network=vastaanotto").content.decode()
    assert "Tiimin" in body
    assert "Verkoston" not in body


def test_list_query_count_does_not_grow_with_events(client, mako):
    # given
    log_in(client, mako["coordinator"])

    def make(n: int) -> None:
        for _ in range(n):
            event = EventFactory(network=mako["network"], team=mako["team"])
            RegistrationFactory(event=event)
            ChecklistItem.objects.create(event=event, title="T", due_on=date(2020, 1, 1))

    make(3)
    url = reverse("events:manage_list")
    client.get(url)  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).context["rows"]) == 3
    make(17)
    # when
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["rows"]) == 20
    # then
    assert len(many) == len(few)


def test_checklist_query_count_does_not_grow_with_tasks(client, mako):
    # given
    event = EventFactory(network=mako["network"], checklist=False)
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_checklist", kwargs={"pk": event.pk})

    def add(n: int) -> None:
        for index in range(n):
            ChecklistItem.objects.create(
                event=event, title=f"Tehtävä {index}", due_on=date(2027, 1, 1), owner=mako["lead"]
            )

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).context["rows"]) == 2
    add(18)
    # when
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["rows"]) == 20
    # then
    assert len(many) == len(few)


# Creating ----------------------------------------------------------------------------------


def _service_data(**overrides) -> dict:
    data = {
        "type": Event.Type.NETWORK_MEETING,
        "title_fi": "Tapaaminen",
        "starts_at": helsinki(2027, 5, 12, 9),
        "ends_at": helsinki(2027, 5, 12, 12),
        "venue_name": "Kaupungintalo",
        "languages": ["fi"],
    }
    data.update(overrides)
    return data


def test_create_form_proposes_the_next_host(client, mako):
    # given
    first, second = OrganisationFactory(name_fi="Kemin kaupunki"), OrganisationFactory()
    services.host_rotation_set(actor=None, network=mako["network"], organisations=[first, second])
    log_in(client, mako["coordinator"])
    # when
    form = client.get(create_url(mako["network"])).context["form"]
    # then
    assert form.initial["hosts"] == [first]
    assert f'<option value="{first.pk}" selected>' in str(form["hosts"])


def test_coordinator_creates_a_single_event(client, mako):
    # given
    host = OrganisationFactory()
    log_in(client, mako["coordinator"])
    # when
    response = client.post(create_url(mako["network"]), event_data(hosts=[host.pk]))
    # then
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:manage_event", kwargs={"pk": event.pk})
    assert event.network == mako["network"]
    assert event.team is None
    assert event.starts_at == helsinki(2027, 5, 12, 9)
    assert event.ends_at == helsinki(2027, 5, 12, 12)
    assert event.room_rent == Decimal("120.50")
    assert event.other_costs == Decimal("0")
    assert list(event.hosts.all()) == [host]
    assert event.checklist.count() > 0
    assert event.series is None


def test_multi_day_event_ends_on_its_last_day(client, mako):
    log_in(client, mako["coordinator"])
    client.post(
        create_url(mako["network"]),
        event_data(type="cooperation_day", ends_on="2027-05-13", ends_time="15:30"),
    )
    event = Event.objects.get()
    assert event.ends_at == helsinki(2027, 5, 13, 15, 30)
    assert event.spans_days


def test_team_lead_creates_an_event_of_her_team(client, mako):
    # given
    log_in(client, mako["lead"])
    # when
    response = client.post(
        create_url(mako["team"]), event_data(type="team_meeting", team=mako["team"].pk)
    )
    # then
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.network, event.team) == (mako["network"], mako["team"])


def test_team_lead_cannot_create_a_network_wide_event_through_her_team(client, mako):
    log_in(client, mako["lead"])
    response = client.post(create_url(mako["team"]), event_data(type="team_meeting", team=""))
    assert response.status_code == 400
    assert Event.objects.count() == 0


def test_series_first_friday_monthly_except_summer(client, mako):
    # given
    log_in(client, mako["coordinator"])
    data = event_data(
        type="network_meeting",
        format="online",
        venue_name="",
        street_address="",
        online_platform="Teams",
        online_link="https://teams.example.com/meet/pomako",
        starts_on="2026-09-04",
        starts_time="09:00",
        ends_time="11:00",
        repeat="monthly",
        weekdays=["4"],
        skip_months=["6", "7", "8"],
        until="2027-09-30",
    )
    # when
    response = client.post(create_url(mako["network"]), data)
    # then
    assert response.status_code == 302
    events = list(Event.objects.order_by("starts_at"))
    days = [timezone.localtime(e.starts_at).date() for e in events]
    assert days == [
        date(2026, 9, 4),
        date(2026, 10, 2),
        date(2026, 11, 6),
        date(2026, 12, 4),
        date(2027, 1, 1),
        date(2027, 2, 5),
        date(2027, 3, 5),
        date(2027, 4, 2),
        date(2027, 5, 7),
        date(2027, 9, 3),
    ]
    assert {timezone.localtime(e.starts_at).time() for e in events} == {time(9)}
    assert len({e.series_id for e in events}) == 1
    assert all(e.online_link == "https://teams.example.com/meet/pomako" for e in events)
    assert all(e.checklist.exists() for e in events)


def test_series_fridays_nine_to_ten_until_14_june_across_dst(client, mako):
    # given: summer time began on 31 March 2024
    log_in(client, mako["coordinator"])
    data = event_data(
        type="info_session",
        starts_on="2024-03-01",
        starts_time="09:00",
        ends_time="10:00",
        repeat="weekly",
        until="2024-06-14",
    )
    # when
    response = client.post(create_url(mako["network"]), data, follow=True)
    # then
    events = list(Event.objects.order_by("starts_at"))
    assert len(events) == 16
    assert "16" in response.content.decode()
    assert timezone.localtime(events[-1].starts_at).date() == date(2024, 6, 14)
    local = [(timezone.localtime(e.starts_at), timezone.localtime(e.ends_at)) for e in events]
    assert {(s.time(), e.time()) for s, e in local} == {(time(9), time(10))}
    assert events[4].starts_at.astimezone(UTC).hour == 7  # 29 March, UTC+2
    assert events[5].starts_at.astimezone(UTC).hour == 6  # 5 April, UTC+3


def test_series_skips_the_dates_given(client, mako):
    log_in(client, mako["coordinator"])
    client.post(
        create_url(mako["network"]),
        event_data(
            starts_on="2024-03-01",
            repeat="weekly",
            weekdays=["4"],
            count="4",
            skip_dates="29.3.2024\n2024-03-08",
        ),
    )
    days = [timezone.localtime(e.starts_at).date() for e in Event.objects.order_by("starts_at")]
    assert days == [date(2024, 3, 1), date(2024, 3, 15), date(2024, 3, 22)]


# Bad input ---------------------------------------------------------------------------------

BAD_EVENTS = {
    "end before start": ({"ends_time": "08:00"}, "ends_time", "must end after it starts"),
    "unknown municipality": ({"municipality": "999999"}, "municipality", "valid choice"),
    "negative cost": ({"coffee_cost": "-5"}, "coffee_cost", "cannot be negative"),
    "no title": ({"title_fi": ""}, "title_fi", "at least one language"),
    "time skipped by the clocks": (
        {"starts_on": "2027-03-28", "starts_time": "03:30", "ends_time": "05:00"},
        "starts_time",
        "does not exist",
    ),
    "in person without a place": (
        {"venue_name": "", "street_address": ""},
        "venue_name",
        "venue or street address",
    ),
    "plain http link": (
        {"online_link": "http://teams.example.com/x"},
        "online_link",
        "https://",
    ),
    "deadline without time": (
        {"registration_deadline_on": "2027-05-10"},
        "registration_deadline_on",
        "both the date and the time",
    ),
    "deadline after the end": (
        {"registration_deadline_on": "2027-05-13", "registration_deadline_time": "12:00"},
        "registration_deadline_on",
        "close before the event ends",
    ),
    "too many occurrences": (
        {"repeat": "weekly", "count": "500"},
        "count",
        "200",
    ),
    "too many by the last date": (
        {"repeat": "weekly", "weekdays": ["0", "1", "2", "3", "4"], "until": "2028-12-31"},
        "until",
        "more than 200",
    ),
    "last date and count": (
        {"repeat": "weekly", "until": "2027-06-30", "count": "3"},
        "count",
        "not both",
    ),
    "last date before the first": (
        {"repeat": "weekly", "until": "2027-01-01"},
        "until",
        "before the first",
    ),
    "repeat without an end": ({"repeat": "monthly"}, "until", "last date or the number"),
    "one deadline for a series": (
        {
            "repeat": "weekly",
            "count": "3",
            "registration_deadline_on": "2027-05-10",
            "registration_deadline_time": "12:00",
        },
        "registration_deadline_on",
        "empty for a series",
    ),
    "every month skipped": (
        {"repeat": "monthly", "count": "3", "skip_months": [str(m) for m in range(1, 13)]},
        "skip_months",
        "every month",
    ),
    "skip date not a date": (
        {"repeat": "weekly", "count": "3", "skip_dates": "ensi perjantai"},
        "skip_dates",
        "is not a date",
    ),
}


@pytest.mark.parametrize("case", BAD_EVENTS, ids=list(BAD_EVENTS))
def test_bad_event_input_is_refused_with_a_message_and_nothing_saved(client, mako, case):
    # given
    overrides, field, message = BAD_EVENTS[case]
    log_in(client, mako["coordinator"])
    before = (Event.objects.count(), EventSeries.objects.count(), ChecklistItem.objects.count())
    # when
    response = client.post(create_url(mako["network"]), event_data(**overrides))
    # then
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert (
        Event.objects.count(),
        EventSeries.objects.count(),
        ChecklistItem.objects.count(),
    ) == before


def test_swedish_title_is_required_for_a_public_event_of_a_bilingual_network(client, mako):
    # given
    network = NetworkFactory(slug="pomako-sv", languages=["fi", "sv"])
    coordinator = coordinator_of(network)
    log_in(client, coordinator)
    # when: a public series without a Swedish title (the first occurrence fails)
    response = client.post(
        create_url(network),
        event_data(visibility="public", repeat="weekly", count="3", title_sv=""),
    )
    # then
    assert response.status_code == 400
    assert "Swedish title" in " ".join(response.context["form"].errors["title_sv"])
    assert 'id="id_title_sv_error"' in response.content.decode()
    assert Event.objects.count() == 0
    assert EventSeries.objects.count() == 0


def test_error_messages_are_translated(client, mako):
    log_in(client, mako["coordinator"])
    response = client.post(
        create_url(mako["network"]).replace("/fi/", "/en/"), event_data(ends_time="08:00")
    )
    assert response.status_code == 400
    assert "The event must end after it starts." in response.content.decode()


# Editing -----------------------------------------------------------------------------------


def test_edit_form_shows_local_times(client, mako):
    event = EventFactory(
        network=mako["network"],
        starts_at=helsinki(2027, 7, 1, 13),
        ends_at=helsinki(2027, 7, 1, 15, 30),
    )
    log_in(client, mako["coordinator"])
    form = client.get(reverse("events:manage_edit", kwargs={"pk": event.pk})).context["form"]
    assert form.initial["starts_on"] == date(2027, 7, 1)
    assert form.initial["starts_time"] == time(13)
    assert form.initial["ends_time"] == time(15, 30)
    assert "scope" not in form.fields


def test_changing_the_time_tells_the_planner_about_the_updated_invitation(client, mako):
    # given
    event = EventFactory(network=mako["network"], starts_at=helsinki(2027, 7, 1, 13))
    RegistrationFactory(event=event)
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_edit", kwargs={"pk": event.pk})
    # when
    response = client.post(
        url, edit_data(event, starts_time="14:00", ends_time="16:00"), follow=True
    )
    # then
    event.refresh_from_db()
    assert event.starts_at == helsinki(2027, 7, 1, 14)
    assert event.sequence == 1
    assert "updated calendar invitation" in response.content.decode()


def test_changing_the_description_sends_no_invitation(client, mako):
    event = EventFactory(network=mako["network"])
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_edit", kwargs={"pk": event.pk})
    response = client.post(url, edit_data(event, description_fi="Uusi kuvaus"), follow=True)
    event.refresh_from_db()
    assert event.description_fi == "Uusi kuvaus"
    assert event.sequence == 0
    assert "updated calendar invitation" not in response.content.decode()


def test_bad_edit_is_refused_and_the_event_unchanged(client, mako):
    event = EventFactory(network=mako["network"], starts_at=helsinki(2027, 7, 1, 13))
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_edit", kwargs={"pk": event.pk})
    response = client.post(url, edit_data(event, ends_time="12:00", other_costs="-1"))
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    event.refresh_from_db()
    assert event.ends_at == helsinki(2027, 7, 1, 16)
    assert event.other_costs == Decimal("0")


def _friday_series(network) -> list[Event]:
    from kotoverkko.events.recurrence import Recurrence

    return services.series_create(
        actor=None,
        network=network,
        data=_service_data(
            type=Event.Type.INFO_SESSION,
            starts_at=helsinki(2024, 3, 1, 9),
            ends_at=helsinki(2024, 3, 1, 10),
        ),
        recurrence=Recurrence("weekly", (4,), until=date(2024, 6, 14)),
    )


def test_editing_an_occurrence_asks_for_the_scope(client, mako):
    # given
    events = _friday_series(mako["network"])
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_edit", kwargs={"pk": events[3].pk})
    # when
    response = client.post(url, edit_data(events[3], starts_time="10:00", ends_time="11:00"))
    # then
    assert response.status_code == 400
    assert "scope" in response.context["form"].errors
    events[3].refresh_from_db()
    assert timezone.localtime(events[3].starts_at).hour == 9


def test_editing_only_this_occurrence(client, mako):
    # given
    events = _friday_series(mako["network"])
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_edit", kwargs={"pk": events[3].pk})
    # when
    response = client.post(
        url, edit_data(events[3], starts_time="10:00", ends_time="11:00", scope="this")
    )
    # then
    assert response.status_code == 302
    hours = [timezone.localtime(e.starts_at).hour for e in Event.objects.order_by("starts_at")]
    assert hours == [9, 9, 9, 10] + [9] * 12
    assert Event.objects.get(pk=events[3].pk).detached


def test_editing_this_and_following_occurrences_across_dst(client, mako):
    # given: the fourth Friday is 22 March (winter time); the rest run into summer time
    events = _friday_series(mako["network"])
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_edit", kwargs={"pk": events[3].pk})
    # when
    response = client.post(
        url,
        edit_data(events[3], starts_time="10:00", ends_time="11:30", scope="following"),
        follow=True,
    )
    # then
    assert "13" in response.content.decode()  # "saved in 13 events"
    saved = list(Event.objects.order_by("starts_at"))
    local = [timezone.localtime(e.starts_at) for e in saved]
    assert [t.hour for t in local] == [9, 9, 9] + [10] * 13
    assert [t.date() for t in local] == [timezone.localtime(e.starts_at).date() for e in events]
    assert all(e.ends_at - e.starts_at == timedelta(minutes=90) for e in saved[3:])


def test_editing_following_occurrences_changes_the_shared_title(client, mako):
    events = _friday_series(mako["network"])
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_edit", kwargs={"pk": events[10].pk})
    client.post(url, edit_data(events[10], title_fi="Tietoisku", scope="following"))
    titles = [e.title_fi for e in Event.objects.order_by("starts_at")]
    assert titles == ["Tapaaminen"] * 10 + ["Tietoisku"] * 6


# Cancelling and the next meeting -----------------------------------------------------------


def test_cancel_asks_for_confirmation(client, mako):
    # given
    event = EventFactory(network=mako["network"])
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_cancel", kwargs={"pk": event.pk})
    # when
    page = client.get(url)
    unconfirmed = client.post(url, {})
    # then
    assert page.status_code == 200
    assert unconfirmed.status_code == 400
    assert "Confirm the cancellation." in unconfirmed.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_cancel_cancels_once(client, mako):
    event = EventFactory(network=mako["network"])
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_cancel", kwargs={"pk": event.pk})
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.sequence == 1
    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 400
    assert "already cancelled" in again.content.decode()
    event.refresh_from_db()
    assert event.sequence == 1


def test_next_meeting_creates_a_draft_with_a_fresh_checklist_and_the_next_host(client, mako):
    # given
    first, second = OrganisationFactory(), OrganisationFactory()
    services.host_rotation_set(actor=None, network=mako["network"], organisations=[first, second])
    event = services.event_create(
        actor=None,
        network=mako["network"],
        data=_service_data(visibility=Event.Visibility.PUBLIC, room_rent=Decimal("100")),
    )
    assert list(event.hosts.all()) == [first]
    ChecklistItem.objects.filter(event=event).update(done_at=timezone.now())
    log_in(client, mako["coordinator"])
    # when
    response = client.post(
        reverse("events:manage_next", kwargs={"pk": event.pk}),
        {"starts_on": "2027-11-10", "starts_time": "13:00"},
    )
    # then
    draft = Event.objects.exclude(pk=event.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:manage_edit", kwargs={"pk": draft.pk})
    assert draft.previous == event
    assert draft.visibility == Event.Visibility.DRAFT
    assert draft.starts_at == helsinki(2027, 11, 10, 13)
    assert draft.ends_at - draft.starts_at == event.ends_at - event.starts_at
    assert draft.room_rent == Decimal("100")
    assert list(draft.hosts.all()) == [second]
    assert draft.checklist.count() == event.checklist.count()
    assert not draft.checklist.filter(done_at__isnull=False).exists()


def test_next_meeting_before_this_one_is_refused(client, mako):
    event = EventFactory(network=mako["network"], starts_at=helsinki(2027, 5, 12, 9))
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_next", kwargs={"pk": event.pk})
    response = client.post(url, {"starts_on": "2027-05-01", "starts_time": "09:00"})
    assert response.status_code == 400
    assert "must come after this one" in response.content.decode()
    missing = client.post(url, {"starts_on": "", "starts_time": "09:00"})
    assert missing.status_code == 400
    assert Event.objects.count() == 1
    assert client.get(url).status_code == 405


# Checklist ---------------------------------------------------------------------------------


@pytest.fixture
def planned(mako):
    event = services.event_create(
        actor=None,
        network=mako["network"],
        data=_service_data(starts_at=helsinki(2027, 5, 12, 9), ends_at=helsinki(2027, 5, 12, 12)),
    )
    return event


def _item_post(item, *, done: bool, due_on: str = "", owner: str = "") -> dict:
    data = {
        "action": "update",
        "item": item.pk,
        f"item-{item.pk}-due_on": due_on or item.due_on.isoformat(),
        f"item-{item.pk}-owner": owner,
    }
    if done:
        data[f"item-{item.pk}-done"] = "on"
    return data


def test_checklist_marks_done_and_undoes(client, mako, planned):
    # given
    item = planned.checklist.first()
    owner = mako["member"]
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_checklist", kwargs={"pk": planned.pk})
    # when
    done = client.post(url, _item_post(item, done=True, owner=str(owner.pk)))
    # then
    item.refresh_from_db()
    assert done.status_code == 302
    assert item.is_done
    assert item.owner == owner
    assert item.done_by == mako["coordinator"].user
    # when
    client.post(url, _item_post(item, done=False, owner=str(owner.pk)))
    # then
    item.refresh_from_db()
    assert not item.is_done


def test_checklist_adds_a_task(client, mako, planned):
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_checklist", kwargs={"pk": planned.pk})
    before = planned.checklist.count()
    response = client.post(
        url,
        {
            "action": "add",
            "new-title": "Tulkki tilattu",
            "new-due_on": "2027-05-01",
            "new-owner": str(mako["lead"].pk),
        },
    )
    assert response.status_code == 302
    added = planned.checklist.get(title="Tulkki tilattu")
    assert planned.checklist.count() == before + 1
    assert added.due_on == date(2027, 5, 1)
    assert added.owner == mako["lead"]


@pytest.mark.parametrize(
    "data",
    [
        {"action": "add", "new-title": "   ", "new-due_on": "2027-05-01"},
        {"action": "add", "new-title": "Tulkki", "new-due_on": "31.2.2027"},
        {"action": "add", "new-title": "Tulkki", "new-due_on": "2027-05-01", "new-owner": "0"},
        {"action": "nothing"},
    ],
    ids=["blank title", "bad date", "unknown owner", "unknown action"],
)
def test_bad_checklist_input_is_refused(client, mako, planned, data):
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_checklist", kwargs={"pk": planned.pk})
    before = list(planned.checklist.values_list("pk", "due_on", "owner_id", "done_at"))
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["add_form"].errors or response.context["action_error"]
    assert list(planned.checklist.values_list("pk", "due_on", "owner_id", "done_at")) == before


def test_bad_checklist_update_is_refused(client, mako, planned):
    item = planned.checklist.first()
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_checklist", kwargs={"pk": planned.pk})
    response = client.post(url, _item_post(item, done=True, due_on="1.1.x"))
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    item.refresh_from_db()
    assert not item.is_done


def test_checklist_item_of_another_event_is_not_found(client, mako, planned):
    other = services.event_create(actor=None, network=mako["network"], data=_service_data())
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_checklist", kwargs={"pk": planned.pk})
    response = client.post(url, _item_post(other.checklist.first(), done=True))
    assert response.status_code == 404
    assert not other.checklist.filter(done_at__isnull=False).exists()


def test_checklist_marks_overdue_tasks(client, mako):
    event = EventFactory(network=mako["network"], checklist=False)
    ChecklistItem.objects.create(event=event, title="Myöhässä", due_on=date(2020, 1, 1))
    log_in(client, mako["coordinator"])
    response = client.get(reverse("events:manage_checklist", kwargs={"pk": event.pk}))
    body = response.content.decode()
    assert "Myöhässä" in body
    assert "badge-warn" in body


# Host rotation and costs -------------------------------------------------------------------


def test_host_rotation_add_move_and_remove(client, mako):
    # given
    a, b, c = (OrganisationFactory(name_fi=name) for name in ("Aaa", "Bee", "Cee"))
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_hosts", kwargs={"slug": "mako"})

    def order():
        return list(
            HostTurn.objects.filter(network=mako["network"]).values_list(
                "organisation__name_fi", flat=True
            )
        )

    # when / then
    for org in (a, b, c):
        assert client.post(url, {"action": "add", "organisation": org.pk}).status_code == 302
    assert order() == ["Aaa", "Bee", "Cee"]
    client.post(url, {"action": "up", "organisation": c.pk})
    assert order() == ["Aaa", "Cee", "Bee"]
    client.post(url, {"action": "down", "organisation": a.pk})
    assert order() == ["Cee", "Aaa", "Bee"]
    client.post(url, {"action": "remove", "organisation": a.pk})
    assert order() == ["Cee", "Bee"]
    response = client.get(url)
    assert response.context["next_host"] == c


def test_host_rotation_next_follows_the_latest_host(client, mako):
    a, b = OrganisationFactory(), OrganisationFactory()
    services.host_rotation_set(actor=None, network=mako["network"], organisations=[a, b])
    services.event_create(actor=None, network=mako["network"], data=_service_data())
    log_in(client, mako["coordinator"])
    response = client.get(reverse("events:manage_hosts", kwargs={"slug": "mako"}))
    assert response.context["next_host"] == b


@pytest.mark.parametrize(
    "data",
    [
        {"action": "add", "organisation": "0"},
        {"action": "add", "organisation": ""},
        {"action": "up", "organisation": "0"},
        {"action": "explode"},
    ],
    ids=["unknown organisation", "no organisation", "not in the rotation", "unknown action"],
)
def test_bad_host_rotation_input_is_refused(client, mako, data):
    existing = OrganisationFactory()
    services.host_rotation_set(actor=None, network=mako["network"], organisations=[existing])
    log_in(client, mako["coordinator"])
    response = client.post(reverse("events:manage_hosts", kwargs={"slug": "mako"}), data)
    assert response.status_code == 400
    assert response.context["add_form"].errors or response.context["action_error"]
    assert list(HostTurn.objects.values_list("organisation_id", flat=True)) == [existing.pk]


def test_adding_an_organisation_twice_is_refused(client, mako):
    existing = OrganisationFactory()
    services.host_rotation_set(actor=None, network=mako["network"], organisations=[existing])
    log_in(client, mako["coordinator"])
    url = reverse("events:manage_hosts", kwargs={"slug": "mako"})
    response = client.post(url, {"action": "add", "organisation": existing.pk})
    assert response.status_code == 400
    assert HostTurn.objects.count() == 1


def test_teams_have_no_host_rotation_or_cost_pages(client, mako):
    log_in(client, mako["coordinator"])
    assert (
        client.get(reverse("events:manage_hosts", kwargs={"slug": "vastaanotto"})).status_code
        == 404
    )
    assert (
        client.get(reverse("events:manage_costs", kwargs={"slug": "vastaanotto"})).status_code
        == 404
    )


def _costly(network, year: int, rent: str, coffee: str, other: str, **kwargs) -> Event:
    return EventFactory(
        network=network,
        starts_at=helsinki(year, 3, 1, 9),
        ends_at=helsinki(year, 3, 1, 12),
        room_rent=Decimal(rent),
        coffee_cost=Decimal(coffee),
        other_costs=Decimal(other),
        **kwargs,
    )


def test_costs_per_year_with_totals_and_csv(client, mako):
    # given
    _costly(mako["network"], 2024, "100", "50.50", "0")
    _costly(mako["network"], 2024, "200", "0", "10")
    _costly(mako["network"], 2025, "0", "30", "0", team=mako["team"])
    _costly(mako["network"], 2025, "999", "999", "999", status=Event.Status.CANCELLED)
    _costly(mako["other"], 2025, "500", "0", "0")
    log_in(client, mako["coordinator"])
    # when
    page = client.get(reverse("events:manage_costs", kwargs={"slug": "mako"}))
    csv = client.get(reverse("events:manage_costs_csv", kwargs={"slug": "mako"}))
    # then
    assert [(r["year"], r["events"], r["total"]) for r in page.context["rows"]] == [
        (2025, 1, Decimal("30")),
        (2024, 2, Decimal("360.50")),
    ]
    assert page.context["totals"]["total"] == Decimal("390.50")
    assert "390.50" in page.content.decode() or "390,50" in page.content.decode()
    assert csv["Content-Type"].startswith("text/csv")
    assert "attachment" in csv["Content-Disposition"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4
    assert lines[1].split(";")[:2] == ["2025", "1"]
    assert lines[-1].split(";")[-1] == "390.50"


# Dashboard ---------------------------------------------------------------------------------


def test_dashboard_shows_overdue_planning_tasks_to_planners(client, mako):
    # given
    event = EventFactory(network=mako["network"], checklist=False, **titled("Syystapaaminen"))
    ChecklistItem.objects.create(event=event, title="Kahvit tilattu", due_on=date(2020, 1, 1))
    log_in(client, mako["coordinator"])
    # when
    body = client.get(reverse("network:dashboard")).content.decode()
    # then
    assert "Kahvit tilattu" in body
    assert "Syystapaaminen" in body
    assert reverse("events:manage_checklist", kwargs={"pk": event.pk}) in body
    assert reverse("events:manage_list") in body


def test_dashboard_has_no_planning_block_for_members(client, mako):
    event = EventFactory(network=mako["network"], checklist=False)
    ChecklistItem.objects.create(event=event, title="Kahvit tilattu", due_on=date(2020, 1, 1))
    log_in(client, mako["member"])
    body = client.get(reverse("network:dashboard")).content.decode()
    assert "Kahvit tilattu" not in body
    assert reverse("events:manage_list") not in body
