"""The outbox and the mass sendings in the browser, and the endpoint for incoming bounces.

The outbox holds everyone's mail, so its pages are for administrators. A sending's progress
(and pausing, resuming and cancelling it) is also for the coordinators of its list's network,
whose bulletin pages include the progress partial.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kotoverkko.common.permissions import require, user_can

from . import batches, bounces, selectors, services
from .forms import OutboxFilterForm

PAGE_SIZE = 50


@login_required
def outbox_list(request):
    require(request.user, "outbox.view")
    form = OutboxFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "mailing/outbox_list.html", {"form": form, "page": None}, status=400)
    rows = selectors.outbox_list(status=form.cleaned_data["status"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mailing/outbox_list.html", {"form": form, "page": page})


@login_required
def outbox_detail(request, pk: int):
    require(request.user, "outbox.view")
    message = selectors.outbox_get(message_id=pk)
    return render(request, "mailing/outbox_detail.html", _detail_context(message))


@require_POST
@login_required
def outbox_retry(request, pk: int):
    require(request.user, "outbox.view")
    message = selectors.outbox_get(message_id=pk)
    require(request.user, "outbox.retry", message)
    try:
        services.outbox_retry(actor=request.user, message=message)
    except ValidationError as error:
        context = {**_detail_context(message), "errors": error.messages}
        return render(request, "mailing/outbox_detail.html", context, status=400)
    messages.success(request, _("The message is queued to be sent again."))
    return redirect("mailing:outbox_detail", pk=message.pk)


def _detail_context(message) -> dict:
    return {
        "mail": message,
        "headers": sorted(message.headers.items()),
        "can_retry": message.status == message.Status.FAILED,
    }


# Mass sendings --------------------------------------------------------------------------------


@login_required
def batch_list(request):
    require(request.user, "outbox.view")
    page = Paginator(selectors.batch_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    progress = selectors.batch_progress_many(page.object_list)
    rows = [(batch, progress[batch.pk]) for batch in page.object_list]
    return render(request, "mailing/batch_list.html", {"page": page, "rows": rows})


@login_required
def batch_detail(request, pk: int):
    require(request.user, "outbox.view")
    batch = selectors.batch_get(batch_id=pk)
    return render(request, "mailing/batch_detail.html", _batch_context(batch))


@login_required
def batch_progress(request, pk: int):
    """The progress partial alone, which the pages showing it poll while the batch sends."""
    batch = selectors.batch_get(batch_id=pk)
    require(request.user, "mailbatch.view", batch)
    context = {"batch": batch, "progress": batches.batch_progress(batch)}
    return render(request, "mailing/_batch_progress.html", context)


def _batch_context(batch, errors=()) -> dict:
    return {
        "batch": batch,
        "progress": batches.batch_progress(batch),
        "headers": sorted(batch.headers.items()),
        "errors": list(errors),
    }


def _batch_action(action, success):
    @require_POST
    @login_required
    def view(request, pk: int):
        batch = selectors.batch_get(batch_id=pk)
        require(request.user, "mailbatch.manage", batch)
        try:
            action(batch, request.user)
        except ValidationError as error:
            if user_can(request.user, "outbox.view"):
                context = _batch_context(batch, error.messages)
                return render(request, "mailing/batch_detail.html", context, status=400)
            context = {"batch": batch, "errors": error.messages, "back": _next_url(request)}
            return render(request, "mailing/batch_refused.html", context, status=400)
        messages.success(request, success)
        if next_url := _next_url(request):
            return HttpResponseRedirect(next_url)
        return redirect("mailing:batch_detail", pk=batch.pk)

    return view


def _next_url(request) -> str:
    """Where the page that posted the form asked to go back to, if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


batch_pause = _batch_action(batches.batch_pause, gettext_lazy("The sending is paused."))
batch_resume = _batch_action(batches.batch_resume, gettext_lazy("The sending goes on."))
batch_cancel = _batch_action(batches.batch_cancel, gettext_lazy("The sending is cancelled."))


# Incoming mail ----------------------------------------------------------------------------------


@csrf_exempt
def inbound_bounce(request):
    """A bounce or a mailto unsubscribe POSTed by the mail server: the raw message as the body,
    `Authorization: Bearer <MAIL_INBOUND_TOKEN>`, and optionally the address it was delivered
    to as `?envelope_to=`. Without MAIL_INBOUND_TOKEN the endpoint does not exist."""
    secret = settings.MAIL_INBOUND_TOKEN
    if not secret:
        raise Http404
    if request.method != "POST":
        return JsonResponse({"error": _("Use POST.")}, status=405, headers={"Allow": "POST"})
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not constant_time_compare(token.strip(), secret):
        return JsonResponse(
            {"error": _("A valid bearer token is required.")},
            status=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    raw = request.read(bounces.MAX_MESSAGE_BYTES + 1)
    if len(raw) > bounces.MAX_MESSAGE_BYTES:
        return JsonResponse({"error": _("The message is too large.")}, status=413)
    if not raw.strip():
        return JsonResponse({"error": _("The body must be the message.")}, status=400)
    envelope_to = request.GET.get("envelope_to") or None
    try:
        result = bounces.mail_inbound(raw, envelope_to=envelope_to)
    except DatabaseError:
        return JsonResponse({"error": _("Try again later.")}, status=503)
    body = {
        "result": result.kind,
        "unsubscribed": result.unsubscribed,
        "bounces": [{"email": bounce.email, "kind": bounce.kind} for bounce in result.bounces],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
