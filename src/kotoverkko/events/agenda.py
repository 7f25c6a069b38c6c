"""What an agenda tells without a database: its warnings, the next free start time, the timed
turns of a current-affairs round, and the first draft of the minutes.

Pure functions on an event and lists of its agenda items, slots and registrations, so the
pages, the API and the tests share them.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import AgendaItem, AgendaSlot, Event, Registration


def clock(moment: datetime) -> str:
    """A time of day as Finnish and Finland-Swedish write it: 9.05, 13.30."""
    local = timezone.localtime(moment)
    return f"{local.hour}.{local.minute:02d}"


def span(starts_at: datetime, ends_at: datetime) -> str:
    return f"{clock(starts_at)}–{clock(ends_at)}"


def in_order(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    return sorted(items, key=lambda item: (item.starts_at, item.position, item.pk or 0))


def next_start(event: Event, items: Iterable[AgendaItem]) -> datetime:
    """Where a new item goes: after the item that ends last, or at the start of the event."""
    ends = [item.ends_at for item in items]
    return max(ends) if ends else event.starts_at


# Warnings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaWarning:
    code: str  # no_debrief, overlap, overrun, before_start, after_end
    message: str
    item_pk: int | None = None


def agenda_warnings(event: Event, items: Iterable[AgendaItem]) -> list[AgendaWarning]:
    """What a coordinator should fix before the meeting: a workshop with no debrief after
    it, items that overlap, items outside the event and an agenda running past its end."""
    ordered = in_order(items)
    warnings: list[AgendaWarning] = []
    warnings += _outside(event, ordered)
    warnings += _overlaps(ordered)
    warnings += _without_debrief(ordered)
    overrun = _overrun(event, ordered)
    if overrun:
        warnings.append(overrun)
    return warnings


def _without_debrief(items: Sequence[AgendaItem]) -> list[AgendaWarning]:
    found = []
    for index, item in enumerate(items):
        if item.type != AgendaItem.Type.WORKSHOP:
            continue
        later = items[index + 1 :]
        if not any(other.type == AgendaItem.Type.DEBRIEF for other in later):
            found.append(
                AgendaWarning(
                    "no_debrief",
                    _(
                        "The workshop “%(title)s” has no debrief after it. Reserve time to go "
                        "through what the groups found."
                    )
                    % {"title": item.title},
                    item.pk,
                )
            )
    return found


def _overlaps(items: Sequence[AgendaItem]) -> list[AgendaWarning]:
    found = []
    latest: AgendaItem | None = None  # the item that ends last so far
    for item in items:
        if latest is not None and item.starts_at < latest.ends_at:
            found.append(
                AgendaWarning(
                    "overlap",
                    _("“%(first)s” (%(first_time)s) and “%(second)s” (%(second_time)s) overlap.")
                    % {
                        "first": latest.title,
                        "first_time": span(latest.starts_at, latest.ends_at),
                        "second": item.title,
                        "second_time": span(item.starts_at, item.ends_at),
                    },
                    item.pk,
                )
            )
        if latest is None or item.ends_at > latest.ends_at:
            latest = item
    return found


def _outside(event: Event, items: Sequence[AgendaItem]) -> list[AgendaWarning]:
    found = []
    for item in items:
        if item.starts_at < event.starts_at:
            found.append(
                AgendaWarning(
                    "before_start",
                    _("“%(title)s” starts at %(time)s, before the event starts (%(start)s).")
                    % {
                        "title": item.title,
                        "time": clock(item.starts_at),
                        "start": clock(event.starts_at),
                    },
                    item.pk,
                )
            )
        elif item.starts_at >= event.ends_at:
            found.append(
                AgendaWarning(
                    "after_end",
                    _("“%(title)s” starts at %(time)s, after the event has ended (%(end)s).")
                    % {
                        "title": item.title,
                        "time": clock(item.starts_at),
                        "end": clock(event.ends_at),
                    },
                    item.pk,
                )
            )
    return found


def _overrun(event: Event, items: Sequence[AgendaItem]) -> AgendaWarning | None:
    if not items:
        return None
    end = max(item.ends_at for item in items)
    if end <= event.ends_at:
        return None
    minutes = int((end - event.ends_at).total_seconds() // 60) or 1
    return AgendaWarning(
        "overrun",
        _(
            "The agenda runs %(minutes)s minutes past the end of the event: it ends at "
            "%(agenda_end)s, the event at %(event_end)s."
        )
        % {"minutes": minutes, "agenda_end": clock(end), "event_end": clock(event.ends_at)},
    )


# Turns of a current-affairs round -----------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    starts_at: datetime
    ends_at: datetime
    label: str
    seconds: int

    @property
    def time(self) -> str:
        return span(self.starts_at, self.ends_at)

    @property
    def length(self) -> str:
        minutes, seconds = divmod(self.seconds, 60)
        if seconds:
            return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": seconds}
        return _("%(minutes)s min") % {"minutes": minutes}

    def __str__(self) -> str:
        return f"{self.time} {self.label}"


def turns(slots: Iterable[AgendaSlot]) -> list[Turn]:
    """Each organisation's timed turn, e.g. "9.10–9.13 SPR Lapin piiri"."""
    return [
        Turn(
            starts_at=slot.starts_at,
            ends_at=slot.starts_at + timedelta(seconds=slot.seconds),
            label=slot.label,
            seconds=slot.seconds,
        )
        for slot in sorted(slots, key=lambda s: (s.starts_at, s.pk or 0))
    ]


# Minutes ------------------------------------------------------------------------------------


def present(registrations: Iterable[Registration]) -> list[Registration]:
    """Those marked present, and those with a confirmed place whose attendance is not marked."""
    return [
        r
        for r in registrations
        if r.status != Registration.Status.CANCELLED
        and (
            r.attendance == Registration.Attendance.PRESENT
            or (
                r.attendance == Registration.Attendance.UNKNOWN
                and r.status == Registration.Status.CONFIRMED
            )
        )
    ]


def event_place(event: Event) -> str:
    parts = []
    if event.is_in_person:
        municipality = str(event.municipality) if event.municipality_id else ""
        parts += [event.venue_name, event.street_address, municipality]
    if event.is_online:
        parts.append(event.online_platform or _("online"))
    return ", ".join(p for p in parts if p)


def minutes_prefill(
    event: Event, items: Iterable[AgendaItem], registrations: Iterable[Registration]
) -> str:
    """The first draft of the minutes in the event's first language: the event, date and
    place, who was present with their organisations, and the agenda as numbered sections."""
    language = (event.languages or ["fi"])[0]
    with translation.override(language):
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        if starts.date() == ends.date():
            when = _("%(date)s at %(time)s") % {
                "date": f"{starts.day}.{starts.month}.{starts.year}",
                "time": span(starts, ends),
            }
        else:
            when = (
                f"{starts.day}.{starts.month}.{starts.year} {clock(starts)} – "
                f"{ends.day}.{ends.month}.{ends.year} {clock(ends)}"
            )
        heading = _("Minutes: %(title)s") % {"title": event.title}
        lines = [heading, "=" * len(heading), when]
        place = event_place(event)
        if place:
            lines.append(place)
        lines += ["", _("Present:")]
        people = present(registrations)
        for registration in people:
            organisation = registration.display_organisation
            lines.append(
                f"- {registration.name} ({organisation})"
                if organisation
                else f"- {registration.name}"
            )
        if not people:
            lines.append("- ")
        for number, item in enumerate(in_order(items), start=1):
            lines += ["", f"{number}. {item.title} ({span(item.starts_at, item.ends_at)})"]
            speakers = [_speaker_text(s) for s in item.speakers.all()]
            if speakers:
                lines.append(_("Speakers: %(names)s") % {"names": "; ".join(speakers)})
            for turn in turns(item.slots.all()):
                lines.append(f"- {turn.label}: ")
        lines += ["", _("Next meeting:")]
    return "\n".join(lines).rstrip() + "\n"


def _speaker_text(speaker) -> str:
    organisation = speaker.display_organisation
    return f"{speaker.display_name} ({organisation})" if organisation else speaker.display_name


# HTML rendering of plain-text minutes -------------------------------------------------------

_NUMBERED = re.compile(r"^\d+\.\s+\S")
_BULLET = re.compile(r"^[-*•](\s+|$)")
_UNDERLINE = re.compile(r"^(=+|-{3,})\s*$")


def minutes_html(text: str) -> SafeString:
    """The minutes as HTML: a title, numbered sections as headings, "- " lines as lists,
    the rest as paragraphs. Every piece of the text is escaped."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    html: list[str] = []
    for block in blocks:
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if len(lines) >= 2 and _UNDERLINE.match(lines[1]):
            html.append(f"<h2>{conditional_escape(lines[0])}</h2>")
            lines = lines[2:]
        if lines and _NUMBERED.match(lines[0]):
            html.append(f"<h3>{conditional_escape(lines[0])}</h3>")
            lines = lines[1:]
        html += _block_html(lines)
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of text is escaped above


def _block_html(lines: list[str]) -> list[str]:
    html: list[str] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            html.append("<p>" + "<br>".join(conditional_escape(p) for p in paragraph) + "</p>")
            paragraph.clear()

    def flush_bullets() -> None:
        if bullets:
            items = "".join(f"<li>{conditional_escape(b)}</li>" for b in bullets)
            html.append(f"<ul>{items}</ul>")
            bullets.clear()

    for line in lines:
        if _BULLET.match(line.lstrip()):
            flush_paragraph()
            bullets.append(_BULLET.sub("", line.lstrip(), count=1))
        else:
            flush_bullets()
            paragraph.append(line.strip())
    flush_paragraph()
    flush_bullets()
    return html
