"""The public side of a network's bulletin: the archive of sent issues, one issue in the page's
layout and language, the news pages, and the RSS and Atom feeds of the news."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from kotoverkko.newsletter.models import Issue, NewsItem
from tests.newsletter.factories import IssueFactory, IssueItemFactory, NewsItemFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"newsletter:{name}", args=args)


@pytest.fixture
def issues(mako, pomako):
    """MAKO's sent, sending, scheduled and draft issues, and a sent issue of POMAKO."""
    rows = {}
    for month, status in [(8, "sent"), (9, "sending"), (10, "scheduled"), (11, "draft")]:
        issue = IssueFactory(
            network=mako,
            month=date(2026, month, 1),
            title_fi=f"MAKO {month}/2026 ({status})",
            status=status,
            sent_at=timezone.now() if status in ("sent", "sending") else None,
        )
        IssueItemFactory(issue=issue, heading_fi=f"Sisältö {month}", text_fi="Teksti.")
        rows[status] = issue
    rows["pomako"] = IssueFactory(
        network=pomako,
        title_fi="POMAKO-briiffi",
        title_sv="POMAKO-briefing",
        introduction_fi="Hyvää syksyä!",
        introduction_sv="Trevlig höst!",
        status="sent",
        sent_at=timezone.now(),
    )
    return rows


def test_archive_lists_only_issues_that_went_out(client, issues):
    # when
    page = client.get(url("archive", "lapin-mako")).content.decode()

    # then
    assert "MAKO 8/2026 (sent)" in page
    assert "MAKO 9/2026 (sending)" in page
    assert "scheduled" not in page
    assert "draft)" not in page
    assert "POMAKO" not in page


def test_an_issue_page_shows_a_sent_issue_and_nothing_else(client, issues):
    # when
    sent = client.get(url("archive_issue", "lapin-mako", issues["sent"].pk))
    draft = client.get(url("archive_issue", "lapin-mako", issues["draft"].pk))
    scheduled = client.get(url("archive_issue", "lapin-mako", issues["scheduled"].pk))
    wrong_network = client.get(url("archive_issue", "lapin-mako", issues["pomako"].pk))
    unknown = client.get(url("archive_issue", "ei-ole", issues["sent"].pk))

    # then
    assert sent.status_code == 200
    assert "Sisältö 8" in sent.content.decode()
    assert [draft.status_code, scheduled.status_code, wrong_network.status_code] == [404] * 3
    assert unknown.status_code == 404


def test_issue_page_speaks_the_pages_language_where_the_network_publishes_in_it(client, issues):
    # given
    pk = issues["pomako"].pk

    # when
    swedish = client.get(url("archive_issue", "pomako", pk, language="sv")).content.decode()
    english = client.get(url("archive_issue", "pomako", pk, language="en")).content.decode()

    # then
    assert '<html lang="sv">' in swedish
    assert 'lang="sv"' in swedish.split("<main", 1)[1]
    assert "Trevlig höst!" in swedish
    assert "POMAKO-briefing" in swedish
    assert '<html lang="en">' in english
    assert '<article class="bulletin" lang="fi">' in english
    assert "Hyvää syksyä!" in english


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_public_pages_work_in_every_language(client, issues, mako, language):
    # given
    news = NewsItemFactory(network=mako, publish_on=date(2026, 11, 1))

    # when
    pages = [
        client.get(url("archive", "lapin-mako", language=language)),
        client.get(url("archive_issue", "lapin-mako", issues["sent"].pk, language=language)),
        client.get(url("news", "lapin-mako", language=language)),
        client.get(url("news_detail", "lapin-mako", news.pk, language=language)),
    ]

    # then
    for page in pages:
        assert page.status_code == 200
        assert f'<html lang="{language}">' in page.content.decode()


def test_news_pages_show_only_published_news(client, mako, pomako):
    # given
    today = timezone.localdate()
    published = NewsItemFactory(network=mako, title_fi="Julkaistu", publish_on=today)
    waiting = NewsItemFactory(
        network=mako, title_fi="Odottaa", publish_on=today + timedelta(days=1)
    )
    NewsItemFactory(network=pomako, title_fi="Toiselta verkostolta", title_sv="Nyhet")

    # when
    page = client.get(url("news", "lapin-mako")).content.decode()

    # then
    assert "Julkaistu" in page
    assert "Odottaa" not in page
    assert "Toiselta verkostolta" not in page
    assert client.get(url("news_detail", "lapin-mako", published.pk)).status_code == 200
    assert client.get(url("news_detail", "lapin-mako", waiting.pk)).status_code == 404


def test_news_of_a_regional_network_shows_on_the_whole_networks_pages(client, mako):
    # given
    regional = mako.children.get()
    news = NewsItemFactory(network=regional, title_fi="Meri-Lapin uutinen")

    # when
    page = client.get(url("news", "lapin-mako")).content.decode()

    # then
    assert "Meri-Lapin uutinen" in page
    assert url("news_detail", "meri-lapin-mako", news.pk) in page


def _feed(client, name: str, slug: str, language: str = "fi") -> ET.Element:
    response = client.get(url(name, slug, language=language))
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - the feed this site just wrote


def test_rss_feed_is_valid_with_the_networks_published_news(client, mako):
    # given
    today = timezone.localdate()
    NewsItemFactory(network=mako, title_fi="Vanhempi", publish_on=today - timedelta(days=3))
    NewsItemFactory(
        network=mako,
        title_fi="Uusin & paras",
        text_fi="Teksti <b>ei</b> ole HTML:ää.",
        publish_on=today,
    )
    NewsItemFactory(network=mako, title_fi="Tuleva", publish_on=today + timedelta(days=2))

    # when
    root = _feed(client, "news_rss", "lapin-mako")

    # then
    channel = root.find("channel")
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    assert channel.findtext("language") == "fi"
    with translation.override("fi"):
        title = gettext("News of %(network)s") % {"network": "Lapin MAKO-verkosto"}
        regional = str(NewsItem.Scope.REGIONAL.label)
    assert channel.findtext("title") == title
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Uusin & paras", "Vanhempi"]
    assert "Teksti <b>ei</b> ole HTML:ää." in items[0].findtext("description")
    assert "/fi/networks/lapin-mako/news/" in items[0].findtext("link")
    assert items[0].findtext("guid").startswith("http://testserver/fi/networks/lapin-mako/news/")
    assert items[0].findtext("category") == regional


def test_atom_feed_is_valid_and_in_the_content_language(client, pomako):
    # given
    NewsItemFactory(network=pomako, title_fi="Uutinen", title_sv="Nyhet")

    # when
    swedish = _feed(client, "news_atom", "pomako", language="sv")
    english = _feed(client, "news_atom", "pomako", language="en")

    # then
    assert swedish.tag == f"{ATOM}feed"
    assert swedish.get(XML_LANG) == "sv"
    entries = swedish.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Nyhet"]
    assert entries[0].findtext(f"{ATOM}updated")
    assert entries[0].find(f"{ATOM}link").get("href").startswith("http://testserver/sv/")
    # POMAKO does not publish in English: its feed is in its first language.
    assert english.get(XML_LANG) == "fi"
    assert [e.findtext(f"{ATOM}title") for e in english.findall(f"{ATOM}entry")] == ["Uutinen"]


def test_feeds_of_an_unknown_network_are_404(client):
    # when / then
    assert client.get(url("news_rss", "ei-ole")).status_code == 404
    assert client.get(url("news_atom", "ei-ole")).status_code == 404


@pytest.mark.parametrize(
    ("name", "row"), [("archive", b">Tiedote "), ("news", b">Uutinen "), ("news_rss", b"<item>")]
)
def test_public_list_query_count_does_not_grow_with_rows(client, mako, name, row):
    # given
    address = url(name, "lapin-mako")

    def make(count: int, start: int) -> None:
        for n in range(start, start + count):
            NewsItemFactory(network=mako, publish_on=date(2026, 1, 1) + timedelta(days=n))
            IssueFactory(
                network=mako,
                month=date(2020 + n // 12, n % 12 + 1, 1),
                status=Issue.Status.SENT,
            )

    make(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    make(15, 2)

    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)

    # then
    assert response.status_code == 200
    assert response.content.count(row) == 17
    assert len(many) == len(few)
