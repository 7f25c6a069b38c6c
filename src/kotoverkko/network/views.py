"""Public pages (network home, directory, join form) and coordinator pages."""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.common.audit import readable_changes
from kotoverkko.common.cache import cache_for_anonymous, public_pages_changed
from kotoverkko.common.forms import apply_service_errors
from kotoverkko.common.permissions import require, user_can
from kotoverkko.common.rows import rows_html
from kotoverkko.events.views import network_upcoming
from kotoverkko.mailing.subscriptions import list_is_open

from . import selectors, services
from .forms import (
    DeclineForm,
    JoinRequestForm,
    MembershipAddForm,
    MembershipRoleForm,
    NetworkForm,
    OrganisationForm,
    PersonForm,
    organisation_filters_from,
)
from .models import JoinRequest, Membership, Network, Organisation, Person
from .roles import roles_for

PAGE_SIZE = 25


def _page(request, queryset, size: int = PAGE_SIZE, *, count: int | None = None):
    """One page of a list; `count` saves counting a query whose annotations make it slow."""
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count  # count is a cached property
    return paginator.get_page(request.GET.get("page"))


def _save_form(request, form, write):
    """Validate a posted form and hand its data to a service.

    Returns (saved object or None, HTTP status). The service's validation errors are shown on
    the form's fields and the object on the page is read again, since nothing was saved.
    """
    if request.method != "POST":
        return None, 200
    if form.is_valid():
        try:
            return write(form.service_data()), 200
        except ValidationError as error:
            apply_service_errors(form, error)
            if getattr(form.instance, "pk", None):
                form.instance.refresh_from_db()
    return None, 400


def _network_or_404(slug: str) -> Network:
    try:
        return selectors.network_get(slug=slug)
    except Network.DoesNotExist as exc:
        raise Http404 from exc


# Public pages -------------------------------------------------------------------------------


@cache_for_anonymous
def home(request):
    networks = list(selectors.network_list_top())
    children = {n.pk: selectors.network_children(network=n) for n in networks}
    cards = [{"network": n, **children[n.pk]} for n in networks]
    return render(request, "network/home.html", {"cards": cards})


@cache_for_anonymous
def network_home(request, slug: str):
    network = _network_or_404(slug)
    children = selectors.network_children(network=network)
    context = {
        "network": network,
        "subnetworks": children["networks"],
        "teams": children["teams"],
        "member_count": selectors.network_member_count(network=network),
        "organisation_count": selectors.organisation_list(
            filters=selectors.OrganisationFilters(network=network)
        ).count(),
        "can_manage": user_can(request.user, "network.manage", network),
        "upcoming": network_upcoming(network=network, user=request.user),
        "list_open": list_is_open(network),
    }
    return render(request, "network/network_home.html", context)


def join(request, slug: str):
    network = _network_or_404(slug)
    if not network.is_open:
        raise Http404
    initial = {"language": request.LANGUAGE_CODE}
    form = JoinRequestForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.join_request_submit(network=network, data=form.service_data())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("network:join_sent", slug=network.slug)
        status = 400
    return render(request, "network/join.html", {"network": network, "form": form}, status=status)


def join_sent(request, slug: str):
    network = _network_or_404(slug)
    return render(request, "network/join_sent.html", {"network": network})


def organisation_list(request):
    filters = organisation_filters_from(request.GET)
    page = _page(
        request,
        selectors.organisation_directory(filters=filters),
        count=selectors.organisation_count(filters=filters),
    )
    query = request.GET.copy()
    query.pop("page", None)
    parts = _directory_parts(request.LANGUAGE_CODE)
    context = {
        "page": page,
        "rows_html": rows_html(DIRECTORY_ROW, _directory_rows(page.object_list, parts)),
        "filters": filters,
        "options": selectors.directory_filter_options(language=request.LANGUAGE_CODE),
        "query": query.urlencode(),
        "export_urls": parts.export_urls,
        "can_create": user_can(request.user, "organisation.create"),
    }
    return render(request, "network/organisation_list.html", context)


# One row of the directory's table (see common/rows.py for why it is not a template loop).
DIRECTORY_ROW = (
    '<tr><td><a href="{url}">{name}</a>{badge}</td><td>{type}</td><td>{municipality}</td></tr>'
)


@dataclass(frozen=True)
class _DirectoryParts:
    types: dict[str, str]  # type labels by value
    detail_url: str  # an organisation's address up to its pk
    badge: str  # marks a discontinued organisation
    export_urls: dict[str, str]  # by format


@lru_cache(maxsize=16)
def _directory_parts(language: str) -> _DirectoryParts:
    """What every directory page in the language shows the same: working it out for each
    request cost a tenth of a millisecond (labels and URL reversing)."""
    with translation.override(language):
        return _DirectoryParts(
            types={value: capfirst(str(label)) for value, label in Organisation.Type.choices},
            detail_url=reverse("network:organisation_detail", kwargs={"pk": 0})[: -len("0/")],
            badge=format_html(' <span class="badge badge-warn">{}</span>', _("discontinued")),
            export_urls={
                format_: reverse("network:organisation_export", args=[format_])
                for format_ in ("csv", "xlsx")
            },
        )


def _directory_rows(rows, parts: _DirectoryParts) -> list[dict]:
    """What each row of the directory shows."""
    today = timezone.localdate()
    return [
        {
            "url": f"{parts.detail_url}{row['pk']}/",
            "name": row["display_name"],
            "badge": ""
            if row["valid_until"] is None or row["valid_until"] >= today
            else parts.badge,
            "type": parts.types.get(row["type"], row["type"]),
            "municipality": row["municipality_name"] or "–",
        }
        for row in rows
    ]


def organisation_detail(request, pk: int):
    organisation = get_object_or_404(
        Organisation.objects.select_related("municipality").prefetch_related(
            "municipalities", "predecessors", "successors"
        ),
        pk=pk,
    )
    people = []
    if request.user.is_authenticated:
        people = [
            {"person": p, "show_contact": user_can(request.user, "person.view_contact", p)}
            for p in selectors.organisation_people(organisation=organisation)
        ]
    context = {
        "organisation": organisation,
        "people": people,
        "can_edit": user_can(request.user, "organisation.edit", organisation),
    }
    return render(request, "network/organisation_detail.html", context)


@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("organisation", "municipality"), pk=pk)
    show_contact = user_can(request.user, "person.view_contact", person)
    can_edit = user_can(request.user, "person.edit", person)
    if not (show_contact or can_edit):
        raise PermissionDenied
    context = {
        "person": person,
        "show_contact": show_contact,
        "can_edit": can_edit,
        "memberships": selectors.person_memberships(person=person),
    }
    return render(request, "network/person_detail.html", context)


@login_required
def dashboard(request):
    from kotoverkko.events.selectors import checklist_overdue

    overdue_shown = 10
    person = getattr(request.user, "person", None)
    roles = roles_for(request.user)
    plans_events = bool(roles.manages) or request.user.is_superuser
    overdue = checklist_overdue(user=request.user) if roles.manages else None
    context = {
        "plans_events": plans_events,
        "overdue_tasks": list(overdue[:overdue_shown]) if overdue is not None else [],
        "overdue_count": overdue.count() if overdue is not None else 0,
        "person": person,
        "memberships": selectors.person_memberships(person=person) if person else [],
        "managed": selectors.managed_network_list(user=request.user)
        if roles.manages or request.user.is_superuser
        else [],
        "pending_count": selectors.join_request_list_pending(user=request.user).count()
        if roles.manages or request.user.is_superuser
        else 0,
        "edited_organisations": person.edited_organisations.all() if person else [],
    }
    return render(request, "network/dashboard.html", context)


# Coordinator pages --------------------------------------------------------------------------


def _require_coordination(request) -> None:
    if not (request.user.is_superuser or user_can(request.user, "coordination.access")):
        raise PermissionDenied


@login_required
def join_request_list(request):
    _require_coordination(request)
    page = _page(request, selectors.join_request_list_pending(user=request.user))
    return render(
        request,
        "network/coordination/join_requests.html",
        {"page": page, "decline_form": DeclineForm()},
    )


def _join_request_for_decision(request, pk: int) -> JoinRequest:
    join_request = get_object_or_404(JoinRequest.objects.select_related("network"), pk=pk)
    require(request.user, "joinrequest.decide", join_request)
    return join_request


@login_required
@require_POST
def join_request_accept(request, pk: int):
    join_request = _join_request_for_decision(request, pk)
    try:
        services.join_request_accept(actor=request.user, join_request=join_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("network:join_requests")
    public_pages_changed()
    messages.success(
        request,
        _("%(name)s is now a member of %(network)s.")
        % {"name": join_request.full_name, "network": join_request.network},
    )
    return redirect("network:join_requests")


@login_required
@require_POST
def join_request_decline(request, pk: int):
    join_request = _join_request_for_decision(request, pk)
    form = DeclineForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.join_request_decline(actor=request.user, join_request=join_request, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("network:join_requests")
    messages.success(
        request, _("The request of %(name)s was declined.") % {"name": join_request.full_name}
    )
    return redirect("network:join_requests")


@login_required
def network_edit(request, slug: str):
    network = _network_or_404(slug)
    require(request.user, "network.manage", network)
    form = NetworkForm(request.POST or None, instance=network)
    saved, status = _save_form(
        request,
        form,
        lambda data: services.network_update(actor=request.user, network=network, data=data),
    )
    if saved is not None:
        public_pages_changed()
        messages.success(request, _("The changes were saved."))
        return redirect(saved)
    return render(
        request,
        "network/coordination/network_form.html",
        {"form": form, "network": network, "parent": network.parent},
        status=status,
    )


@login_required
def network_create(request, slug: str, kind: str):
    parent = _network_or_404(slug)
    if kind not in Network.Kind.values:
        raise Http404
    require(request.user, "network.create", parent)
    form = NetworkForm(request.POST or None, initial={"languages": parent.languages})
    saved, status = _save_form(
        request,
        form,
        lambda data: services.network_create(
            actor=request.user, data={**data, "parent": parent, "kind": kind}
        ),
    )
    if saved is not None:
        public_pages_changed()
        messages.success(request, _("%(name)s was created.") % {"name": saved})
        return redirect(saved)
    return render(
        request,
        "network/coordination/network_form.html",
        {"form": form, "network": None, "parent": parent, "kind": kind},
        status=status,
    )


@login_required
def network_members(request, slug: str):
    network = _network_or_404(slug)
    require(request.user, "network.manage", network)
    add_form = MembershipAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if add_form.is_valid():
            try:
                services.membership_add(
                    actor=request.user,
                    person=add_form.person,
                    network=network,
                    role=add_form.cleaned_data["role"],
                )
            except ValidationError as error:
                apply_service_errors(add_form, error)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": add_form.person})
                return redirect("network:network_members", slug=network.slug)
        status = 400
    show_ended = request.GET.get("ended") == "1"
    page = _page(
        request, selectors.network_memberships(network=network, include_ended=show_ended), 50
    )
    context = {
        "network": network,
        "page": page,
        "add_form": add_form,
        "show_ended": show_ended,
        "roles": Membership.Role.choices,
    }
    return render(request, "network/coordination/members.html", context, status=status)


def _membership_for_change(request, pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("network", "person__user"), pk=pk
    )
    require(request.user, "membership.manage", membership)
    return membership


@login_required
@require_POST
def membership_role(request, pk: int):
    membership = _membership_for_change(request, pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role was changed."))
    return redirect("network:network_members", slug=membership.network.slug)


@login_required
@require_POST
def membership_end(request, pk: int):
    membership = _membership_for_change(request, pk)
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        public_pages_changed()
        messages.success(
            request, _("The membership of %(name)s ended.") % {"name": membership.person}
        )
    return redirect("network:network_members", slug=membership.network.slug)


@login_required
def person_list(request):
    _require_coordination(request)
    network = None
    if slug := request.GET.get("network"):
        network = Network.objects.filter(slug=slug).first()
    filters = selectors.PersonFilters(q=(request.GET.get("q") or "").strip()[:100], network=network)
    page = _page(request, selectors.person_list(filters=filters, user=request.user), 50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/coordination/people.html",
        {
            "page": page,
            "filters": filters,
            "networks": selectors.managed_network_list(user=request.user),
            "query": query.urlencode(),
        },
    )


@login_required
def person_create(request):
    require(request.user, "person.create")
    managed = selectors.managed_network_list(user=request.user)
    form = PersonForm(request.POST or None)
    network_slug = request.POST.get("network") or request.GET.get("network") or ""

    def write(data):
        network = managed.filter(slug=network_slug).first()
        if network is None:
            raise ValidationError(_("Choose the network the person joins."))
        return services.person_create(actor=request.user, data=data, network=network)

    saved, status = _save_form(request, form, write)
    if saved is not None:
        messages.success(request, _("%(name)s was added.") % {"name": saved})
        return redirect(saved)
    return render(
        request,
        "network/coordination/person_form.html",
        {"form": form, "person": None, "networks": managed, "network_slug": network_slug},
        status=status,
    )


@login_required
def person_edit(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    require(request.user, "person.edit", person)
    form = PersonForm(request.POST or None, instance=person)
    saved, status = _save_form(
        request,
        form,
        lambda data: services.person_update(actor=request.user, person=person, data=data),
    )
    if saved is not None:
        messages.success(request, _("The changes were saved."))
        return redirect(saved)
    return render(
        request,
        "network/coordination/person_form.html",
        {"form": form, "person": person},
        status=status,
    )


@login_required
def organisation_create(request):
    require(request.user, "organisation.create")
    form = OrganisationForm(request.POST or None)
    saved, status = _save_form(
        request,
        form,
        lambda data: services.organisation_create(actor=request.user, data=data),
    )
    if saved is not None:
        public_pages_changed()
        messages.success(request, _("%(name)s was created.") % {"name": saved})
        return redirect(saved)
    return render(
        request,
        "network/coordination/organisation_form.html",
        {"form": form, "organisation": None},
        status=status,
    )


@login_required
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    require(request.user, "organisation.edit", organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    saved, status = _save_form(
        request,
        form,
        lambda data: services.organisation_update(
            actor=request.user, organisation=organisation, data=data
        ),
    )
    if saved is not None:
        public_pages_changed()
        messages.success(request, _("The changes were saved."))
        return redirect(saved)
    return render(
        request,
        "network/coordination/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=status,
    )


@login_required
def audit_log(request):
    network = None
    if slug := request.GET.get("network"):
        network = _network_or_404(slug)
    require(request.user, "audit.view", network)
    page = _page(request, selectors.audit_entry_list(user=request.user, network=network), 50)
    entries = [{"entry": entry, "changes": readable_changes(entry)} for entry in page]
    return render(
        request,
        "network/coordination/audit_log.html",
        {"page": page, "entries": entries, "network": network},
    )
