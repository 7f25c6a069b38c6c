"""The bulletin demo: a year of MAKO bulletins and POMAKO briefings compiled from the demo's
news and events, a few hundred subscribers with consent records, some of whom left or
bounced; history recorded as sent without any mail."""

import time as clock
from collections import Counter
from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from kotoverkko.events.demo import events_demo_load
from kotoverkko.mailing import services as mailing_services
from kotoverkko.mailing.models import (
    Bounce,
    ConsentRecord,
    MailBatch,
    OutboxMessage,
    Subscriber,
    Subscription,
)
from kotoverkko.mailing.subscriptions import list_recipients, mailing_list_for
from kotoverkko.network.demo import demo_load
from kotoverkko.network.models import Network
from kotoverkko.newsletter.demo import newsletter_demo_load
from kotoverkko.newsletter.models import Edition, Issue, NewsItem

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = date(2026, 11, 23)
NOW = datetime.combine(TODAY, time(8)).replace(tzinfo=HELSINKI)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The network and events demos, then the bulletin demo at NOW; loaded once for the module
    and rolled back at its end."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with (
                mock.patch("kotoverkko.network.demo.events_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.library_demo_load", return_value={}),
                mock.patch("kotoverkko.network.demo.tray_demo_load", return_value={}),
                mock.patch(
                    "kotoverkko.network.demo.newsletter_demo_load", return_value={}, create=True
                ),
            ):
                demo_load()
            events_demo_load(today=TODAY)
            outbox_before = OutboxMessage.objects.filter(batch__isnull=True).count()
            started = clock.monotonic()
            counts = newsletter_demo_load(now=NOW)
            seconds = clock.monotonic() - started
        except BaseException as exc:
            outer.__exit__(type(exc), exc, exc.__traceback__)
            raise
    yield {"counts": counts, "seconds": seconds, "outbox_before": outbox_before}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_without_the_network_demo_nothing_is_loaded():
    # when / then
    with pytest.raises(ValueError, match="network demo"):
        newsletter_demo_load(now=NOW)
    assert not mailing_services.mail_is_suppressed()
    assert not Issue.objects.exists()


def test_loader_reports_what_it_made_quickly(loaded):
    # given
    counts = loaded["counts"]

    # then
    assert loaded["seconds"] < 20
    assert counts["news items"] == NewsItem.objects.count() >= 35
    assert counts["bulletin issues"] == Issue.objects.count() == 23
    # Members may be on the lists already, put there as their memberships began.
    assert counts["subscribers"] >= 270
    assert Subscriber.objects.count() >= 300
    assert Subscription.objects.count() >= counts["subscriptions"] >= 270
    assert counts["consent records"] > counts["subscriptions"]
    assert counts["unsubscribed"] >= 20
    assert counts["suppressed after bounces"] >= 5
    assert counts["left every list"] >= 1


def test_a_year_of_mako_bulletins_went_out_and_this_months_is_a_draft(loaded):
    # given
    mako = Network.objects.get(slug="lapin-mako")

    # when
    issues = list(Issue.objects.filter(network=mako).order_by("month"))

    # then
    assert [i.month for i in issues][0] == date(2025, 11, 1)
    assert [i.month for i in issues][-1] == date(2026, 11, 1)
    assert [i.status for i in issues] == [Issue.Status.SENT] * 12 + [Issue.Status.DRAFT]
    assert issues[0].title_fi == "Lapin MAKO-verkoston tiedote 11/2025"
    assert issues[0].sent_at.astimezone(HELSINKI).date() == date(2025, 11, 3)
    assert all(i.items.filter(kind="news").count() >= 2 for i in issues)
    assert sum(i.items.filter(kind="event").count() for i in issues) >= 5
    assert issues[-1].introduction_fi.startswith("Marraskuussa")
    assert set(Edition.objects.filter(issue__network=mako).values_list("language", flat=True)) == {
        "fi"
    }


def test_pomako_briefings_skip_the_summer_and_come_in_finnish_and_swedish(loaded):
    # given
    pomako = Network.objects.get(slug="pomako")

    # when
    issues = list(Issue.objects.filter(network=pomako).order_by("month"))

    # then
    assert {i.month.month for i in issues}.isdisjoint({6, 7, 8})
    assert len(issues) == 10
    sent = [i for i in issues if i.status == Issue.Status.SENT]
    assert len(sent) == 9
    languages = Counter(Edition.objects.filter(issue__in=sent).values_list("language", flat=True))
    assert languages == {"fi": 9, "sv": 9}
    swedish = Edition.objects.filter(issue=sent[-1], language="sv").get()
    assert "POMAKO-briefing" in swedish.subject
    assert 'lang="sv"' in swedish.body_html
    readers = set(swedish.batch.messages.values_list("subscriber__language", flat=True))
    assert readers == {"sv"}


def test_history_is_recorded_as_delivered_without_any_mail(loaded):
    # when
    batches = MailBatch.objects.all()
    messages = OutboxMessage.objects.filter(batch__isnull=False)

    # then
    assert batches.count() == 12 + 18
    assert set(batches.values_list("status", flat=True)) == {MailBatch.Status.DONE}
    assert set(messages.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert messages.count() >= 12 * 200
    assert OutboxMessage.objects.filter(batch__isnull=True).count() == loaded["outbox_before"]
    assert not messages.filter(created_at__date=TODAY).exists()
    assert not mailing_services.mail_is_suppressed()


def test_leavers_and_bounced_addresses_get_nothing_more(loaded):
    # given
    mako_list = mailing_list_for(Network.objects.get(slug="lapin-mako"))

    # when
    recipients = set(list_recipients(mako_list).values_list("pk", flat=True))
    left = Subscription.objects.filter(
        mailing_list=mako_list, status=Subscription.Status.UNSUBSCRIBED
    )
    suppressed = Subscriber.objects.filter(suppressed_at__isnull=False)

    # then
    assert left.exists()
    assert recipients.isdisjoint(left.values_list("subscriber_id", flat=True))
    assert recipients.isdisjoint(suppressed.values_list("pk", flat=True))
    for subscriber in suppressed:
        assert subscriber.hard_bounces == 3
        assert Bounce.objects.filter(subscriber=subscriber, kind="hard").count() == 3
    withdrawn = set(
        ConsentRecord.objects.filter(action="withdrawn", mailing_list=mako_list).values_list(
            "subscriber_id", flat=True
        )
    )
    assert set(left.values_list("subscriber_id", flat=True)) <= withdrawn
    assert ConsentRecord.objects.filter(action="withdrawn", basis="one_click").count() >= 10
    bases = Counter(ConsentRecord.objects.filter(action="given").values_list("basis", flat=True))
    assert bases["membership"] > 50
    assert bases["import"] == 120
    assert bases["form"] == 150


def test_loading_again_adds_nothing(loaded):
    # given
    before = (
        Issue.objects.count(),
        NewsItem.objects.count(),
        Subscriber.objects.count(),
        ConsentRecord.objects.count(),
        OutboxMessage.objects.count(),
    )

    # when
    counts = newsletter_demo_load(now=NOW)

    # then
    assert counts == {}
    after = (
        Issue.objects.count(),
        NewsItem.objects.count(),
        Subscriber.objects.count(),
        ConsentRecord.objects.count(),
        OutboxMessage.objects.count(),
    )
    assert after == before
