"""Public pages of a network's bulletin and news: the archive of sent issues, one issue in
the site's layout, the news list and one news item, and the RSS and Atom feeds of the news.

Only issues that went out and news whose publish date has come are shown; drafts, scheduled
issues and news waiting for their date are nobody's business but the coordinators'.
"""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from kotoverkko.common.cache import cache_for_anonymous
from kotoverkko.network import selectors as network_selectors
from kotoverkko.network.models import Network

from . import rendering, selectors
from .models import NewsItem

PAGE_SIZE = 20
FEED_SIZE = 30


def _network_or_404(slug: str) -> Network:
    try:
        return network_selectors.network_get(slug=slug)
    except Network.DoesNotExist as exc:
        raise Http404 from exc


def _content_language(network: Network) -> str:
    """The page's language if the network publishes in it, else the network's first."""
    return selectors.edition_language(network, translation.get_language() or "fi")


@cache_for_anonymous
def archive(request, slug: str):
    network = _network_or_404(slug)
    page = Paginator(selectors.issue_list_sent(network=network), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = _content_language(network)
    with translation.override(language):
        rows = [
            {
                "issue": issue,
                "title": issue.title or rendering.default_title(network, issue.month, language),
            }
            for issue in page.object_list
        ]
    context = {"network": network, "page": page, "rows": rows, "language": language, "query": ""}
    return render(request, "newsletter/archive.html", context)


@cache_for_anonymous
def archive_issue(request, slug: str, pk: int):
    network = _network_or_404(slug)
    issue = selectors.issue_get_sent(network=network, pk=pk)
    language = _content_language(network)
    context = {
        "network": network,
        "issue": issue,
        "content": rendering.issue_content(issue, language),
        "language": language,
    }
    return render(request, "newsletter/archive_issue.html", context)


@cache_for_anonymous
def news_list(request, slug: str):
    network = _network_or_404(slug)
    page = Paginator(selectors.news_list_published(network=network), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = _content_language(network)
    context = {
        "network": network,
        "page": page,
        "rows": list(page.object_list),
        "language": language,
        "query": "",
    }
    with translation.override(language):
        # The content speaks the network's language; the page around it the visitor's.
        context["rows"] = [_news_row(news) for news in context["rows"]]
    return render(request, "newsletter/news_list.html", context)


def _news_row(news: NewsItem) -> dict:
    return {"news": news, "title": news.title, "text": news.text}


@cache_for_anonymous
def news_detail(request, slug: str, pk: int):
    network = _network_or_404(slug)
    news = get_object_or_404(selectors.news_list_published(network=network), pk=pk)
    language = _content_language(network)
    with translation.override(language):
        row = _news_row(news)
    context = {"network": network, "row": row, "language": language}
    return render(request, "newsletter/news_detail.html", context)


# Feeds --------------------------------------------------------------------------------------


class NewsFeed(Feed):
    """The network's published news, newest first, in the page's language where the network
    publishes in it."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug: str) -> Network:
        network = _network_or_404(slug)
        self.language = _content_language(network)
        return network

    def title(self, network: Network) -> str:
        with translation.override(self.language):
            return _("News of %(network)s") % {"network": network.name}

    def description(self, network: Network) -> str:
        with translation.override(self.language):
            return _("Regional and national news of %(network)s.") % {"network": network.name}

    def link(self, network: Network) -> str:
        return reverse("newsletter:news", kwargs={"slug": network.slug})

    def items(self, network: Network) -> list[NewsItem]:
        news = list(selectors.news_list_published(network=network)[:FEED_SIZE])
        with translation.override(self.language):
            for item in news:
                item.feed_title = item.title
                item.feed_text = item.text
        return news

    def item_title(self, item: NewsItem) -> str:
        return item.feed_title

    def item_description(self, item: NewsItem) -> str:
        text = item.feed_text
        if item.link:
            text = f"{text}\n\n{item.link}" if text else item.link
        return text

    def item_link(self, item: NewsItem) -> str:
        return reverse("newsletter:news_detail", kwargs={"slug": item.network.slug, "pk": item.pk})

    def item_guid(self, item: NewsItem) -> str:
        return self.request.build_absolute_uri(
            reverse("newsletter:news_detail", kwargs={"slug": item.network.slug, "pk": item.pk})
        )

    item_guid_is_permalink = True

    def item_pubdate(self, item: NewsItem) -> datetime:
        return timezone.make_aware(datetime.combine(item.publish_on, time(0)))

    def item_updateddate(self, item: NewsItem) -> datetime:
        return item.updated_at

    def item_categories(self, item: NewsItem) -> list[str]:
        return [str(item.get_scope_display())]


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, network: Network) -> str:
        return self.description(network)


@cache_for_anonymous
def news_rss(request, slug: str):
    return NewsFeed()(request, slug=slug)


@cache_for_anonymous
def news_atom(request, slug: str):
    return AtomNewsFeed()(request, slug=slug)
