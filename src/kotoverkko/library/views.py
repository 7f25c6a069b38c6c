"""The library's pages: the list, a document with its transcript and similar documents, the
download, and adding, changing and removing documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kotoverkko.common import uploads
from kotoverkko.common.forms import apply_service_errors
from kotoverkko.common.permissions import user_can
from kotoverkko.events.models import Event
from kotoverkko.events.selectors import agenda_items
from kotoverkko.search.selectors import similar_for
from kotoverkko.search.views import network_choices, query_string

from . import selectors, services
from .extraction import REASONS
from .forms import KIND_LABELS, DocumentFilterForm, DocumentForm
from .models import Document
from .search import DOCUMENT

PER_PAGE = 20


def _may_view(user, document: Document) -> bool:
    return document.is_public or user_can(user, "document.view", document)


class _LoginNeeded(Exception):
    """A members-only document asked for by an anonymous visitor (see _viewing)."""


def _document_or_404(request, pk: int) -> Document:
    """A document the user may see. Members-only documents send anonymous visitors to log in
    and look missing to everyone else."""
    document = selectors.document_get(pk=pk)
    if document is None:
        raise Http404
    if not _may_view(request.user, document):
        if not request.user.is_authenticated:
            raise _LoginNeeded
        raise Http404
    return document


def _viewing(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
def document_list(request):
    networks, network_ids = network_choices(translation.get_language())
    form = DocumentFilterForm(
        request.GET, networks=networks, years=selectors.document_years(user=request.user)
    )
    if not form.is_valid():
        context = {"form": form, "documents": [], "page": None, "may_add": False}
        return render(request, "library/document_list.html", context, status=400)
    data = form.cleaned_data
    filters = selectors.DocumentFilters(
        network=network_ids.get(data["network"]),
        language=data["language"],
        kind=data["kind"],
        year=data["year"],
    )
    paginator = Paginator(selectors.document_list(user=request.user, filters=filters), PER_PAGE)
    try:
        page = paginator.page(data["page"] or 1)
    except EmptyPage:
        raise Http404 from None
    may_add = request.user.is_authenticated and bool(
        selectors.networks_to_add_to(user=request.user)
    )
    context = {
        "form": form,
        "filter_fields": [form[name] for name in ("network", "language", "kind", "year")],
        "page": page,
        "documents": [_row(document) for document in page.object_list],
        "page_query": query_string(request, page=""),
        "may_add": may_add,
    }
    return render(request, "library/document_list.html", context)


def _row(document: Document) -> dict:
    return {
        "document": document,
        "kind": KIND_LABELS.get(document.kind, ""),
        "date": document.date or document.uploaded_at.date(),
    }


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


@require_GET
@_viewing
def document_detail(request, pk: int):
    document = _document_or_404(request, pk)
    user = request.user
    may_change = user_can(user, "document.change", document)
    context = {
        "document": document,
        "kind": KIND_LABELS.get(document.kind, ""),
        "reason": REASONS.get(document.extraction_reason, ""),
        "transcript": _paragraphs(document.text),
        "similar": similar_for(type=DOCUMENT, object_id=document.pk, user=user),
        "may_change": may_change,
        "may_read_again": may_change
        and document.has_file
        and document.extraction == Document.Extraction.FAILED,
        "event_visible": document.event is not None
        and (document.event.is_public or user_can(user, "event.view", document.event)),
    }
    response = render(request, "library/document_detail.html", context)
    if not document.is_public:
        patch_cache_control(response, private=True)
    return response


@require_GET
@_viewing
def document_download(request, pk: int):
    document = _document_or_404(request, pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=document.content_type)
    response["Content-Disposition"] = uploads.attachment_header(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not document.is_public:
        patch_cache_control(response, private=True)
    return response


def _event_for_adding(request) -> Event | None:
    raw = request.GET.get("event") or request.POST.get("event")
    if not raw:
        return None
    try:
        event = Event.objects.select_related("network").get(pk=int(raw))
    except (ValueError, Event.DoesNotExist):
        raise Http404 from None
    if not user_can(request.user, "document.add_to_event", event):
        raise PermissionDenied
    return event


def _form(request, *, event=None, document=None, with_file=True, data=None, files=None):
    networks = selectors.networks_to_add_to(user=request.user)
    if document is not None and document.network is not None and document.network not in networks:
        networks.append(document.network)
    scope = [event.network] if event is not None else networks
    return DocumentForm(
        data,
        files,
        networks=networks,
        organisations=selectors.organisations_of(networks=scope, user=request.user),
        event=event,
        items=agenda_items(event=event) if event is not None else (),
        with_file=with_file,
        initial=_initial(request, event=event, document=document),
    )


def _initial(request, *, event, document) -> dict:
    if document is not None:
        initial = {name: getattr(document, name) for name in services.TRANSLATED}
        initial.update({name: getattr(document, name) for name in services.PLAIN})
        initial.update(
            network=document.network_id,
            organisation=document.organisation_id,
            item=document.item_id,
        )
        return initial
    person = getattr(request.user, "person", None)
    initial = {
        "language": translation.get_language() or "fi",
        "organisation": getattr(person, "organisation_id", None),
        "visibility": Document.Visibility.PUBLIC,
    }
    if event is not None:
        initial["language"] = (event.languages or ["fi"])[0]
        initial["date"] = event.starts_at.date()
    return initial


@login_required
def document_add(request):
    event = _event_for_adding(request)
    if event is None and not selectors.networks_to_add_to(user=request.user):
        raise PermissionDenied
    form = _form(request, event=event)
    status = 200
    if request.method == "POST":
        form = _form(request, event=event, data=request.POST, files=request.FILES)
        if form.is_valid():
            data = form.service_data()
            network = data.get("network")
            if network is not None and not user_can(request.user, "document.add", network):
                raise PermissionDenied
            try:
                document = services.document_upload(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    checked=form.checked,
                    data=data,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("“%(title)s” was added. Its text is read in a moment.")
                    % {"title": document.title},
                )
                return redirect("library:document_detail", pk=document.pk)
        status = 400
    context = {
        "form": form,
        "event": event,
        "max_size": uploads.upload_max_bytes(),
        "adding": True,
    }
    return render(request, "library/document_form.html", context, status=status)


@login_required
def document_edit(request, pk: int):
    document = _document_or_404(request, pk)
    if not user_can(request.user, "document.change", document):
        raise PermissionDenied
    event = document.event
    form = _form(request, event=event, document=document, with_file=False)
    status = 200
    if request.method == "POST":
        form = _form(request, event=event, document=document, with_file=False, data=request.POST)
        if form.is_valid():
            try:
                services.document_update(
                    actor=request.user, document=document, data=form.service_data()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("library:document_detail", pk=document.pk)
        status = 400
    context = {"form": form, "event": event, "document": document, "adding": False}
    return render(request, "library/document_form.html", context, status=status)


@login_required
def document_delete(request, pk: int):
    document = _document_or_404(request, pk)
    if not user_can(request.user, "document.change", document):
        raise PermissionDenied
    if request.method == "POST":
        event = document.event
        services.document_delete(actor=request.user, document=document)
        messages.success(request, _("“%(title)s” was removed.") % {"title": document.title})
        if event is not None and user_can(request.user, "event.view", event):
            return redirect("events:event_detail", pk=event.pk)
        return redirect("library:document_list")
    return render(request, "library/document_delete.html", {"document": document})


@require_POST
@login_required
def document_read_again(request, pk: int):
    document = _document_or_404(request, pk)
    if not user_can(request.user, "document.change", document):
        raise PermissionDenied
    try:
        services.document_extract_again(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is read again in a moment."))
    return redirect("library:document_detail", pk=document.pk)
