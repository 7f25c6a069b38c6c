"""Planning pages of coordinators and team leads: the events they plan, the event form (one
event or a series), cancelling, the next meeting, the checklist, the host rotation and costs."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.common.permissions import require, user_can
from kotoverkko.common.spreadsheets import write_csv
from kotoverkko.network import selectors as network_selectors
from kotoverkko.network.models import Network, Organisation
from kotoverkko.network.roles import roles_for

from . import selectors, services
from .forms_manage import (
    CancelForm,
    ChecklistAddForm,
    ChecklistItemForm,
    EventForm,
    HostAddForm,
    NextMeetingForm,
    people_choices,
)
from .models import Event

PAGE_SIZE = 25


def _network_or_404(slug: str) -> Network:
    try:
        return network_selectors.network_get(slug=slug)
    except Network.DoesNotExist as exc:
        raise Http404 from exc


def _planned_network_or_404(request, slug: str) -> Network:
    """A network (not a team) whose events the user plans: its hosts and costs."""
    network = _network_or_404(slug)
    if network.is_team:
        raise Http404
    require(request.user, "event.create", network)
    return network


def _teams_for(user, network: Network):
    """The teams of the network the user may plan events for, and whether one must be chosen
    (a team lead plans only her team's events)."""
    teams = Network.objects.filter(parent=network, kind=Network.Kind.TEAM).order_by("name")
    if user_can(user, "event.create", network):
        return teams, False
    roles = roles_for(user)
    return teams.filter(pk__in=roles.leads | roles.coordinates), True


# Reads that belong in events/selectors.py (the lead owns it): kept here, private, until moved.


# The list ------------------------------------------------------------------------------------


@login_required
def event_list(request):
    networks = list(network_selectors.managed_network_list(user=request.user))
    if not networks:
        raise PermissionDenied
    slug = request.GET.get("network") or ""
    network = next((n for n in networks if n.slug == slug), None)
    past = request.GET.get("when") == "past"
    page = Paginator(
        selectors.event_list_managed(user=request.user, network=network, past=past), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    events = list(page.object_list)
    counts = selectors.registration_counts(events=events)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": [{"event": e, "registrations": counts[e.pk]} for e in events],
        "networks": networks,
        "network": network,
        "past": past,
        "query": query.urlencode(),
    }
    return render(request, "events/manage/list.html", context)


# The event form --------------------------------------------------------------------------------


def _create_initial(network: Network, team: Network | None) -> dict:
    host = services.host_next(network=network)
    return {
        "type": Event.Type.TEAM_MEETING if team else Event.Type.NETWORK_MEETING,
        "team": team,
        "languages": list(network.languages or []),
        "hosts": [host] if host is not None else [],
        "status": Event.Status.SCHEDULED,
        "visibility": Event.Visibility.DRAFT,
        "format": Event.Format.IN_PERSON,
        "registration_open": True,
        "interval": 1,
    }


@login_required
def event_create(request, slug: str):
    target = _network_or_404(slug)
    require(request.user, "event.create", target)
    # A team's events belong to the team's network and name the team.
    network, team = (target.parent, target) if target.is_team else (target, None)
    teams, team_required = _teams_for(request.user, network)
    form = EventForm(
        request.POST if request.method == "POST" else None,
        network=network,
        teams=teams,
        team_required=team_required,
        allow_repeat=True,
        initial=_create_initial(network, team),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                events = _create(request.user, network, form)
            except ValidationError as error:
                form.apply_errors(error)
            else:
                if len(events) > 1:
                    messages.success(
                        request, _("%(count)s events were created.") % {"count": len(events)}
                    )
                else:
                    messages.success(request, _("The event was created."))
                return redirect("events:manage_event", pk=events[0].pk)
    context = {"form": form, "network": network, "target": target, "event": None}
    return render(request, "events/manage/event_form.html", context, status=status)


def _create(actor, network: Network, form: EventForm) -> list[Event]:
    data = form.service_data()
    if form.recurrence is not None:
        return services.series_create(
            actor=actor, network=network, data=data, recurrence=form.recurrence
        )
    return [services.event_create(actor=actor, network=network, data=data)]


@login_required
def event_edit(request, pk: int):
    event = selectors.event_get_for_manage(pk=pk, user=request.user)
    teams, team_required = _teams_for(request.user, event.network)
    form = EventForm(
        request.POST if request.method == "POST" else None,
        instance=event,
        network=event.network,
        teams=teams,
        team_required=team_required,
        ask_scope=event.series_id is not None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.service_data(changed_only=True)
            if not data:
                messages.info(request, _("Nothing was changed."))
                return redirect("events:manage_event", pk=event.pk)
            try:
                changed = services.event_update(
                    actor=request.user,
                    event=event,
                    data=data,
                    scope=form.cleaned_data.get("scope") or "this",
                )
            except ValidationError as error:
                form.apply_errors(error)
            else:
                _report_update(request, event, changed, data)
                return redirect("events:manage_event", pk=event.pk)
    context = {
        "form": form,
        "network": event.network,
        "event": event,
        "registrations": selectors.registration_counts(events=[event])[event.pk],
    }
    return render(request, "events/manage/event_form.html", context, status=status)


def _report_update(request, event: Event, changed: list[Event], data: dict) -> None:
    if len(changed) > 1:
        messages.success(
            request, _("The changes were saved in %(count)s events.") % {"count": len(changed)}
        )
    else:
        messages.success(request, _("The changes were saved."))
    # SEQUENCE goes up exactly when a change matters to calendars (services.CALENDAR_FIELDS).
    edited = next((e for e in changed if e.pk == event.pk), None)
    later = [e for e in changed if e.pk != event.pk]
    if (edited is not None and edited.sequence > event.sequence) or (
        later and set(data) & services.CALENDAR_FIELDS
    ):
        messages.info(
            request,
            _("Everyone invited or registered gets the updated calendar invitation by e-mail."),
        )


# One event ---------------------------------------------------------------------------------


def _overview(request, event: Event, next_form: NextMeetingForm, *, status: int = 200):
    items = list(event.checklist.select_related("owner"))
    today = timezone.localdate()
    context = {
        "event": event,
        "registrations": selectors.registration_counts(events=[event])[event.pk],
        "audiences": list(event.audiences.all()),
        "organiser": event.organiser,
        "hosts": list(event.hosts.all()),
        "co_organisers": list(event.co_organisers.all()),
        "funders": list(event.funders.all()),
        "parent": event.parent,
        "sub_events": list(event.sub_events.order_by("starts_at", "pk")),
        "previous": event.previous,
        "next_events": list(event.next_events.order_by("starts_at", "pk")),
        "tasks_open": sum(1 for i in items if not i.is_done),
        "tasks_overdue": sum(1 for i in items if i.is_overdue(today)),
        "tasks_total": len(items),
        "next_form": next_form,
        "occurrences": event.series.occurrences.count() if event.series_id else 0,
    }
    return render(request, "events/manage/event.html", context, status=status)


@login_required
def event_overview(request, pk: int):
    event = selectors.event_get_for_manage(pk=pk, user=request.user)
    return _overview(request, event, NextMeetingForm())


@login_required
def event_cancel(request, pk: int):
    event = selectors.event_get_for_manage(pk=pk, user=request.user)
    form = CancelForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.event_cancel(actor=request.user, event=event)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("The event was cancelled. Everyone invited or registered was told."),
                )
                return redirect("events:manage_event", pk=event.pk)
    return render(
        request, "events/manage/cancel.html", {"event": event, "form": form}, status=status
    )


@login_required
@require_POST
def event_next(request, pk: int):
    event = selectors.event_get_for_manage(pk=pk, user=request.user)
    form = NextMeetingForm(request.POST)
    if form.is_valid():
        try:
            draft = services.event_next_create(
                actor=request.user, event=event, starts_at=form.cleaned_data["starts_at"]
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            day = timezone.localtime(draft.starts_at).date()
            messages.success(
                request,
                _("A draft of the next meeting on %(date)s was created. Check it and publish it.")
                % {"date": date_format(day, "SHORT_DATE_FORMAT")},
            )
            return redirect("events:manage_edit", pk=draft.pk)
    return _overview(request, event, form, status=400)


# Checklist ---------------------------------------------------------------------------------


@login_required
def checklist(request, pk: int):
    event = selectors.event_get_for_manage(pk=pk, user=request.user)
    items = list(event.checklist.select_related("owner"))
    people = selectors.task_owner_candidates(event=event, items=items)
    by_pk = {p.pk: p for p in people}
    choices = people_choices(people)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    add_form = ChecklistAddForm(
        posted if action == "add" else None,
        prefix="new",
        people=by_pk,
        choices=choices,
        initial={"due_on": timezone.localdate(event.starts_at)},
    )
    bound_item = None
    action_error = ""
    if action == "update":
        bound_item = next((i for i in items if str(i.pk) == posted.get("item")), None)
        if bound_item is None:
            raise Http404
    rows = []
    for item in items:
        form = ChecklistItemForm(
            posted if item is bound_item else None,
            prefix=f"item-{item.pk}",
            people=by_pk,
            choices=choices,
            initial={"due_on": item.due_on, "owner": item.owner_id or "", "done": item.is_done},
            html_form=f"task-{item.pk}",
        )
        rows.append({"item": item, "form": form})
    status = 200
    if action == "add":
        status = 400
        if add_form.is_valid():
            data = add_form.cleaned_data
            try:
                services.checklist_item_add(
                    actor=request.user,
                    event=event,
                    title=data["title"],
                    due_on=data["due_on"],
                    owner=data["owner"],
                )
            except ValidationError as error:
                add_form.apply_errors(error)
            else:
                messages.success(request, _("The task was added."))
                return redirect("events:manage_checklist", pk=event.pk)
    elif bound_item is not None:
        status = 400
        form = next(r["form"] for r in rows if r["item"] is bound_item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.checklist_item_update(
                    actor=request.user,
                    item=bound_item,
                    due_on=data["due_on"],
                    owner=data["owner"],
                    done=data["done"],
                )
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(
                    request, _("The task “%(task)s” was saved.") % {"task": bound_item.label}
                )
                return redirect("events:manage_checklist", pk=event.pk)
    elif request.method == "POST":
        status = 400
        action_error = _("Choose what to do.")
    context = {
        "event": event,
        "rows": rows,
        "add_form": add_form,
        "today": timezone.localdate(),
        "action_error": action_error,
    }
    return render(request, "events/manage/checklist.html", context, status=status)


# Host rotation and costs -------------------------------------------------------------------


@login_required
def host_rotation(request, slug: str):
    network = _planned_network_or_404(request, slug)
    organisations = [turn.organisation for turn in selectors.host_rotation(network=network)]
    action = request.POST.get("action") if request.method == "POST" else None
    add_form = HostAddForm(
        request.POST if action == "add" else None, exclude_ids=[o.pk for o in organisations]
    )
    status = 200
    action_error = ""
    if request.method == "POST":
        status = 400
        new_order, action_error = _rotation_after(request.POST, action, organisations, add_form)
        if new_order is not None:
            try:
                services.host_rotation_set(
                    actor=request.user, network=network, organisations=new_order
                )
            except ValidationError as error:
                action_error = " ".join(error.messages)
            else:
                messages.success(request, _("The host rotation was saved."))
                return redirect("events:manage_hosts", slug=network.slug)
    context = {
        "network": network,
        "organisations": organisations,
        "next_host": services.host_next(network=network),
        "add_form": add_form,
        "action_error": action_error,
    }
    return render(request, "events/manage/hosts.html", context, status=status)


def _rotation_after(post, action, organisations: list[Organisation], add_form):
    """The rotation as the posted action leaves it, or None and why not."""
    if action == "add":
        if add_form.is_valid():
            return [*organisations, add_form.cleaned_data["organisation"]], ""
        return None, ""
    index = next(
        (i for i, o in enumerate(organisations) if str(o.pk) == post.get("organisation")), None
    )
    if index is None or action not in ("up", "down", "remove"):
        return None, _("The organisation is not in the rotation.")
    order = list(organisations)
    if action == "remove":
        del order[index]
    else:
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
    return order, ""


CENT = Decimal("0.01")
MONEY = ("room_rent", "coffee", "other", "total")


def _cost_table(network: Network) -> tuple[list[dict], dict]:
    """The costs per year in euros and cents, and their totals."""
    rows = [
        {**row, **{key: (row[key] or Decimal("0")).quantize(CENT) for key in MONEY}}
        for row in selectors.costs_per_year(network=network)
    ]
    totals = {key: sum((row[key] for row in rows), Decimal("0.00")) for key in MONEY}
    totals["events"] = sum(row["events"] for row in rows)
    return rows, totals


@login_required
def costs(request, slug: str):
    network = _planned_network_or_404(request, slug)
    rows, totals = _cost_table(network)
    context = {"network": network, "rows": rows, "totals": totals}
    return render(request, "events/manage/costs.html", context)


@login_required
def costs_csv(request, slug: str):
    network = _planned_network_or_404(request, slug)
    rows, totals = _cost_table(network)
    header = [_("Year"), _("Events"), _("Room rent"), _("Coffee"), _("Other costs"), _("Total")]
    body = [
        [r["year"], r["events"], r["room_rent"], r["coffee"], r["other"], r["total"]] for r in rows
    ]
    body.append(
        [
            _("Total"),
            totals["events"],
            totals["room_rent"],
            totals["coffee"],
            totals["other"],
            totals["total"],
        ]
    )
    response = HttpResponse(write_csv(header, body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-costs.csv"'
    return response
