"""The events demo: Lapland MAKO since 2017, POMAKO's monthly meetings, the Integration 2024
info sessions and upcoming events, loaded through the services without mail."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from kotoverkko.accounts.models import User
from kotoverkko.events.demo import events_demo_load
from kotoverkko.events.models import (
    AgendaItem,
    ChecklistItem,
    Event,
    EventSeries,
    Invitation,
    Minutes,
    Registration,
)
from kotoverkko.events.selectors import checklist_overdue, host_rotation
from kotoverkko.mailing import services as mailing_services
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.network.demo import demo_load
from kotoverkko.network.models import Network, Organisation

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = date(2026, 11, 23)
NOW = datetime.combine(TODAY, time(8)).replace(tzinfo=HELSINKI)
SEPTEMBER_2021_FI = (
    "Kotoutumisen selonteko eduskunnalle - Millaisia uudistuksia selonteossa esitetään "
    "kotoutumispalveluihin?"
)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI)


def _rows() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "series": EventSeries.objects.count(),
        "agenda": AgendaItem.objects.count(),
        "registrations": Registration.objects.count(),
        "minutes": Minutes.objects.count(),
        "invitations": Invitation.objects.count(),
        "checklist": ChecklistItem.objects.count(),
        "organisations": Organisation.objects.count(),
        "networks": Network.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The network demo, then the events demo for TODAY; loaded once for the module and
    rolled back at its end (each test still runs in its own savepoint)."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with (
                mock.patch("kotoverkko.network.demo.events_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.library_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.tray_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.newsletter_demo_load", return_value={}),
            ):
                demo_load()
            outbox_before = OutboxMessage.objects.count()
            counts = events_demo_load(today=TODAY)
        except BaseException as exc:
            outer.__exit__(type(exc), exc, exc.__traceback__)
            raise
    yield {"counts": counts, "outbox_before": outbox_before}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# This one starts from an empty database, so it comes before any test that uses `loaded`.


def test_without_the_network_demo_nothing_is_loaded_and_mail_is_on_again():
    # given
    assert not Network.objects.exists()

    # when
    with pytest.raises(ValueError, match="network demo"):
        events_demo_load(today=TODAY)

    # then
    assert not mailing_services.mail_is_suppressed()
    assert not Event.objects.exists()


def test_loader_reports_sensible_counts(loaded):
    # given
    counts = loaded["counts"]

    # when
    rows = _rows()

    # then
    assert counts["events"] == rows["events"] >= 120
    assert counts["event series"] == rows["series"] == 4
    assert counts["registrations"] == rows["registrations"] >= 800
    assert counts["agenda items"] == rows["agenda"] >= 400
    assert counts["minutes"] == rows["minutes"] >= 80
    assert counts["invitations"] == rows["invitations"] > 0
    assert counts["organisations"] == 5
    assert counts["networks"] == 1
    assert counts["host rotations"] == 3
    statuses = Counter(Event.objects.values_list("status", flat=True))
    assert statuses[Event.Status.CANCELLED] >= 1
    assert statuses[Event.Status.POSTPONED] >= 1


def test_demo_queues_no_mail(loaded):
    # given / when
    count = OutboxMessage.objects.count()

    # then
    assert count == loaded["outbox_before"]
    assert not mailing_services.mail_is_suppressed()


def test_kemi_2018_cooperation_days_have_two_days_of_talks(loaded):
    # given
    event = Event.objects.get(title_fi="Kotouttamisen yhteistyöpäivät Kemissä")

    # when
    items = list(event.agenda.prefetch_related("speakers"))

    # then
    assert event.type == Event.Type.COOPERATION_DAY
    assert _local(event.starts_at).date() == date(2018, 9, 20)
    assert _local(event.ends_at).date() == date(2018, 9, 21)
    assert event.municipality.name == "Kemi"
    by_day: dict[date, set[str]] = {}
    for item in items:
        by_day.setdefault(_local(item.starts_at).date(), set()).add(item.type)
    assert set(by_day) == {date(2018, 9, 20), date(2018, 9, 21)}
    for types in by_day.values():
        assert {
            AgendaItem.Type.CURRENT_AFFAIRS,
            AgendaItem.Type.THEME_TALK,
            AgendaItem.Type.WORKSHOP,
            AgendaItem.Type.DEBRIEF,
        } <= types
    talks = [i for i in items if i.type == AgendaItem.Type.THEME_TALK]
    assert all(list(talk.speakers.all()) for talk in talks)
    assert event.registrations.filter(attendance=Registration.Attendance.PRESENT).count() >= 20
    assert event.minutes.status == Minutes.Status.APPROVED
    assert event.minutes.published


def test_the_other_lapland_meetings_of_the_seed_exist(loaded):
    # given
    mako = Network.objects.get(slug="lapin-mako")

    # when
    days = {_local(e.starts_at).date(): e for e in Event.objects.filter(network=mako, parent=None)}

    # then
    assert days[date(2017, 2, 28)].municipality.name == "Kemi"
    levi = days[date(2017, 9, 27)]
    assert _local(levi.ends_at).date() == date(2017, 9, 28)
    assert levi.municipality.name == "Kittilä"
    assert days[date(2018, 3, 1)].title_fi == "Askelmerkkejä ohjauksen taipaleelle"
    napapiiri = days[date(2019, 6, 11)]
    assert napapiiri.type == Event.Type.COOPERATION_DAY
    assert napapiiri.municipality.name == "Rovaniemi"
    assert host_rotation(network=mako)[0].organisation.name_fi == "Rovaniemen kaupunki"


def test_lapland_networks_and_teams_meet_every_year(loaded):
    # given
    years = range(2019, TODAY.year)

    # when
    met = {
        (slug, year)
        for slug, year in Event.objects.filter(starts_at__lt=NOW).values_list(
            "network__slug", "starts_at__year"
        )
    }
    team_years = set(
        Event.objects.filter(type=Event.Type.TEAM_MEETING).values_list(
            "team__slug", "starts_at__year"
        )
    )

    # then
    for slug in ("lapin-mako", "meri-lapin-mako", "rovaniemen-mako"):
        assert all((slug, year) in met for year in years)
    teams = {slug for slug, _year in team_years}
    assert teams == {
        "pakolaisten-vastaanotto",
        "maaseutukuntien-kotouttamiskaytannot",
        "koulutuspolut-meri-lappi",
        "koulutuspolut-rovaniemi",
    }


def test_pomako_meets_monthly_on_teams_except_in_summer(loaded):
    # given
    meetings = Event.objects.filter(network__slug="pomako", series__isnull=False)

    # when
    months = Counter(_local(e.starts_at).month for e in meetings)

    # then
    assert not {6, 7, 8} & set(months)
    assert set(months) == {1, 2, 3, 4, 5, 9, 10, 11, 12}
    for event in meetings:
        start = _local(event.starts_at)
        assert (start.weekday(), start.hour) == (4, 9)
        assert start.day <= 7
        assert timedelta(minutes=90) <= event.ends_at - event.starts_at <= timedelta(hours=2)
        assert event.online_platform == "Teams"
        assert event.title_sv
        assert event.theme_fi
        assert event.theme_sv
    assert meetings.filter(starts_at__lt=NOW).count() >= 40
    assert meetings.filter(starts_at__gt=NOW).exists()


def test_pomako_september_2021_theme_is_the_seeds(loaded):
    # given
    start = datetime(2021, 9, 3, 9, tzinfo=HELSINKI)

    # when
    event = Event.objects.get(network__slug="pomako", starts_at=start)

    # then
    assert event.theme_fi == SEPTEMBER_2021_FI
    assert event.theme_sv.startswith("Redogörelsen om behoven av att reformera")
    assert _local(event.ends_at).time() == time(10, 30)
    assert event.format == Event.Format.ONLINE
    assert "TrVM 6/2018vp" in event.description_fi


def test_info_sessions_are_fridays_until_14_june_under_the_turku_event(loaded):
    # given
    sessions = list(Event.objects.filter(type=Event.Type.INFO_SESSION).order_by("starts_at"))

    # when
    days = [_local(e.starts_at).date() for e in sessions]

    # then
    assert days[-1] == date(2024, 6, 14)
    assert date(2024, 5, 10) in days
    assert all(day.weekday() == 4 for day in days)
    assert all((_local(e.starts_at).hour, _local(e.ends_at).hour) == (9, 10) for e in sessions)
    assert len(days) >= 15
    assert len({e.online_link for e in sessions}) == 1
    assert all(e.walk_ins_welcome for e in sessions)
    main = sessions[0].parent
    assert {e.parent_id for e in sessions} == {main.pk}
    assert main.title_fi == "Integration 2024"
    assert main.type == Event.Type.SEMINAR
    assert main.format == Event.Format.IN_PERSON
    assert main.municipality.name == "Turku"
    assert (_local(main.starts_at).date(), _local(main.ends_at).date()) == (
        date(2024, 11, 14),
        date(2024, 11, 15),
    )
    assert main.network.slug == "kotoutumisen-kumppanuusohjelma"
    assert main.organiser.name_fi == "Varsinais-Suomen ELY-keskus"
    assert [o.name_fi for o in main.co_organisers.all()] == ["Työ- ja elinkeinoministeriö"]
    assert {o.name_fi for o in main.funders.all()} == {
        "Turun kaupunki",
        "Varsinais-Suomen hyvinvointialue",
        "Bildningsallianssen rf",
    }
    assert main.eu_cofunded
    codes = {
        "public-administration",
        "municipalities",
        "state-administration",
        "universities",
        "ngos",
        "wellbeing-counties",
    }
    assert set(main.audiences.values_list("code", flat=True)) == codes
    assert all(set(e.audiences.values_list("code", flat=True)) == codes for e in sessions)


def test_past_events_have_registrations_attendance_costs_and_minutes(loaded):
    # given
    past = Event.objects.filter(starts_at__lt=NOW, status=Event.Status.SCHEDULED)

    # when
    without_registrations = past.filter(registrations__isnull=True)
    unmarked = Registration.objects.filter(
        event__in=past, status=Registration.Status.CONFIRMED, attendance=""
    )
    with_minutes = past.exclude(type=Event.Type.INFO_SESSION)
    published = with_minutes.filter(
        minutes__status=Minutes.Status.APPROVED, minutes__published=True
    )

    # then
    assert not without_registrations.exists()
    assert not unmarked.exists()
    attendance = Counter(
        Registration.objects.filter(event__in=past).values_list("attendance", flat=True)
    )
    assert attendance["present"] > 5 * attendance["absent"] > 0
    assert Registration.objects.filter(event__in=past, walk_in=True).exists()
    assert Registration.objects.filter(event__in=past).exclude(diet="").exists()
    assert published.count() >= 0.75 * with_minutes.count()
    in_person = past.filter(format=Event.Format.IN_PERSON)
    assert in_person.filter(coffee_cost__gt=0).count() >= 0.8 * in_person.count()
    assert in_person.filter(room_rent__gt=0).exists()
    assert AgendaItem.objects.filter(event__in=past, speakers__isnull=False).exists()


def test_upcoming_events_are_open_for_registration(loaded):
    # given
    soon = Event.objects.filter(
        starts_at__gt=NOW, starts_at__lt=NOW + timedelta(days=92), status=Event.Status.SCHEDULED
    ).exclude(visibility=Event.Visibility.DRAFT)

    # when
    events = list(soon.select_related("network"))

    # then
    assert len(events) >= 6
    assert len({e.network.slug for e in events}) >= 3
    assert all(e.registration_open and e.registration_closes_at() > NOW for e in events)
    waiting = [
        e for e in events if e.registrations.filter(status=Registration.Status.WAITING).exists()
    ]
    assert waiting
    nearly_full = [
        e
        for e in events
        if e.capacity
        and e.capacity - 3
        <= e.registrations.filter(status=Registration.Status.CONFIRMED).count()
        < e.capacity
    ]
    assert nearly_full
    assert any(e.format == Event.Format.ONLINE and e.online_link for e in events)
    assert sum(1 for e in events if e.invitations.exists()) >= 2
    checklist = ChecklistItem.objects.filter(event__in=events)
    assert checklist.filter(done_at__isnull=False).exists()
    assert checklist.filter(done_at__isnull=True).exists()


def test_coordinator_dashboard_shows_one_overdue_task(loaded):
    # given
    coordinator = User.objects.get(email="koordinaattori@kotoverkko.example")
    samordnare = User.objects.get(email="samordnare@kotoverkko.example")

    # when
    overdue = list(checklist_overdue(user=coordinator, today=TODAY))

    # then
    assert len(overdue) == 1
    assert overdue[0].event.network.slug == "rovaniemen-mako"
    assert overdue[0].owner.email == "koordinaattori@kotoverkko.example"
    assert not checklist_overdue(user=samordnare, today=TODAY).exists()


def test_next_meeting_is_a_draft_with_the_next_host(loaded):
    # given
    draft = Event.objects.get(visibility=Event.Visibility.DRAFT)

    # when
    previous = draft.previous

    # then
    assert previous.network.slug == "lapin-mako"
    assert previous.starts_at > NOW
    rotation = [turn.organisation_id for turn in host_rotation(network=previous.network)]
    host = previous.hosts.get().pk
    assert draft.hosts.get().pk == rotation[(rotation.index(host) + 1) % len(rotation)]


def test_loading_again_adds_nothing(loaded):
    # given
    before = _rows()

    # when
    counts = events_demo_load(today=TODAY)

    # then
    assert counts == {}
    assert _rows() == before


def test_times_are_aware_and_in_helsinki_wall_clock(loaded):
    # given
    mako_meetings = Event.objects.filter(
        network__slug="lapin-mako", type=Event.Type.NETWORK_MEETING, starts_at__year__gte=2020
    )

    # when
    starts = {_local(e.starts_at).time() for e in mako_meetings}

    # then
    assert starts == {time(9)}
    assert all(timezone.is_aware(e.starts_at) for e in mako_meetings)
