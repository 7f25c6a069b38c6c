"""Mailing list pages: the public subscription form and its confirmation, the subscriber's
preferences and one-click unsubscribe (no login: the signed link is the key), and the
coordinators' pages for the lists of their networks.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kotoverkko.common.clients import client_address
from kotoverkko.common.forms import apply_service_errors
from kotoverkko.common.permissions import require
from kotoverkko.common.ratelimit import rate_limit_exceeded
from kotoverkko.common.spreadsheets import write_csv
from kotoverkko.common.uploads import attachment_header
from kotoverkko.network.models import Network
from kotoverkko.network.roles import roles_for

from . import consent, imports, subscriptions, tokens
from .forms_lists import (
    CoordinatorAddForm,
    ImportForm,
    LanguageForm,
    ListSettingsForm,
    SubscribeForm,
    SubscriberFilterForm,
)
from .models import ConsentRecord, MailingList, Subscription

PAGE_SIZE = 50
ONE_CLICK_FIELD = "List-Unsubscribe"
ONE_CLICK_VALUE = "One-Click"


def _ip(request) -> str | None:
    return client_address(request) or None


def _network_list(slug: str) -> MailingList:
    try:
        return subscriptions.mailing_list_get(slug=slug)
    except Network.DoesNotExist as exc:
        raise Http404 from exc


# Subscribing -----------------------------------------------------------------------------------


def _consent_context(mailing_list: MailingList, version: str) -> dict:
    if not consent.is_known_version(version):
        version = consent.CURRENT_VERSION
    name = str(mailing_list.network.name)
    return {
        "consent_text": consent.consent_text(version, list_name=name),
        "consent_version": version,
    }


def subscribe(request, slug: str):
    mailing_list = _network_list(slug)
    if not mailing_list.is_open:
        raise Http404
    network = mailing_list.network
    form = SubscribeForm(
        request.POST if request.method == "POST" else None,
        initial={"language": request.LANGUAGE_CODE, "consent_version": consent.CURRENT_VERSION},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if rate_limit_exceeded(
            request,
            scope="subscribe",
            limit=settings.SUBSCRIBE_LIMIT,
            window_seconds=settings.SUBSCRIBE_WINDOW_SECONDS,
        ):
            form.is_valid()
            form.add_error(
                None,
                _("Too many subscription requests from your connection. Try again later."),
            )
            status = 429
        elif form.is_valid():
            try:
                subscriptions.subscribe_request(
                    mailing_list=mailing_list,
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    ip_address=_ip(request),
                    consent_version=form.cleaned_data["consent_version"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("mailing_lists:subscribe_sent", slug=network.slug)
    context = {
        "network": network,
        "form": form,
        **_consent_context(mailing_list, form["consent_version"].value() or ""),
    }
    return render(request, "mailing/lists/subscribe.html", context, status=status)


def subscribe_sent(request, slug: str):
    mailing_list = _network_list(slug)
    context = {"network": mailing_list.network, "valid_days": tokens.CONFIRM_MAX_AGE.days}
    return render(request, "mailing/lists/subscribe_sent.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    """A GET shows a button and changes nothing: mail scanners open links before people do,
    and a subscription must be confirmed by a person."""
    try:
        subscription = subscriptions.subscription_for_confirm_token(token)
        if request.method == "POST":
            subscription = subscriptions.subscribe_confirm(token, ip_address=_ip(request))
            messages.success(
                request,
                _("You are on the list of %(list)s.")
                % {"list": subscription.mailing_list.network.name},
            )
            return redirect(
                "mailing_lists:preferences",
                token=tokens.preferences_token(subscription.subscriber_id),
            )
    except ValidationError as error:
        context = {"error": " ".join(error.messages), "subscription": None}
        return render(request, "mailing/lists/confirm.html", context, status=400)
    context = {
        "subscription": subscription,
        "network": subscription.mailing_list.network,
        "active": subscription.status == Subscription.Status.ACTIVE
        and subscription.subscriber.is_reachable,
        "preferences_url": reverse(
            "mailing_lists:preferences",
            kwargs={"token": tokens.preferences_token(subscription.subscriber_id)},
        ),
    }
    return render(request, "mailing/lists/confirm.html", context)


# Preferences -----------------------------------------------------------------------------------


def _invalid_link_page(request, error: ValidationError, template: str):
    context = {"error": " ".join(error.messages), "subscriber": None}
    response = render(request, template, context, status=400)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _own_subscription(subscriber, value: str) -> Subscription | None:
    if not value.isdigit() or len(value) > 18:
        return None
    return (
        Subscription.objects.select_related("mailing_list__network")
        .filter(subscriber=subscriber, mailing_list_id=int(value))
        .first()
    )


def _preferences_post(request, subscriber) -> str | None:
    """Carry out one action of the preferences page; the message to show, or None for a
    request the page cannot have sent."""
    action = request.POST.get("action", "")
    if action == "language":
        form = LanguageForm(request.POST)
        if not form.is_valid():
            return None
        subscriptions.subscriber_language_set(
            subscriber=subscriber, language=form.cleaned_data["language"]
        )
        return _("The language of your messages is saved.")
    if action == "leave_all":
        subscriptions.leave_all(
            subscriber=subscriber, basis=ConsentRecord.Basis.PREFERENCES, ip_address=_ip(request)
        )
        return _(
            "You left every list. You get no list messages from this site, and joining a "
            "network does not put you on its list."
        )
    subscription = _own_subscription(subscriber, request.POST.get("list", ""))
    if subscription is None:
        return None
    name = subscription.mailing_list.network.name
    if action == "leave":
        subscriptions.unsubscribe(
            subscriber=subscriber,
            mailing_list=subscription.mailing_list,
            basis=ConsentRecord.Basis.PREFERENCES,
            ip_address=_ip(request),
        )
        return _("You left the list of %(list)s. Your other lists are unchanged.") % {"list": name}
    if action == "join":
        subscriptions.rejoin(
            subscriber=subscriber, mailing_list=subscription.mailing_list, ip_address=_ip(request)
        )
        return _("You are on the list of %(list)s again.") % {"list": name}
    return None


def _preferences_context(subscriber, token: str) -> dict:
    rows = []
    for row in subscriptions.subscriber_subscriptions(subscriber=subscriber):
        name = str(row.mailing_list.network.name)
        on_list = row.status == Subscription.Status.ACTIVE and subscriber.left_all_at is None
        rows.append(
            {
                "subscription": row,
                "name": name,
                "on_list": on_list,
                "pending": row.status == Subscription.Status.PENDING,
                # Joining again is agreeing to the current text; it is shown beside the button.
                "consent_text": ""
                if on_list
                else consent.consent_text(consent.CURRENT_VERSION, list_name=name),
            }
        )
    return {
        "subscriber": subscriber,
        "rows": rows,
        "any_on_list": any(row["on_list"] or row["pending"] for row in rows),
        "language_form": LanguageForm(initial={"language": subscriber.language}),
        "history": subscriptions.consent_history(subscriber=subscriber),
        "consent_version": consent.CURRENT_VERSION,
        "token": token,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token: str):
    try:
        subscriber = subscriptions.subscriber_from_preferences_token(token)
    except ValidationError as error:
        return _invalid_link_page(request, error, "mailing/lists/preferences.html")
    if request.method == "POST":
        message = _preferences_post(request, subscriber)
        if message is not None:
            messages.success(request, message)
            return redirect(request.path)
        context = {
            **_preferences_context(subscriber, token),
            "error": _("The change could not be made. Reload the page and try again."),
        }
        return render(request, "mailing/lists/preferences.html", context, status=400)
    context = _preferences_context(subscriber, token)
    return render(request, "mailing/lists/preferences.html", context)


def _consent_csv(data: dict) -> bytes:
    header = [
        _("Time"),
        _("List"),
        _("Action"),
        _("How"),
        _("Consent text version"),
        _("Consent text"),
        _("Language"),
        _("Detail"),
        _("IP address"),
    ]
    every_list = _("every list")
    rows = [
        [
            record["at"],
            record["list"] or every_list,
            ConsentRecord.Action(record["action"]).label,
            ConsentRecord.Basis(record["basis"]).label,
            record["consent_version"],
            record["consent_text"],
            record["language"],
            record["detail"],
            record["ip_address"],
        ]
        for record in data["consent_records"]
    ]
    return write_csv(header, rows)


@never_cache
@require_GET
def consent_download(request, token: str, fmt: str):
    try:
        subscriber = subscriptions.subscriber_from_preferences_token(token)
    except ValidationError as error:
        return _invalid_link_page(request, error, "mailing/lists/preferences.html")
    data = subscriptions.consent_export(subscriber)
    if fmt == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2).encode()
        content_type = "application/json; charset=utf-8"
    else:
        content = _consent_csv(data)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(f"consents.{fmt}")
    return response


# One-click unsubscribe (RFC 8058) --------------------------------------------------------------


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_one_click(request, token: str):
    """The List-Unsubscribe address of a list's messages.

    A POST whose body is `List-Unsubscribe=One-Click` (as mail programs send it, RFC 8058)
    takes the address off the list at once; it carries no cookie, so it needs no CSRF token.
    A GET only shows a page with a button that sends the same POST: link scanners follow
    the links in mail, and a GET must not make anyone leave a list.
    """
    template = "mailing/lists/unsubscribe.html"
    try:
        subscriber, mailing_list = subscriptions.unsubscribe_target(token)
    except ValidationError as error:
        context = {"error": " ".join(error.messages), "network": None}
        return render(request, template, context, status=400)
    language = subscriber.language
    with translation.override(language):
        context = {
            "network": mailing_list.network,
            "preferences_url": reverse(
                "mailing_lists:preferences",
                kwargs={"token": tokens.preferences_token(subscriber.pk)},
            ),
            "field": ONE_CLICK_FIELD,
            "value": ONE_CLICK_VALUE,
        }
        status = 200
        if request.method == "POST":
            if request.POST.get(ONE_CLICK_FIELD) != ONE_CLICK_VALUE:
                context["error"] = _("The request did not say what to do. Use the button below.")
                status = 400
            else:
                subscriptions.unsubscribe(
                    subscriber=subscriber,
                    mailing_list=mailing_list,
                    basis=ConsentRecord.Basis.ONE_CLICK,
                    ip_address=_ip(request),
                )
                context["done"] = True
        context["on_list"] = Subscription.objects.filter(
            subscriber=subscriber,
            mailing_list=mailing_list,
            status__in=[Subscription.Status.ACTIVE, Subscription.Status.PENDING],
        ).exists()
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return response


# Coordinators ---------------------------------------------------------------------------------


def _list_to_manage(request, slug: str) -> MailingList:
    """The list of a network the user manages: 404 for no such network, 403 for another's."""
    try:
        network = Network.objects.select_related("parent").get(slug=slug)
    except Network.DoesNotExist as exc:
        raise Http404 from exc
    require(request.user, "network.manage", network)
    return subscriptions.mailing_list_for(network)


@login_required
def manage_index(request):
    """The lists of the networks and teams the user manages, with their subscriber counts."""
    networks = Network.objects.all()
    if not request.user.is_superuser:
        networks = networks.filter(pk__in=roles_for(request.user).manages)
    active = Q(mailing_list__subscriptions__status=Subscription.Status.ACTIVE)
    networks = networks.annotate(active_count=Count("mailing_list__subscriptions", filter=active))
    return render(
        request, "mailing/lists/manage_index.html", {"networks": networks.order_by("name")}
    )


def _manage_page(request, mailing_list: MailingList, *, add_form=None, status: int = 200):
    filters = SubscriberFilterForm(request.GET)
    if filters.is_valid():
        values = filters.cleaned_data
    else:
        values = {"q": "", "status": ""}
        status = 400
    rows = subscriptions.subscription_list(
        mailing_list=mailing_list, status=values["status"], search=values["q"]
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    network = mailing_list.network
    context = {
        "network": network,
        "mailing_list": mailing_list,
        "filters": filters,
        "page": page,
        "query": urlencode({name: value for name, value in values.items() if value}),
        "counts": subscriptions.subscription_counts(mailing_list=mailing_list),
        "add_form": add_form
        or CoordinatorAddForm(initial={"language": (network.languages or ["fi"])[0]}),
    }
    return render(request, "mailing/lists/manage.html", context, status=status)


@login_required
@require_GET
def manage(request, slug: str):
    return _manage_page(request, _list_to_manage(request, slug))


@login_required
@require_POST
def manage_add(request, slug: str):
    mailing_list = _list_to_manage(request, slug)
    form = CoordinatorAddForm(request.POST)
    if form.is_valid():
        try:
            subscription = subscriptions.subscription_add_by_coordinator(
                actor=request.user,
                mailing_list=mailing_list,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                consented=form.cleaned_data["consented"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if subscription.status == Subscription.Status.ACTIVE:
                text = _("%(email)s is on the list.")
            else:
                text = _("A confirmation link was sent to %(email)s.")
            messages.success(request, text % {"email": subscription.subscriber.email})
            return redirect("mailing_lists:manage", slug=mailing_list.network.slug)
    return _manage_page(request, mailing_list, add_form=form, status=400)


@login_required
@require_POST
def manage_remove(request, slug: str, pk: int):
    mailing_list = _list_to_manage(request, slug)
    subscription = get_object_or_404(
        Subscription.objects.select_related("subscriber", "mailing_list__network"),
        pk=pk,
        mailing_list=mailing_list,
    )
    subscriptions.subscription_remove(actor=request.user, subscription=subscription)
    messages.success(
        request, _("%(email)s is off the list.") % {"email": subscription.subscriber.email}
    )
    return redirect("mailing_lists:manage", slug=mailing_list.network.slug)


@login_required
def manage_settings(request, slug: str):
    mailing_list = _list_to_manage(request, slug)
    initial = {
        "is_open": mailing_list.is_open,
        "members_subscribed": mailing_list.members_subscribed,
    }
    form = ListSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            subscriptions.mailing_list_update(
                actor=request.user, mailing_list=mailing_list, **form.cleaned_data
            )
            messages.success(request, _("The list's settings are saved."))
            return redirect("mailing_lists:manage", slug=mailing_list.network.slug)
        status = 400
    else:
        status = 200
    context = {"network": mailing_list.network, "form": form}
    return render(request, "mailing/lists/manage_settings.html", context, status=status)


@login_required
def manage_import(request, slug: str):
    mailing_list = _list_to_manage(request, slug)
    network = mailing_list.network
    default_language = (network.languages or ["fi"])[0]
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        default_language=default_language,
    )
    context = {
        "network": network,
        "form": form,
        "columns": imports.column_help(),
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_size": settings.IMPORT_MAX_BYTES,
        "default_language": default_language,
        "result": None,
    }
    if request.method != "POST":
        return render(request, "mailing/lists/manage_import.html", context)
    if not form.is_valid():
        return render(request, "mailing/lists/manage_import.html", context, status=400)
    try:
        result = imports.subscriber_import_run(
            actor=request.user, mailing_list=mailing_list, result=form.result
        )
    except imports.ImportRefused as refused:
        context["result"] = refused.result
        return render(request, "mailing/lists/manage_import.html", context, status=400)
    counts = result.counts
    messages.success(
        request,
        _(
            "Import done: %(added)d addresses added (%(elsewhere)d of them confirmed on another "
            "list before), %(already)d already on the list, %(left)d not added because they had "
            "left this list or every list."
        )
        % {
            "added": counts["added"],
            "elsewhere": counts["confirmed_elsewhere"],
            "already": counts["already"],
            "left": counts["left"],
        },
    )
    return redirect("mailing_lists:manage", slug=network.slug)


def _download(*, header, rows, fmt: str, basename: str, title: str) -> HttpResponse:
    if fmt not in imports.EXPORT_CONTENT_TYPES:
        raise Http404
    content = imports.export_bytes(header=header, rows=rows, fmt=fmt, title=title)
    response = HttpResponse(content, content_type=imports.EXPORT_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = attachment_header(
        f"{basename}-{timezone.localdate().isoformat()}.{fmt}"
    )
    # Addresses: not kept by browsers or shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def manage_export(request, slug: str, fmt: str):
    mailing_list = _list_to_manage(request, slug)
    header, rows = imports.subscriber_export_table(mailing_list=mailing_list)
    return _download(
        header=header,
        rows=rows,
        fmt=fmt,
        basename=f"{mailing_list.network.slug}-subscribers",
        title=_("Subscribers"),
    )


@login_required
@require_GET
def manage_consents_export(request, slug: str, fmt: str):
    mailing_list = _list_to_manage(request, slug)
    header, rows = imports.consent_export_table(mailing_list=mailing_list)
    return _download(
        header=header,
        rows=rows,
        fmt=fmt,
        basename=f"{mailing_list.network.slug}-consents",
        title=_("Consent records"),
    )
