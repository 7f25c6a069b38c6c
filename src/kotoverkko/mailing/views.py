"""The outbox in the browser, for administrators: what was sent, to whom, and what failed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.common.permissions import require

from . import selectors, services
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
