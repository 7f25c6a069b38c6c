"""The public calendar (list and month), event pages, registration and its cancellation."""

import calendar as monthcalendar
import html
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotoverkko.common.cache import cache_for_anonymous, cached_for_public_pages
from kotoverkko.common.forms import apply_service_errors
from kotoverkko.common.permissions import user_can
from kotoverkko.common.prepared import Param, PreparedQuery, PreparedRows
from kotoverkko.common.ratelimit import rate_limit_exceeded
from kotoverkko.common.rows import rows_html
from kotoverkko.common.templatetags.kotoverkko import with_selected
from kotoverkko.library.models import Document
from kotoverkko.network.models import LANGUAGE_CHOICES, EmptyAsNull

from . import selectors, services
from .forms import FILTER_FIELDS, CalendarFilterForm, RegistrationForm, calendar_filter_options
from .models import Event, Minutes, Registration

PAGE_SIZE = 20
UPCOMING_ON_NETWORK_HOME = 5


# Labels and formats, worked out once per language ------------------------------------------


@dataclass(frozen=True)
class Labels:
    types: dict[str, str]
    formats: dict[str, str]
    status_badges: dict[str, str]
    registration: dict[str, str]
    materials: str
    minutes: str
    online: str
    detail_prefix: str
    month_prefix: str
    calendar_url: str
    feed_url: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    language: str


@lru_cache(maxsize=8)
def _labels(language: str) -> Labels:
    """Choice labels, badges, day names and the event pages' address in one language: the
    same on every page, and costly to work out for every row."""
    with translation.override(language):

        def badge(text, kind: str) -> str:
            return format_html(' <span class="badge badge-{}">{}</span>', kind, text)

        def state(text, kind: str) -> str:
            return format_html('<span class="reg reg-{}">{}</span>', kind, text)

        return Labels(
            types={value: capfirst(str(label)) for value, label in Event.Type.choices},
            formats={value: capfirst(str(label)) for value, label in Event.Format.choices},
            status_badges={
                Event.Status.SCHEDULED: "",
                Event.Status.RESCHEDULED: badge(_("rescheduled"), "warn"),
                Event.Status.POSTPONED: badge(_("postponed"), "warn"),
                Event.Status.CANCELLED: badge(_("cancelled"), "error"),
            },
            registration={
                "open": state(_("Registration open"), "open"),
                "full": state(_("Full – waiting list"), "full"),
                "closed": state(_("Registration closed"), "closed"),
                "walk_in": state(_("No registration needed"), "walk-in"),
                "draft": state(_("Not published"), "closed"),
                "none": "–",
                "cancelled": "–",
            },
            materials=format_html('<span class="badge">{}</span>', _("materials")),
            minutes=format_html('<span class="badge">{}</span>', _("minutes")),
            online=_("online"),
            detail_prefix=reverse("events:event_detail", kwargs={"pk": 0})[: -len("0/")],
            month_prefix=reverse("events:calendar_month", kwargs={"year": 1900, "month": 1})[
                : -len("1900/1/")
            ],
            calendar_url=reverse("events:calendar"),
            feed_url=reverse("events:feed"),
            weekdays=tuple(str(WEEKDAYS_ABBR[day]) for day in range(7)),
            months=tuple(str(MONTHS_3[month]).capitalize() for month in range(1, 13)),
            language=language,
        )


def _date_text(day: datetime | date, labels: Labels) -> str:
    """ "ti 3.11.2026" as people in Finland write dates; "Tue 3 Nov 2026" in English."""
    weekday = labels.weekdays[day.weekday()]
    if labels.language == "en":
        return f"{weekday} {day.day} {labels.months[day.month - 1]} {day.year}"
    return f"{weekday} {day.day}.{day.month}.{day.year}"


def _time_text(moment: datetime, labels: Labels) -> str:
    separator = ":" if labels.language == "en" else "."
    return f"{moment.hour}{separator}{moment.minute:02d}"


def when_text(
    starts_at: datetime, ends_at: datetime, labels: Labels | None = None, zone=None
) -> str:
    """When an event is, in Helsinki time: "ti 3.11.2026 9.00–12.00", or with both dates
    when it spans days."""
    labels = labels or _labels(translation.get_language())
    zone = zone or timezone.get_current_timezone()
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    first = f"{_date_text(start, labels)} {_time_text(start, labels)}"
    if start.date() == end.date():
        return f"{first}–{_time_text(end, labels)}"
    return f"{first} – {_date_text(end, labels)} {_time_text(end, labels)}"


def _state(
    *,
    status: str,
    visibility: str,
    registration_open: bool,
    walk_ins_welcome: bool,
    closes_at: datetime,
    capacity: int | None,
    confirmed: int,
    now: datetime,
) -> str:
    """Whether one can register now: open, full (waiting list), closed, walk_in (no
    registration, all welcome), none, cancelled or draft. The service decides for real."""
    if status == Event.Status.CANCELLED:
        return "cancelled"
    if not registration_open:
        return "walk_in" if walk_ins_welcome else "none"
    if visibility == Event.Visibility.DRAFT:
        return "draft"
    if now >= closes_at:
        return "closed"
    if capacity is not None and confirmed >= capacity:
        return "full"
    return "open"


def registration_state(event: Event, counts: dict[str, int], now: datetime) -> str:
    return _state(
        status=event.status,
        visibility=event.visibility,
        registration_open=event.registration_open,
        walk_ins_welcome=event.walk_ins_welcome,
        closes_at=event.registration_closes_at(),
        capacity=event.capacity,
        confirmed=counts["confirmed"],
        now=now,
    )


def _moment_text(moment: datetime, labels: Labels | None = None) -> str:
    """A moment in Helsinki time: "ti 3.11.2026 9.00"."""
    labels = labels or _labels(translation.get_language())
    local = timezone.localtime(moment)
    return f"{_date_text(local, labels)} {_time_text(local, labels)}"


def event_when(event: Event, labels: Labels | None = None) -> str:
    return when_text(event.starts_at, event.ends_at, labels)


# Lists of events read as plain values -------------------------------------------------------


def _fallback_order(language: str) -> list[str]:
    """The content languages in the order modeltranslation falls back through for one."""
    fallbacks = getattr(settings, "MODELTRANSLATION_FALLBACK_LANGUAGES", {})
    if isinstance(fallbacks, dict):
        fallbacks = fallbacks.get(language, fallbacks.get("default", ()))
    order = [language, *fallbacks, *(code for code, _name in settings.LANGUAGES)]
    return list(dict.fromkeys(order))


def _in_language(field: str, language: str):
    """A translated column in the reader's language, else the first filled in of the others:
    modeltranslation's fallback, done by the database."""
    return Coalesce(
        *(EmptyAsNull(f"{field}_{code}") for code in _fallback_order(language)),
        Value(""),
        output_field=CharField(),
    )


def event_values(queryset, *, past: bool = False):
    """What a list row shows of each event, as plain values: model instances of events and
    their networks cost more than everything else on a page of twenty."""
    language = translation.get_language()
    confirmed = (
        Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    extra = {}
    if past:
        extra = {
            "has_materials": Exists(
                Document.objects.filter(event=OuterRef("pk"), visibility="public")
            ),
            "has_minutes": Exists(
                Minutes.objects.filter(
                    event=OuterRef("pk"), published=True, status=Minutes.Status.APPROVED
                )
            ),
        }
    return queryset.values(
        "pk",
        "starts_at",
        "ends_at",
        "status",
        "visibility",
        "type",
        "format",
        "venue_name",
        "online_platform",
        "registration_open",
        "registration_deadline",
        "capacity",
        "walk_ins_welcome",
        label=_in_language("title", language),
        network_name=_in_language("network__name", language),
        team_name=_in_language("team__name", language),
        municipality_name=_in_language("municipality__name", language),
        confirmed=Coalesce(Subquery(confirmed), 0),
        **extra,
    )


def _place(row: dict, labels: Labels) -> str:
    parts = []
    if row["format"] != Event.Format.ONLINE:
        parts += [row["venue_name"], row["municipality_name"]]
    if row["format"] != Event.Format.IN_PERSON:
        parts.append(row["online_platform"] or labels.online)
    return ", ".join(p for p in parts if p) or "–"


# One row of an event table (see common/rows.py for why it is not a template loop).
EVENT_ROW = (
    '<tr><td><time datetime="{iso}">{when}</time></td>'
    '<td><a href="{url}">{title}</a>{badge}<span class="meta row-network">{network}</span></td>'
    "<td>{type}</td><td>{format}</td><td>{place}</td><td>{state}</td></tr>"
)


def _moment(value) -> datetime | None:
    """A time from a prepared query: on SQLite the stored UTC time without its zone."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def event_rows(rows: list[dict], *, now: datetime, past: bool = False) -> list[dict]:
    """What each row of an event table shows, from `event_values`. Past events tell whether
    their materials or minutes are there instead of the state of registration."""
    labels = _labels(translation.get_language())
    zone = timezone.get_current_timezone()
    result = []
    for row in rows:
        starts_at, ends_at = _moment(row["starts_at"]), _moment(row["ends_at"])
        if past:
            found = [
                badge
                for badge, there in (
                    (labels.materials, row["has_materials"]),
                    (labels.minutes, row["has_minutes"]),
                )
                if there
            ]
            state = mark_safe(" ".join(found) or "–")  # noqa: S308 - badges escaped above
        else:
            state = labels.registration[
                _state(
                    status=row["status"],
                    visibility=row["visibility"],
                    registration_open=row["registration_open"],
                    walk_ins_welcome=row["walk_ins_welcome"],
                    closes_at=_moment(row["registration_deadline"]) or starts_at,
                    capacity=row["capacity"],
                    confirmed=row["confirmed"],
                    now=now,
                )
            ]
        network = row["network_name"]
        if row["team_name"]:
            network = f"{network} · {row['team_name']}"
        result.append(
            {
                "iso": starts_at.isoformat(),
                "when": when_text(starts_at, ends_at, labels, zone),
                "url": f"{labels.detail_prefix}{row['pk']}/",
                "title": row["label"],
                "badge": labels.status_badges.get(row["status"], ""),
                "network": network,
                "type": labels.types.get(row["type"], row["type"]),
                "format": labels.formats.get(row["format"], row["format"]),
                "place": _place(row, labels),
                "state": state,
            }
        )
    return result


@dataclass(frozen=True)
class ListPage:
    """One page of a list that is never counted: counting the upcoming events of a large
    calendar costs more than the rest of the page, and nobody needs the number of pages."""

    number: int
    object_list: list
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


MAX_PAGE = 500


def _list_page(queryset, requested: str | None) -> ListPage:
    """The requested page (the first for anything but a number from 1 to MAX_PAGE), with one
    row more than shown read to tell whether a next page exists."""
    try:
        number = int(requested or 1)
    except ValueError:
        number = 1
    number = number if 1 <= number <= MAX_PAGE else 1
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    return ListPage(number=number, object_list=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE)


def _bounded(queryset, *, past: bool, now, since):
    """The same events, with a start-time bound the database can use.

    Upcoming events are those not yet ended; none of them started before now minus the
    longest event there is (`since`), so the scan of the start-time index can begin there
    instead of at the first event ever. Past events all started before now.
    """
    if past:
        return queryset.filter(starts_at__lt=now)
    return queryset.filter(starts_at__gte=since)


def _longest_event() -> timedelta:
    """The length of the longest event (at least a day) and a day to spare, kept with the
    public pages' data (a change of a public event renews it)."""

    def compute() -> timedelta:
        longest = Event.objects.aggregate(longest=Max(F("ends_at") - F("starts_at")))["longest"]
        return max(longest or timedelta(0), timedelta(days=1))

    return cached_for_public_pages("events-longest", compute) + timedelta(days=1)


# The calendar ---------------------------------------------------------------------------------


def _filter_form(request) -> tuple[CalendarFilterForm, dict]:
    options = calendar_filter_options(language=translation.get_language())
    form = CalendarFilterForm(request.GET, options=options)
    form.is_valid()
    return form, options


# The calendar's filter form: built here rather than in a template, since a template loop over
# its selects cost a millisecond per page. Everything in it is escaped.
FILTER_FORM = (
    '<form method="get" class="filters event-filters" role="search" aria-label="{aria}">{hidden}'
    '<div class="field"><label for="f-q">{search}</label><input type="search" id="f-q" '
    'name="q" value="{q}" maxlength="100"{q_invalid}>{q_error}</div>'
    '{selects}<div class="field"><button type="submit">{submit}</button></div></form>'
)
FILTER_SELECT = (
    '<div class="field"><label for="f-{name}">{label}</label>'
    '<select id="f-{name}" name="{name}"{invalid}><option value="">{all}</option>'
    "{options}</select>{error}</div>"
)
FILTER_ERROR = '<span class="errorlist" id="f-{name}-error">{text}</span>'
FILTER_INVALID = ' aria-invalid="true" aria-describedby="f-{name}-error"'


@lru_cache(maxsize=8)
def _filter_labels(language: str) -> dict[str, tuple[str, str]]:
    """The form's texts, and each select's label and "all" option, escaped, in one
    language."""
    with translation.override(language):
        all_labels = {
            "network": _("All networks"),
            "team": _("All teams"),
            "region": _("All regions"),
            "municipality": _("All municipalities"),
            "type": _("All types"),
            "audience": _("All target groups"),
            "language": _("All languages"),
            "format": _("All formats"),
        }
        texts = {
            "aria": _("Filter events"),
            "search": CalendarFilterForm.base_fields["q"].label,
            "submit": _("Filter"),
        }
        return {
            "texts": {key: html.escape(str(text)) for key, text in texts.items()},
            **{
                name: (
                    html.escape(str(CalendarFilterForm.base_fields[name].label)),
                    html.escape(text),
                )
                for name, text in all_labels.items()
            },
        }


def _error_parts(form: CalendarFilterForm, name: str) -> tuple[str, str]:
    errors = form.errors.get(name)
    if not errors:
        return "", ""
    text = html.escape(" ".join(errors))
    return FILTER_INVALID.format(name=name), FILTER_ERROR.format(name=name, text=text)


def _filter_form_html(form: CalendarFilterForm, options: dict, *, values: dict) -> SafeString:
    """The filter form with its cached options, the chosen ones selected; the list's time
    window (past events, a day, a month) is kept in hidden fields."""
    labels = _filter_labels(translation.get_language())
    selects = []
    for name in (n for n in FILTER_FIELDS if n != "q"):
        label, all_label = labels[name]
        invalid, error = _error_parts(form, name)
        selects.append(
            FILTER_SELECT.format(
                name=name,
                label=label,
                all=all_label,
                options=with_selected(options["html"][name], values[name]),
                invalid=invalid,
                error=error,
            )
        )
    q_invalid, q_error = _error_parts(form, "q")
    markup = FILTER_FORM.format(
        **labels["texts"],
        hidden="".join(
            f'<input type="hidden" name="{name}" value="{html.escape(values[name])}">'
            for name in ("when", "day", "month")
            if values.get(name)
        ),
        q=html.escape(values["q"]),
        q_invalid=q_invalid,
        q_error=q_error,
        selects="".join(selects),
    )
    return mark_safe(markup)  # noqa: S308 - every text and value escaped above


def _query(values: dict[str, str], **extra: str) -> str:
    """The filters as a query string, empty values left out."""
    return urlencode({k: v for k, v in {**values, **extra}.items() if v})


# Anonymous visitors share each filtered page for PAGE_CACHE_SECONDS at most: changes to
# public events renew it at once (public_pages_changed); a row's registration state may lag
# a registration by that long, while the event and registration pages always show the seats
# as they are.
@cache_for_anonymous
def calendar(request):
    form, options = _filter_form(request)
    filters = form.event_filters()
    now = timezone.now()
    page = _list_page(_calendar_rows(filters, request.user, now), request.GET.get("page"))
    values = form.values
    labels = _labels(translation.get_language())
    window = ""
    if values["day"]:
        window = _date_text(filters.starts_from, labels)
    elif values["month"]:
        window = f"{capfirst(MONTHS[filters.starts_from.month])} {filters.starts_from.year}"
    month = filters.starts_from or timezone.localdate()
    texts = _list_texts(translation.get_language(), filters.past)
    if window:
        heading = _("Events: %(window)s") % {"window": window}
        texts = {**texts, "heading": heading, "caption": heading}
    context = {
        **texts,
        "form": form,
        "filter_form": _filter_form_html(form, options, values=values),
        "past": filters.past,
        "window": window,
        "page": page,
        "rows_html": rows_html(EVENT_ROW, event_rows(page.object_list, now=now, past=filters.past)),
        "query": _query(values),
        "upcoming_query": _query(values, when="", day="", month=""),
        "past_query": _query(values, when="past", day="", month=""),
        "month_url": _month_url(month),
        "month_query": _query(values, when="", day="", month=""),
        "feed_url": labels.feed_url,
    }
    return render(request, "events/calendar.html", context, status=400 if form.errors else 200)


@lru_cache(maxsize=16)
def _list_texts(language: str, past: bool) -> dict[str, str]:
    """The calendar's heading, introduction and table head in one language, upcoming or past:
    worked out once rather than as a dozen template tags on every page."""
    with translation.override(language):
        columns = [_("When"), _("Event"), _("Type"), _("Format"), _("Place")]
        columns.append(_("Materials") if past else _("Registration"))
        return {
            "heading": _("Past events") if past else _("Event calendar"),
            "lead": _(
                "Earlier meetings, trainings and seminars of the networks, with their slides, "
                "materials and minutes."
            )
            if past
            else _("Meetings, trainings and seminars of the immigration and integration networks."),
            "caption": _("Past events") if past else _("Upcoming events"),
            "head": format_html_join("", '<th scope="col">{}</th>', ((c,) for c in columns)),
        }


def _calendar_rows(filters: selectors.EventFilters, user, now: datetime):
    """The calendar's rows, for `_list_page` to slice: from the prepared query of the filters'
    shape where there is one, else from the selector's queryset."""
    since = now - _longest_event()
    shape = _ListShape.of(filters, user)
    if shape is None:
        queryset = selectors.event_list(filters=filters, user=user, now=now)
        if filters.starts_from is None:
            queryset = _bounded(queryset, past=filters.past, now=now, since=since)
        return event_values(queryset, past=filters.past)
    values = {
        "now": now,
        "since": since,
        "type": filters.type,
        "region": filters.region,
        "municipality": filters.municipality,
        "audience": filters.audience,
    }
    return PreparedRows(_prepared_list(shape), values)


@dataclass(frozen=True)
class _ListShape:
    """Which filters an anonymous reader's calendar uses: this decides its SQL, which is built
    and compiled once per shape (see common/prepared.py) rather than on every request."""

    language: str
    past: bool
    type: bool
    region: bool
    municipality: bool
    audience: bool
    event_language: str  # three values at most: part of the SQL
    format: str

    @classmethod
    def of(cls, filters: selectors.EventFilters, user) -> "_ListShape | None":
        """None when the list cannot be prepared: a reader who may see more than public
        events, or filters whose SQL depends on their values (a network's tree, words)."""
        if user.is_authenticated or filters.network or filters.team or filters.q:
            return None
        if filters.starts_from or filters.starts_before:
            return None
        return cls(
            language=translation.get_language(),
            past=filters.past,
            type=bool(filters.type),
            region=bool(filters.region),
            municipality=bool(filters.municipality),
            audience=bool(filters.audience),
            event_language=filters.language,
            format=filters.format,
        )


@lru_cache(maxsize=256)
def _prepared_list(shape: _ListShape) -> PreparedQuery:
    """The public calendar's query for a shape, built by the selector with a Param where each
    value goes."""
    text = CharField()
    filters = selectors.EventFilters(
        type=Param("type", text) if shape.type else "",
        region=Param("region", text) if shape.region else "",
        municipality=Param("municipality", text) if shape.municipality else "",
        audience=Param("audience", text) if shape.audience else "",
        language=shape.event_language,
        format=shape.format,
        past=shape.past,
    )
    moment = DateTimeField()
    with translation.override(shape.language):
        queryset = selectors.event_list(
            filters=filters, user=AnonymousUser(), now=Param("now", moment)
        )
        queryset = _bounded(
            queryset, past=shape.past, now=Param("now", moment), since=Param("since", moment)
        )
        return PreparedQuery(event_values(queryset, past=shape.past))


def _month_or_404(year: int, month: int) -> date:
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        raise Http404
    return date(year, month, 1)


def _month_url(day: date) -> str:
    return f"{_labels(translation.get_language()).month_prefix}{day.year}/{day.month}/"


# A month of the bench's size holds hundreds of events; a day shows this many and a link to
# the rest in the list.
DAY_LIMIT = 3


def _month_rows(first: date, filters: selectors.EventFilters, user) -> list[dict]:
    """Every visible event that touches the month (as selectors.event_month finds them), in
    order of start, with what the grid shows of each: from a prepared query for an anonymous
    reader."""
    following = (first + timedelta(days=31)).replace(day=1)
    since = first - timedelta(days=_longest_event().days + 1)
    shape = _ListShape.of(filters, user)
    if shape is None:
        return list(_month_queryset(filters, user, first, following, since))
    values = {
        "type": filters.type,
        "region": filters.region,
        "municipality": filters.municipality,
        "audience": filters.audience,
    }
    return _prepared_month(shape, first, following, since).rows(values)


def _month_queryset(filters: selectors.EventFilters, user, first: date, following, since):
    # The start-time index is read from the longest event's length before the month, not from
    # the first event ever. Times come as the database's UTC text (see _days).
    window = replace(filters, past=False, starts_from=since, starts_before=following)
    month_start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    return (
        selectors.event_list(filters=window, user=user)
        .filter(ends_at__gte=month_start)
        .values(
            "pk",
            "status",
            label=_in_language("title", translation.get_language()),
            start_text=Cast("starts_at", CharField()),
            end_text=Cast("ends_at", CharField()),
        )
    )


@lru_cache(maxsize=256)
def _prepared_month(shape: "_ListShape", first: date, following: date, since: date):
    text = CharField()
    filters = selectors.EventFilters(
        type=Param("type", text) if shape.type else "",
        region=Param("region", text) if shape.region else "",
        municipality=Param("municipality", text) if shape.municipality else "",
        audience=Param("audience", text) if shape.audience else "",
        language=shape.event_language,
        format=shape.format,
    )
    with translation.override(shape.language):
        return PreparedQuery(_month_queryset(filters, AnonymousUser(), first, following, since))


@dataclass
class Day:
    shown: list  # up to DAY_LIMIT (row, start time or None when the event began earlier)
    count: int = 0


def _days(rows: list[dict], first: date, last: date) -> list[Day]:
    """The events of each day of the month; an event of several days is on each of them.

    A busy month holds hundreds of events, so each is placed by comparing its times, as the
    database writes them in UTC ("2026-11-14 07:00:00", "…+00" on PostgreSQL), with the UTC
    moments each Helsinki day begins written the same way: text in that form sorts as time
    does, and nothing is converted but the times shown.
    """
    zone = timezone.get_current_timezone()
    bounds = [
        datetime.combine(first + timedelta(days=n), datetime.min.time(), tzinfo=zone)
        .astimezone(UTC)
        .strftime("%Y-%m-%d %H:%M:%S")
        for n in range((last - first).days + 2)
    ]
    days = [Day(shown=[]) for _ in range(len(bounds) - 1)]
    index = 0
    for row in rows:  # in order of start
        start, end = row["start_text"], row["end_text"]
        while index + 1 < len(days) and start >= bounds[index + 1]:
            index += 1
        begins_here = start >= bounds[0]
        if not begins_here and end <= bounds[0]:
            continue  # ended at midnight as the month began
        final = index
        # An event reaches a later day when it ends after that day has begun.
        while final + 1 < len(days) and end > bounds[final + 1]:
            final += 1
        for number in range(index, final + 1):
            day = days[number]
            day.count += 1
            if len(day.shown) < DAY_LIMIT:
                starts_today = begins_here and number == index
                day.shown.append((row, _moment(start).astimezone(zone) if starts_today else None))
    return days


# The month grid's markup (see common/rows.py on why rows are not template loops).
MONTH_WEEK = (
    '<tr><th scope="row" class="week-number"><span class="sr-only">{week} </span>{number}</th>'
    "{days}</tr>"
)
MONTH_DAY = (
    '<td class="{classes}"{current}><span class="day-number">{day}{today}</span>{events}</td>'
)
DAY_EVENT = '<li><a href="{url}">{time}{title}</a>{badge}</li>'


@lru_cache(maxsize=256)
def _more_text(language: str, count: int) -> str:
    with translation.override(language):
        return html.escape(ngettext("%(count)s more", "%(count)s more", count) % {"count": count})


def _month_grid(year: int, month: int, days: list[Day], *, day_url: str) -> SafeString:
    """The month's weeks as table rows; `day_url` (escaped) lists a day's events."""
    labels = _labels(translation.get_language())
    texts = _month_texts(translation.get_language())
    today = timezone.localdate()
    weeks = []
    for week in monthcalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            found = days[day.day - 1] if day.month == month else Day(shown=[])
            items = [
                {
                    "url": f"{labels.detail_prefix}{row['pk']}/",
                    "time": _time_text(start, labels) + " " if start else texts["continues"],
                    "title": row["label"],
                    "badge": labels.status_badges.get(row["status"], ""),
                }
                for row, start in found.shown
            ]
            more = ""
            if found.count > len(found.shown):
                text = _more_text(translation.get_language(), found.count - len(found.shown))
                more = f'<li><a href="{day_url}day={day.isoformat()}">{text}</a></li>'
            listed = rows_html(DAY_EVENT, items, sep="")
            classes = ("other-month" if day.month != month else "") + (
                " today" if day == today else ""
            )
            cells.append(
                MONTH_DAY.format(
                    classes=classes.strip(),
                    current=' aria-current="date"' if day == today else "",
                    day=day.day,
                    today=texts["today"] if day == today else "",
                    events=f'<ul class="day-events">{listed}{more}</ul>' if listed else "",
                )
            )
        number = week[0].isocalendar().week
        weeks.append(MONTH_WEEK.format(week=texts["week"], number=number, days="".join(cells)))
    return mark_safe("\n".join(weeks))  # noqa: S308 - every value escaped above


@lru_cache(maxsize=8)
def _month_texts(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "week": html.escape(_("Week")),
            "today": format_html(' <span class="sr-only">({})</span>', _("today")),
            "continues": format_html('<span class="meta">{}:</span> ', _("continues")),
            # The grid's head: week number, then the days with their full names for readers.
            "head": format_html(
                '<tr><th scope="col" class="week-number"><span aria-hidden="true">#</span>'
                '<span class="sr-only">{}</span></th>{}</tr>',
                _("Week"),
                format_html_join(
                    "",
                    '<th scope="col"><span aria-hidden="true">{}</span>'
                    '<span class="sr-only">{}</span></th>',
                    ((WEEKDAYS_ABBR[day], WEEKDAYS[day]) for day in range(7)),
                ),
            ),
        }


# The grid shows no registration state, only what changes through the services, which renew
# the public pages' cache (public_pages_changed); "today" moves within PAGE_CACHE_SECONDS.
@cache_for_anonymous
def calendar_month(request, year: int, month: int):
    first = _month_or_404(year, month)
    following = (first + timedelta(days=31)).replace(day=1)
    form, options = _filter_form(request)
    filters = replace(form.event_filters(), past=False, starts_from=None, starts_before=None)
    rows = _month_rows(first, filters, request.user)
    values = {**form.values, "when": "", "day": "", "month": ""}
    query = _query(values)
    labels = _labels(translation.get_language())
    context = {
        "form": form,
        "filter_form": _filter_form_html(form, options, values=values),
        "title": f"{capfirst(MONTHS[month])} {year}",
        "head": _month_texts(translation.get_language())["head"],
        "grid": _month_grid(
            year,
            month,
            _days(rows, first, following - timedelta(days=1)),
            day_url=html.escape(
                f"{labels.calendar_url}?{query}&" if query else f"{labels.calendar_url}?"
            ),
        ),
        "count": len(rows),
        "previous_url": _month_url(first - timedelta(days=1)),
        "next_url": _month_url(following),
        "this_month_url": _month_url(timezone.localdate()),
        "list_url": labels.calendar_url,
        "month_list_query": _query(values, month=f"{year:04d}-{month:02d}"),
        "query": query,
    }
    status = 400 if form.errors else 200
    return render(request, "events/calendar_month.html", context, status=status)


# The event page -----------------------------------------------------------------------------


def _event_or_404(request, pk: int) -> Event:
    try:
        return selectors.event_get_visible(pk=pk, user=request.user)
    except Event.DoesNotExist:
        raise Http404 from None


def _may_view(user, event: Event) -> bool:
    return event.visibility == Event.Visibility.PUBLIC or user_can(user, "event.view", event)


def _own_registration(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return selectors.registrations_of(user=user).filter(event=event).first()


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": rest}


def _material_link(material: Document) -> dict:
    return {
        "title": material.title,
        "url": reverse("library:document_detail", kwargs={"pk": material.pk}),
        "name": material.original_name,
    }


def _agenda(event: Event, labels: Labels) -> list[dict]:
    types = dict(event.agenda.model.Type.choices)
    agenda = []
    for item in event.agenda.all():
        start = timezone.localtime(item.starts_at)
        slots = [
            {
                "label": slot.label,
                "time": _time_text(timezone.localtime(slot.starts_at), labels),
                "length": f"{slot.seconds // 60}:{slot.seconds % 60:02d}",
            }
            for slot in item.slots.all()
        ]
        agenda.append(
            {
                "item": item,
                "iso": item.starts_at.isoformat(),
                "time": _time_text(start, labels),
                "end": _time_text(timezone.localtime(item.ends_at), labels),
                "day": _date_text(start, labels) if event.spans_days else "",
                "duration": _duration(item.duration),
                "type": capfirst(str(types.get(item.type, item.type))),
                "speakers": [
                    {"name": s.display_name, "organisation": s.display_organisation}
                    for s in item.speakers.all()
                ],
                "slots": slots,
                "materials": [_material_link(m) for m in item.materials.all()],
            }
        )
    return agenda


def _seats_left(event: Event, counts: dict[str, int]) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - counts["confirmed"], 0)


def event_detail(request, pk: int):
    event = _event_or_404(request, pk)
    user = request.user
    now = timezone.now()
    labels = _labels(translation.get_language())
    own = _own_registration(user, event)
    registered = own is not None and own.status == Registration.Status.CONFIRMED
    counts = selectors.registration_counts(events=[event])[event.pk]
    parent = event.parent if event.parent_id and _may_view(user, event.parent) else None
    sub_events = list(event.sub_events.all())
    series_dates = []
    if event.series_id:
        series_dates = list(
            selectors.event_list(filters=selectors.EventFilters(), user=user, now=now)
            .filter(series_id=event.series_id)
            .exclude(pk=event.pk)[:12]
        )
    minutes = getattr(event, "minutes", None)
    if minutes is not None and not (
        minutes.published and minutes.status == Minutes.Status.APPROVED
    ):
        minutes = None
    show_link = selectors.link_visible(event=event, user=user, registered=registered, now=now)
    languages = dict(LANGUAGE_CHOICES)
    context = {
        "event": event,
        "when": event_when(event, labels),
        "type": labels.types.get(event.type, event.type),
        "format": labels.formats.get(event.format, event.format),
        "status_badge": labels.status_badges.get(event.status, ""),
        "languages": [capfirst(str(languages[c])) for c in event.languages if c in languages],
        "state": registration_state(event, counts, now),
        "seats_left": _seats_left(event, counts),
        "closes": _moment_text(event.registration_closes_at(), labels),
        "own_registration": own,
        "show_link": show_link,
        "link_opens": _moment_text(event.starts_at - event.link_shown_before, labels),
        "parent": parent,
        "parent_when": event_when(parent, labels) if parent else "",
        "sub_events": [{"event": e, "when": event_when(e, labels)} for e in sub_events],
        "series_dates": [{"event": e, "when": event_when(e, labels)} for e in series_dates],
        "agenda": _agenda(event, labels),
        "materials": [_material_link(m) for m in event.materials.all() if m.item_id is None],
        "minutes": minutes,
        "can_manage": user_can(user, "event.manage", event),
        "may_add_material": user_can(user, "document.add_to_event", event),
        "json_ld": event_json_ld(
            request, event, show_link=show_link, parent=parent, sub_events=sub_events
        ),
    }
    return render(request, "events/event_detail.html", context)


SCHEMA_STATUS = {
    Event.Status.SCHEDULED: "https://schema.org/EventScheduled",
    Event.Status.POSTPONED: "https://schema.org/EventPostponed",
    Event.Status.RESCHEDULED: "https://schema.org/EventRescheduled",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
}
SCHEMA_ATTENDANCE = {
    Event.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
# JSON inside <script> must not be able to close the element or start markup.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _event_summary(request, event: Event) -> dict:
    return {
        "@type": "Event",
        "name": event.title,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "url": request.build_absolute_uri(event.get_absolute_url()),
    }


def event_json_ld(
    request, event: Event, *, show_link: bool, parent: Event | None, sub_events: list[Event]
) -> SafeString:
    """The event in schema.org terms, for search engines and aggregators; the participation
    link only when the page shows it too."""
    data = {"@context": "https://schema.org", **_event_summary(request, event)}
    data.update(
        eventStatus=SCHEMA_STATUS[event.status],
        eventAttendanceMode=SCHEMA_ATTENDANCE[event.format],
    )
    locations = []
    if event.is_in_person:
        address = {"@type": "PostalAddress", "addressCountry": "FI"}
        if event.street_address:
            address["streetAddress"] = event.street_address
        if event.postal_code:
            address["postalCode"] = event.postal_code
        if event.municipality_id:
            address["addressLocality"] = str(event.municipality)
        locations.append(
            {"@type": "Place", "name": event.venue_name or event.street_address, "address": address}
        )
    if event.is_online:
        virtual = {"@type": "VirtualLocation", "name": event.online_platform or _("online")}
        if show_link:
            virtual["url"] = event.online_link
        locations.append(virtual)
    data["location"] = locations[0] if len(locations) == 1 else locations
    if event.organiser_id:
        organiser = {"@type": "Organization", "name": str(event.organiser)}
        if event.organiser.website:
            organiser["url"] = event.organiser.website
    else:
        organiser = {
            "@type": "Organization",
            "name": str(event.network),
            "url": request.build_absolute_uri(event.network.get_absolute_url()),
        }
    data["organizer"] = organiser
    funders = [{"@type": "Organization", "name": str(o)} for o in event.funders.all()]
    if funders:
        data["funder"] = funders
    if event.description:
        data["description"] = event.description
    if event.languages:
        data["inLanguage"] = list(event.languages)
    audiences = [{"@type": "Audience", "audienceType": str(a)} for a in event.audiences.all()]
    if audiences:
        data["audience"] = audiences
    if parent is not None:
        data["superEvent"] = _event_summary(request, parent)
    if sub_events:
        data["subEvent"] = [_event_summary(request, e) for e in sub_events]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped


# Registration -------------------------------------------------------------------------------


def _too_many_registrations(request) -> bool:
    """Registration is open to anyone, so a script could otherwise fill an event's seats or
    someone's mailbox: EVENT_REGISTRATION_LIMIT registrations per client address and
    EVENT_REGISTRATION_WINDOW_SECONDS (0 turns the limit off)."""
    return rate_limit_exceeded(
        request,
        scope="events:register",
        limit=settings.EVENT_REGISTRATION_LIMIT,
        window_seconds=settings.EVENT_REGISTRATION_WINDOW_SECONDS,
    )


def register(request, pk: int):
    try:
        event = selectors.event_get_for_registration(pk=pk, user=request.user)
    except Event.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        event=event,
        language=translation.get_language(),
        person=person,
        user=request.user,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if _too_many_registrations(request):
            form.is_valid()
            form.add_error(
                None, _("Too many registrations from your connection. Try again in a while.")
            )
            status = 429
        elif form.is_valid():
            data = form.registration_data()
            own = person if person is not None and person.email == data.email.lower() else None
            try:
                registration = services.registration_create(event=event, data=data, person=own)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _registered_message(registration))
                return redirect(event)
    counts = selectors.registration_counts(events=[event])[event.pk]
    context = {
        "event": event,
        "when": event_when(event),
        "form": form,
        "state": registration_state(event, counts, now),
        "seats_left": _seats_left(event, counts),
        "closes": _moment_text(event.registration_closes_at()),
    }
    return render(request, "events/register.html", context, status=status)


def _registered_message(registration: Registration) -> str:
    values = {"event": registration.event.title, "email": registration.email}
    if registration.status == Registration.Status.WAITING:
        return (
            _(
                "The event is full, so you are on the waiting list for %(event)s. "
                "We will e-mail %(email)s if a seat becomes free."
            )
            % values
        )
    return _("You are registered for %(event)s. A confirmation is on its way to %(email)s.") % (
        values
    )


def registration_cancel(request, token: str):
    try:
        registration = services.registration_from_token(token)
    except ValidationError as error:
        context = {"error": " ".join(error.messages), "registration": None}
        return render(request, "events/registration_cancel.html", context, status=400)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 400
        else:
            messages.success(
                request,
                _("Your registration for %(event)s was cancelled.")
                % {"event": registration.event.title},
            )
            return redirect(request.path)
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "when": event_when(event),
        "error": error,
        "event_visible": _may_view(request.user, event),
    }
    return render(request, "events/registration_cancel.html", context, status=status)


# The network home's block -------------------------------------------------------------------


def network_upcoming(*, network, user) -> dict:
    """What a network's home page shows of its coming events (those of the networks and teams
    below it too), with the links to all of them in the calendar and to its calendar feed."""
    now = timezone.now()
    filters = selectors.EventFilters(network=network)
    queryset = _bounded(
        selectors.event_list(filters=filters, user=user, now=now),
        past=False,
        now=now,
        since=now - _longest_event(),
    )
    labels = _labels(translation.get_language())
    return {
        "events": [
            {
                "url": f"{labels.detail_prefix}{row['pk']}/",
                "title": row["label"],
                "iso": row["starts_at"].isoformat(),
                "when": when_text(row["starts_at"], row["ends_at"], labels),
                "place": _place(row, labels),
                "badge": labels.status_badges.get(row["status"], ""),
            }
            for row in event_values(queryset)[:UPCOMING_ON_NETWORK_HOME]
        ],
        "calendar_url": reverse("events:calendar")
        + "?"
        + urlencode({"team" if network.is_team else "network": network.slug}),
        "feed_url": reverse("events:network_feed", kwargs={"slug": network.slug}),
    }
