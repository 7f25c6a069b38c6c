"""iCalendar (RFC 5545) output of events: iTIP messages (RFC 5546) for invitations, the
"add to calendar" file of one event, and subscribable feeds.

Every event keeps one UID for its whole life; its SEQUENCE counts the changes that matter to
a calendar. Times are written with TZID=Europe/Helsinki and a compact VTIMEZONE carrying the
EU rule, so a meeting at 9 stays at 9 in every client, on both sides of a daylight-saving
change.

The participation link (`Event.online_link`) is never written here. Invitations go out long
before the link may be released, and a feed or downloaded file is copied into calendars
where it can no longer be withdrawn; the link reaches people by e-mail and on the event page
when `selectors.link_visible` allows.

The text is written by a small writer of our own (escaping, folding at 75 octets, CRLF)
rather than the `icalendar` library, which is kept for reading the output back in tests: a
feed of ten thousand events must render in a fraction of a second.
"""

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.utils import resolution_order

from .models import Event

PRODID = "-//Kotoverkko//Events//EN"
TZID = "Europe/Helsinki"
HELSINKI = ZoneInfo(TZID)
# Part of every feed's ETag: raise it when the output changes shape, so that subscribed
# calendars fetch the new form.
FORMAT_VERSION = "1"
# How often a subscribed calendar should fetch a feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH = "PT1H"

# Finland follows the EU rule (since 1996): summer time from 03:00 local (01:00 UTC) on the
# last Sunday of March, standard time from 04:00 local (01:00 UTC) on the last Sunday of
# October. Each observance's DTSTART is local time in the offset it replaces.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    f"X-LIC-LOCATION:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0300",
    "TZNAME:EEST",
    "DTSTART:19960331T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0300",
    "TZOFFSETTO:+0200",
    "TZNAME:EET",
    "DTSTART:19961027T040000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)

_STATUS = {
    Event.Status.SCHEDULED.value: "CONFIRMED",
    Event.Status.RESCHEDULED.value: "CONFIRMED",
    Event.Status.POSTPONED.value: "TENTATIVE",
    Event.Status.CANCELLED.value: "CANCELLED",
}
_ONLINE, _IN_PERSON = Event.Format.ONLINE.value, Event.Format.IN_PERSON.value
# Everything a VEVENT reads, so that a feed loads nothing else (translated fields stand for
# their every language). Fetching the whole row costs more than writing the feed.
FEED_FIELDS = (
    "uid",
    "sequence",
    "updated_at",
    "starts_at",
    "ends_at",
    "status",
    "format",
    "title",
    "theme",
    "description",
    "venue_name",
    "street_address",
    "postal_code",
    "online_platform",
    "network__name",
    "network__contact_email",
    "municipality__name",
)
# Characters a TEXT value may not hold at all (RFC 5545 3.3.11); line breaks are escaped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL_PK = 987654321


# The writer -------------------------------------------------------------------------------


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped,
    other control characters dropped."""
    if not value:
        return ""
    if not value.isprintable():  # rare: only then look for line breaks and controls
        value = _CONTROL.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param(value: str) -> str:
    """A parameter value (RFC 5545 3.2): quoted when it holds : ; or , — a double quote
    cannot be written at all and becomes an apostrophe."""
    value = _CONTROL.sub("", value).replace("\r", " ").replace("\n", " ").replace('"', "'")
    if any(char in value for char in ":;,"):
        return f'"{value}"'
    return value


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence."""
    if len(line) <= 75 and line.isascii():
        return line
    data = line.encode()
    if len(data) <= 75:
        return line
    parts = []
    start, limit, end = 0, 75, len(data)
    while end - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, 74  # a continuation line starts with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


# %-formatting of the six numbers takes a third of the time of an f-string with format specs
# or strftime, and a feed formats three times for every event.
_DATE_TIME = "%04d%02d%02dT%02d%02d%02d"


def local_time(value: datetime) -> str:
    """A DATE-TIME in Helsinki wall-clock time, for use with TZID=Europe/Helsinki."""
    t = value.astimezone(HELSINKI)
    return _DATE_TIME % (t.year, t.month, t.day, t.hour, t.minute, t.second)


def utc_time(value: datetime) -> str:
    t = value.astimezone(UTC)
    return _DATE_TIME % (t.year, t.month, t.day, t.hour, t.minute, t.second) + "Z"


def _serialise(lines: list[str]) -> str:
    return "\r\n".join(lines) + "\r\n"


# Events -----------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def organiser_address(event: Event) -> tuple[str, str]:
    """(name, address) of the organiser: the network's contact address, else the site's.

    DEFAULT_FROM_EMAIL may be written "Name <address>"; only the address is a calendar
    address.
    """
    email = event.network.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return str(event.network), email


class _Writer:
    """What the events of one calendar share, worked out once in the active language: the
    event address, each network's ORGANIZER line, municipality names, the word for an online
    place, and where each translated field falls back (as modeltranslation does, without
    asking for the language on every read)."""

    def __init__(self) -> None:
        path = reverse("events:event_detail", kwargs={"pk": _URL_PK})
        self.url_head, self.url_tail = absolute(path).split(str(_URL_PK), 1)
        self.online = translation.gettext("online")
        self.organisers: dict[int, str] = {}
        self.municipalities: dict[int, str] = {}
        languages = resolution_order(translation.get_language() or settings.LANGUAGE_CODE)
        self.columns = {
            field: tuple(f"{field}_{language}" for language in languages)
            for field in ("title", "theme", "description")
        }

    def translated(self, event: Event, field: str) -> str:
        for column in self.columns[field]:
            value = getattr(event, column, None)
            if value:
                return value
        return ""

    def organiser(self, event: Event) -> str:
        line = self.organisers.get(event.network_id)
        if line is None:
            name, email = organiser_address(event)
            line = fold(f"ORGANIZER;CN={param(name)}:mailto:{email}")
            self.organisers[event.network_id] = line
        return line

    def location(self, event: Event) -> str:
        parts = []
        if event.format != _ONLINE:  # in person or hybrid
            municipality = ""
            if event.municipality_id:
                municipality = self.municipalities.get(event.municipality_id)
                if municipality is None:
                    municipality = str(event.municipality)
                    self.municipalities[event.municipality_id] = municipality
            place = f"{event.postal_code} {municipality}".strip()
            parts = [event.venue_name, event.street_address, place]
        if event.format != _IN_PERSON:  # online or hybrid
            parts.append(event.online_platform or self.online)
        return ", ".join([p for p in parts if p])

    def vevent(
        self,
        lines: list[str],
        event: Event,
        *,
        stamp: datetime | None = None,
        cancelled: bool = False,
        attendee: tuple[str, str] | None = None,
        waiting: bool = False,
    ) -> None:
        """Append one VEVENT to `lines` (as a few strings of whole content lines); DTSTAMP is
        `stamp`, else the event's last change. `waiting`: the calendar's owner is on the
        waiting list, so the event is TENTATIVE for her and its title says so.

        The participation link is never written (see the module's docstring).
        """
        url = f"{self.url_head}{event.pk}{self.url_tail}"
        theme, details = self.translated(event, "theme"), self.translated(event, "description")
        description = "\n\n".join([p for p in (theme, details, url) if p])
        title = self.translated(event, "title")
        if waiting:
            title = translation.gettext("%(title)s (waiting list)") % {"title": title}
        modified = utc_time(event.updated_at)
        dtend = ""
        if event.ends_at > event.starts_at:  # DTEND must be later than DTSTART
            dtend = f"DTEND;TZID={TZID}:{local_time(event.ends_at)}\r\n"
        lines.append(
            f"BEGIN:VEVENT\r\n"
            f"{fold('UID:' + text(event.uid))}\r\n"
            f"SEQUENCE:{event.sequence}\r\n"
            f"DTSTAMP:{modified if stamp is None else utc_time(stamp)}\r\n"
            f"DTSTART;TZID={TZID}:{local_time(event.starts_at)}\r\n"
            f"{dtend}"
            f"{fold('SUMMARY:' + text(title))}\r\n"
            f"{fold('DESCRIPTION:' + text(description))}\r\n"
            f"{fold('URL:' + url)}"
        )
        location = self.location(event)
        if location:
            lines.append(fold("LOCATION:" + text(location)))
        status = "CANCELLED" if cancelled else _STATUS[event.status]
        if waiting and status == "CONFIRMED":
            status = "TENTATIVE"
        lines.append(f"STATUS:{status}\r\nLAST-MODIFIED:{modified}\r\n{self.organiser(event)}")
        if attendee is not None:
            email, name = attendee
            cn = f"CN={param(name)};" if name.strip() else ""
            lines.append(
                fold(
                    f"ATTENDEE;{cn}ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"
                    f":mailto:{email}"
                )
            )
        lines.append("END:VEVENT")


def _head(method: str, *extra: str) -> list[str]:
    return [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *extra,
        *VTIMEZONE,
    ]


def invitation(
    event: Event,
    *,
    method: str,
    attendee_email: str,
    attendee_name: str,
    language: str,
    now: datetime | None = None,
) -> str:
    """An iTIP message (METHOD:REQUEST or CANCEL) about one event for one attendee.

    DTSTAMP is the time the message is made (`now`, by default the clock), which with
    SEQUENCE orders the messages a calendar receives about the event.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    with translation.override(language):
        lines = _head(method)
        _Writer().vevent(
            lines,
            event,
            stamp=now or timezone.now(),
            cancelled=method == "CANCEL" or event.is_cancelled,
            attendee=(attendee_email, attendee_name),
        )
        lines.append("END:VCALENDAR")
        return _serialise(lines)


def single(event: Event, *, language: str) -> bytes:
    """The "add to calendar" file of one event (METHOD:PUBLISH).

    DTSTAMP is the event's last change, so the file is the same until the event changes.
    """
    with translation.override(language):
        lines = _head("PUBLISH")
        _Writer().vevent(lines, event, cancelled=event.is_cancelled)
        lines.append("END:VCALENDAR")
        return _serialise(lines).encode()


def feed(
    events: Iterable[Event], *, name: str, language: str, waiting: frozenset[int] = frozenset()
) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH) of the events, one VEVENT each; the events
    whose ids are in `waiting` are marked as waited for (see `_Writer.vevent`).

    The events should come with their network and municipality loaded; FEED_FIELDS are all
    the columns it reads. As in `single`, each DTSTAMP is the event's last change: the same
    events give the same bytes.
    """
    with translation.override(language):
        writer = _Writer()
        lines = _head(
            "PUBLISH",
            fold(f"NAME:{text(name)}"),
            fold(f"X-WR-CALNAME:{text(name)}"),
            f"X-WR-TIMEZONE:{TZID}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
            f"X-PUBLISHED-TTL:{REFRESH}",
        )
        for event in events:
            writer.vevent(lines, event, cancelled=event.is_cancelled, waiting=event.pk in waiting)
        lines.append("END:VCALENDAR")
        return _serialise(lines).encode()
