"""The tray's pages for offerings and wishes: the public tray, an offering, an organisation's
tray with its editing, the wishes and their answers, and a network's area for coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kotoverkko.common.forms import apply_service_errors
from kotoverkko.common.permissions import user_can
from kotoverkko.common.spreadsheets import write_csv, write_xlsx
from kotoverkko.network.models import Network, Organisation
from kotoverkko.search.views import query_string

from . import selectors, services
from .forms import (
    OfferingFilterForm,
    OfferingForm,
    WishDoneForm,
    WishFilterForm,
    WishForm,
    WishResponseForm,
)
from .languages import language_name
from .models import Offering, PathStage, TimeOfDay, Wish

PER_PAGE = 20
AREA_PER_PAGE = 50
FILTERS = ("municipality", "category", "language", "group", "stage")


def _language() -> str:
    return translation.get_language() or "fi"


def _decorate(offerings) -> list[Offering]:
    """Offerings with the names of their languages, stages and times for the reader."""
    stages, times = dict(PathStage.choices), dict(TimeOfDay.choices)
    rows = list(offerings)
    for offering in rows:
        offering.language_names = [language_name(code) for code in offering.languages]
        offering.stage_labels = [stages.get(code, code) for code in offering.path_stages]
        offering.time_labels = [times.get(code, code) for code in offering.times]
    return rows


def _page(request, queryset, number, per_page: int = PER_PAGE):
    try:
        return Paginator(queryset, per_page).page(number or 1)
    except EmptyPage:
        raise Http404 from None


def _offering_for_edit(request, pk: int) -> Offering:
    """The offering, if the user keeps it; 404 when there is none, 403 when it is not hers."""
    offering = get_object_or_404(Offering.objects.select_related("organisation"), pk=pk)
    if not user_can(request.user, "offering.edit", offering):
        raise PermissionDenied
    return offering


# The public tray ----------------------------------------------------------------------------


@require_GET
def offering_list(request):
    form = OfferingFilterForm(request.GET, language=_language())
    context = {"form": form, "filter_fields": [form[name] for name in FILTERS]}
    if not form.is_valid():
        context.update(page=None, offerings=[])
        return render(request, "tray/offerings/offering_list.html", context, status=400)
    offerings = selectors.offering_list_public(filters=form.filters())
    page = _page(request, offerings, form.cleaned_data["page"])
    context.update(
        page=page,
        offerings=_decorate(page.object_list),
        page_query=query_string(request, page=""),
        my_organisations=selectors.organisations_editable(user=request.user),
        my_networks=selectors.networks_coordinated(user=request.user),
    )
    return render(request, "tray/offerings/offering_list.html", context)


@require_GET
def offering_detail(request, pk: int):
    offering = selectors.offering_get(pk=pk)
    if offering is None:
        raise Http404
    may_edit = user_can(request.user, "offering.edit", offering)
    if offering.archived and not may_edit:
        raise Http404
    context = {"offering": _decorate([offering])[0], "may_edit": may_edit}
    return render(request, "tray/offerings/offering_detail.html", context)


@require_GET
def organisation_tray(request, org_pk: int):
    organisation = get_object_or_404(Organisation, pk=org_pk)
    may_edit = user_can(request.user, "offering.create", organisation)
    offerings = selectors.offering_list_for_organisation(
        organisation=organisation, include_archived=may_edit
    )
    context = {
        "organisation": organisation,
        "offerings": _decorate(offerings),
        "may_edit": may_edit,
    }
    return render(request, "tray/offerings/organisation_tray.html", context)


# Keeping an organisation's offerings ---------------------------------------------------------


@login_required
def offering_add(request, org_pk: int):
    organisation = get_object_or_404(Organisation, pk=org_pk)
    if not user_can(request.user, "offering.create", organisation):
        raise PermissionDenied
    person = getattr(request.user, "person", None)
    initial = {"contact_email": getattr(person, "email", "")}
    if organisation.municipality_id:
        initial["municipalities"] = [organisation.municipality_id]
    form = OfferingForm(initial=initial, language=_language())
    status = 200
    if request.method == "POST":
        form = OfferingForm(request.POST, language=_language())
        if form.is_valid():
            try:
                offering = services.offering_create(
                    actor=request.user, organisation=organisation, data=form.service_data()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("“%(title)s” is on the tray.") % {"title": offering.title}
                )
                return redirect("tray:organisation_tray", org_pk=organisation.pk)
        status = 400
    context = {"form": form, "organisation": organisation, "offering": None}
    return render(request, "tray/offerings/offering_form.html", context, status=status)


@login_required
def offering_edit(request, pk: int):
    offering = _offering_for_edit(request, pk)
    form = OfferingForm(initial=OfferingForm.initial_for(offering), language=_language())
    status = 200
    if request.method == "POST":
        form = OfferingForm(request.POST, language=_language())
        if form.is_valid():
            try:
                services.offering_update(
                    actor=request.user, offering=offering, data=form.service_data()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("tray:offering_detail", pk=offering.pk)
        status = 400
    context = {"form": form, "organisation": offering.organisation, "offering": offering}
    return render(request, "tray/offerings/offering_form.html", context, status=status)


@require_POST
@login_required
def offering_confirm(request, pk: int):
    offering = _offering_for_edit(request, pk)
    services.offering_confirm(actor=request.user, offering=offering)
    messages.success(
        request, _("“%(title)s” was confirmed as still valid.") % {"title": offering.title}
    )
    return redirect("tray:organisation_tray", org_pk=offering.organisation_id)


@require_POST
@login_required
def offering_archive(request, pk: int):
    offering = _offering_for_edit(request, pk)
    services.offering_archive(actor=request.user, offering=offering, archived=True)
    messages.success(request, _("“%(title)s” was taken off the tray.") % {"title": offering.title})
    return redirect("tray:organisation_tray", org_pk=offering.organisation_id)


@require_POST
@login_required
def offering_restore(request, pk: int):
    offering = _offering_for_edit(request, pk)
    services.offering_archive(actor=request.user, offering=offering, archived=False)
    messages.success(request, _("“%(title)s” is back on the tray.") % {"title": offering.title})
    return redirect("tray:organisation_tray", org_pk=offering.organisation_id)


# A network's area ----------------------------------------------------------------------------


def _network_for_coordinator(request, slug: str) -> Network:
    network = get_object_or_404(Network, slug=slug)
    if not user_can(request.user, "tray.coordinate", network):
        raise PermissionDenied
    return network


@login_required
@require_GET
def network_area(request, slug: str):
    network = _network_for_coordinator(request, slug)
    form = OfferingFilterForm(request.GET, language=_language())
    context = {
        "network": network,
        "form": form,
        "filter_fields": [form[name] for name in FILTERS],
    }
    if not form.is_valid():
        context.update(page=None, offerings=[])
        return render(request, "tray/offerings/network_area.html", context, status=400)
    offerings = selectors.offering_list_for_area(network=network, filters=form.filters())
    page = _page(request, offerings, form.cleaned_data["page"], AREA_PER_PAGE)
    context.update(
        page=page,
        offerings=_decorate(page.object_list),
        page_query=query_string(request, page=""),
        export_query=query_string(request, page=""),
    )
    return render(request, "tray/offerings/network_area.html", context)


def _export_rows(request, offerings) -> list[list]:
    rows = []
    for offering in _decorate(offerings):
        rows.append(
            [
                offering.organisation.name,
                offering.category.name,
                offering.title,
                ", ".join(m.name for m in offering.municipalities.all()),
                ", ".join(r.name for r in offering.regions.all()),
                ", ".join(offering.language_names),
                ", ".join(g.name for g in offering.groups.all()),
                ", ".join(str(label) for label in offering.stage_labels),
                ", ".join(str(label) for label in offering.time_labels),
                offering.get_cost_display(),
                offering.cost_note,
                offering.contact_name,
                offering.contact_email,
                offering.contact_phone,
                offering.url,
                offering.service_class.code if offering.service_class else "",
                offering.confirmed_on,
                request.build_absolute_uri(
                    reverse("tray:offering_detail", kwargs={"pk": offering.pk})
                ),
            ]
        )
    return rows


EXPORT_HEADER = (
    gettext_lazy("Organisation"),
    gettext_lazy("Category"),
    gettext_lazy("Title"),
    gettext_lazy("Municipalities"),
    gettext_lazy("Whole regions"),
    gettext_lazy("Languages"),
    gettext_lazy("For whom"),
    gettext_lazy("Place in the path"),
    gettext_lazy("When"),
    gettext_lazy("Cost"),
    gettext_lazy("About the cost"),
    gettext_lazy("Contact person"),
    gettext_lazy("Contact e-mail"),
    gettext_lazy("Contact phone"),
    gettext_lazy("Web page"),
    gettext_lazy("PTV service class"),
    gettext_lazy("Last confirmed"),
    gettext_lazy("Address"),
)


@login_required
@require_GET
def network_area_export(request, slug: str, kind: str):
    if kind not in ("csv", "xlsx"):
        raise Http404
    network = _network_for_coordinator(request, slug)
    form = OfferingFilterForm(request.GET, language=_language())
    if not form.is_valid():
        return HttpResponse(_("The filters are not valid."), status=400, content_type="text/plain")
    offerings = selectors.offering_list_for_area(network=network, filters=form.filters())
    header = [str(name) for name in EXPORT_HEADER]
    rows = _export_rows(request, offerings)
    if kind == "csv":
        response = HttpResponse(write_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            write_xlsx(header, rows, title=_("Offerings")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-tray.{kind}"'
    return response


# Wishes -------------------------------------------------------------------------------------


@login_required
@require_GET
def wish_list(request):
    networks = selectors.networks_of(user=request.user)
    form = WishFilterForm(request.GET, networks=networks, language=_language())
    context = {
        "form": form,
        "filter_fields": [form[name] for name in ("network", "municipality", "status")],
        "may_post": bool(selectors.organisations_editable(user=request.user)),
    }
    if not form.is_valid():
        context.update(page=None, wishes=[])
        return render(request, "tray/wishes/wish_list.html", context, status=400)
    wishes = selectors.wish_list_visible(user=request.user, filters=form.filters())
    page = _page(request, wishes, form.cleaned_data["page"])
    context.update(page=page, wishes=page.object_list, page_query=query_string(request, page=""))
    return render(request, "tray/wishes/wish_list.html", context)


@login_required
def wish_add(request):
    organisations = selectors.organisations_editable(user=request.user)
    if not organisations:
        raise PermissionDenied
    networks = selectors.networks_of(user=request.user)
    options = {"organisations": organisations, "networks": networks, "language": _language()}
    initial = {"organisation": organisations[0].pk}
    if networks:
        initial["network"] = networks[0].pk
    form = WishForm(initial=initial, **options)
    status = 200
    if request.method == "POST":
        form = WishForm(request.POST, **options)
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            if not user_can(request.user, "wish.create", organisation):
                raise PermissionDenied
            try:
                wish = services.wish_create(
                    actor=request.user, organisation=organisation, data=form.service_data()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The wish was posted."))
                return redirect("tray:wish_detail", pk=wish.pk)
        status = 400
    return render(request, "tray/wishes/wish_form.html", {"form": form}, status=status)


def _wish_or_404(request, pk: int) -> Wish:
    wish = selectors.wish_get_visible(user=request.user, pk=pk)
    if wish is None:
        raise Http404
    return wish


def _answering(request, wish: Wish):
    return [
        organisation
        for organisation in selectors.organisations_editable(user=request.user)
        if organisation.pk != wish.organisation_id
    ]


@login_required
@require_GET
def wish_detail(request, pk: int):
    wish = _wish_or_404(request, pk)
    answering = _answering(request, wish)
    may_edit = user_can(request.user, "wish.edit", wish)
    context = {
        "wish": wish,
        "responses": list(wish.responses.all()),
        "response_form": WishResponseForm(organisations=answering) if answering else None,
        "may_answer": bool(answering) and wish.status != Wish.Status.DONE,
        "may_edit": may_edit,
        "done_form": WishDoneForm(wish=wish) if may_edit else None,
    }
    return render(request, "tray/wishes/wish_detail.html", context)


@require_POST
@login_required
def wish_respond(request, pk: int):
    wish = _wish_or_404(request, pk)
    form = WishResponseForm(request.POST, organisations=_answering(request, wish))
    if not form.is_valid():
        messages.error(request, _("Choose the organisation that answers."))
        return redirect("tray:wish_detail", pk=wish.pk)
    organisation = form.cleaned_data["organisation"]
    if not user_can(request.user, "wish.respond", organisation):
        raise PermissionDenied
    try:
        services.wish_respond(
            actor=request.user,
            wish=wish,
            organisation=organisation,
            kind=form.cleaned_data["kind"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer was sent."))
    return redirect("tray:wish_detail", pk=wish.pk)


@require_POST
@login_required
def wish_done(request, pk: int):
    wish = _wish_or_404(request, pk)
    if not user_can(request.user, "wish.edit", wish):
        raise PermissionDenied
    form = WishDoneForm(request.POST, wish=wish)
    if not form.is_valid():
        messages.error(request, _("Choose an offering from the list."))
        return redirect("tray:wish_detail", pk=wish.pk)
    services.wish_status_set(
        actor=request.user,
        wish=wish,
        status=Wish.Status.DONE,
        offering=form.cleaned_data["offering"],
    )
    messages.success(request, _("The wish is marked done."))
    return redirect("tray:wish_detail", pk=wish.pk)
