"""Compiling, editing, testing, sending and scheduling bulletins, and the news they carry."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext

from kotoverkko.common.scheduler import scheduled_jobs
from kotoverkko.events.models import Event
from kotoverkko.library.models import Document
from kotoverkko.mailing.models import MailBatch, OutboxMessage, Subscription
from kotoverkko.mailing.services import outbox_deliver
from kotoverkko.mailing.subscriptions import mailing_list_for, preferences_url, unsubscribe_url
from kotoverkko.newsletter import services
from kotoverkko.newsletter.models import Edition, Issue, IssueItem, NewsItem
from kotoverkko.newsletter.rendering import default_title
from kotoverkko.newsletter.tasks import newsletter_compile_due, newsletter_send_due
from tests.events.factories import EventFactory
from tests.factories import NetworkFactory
from tests.newsletter.conftest import subscribe
from tests.newsletter.factories import IssueFactory, IssueItemFactory, NewsItemFactory, helsinki

pytestmark = pytest.mark.django_db

APRIL = date(2026, 4, 1)
COMPILED_AT = helsinki(2026, 4, 1, 8)


def event(network, title: str, start, **kwargs) -> Event:
    return EventFactory(
        network=network,
        title_fi=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        checklist=False,
        **kwargs,
    )


def material(event_: Event, title: str, uploaded_at) -> Document:
    row = Document.objects.create(
        event=event_,
        network=event_.network,
        visibility="public" if event_.is_public else "members",
        title_fi=title,
        file=ContentFile(b"%PDF-1.4 slides", name="kalvot.pdf"),
        original_name="kalvot.pdf",
        content_type="application/pdf",
        size=15,
    )
    Document.objects.filter(pk=row.pk).update(uploaded_at=uploaded_at)
    return row


def kinds_and_titles(issue: Issue) -> list[tuple[str, str]]:
    rows = []
    for item in issue.items.select_related("news", "event", "material").order_by("position"):
        target = item.news or item.event or item.material
        title = getattr(target, "title_fi", None) or getattr(target, "title", None)
        rows.append((item.kind, title if target else item.heading_fi))
    return rows


# Compiling ----------------------------------------------------------------------------------


def test_compile_gathers_the_months_news_coming_public_events_and_new_materials(mako):
    # given
    regional = mako.children.get()
    NewsItemFactory(
        network=mako, title_fi="Kansallinen", scope="national", publish_on=date(2026, 3, 20)
    )
    NewsItemFactory(network=mako, title_fi="Alueellinen", publish_on=date(2026, 3, 10))
    NewsItemFactory(network=regional, title_fi="Meri-Lapista", publish_on=date(2026, 4, 1))
    NewsItemFactory(network=mako, title_fi="Liian vanha", publish_on=date(2026, 2, 27))
    NewsItemFactory(network=mako, title_fi="Tulevaisuudessa", publish_on=date(2026, 4, 2))
    NewsItemFactory(network=NetworkFactory(), title_fi="Muualta", publish_on=date(2026, 3, 15))
    event(mako, "Verkostotapaaminen", helsinki(2026, 4, 8))
    event(mako, "Koulutus", helsinki(2026, 4, 20), type=Event.Type.TRAINING)
    event(mako, "Tietoisku", helsinki(2026, 4, 9), type=Event.Type.INFO_SESSION)
    event(mako, "Jäsenille", helsinki(2026, 4, 10), visibility=Event.Visibility.MEMBERS)
    event(mako, "Luonnos", helsinki(2026, 4, 11), visibility=Event.Visibility.DRAFT)
    event(mako, "Peruttu", helsinki(2026, 4, 12), status=Event.Status.CANCELLED)
    event(mako, "Liian kaukana", helsinki(2026, 5, 20))
    past = event(mako, "Mennyt seminaari", helsinki(2026, 3, 15))
    closed = event(mako, "Suljettu", helsinki(2026, 3, 16), visibility=Event.Visibility.MEMBERS)
    material(past, "Seminaarin kalvot", helsinki(2026, 3, 16))
    material(past, "Vanhat kalvot", helsinki(2026, 2, 1))
    material(closed, "Sisäiset kalvot", helsinki(2026, 3, 17))

    # when
    issue = services.issue_compile(network=mako, month=date(2026, 4, 15), now=COMPILED_AT)

    # then
    assert issue.status == Issue.Status.DRAFT
    assert issue.month == APRIL
    assert issue.number == 1
    assert issue.title_fi == default_title(mako, APRIL, "fi")
    assert "Lapin MAKO-verkosto" in issue.title_fi
    assert "4/2026" in issue.title_fi
    assert issue.compiled_at == COMPILED_AT
    assert kinds_and_titles(issue) == [
        ("news", "Meri-Lapista"),
        ("news", "Alueellinen"),
        ("news", "Kansallinen"),
        ("event", "Tietoisku"),
        ("event", "Koulutus"),
        ("event", "Verkostotapaaminen"),
        ("material", "Seminaarin kalvot"),
    ]


def test_compiling_the_month_again_returns_the_same_issue_unchanged(mako):
    # given
    NewsItemFactory(network=mako, publish_on=date(2026, 3, 10))
    first = services.issue_compile(network=mako, month=APRIL, now=COMPILED_AT)
    IssueItem.objects.filter(issue=first).delete()
    NewsItemFactory(network=mako, publish_on=date(2026, 3, 11))

    # when
    again = services.issue_compile(network=mako, month=APRIL, now=COMPILED_AT + timedelta(hours=1))

    # then
    assert again.pk == first.pk
    assert Issue.objects.filter(network=mako).count() == 1
    assert not again.items.exists()


def test_an_extra_issue_gets_the_next_number_and_leaves_carried_news_out(mako):
    # given
    carried = NewsItemFactory(network=mako, title_fi="Jo lähetetty", publish_on=date(2026, 3, 10))
    services.issue_compile(network=mako, month=APRIL, now=COMPILED_AT)
    NewsItemFactory(network=mako, title_fi="Uusi", publish_on=date(2026, 4, 10))

    # when
    extra = services.issue_compile(network=mako, month=APRIL, now=helsinki(2026, 4, 12), extra=True)

    # then
    assert extra.number == 2
    with translation.override("fi"):
        expected = gettext("%(title)s (extra issue %(number)s)") % {
            "title": default_title(mako, APRIL, "fi"),
            "number": 2,
        }
    assert extra.title_fi == expected
    assert kinds_and_titles(extra) == [("news", "Uusi")]
    assert carried.pk not in extra.items.values_list("news_id", flat=True)


def test_a_team_gets_no_bulletin(mako):
    # given
    team = NetworkFactory(kind="team", parent=mako)

    # when / then
    with pytest.raises(ValidationError):
        services.issue_compile(network=team, month=APRIL, now=COMPILED_AT)


def test_next_bulletin_lists_only_materials_uploaded_since_the_previous_one(mako):
    # given
    past = event(mako, "Seminaari", helsinki(2026, 3, 15))
    material(past, "Ennen maaliskuun tiedotetta", helsinki(2026, 2, 25))
    services.issue_compile(network=mako, month=date(2026, 3, 1), now=helsinki(2026, 3, 1, 8))
    material(past, "Maaliskuussa", helsinki(2026, 3, 16))

    # when
    issue = services.issue_compile(network=mako, month=APRIL, now=COMPILED_AT)

    # then
    assert [t for k, t in kinds_and_titles(issue) if k == "material"] == ["Maaliskuussa"]


# Editing ------------------------------------------------------------------------------------


@pytest.fixture
def draft(mako):
    issue = IssueFactory(network=mako)
    items = [IssueItemFactory(issue=issue, heading_fi=f"Kohta {n}", position=n) for n in range(3)]
    return issue, items


def headings(issue) -> list[str]:
    return list(issue.items.order_by("position").values_list("heading_fi", flat=True))


def test_items_move_up_and_down_and_can_be_put_in_any_order(draft):
    # given
    issue, (a, b, c) = draft

    # when
    services.issue_item_move(actor=None, issue=issue, item=c, direction="up")
    # then
    assert headings(issue) == ["Kohta 0", "Kohta 2", "Kohta 1"]

    # when
    services.issue_item_move(actor=None, issue=issue, item=a, direction="up")
    services.issue_items_reorder(actor=None, issue=issue, order=[b.pk, a.pk, c.pk])
    # then
    assert headings(issue) == ["Kohta 1", "Kohta 0", "Kohta 2"]
    assert list(issue.items.order_by("position").values_list("position", flat=True)) == [0, 1, 2]


def test_reorder_needs_every_item_once(draft):
    # given
    issue, (a, b, c) = draft

    # when / then
    with pytest.raises(ValidationError):
        services.issue_items_reorder(actor=None, issue=issue, order=[a.pk, b.pk])
    with pytest.raises(ValidationError):
        services.issue_items_reorder(actor=None, issue=issue, order=[a.pk, a.pk, c.pk])
    assert headings(issue) == ["Kohta 0", "Kohta 1", "Kohta 2"]


def test_removing_an_item_closes_the_gap_and_adding_puts_it_last(draft, mako):
    # given
    issue, (a, b, c) = draft
    news = NewsItemFactory(network=mako, title_fi="Lisätty uutinen")
    coming = event(mako, "Lisätty tapahtuma", helsinki(2026, 12, 1))

    # when
    services.issue_item_remove(actor=None, issue=issue, item=b)
    services.issue_item_add_news(actor=None, issue=issue, news=news)
    services.issue_item_add_event(actor=None, issue=issue, event=coming)
    services.issue_item_add_text(
        actor=None, issue=issue, data={"heading_fi": " Lopuksi ", "text_fi": "Kiitos!\r\n"}
    )

    # then
    assert kinds_and_titles(issue) == [
        ("text", "Kohta 0"),
        ("text", "Kohta 2"),
        ("news", "Lisätty uutinen"),
        ("event", "Lisätty tapahtuma"),
        ("text", "Lopuksi"),
    ]
    assert issue.items.get(heading_fi="Lopuksi").text_fi == "Kiitos!"


def test_only_the_networks_news_and_public_events_can_be_added(draft, mako):
    # given
    issue, _items = draft
    elsewhere = NetworkFactory()

    # when / then
    with pytest.raises(ValidationError, match="another network"):
        services.issue_item_add_news(
            actor=None, issue=issue, news=NewsItemFactory(network=elsewhere)
        )
    for visibility in (Event.Visibility.MEMBERS, Event.Visibility.DRAFT):
        hidden = event(mako, "Piilossa", helsinki(2026, 12, 1), visibility=visibility)
        with pytest.raises(ValidationError, match="public events"):
            services.issue_item_add_event(actor=None, issue=issue, event=hidden)
    with pytest.raises(ValidationError, match="public events"):
        services.issue_item_add_event(
            actor=None, issue=issue, event=event(elsewhere, "Muualla", helsinki(2026, 12, 1))
        )
    news = NewsItemFactory(network=mako)
    services.issue_item_add_news(actor=None, issue=issue, news=news)
    with pytest.raises(ValidationError, match="already"):
        services.issue_item_add_news(actor=None, issue=issue, news=news)
    assert issue.items.count() == 4


def test_a_text_item_needs_its_text_in_the_first_language(draft):
    # given
    issue, _items = draft

    # when / then
    with pytest.raises(ValidationError) as caught:
        services.issue_item_add_text(actor=None, issue=issue, data={"heading_fi": "Otsikko"})
    assert "text_fi" in caught.value.error_dict
    assert issue.items.count() == 3


def test_title_and_introduction_are_saved_trimmed(draft):
    # given
    issue, _items = draft

    # when
    services.issue_update(
        actor=None,
        issue=issue,
        data={"title_fi": "  Huhtikuun   tiedote ", "introduction_fi": "Hei!\r\n\r\nTervetuloa.\n"},
    )

    # then
    issue.refresh_from_db()
    assert issue.title_fi == "Huhtikuun tiedote"
    assert issue.introduction_fi == "Hei!\n\nTervetuloa."
    with pytest.raises(ValidationError):
        services.issue_update(actor=None, issue=issue, data={"title_fi": " "})


# Sending ------------------------------------------------------------------------------------


@pytest.fixture
def pomako_list(pomako, mako):
    """POMAKO's list: readers of Finnish, Swedish and English, and some who get nothing."""
    people = {
        "fi": subscribe(pomako, "suomi@example.fi", "fi"),
        "sv": subscribe(pomako, "svenska@example.fi", "sv"),
        "en": subscribe(pomako, "english@example.fi", "en"),
        "sv2": subscribe(pomako, "svenska2@example.fi", "sv"),
    }
    gone = subscribe(pomako, "lahtenyt@example.fi", "sv")
    Subscription.objects.filter(subscriber=gone).update(status=Subscription.Status.UNSUBSCRIBED)
    suppressed = subscribe(pomako, "pomppaa@example.fi", "fi")
    suppressed.suppressed_at = COMPILED_AT
    suppressed.save()
    subscribe(mako, "vain.mako@example.fi", "fi")
    return people


@pytest.fixture
def pomako_issue(pomako):
    issue = IssueFactory(network=pomako, title_sv="Briefing 4/2026")
    IssueItemFactory(issue=issue, heading_sv="Hälsning", text_sv="God vår!")
    return issue


def test_send_makes_one_batch_per_edition_with_the_readers_of_its_language(
    pomako, pomako_list, pomako_issue
):
    # when
    editions = services.issue_send(issue=pomako_issue, actor=None, now=COMPILED_AT)

    # then
    assert [e.language for e in editions] == ["fi", "sv"]
    recipients = {
        e.language: set(e.batch.messages.values_list("to_email", flat=True)) for e in editions
    }
    assert recipients == {
        "fi": {"suomi@example.fi", "english@example.fi"},
        "sv": {"svenska@example.fi", "svenska2@example.fi"},
    }
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    sv_subscriber = pomako_list["sv"]
    assert f"issue:{pomako_issue.pk}:sv:{sv_subscriber.pk}" in keys
    assert MailBatch.objects.count() == 2
    assert all(e.batch.mailing_list == mailing_list_for(pomako) for e in editions)
    pomako_issue.refresh_from_db()
    assert pomako_issue.status == Issue.Status.SENDING
    assert pomako_issue.sent_at == COMPILED_AT
    swedish = Edition.objects.get(issue=pomako_issue, language="sv")
    assert swedish.subject == "Briefing 4/2026"
    assert "Hälsning" in swedish.body_html
    assert swedish.batch.subject == "Briefing 4/2026"


def test_a_swedish_subscriber_gets_the_swedish_edition(pomako, pomako_list, pomako_issue):
    # when
    services.issue_send(issue=pomako_issue, actor=None, now=COMPILED_AT)

    # then
    message = OutboxMessage.objects.get(to_email="svenska@example.fi")
    assert message.batch.language == "sv"
    assert 'lang="sv"' in message.batch.body_html
    english = OutboxMessage.objects.get(to_email="english@example.fi")
    assert english.batch.language == "fi"


def test_an_issue_is_sent_once_and_then_frozen(pomako, pomako_list, pomako_issue):
    # given
    services.issue_send(issue=pomako_issue, actor=None, now=COMPILED_AT)
    item = pomako_issue.items.get()

    # when / then
    with pytest.raises(ValidationError, match="sent"):
        services.issue_send(issue=pomako_issue, actor=None, now=COMPILED_AT)
    with pytest.raises(ValidationError, match="sent"):
        services.issue_item_remove(actor=None, issue=pomako_issue, item=item)
    with pytest.raises(ValidationError, match="sent"):
        services.issue_update(actor=None, issue=pomako_issue, data={"title_fi": "Uusi"})
    assert OutboxMessage.objects.count() == 4
    assert Edition.objects.count() == 2


def test_an_empty_issue_is_not_sent(pomako, pomako_list):
    # given
    issue = IssueFactory(network=pomako)

    # when / then
    with pytest.raises(ValidationError, match="empty"):
        services.issue_send(issue=issue, actor=None, now=COMPILED_AT)
    assert not MailBatch.objects.exists()
    assert not Edition.objects.exists()


def test_delivery_fills_each_subscribers_links_and_then_the_issue_counts_as_sent(
    pomako, pomako_list, pomako_issue
):
    # given
    services.issue_send(issue=pomako_issue, actor=None, now=COMPILED_AT)
    assert not services.issue_delivery_check(issue=pomako_issue)

    # when
    outbox_deliver()
    delivered = services.issues_delivery_check()

    # then
    assert delivered == 1
    pomako_issue.refresh_from_db()
    assert pomako_issue.status == Issue.Status.SENT
    assert len(mail.outbox) == 4
    swedish = next(m for m in mail.outbox if m.to == ["svenska@example.fi"])
    html = swedish.alternatives[0][0]
    reader = pomako_list["sv"]
    own_link = unsubscribe_url(reader.pk, mailing_list_for(pomako).pk)
    for body in (swedish.body, html):
        assert "%%" not in body
        assert own_link.replace("&", "&amp;") in body or own_link in body
        assert preferences_url(reader.pk, "sv") in body
    assert swedish.subject == "Briefing 4/2026"


def test_test_send_goes_to_the_coordinator_only_in_each_edition(
    pomako, pomako_list, pomako_issue, coordinators
):
    # given
    user = coordinators["pomako"].user

    # when
    messages = services.issue_send_test(issue=pomako_issue, user=user)
    swedish_only = services.issue_send_test(issue=pomako_issue, user=user, language="sv")

    # then
    assert [m.language for m in messages] == ["fi", "sv"]
    assert {m.to_email for m in [*messages, *swedish_only]} == {"pomako.koordinaattori@example.fi"}
    assert [m.language for m in swedish_only] == ["sv"]
    with translation.override("sv"):
        assert messages[1].subject == gettext("Test: %(subject)s") % {"subject": "Briefing 4/2026"}
    assert "%%" not in messages[1].body_html
    assert "/newsletter/" in messages[1].body_text
    assert not MailBatch.objects.exists()
    pomako_issue.refresh_from_db()
    assert pomako_issue.status == Issue.Status.DRAFT
    with pytest.raises(ValidationError):
        services.issue_send_test(issue=pomako_issue, user=user, language="en")


# Scheduling ---------------------------------------------------------------------------------


def test_scheduled_issue_is_sent_when_its_time_comes(pomako, pomako_list, pomako_issue):
    # given
    when = helsinki(2026, 4, 2, 9)
    services.issue_schedule(actor=None, issue=pomako_issue, when=when, now=COMPILED_AT)

    # when
    early = services.issues_send_due(now=when - timedelta(minutes=1))
    on_time = services.issues_send_due(now=when + timedelta(seconds=30))
    again = services.issues_send_due(now=when + timedelta(minutes=2))

    # then
    assert (early, on_time, again) == (0, 1, 0)
    pomako_issue.refresh_from_db()
    assert pomako_issue.status == Issue.Status.SENDING
    assert pomako_issue.sent_at == when + timedelta(seconds=30)
    assert MailBatch.objects.count() == 2
    assert OutboxMessage.objects.count() == 4


def test_an_unscheduled_issue_stays_a_draft(pomako, pomako_list, pomako_issue):
    # given
    when = helsinki(2026, 4, 2, 9)
    services.issue_schedule(actor=None, issue=pomako_issue, when=when, now=COMPILED_AT)

    # when
    services.issue_unschedule(actor=None, issue=pomako_issue)
    sent = services.issues_send_due(now=when + timedelta(hours=1))

    # then
    assert sent == 0
    pomako_issue.refresh_from_db()
    assert pomako_issue.status == Issue.Status.DRAFT
    assert pomako_issue.scheduled_for is None
    assert not OutboxMessage.objects.exists()


def test_schedule_needs_a_time_in_the_coming_year(pomako_issue):
    # when / then
    for when in (COMPILED_AT - timedelta(minutes=1), COMPILED_AT + timedelta(days=400)):
        with pytest.raises(ValidationError) as caught:
            services.issue_schedule(actor=None, issue=pomako_issue, when=when, now=COMPILED_AT)
        assert "scheduled_for" in caught.value.error_dict
    pomako_issue.refresh_from_db()
    assert pomako_issue.status == Issue.Status.DRAFT


def test_drafts_are_compiled_on_the_compile_day_for_networks_with_a_list(settings, mako, pomako):
    # given
    settings.NEWSLETTER_COMPILE_DAY = 3
    mailing_list_for(mako)
    NewsItemFactory(network=mako, publish_on=date(2026, 4, 2))

    # when
    before = services.issues_compile_due(now=helsinki(2026, 4, 2, 12))
    on_the_day = services.issues_compile_due(now=helsinki(2026, 4, 3, 6))
    later_that_day = services.issues_compile_due(now=helsinki(2026, 4, 3, 18))

    # then
    assert before == []
    assert [issue.network for issue in on_the_day] == [mako]
    assert [issue.pk for issue in later_that_day] == [on_the_day[0].pk]
    assert Issue.objects.count() == 1
    assert on_the_day[0].items.count() == 1


def test_compile_day_moves_to_the_end_of_a_short_month(settings):
    # given
    settings.NEWSLETTER_COMPILE_DAY = 31

    # then
    assert services.compile_day(date(2026, 2, 1)) == 28
    assert services.compile_day(date(2026, 3, 1)) == 31


def test_the_scheduler_runs_the_bulletins_tasks(pomako, pomako_list, pomako_issue):
    # given
    jobs = {job.name: job for job in scheduled_jobs()}
    Issue.objects.filter(pk=pomako_issue.pk).update(
        status=Issue.Status.SCHEDULED, scheduled_for=COMPILED_AT
    )

    # when
    result = newsletter_send_due.call()

    # then
    assert jobs["newsletter-send"].task is newsletter_send_due
    assert jobs["newsletter-compile"].task is newsletter_compile_due
    assert result == {"sent": 1, "delivered": 0}
    assert Edition.objects.filter(issue=pomako_issue).count() == 2


# News ---------------------------------------------------------------------------------------


def test_news_needs_a_title_in_the_first_language_and_swedish_in_a_bilingual_network(mako, pomako):
    # when / then
    with pytest.raises(ValidationError) as caught:
        services.news_create(
            actor=None, network=mako, data={"title_sv": "Nyhet", "publish_on": APRIL}
        )
    assert set(caught.value.error_dict) == {"title_fi"}
    with pytest.raises(ValidationError) as caught:
        services.news_create(
            actor=None, network=pomako, data={"title_fi": "Uutinen", "publish_on": APRIL}
        )
    assert set(caught.value.error_dict) == {"title_sv"}
    assert not NewsItem.objects.exists()
    with pytest.raises(ValidationError) as caught:
        services.news_create(
            actor=None,
            network=mako,
            data={"title_fi": "Uutinen", "publish_on": APRIL, "link": "javascript:alert(1)"},
        )
    assert "link" in caught.value.error_dict


def test_news_is_saved_trimmed_and_changed(mako):
    # when
    news = services.news_create(
        actor=None,
        network=mako,
        data={
            "title_fi": "  Uusi   kotoutumislaki ",
            "text_fi": "Laki tuli voimaan.\r\n\r\nLue lisää.\r\n",
            "scope": "national",
            "publish_on": APRIL,
            "link": "https://example.fi/laki",
        },
    )
    services.news_update(actor=None, news=news, data={"title_fi": "Kotoutumislaki voimaan"})

    # then
    news.refresh_from_db()
    assert news.title_fi == "Kotoutumislaki voimaan"
    assert news.text_fi == "Laki tuli voimaan.\n\nLue lisää."
    assert news.scope == NewsItem.Scope.NATIONAL


def test_news_that_went_out_in_an_issue_cannot_be_deleted(pomako, pomako_list):
    # given
    sent = NewsItemFactory(network=pomako, title_sv="Nyhet")
    draft_only = NewsItemFactory(network=pomako, title_sv="Nyhet 2")
    issue = IssueFactory(network=pomako)
    services.issue_item_add_news(actor=None, issue=issue, news=sent)
    services.issue_send(issue=issue, actor=None, now=COMPILED_AT)
    other = IssueFactory(network=pomako, month=date(2026, 5, 1))
    services.issue_item_add_news(actor=None, issue=other, news=draft_only)

    # when / then
    with pytest.raises(ValidationError, match="archive"):
        services.news_delete(actor=None, news=sent)
    services.news_delete(actor=None, news=draft_only)
    assert list(NewsItem.objects.all()) == [sent]
    assert not other.items.exists()
