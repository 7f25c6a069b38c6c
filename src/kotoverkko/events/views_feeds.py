"""Calendar files: "add to calendar" for one event, subscribable feeds (public, per network,
personal), and the page that shows one's personal feed address.

A feed's ETag and Last-Modified come from a count-and-newest-change query over the feed's
events, never from rendering it, so a calendar that asks again with If-None-Match or
If-Modified-Since gets its 304 after one small query.
"""

import dataclasses
import hashlib
from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kotoverkko.network import selectors as network_selectors
from kotoverkko.network.models import Network

from . import ical, selectors, services
from .forms import CalendarFilterForm, calendar_filter_options
from .models import Event
from .selectors import EventFilters

CONTENT_TYPE = "text/calendar; charset=utf-8"
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, max-age=300"


def _window_start(today: date) -> date:
    """Feeds hold the upcoming events and those of the past twelve months."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _for_feed(qs: QuerySet) -> QuerySet:
    """What the VEVENTs read, in one query: the event's columns the writer needs, its network
    and its municipality."""
    return qs.select_related("network", "municipality").only(*ical.FEED_FIELDS)


def _feed_response(
    request,
    *,
    qs: QuerySet,
    name: str,
    key: tuple,
    cache_control: str,
    waiting: frozenset[int] = frozenset(),
) -> HttpResponse:
    """The feed, or 304 when the caller's copy is current.

    The ETag covers what decides the output: the feed's kind and parameters (`key`), the
    language, the writer's format version, and how many events there are and when the newest
    changed. An event leaving the feed lowers the count; one entering or changing is the
    newest change.
    """
    count, changed = selectors.feed_fingerprint(qs)
    language = translation.get_language()
    parts = (ical.FORMAT_VERSION, language, *key, count, changed.isoformat() if changed else "")
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    etag = f'W/"{digest}"'
    last_modified = int(changed.timestamp()) if changed else None  # HTTP dates are seconds
    response = HttpResponse(content_type=CONTENT_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # 304 (or 412) with the same headers, or our own response when the caller needs the feed.
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    if conditional is not response:
        return conditional
    events = _for_feed(qs).iterator(chunk_size=2000)
    response.content = ical.feed(events, name=name, language=language, waiting=waiting)
    return response


def _public_events(filters: EventFilters) -> QuerySet:
    """The public events a feed with these filters holds (what an anonymous visitor sees)."""
    window = dataclasses.replace(
        filters, past=False, starts_from=_window_start(timezone.localdate()), starts_before=None
    )
    return selectors.event_list(filters=window, user=None)


@require_safe
def calendar_feed(request):
    """The public events, narrowed by the calendar's filters; a wrong filter gets a 400."""
    language = translation.get_language()
    form = CalendarFilterForm(request.GET, options=calendar_filter_options(language=language))
    if not form.is_valid():
        lines = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest(
            "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
        )
    filters = form.event_filters()
    values = form.values
    values.pop("when", None)  # a feed always holds the upcoming and the recent events
    chosen = filters.team or filters.network
    if chosen is not None:
        name = _("%(name)s – events") % {"name": chosen.name}
    else:
        name = _("Kotoverkko events")
    return _feed_response(
        request,
        qs=_public_events(filters),
        name=name,
        key=(
            "public",
            tuple(sorted(values.items())),
            chosen.updated_at.isoformat() if chosen is not None else "",  # its name is shown
        ),
        cache_control=PUBLIC_CACHE,
    )


@require_safe
def network_feed(request, slug: str):
    """The public events of a network and of the networks and teams below it."""
    try:
        network = network_selectors.network_get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None
    return _feed_response(
        request,
        qs=_public_events(EventFilters(network=network)),
        name=_("%(name)s – events") % {"name": network.name},
        key=("network", network.pk, network.updated_at.isoformat()),  # its name is shown
        cache_control=PUBLIC_CACHE,
    )


@require_safe
def personal_feed(request, token: str):
    """The events the token's owner is registered to (confirmed or waiting), whatever their
    visibility: the address is the secret."""
    owner = selectors.calendar_token_user(token=token)
    if owner is None:
        raise Http404
    start = timezone.make_aware(
        datetime.combine(_window_start(timezone.localdate()), datetime.min.time())
    )
    registered, waiting, qs = selectors.events_registered(user=owner, starts_from=start)
    return _feed_response(
        request,
        qs=qs,
        name=_("My events – Kotoverkko"),
        # Which events, and which are waited for: a registration swapped for another, or a
        # seat given from the waiting list, changes the ETag.
        key=("personal", owner.pk, token, tuple(registered), tuple(sorted(waiting))),
        cache_control=PRIVATE_CACHE,
        waiting=waiting,
    )


@require_safe
def event_ics(request, pk: int):
    """One event the visitor may see, as a file to add to a calendar."""
    try:
        event = selectors.event_get_visible(pk=pk, user=request.user)
    except Event.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(
        ical.single(event, language=translation.get_language()), content_type=CONTENT_TYPE
    )
    filename = slugify(event.title)[:60].strip("-") or f"event-{event.pk}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    response["Cache-Control"] = PUBLIC_CACHE if event.is_public else "private, no-cache"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_calendar(request):
    """The address of one's personal feed, and a button that replaces it with a new one."""
    if request.method == "POST":
        services.calendar_token_revoke(user=request.user)
        messages.success(
            request,
            _("Your calendar has a new address. The old address no longer works."),
        )
        return redirect("events:my_calendar")
    token = services.calendar_token_get_or_create(user=request.user)
    path = reverse("events:personal_feed", kwargs={"token": token.token})
    feed_url = settings.SITE_URL.rstrip("/") + path
    webcal_url = "webcal://" + feed_url.split("://", 1)[-1]
    response = render(
        request,
        "events/my_calendar.html",
        {"feed_url": feed_url, "webcal_url": webcal_url},
    )
    response["Cache-Control"] = "private, no-store"
    return response
