"""Reading news and bulletins: what a coordinator edits, what an issue is compiled from, who
gets which edition, and what the public archive and feeds show."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kotoverkko.common.permissions import require
from kotoverkko.events.models import Event
from kotoverkko.events.selectors import EventFilters, event_list
from kotoverkko.library.models import Document
from kotoverkko.network.models import Network
from kotoverkko.network.roles import NetworkTree, roles_for

from .models import Edition, Issue, IssueItem, NewsItem

# Upcoming events reach a bulletin when they start within this time of its compilation.
EVENT_WINDOW = timedelta(weeks=6)
# Trainings and info sessions lead the events of a bulletin.
LEADING_EVENT_TYPES = (Event.Type.TRAINING, Event.Type.INFO_SESSION)
# How many materials one bulletin lists at most (a two-day seminar may bring dozens).
MATERIALS_MAX = 15
# A first bulletin lists the materials of this long before its compilation.
MATERIALS_FIRST_WINDOW = timedelta(days=31)
# News older than this is no longer offered for adding to an issue.
NEWS_CANDIDATE_AGE = timedelta(days=183)


def network_languages(network: Network) -> list[str]:
    """The languages the network publishes in, its first language first."""
    return list(network.languages or []) or ["fi"]


def edition_language(network: Network, language: str) -> str:
    """The edition a reader of `language` gets: theirs if the network publishes in it, else
    the network's first language."""
    languages = network_languages(network)
    return language if language in languages else languages[0]


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


# Coordination -------------------------------------------------------------------------------


def managed_networks(*, user) -> QuerySet[Network]:
    """Networks (not teams) whose news and bulletin the user manages, by name."""
    qs = Network.objects.filter(kind=Network.Kind.NETWORK).select_related("parent")
    if not user.is_superuser:
        qs = qs.filter(pk__in=roles_for(user).coordinates)
    return qs.order_by("name", "pk")


def network_get_managed(*, slug: str, user) -> Network:
    """A network whose bulletin the user manages: 404 if unknown or a team, 403 if not hers."""
    network = get_object_or_404(
        Network.objects.select_related("contact_person"), slug=slug, kind=Network.Kind.NETWORK
    )
    require(user, "newsletter.manage", network)
    return network


def news_list(*, network: Network) -> QuerySet[NewsItem]:
    """The network's own news items, newest first (its coordinators' list)."""
    return NewsItem.objects.filter(network=network).order_by("-publish_on", "-pk")


def news_get_managed(*, pk: int, user) -> NewsItem:
    news = get_object_or_404(NewsItem.objects.select_related("network"), pk=pk)
    require(user, "news.edit", news)
    return news


def issue_list(*, network: Network) -> QuerySet[Issue]:
    """The network's issues, newest month first, with their number of items."""
    return (
        Issue.objects.filter(network=network)
        .annotate(item_count=Count("items"))
        .order_by("-month", "-number")
    )


def issue_regular(*, network: Network, month: date) -> Issue | None:
    """The month's regular issue (number 1), if it has been compiled."""
    return Issue.objects.filter(network=network, month=month_start(month), number=1).first()


def issue_get_managed(*, pk: int, user) -> Issue:
    """An issue the user edits: 404 if it does not exist, 403 if it is not her network's."""
    issue = get_object_or_404(
        Issue.objects.select_related("network", "network__contact_person"), pk=pk
    )
    require(user, "newsletter.manage", issue)
    return issue


def issue_items(*, issue: Issue) -> list[IssueItem]:
    """The items in the coordinator's order with everything they show, in one query."""
    return list(
        IssueItem.objects.filter(issue=issue)
        .select_related(
            "news",
            "event",
            "event__municipality",
            "material",
            "material__event",
            "material__organisation",
        )
        .order_by("position", "pk")
    )


def issue_editions(*, issue: Issue) -> list[Edition]:
    return list(
        Edition.objects.filter(issue=issue).select_related("batch").order_by("language", "pk")
    )


def news_candidates(*, issue: Issue, today: date) -> list[NewsItem]:
    """News of the issue's network (and those below it) that the issue does not carry yet,
    newest first: what the coordinator can add."""
    ids = NetworkTree.load().descendants(issue.network_id)
    carried = IssueItem.objects.filter(issue=issue, news__isnull=False).values("news_id")
    return list(
        NewsItem.objects.filter(network_id__in=ids, publish_on__gte=today - NEWS_CANDIDATE_AGE)
        .exclude(pk__in=carried)
        .order_by("-publish_on", "-pk")[:100]
    )


def event_candidates(*, issue: Issue, now: datetime) -> list[Event]:
    """Upcoming public events of the issue's network (and those below it) that the issue does
    not carry yet, soonest first."""
    carried = IssueItem.objects.filter(issue=issue, event__isnull=False).values("event_id")
    qs = (
        event_list(filters=EventFilters(network=issue.network), user=None, now=now)
        .exclude(status=Event.Status.CANCELLED)
        .exclude(pk__in=carried)
    )
    return list(qs.order_by("starts_at", "pk")[:100])


def event_is_offered(*, network: Network, event: Event) -> bool:
    """Whether the event may appear in the network's bulletin: a public event of the network
    or of one below it. A bulletin goes to a public list, so nothing else may."""
    ids = NetworkTree.load().descendants(network.pk)
    return event.is_public and (event.network_id in ids or event.team_id in ids)


def material_is_offered(*, network: Network, material: Document) -> bool:
    """A public library document of the network or of one below it."""
    ids = NetworkTree.load().descendants(network.pk)
    return material.is_public and material.network_id in ids


def news_is_offered(*, network: Network, news: NewsItem) -> bool:
    return news.network_id in NetworkTree.load().descendants(network.pk)


# Compiling ----------------------------------------------------------------------------------


def compile_news(*, network: Network, month: date, today: date) -> list[NewsItem]:
    """The news of the month's bulletin: published from the start of the previous month until
    today, not carried by another issue of the network; regional first, newest first."""
    ids = NetworkTree.load().descendants(network.pk)
    carried = IssueItem.objects.filter(issue__network=network, news__isnull=False).values("news_id")
    items = list(
        NewsItem.objects.filter(
            network_id__in=ids,
            publish_on__gte=previous_month(month),
            publish_on__lte=today,
        )
        .exclude(pk__in=carried)
        .order_by("-publish_on", "-pk")
    )
    items.sort(key=lambda news: news.scope != NewsItem.Scope.REGIONAL)
    return items


def compile_events(*, network: Network, now: datetime) -> list[Event]:
    """Public events of the network (and those below it) that start within EVENT_WINDOW of
    `now`; trainings and info sessions first, each group soonest first."""
    events = list(
        event_list(filters=EventFilters(network=network), user=None, now=now)
        .filter(starts_at__gte=now, starts_at__lt=now + EVENT_WINDOW)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )
    events.sort(key=lambda event: event.type not in LEADING_EVENT_TYPES)
    return events


def compile_materials(*, network: Network, now: datetime) -> list[Document]:
    """Public library documents of the network (and of the teams below it) added since its
    previous bulletin was compiled (a month back for the first one), newest first."""
    previous = (
        Issue.objects.filter(network=network, compiled_at__lt=now)
        .order_by("-compiled_at")
        .values_list("compiled_at", flat=True)
        .first()
    )
    since = previous or now - MATERIALS_FIRST_WINDOW
    ids = NetworkTree.load().descendants(network.pk)
    return list(
        Document.objects.filter(
            visibility=Document.Visibility.PUBLIC,
            network_id__in=ids,
            uploaded_at__gt=since,
            uploaded_at__lte=now,
        )
        .defer("text")
        .select_related("event")
        .order_by("-uploaded_at", "-pk")[:MATERIALS_MAX]
    )


def networks_to_compile() -> QuerySet[Network]:
    """Networks (not teams) that have a mailing list: each gets a monthly draft."""
    return Network.objects.filter(kind=Network.Kind.NETWORK, mailing_list__isnull=False).order_by(
        "pk"
    )


def issues_due(*, now: datetime) -> QuerySet[Issue]:
    return Issue.objects.filter(status=Issue.Status.SCHEDULED, scheduled_for__lte=now).order_by(
        "scheduled_for", "pk"
    )


def issues_sending() -> QuerySet[Issue]:
    return Issue.objects.filter(status=Issue.Status.SENDING).order_by("pk")


# Recipients ---------------------------------------------------------------------------------


def edition_recipients(*, network: Network, language: str, recipients: QuerySet) -> QuerySet:
    """Those of `recipients` who get the edition in `language`: readers of that language,
    and for the network's first language also readers of a language it does not publish in."""
    languages = network_languages(network)
    if language == languages[0]:
        return recipients.filter(Q(language=language) | ~Q(language__in=languages))
    return recipients.filter(language=language)


def recipient_counts(*, network: Network) -> dict[str, int]:
    """How many would get each edition if the issue were sent now, in the network's language
    order, in one query (none while the network has no list yet)."""
    from kotoverkko.mailing.models import MailingList
    from kotoverkko.mailing.subscriptions import list_recipients

    languages = network_languages(network)
    counts = dict.fromkeys(languages, 0)
    mailing_list = MailingList.objects.filter(network=network).first()
    if mailing_list is None:
        return counts
    rows = (
        list_recipients(mailing_list)
        .order_by()
        .values("language")
        .annotate(n=Count("pk"))
        .values_list("language", "n")
    )
    for language, n in rows:
        counts[edition_language(network, language)] += n
    return counts


# Public pages -------------------------------------------------------------------------------

PUBLIC_STATUSES = (Issue.Status.SENDING, Issue.Status.SENT)


def issue_list_sent(*, network: Network) -> QuerySet[Issue]:
    """Issues that went out, newest first: the archive."""
    return Issue.objects.filter(network=network, status__in=PUBLIC_STATUSES).order_by(
        "-month", "-number", "-pk"
    )


def issue_get_sent(*, network: Network, pk: int) -> Issue:
    return get_object_or_404(
        Issue.objects.select_related("network", "network__contact_person").filter(
            status__in=PUBLIC_STATUSES
        ),
        network=network,
        pk=pk,
    )


def issue_list_for_api(*, user, network: Network | None = None) -> QuerySet[Issue]:
    """Issues that went out, and every issue of the networks the user manages."""
    condition = Q(status__in=PUBLIC_STATUSES)
    if getattr(user, "is_superuser", False):
        condition = Q()
    elif user is not None and user.is_authenticated:
        condition |= Q(network_id__in=roles_for(user).coordinates)
    qs = Issue.objects.filter(condition).select_related("network")
    if network is not None:
        qs = qs.filter(network=network)
    return qs.order_by("-month", "-number", "-pk")


def issue_items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=IssueItem.objects.select_related(
            "news",
            "event",
            "event__municipality",
            "material",
            "material__event",
            "material__organisation",
        ).order_by("position", "pk"),
    )


def news_list_published(*, network: Network | None = None, today: date | None = None):
    """Published news (its publish date has come), newest first; of a network and those
    below it, or of every network."""
    today = today or timezone.localdate()
    qs = NewsItem.objects.filter(publish_on__lte=today).select_related("network")
    if network is not None:
        qs = qs.filter(network_id__in=NetworkTree.load().descendants(network.pk))
    return qs.order_by("-publish_on", "-pk")


def news_list_for_api(*, user, network: Network | None = None, today: date | None = None):
    """Published news, and every item of the networks the user manages."""
    today = today or timezone.localdate()
    condition = Q(publish_on__lte=today)
    if getattr(user, "is_superuser", False):
        condition = Q()
    elif user is not None and user.is_authenticated:
        condition |= Q(network_id__in=roles_for(user).coordinates)
    qs = NewsItem.objects.filter(condition).select_related("network")
    if network is not None:
        qs = qs.filter(network_id__in=NetworkTree.load().descendants(network.pk))
    return qs.order_by("-publish_on", "-pk")
