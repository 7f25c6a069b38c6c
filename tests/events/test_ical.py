"""Calendar output: invitations for create, update and cancel against golden files, the
"add to calendar" file, feeds, the time zone across daylight-saving changes, and the
writer's escaping and folding. Every output is read back with the `icalendar` library."""

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone

from kotoverkko.events import ical, services
from kotoverkko.events.models import Event, Registration
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.mailing.services import _as_email
from tests.events.factories import EventFactory, OnlineEventFactory, helsinki
from tests.factories import NetworkFactory, municipality

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).resolve().parent / "golden"
HELSINKI = ZoneInfo("Europe/Helsinki")


class Clock:
    """A clock the test moves by hand; `django.utils.timezone.now` reads it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://kotoverkko.example"
    settings.DEFAULT_FROM_EMAIL = "Kotoverkko <noreply@kotoverkko.example>"


def assert_golden(name: str, text: str) -> None:
    """The output equals tests/events/golden/<name> (stored with LF line ends; the output's
    own line ends must all be CRLF). UPDATE_GOLDEN=1 rewrites the file instead."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "a line ends without CR"
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text.replace("\r\n", "\n"), encoding="utf-8")
    assert text.replace("\r\n", "\n") == path.read_text(encoding="utf-8")


def parse(text: str | bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def the_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (vevent,) = calendar.walk("VEVENT")
    return vevent


def calendar_messages(email: str) -> list[OutboxMessage]:
    return [m for m in OutboxMessage.objects.filter(to_email=email).order_by("pk") if m.attachments]


def mime_calendar_parts(message: OutboxMessage) -> list:
    mime = _as_email(message, None).message()
    return [part for part in mime.walk() if part.get_content_type() == "text/calendar"]


def golden_event() -> Event:
    network = NetworkFactory(
        slug="lapin-mako",
        name_fi="Lapin MAKO",
        name_sv="Lapplands MAKO",
        name_en="Lapland MAKO",
        contact_email="mako@example.fi",
    )
    return EventFactory(
        pk=4242,
        uid="4242-golden@kotoverkko",
        network=network,
        title_fi="Verkostotapaaminen: kevään kuulumiset, Rovaniemi",
        title_sv="Nätverksmöte: vårens nyheter, Rovaniemi",
        title_en="Network meeting: spring news, Rovaniemi",
        theme_fi="Kotoutuminen; työllisyys ja koulutus",
        description_fi="Ajankohtaiskierros.\nTeemaesitys ja työpaja, jonka jälkeen purku.",
        starts_at=helsinki(2026, 3, 27, 9),
        ends_at=helsinki(2026, 3, 27, 12),
        venue_name="Lappia-talo",
        street_address="Hallituskatu 11",
        postal_code="96100",
        municipality=municipality("698"),
    )


# Invitations: create, update, cancel --------------------------------------------------------


def test_invitations_for_create_update_and_cancel_match_the_golden_files(clock):
    # given an event and a registration (which sends the first invitation)
    event = golden_event()
    services.registration_create(
        event=event,
        data=services.RegistrationData(
            name="Aino Korhonen", email="aino.korhonen@example.fi", language="fi"
        ),
    )
    # when the event moves a week later, across the change to summer time, and is cancelled
    clock.advance(days=1)
    services.event_update(
        actor=None,
        event=event,
        data={"starts_at": helsinki(2026, 4, 3, 9), "ends_at": helsinki(2026, 4, 3, 12)},
    )
    clock.advance(days=1)
    services.event_cancel(actor=None, event=event)
    # then the attendee got REQUEST, REQUEST and CANCEL, each as in its golden file
    created, updated, cancelled = calendar_messages("aino.korhonen@example.fi")
    assert_golden("create.ics", created.attachments[0]["content"])
    assert_golden("update.ics", updated.attachments[0]["content"])
    assert_golden("cancel.ics", cancelled.attachments[0]["content"])


def test_invitations_keep_the_uid_raise_the_sequence_and_parse_back(clock):
    # given
    event = golden_event()
    services.registration_create(
        event=event,
        data=services.RegistrationData(name="Aino Korhonen", email="aino@example.fi"),
    )
    # when
    clock.advance(hours=2)
    services.event_update(actor=None, event=event, data={"venue_name": "Korundi"})
    services.event_cancel(actor=None, event=event)
    # then
    messages = calendar_messages("aino@example.fi")
    parsed = [parse(m.attachments[0]["content"]) for m in messages]
    assert [str(c["method"]) for c in parsed] == ["REQUEST", "REQUEST", "CANCEL"]
    vevents = [the_event(c) for c in parsed]
    assert {str(v["uid"]) for v in vevents} == {"4242-golden@kotoverkko"}
    assert [v.decoded("sequence") for v in vevents] == [0, 1, 2]
    assert [str(v["status"]) for v in vevents] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert str(vevents[1]["location"]).startswith("Korundi, Hallituskatu 11, 96100 Rovaniemi")
    assert vevents[0].decoded("dtstamp") == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert vevents[1].decoded("dtstamp") == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert vevents[1].decoded("last-modified") == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    for vevent in vevents:
        assert str(vevent["organizer"]) == "mailto:mako@example.fi"
        assert str(vevent["organizer"].params["CN"]) == "Lapin MAKO"
        assert str(vevent["attendee"]) == "mailto:aino@example.fi"


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_mime_part_method_matches_the_calendars_method(clock, method):
    # given
    event = golden_event()
    registration = services.registration_create(
        event=event,
        data=services.RegistrationData(name="Aino Korhonen", email="aino@example.fi"),
    )
    # when
    if method == "CANCEL":
        services.registration_cancel(registration=registration)
    message = calendar_messages("aino@example.fi")[-1]
    parts = mime_calendar_parts(message)
    # then both the alternative body and the invite.ics file say the method of their content
    assert len(parts) == 2
    for part in parts:
        assert part.get_param("method") == method
        content = part.get_payload(decode=True)
        assert str(parse(content)["method"]) == method
    assert Registration.objects.get(pk=registration.pk).status == (
        Registration.Status.CANCELLED if method == "CANCEL" else Registration.Status.CONFIRMED
    )


def test_organiser_is_a_bare_address_when_the_site_address_has_a_name(settings, clock):
    # given a network without its own address, and a site address with a display name
    settings.DEFAULT_FROM_EMAIL = "Kotoverkko Lappi <kalenteri@kotoverkko.example>"
    event = EventFactory(network=NetworkFactory(name_fi="Lapin MAKO", contact_email=""))
    # when
    text = ical.invitation(
        event, method="REQUEST", attendee_email="a@example.fi", attendee_name="", language="fi"
    )
    # then
    organiser = the_event(parse(text))["organizer"]
    assert str(organiser) == "mailto:kalenteri@kotoverkko.example"
    assert str(organiser.params["CN"]) == "Lapin MAKO"
    assert "ORGANIZER;CN=Lapin MAKO:mailto:kalenteri@kotoverkko.example\r\n" in text


def test_participation_link_is_never_written(clock):
    # given an online event whose link the page already shows to everyone
    event = OnlineEventFactory(
        starts_at=clock.now + timedelta(minutes=5),
        ends_at=clock.now + timedelta(hours=1),
        link_audience=Event.LinkAudience.PUBLIC,
        online_link="https://teams.example.com/meet/secret-room",
    )
    # when
    outputs = [
        ical.invitation(
            event, method="REQUEST", attendee_email="a@example.fi", attendee_name="A", language="fi"
        ).encode(),
        ical.single(event, language="fi"),
        ical.feed([event], name="Kotoverkko", language="fi"),
    ]
    # then
    for output in outputs:
        assert b"secret-room" not in output
        assert b"teams.example.com" not in output
        assert "Teams" in str(the_event(parse(output))["location"])


def test_invitation_refuses_a_method_it_does_not_make():
    event = EventFactory.build(network=NetworkFactory.build())
    with pytest.raises(ValueError, match="PUBLISH"):
        ical.invitation(
            event, method="PUBLISH", attendee_email="a@example.fi", attendee_name="", language="fi"
        )


# Time zone ----------------------------------------------------------------------------------


def test_times_keep_their_local_hour_on_both_sides_of_the_change_to_summer_time():
    # given events at 9 o'clock before and after 29 March 2026
    winter = EventFactory(starts_at=helsinki(2026, 3, 27, 9), ends_at=helsinki(2026, 3, 27, 10))
    summer = EventFactory(starts_at=helsinki(2026, 4, 3, 9), ends_at=helsinki(2026, 4, 3, 10))
    # when
    body = ical.feed([winter, summer], name="Kotoverkko", language="fi")
    # then
    assert b"DTSTART;TZID=Europe/Helsinki:20260327T090000\r\n" in body
    assert b"DTSTART;TZID=Europe/Helsinki:20260403T090000\r\n" in body
    first, second = parse(body).walk("VEVENT")
    for vevent, offset in ((first, 2), (second, 3)):
        start = vevent.decoded("dtstart")
        assert (start.hour, start.minute) == (9, 0)
        assert start.utcoffset() == timedelta(hours=offset)
    assert first.decoded("dtstart").astimezone(UTC).hour == 7
    assert second.decoded("dtstart").astimezone(UTC).hour == 6


def vtimezone_zone(body: bytes):
    """The zone our VTIMEZONE describes, built from its rules alone (not looked up by name)."""
    (component,) = parse(body).walk("VTIMEZONE")
    return component.to_tz(lookup_tzid=False)


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def test_vtimezone_is_compact_and_agrees_with_the_tz_database_at_every_change():
    # given
    body = ical.single(EventFactory(), language="fi")
    # when
    zone = vtimezone_zone(body)
    # then one short VTIMEZONE, and its rules give the same offsets as Europe/Helsinki
    text = body.decode()
    assert text.count("BEGIN:VTIMEZONE") == 1
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert len(block.splitlines()) < 20
    checked = 0
    for year in range(2017, 2041):
        for month in (3, 10):
            change = datetime.combine(last_sunday(year, month), datetime.min.time(), UTC)
            for minutes in range(0, 4 * 60, 30):  # 00:00–03:30 UTC; the change is at 01:00
                moment = change + timedelta(minutes=minutes)
                expected = moment.astimezone(HELSINKI).utcoffset()
                assert moment.astimezone(zone).utcoffset() == expected, moment
                checked += 1
        for month in (1, 7):
            moment = datetime(year, month, 15, 12, tzinfo=UTC)
            assert moment.astimezone(zone).utcoffset() == moment.astimezone(HELSINKI).utcoffset()
    assert checked == 24 * 2 * 8


def test_every_tzid_used_is_defined():
    body = ical.feed(EventFactory.create_batch(2), name="Kotoverkko", language="fi").decode()
    used = {line.split("TZID=")[1].split(":")[0] for line in body.splitlines() if "TZID=" in line}
    assert used == {"Europe/Helsinki"}
    assert "TZID:Europe/Helsinki\r\n" in body


# Escaping and folding -----------------------------------------------------------------------


def test_commas_semicolons_backslashes_and_line_breaks_are_escaped_and_read_back():
    # given
    title = "Kotoutuminen, työ; koulutus \\ kieli"
    description = "Ensimmäinen rivi.\nToinen rivi, jossa pilkku; ja puolipiste.\r\nKolmas."
    event = EventFactory(title_fi=title, description_fi=description, theme_fi="")
    # when
    body = ical.single(event, language="fi")
    # then
    assert "SUMMARY:Kotoutuminen\\, työ\\; koulutus \\\\ kieli\r\n".encode() in body
    vevent = the_event(parse(body))
    assert str(vevent["summary"]) == title
    assert str(vevent["description"]).startswith(
        "Ensimmäinen rivi.\nToinen rivi, jossa pilkku; ja puolipiste.\nKolmas.\n\n"
    )


def test_control_characters_are_dropped_and_parameters_quoted():
    assert ical.text("a\x00b\x1fc\td") == "abc\td"
    assert ical.param('Lapin "MAKO"') == "Lapin 'MAKO'"
    assert ical.param("MAKO: Lappi, Kemi") == '"MAKO: Lappi, Kemi"'


def test_long_lines_with_finnish_letters_fold_at_75_octets_without_splitting_a_letter():
    # given a title of two-octet letters that cannot fit on one line
    title = "Äänestyspäivän työpajaöljyä ja kääntäjäköörin yöpäivystys " * 3  # 177 of 200
    event = EventFactory(title_fi=title.strip(), description_fi="Ää" * 200)
    # when
    body = ical.single(event, language="fi")
    # then
    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) == 75
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # every physical line is whole UTF-8
    folded = [line for line in lines if line.startswith(b" ")]
    assert len(folded) > 5
    vevent = the_event(parse(body))
    assert str(vevent["summary"]) == title.strip()


@pytest.mark.parametrize("size", range(70, 80))
def test_fold_cuts_before_a_letter_that_would_straddle_the_limit(size):
    line = "X" * (size - 1) + "ä" * 60
    folded = ical.fold(line)
    physical = folded.encode().split(b"\r\n")
    assert all(len(p) <= 75 for p in physical)
    assert [p.decode() for p in physical]  # no split sequence
    assert folded.replace("\r\n ", "") == line


# The "add to calendar" file and feeds -------------------------------------------------------


def test_single_file_is_a_publish_of_one_event_in_the_language_asked():
    # given
    event = EventFactory(title_fi="Verkostotapaaminen", title_sv="Nätverksmöte")
    # when
    body = ical.single(event, language="sv")
    # then
    calendar = parse(body)
    assert str(calendar["method"]) == "PUBLISH"
    vevent = the_event(calendar)
    assert str(vevent["summary"]) == "Nätverksmöte"
    assert str(vevent["url"]) == f"https://kotoverkko.example/sv/events/{event.pk}/"
    assert "attendee" not in vevent
    assert vevent.decoded("dtstamp") == event.updated_at.replace(microsecond=0)


def test_translated_fields_fall_back_to_finnish():
    event = EventFactory(title_fi="Vain suomeksi", title_sv="", title_en="")
    vevent = the_event(parse(ical.single(event, language="en")))
    assert str(vevent["summary"]) == "Vain suomeksi"


def test_feed_has_its_name_refresh_interval_and_one_vevent_per_event():
    # given
    events = EventFactory.create_batch(3)
    cancelled = EventFactory(status=Event.Status.CANCELLED)
    # when
    body = ical.feed([*events, cancelled], name="Lapin MAKO, tapahtumat", language="fi")
    # then
    calendar = parse(body)
    assert str(calendar["method"]) == "PUBLISH"
    # X-WR-CALNAME and NAME are TEXT, escaped as such (the library does not read them as TEXT)
    assert b"\r\nX-WR-CALNAME:Lapin MAKO\\, tapahtumat\r\n" in body
    assert b"\r\nNAME:Lapin MAKO\\, tapahtumat\r\n" in body
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in body
    vevents = calendar.walk("VEVENT")
    assert [str(v["uid"]) for v in vevents] == [e.uid for e in [*events, cancelled]]
    assert [str(v["status"]) for v in vevents] == ["CONFIRMED"] * 3 + ["CANCELLED"]


def test_feed_reads_nothing_beyond_its_fields(django_assert_num_queries):
    # given events of every format, loaded with FEED_FIELDS only
    EventFactory(municipality=municipality("698"))
    OnlineEventFactory(status=Event.Status.CANCELLED)
    OnlineEventFactory(format=Event.Format.HYBRID, venue_name="Lappia-talo", postal_code="94100")
    events = list(Event.objects.select_related("network", "municipality").only(*ical.FEED_FIELDS))
    # when / then: writing them asks the database nothing more
    with django_assert_num_queries(0):
        body = ical.feed(events, name="Kotoverkko", language="sv")
    assert len(parse(body).walk("VEVENT")) == 3
    assert b"LOCATION:Kaupungintalo\\, Hallituskatu 7\\, Rovaniemi\r\n" in body


def test_feed_of_the_same_events_is_the_same_bytes():
    events = EventFactory.create_batch(2)
    first = ical.feed(events, name="Kotoverkko", language="fi")
    assert ical.feed(events, name="Kotoverkko", language="fi") == first


def test_event_ending_when_it_starts_has_no_dtend():
    start = helsinki(2026, 5, 4, 12)
    body = ical.single(EventFactory(starts_at=start, ends_at=start), language="fi")
    vevent = the_event(parse(body))
    assert "dtend" not in vevent
    assert vevent.decoded("dtstart") == start
