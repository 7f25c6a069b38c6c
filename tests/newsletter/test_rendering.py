"""The bulletin as e-mail: HTML that mail clients render (inlined styles, tables, no images
or tracking, dark-mode aware), the plain-text alternative, and dates in Finnish time in the
edition's language."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import gettext

from kotoverkko.events.models import Event
from kotoverkko.newsletter import services
from kotoverkko.newsletter.models import IssueItem
from kotoverkko.newsletter.rendering import issue_render
from tests.events.factories import EventFactory, OnlineEventFactory
from tests.factories import municipality
from tests.newsletter.conftest import subscribe
from tests.newsletter.factories import IssueFactory, NewsItemFactory, helsinki

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def in_language(language: str, message: str, **values) -> str:
    """A message of the code as the edition's language writes it (whatever the catalogues
    hold when the tests run)."""
    with translation.override(language):
        text = gettext(message)
    return text % values if values else text


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


@pytest.fixture
def issue(pomako):
    """A POMAKO issue with an introduction, news, an in-person training, a Teams meeting and
    a text, in Finnish and Swedish."""
    issue = IssueFactory(
        network=pomako,
        month=date(2026, 9, 1),
        title_fi="POMAKO-briiffi 9/2026",
        title_sv="POMAKO-briefing 9/2026",
        introduction_fi="Hyvää syksyä!\n\nTässä syyskuun asiat & tapahtumat.",
        introduction_sv="Trevlig höst!\n\nHär är septembers ärenden.",
    )
    news = NewsItemFactory(
        network=pomako,
        scope="national",
        title_fi="Kotoutumislaki <uudistuu>",
        title_sv="Integrationslagen förnyas",
        text_fi="Laki tuli voimaan.\n\nLisätietoja: https://tem.fi/kotoutuminen",
        text_sv="Lagen trädde i kraft.",
        link="https://tem.fi/kotoutumislaki?a=1&b=2",
    )
    training = EventFactory(
        network=pomako,
        type=Event.Type.TRAINING,
        title_fi="Selkokielen koulutus",
        title_sv="Utbildning i lättläst språk",
        starts_at=helsinki(2026, 9, 3, 9),
        ends_at=helsinki(2026, 9, 3, 10, 30),
        venue_name="Vaasan kaupungintalo",
        street_address="Kauppapuistikko 11",
        municipality=municipality("905"),
        checklist=False,
    )
    meeting = OnlineEventFactory(
        network=pomako,
        title_fi="POMAKO-verkoston kuukausitapaaminen",
        title_sv="POMAKO-nätverkets månadsmöte",
        theme_fi="Kotoutumisen selonteko",
        theme_sv="Redogörelsen om integration",
        starts_at=helsinki(2026, 9, 24, 9),
        ends_at=helsinki(2026, 9, 25, 11),
        checklist=False,
    )
    for position, (kind, extra) in enumerate(
        [
            ("news", {"news": news}),
            ("event", {"event": training}),
            ("event", {"event": meeting}),
            ("text", {"heading_fi": "Puhujia haetaan", "text_fi": "Ilmoita meille!"}),
        ]
    ):
        IssueItem.objects.create(issue=issue, position=position, kind=kind, **extra)
    return issue


def test_html_is_table_based_with_inline_styles_and_no_images(issue):
    # when
    subject, html, _text = issue_render(issue, "fi")

    # then
    tags = elements(html)
    names = [name for name, _attrs in tags]
    assert subject == "POMAKO-briiffi 9/2026"
    assert "img" not in names
    assert not re.search(r"url\(|background=|<link|<script|<iframe|<form", html, re.IGNORECASE)
    tables = [attrs for name, attrs in tags if name == "table"]
    assert tables
    assert all(attrs.get("role") == "presentation" for attrs in tables)
    assert any("max-width:600px" in attrs.get("style", "") for attrs in tables)
    styled = {"td", "h1", "h2", "h3", "p", "a", "body"}
    unstyled = [(n, a) for n, a in tags if n in styled and not a.get("style")]
    assert unstyled == []
    assert ("html", {"lang": "fi", "dir": "ltr"}) in tags
    assert ("meta", {"name": "color-scheme", "content": "light dark"}) in tags
    # The only style sheet is the dark-mode enhancement.
    sheet = re.search(r"<style>(.*?)</style>", html, re.DOTALL).group(1)
    assert sheet.strip().startswith("@media (prefers-color-scheme: dark)")


def test_html_links_go_to_the_events_news_and_footer_placeholders(issue):
    # when
    _subject, html, _text = issue_render(issue, "fi")

    # then
    links = [attrs["href"] for name, attrs in elements(html) if name == "a"]
    training, meeting = issue.items.filter(kind="event").order_by("position")
    assert "https://tem.fi/kotoutumislaki?a=1&b=2" in links
    assert "https://tem.fi/kotoutuminen" in links
    assert f"http://127.0.0.1:8000/fi/events/{training.event_id}/" in links
    assert f"http://127.0.0.1:8000/fi/events/{meeting.event_id}/" in links
    assert "%%unsubscribe_url%%" in links
    assert "%%preferences_url%%" in links
    assert f"http://127.0.0.1:8000/fi/networks/pomako/newsletter/{issue.pk}/" in links
    assert "mailto:pomako@example.fi" in links
    assert "Kotoutumislaki &lt;uudistuu&gt;" in html
    assert "asiat &amp; tapahtumat" in html


def test_events_show_finnish_time_place_and_online_in_the_editions_language(issue):
    # when
    _s, html_fi, text_fi = issue_render(issue, "fi")
    _s, html_sv, text_sv = issue_render(issue, "sv")
    _s, _h, text_en = issue_render(issue, "en")

    # then
    assert (
        in_language(
            "fi",
            "%(day)s at %(start)s–%(end)s",
            day="Torstai 3. syyskuuta 2026",
            start="9.00",
            end="10.30",
        )
        in text_fi
    )
    assert "Vaasan kaupungintalo, Kauppapuistikko 11, Vaasa" in text_fi
    assert in_language("fi", "online (%(platform)s)", platform="Teams") in text_fi
    assert (
        in_language(
            "sv",
            "%(day)s at %(start)s–%(end)s",
            day="Torsdag 3 september 2026",
            start="09:00",
            end="10:30",
        )
        in text_sv
    )
    assert "Utbildning i lättläst språk" in html_sv
    assert "Redogörelsen om integration" in text_sv
    assert (
        in_language(
            "en",
            "%(day)s at %(start)s–%(end)s",
            day="Thursday Sept. 3, 2026",
            start="9 a.m.",
            end="10:30 a.m.",
        )
        in text_en
    )
    # The two-day meeting shows both days.
    both = in_language(
        "fi",
        "%(start_day)s at %(start)s – %(end_day)s at %(end)s",
        start_day="Torstai 24. syyskuuta 2026",
        start="9.00",
        end_day="Perjantai 25. syyskuuta 2026",
        end="11.00",
    )
    assert both in text_fi


def test_plain_text_has_the_same_content_and_every_link_in_full(issue):
    # when
    _subject, html, text = issue_render(issue, "fi")

    # then
    assert "<" not in text.replace("<uudistuu>", "")
    assert "Kotoutumislaki <uudistuu>" in text
    assert "asiat & tapahtumat" in text
    for href in re.findall(r'href="([^"]+)"', html):
        if href.startswith("mailto:"):
            assert href.removeprefix("mailto:") in text
        else:
            assert href.replace("&amp;", "&") in text
    assert f"== {in_language('fi', 'Trainings and events')} ==" in text
    assert "Puhujia haetaan" in text
    assert max(len(line) for line in text.splitlines()) < 998


def test_swedish_edition_falls_back_to_finnish_where_a_text_is_missing(issue):
    # when
    subject, html, text = issue_render(issue, "sv")

    # then
    assert subject == "POMAKO-briefing 9/2026"
    assert 'lang="sv"' in html
    assert "Trevlig höst!" in text
    assert "Integrationslagen förnyas" in text
    # The text item has only a Finnish version.
    assert "Puhujia haetaan" in text


def test_stored_mass_sending_carries_the_placeholders_for_delivery(issue, pomako):
    # given
    subscribe(pomako, "lukija@example.fi", "fi")

    # when
    edition = services.issue_send(issue=issue, actor=None, now=helsinki(2026, 9, 1))[0]

    # then
    for body in (edition.batch.body_html, edition.batch.body_text):
        assert "%%unsubscribe_url%%" in body
        assert "%%preferences_url%%" in body
    assert edition.batch.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
