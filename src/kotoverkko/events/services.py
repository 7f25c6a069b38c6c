"""Changing events: planning, series, agenda, registrations, invitations, links and minutes.

Every write runs in one transaction, is validated by the model, recorded in the audit log, and
sends its e-mail through the outbox so that the message is committed with the change. Calendar
messages follow RFC 5546: one UID per event for its whole life, SEQUENCE raised on every change
that matters to a calendar, METHOD:REQUEST for new and changed events, METHOD:CANCEL when an
event or one person's place in it is cancelled.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotoverkko.common.audit import audit_record, diff, snapshot
from kotoverkko.common.cache import public_pages_changed
from kotoverkko.mailing.services import mail_is_suppressed, message_queue
from kotoverkko.network.models import Membership, Network, Organisation, Person
from kotoverkko.network.roles import NetworkTree
from kotoverkko.network.selectors import coordinators_by_network

from . import ical
from .checklists import template_for
from .models import (
    AgendaItem,
    AgendaSlot,
    CalendarToken,
    ChecklistItem,
    Event,
    EventSeries,
    HostTurn,
    Invitation,
    Minutes,
    MinutesVersion,
    Registration,
    Speaker,
)
from .recurrence import HORIZON, MAX_OCCURRENCES, Recurrence, expand, local_zone

EVENT_AUDITED = [
    "type",
    "title_fi",
    "title_sv",
    "title_en",
    "theme_fi",
    "theme_sv",
    "theme_en",
    "starts_at",
    "ends_at",
    "status",
    "visibility",
    "format",
    "team",
    "parent",
    "organiser",
    "hosts",
    "venue_name",
    "street_address",
    "municipality",
    "online_link",
    "registration_open",
    "registration_deadline",
    "capacity",
    "walk_ins_welcome",
    "room_rent",
    "coffee_cost",
    "other_costs",
]
# A change to any of these is news for a calendar: SEQUENCE goes up and invitees are told.
CALENDAR_FIELDS = {
    "title_fi",
    "title_sv",
    "title_en",
    "starts_at",
    "ends_at",
    "status",
    "format",
    "venue_name",
    "street_address",
    "postal_code",
    "municipality",
    "online_link",
}
M2M = {"audiences", "hosts", "co_organisers", "funders"}
# Fields an occurrence of a series shares with the rest ("this and following" edits copy them).
SERIES_SHARED = [
    name
    for name in (
        "title",
        "theme",
        "description",
        "accessibility",
        "funding_note",
    )
    for name in (f"{name}_fi", f"{name}_sv", f"{name}_en")
] + [
    "type",
    "network",
    "team",
    "parent",
    "languages",
    "visibility",
    "organiser",
    "eu_cofunded",
    "format",
    "venue_name",
    "street_address",
    "postal_code",
    "municipality",
    "online_platform",
    "online_link",
    "link_audience",
    "link_shown_before",
    "link_sent_before",
    "registration_open",
    "capacity",
    "walk_ins_welcome",
]

CANCEL_SALT = "events.registration.cancel"


def _scope(event: Event) -> list[int]:
    return NetworkTree.load().ancestors(event.network_id)


def _assign(obj, data: dict[str, Any]) -> dict[str, Any]:
    m2m = {}
    for name, value in data.items():
        if name in M2M:
            m2m[name] = value
        else:
            setattr(obj, name, value)
    return m2m


def _audit(*, actor, event: Event, before: dict) -> dict:
    changes = diff(before, snapshot(event, EVENT_AUDITED))
    if changes or not before:
        audit_record(
            actor=actor,
            action="update" if before else "create",
            obj=event,
            changes=changes,
            network_ids=_scope(event),
        )
    return changes


# Events -------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, actor, network: Network, data: dict[str, Any]) -> Event:
    """A new event with the planning checklist of its type; the next host in turn is proposed
    when none was given."""
    event = Event(network=network, created_by=actor if _is_user(actor) else None)
    m2m = _assign(event, data)
    if "hosts" not in m2m and event.type in (Event.Type.NETWORK_MEETING, Event.Type.TEAM_MEETING):
        host = host_next(network=event.team or network)
        if host is not None:
            m2m["hosts"] = [host]
    event.full_clean()
    event.save()
    for name, value in m2m.items():
        getattr(event, name).set(value)
    _checklist_create(event)
    _audit(actor=actor, event=event, before={})
    _public_change(event)
    return event


def _is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


@transaction.atomic
def event_update(*, actor, event: Event, data: dict[str, Any], scope: str = "this") -> list[Event]:
    """Change an event; with scope "following", also the later occurrences of its series.

    Returns the events changed. A change that matters to calendars raises SEQUENCE and sends
    the new version to everyone invited or registered; a new participation link is news too.
    """
    if scope not in ("this", "following"):
        raise ValueError(scope)
    event = Event.objects.select_for_update().get(pk=event.pk)
    targets = [event]
    if scope == "following" and event.series_id:
        targets += list(
            Event.objects.select_for_update()
            .filter(series_id=event.series_id, starts_at__gt=event.starts_at, detached=False)
            .exclude(pk=event.pk)
            .order_by("starts_at")
        )
    old_start = event.starts_at
    changed = []
    for target in targets:
        values = dict(data)
        if target.pk != event.pk:
            values = {k: v for k, v in data.items() if k in SERIES_SHARED or k in M2M}
            if "starts_at" in data or "ends_at" in data:
                values.update(_shifted_times(target, old_start, data, event))
        elif event.series_id and scope == "this":
            values["detached"] = True
        if _event_write(actor=actor, event=target, data=values):
            changed.append(target)
    if scope == "following" and event.series_id and ("starts_at" in data or "ends_at" in data):
        _series_follow(event)
    return changed


def _shifted_times(target: Event, old_start: datetime, data: dict, edited: Event) -> dict:
    """A later occurrence keeps its own date but takes the new local time and length."""
    zone = local_zone()
    new_start = data.get("starts_at", edited.starts_at).astimezone(zone)
    new_end = data.get("ends_at", edited.ends_at)
    day_shift = new_start.date() - old_start.astimezone(zone).date()
    local_day = target.starts_at.astimezone(zone).date() + day_shift
    starts = datetime.combine(local_day, new_start.time().replace(tzinfo=None)).replace(tzinfo=zone)
    return {"starts_at": starts, "ends_at": starts + (new_end - data.get("starts_at", old_start))}


def _series_follow(event: Event) -> None:
    """Record the new time on the series so later expansion agrees with the occurrences."""
    series = event.series
    local = event.starts_at.astimezone(local_zone())
    series.start_time = local.time().replace(tzinfo=None)
    series.duration = event.ends_at - event.starts_at
    series.save(update_fields=["start_time", "duration"])


def _event_write(*, actor, event: Event, data: dict[str, Any]) -> bool:
    before = snapshot(event, EVENT_AUDITED)
    calendar_before = {name: getattr(event, name) for name in CALENDAR_FIELDS}
    old_start = event.starts_at
    m2m = _assign(event, data)
    calendar_changed = any(
        getattr(event, name) != calendar_before[name] for name in CALENDAR_FIELDS
    )
    link_changed = event.online_link != calendar_before["online_link"]
    if calendar_changed:
        event.sequence += 1
    if event.starts_at != old_start:
        # A new time means a new reminder and, if the link was already sent, a new link e-mail.
        event.reminder_sent_at = None
        event.link_sent_at = None
    event.full_clean()
    event.save()
    for name, value in m2m.items():
        getattr(event, name).set(value)
    if event.starts_at != old_start:
        _checklist_reschedule(event, old_start)
    changes = _audit(actor=actor, event=event, before=before)
    if calendar_changed:
        _calendar_send(event, method="REQUEST", reason="changed", link_changed=link_changed)
    if link_changed and event.online_link and event.link_sent_at is not None:
        event.link_sent_at = None
        event.save(update_fields=["link_sent_at"])
    _public_change(event)
    return bool(changes) or calendar_changed or bool(m2m)


@transaction.atomic
def event_cancel(*, actor, event: Event) -> Event:
    """Cancel an event: everyone invited or registered gets METHOD:CANCEL."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError(_("The event is already cancelled."))
    before = snapshot(event, EVENT_AUDITED)
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    _audit(actor=actor, event=event, before=before)
    _calendar_send(event, method="CANCEL", reason="cancelled")
    _public_change(event)
    return event


def _public_change(event: Event) -> None:
    if event.visibility == Event.Visibility.PUBLIC:
        transaction.on_commit(public_pages_changed)


# Series -------------------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *, actor, network: Network, data: dict[str, Any], recurrence: Recurrence
) -> list[Event]:
    """A recurring event: one Event per occurrence, all sharing the series' settings.

    `data` holds the first occurrence's fields, including its `starts_at` and `ends_at`.
    """
    recurrence.validate()
    starts_at, ends_at = data["starts_at"], data["ends_at"]
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The event cannot end before it starts.")})
    local = starts_at.astimezone(local_zone())
    series = EventSeries.objects.create(
        network=network,
        rule=recurrence.rule(),
        starts_on=local.date(),
        start_time=local.time().replace(tzinfo=None),
        duration=ends_at - starts_at,
        until=recurrence.until,
        count=recurrence.count,
        excluded_dates=[day.isoformat() for day in recurrence.skip_dates],
    )
    if recurrence.until is not None and recurrence.until - series.starts_on > HORIZON:
        raise ValidationError({"until": _("A series can run for at most two years.")})
    starts = expand(
        rule=series.rule,
        starts_on=series.starts_on,
        start_time=series.start_time,
        skip_dates=recurrence.skip_dates,
        limit=MAX_OCCURRENCES + 1,
    )
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError(
            {"until": _("A series has at most %(max)s events.") % {"max": MAX_OCCURRENCES}}
        )
    if not starts:
        raise ValidationError({"until": _("The rule gives no dates.")})
    # A registration deadline is kept at the same distance before each occurrence.
    deadline = data.get("registration_deadline")
    before_start = starts_at - deadline if deadline else None
    events = []
    for start in starts:
        values = dict(data, starts_at=start, ends_at=start + series.duration, series=series)
        if before_start is not None:
            values["registration_deadline"] = start - before_start
        events.append(event_create(actor=actor, network=network, data=values))
    return events


# Next meeting and host rotation ---------------------------------------------------------------


@transaction.atomic
def event_next_create(*, actor, event: Event, starts_at: datetime) -> Event:
    """The date agreed at a meeting for the next one becomes a draft with the same settings,
    a fresh checklist and the next host in turn."""
    if starts_at <= event.starts_at:
        raise ValidationError({"starts_at": _("The next meeting must come after this one.")})
    names = [n for n in SERIES_SHARED if n not in ("network", "visibility", "online_link")]
    data = {name: getattr(event, name) for name in names}
    data.update(
        {
            "starts_at": starts_at,
            "ends_at": starts_at + (event.ends_at - event.starts_at),
            "visibility": Event.Visibility.DRAFT,
            "previous": event,
            "room_rent": event.room_rent,
            "coffee_cost": event.coffee_cost,
            "audiences": list(event.audiences.all()),
        }
    )
    if event.series_id is None:
        data["online_link"] = event.online_link
    return event_create(actor=actor, network=event.network, data=data)


@transaction.atomic
def host_rotation_set(*, actor, network: Network, organisations: list[Organisation]) -> None:
    """The network's hosts in the order they take turns."""
    if len({o.pk for o in organisations}) != len(organisations):
        raise ValidationError(_("An organisation can be in the rotation only once."))
    HostTurn.objects.filter(network=network).delete()
    HostTurn.objects.bulk_create(
        HostTurn(network=network, organisation=org, position=index)
        for index, org in enumerate(organisations, start=1)
    )
    audit_record(
        actor=actor,
        action="update",
        obj=network,
        changes={"host_rotation": [None, [str(o) for o in organisations]]},
        network_ids=NetworkTree.load().ancestors(network.pk),
    )


def host_next(*, network: Network) -> Organisation | None:
    """The organisation after the one that hosted the network's latest meeting."""
    turns = list(HostTurn.objects.filter(network=network).select_related("organisation"))
    if not turns:
        return None
    last = (
        Event.hosts.through.objects.filter(
            event__network=network, organisation_id__in=[t.organisation_id for t in turns]
        )
        .order_by("-event__starts_at")
        .values_list("organisation_id", flat=True)
        .first()
    )
    order = [t.organisation_id for t in turns]
    if last is None:
        return turns[0].organisation
    return turns[(order.index(last) + 1) % len(turns)].organisation


# Planning checklist -------------------------------------------------------------------------


def _checklist_create(event: Event) -> None:
    start = timezone.localdate(event.starts_at)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(event=event, key=key, due_on=start - timedelta(days=days), position=index)
        for index, (key, days) in enumerate(template_for(event.type, event.format))
    )


def _checklist_reschedule(event: Event, old_start: datetime) -> None:
    shift = timezone.localdate(event.starts_at) - timezone.localdate(old_start)
    if shift:
        ChecklistItem.objects.filter(event=event, done_at__isnull=True).update(
            due_on=F("due_on") + shift, reminded_on=None
        )


@transaction.atomic
def checklist_item_add(
    *, actor, event: Event, title: str, due_on: date, owner: Person | None = None
) -> ChecklistItem:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Write the task.")})
    item = ChecklistItem(event=event, title=title, due_on=due_on, owner=owner, position=99)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def checklist_item_update(
    *, actor, item: ChecklistItem, due_on: date, owner: Person | None, done: bool
) -> ChecklistItem:
    item.due_on = due_on
    item.owner = owner
    if done and item.done_at is None:
        item.done_at = timezone.now()
        item.done_by = actor if _is_user(actor) else None
    elif not done:
        item.done_at = None
        item.done_by = None
    item.full_clean()
    item.save()
    return item


def checklist_remind_overdue(*, today: date | None = None) -> int:
    """E-mail each owner (or the network's coordinators) once a day about overdue tasks."""
    today = today or timezone.localdate()
    items = (
        ChecklistItem.objects.filter(done_at__isnull=True, due_on__lt=today)
        .exclude(reminded_on=today)
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("event", "owner", "event__network")
        .order_by("event__starts_at", "due_on")
    )
    items = list(items)
    coordinators = coordinators_by_network({item.event.network_id for item in items})
    by_recipient: dict[int, tuple[Person, list[ChecklistItem]]] = {}
    for item in items:
        recipients = [item.owner] if item.owner else coordinators[item.event.network_id]
        for person in recipients:
            by_recipient.setdefault(person.pk, (person, []))[1].append(item)
    sent = 0
    with transaction.atomic():
        for person, person_items in by_recipient.values():
            message_queue(
                to=person.email,
                to_name=person.full_name,
                template="events/email/checklist_overdue",
                context={"person": person, "items": person_items},
                language=person.language,
                key=f"checklist:{today.isoformat()}:{person.pk}",
            )
            sent += 1
        ChecklistItem.objects.filter(pk__in=[i.pk for i in items]).update(reminded_on=today)
    return sent


# Agenda -------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_save(
    *,
    actor,
    event: Event,
    data: dict[str, Any],
    speakers: list[dict[str, Any]] | None = None,
    item: AgendaItem | None = None,
) -> AgendaItem:
    """Add or change an agenda item; `speakers` replaces its speakers when given."""
    item = item or AgendaItem(event=event)
    if item.event_id != event.pk:
        raise ValidationError(_("The item belongs to another event."))
    for name, value in data.items():
        setattr(item, name, value)
    if item.starts_at and not (event.starts_at <= item.starts_at <= event.ends_at):
        raise ValidationError({"starts_at": _("The item must start during the event.")})
    item.full_clean()
    item.save()
    if speakers is not None:
        item.speakers.all().delete()
        for speaker in speakers:
            if not (speaker.get("person") or (speaker.get("name") or "").strip()):
                continue
            Speaker.objects.create(item=item, **speaker)
    audit_record(
        actor=actor,
        action="update",
        obj=event,
        changes={"agenda": [None, item.title]},
        network_ids=_scope(event),
    )
    return item


@transaction.atomic
def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    event = item.event
    title = item.title
    item.delete()
    audit_record(
        actor=actor,
        action="update",
        obj=event,
        changes={"agenda": [title, None]},
        network_ids=_scope(event),
    )


@transaction.atomic
def agenda_round_slot(*, actor, item: AgendaItem) -> list[AgendaSlot]:
    """Give every organisation registered to the event an equal turn in the round.

    The turns fill the item's duration exactly (the last one absorbs the rounding), so the
    round cannot run long however many organisations come.
    """
    if item.type != AgendaItem.Type.CURRENT_AFFAIRS:
        raise ValidationError(_("Only a current-affairs round is divided into turns."))
    seen: dict[str, tuple[str, Organisation | None]] = {}
    registrations = (
        Registration.objects.filter(event=item.event, status=Registration.Status.CONFIRMED)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    for registration in registrations:
        label = registration.display_organisation.strip()
        if label and label.casefold() not in seen:
            seen[label.casefold()] = (label, registration.organisation)
    if not seen:
        raise ValidationError(_("No organisation has registered yet."))
    total = item.duration * 60
    turn = total // len(seen)
    if turn < 30:
        raise ValidationError(
            _("%(count)s organisations do not fit in %(minutes)s minutes.")
            % {"count": len(seen), "minutes": item.duration}
        )
    item.slots.all().delete()
    slots = []
    start = item.starts_at
    for index, (label, organisation) in enumerate(seen.values()):
        seconds = turn if index < len(seen) - 1 else total - turn * (len(seen) - 1)
        slots.append(
            AgendaSlot(
                item=item, organisation=organisation, label=label, starts_at=start, seconds=seconds
            )
        )
        start += timedelta(seconds=seconds)
    AgendaSlot.objects.bulk_create(slots)
    return slots


# Registrations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationData:
    name: str
    email: str
    organisation: Organisation | None = None
    organisation_name: str = ""
    diet: str = ""
    accessibility_needs: str = ""
    language: str = "fi"


def registration_create(
    *, event: Event, data: RegistrationData, person: Person | None = None, now=None
) -> Registration:
    """Register for an event: a seat if one is free, otherwise the waiting list.

    The event row is locked before the seats are counted, so two registrations can never take
    the last seat together (SELECT … FOR UPDATE on PostgreSQL; SQLite's write lock, taken at
    the start of the transaction, serialises them there).

    Every registration of an event waits for that lock, so the transaction holding it does
    as little as it can: it counts, saves the registration and marks its notice as pending.
    The notice (with its calendar invitation) is rendered and queued just after, in a second
    transaction; if the process dies in between, `registration_notices_send_due` queues it.
    Called inside a transaction of its caller, everything happens in that transaction.
    """
    now = now or timezone.now()
    email = data.email.strip().lower()
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError({"name": _("Write your name.")})
    registration = Registration(
        event=event,
        person=person,
        name=name,
        email=email,
        organisation=data.organisation,
        organisation_name=data.organisation_name.strip(),
        diet=data.diet.strip(),
        accessibility_needs=data.accessibility_needs.strip(),
        language=data.language,
        status=Registration.Status.CONFIRMED,
        created_at=now,
    )
    # The event and the person are in hand: only the other fields need checking.
    registration.full_clean(
        exclude=["event", "person"], validate_constraints=False, validate_unique=False
    )
    own_transaction = not transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic():
            locked = _event_for_seats(event.pk)
            _check_open(locked, now)
            confirmed = Registration.objects.filter(
                event=locked, status=Registration.Status.CONFIRMED
            ).count()
            full = locked.capacity is not None and confirmed >= locked.capacity
            registration.event = locked
            if full:
                registration.status = Registration.Status.WAITING
            registration.notice_pending = "waiting" if full else "confirmed"
            registration.save(force_insert=True)
            if not own_transaction:
                _registration_notice_send(registration)
    except IntegrityError:
        raise ValidationError(
            {"email": _("This address is already registered for the event.")}
        ) from None
    if own_transaction:
        _registration_notice_send(registration)
    return registration


@transaction.atomic
def registrations_record(
    *, event: Event, entries: list[tuple[RegistrationData, Person | None, datetime]]
) -> list[Registration]:
    """Record registrations made elsewhere (an earlier tool, a paper list, demo history) in
    one go: each entry is (data, person, when registered). In time order they take the free
    seats, then join the waiting list, as they would have one by one; nobody is mailed.
    A bad entry refuses them all."""
    locked = _event_for_seats(event.pk)
    taken = Registration.objects.filter(event=locked, status=Registration.Status.CONFIRMED).count()
    registrations = []
    for data, person, moment in sorted(entries, key=lambda entry: entry[2]):
        full = locked.capacity is not None and taken >= locked.capacity
        registration = Registration(
            event=locked,
            person=person,
            name=" ".join(data.name.split()),
            email=data.email.strip().lower(),
            organisation=data.organisation,
            organisation_name=data.organisation_name.strip(),
            diet=data.diet.strip(),
            accessibility_needs=data.accessibility_needs.strip(),
            language=data.language,
            status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
            created_at=moment,
        )
        registration.full_clean(
            exclude=["event", "person", "organisation"],
            validate_constraints=False,
            validate_unique=False,
        )
        taken += not full
        registrations.append(registration)
    try:
        with transaction.atomic():
            created = Registration.objects.bulk_create(registrations)
    except IntegrityError:
        raise ValidationError(
            {"email": _("An address is registered for the event twice.")}
        ) from None
    if any(registration.pk is None for registration in created):  # no RETURNING
        ids = dict(
            Registration.objects.filter(event=locked)
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("email", "pk")
        )
        for registration in created:
            registration.pk = ids[registration.email]
    return created


@transaction.atomic
def _registration_notice_send(registration: Registration) -> None:
    """Queue the registration's pending notice and clear the mark, in one transaction; the
    conditional update makes a second caller (the sweep, at the same moment) queue nothing."""
    kind = registration.notice_pending
    if not kind:
        return
    cleared = Registration.objects.filter(pk=registration.pk, notice_pending=kind).update(
        notice_pending=""
    )
    registration.notice_pending = ""
    if cleared:
        _registration_mail(registration, kind)


# A notice still pending this long after its registration was saved was left by a process that
# stopped between the two transactions of `registration_create`.
NOTICE_GRACE = timedelta(minutes=1)


def registration_notices_send_due(*, now: datetime | None = None) -> int:
    """Queue the notices that `registration_create` could not queue; returns how many."""
    now = now or timezone.now()
    pending = Registration.objects.filter(created_at__lt=now - NOTICE_GRACE).exclude(
        notice_pending=""
    )
    sent = 0
    for registration in pending.select_related("event").order_by("pk")[:500]:
        _registration_notice_send(registration)
        sent += 1
    return sent


def _event_for_seats(pk: int) -> Event:
    """The event, locked until the transaction ends: whoever holds it counts the seats. Its
    network and municipality come along for the notices (only the event row is locked)."""
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("network", "municipality")
        .get(pk=pk)
    )


def _check_open(event: Event, now: datetime) -> None:
    if refusal := event.registration_refusal(now):
        raise ValidationError(refusal)


def registration_cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration:
    """The registration a signed cancel link names; a forged or mangled link is refused."""
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        raise ValidationError(_("The link is not valid.")) from None
    try:
        return Registration.objects.select_related("event").get(pk=pk)
    except Registration.DoesNotExist:
        raise ValidationError(_("The link is not valid.")) from None


@transaction.atomic
def registration_cancel(*, registration: Registration, actor=None) -> Registration | None:
    """Cancel a place; a freed seat goes to the first on the waiting list, who is told.

    Returns the promoted registration, if any.
    """
    event = _event_for_seats(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("The registration is already cancelled."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        _send_calendar_to(
            registration.event,
            registration.email,
            registration.name,
            registration.language,
            method="CANCEL",
            reason="registration_cancelled",
            key=f"registration:{registration.pk}:cancelled",
        )
    return _promote(event) if was_confirmed else None


def _promote(event: Event) -> Registration | None:
    confirmed = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    ).count()
    if event.capacity is not None and confirmed >= event.capacity:
        return None
    first = (
        Registration.objects.select_for_update()
        .filter(event=event, status=Registration.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = Registration.Status.CONFIRMED
    first.promoted_at = timezone.now()
    first.save(update_fields=["status", "promoted_at"])
    _registration_mail(first, "promoted")
    return first


@transaction.atomic
def registration_attendance_set(
    *, actor, registration: Registration, attendance: str
) -> Registration:
    if attendance not in Registration.Attendance.values:
        raise ValidationError({"attendance": _("Choose present or absent.")})
    registration.attendance = attendance
    registration.save(update_fields=["attendance"])
    return registration


@transaction.atomic
def walk_in_add(*, actor, event: Event, data: RegistrationData) -> Registration:
    """Someone who came without registering, recorded as present."""
    email = data.email.strip().lower()
    existing = (
        Registration.objects.filter(event=event, email=email)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        existing.attendance = Registration.Attendance.PRESENT
        existing.save(update_fields=["attendance"])
        return existing
    registration = Registration(
        event=event,
        name=" ".join(data.name.split()),
        email=email,
        organisation=data.organisation,
        organisation_name=data.organisation_name.strip(),
        language=data.language,
        status=Registration.Status.CONFIRMED,
        attendance=Registration.Attendance.PRESENT,
        walk_in=True,
    )
    registration.full_clean(validate_constraints=False)
    registration.save()
    return registration


def _registration_mail(registration: Registration, kind: str) -> None:
    """Confirmation (with the calendar invitation), waiting-list notice, or promotion."""
    if mail_is_suppressed():
        return
    event = registration.event
    calendar = None
    if kind in ("confirmed", "promoted"):
        calendar = (
            "REQUEST",
            _ics(event, "REQUEST", registration.email, registration.name, registration.language),
        )
    message_queue(
        to=registration.email,
        to_name=registration.name,
        template=f"events/email/registration_{kind}",
        context={
            "event": event,
            "registration": registration,
            "cancel_path": _cancel_path(registration),
        },
        language=registration.language,
        key=f"registration:{registration.pk}:{kind}",
        calendar=calendar,
    )


def _cancel_path(registration: Registration) -> str:
    from django.urls import reverse

    return reverse(
        "events:registration_cancel", kwargs={"token": registration_cancel_token(registration)}
    )


# Invitations and calendar messages ----------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    person: Person | None = None


def invitation_recipients(
    *, networks: list[Network] = (), emails: list[str] = ()
) -> list[Recipient]:
    """Everyone with an active membership in the networks (or below them), and addresses."""
    found: dict[str, Recipient] = {}
    if networks:
        tree = NetworkTree.load()
        ids: set[int] = set()
        for network in networks:
            ids |= tree.descendants(network.pk)
        people = Person.objects.filter(
            memberships__network_id__in=ids, memberships__status=Membership.Status.ACTIVE
        ).distinct()
        for person in people.order_by("last_name", "first_name"):
            found.setdefault(
                person.email.lower(),
                Recipient(person.email.lower(), person.full_name, person.language, person),
            )
    for email in emails:
        email = email.strip().lower()
        if email:
            found.setdefault(email, Recipient(email, "", "fi"))
    return list(found.values())


@transaction.atomic
def invitation_send(*, actor, event: Event, recipients: list[Recipient]) -> int:
    """Invite people to an event: each gets METHOD:REQUEST; later changes reach them too.

    Returns how many new invitations were sent (an address already invited is skipped).
    """
    if event.visibility == Event.Visibility.DRAFT:
        raise ValidationError(_("Publish the event before inviting people."))
    if event.is_cancelled:
        raise ValidationError(_("The event is cancelled."))
    sent = 0
    for recipient in recipients:
        invitation, created = Invitation.objects.get_or_create(
            event=event,
            email=recipient.email,
            defaults={
                "name": recipient.name,
                "language": recipient.language,
                "person": recipient.person,
            },
        )
        if created:
            _send_calendar_to(
                event,
                invitation.email,
                invitation.name,
                invitation.language,
                method="REQUEST",
                reason="invited",
            )
            sent += 1
    audit_record(
        actor=actor,
        action="update",
        obj=event,
        changes={"invitations": [None, sent]},
        network_ids=_scope(event),
    )
    _checklist_mark(event, "invitations")
    return sent


def _checklist_mark(event: Event, key: str) -> None:
    ChecklistItem.objects.filter(event=event, key=key, done_at__isnull=True).update(
        done_at=timezone.now()
    )


def _calendar_recipients(event: Event) -> list[tuple[str, str, str]]:
    """(email, name, language) of everyone invited or holding a confirmed place, once each."""
    found: dict[str, tuple[str, str, str]] = {}
    for email, name, language in event.invitations.values_list("email", "name", "language"):
        found.setdefault(email.lower(), (email, name, language))
    registrations = event.registrations.filter(
        status=Registration.Status.CONFIRMED, walk_in=False
    ).values_list("email", "name", "language")
    for email, name, language in registrations:
        found[email.lower()] = (email, name, language)
    return list(found.values())


def _calendar_send(event: Event, *, method: str, reason: str, link_changed: bool = False) -> None:
    for email, name, language in _calendar_recipients(event):
        _send_calendar_to(
            event, email, name, language, method=method, reason=reason, link_changed=link_changed
        )


def _send_calendar_to(
    event: Event,
    email: str,
    name: str,
    language: str,
    *,
    method: str,
    reason: str,
    link_changed: bool = False,
    key: str = "",
) -> None:
    if mail_is_suppressed():
        return  # nor is the calendar text built
    message_queue(
        to=email,
        to_name=name,
        template=f"events/email/calendar_{reason}",
        context={"event": event, "name": name, "link_changed": link_changed},
        language=language,
        key=key or _calendar_key(event, method, email),
        calendar=(method, _ics(event, method, email, name, language)),
    )


def _calendar_key(event: Event, method: str, email: str) -> str:
    digest = hashlib.sha256(email.lower().encode()).hexdigest()[:24]
    return f"ical:{event.uid}:{event.sequence}:{method}:{digest}"


def _ics(event: Event, method: str, email: str, name: str, language: str) -> str:
    return ical.invitation(
        event, method=method, attendee_email=email, attendee_name=name, language=language
    )


# Participation links and reminders --------------------------------------------------------------


def event_links_send_due(*, now: datetime | None = None) -> int:
    """E-mail the participation link to the registered a set time before each start.

    Runs from the scheduler; an event whose link went out is marked, so the link is sent once
    (and once more if it changes). Returns the number of messages queued.
    """
    now = now or timezone.now()
    candidates = (
        Event.objects.filter(
            link_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=14),
            format__in=[Event.Format.ONLINE, Event.Format.HYBRID],
        )
        .exclude(online_link="")
        .exclude(status=Event.Status.CANCELLED)
    )
    queued = 0
    for event in candidates:
        if event.starts_at - event.link_sent_before > now:
            continue
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.link_sent_at is not None:
                continue
            for registration in locked.registrations.filter(status=Registration.Status.CONFIRMED):
                message_queue(
                    to=registration.email,
                    to_name=registration.name,
                    template="events/email/participation_link",
                    context={"event": locked, "registration": registration},
                    language=registration.language,
                    key=f"link:{locked.pk}:{locked.sequence}:{registration.pk}",
                )
                queued += 1
            locked.link_sent_at = now
            locked.save(update_fields=["link_sent_at"])
    return queued


def event_reminders_send_due(*, now: datetime | None = None) -> int:
    """Remind the registered the day before the event."""
    now = now or timezone.now()
    events = Event.objects.filter(
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=1),
    ).exclude(status=Event.Status.CANCELLED)
    queued = 0
    for event in events:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.reminder_sent_at is not None:
                continue
            for registration in locked.registrations.filter(status=Registration.Status.CONFIRMED):
                message_queue(
                    to=registration.email,
                    to_name=registration.name,
                    template="events/email/reminder",
                    context={
                        "event": locked,
                        "registration": registration,
                        "cancel_path": _cancel_path(registration),
                    },
                    language=registration.language,
                    key=f"reminder:{locked.pk}:{registration.pk}",
                )
                queued += 1
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
    return queued


# Minutes ------------------------------------------------------------------------------------


@transaction.atomic
def minutes_start(*, actor, event: Event, body: str) -> Minutes:
    """The first draft of the minutes (the page prefills it from agenda and attendance)."""
    if hasattr(event, "minutes"):
        return event.minutes
    minutes = Minutes.objects.create(event=event, body=body)
    MinutesVersion.objects.create(
        minutes=minutes, number=1, body=body, saved_by=actor if _is_user(actor) else None
    )
    return minutes


@transaction.atomic
def minutes_save(*, actor, minutes: Minutes, body: str) -> Minutes:
    """A new version of the text. Changed minutes are a draft again and leave the event page
    until they are approved and published anew: what the public reads was approved."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not body.strip():
        raise ValidationError({"body": _("The minutes cannot be empty.")})
    if body == minutes.body:
        return minutes
    minutes.body = body
    minutes.version += 1
    minutes.status = Minutes.Status.DRAFT
    minutes.approved_at = None
    minutes.approved_by = None
    minutes.published = False
    minutes.save()
    MinutesVersion.objects.create(
        minutes=minutes,
        number=minutes.version,
        body=body,
        saved_by=actor if _is_user(actor) else None,
    )
    return minutes


@transaction.atomic
def minutes_approve(*, actor, minutes: Minutes) -> Minutes:
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor if _is_user(actor) else None
    minutes.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=minutes.event,
        changes={"minutes": [None, minutes.version]},
        network_ids=_scope(minutes.event),
    )
    return minutes


@transaction.atomic
def minutes_publish(*, actor, minutes: Minutes, published: bool) -> Minutes:
    if published and minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Approve the minutes before publishing them."))
    minutes.published = published
    minutes.save(update_fields=["published", "updated_at"])
    _public_change(minutes.event)
    return minutes


@transaction.atomic
def minutes_send(*, actor, minutes: Minutes) -> int:
    """Send the approved minutes to everyone who attended (or, before attendance is marked,
    to everyone with a confirmed place)."""
    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Approve the minutes before sending them."))
    event = minutes.event
    registrations = event.registrations.filter(status=Registration.Status.CONFIRMED).exclude(
        attendance=Registration.Attendance.ABSENT
    )
    sent = 0
    for registration in registrations:
        message_queue(
            to=registration.email,
            to_name=registration.name,
            template="events/email/minutes",
            context={"event": event, "minutes": minutes},
            language=registration.language,
            key=f"minutes:{minutes.pk}:{minutes.version}:{registration.pk}",
        )
        sent += 1
    minutes.sent_at = timezone.now()
    minutes.save(update_fields=["sent_at", "updated_at"])
    _checklist_mark(event, "minutes")
    return sent


# Personal calendar feed ---------------------------------------------------------------------


def calendar_token_get_or_create(*, user) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> CalendarToken:
    """A new secret: the old feed address stops working at once."""
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token
