"""Workshop pages: the coordinator's list, form, invitations, live compiled view, follow-up
actions and summary; and the page an invited person fills in through her signed link."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.common.forms import apply_service_errors
from kotoverkko.common.uploads import attachment_header

from . import pdf, services
from . import workshop as workshops
from .forms_workshop import (
    FollowUpForm,
    InvitationForm,
    WishForm,
    WorkshopForm,
    WorkshopOfferingForm,
)
from .models import Workshop

# How often the live compiled view asks for changes.
POLL_SECONDS = 3


def _area_ids(networks) -> set[int]:
    ids: set[int] = set()
    for network in networks:
        ids |= workshops.network_area(network)
    return ids


# The coordinator's pages ---------------------------------------------------------------------


@login_required
def workshop_list(request):
    networks = list(workshops.coordinated_networks(user=request.user))
    if not networks:
        raise PermissionDenied
    rows = list(workshops.workshop_list_coordinated(user=request.user))
    return render(request, "tray/workshop/list.html", {"workshops": rows, "networks": networks})


@login_required
def workshop_create(request):
    networks = workshops.coordinated_networks(user=request.user)
    if not networks.exists():
        raise PermissionDenied
    form = WorkshopForm(request.POST or None, networks=networks, area_ids=_area_ids(networks))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        network = data.pop("network")
        try:
            workshop = workshops.workshop_create(actor=request.user, network=network, data=data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The workshop was created."))
            return redirect("tray:workshop_detail", pk=workshop.pk)
    status = 400 if form.errors else 200
    return render(request, "tray/workshop/form.html", {"form": form}, status=status)


@login_required
def workshop_edit(request, pk: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    initial = {name: getattr(workshop, name) for name in workshops.WORKSHOP_FIELDS}
    form = WorkshopForm(
        request.POST or None,
        initial=initial,
        networks=None,
        area_ids=workshops.network_area(workshop.network),
        with_network=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            workshops.workshop_update(actor=request.user, workshop=workshop, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The workshop was saved."))
            return redirect("tray:workshop_detail", pk=workshop.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "workshop": workshop}
    return render(request, "tray/workshop/form.html", context, status=status)


@require_POST
@login_required
def workshop_status(request, pk: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    action = request.POST.get("action")
    if action == "open":
        workshops.workshop_open(actor=request.user, workshop=workshop)
        messages.success(request, _("The workshop is open: the invited can fill in their trays."))
    elif action == "close":
        workshops.workshop_close(actor=request.user, workshop=workshop)
        messages.success(request, _("The workshop is closed: its links no longer work."))
    else:
        return HttpResponse(_("Unknown action."), status=400, content_type="text/plain")
    return redirect("tray:workshop_detail", pk=workshop.pk)


def _live_context(workshop: Workshop) -> dict:
    """The compiled view's partial and a fingerprint of it: a poll whose fingerprint matches
    gets no content, so nothing is swapped and screen readers are not told of a non-change."""
    compiled = workshops.workshop_compiled(workshop=workshop)
    body = render_to_string(
        "tray/workshop/_compiled.html", {"workshop": workshop, "compiled": compiled}
    )
    version = hashlib.sha256(body.encode()).hexdigest()[:16]
    return {"workshop": workshop, "body": body, "version": version, "poll": POLL_SECONDS}


def _follow_up_form(workshop: Workshop, data=None) -> FollowUpForm:
    return FollowUpForm(data, organisations=workshops.invited_organisations(workshop=workshop))


def _detail(request, workshop: Workshop, *, follow_up_form=None, status: int = 200):
    context = {
        "workshop": workshop,
        "live": _live_context(workshop),
        "invitation_count": workshop.invitations.count(),
        "follow_ups": list(workshops.follow_up_list(workshop=workshop)),
        "follow_up_form": follow_up_form or _follow_up_form(workshop),
        "today": timezone.localdate(),
    }
    return render(request, "tray/workshop/detail.html", context, status=status)


@login_required
def workshop_detail(request, pk: int):
    """The live compiled view with the follow-up actions below it."""
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    return _detail(request, workshop)


@login_required
def workshop_live(request, pk: int):
    """The compiled view alone, which the detail page polls; 204 when nothing changed."""
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    live = _live_context(workshop)
    if request.GET.get("since") == live["version"]:
        return HttpResponse(status=204)
    return render(request, "tray/workshop/_live.html", {"live": live})


@require_POST
@login_required
def follow_up_add(request, pk: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    form = _follow_up_form(workshop, request.POST)
    if form.is_valid():
        try:
            workshops.follow_up_add(actor=request.user, workshop=workshop, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up action was recorded."))
            return redirect(f"{workshop_url(workshop)}#follow-ups")
    return _detail(request, workshop, follow_up_form=form, status=400)


def workshop_url(workshop: Workshop) -> str:
    return reverse("tray:workshop_detail", kwargs={"pk": workshop.pk})


@require_POST
@login_required
def follow_up_mark(request, pk: int, follow_up_id: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    follow_up = workshops.follow_up_get(workshop=workshop, follow_up_id=follow_up_id)
    if request.POST.get("action") == "reopen":
        workshops.follow_up_reopen(actor=request.user, follow_up=follow_up)
        messages.success(request, _("The follow-up action is open again."))
    else:
        workshops.follow_up_done(actor=request.user, follow_up=follow_up)
        messages.success(request, _("The follow-up action is done."))
    return redirect(f"{workshop_url(workshop)}#follow-ups")


@login_required
def invitation_list(request, pk: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    form = InvitationForm(
        request.POST or None,
        organisations=workshops.invitable_organisations(workshop=workshop),
    )
    if request.method == "POST" and form.is_valid():
        try:
            workshops.invitation_add(actor=request.user, workshop=workshop, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The person was added. Send the invitations when ready."))
            return redirect("tray:workshop_invitations", pk=workshop.pk)
    context = {
        "workshop": workshop,
        "invitations": list(workshops.invitation_list(workshop=workshop)),
        "form": form,
    }
    return render(
        request, "tray/workshop/invitations.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def invitations_send(request, pk: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    try:
        sent = workshops.invitations_send(actor=request.user, workshop=workshop)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitations sent: %(count)d.") % {"count": sent})
    return redirect("tray:workshop_invitations", pk=workshop.pk)


@require_POST
@login_required
def invitation_resend(request, pk: int, invitation_id: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    invitation = workshop.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        return render(request, "404.html", status=404)
    try:
        workshops.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s; the old one no longer works.")
            % {"email": invitation.email},
        )
    return redirect("tray:workshop_invitations", pk=workshop.pk)


@login_required
def workshop_summary(request, pk: int):
    """A printable page: the compiled tray, the wishes and the follow-up actions."""
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    context = {
        "workshop": workshop,
        "compiled": workshops.workshop_compiled(workshop=workshop),
        "follow_ups": list(workshops.follow_up_list(workshop=workshop)),
        "invitations": list(workshops.invitation_list(workshop=workshop)),
    }
    return render(request, "tray/workshop/summary.html", context)


@login_required
def workshop_summary_xlsx(request, pk: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    content = workshops.workshop_summary_xlsx(workshop=workshop)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(workshop.title) or "workshop"
    response["Content-Disposition"] = f'attachment; filename="{name}-{workshop.date}.xlsx"'
    return response


@login_required
def workshop_summary_pdf(request, pk: int):
    workshop = workshops.workshop_get_for_manage(workshop_id=pk, user=request.user)
    content = pdf.workshop_summary_pdf(workshop=workshop)
    response = HttpResponse(content, content_type="application/pdf")
    name = slugify(workshop.title, allow_unicode=True) or "workshop"
    response["Content-Disposition"] = attachment_header(f"{name}-{workshop.date}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


# The invited person's page -------------------------------------------------------------------


def _link_problem(request, *, ended_workshop: Workshop | None = None):
    if ended_workshop is not None:
        context = {"workshop": ended_workshop, "ended": True}
        return render(request, "tray/workshop/link_problem.html", context, status=410)
    return render(request, "tray/workshop/link_problem.html", {"ended": False}, status=404)


def _invitation_or_problem(request, token: str):
    try:
        invitation = workshops.invitation_from_token(token)
    except workshops.LinkInvalid:
        return None, _link_problem(request)
    except workshops.LinkEnded as ended:
        return None, _link_problem(request, ended_workshop=ended.workshop)
    workshops.invitation_touch(invitation=invitation)
    return invitation, None


def _page_language() -> str:
    language = (translation.get_language() or "fi")[:2]
    return language if language in services.CONTENT_LANGUAGES else "fi"


def _fill_context(invitation, token: str, *, offering_form=None, wish_form=None) -> dict:
    return {
        "invitation": invitation,
        "workshop": invitation.workshop,
        "token": token,
        "offerings": list(workshops.invitation_offerings(invitation=invitation)),
        "wishes": list(workshops.invitation_wishes(invitation=invitation)),
        "offering_form": offering_form or WorkshopOfferingForm(language=_page_language()),
        "wish_form": wish_form or WishForm(),
    }


def invitation_fill(request, token: str):
    """Her organisation's offerings in the locality: add one, confirm one, post a wish."""
    invitation, problem = _invitation_or_problem(request, token)
    if problem is not None:
        return problem
    offering_form = wish_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "offering":
            offering_form = WorkshopOfferingForm(request.POST, language=_page_language())
            if _offering_save(invitation, offering_form, offering=None):
                messages.success(request, _("The offering was added to the tray."))
                return redirect("tray:workshop_fill", token=token)
        elif action == "wish":
            wish_form = WishForm(request.POST)
            if _wish_save(invitation, wish_form):
                messages.success(request, _("Your wish was added."))
                return redirect("tray:workshop_fill", token=token)
        elif action == "confirm":
            offering = _posted_offering(request, invitation)
            services.offering_confirm(actor=None, offering=offering)
            messages.success(
                request, _("“%(title)s” is confirmed as it is.") % {"title": offering.title}
            )
            return redirect("tray:workshop_fill", token=token)
        else:
            return HttpResponse(_("Unknown action."), status=400, content_type="text/plain")
    context = _fill_context(invitation, token, offering_form=offering_form, wish_form=wish_form)
    status = 400 if request.method == "POST" else 200
    return render(request, "tray/workshop/fill.html", context, status=status)


def _posted_offering(request, invitation):
    try:
        offering_id = int(request.POST.get("offering", ""))
    except ValueError:
        offering_id = 0
    return workshops.invitation_offering_get(invitation=invitation, offering_id=offering_id)


def _offering_save(invitation, form: WorkshopOfferingForm, *, offering) -> bool:
    if not form.is_valid():
        return False
    data = form.service_data()
    try:
        if offering is None:
            data["municipalities"] = [invitation.workshop.municipality]
            services.offering_create(actor=None, organisation=invitation.organisation, data=data)
        else:
            services.offering_update(actor=None, offering=offering, data=data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    return True


def _wish_save(invitation, form: WishForm) -> bool:
    if not form.is_valid():
        return False
    language = _page_language()
    workshop = invitation.workshop
    data = {
        f"title_{language}": form.cleaned_data["title"],
        f"description_{language}": form.cleaned_data["description"],
        "category": form.cleaned_data["category"],
        "workshop": workshop,
        "network": workshop.network,
        "municipality": workshop.municipality,
    }
    try:
        services.wish_create(actor=None, organisation=invitation.organisation, data=data)
    except ValidationError as error:
        apply_service_errors(form, error, renamed={f"title_{language}": "title"})
        return False
    return True


def invitation_offering_edit(request, token: str, offering_id: int):
    """Change one of her organisation's offerings; any other organisation's is not found."""
    invitation, problem = _invitation_or_problem(request, token)
    if problem is not None:
        return problem
    offering = workshops.invitation_offering_get(invitation=invitation, offering_id=offering_id)
    if request.method == "POST":
        form = WorkshopOfferingForm(request.POST, language=_page_language())
        if _offering_save(invitation, form, offering=offering):
            messages.success(request, _("The offering was saved."))
            return redirect("tray:workshop_fill", token=token)
    else:
        form = WorkshopOfferingForm(
            initial=WorkshopOfferingForm.initial_for(offering), language=_page_language()
        )
    context = {
        "invitation": invitation,
        "workshop": invitation.workshop,
        "token": token,
        "offering": offering,
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "tray/workshop/offering_form.html", context, status=status)
