"""Coordinators' pages of the bulletin: the issues of a network, the issue editor (items,
introduction, preview, a test to oneself, sending and scheduling) and the network's news."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist, loader
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kotoverkko.common.permissions import user_can

from . import rendering, selectors, services
from .forms import (
    ChoiceOfForm,
    IssueForm,
    NewsForm,
    ScheduleForm,
    SendForm,
    SendTestForm,
    TextItemForm,
)
from .models import Issue, IssueItem

PAGE_SIZE = 25
PROGRESS_TEMPLATE = "mailing/_batch_progress.html"


def _progress_template() -> str:
    """The mass sending's progress partial, when the mailing app provides one."""
    try:
        loader.get_template(PROGRESS_TEMPLATE)
    except TemplateDoesNotExist:
        return ""
    return PROGRESS_TEMPLATE


# Networks and issues ------------------------------------------------------------------------


@login_required
def index(request):
    networks = list(selectors.managed_networks(user=request.user))
    if not networks:
        raise PermissionDenied
    return render(request, "newsletter/manage/index.html", {"networks": networks})


@login_required
def issue_list(request, slug: str):
    network = selectors.network_get_managed(slug=slug, user=request.user)
    page = Paginator(selectors.issue_list(network=network), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    month = selectors.month_start(timezone.localdate())
    context = {
        "network": network,
        "page": page,
        "issues": list(page.object_list),
        "month": month,
        "month_issue": selectors.issue_regular(network=network, month=month),
        "query": "",
    }
    return render(request, "newsletter/manage/issue_list.html", context)


@login_required
@require_POST
def issue_compile(request, slug: str):
    network = selectors.network_get_managed(slug=slug, user=request.user)
    extra = request.POST.get("extra") == "1"
    now = timezone.now()
    try:
        issue = services.issue_compile(
            network=network, month=timezone.localdate(now), now=now, actor=request.user, extra=extra
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("newsletter:manage_issues", slug=network.slug)
    messages.success(request, _("The issue “%(title)s” is ready for editing.") % {"title": issue})
    return redirect("newsletter:manage_issue", pk=issue.pk)


# The issue editor ---------------------------------------------------------------------------


def _news_label(news) -> str:
    return f"{formats.date_format(news.publish_on, 'SHORT_DATE_FORMAT')} – {news.title}"


def _event_label(event) -> str:
    start = timezone.localtime(event.starts_at)
    return f"{formats.date_format(start, 'SHORT_DATE_FORMAT')} – {event.title}"


def _editor_forms(request, issue: Issue, action: str | None) -> dict:
    posted = request.POST if request.method == "POST" else None
    network = issue.network
    now = timezone.now()
    return {
        "issue_form": IssueForm(
            posted if action == "save" else None,
            network=network,
            prefix="issue",
            initial={
                f"{name}_{code}": getattr(issue, f"{name}_{code}") or ""
                for name in ("title", "introduction")
                for code in ("fi", "sv", "en")
            },
        ),
        "text_form": TextItemForm(
            posted if action == "add_text" else None, network=network, prefix="text"
        ),
        "news_form": ChoiceOfForm(
            posted if action == "add_news" else None,
            prefix="news",
            objects=selectors.news_candidates(issue=issue, today=timezone.localdate(now)),
            label=_("News item"),
            label_of=_news_label,
        ),
        "event_form": ChoiceOfForm(
            posted if action == "add_event" else None,
            prefix="event",
            objects=selectors.event_candidates(issue=issue, now=now),
            label=_("Event"),
            label_of=_event_label,
        ),
    }


def _item_action(request, issue: Issue, items: list[IssueItem], action: str) -> str:
    """Move or remove the posted item; returns an error message, or "" when done."""
    item = next((i for i in items if str(i.pk) == request.POST.get("item", "")), None)
    if item is None:
        return _("The item is not in this issue.")
    if action == "remove":
        services.issue_item_remove(actor=request.user, issue=issue, item=item)
        messages.success(request, _("The item was removed."))
    else:
        services.issue_item_move(actor=request.user, issue=issue, item=item, direction=action)
    return ""


def _apply(request, issue: Issue, forms: dict, action: str) -> bool:
    """Run the posted action through its service; True when it succeeded."""
    user = request.user
    form = {
        "save": forms["issue_form"],
        "add_text": forms["text_form"],
        "add_news": forms["news_form"],
        "add_event": forms["event_form"],
    }[action]
    if not form.is_valid():
        return False
    try:
        if action == "save":
            services.issue_update(actor=user, issue=issue, data=form.service_data())
            messages.success(request, _("The title and introduction were saved."))
        elif action == "add_text":
            services.issue_item_add_text(actor=user, issue=issue, data=form.service_data())
            messages.success(request, _("The text was added at the end."))
        elif action == "add_news":
            services.issue_item_add_news(actor=user, issue=issue, news=form.chosen)
            messages.success(request, _("The news item was added at the end."))
        else:
            services.issue_item_add_event(actor=user, issue=issue, event=form.chosen)
            messages.success(request, _("The event was added at the end."))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for errors in error.error_dict.values():
                for message in errors:
                    form.add_error(None, message)
        else:
            form.add_error(None, error)
        return False
    return True


FORM_ACTIONS = ("save", "add_text", "add_news", "add_event")
ITEM_ACTIONS = ("up", "down", "remove")


@login_required
def issue_edit(request, pk: int):
    issue = selectors.issue_get_managed(pk=pk, user=request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    editable = issue.status in services.EDITABLE
    items = selectors.issue_items(issue=issue)
    forms = _editor_forms(request, issue, action) if editable else {}
    status, action_error = 200, ""
    if action is not None and not editable:
        action_error = _("The issue has been sent; it can no longer be changed.")
        status = 400
    elif action in ITEM_ACTIONS:
        try:
            action_error = _item_action(request, issue, items, action)
        except ValidationError as error:
            action_error = " ".join(error.messages)
        if not action_error:
            return redirect(f"{reverse('newsletter:manage_issue', args=[issue.pk])}#items")
        status = 400
    elif action in FORM_ACTIONS:
        if _apply(request, issue, forms, action):
            return redirect("newsletter:manage_issue", pk=issue.pk)
        status = 400
    elif action is not None:
        action_error, status = _("Choose what to do."), 400
    return _editor(request, issue, items, forms, status=status, action_error=action_error)


def _editor(request, issue, items, forms, *, status=200, action_error="", extra=None):
    editions = selectors.issue_editions(issue=issue)
    progress = []
    if editions:
        from kotoverkko.mailing.batches import batch_progress

        progress = [
            {"edition": e, "batch": e.batch, "progress": batch_progress(e.batch)}
            for e in editions
            if e.batch is not None
        ]
    context = {
        "issue": issue,
        "network": issue.network,
        "items": items,
        "editable": issue.status in services.EDITABLE,
        "action_error": action_error,
        "editions": progress,
        "progress_template": _progress_template() if progress else "",
        "test_form": SendTestForm(network=issue.network),
        "schedule_form": ScheduleForm(initial=ScheduleForm.initial_for(issue.scheduled_for)),
        "languages": selectors.network_languages(issue.network),
        **forms,
        **(extra or {}),
    }
    return render(request, "newsletter/manage/issue_edit.html", context, status=status)


@login_required
def issue_preview(request, pk: int):
    issue = selectors.issue_get_managed(pk=pk, user=request.user)
    languages = selectors.network_languages(issue.network)
    language = request.GET.get("language") or languages[0]
    if language not in languages:
        raise Http404
    public = request.build_absolute_uri(
        reverse("newsletter:archive", kwargs={"slug": issue.network.slug})
    )
    content = rendering.issue_content(issue, language)
    subject, html, text = rendering.render_email(
        content, links={"unsubscribe_url": public, "preferences_url": public}
    )
    context = {
        "issue": issue,
        "network": issue.network,
        "language": language,
        "languages": languages,
        "subject": subject,
        "html": html,
        "text": text,
    }
    return render(request, "newsletter/manage/preview.html", context)


@login_required
@require_POST
def issue_test(request, pk: int):
    issue = selectors.issue_get_managed(pk=pk, user=request.user)
    form = SendTestForm(request.POST, network=issue.network)
    if form.is_valid():
        try:
            sent = services.issue_send_test(
                issue=issue, user=request.user, language=form.cleaned_data["language"] or None
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "A test was sent to %(address)s.",
                    "A test of each edition (%(count)s) was sent to %(address)s.",
                    len(sent),
                )
                % {"address": request.user.email, "count": len(sent)},
            )
            return redirect("newsletter:manage_issue", pk=issue.pk)
    items = selectors.issue_items(issue=issue)
    forms = _editor_forms(request, issue, None) if issue.status in services.EDITABLE else {}
    return _editor(request, issue, items, forms, status=400, extra={"test_form": form})


@login_required
def issue_send(request, pk: int):
    """The confirmation page (how many get each edition) and the sending itself."""
    issue = selectors.issue_get_managed(pk=pk, user=request.user)
    if issue.status not in services.EDITABLE:
        messages.info(request, _("The issue has already been sent."))
        return redirect("newsletter:manage_issue", pk=issue.pk)
    form = SendForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.issue_send(issue=issue, actor=request.user, now=timezone.now())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The issue is on its way to the subscribers."))
                return redirect("newsletter:manage_issue", pk=issue.pk)
    counts = selectors.recipient_counts(network=issue.network)
    context = {
        "issue": issue,
        "network": issue.network,
        "form": form,
        "counts": [{"language": code, "count": n} for code, n in counts.items()],
        "total": sum(counts.values()),
    }
    return render(request, "newsletter/manage/send.html", context, status=status)


@login_required
@require_POST
def issue_schedule(request, pk: int):
    issue = selectors.issue_get_managed(pk=pk, user=request.user)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.issue_schedule(
                actor=request.user, issue=issue, when=form.when, now=timezone.now()
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            when = timezone.localtime(form.when)
            messages.success(
                request,
                _("The issue will be sent on %(date)s at %(time)s.")
                % {
                    "date": formats.date_format(when, "SHORT_DATE_FORMAT"),
                    "time": formats.time_format(when, "TIME_FORMAT"),
                },
            )
            return redirect("newsletter:manage_issue", pk=issue.pk)
    items = selectors.issue_items(issue=issue)
    forms = _editor_forms(request, issue, None) if issue.status in services.EDITABLE else {}
    return _editor(request, issue, items, forms, status=400, extra={"schedule_form": form})


@login_required
@require_POST
def issue_unschedule(request, pk: int):
    issue = selectors.issue_get_managed(pk=pk, user=request.user)
    try:
        services.issue_unschedule(actor=request.user, issue=issue)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The sending was cancelled; the issue is a draft again."))
    return redirect("newsletter:manage_issue", pk=issue.pk)


@login_required
def issue_delete(request, pk: int):
    issue = selectors.issue_get_managed(pk=pk, user=request.user)
    error = ""
    if request.method == "POST":
        try:
            services.issue_delete(actor=request.user, issue=issue)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The draft was deleted."))
            return redirect("newsletter:manage_issues", slug=issue.network.slug)
    context = {"issue": issue, "network": issue.network, "error": error}
    return render(
        request, "newsletter/manage/issue_delete.html", context, status=400 if error else 200
    )


# News ---------------------------------------------------------------------------------------


@login_required
def news_list(request, slug: str):
    network = selectors.network_get_managed(slug=slug, user=request.user)
    page = Paginator(selectors.news_list(network=network), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "network": network,
        "page": page,
        "rows": list(page.object_list),
        "today": timezone.localdate(),
        "query": "",
    }
    return render(request, "newsletter/manage/news_list.html", context)


@login_required
def news_create(request, slug: str):
    network = selectors.network_get_managed(slug=slug, user=request.user)
    if not user_can(request.user, "news.edit", network):
        raise PermissionDenied
    form = NewsForm(
        request.POST if request.method == "POST" else None,
        network=network,
        initial={"publish_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.news_create(actor=request.user, network=network, data=form.service_data())
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, _("The news item was saved."))
                return redirect("newsletter:manage_news", slug=network.slug)
    context = {"network": network, "form": form, "news": None}
    return render(request, "newsletter/manage/news_form.html", context, status=status)


@login_required
def news_edit(request, pk: int):
    news = selectors.news_get_managed(pk=pk, user=request.user)
    form = NewsForm(
        request.POST if request.method == "POST" else None,
        network=news.network,
        initial=NewsForm.initial_for(news),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.news_update(actor=request.user, news=news, data=form.service_data())
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, _("The news item was saved."))
                return redirect("newsletter:manage_news", slug=news.network.slug)
    context = {"network": news.network, "form": form, "news": news}
    return render(request, "newsletter/manage/news_form.html", context, status=status)


@login_required
def news_delete(request, pk: int):
    news = selectors.news_get_managed(pk=pk, user=request.user)
    error = ""
    if request.method == "POST":
        try:
            services.news_delete(actor=request.user, news=news)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The news item was deleted."))
            return redirect("newsletter:manage_news", slug=news.network.slug)
    context = {"news": news, "network": news.network, "error": error}
    return render(
        request, "newsletter/manage/news_delete.html", context, status=400 if error else 200
    )
