"""Pages that run a meeting: agenda and its printable form, materials and their downloads,
registrations and attendance, invitations, minutes.

Every page belongs to those who manage the event ("event.manage"), except the printable agenda
and material downloads, which follow whether the event may be seen ("event.view").
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kotoverkko.common import uploads
from kotoverkko.common.forms import apply_service_errors
from kotoverkko.common.permissions import user_can
from kotoverkko.common.spreadsheets import write_csv, write_xlsx
from kotoverkko.library import services as library_services

from . import agenda as agenda_text
from . import selectors, services
from .forms_meeting import (
    AgendaItemForm,
    InviteAddressesForm,
    InviteGroupForm,
    MaterialForm,
    MinutesForm,
    WalkInForm,
    attendance_from,
    speaker_formset,
)
from .models import (
    AgendaItem,
    Event,
    Invitation,
    Minutes,
    Registration,
)

INVITATIONS_PER_PAGE = 100
DEFAULT_DURATION = 15


def _event_to_manage(request, pk: int) -> Event:
    return selectors.event_get_for_manage(pk=pk, user=request.user)


def _may_view(user, event: Event) -> bool:
    # user_can answers no for anonymous visitors; a public event is for everyone.
    return event.is_public or user_can(user, "event.view", event)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# Agenda ---------------------------------------------------------------------------------------


def _agenda_rows(items: list[AgendaItem]) -> list[dict]:
    return [
        {
            "item": item,
            "time": agenda_text.span(item.starts_at, item.ends_at),
            "speakers": list(item.speakers.all()),
            "turns": agenda_text.turns(item.slots.all()),
            "can_slot": item.type == AgendaItem.Type.CURRENT_AFFAIRS,
        }
        for item in items
    ]


def _agenda_page(request, event: Event, items, form, speakers, *, status: int = 200):
    context = {
        "event": event,
        "rows": _agenda_rows(items),
        "warnings": agenda_text.agenda_warnings(event, items),
        "form": form,
        "speakers": speakers,
        "active": "agenda",
    }
    return render(request, "events/meeting/agenda.html", context, status=status)


def _new_item_form(event: Event, items: list[AgendaItem]) -> AgendaItemForm:
    """An empty item that starts where the agenda so far ends."""
    return AgendaItemForm(
        initial={
            "starts_at": agenda_text.next_start(event, items),
            "duration": DEFAULT_DURATION,
            "type": AgendaItem.Type.OTHER,
        }
    )


def _speakers_from(formset) -> list[dict]:
    return [s for s in (form.speaker() for form in formset.forms) if s is not None]


@login_required
def agenda(request, pk: int):
    event = _event_to_manage(request, pk)
    items = selectors.agenda_items(event=event)
    people = selectors.speaker_candidates(event=event)
    if request.method != "POST":
        form = _new_item_form(event, items)
        return _agenda_page(request, event, items, form, speaker_formset(people=people))
    form = AgendaItemForm(request.POST)
    speakers = speaker_formset(request.POST, people=people)
    if form.is_valid() and speakers.is_valid():
        try:
            item = services.agenda_item_save(
                actor=request.user,
                event=event,
                data=form.service_data(),
                speakers=_speakers_from(speakers),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” was added to the agenda.") % {"title": item})
            return redirect(reverse("events:manage_agenda", kwargs={"pk": event.pk}) + "#new-item")
    return _agenda_page(request, event, items, form, speakers, status=400)


@login_required
def agenda_item(request, pk: int, item_pk: int):
    event = _event_to_manage(request, pk)
    items = selectors.agenda_items(event=event)
    item = next((i for i in items if i.pk == item_pk), None)
    if item is None:
        raise Http404
    current = list(item.speakers.all())
    people = selectors.speaker_candidates(
        event=event, also={s.person_id for s in current if s.person_id}
    )
    status = 200
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.agenda_item_delete(actor=request.user, item=item)
        messages.success(request, _("“%(title)s” was removed from the agenda.") % {"title": item})
        return redirect("events:manage_agenda", pk=event.pk)
    if request.method == "POST":
        form = AgendaItemForm(request.POST)
        speakers = speaker_formset(request.POST, people=people)
        if form.is_valid() and speakers.is_valid():
            try:
                services.agenda_item_save(
                    actor=request.user,
                    event=event,
                    item=item,
                    data=form.service_data(),
                    speakers=_speakers_from(speakers),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
                item.refresh_from_db()
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("events:manage_agenda", pk=event.pk)
        status = 400
    else:
        form = AgendaItemForm(initial=AgendaItemForm.initial_from(item))
        speakers = speaker_formset(people=people, speakers=current)
    context = {
        "event": event,
        "item": item,
        "form": form,
        "speakers": speakers,
        "confirm_delete": request.GET.get("delete") == "1",
        "active": "agenda",
    }
    return render(request, "events/meeting/agenda_item.html", context, status=status)


@login_required
@require_POST
def agenda_slots(request, pk: int, item_pk: int):
    event = _event_to_manage(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, event=event)
    try:
        slots = services.agenda_round_slot(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        items = selectors.agenda_items(event=event)
        people = selectors.speaker_candidates(event=event)
        form = _new_item_form(event, items)
        return _agenda_page(request, event, items, form, speaker_formset(people=people), status=400)
    turn = agenda_text.turns(slots[:1])[0]
    messages.success(
        request,
        ngettext(
            "“%(title)s” was divided into %(count)s turn of %(length)s.",
            "“%(title)s” was divided into %(count)s turns of %(length)s.",
            len(slots),
        )
        % {"title": item, "count": len(slots), "length": turn.length},
    )
    return redirect(reverse("events:manage_agenda", kwargs={"pk": event.pk}) + f"#item-{item.pk}")


@require_GET
def agenda_print(request, pk: int):
    event = get_object_or_404(
        Event.objects.select_related("network", "municipality", "organiser"), pk=pk
    )
    if not _may_view(request.user, event):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    items = selectors.agenda_items(event=event)
    context = {
        "event": event,
        "rows": _agenda_rows(items),
        "place": agenda_text.event_place(event),
        "can_manage": user_can(request.user, "event.manage", event),
    }
    return render(request, "events/meeting/agenda_print.html", context)


# Materials ------------------------------------------------------------------------------------


@login_required
def materials(request, pk: int):
    event = _event_to_manage(request, pk)
    items = selectors.agenda_items(event=event)
    status = 200
    language = (event.languages or ["fi"])[0]
    form = MaterialForm(items=items, initial={"language": language})
    if request.method == "POST" and request.POST.get("action") == "delete":
        wanted = request.POST.get("material", "")
        material = next(
            (m for m in selectors.material_list(event=event) if str(m.pk) == wanted), None
        )
        if material is None:
            raise Http404
        library_services.document_delete(actor=request.user, document=material)
        messages.success(request, _("“%(title)s” was removed.") % {"title": material.title})
        return redirect("events:manage_materials", pk=event.pk)
    if request.method == "POST":
        form = MaterialForm(request.POST, request.FILES, items=items)
        if form.is_valid():
            language = form.cleaned_data["language"] or language
            try:
                material = library_services.document_upload(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    checked=form.checked,
                    data={
                        "event": event,
                        "item": form.agenda_item(),
                        "language": language,
                        f"title_{language}": form.cleaned_data["title"],
                    },
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("“%(title)s” was uploaded.") % {"title": material.title}
                )
                return redirect("events:manage_materials", pk=event.pk)
        status = 400
    all_materials = selectors.material_list(event=event)
    confirm = None
    if request.GET.get("delete"):
        confirm = next((m for m in all_materials if str(m.pk) == request.GET["delete"]), None)
    context = {
        "event": event,
        "materials": all_materials,
        "form": form,
        "confirm": confirm,
        "max_size": uploads.upload_max_bytes(),
        "active": "materials",
    }
    return render(request, "events/meeting/materials.html", context, status=status)


@require_GET
def material_download(request, material_pk: int):
    """The address materials had before they were library documents (bulletins sent then link
    to it); the document keeps the material's number."""
    return redirect("library:document_download", pk=material_pk, permanent=True)


# Registrations --------------------------------------------------------------------------------


def _registrations_page(request, event, registrations, *, walk_in_form=None, status=200):
    groups: dict[str, list[Registration]] = {value: [] for value in Registration.Status.values}
    for registration in registrations:
        groups[registration.status].append(registration)
    confirmed = groups[Registration.Status.CONFIRMED]
    confirm = None
    if request.GET.get("cancel"):
        confirm = next(
            (
                r
                for r in registrations
                if str(r.pk) == request.GET["cancel"] and r.status != Registration.Status.CANCELLED
            ),
            None,
        )
    context = {
        "event": event,
        "confirmed": confirmed,
        "waiting": groups[Registration.Status.WAITING],
        "cancelled": groups[Registration.Status.CANCELLED],
        "seats_taken": len(confirmed),
        "seats_left": max(event.capacity - len(confirmed), 0)
        if event.capacity is not None
        else None,
        "present_count": sum(
            1 for r in registrations if r.attendance == Registration.Attendance.PRESENT
        ),
        # Present and absent first: they are what the coordinator marks.
        "attendance_choices": [
            (value, label)
            for value, label in Registration.Attendance.choices
            if value != Registration.Attendance.UNKNOWN
        ]
        + [(Registration.Attendance.UNKNOWN.value, Registration.Attendance.UNKNOWN.label)],
        "walk_in_form": walk_in_form or WalkInForm(initial={"language": request.LANGUAGE_CODE}),
        "confirm": confirm,
        "active": "registrations",
    }
    return render(request, "events/meeting/registrations.html", context, status=status)


@login_required
def registrations(request, pk: int):
    event = _event_to_manage(request, pk)
    rows = list(selectors.registration_list(event=event))
    if request.method != "POST":
        return _registrations_page(request, event, rows)
    action = request.POST.get("action")
    here = redirect("events:manage_registrations", pk=event.pk)
    if action == "attendance":
        try:
            changes = attendance_from(request.POST, rows)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return _registrations_page(request, event, rows, status=400)
        by_pk = {r.pk: r for r in rows}
        with transaction.atomic():
            for registration_pk, value in changes.items():
                services.registration_attendance_set(
                    actor=request.user, registration=by_pk[registration_pk], attendance=value
                )
        messages.success(
            request,
            ngettext(
                "Attendance was saved (%(count)s change).",
                "Attendance was saved (%(count)s changes).",
                len(changes),
            )
            % {"count": len(changes)},
        )
        return here
    if action == "walk_in":
        form = WalkInForm(request.POST)
        if form.is_valid():
            try:
                registration = services.walk_in_add(
                    actor=request.user, event=event, data=form.service_data()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s was recorded as present.") % {"name": registration.name},
                )
                return here
        return _registrations_page(request, event, rows, walk_in_form=form, status=400)
    if action == "cancel":
        registration = next(
            (r for r in rows if str(r.pk) == request.POST.get("registration", "")), None
        )
        if registration is None:
            raise Http404
        try:
            promoted = services.registration_cancel(registration=registration, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return _registrations_page(request, event, rows, status=400)
        messages.success(
            request,
            _("The registration of %(name)s was cancelled and a cancellation sent.")
            % {"name": registration.name},
        )
        if promoted is not None:
            messages.info(
                request,
                _("%(name)s got the place from the waiting list and was told by e-mail.")
                % {"name": promoted.name},
            )
        return here
    messages.error(request, _("Unknown action."))
    return _registrations_page(request, event, rows, status=400)


@login_required
@require_GET
def registrations_export(request, pk: int, fmt: str):
    event = _event_to_manage(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Status"),
        _("Attendance"),
        _("Came without registering"),
        _("Dietary needs"),
        _("Accessibility needs"),
        _("Language"),
        _("Registered"),
        _("Cancelled"),
    ]
    statuses = dict(Registration.Status.choices)
    attendance = dict(Registration.Attendance.choices)
    rows = [
        [
            r.name,
            r.email,
            r.display_organisation,
            str(statuses.get(r.status, r.status)),
            str(attendance.get(r.attendance, r.attendance)),
            _("yes") if r.walk_in else "",
            r.diet,
            r.accessibility_needs,
            r.language,
            r.created_at,
            r.cancelled_at,
        ]
        for r in selectors.registration_list(event=event)
    ]
    stamp = timezone.localdate(event.starts_at).isoformat()
    filename = f"registrations-{event.pk}-{stamp}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(write_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            write_xlsx(header, rows, title=_("Registrations")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = uploads.attachment_header(filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


# Invitations ----------------------------------------------------------------------------------


def _invitations_page(request, event, *, group_form=None, address_form=None, status=200):
    groups = selectors.invitation_groups(event=event)
    default_group = event.team_id if event.team_id in {g.pk for g in groups} else event.network_id
    page = Paginator(
        Invitation.objects.filter(event=event).order_by("-invited_at", "-pk"),
        INVITATIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "group_form": group_form
        or InviteGroupForm(groups=groups, initial={"group": default_group}),
        "address_form": address_form or InviteAddressesForm(),
        "page": page,
        "is_draft": event.visibility == Event.Visibility.DRAFT,
        "active": "invitations",
    }
    return render(request, "events/meeting/invitations.html", context, status=status)


@login_required
def invitations(request, pk: int):
    event = _event_to_manage(request, pk)
    if request.method != "POST":
        return _invitations_page(request, event)
    action = request.POST.get("action")
    if action == "group":
        form = InviteGroupForm(request.POST, groups=selectors.invitation_groups(event=event))
        page_forms = {"group_form": form}
    elif action == "addresses":
        form = InviteAddressesForm(request.POST)
        page_forms = {"address_form": form}
    else:
        messages.error(request, _("Unknown action."))
        return _invitations_page(request, event, status=400)
    if not form.is_valid():
        return _invitations_page(request, event, status=400, **page_forms)
    if action == "group":
        found = services.invitation_recipients(networks=[form.network()])
    else:
        found = services.invitation_recipients(emails=form.cleaned_data["addresses"])
    try:
        sent = services.invitation_send(actor=request.user, event=event, recipients=found)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _invitations_page(request, event, status=400, **page_forms)
    messages.success(
        request,
        ngettext(
            "An invitation was sent to %(count)s person.",
            "Invitations were sent to %(count)s people.",
            sent,
        )
        % {"count": sent},
    )
    if already := len(found) - sent:
        messages.info(
            request,
            ngettext(
                "%(count)s person had been invited already and got no second invitation.",
                "%(count)s people had been invited already and got no second invitation.",
                already,
            )
            % {"count": already},
        )
    return redirect("events:manage_invitations", pk=event.pk)


# Minutes --------------------------------------------------------------------------------------


def _minutes_page(request, event, minutes, *, form=None, status=200):
    versions = list(minutes.versions.all()) if minutes else []
    shown = None
    if minutes:
        wanted = request.GET.get("version")
        shown = next((v for v in versions if str(v.number) == wanted), None)
        body = shown.body if shown else minutes.body
    else:
        body = ""
    view = "html" if request.GET.get("view") == "html" else "text"
    context = {
        "event": event,
        "minutes": minutes,
        "form": form or (MinutesForm(initial={"body": minutes.body}) if minutes else None),
        "versions": versions,
        "shown": shown,
        "body": body,
        "body_html": agenda_text.minutes_html(body) if view == "html" else "",
        "view": view,
        "is_approved": bool(minutes and minutes.status == Minutes.Status.APPROVED),
        "active": "minutes",
    }
    return render(request, "events/meeting/minutes.html", context, status=status)


@login_required
def minutes(request, pk: int):
    event = _event_to_manage(request, pk)
    current = selectors.minutes_of(event=event)
    if request.method != "POST":
        return _minutes_page(request, event, current)
    action = request.POST.get("action")
    here = redirect("events:manage_minutes", pk=event.pk)
    if action == "start":
        if current is not None:
            messages.info(request, _("The minutes were started already."))
            return here
        body = agenda_text.minutes_prefill(
            event, selectors.agenda_items(event=event), selectors.registration_list(event=event)
        )
        services.minutes_start(actor=request.user, event=event, body=body)
        messages.success(request, _("The minutes were started from the agenda and attendance."))
        return here
    if current is None:
        messages.error(request, _("Start the minutes first."))
        return _minutes_page(request, event, None, status=400)
    try:
        if action == "save":
            form = MinutesForm(request.POST)
            if not form.is_valid():
                return _minutes_page(request, event, current, form=form, status=400)
            was_approved = current.status == Minutes.Status.APPROVED
            saved = services.minutes_save(
                actor=request.user, minutes=current, body=form.cleaned_data["body"]
            )
            if saved.version == current.version:
                messages.info(request, _("Nothing changed; no new version was made."))
            elif was_approved:
                messages.warning(
                    request,
                    _(
                        "Version %(number)s was saved. The minutes are a draft again: approve "
                        "them before they are sent or shown."
                    )
                    % {"number": saved.version},
                )
            else:
                messages.success(
                    request, _("Version %(number)s was saved.") % {"number": saved.version}
                )
        elif action == "approve":
            services.minutes_approve(actor=request.user, minutes=current)
            messages.success(
                request,
                _("Version %(number)s of the minutes was approved.") % {"number": current.version},
            )
        elif action in ("publish", "unpublish"):
            services.minutes_publish(
                actor=request.user, minutes=current, published=action == "publish"
            )
            if action == "publish":
                messages.success(request, _("The minutes are shown on the event page."))
            else:
                messages.success(request, _("The minutes are no longer shown on the event page."))
        elif action == "send":
            sent = services.minutes_send(actor=request.user, minutes=current)
            messages.success(
                request,
                ngettext(
                    "The minutes were sent to %(count)s participant.",
                    "The minutes were sent to %(count)s participants.",
                    sent,
                )
                % {"count": sent},
            )
        else:
            messages.error(request, _("Unknown action."))
            return _minutes_page(request, event, current, status=400)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _minutes_page(request, event, selectors.minutes_of(event=event), status=400)
    return here
