"""Pages for importing a member list into a network and for exporting members and organisations."""

import secrets
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kotoverkko.common.cache import public_pages_changed
from kotoverkko.common.permissions import require, user_can
from kotoverkko.common.spreadsheets import SpreadsheetError

from . import imports, selectors
from .forms import organisation_filters_from
from .models import Network

PENDING_KEY = "network-member-import:%d"
PENDING_SECONDS = 60 * 60
UPLOAD_TEMPLATE = "network/coordination/import_upload.html"
PREVIEW_TEMPLATE = "network/coordination/import_preview.html"


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Member list"),
        help_text=gettext_lazy(
            "A CSV file (separated by commas, semicolons or tabs) or an Excel workbook (XLSX)."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,text/plain,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    create_organisations = forms.BooleanField(
        label=gettext_lazy("Add organisations that are not in the directory yet"),
        help_text=gettext_lazy("Without this, a row naming an unknown organisation is an error."),
        required=False,
    )

    def __init__(self, *args, allow_new_organisations: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_new_organisations:
            del self.fields["create_organisations"]
        self.parsed: dict[str, Any] | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        data = b"" if upload.size > limit else upload.read(limit + 1)
        if upload.size > limit or len(data) > limit:
            raise ValidationError(
                _("The file is %(size)s; at most %(max)s can be imported at once.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(limit)}
            )
        try:
            self.parsed = imports.member_import_read(
                data=data, filename=upload.name or "", max_rows=settings.IMPORT_MAX_ROWS
            )
        except SpreadsheetError as error:
            raise ValidationError(str(error)) from error
        return upload


def _network_to_manage(request, slug: str) -> Network:
    try:
        network = selectors.network_get(slug=slug)
    except Network.DoesNotExist as exc:
        raise Http404 from exc
    require(request.user, "network.manage", network)
    return network


def _may_add_organisations(request) -> bool:
    return user_can(request.user, "organisation.create")


def _upload_page(
    request, network: Network, form: MemberImportForm, status: int = 200, error: str = ""
):
    context = {
        "network": network,
        "form": form,
        "columns": imports.column_help(),
        "error": error,
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_size": settings.IMPORT_MAX_BYTES,
    }
    return render(request, UPLOAD_TEMPLATE, context, status=status)


def _preview_page(
    request, plan: imports.ImportPlan, token: str, status: int = 200, error: str = ""
):
    context = {
        "network": plan.network,
        "plan": plan,
        "token": token,
        "error": error,
        "counts": plan.counts,
    }
    return render(request, PREVIEW_TEMPLATE, context, status=status)


# The parsed rows wait in the session between the preview and the confirmation; the browser
# only holds a random token naming them, so the rows written are the rows shown.


def _pending_store(
    request, network: Network, parsed: dict[str, Any], create_organisations: bool
) -> str:
    token = secrets.token_urlsafe(24)
    request.session[PENDING_KEY % network.pk] = {
        "token": token,
        "user": request.user.pk,
        "saved_at": time.time(),
        "create_organisations": create_organisations,
        "parsed": parsed,
    }
    return token


def _pending_load(request, network: Network, token: str) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY % network.pk)
    if (
        not pending
        or not token
        or not constant_time_compare(pending.get("token", ""), token)
        or pending.get("user") != request.user.pk
        or time.time() - pending.get("saved_at", 0) > PENDING_SECONDS
    ):
        return None
    return pending


def _pending_forget(request, network: Network) -> None:
    request.session.pop(PENDING_KEY % network.pk, None)


@login_required
def member_import(request, slug: str):
    network = _network_to_manage(request, slug)
    allow_new = _may_add_organisations(request)
    if request.method != "POST":
        return _upload_page(request, network, MemberImportForm(allow_new_organisations=allow_new))
    form = MemberImportForm(request.POST, request.FILES, allow_new_organisations=allow_new)
    if not form.is_valid():
        return _upload_page(request, network, form, status=400)
    create = allow_new and form.cleaned_data.get("create_organisations", False)
    plan = imports.member_import_plan(
        network=network, parsed=form.parsed, create_organisations=create
    )
    token = _pending_store(request, network, form.parsed, create)
    return _preview_page(request, plan, token)


@login_required
@require_POST
def member_import_confirm(request, slug: str):
    network = _network_to_manage(request, slug)
    allow_new = _may_add_organisations(request)
    token = request.POST.get("token", "")
    pending = _pending_load(request, network, token)
    if pending is None:
        return _upload_page(
            request,
            network,
            MemberImportForm(allow_new_organisations=allow_new),
            status=400,
            error=_(
                "This preview is no longer available. Nothing was saved; upload the file again."
            ),
        )
    parsed = pending["parsed"]
    create = allow_new and bool(pending["create_organisations"])
    try:
        plan = imports.member_import_run(
            actor=request.user, network=network, parsed=parsed, create_organisations=create
        )
    except imports.ImportRefused as refused:
        return _preview_page(
            request,
            refused.plan,
            token,
            status=400,
            error=_(
                "Nothing was saved: correct the rows with errors in the file and upload it again."
            ),
        )
    except (ValidationError, IntegrityError):
        # Someone changed the same people or organisations meanwhile; the transaction was
        # rolled back, and the plan made again shows the rows as they stand now.
        plan = imports.member_import_plan(
            network=network, parsed=parsed, create_organisations=create
        )
        return _preview_page(
            request,
            plan,
            token,
            status=400,
            error=_(
                "Nothing was saved, because the listed people or organisations changed while "
                "the import was being saved. Check the rows below and confirm again."
            ),
        )
    _pending_forget(request, network)
    public_pages_changed()
    counts = plan.counts
    messages.success(
        request,
        _(
            "Import done: %(new)d new people, %(existing)d listed people added, %(skipped)d "
            "already members."
        )
        % {"new": counts["new"], "existing": counts["existing"], "skipped": counts["skipped"]},
    )
    return redirect("network:network_members", slug=network.slug)


# Exports --------------------------------------------------------------------------------------


def _download(*, header, rows, fmt: str, basename: str, title: str) -> HttpResponse:
    if fmt not in imports.EXPORT_CONTENT_TYPES:
        raise Http404
    content = imports.export_bytes(header=header, rows=rows, fmt=fmt, title=title)
    filename = f"{basename}-{timezone.localdate().isoformat()}.{fmt}"
    response = HttpResponse(content, content_type=imports.EXPORT_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def member_export(request, slug: str, fmt: str):
    network = _network_to_manage(request, slug)
    header, rows = imports.member_export_table(
        network=network, include_ended=request.GET.get("ended") == "1"
    )
    response = _download(
        header=header, rows=rows, fmt=fmt, basename=f"{network.slug}-members", title=_("Members")
    )
    # Contact details: not kept by browsers or shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def organisation_export(request, fmt: str):
    header, rows = imports.organisation_export_table(filters=organisation_filters_from(request.GET))
    return _download(
        header=header, rows=rows, fmt=fmt, basename="organisations", title=_("Organisations")
    )
