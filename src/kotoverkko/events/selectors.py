"""Reading events: the public calendar, a network's events, one event's page, feeds, and what
a coordinator must see to (overdue tasks, costs)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from kotoverkko.library.models import Document
from kotoverkko.library.selectors import document_list_visible
from kotoverkko.network.models import Membership, Network, Person
from kotoverkko.network.roles import NetworkTree, roles_for

from .models import (
    AgendaItem,
    CalendarToken,
    ChecklistItem,
    Event,
    HostTurn,
    Minutes,
    MinutesVersion,
    Registration,
    Speaker,
)


@dataclass(frozen=True)
class EventFilters:
    """What the calendar can be narrowed by; every field is optional."""

    network: Network | None = None  # the network and everything below it
    team: Network | None = None
    region: str = ""  # region code
    municipality: str = ""  # municipality code
    type: str = ""
    audience: str = ""  # audience code
    language: str = ""
    format: str = ""  # in_person / online (online includes hybrid) / hybrid
    q: str = ""
    past: bool = False  # past events (newest first) instead of upcoming
    starts_from: date | None = None
    starts_before: date | None = None


def _visible(user) -> Q:
    """Public events for everyone; members-only events for members of the network (or one
    below it); drafts for those who manage the network."""
    condition = Q(visibility=Event.Visibility.PUBLIC)
    roles = roles_for(user)
    if roles.member_of or roles.manages:
        condition |= Q(
            visibility=Event.Visibility.MEMBERS, network_id__in=roles.member_of | roles.manages
        )
    if roles.manages:
        condition |= (
            Q(network_id__in=roles.coordinates)
            | Q(team_id__in=roles.leads)
            | Q(network_id__in=roles.leads)
        )
    if getattr(user, "is_superuser", False):
        condition = Q()
    return condition


def event_list(*, filters: EventFilters, user=None, now: datetime | None = None) -> QuerySet:
    """Events the user may see, filtered; upcoming ones soonest first, past ones newest first.

    An event counts as upcoming until it ends (a two-day cooperation day stays on the list on
    its second day).
    """
    now = now or timezone.now()
    qs = _filtered(filters=filters, user=user)
    if filters.starts_from:
        qs = qs.filter(starts_at__gte=_local_midnight(filters.starts_from))
    if filters.starts_before:
        qs = qs.filter(starts_at__lt=_local_midnight(filters.starts_before))
    if filters.past:
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    if filters.starts_from:
        return qs.order_by("starts_at", "pk")
    return qs.filter(ends_at__gte=now).order_by("starts_at", "pk")


def _filtered(*, filters: EventFilters, user) -> QuerySet:
    """The visible events matching every filter except the time window."""
    qs = Event.objects.filter(_visible(user))
    if filters.network is not None:
        ids = NetworkTree.load().descendants(filters.network.pk)
        qs = qs.filter(Q(network_id__in=ids) | Q(team_id__in=ids))
    if filters.team is not None:
        qs = qs.filter(team=filters.team)
    if filters.region:
        area = Network.municipalities.through.objects.filter(
            network_id=OuterRef("network_id"), municipality__region__code=filters.region
        )
        qs = qs.filter(Q(municipality__region__code=filters.region) | Exists(area))
    if filters.municipality:
        qs = qs.filter(municipality__code=filters.municipality)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.audience:
        qs = qs.filter(audiences__code=filters.audience)
    if filters.language:
        # JSON containment is not portable to SQLite; the list's text form is.
        qs = qs.filter(languages__icontains=f'"{filters.language}"')
    if filters.format == Event.Format.ONLINE:
        qs = qs.filter(format__in=[Event.Format.ONLINE, Event.Format.HYBRID])
    elif filters.format == Event.Format.IN_PERSON:
        qs = qs.filter(format__in=[Event.Format.IN_PERSON, Event.Format.HYBRID])
    elif filters.format:
        qs = qs.filter(format=filters.format)
    if filters.q:
        words = filters.q.split()[:6]
        for word in words:
            qs = qs.filter(
                Q(title_fi__icontains=word)
                | Q(title_sv__icontains=word)
                | Q(title_en__icontains=word)
                | Q(theme_fi__icontains=word)
                | Q(theme_sv__icontains=word)
                | Q(theme_en__icontains=word)
            )
    return qs


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def event_list_visible(*, user) -> QuerySet:
    """Every event the user may see, past and upcoming, in time order."""
    return Event.objects.filter(_visible(user)).order_by("starts_at", "pk")


def event_list_for_api(qs: QuerySet) -> QuerySet:
    """What an API event object shows, in a fixed number of queries however many events."""
    return (
        event_list_for_page(qs)
        .select_related("organiser")
        .prefetch_related("hosts", "co_organisers", "funders")
    )


def event_list_for_page(qs: QuerySet) -> QuerySet:
    """What a list of events shows: network, team, municipality, audiences, in few queries."""
    return qs.select_related("network", "team", "municipality").prefetch_related("audiences")


def event_month(*, year: int, month: int, filters: EventFilters, user=None) -> list[Event]:
    """Every visible event that touches the month (a two-day event on the 31st and the 1st
    shows in both months)."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    qs = _filtered(filters=filters, user=user).filter(
        starts_at__lt=_local_midnight(following), ends_at__gte=_local_midnight(first)
    )
    return list(event_list_for_page(qs.order_by("starts_at", "pk")))


def event_get_visible(*, pk: int, user) -> Event:
    """One event the user may see, with what its page shows; raises Event.DoesNotExist."""
    speakers = Speaker.objects.select_related("person", "organisation", "person__organisation")
    materials = document_list_visible(user=user).defer("text").order_by("uploaded_at", "pk")
    agenda = AgendaItem.objects.prefetch_related(
        Prefetch("speakers", queryset=speakers),
        "slots",
        Prefetch("materials", queryset=materials),
    ).order_by("starts_at", "position", "pk")
    return (
        Event.objects.filter(_visible(user))
        .select_related(
            "network", "team", "parent", "municipality", "organiser", "series", "minutes"
        )
        .prefetch_related(
            "audiences",
            "hosts",
            "co_organisers",
            "funders",
            Prefetch("agenda", queryset=agenda),
            Prefetch("materials", queryset=materials),
            Prefetch(
                "sub_events",
                queryset=Event.objects.filter(_visible(user)).order_by("starts_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


def event_get_for_registration(*, pk: int, user) -> Event:
    """One event the user may see, with only what its registration form shows; raises
    Event.DoesNotExist."""
    return Event.objects.filter(_visible(user)).select_related("network", "municipality").get(pk=pk)


def event_get_for_manage(*, pk: int, user) -> Event:
    """An event the user plans; 404 if it does not exist, 403 if it is not hers."""
    from django.shortcuts import get_object_or_404

    from kotoverkko.common.permissions import require

    event = get_object_or_404(
        Event.objects.select_related("network", "team", "municipality", "series"), pk=pk
    )
    require(user, "event.manage", event)
    return event


def seats_taken(*, event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def registration_counts(*, events: list[Event]) -> dict[int, dict[str, int]]:
    """Confirmed and waiting registrations per event, in one query."""
    rows = (
        Registration.objects.filter(event__in=events)
        .exclude(status=Registration.Status.CANCELLED)
        .values("event_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {e.pk: {"confirmed": 0, "waiting": 0} for e in events}
    for row in rows:
        counts[row["event_id"]][row["status"]] = row["n"]
    return counts


def registration_list(*, event: Event) -> QuerySet[Registration]:
    return event.registrations.select_related("organisation", "person").order_by(
        "status", "created_at", "pk"
    )


def registrations_of(*, user) -> QuerySet[Registration]:
    """The user's own registrations (by her person record or her login address)."""
    if not user.is_authenticated:
        return Registration.objects.none()
    condition = Q(email__iexact=user.email)
    person = getattr(user, "person", None)
    if person is not None:
        condition |= Q(person=person)
    return (
        Registration.objects.filter(condition)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "event__network")
        .order_by("event__starts_at")
    )


def link_visible(*, event: Event, user=None, registered: bool = False, now=None) -> bool:
    """Whether the participation link may be shown on the event page now."""
    now = now or timezone.now()
    if not event.online_link or not event.is_online or event.is_cancelled:
        return False
    if now < event.starts_at - event.link_shown_before or now > event.ends_at:
        return False
    return event.link_audience == Event.LinkAudience.PUBLIC or registered


def checklist_overdue(*, user, today: date | None = None) -> QuerySet[ChecklistItem]:
    """Open tasks past their due date in the events the user plans (her dashboard)."""
    today = today or timezone.localdate()
    roles = roles_for(user)
    return (
        ChecklistItem.objects.filter(done_at__isnull=True, due_on__lt=today)
        .filter(Q(event__network_id__in=roles.coordinates) | Q(event__team_id__in=roles.leads))
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("event", "owner")
        .order_by("due_on", "pk")
    )


def costs_per_year(*, network: Network) -> list[dict]:
    """Room rent, coffee and other costs of the network's events (and those below it) by
    year, cancelled events left out."""
    ids = NetworkTree.load().descendants(network.pk)
    rows = (
        Event.objects.filter(Q(network_id__in=ids) | Q(team_id__in=ids))
        .exclude(status=Event.Status.CANCELLED)
        .annotate(year=ExtractYear("starts_at"))
        .values("year")
        .annotate(
            events=Count("pk"),
            room_rent=Sum("room_rent"),
            coffee=Sum("coffee_cost"),
            other=Sum("other_costs"),
        )
        .order_by("-year")
    )
    result = []
    for row in rows:
        total = sum((row[k] or Decimal("0")) for k in ("room_rent", "coffee", "other"))
        result.append({**row, "total": total})
    return result


def host_rotation(*, network: Network) -> QuerySet[HostTurn]:
    return HostTurn.objects.filter(network=network).select_related("organisation")


def feed_fingerprint(qs: QuerySet) -> tuple[int, datetime | None]:
    """How many events a feed holds and when the newest change was: an ETag and
    Last-Modified that need no rendering."""
    row = qs.order_by().aggregate(
        n=Count("pk"), changed=Max("updated_at"), network_changed=Max("network__updated_at")
    )
    # A renamed network changes what its events say (the organiser's name) too.
    known = [moment for moment in (row["changed"], row["network_changed"]) if moment]
    return row["n"], max(known, default=None)


def calendar_token_user(*, token: str):
    """The active user whose personal feed the token opens, or None."""
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return found.user if found else None


def events_registered(*, user, starts_from: datetime) -> tuple[list[int], frozenset[int], QuerySet]:
    """The ids of the events the user holds a place in or waits for, the ids of those she
    only waits for, and those events from `starts_from` on, whatever their visibility."""
    places = registrations_of(user=user).values_list("event_id", "status")
    registered = sorted({event_id for event_id, _status in places})
    confirmed = {event_id for event_id, status in places if status != Registration.Status.WAITING}
    waiting = frozenset(registered) - confirmed
    qs = Event.objects.filter(pk__in=registered, starts_at__gte=starts_from)
    return registered, waiting, qs.order_by("starts_at", "pk")


def upcoming_for_network(*, network: Network, user=None, limit: int = 5) -> list[Event]:
    """The next events of a network and the networks below it (its home page)."""
    qs = event_list(filters=EventFilters(network=network), user=user)
    return list(event_list_for_page(qs)[:limit])


# Planning pages -----------------------------------------------------------------------------


def agenda_items(*, event: Event) -> list[AgendaItem]:
    """The agenda with speakers and turns, in time order."""
    speakers = Speaker.objects.select_related("person", "organisation", "person__organisation")
    return list(
        AgendaItem.objects.filter(event=event)
        .prefetch_related(Prefetch("speakers", queryset=speakers), "slots")
        .order_by("starts_at", "position", "pk")
    )


def speaker_candidates(*, event: Event, also: set[int] = frozenset()) -> dict[int, Person]:
    """People who can be chosen as speakers: active members of the event's network and the
    networks below it, and whoever already speaks."""
    network_ids = NetworkTree.load().descendants(event.network_id)
    members = Membership.objects.filter(
        network_id__in=network_ids, status=Membership.Status.ACTIVE
    ).values("person_id")
    people = (
        Person.objects.filter(Q(pk__in=members) | Q(pk__in=also))
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )
    return {person.pk: person for person in people}


def material_list(*, event: Event) -> list[Document]:
    """All the event's documents, for those who run it."""
    return list(
        Document.objects.filter(event=event)
        .select_related("item", "uploaded_by")
        .defer("text")
        .order_by("item__starts_at", "uploaded_at", "pk")
    )


def invitation_groups(*, event: Event) -> list[Network]:
    """The event's network and every network and team below it, the network first."""
    ids = NetworkTree.load().descendants(event.network_id)
    groups = list(Network.objects.filter(pk__in=ids).order_by("name", "pk"))
    groups.sort(key=lambda group: group.pk != event.network_id)
    return groups


def minutes_of(*, event: Event) -> Minutes | None:
    return (
        Minutes.objects.filter(event=event)
        .prefetch_related(
            Prefetch("versions", queryset=MinutesVersion.objects.select_related("saved_by"))
        )
        .first()
    )


def event_list_managed(*, user, network: Network | None, past: bool):
    """Events the user plans, with their open overdue tasks counted; upcoming soonest first,
    past newest first."""
    now = timezone.now()
    qs = Event.objects.all()
    if not user.is_superuser:
        roles = roles_for(user)
        qs = qs.filter(
            Q(network_id__in=roles.coordinates)
            | Q(team_id__in=roles.leads)
            | Q(network_id__in=roles.leads)
        )
    if network is not None:
        ids = NetworkTree.load().descendants(network.pk)
        qs = qs.filter(Q(network_id__in=ids) | Q(team_id__in=ids))
    qs = qs.select_related("network", "team").annotate(
        overdue=Count(
            "checklist",
            filter=Q(checklist__done_at__isnull=True, checklist__due_on__lt=timezone.localdate()),
        )
    )
    if past:
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return qs.filter(ends_at__gte=now).order_by("starts_at", "pk")


def task_owner_candidates(*, event: Event, items: list[ChecklistItem]) -> list[Person]:
    """Who can own a task: the active members of the event's network (and below it), its
    coordinators above it, and whoever owns a task now."""
    tree = NetworkTree.load()
    below = tree.descendants(event.network_id)
    above = tree.ancestors(event.network_id)
    owners = {item.owner_id for item in items if item.owner_id}
    return list(
        Person.objects.filter(
            Q(
                memberships__status=Membership.Status.ACTIVE,
                memberships__network_id__in=below,
            )
            | Q(
                memberships__status=Membership.Status.ACTIVE,
                memberships__role=Membership.Role.COORDINATOR,
                memberships__network_id__in=above,
            )
            | Q(pk__in=owners)
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
