"""factory_boy factories for news and bulletin issues, and the networks the tests share."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from kotoverkko.newsletter.models import Issue, IssueItem, NewsItem
from tests.factories import NetworkFactory

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


class NewsItemFactory(DjangoModelFactory):
    class Meta:
        model = NewsItem

    network = factory.SubFactory(NetworkFactory)
    scope = NewsItem.Scope.REGIONAL
    title_fi = factory.Sequence(lambda n: f"Uutinen {n}")
    text_fi = "Ensimmäinen kappale.\n\nToinen kappale: https://example.fi/lisaa"
    link = "https://example.fi/uutinen"
    publish_on = date(2026, 3, 5)


class IssueFactory(DjangoModelFactory):
    class Meta:
        model = Issue

    network = factory.SubFactory(NetworkFactory)
    month = date(2026, 4, 1)
    number = 1
    title_fi = factory.LazyAttribute(lambda o: f"Tiedote {o.month.month}/{o.month.year}")
    status = Issue.Status.DRAFT


class IssueItemFactory(DjangoModelFactory):
    class Meta:
        model = IssueItem

    issue = factory.SubFactory(IssueFactory)
    kind = IssueItem.Kind.TEXT
    position = factory.Sequence(lambda n: n)
    heading_fi = "Tervehdys"
    text_fi = "Hyvää kevättä kaikille verkoston jäsenille."
