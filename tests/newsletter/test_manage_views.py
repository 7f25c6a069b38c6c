"""The coordinators' bulletin pages: permissions, the issue list, the editor (items,
introduction, adding), preview, a test to oneself, sending with its confirmation, scheduling,
news pages, bad input, query counts and languages."""

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kotoverkko.mailing.models import MailBatch, OutboxMessage
from kotoverkko.newsletter.models import Edition, Issue, IssueItem, NewsItem
from tests.events.factories import EventFactory
from tests.factories import NetworkFactory, person_with_login
from tests.newsletter.conftest import log_in, subscribe
from tests.newsletter.factories import IssueFactory, IssueItemFactory, NewsItemFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse(f"newsletter:{name}", args=args)


@pytest.fixture
def issue(mako):
    issue = IssueFactory(network=mako, month=date(2026, 11, 1), title_fi="Marraskuun tiedote")
    for n in range(3):
        IssueItemFactory(issue=issue, heading_fi=f"Kohta {n}", position=n)
    return issue


def item_headings(issue) -> list[str]:
    return list(issue.items.order_by("position").values_list("heading_fi", flat=True))


# Permissions --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, issue):
    # when
    response = client.get(url("manage_issue", issue.pk))

    # then
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_members_and_other_coordinators_are_refused(client, issue, pomako, coordinators):
    # given
    pomako_news = NewsItemFactory(network=pomako, title_sv="Nyhet")
    pomako_issue = IssueFactory(network=pomako)

    # when: a member of MAKO
    log_in(client, coordinators["member"])
    # then
    assert client.get(url("manage")).status_code == 403
    assert client.get(url("manage_issue", issue.pk)).status_code == 403

    # when: POMAKO's coordinator at MAKO's pages
    log_in(client, coordinators["pomako"])
    # then
    assert client.get(url("manage_issues", "lapin-mako")).status_code == 403
    assert client.get(url("manage_issue", issue.pk)).status_code == 403
    assert client.post(url("manage_issue", issue.pk), {"action": "remove"}).status_code == 403
    assert client.post(url("manage_send", issue.pk), {"confirm": "on"}).status_code == 403
    assert client.get(url("manage_preview", issue.pk)).status_code == 403
    assert client.get(url("manage_news", "lapin-mako")).status_code == 403
    assert client.get(url("manage_issue", 999_999)).status_code == 404
    assert client.get(url("manage_issues", "ei-ole")).status_code == 404
    # Her own are fine.
    assert client.get(url("manage_issue", pomako_issue.pk)).status_code == 200
    assert client.get(url("manage_news_edit", pomako_news.pk)).status_code == 200
    assert not MailBatch.objects.exists()
    assert issue.items.count() == 3


def test_the_index_lists_the_networks_the_coordinator_edits(client, coordinators):
    # given
    log_in(client, coordinators["mako"])

    # when
    response = client.get(url("manage"))

    # then
    assert response.status_code == 200
    assert [n.slug for n in response.context["networks"]] == ["lapin-mako", "meri-lapin-mako"]


def test_a_superuser_manages_every_network(client, issue):
    # given
    person = person_with_login()
    person.user.is_superuser = True
    person.user.save()
    log_in(client, person)

    # then
    assert client.get(url("manage_issue", issue.pk)).status_code == 200


# Issue list and compiling -------------------------------------------------------------------


def test_compile_button_makes_this_months_issue_once(client, mako, coordinators):
    # given
    log_in(client, coordinators["mako"])
    NewsItemFactory(network=mako, publish_on=timezone.localdate())

    # when
    first = client.post(url("manage_compile", "lapin-mako"))
    again = client.post(url("manage_compile", "lapin-mako"))
    extra = client.post(url("manage_compile", "lapin-mako"), {"extra": "1"})

    # then
    issues = list(Issue.objects.order_by("number"))
    assert [i.number for i in issues] == [1, 2]
    assert first["Location"] == again["Location"] == url("manage_issue", issues[0].pk)
    assert extra["Location"] == url("manage_issue", issues[1].pk)
    assert issues[0].month == timezone.localdate().replace(day=1)
    assert issues[0].items.count() == 1
    page = client.get(url("manage_issues", "lapin-mako"))
    assert page.context["month_issue"] == issues[0]
    assert client.get(url("manage_compile", "lapin-mako")).status_code == 405


def test_issue_list_query_count_does_not_grow_with_issues(client, mako, coordinators):
    # given
    log_in(client, coordinators["mako"])
    address = url("manage_issues", "lapin-mako")

    def make(count: int, start: int) -> None:
        for n in range(count):
            issue = IssueFactory(
                network=mako, month=date(2020 + (start + n) // 12, (start + n) % 12 + 1, 1)
            )
            IssueItemFactory(issue=issue)

    make(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(address).context["issues"]) == 3
    make(17, 3)

    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)

    # then
    assert len(response.context["issues"]) == 20
    assert len(many) == len(few)


# The editor ---------------------------------------------------------------------------------


def test_items_are_moved_and_removed_from_the_editor(client, issue, coordinators):
    # given
    log_in(client, coordinators["mako"])
    first, second, third = issue.items.order_by("position")
    address = url("manage_issue", issue.pk)

    # when
    down = client.post(address, {"action": "down", "item": first.pk})
    removed = client.post(address, {"action": "remove", "item": third.pk})

    # then
    assert down.status_code == removed.status_code == 302
    assert item_headings(issue) == ["Kohta 1", "Kohta 0"]


def test_news_events_and_texts_are_added_from_the_editor(client, issue, mako, coordinators):
    # given
    log_in(client, coordinators["mako"])
    news = NewsItemFactory(network=mako, title_fi="Uusi uutinen", publish_on=timezone.localdate())
    event = EventFactory(network=mako, title_fi="Tuleva koulutus", checklist=False)
    address = url("manage_issue", issue.pk)
    page = client.get(address)
    assert news in page.context["news_form"].objects.values()
    assert event in page.context["event_form"].objects.values()

    # when
    client.post(address, {"action": "add_news", "news-choice": news.pk})
    client.post(address, {"action": "add_event", "event-choice": event.pk})
    client.post(
        address,
        {"action": "add_text", "text-heading_fi": "Loppusanat", "text-text_fi": "Kiitos!"},
    )

    # then
    kinds = list(issue.items.order_by("position").values_list("kind", "news", "event"))
    assert kinds[3:] == [("news", news.pk, None), ("event", None, event.pk), ("text", None, None)]
    assert issue.items.get(position=5).heading_fi == "Loppusanat"


def test_editor_refuses_bad_input_with_400_and_saves_nothing(client, issue, mako, coordinators):
    # given
    log_in(client, coordinators["mako"])
    address = url("manage_issue", issue.pk)
    foreign = IssueItemFactory(issue=IssueFactory(network=mako, month=date(2026, 10, 1)))
    elsewhere = NewsItemFactory(network=NetworkFactory())
    hidden = EventFactory(network=mako, visibility="members", checklist=False)

    # when
    answers = [
        client.post(address, {"action": "remove", "item": foreign.pk}),
        client.post(address, {"action": "up", "item": "x"}),
        client.post(address, {"action": "explode"}),
        client.post(address, {"action": "add_news", "news-choice": elsewhere.pk}),
        client.post(address, {"action": "add_event", "event-choice": hidden.pk}),
        client.post(address, {"action": "add_text", "text-heading_fi": "Vain otsikko"}),
        client.post(address, {"action": "save", "issue-title_fi": ""}),
    ]

    # then
    assert [a.status_code for a in answers] == [400] * 7
    assert b"Choose one from the list." in answers[3].content
    assert b"Write the text." in answers[5].content
    assert issue.items.count() == 3
    assert foreign.__class__.objects.filter(pk=foreign.pk).exists()
    issue.refresh_from_db()
    assert issue.title_fi == "Marraskuun tiedote"


def test_title_and_introduction_are_saved_from_the_editor(client, issue, coordinators):
    # given
    log_in(client, coordinators["mako"])

    # when
    response = client.post(
        url("manage_issue", issue.pk),
        {
            "action": "save",
            "issue-title_fi": "Marraskuu 2026",
            "issue-introduction_fi": "Hei kaikki!\r\n\r\nTässä kuun asiat.",
            "issue-title_en": "November 2026",
        },
    )

    # then
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.title_fi == "Marraskuu 2026"
    assert issue.title_en == "November 2026"
    assert issue.introduction_fi == "Hei kaikki!\n\nTässä kuun asiat."


def test_editor_query_count_does_not_grow_with_items(client, issue, mako, coordinators):
    # given
    log_in(client, coordinators["mako"])
    address = url("manage_issue", issue.pk)

    def add(count: int) -> None:
        for _n in range(count):
            news = NewsItemFactory(network=mako)
            IssueItem.objects.create(issue=issue, kind="news", news=news, position=99)
            event = EventFactory(network=mako, checklist=False)
            IssueItem.objects.create(issue=issue, kind="event", event=event, position=99)
            NewsItemFactory(network=mako, publish_on=timezone.localdate())
            EventFactory(network=mako, checklist=False)

    add(1)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(address).context["items"]) == 5
    add(8)

    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)

    # then
    assert len(response.context["items"]) == 21
    assert len(many) == len(few)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_editor_and_lists_work_in_every_language(client, issue, coordinators, language):
    # given
    log_in(client, coordinators["mako"])

    # when
    pages = [
        client.get(url("manage", language=language)),
        client.get(url("manage_issues", "lapin-mako", language=language)),
        client.get(url("manage_issue", issue.pk, language=language)),
        client.get(url("manage_preview", issue.pk, language=language)),
        client.get(url("manage_send", issue.pk, language=language)),
        client.get(url("manage_news", "lapin-mako", language=language)),
        client.get(url("manage_news_create", "lapin-mako", language=language)),
        client.get(url("manage_delete", issue.pk, language=language)),
    ]

    # then
    for page in pages:
        assert page.status_code == 200
        assert f'<html lang="{language}">' in page.content.decode()


# Preview and test ---------------------------------------------------------------------------


def test_preview_shows_the_html_in_a_sandboxed_frame_and_the_plain_text(
    client, pomako, coordinators
):
    # given
    issue = IssueFactory(network=pomako, title_sv="Briefing", introduction_sv="Hej <alla>!")
    log_in(client, coordinators["pomako"])

    # when
    response = client.get(url("manage_preview", issue.pk), {"language": "sv"})

    # then
    assert response.status_code == 200
    page = response.content.decode()
    frame = re.search(r'<iframe class="mail-preview" sandbox="" srcdoc="([^"]*)"', page)
    assert frame is not None
    document = html.unescape(frame.group(1))
    assert document.startswith("<!DOCTYPE html>")
    assert 'lang="sv"' in document
    assert "Hej &lt;alla&gt;!" in document
    assert "%%" not in document
    assert "Hej &lt;alla&gt;!" in page.split("<pre", 1)[1]
    assert response.context["subject"] == "Briefing"
    assert client.get(url("manage_preview", issue.pk), {"language": "en"}).status_code == 404


def test_a_test_is_sent_to_the_coordinator_only(client, pomako, coordinators):
    # given
    issue = IssueFactory(network=pomako, title_sv="Briefing")
    subscribe(pomako, "tilaaja@example.fi")
    log_in(client, coordinators["pomako"])

    # when
    response = client.post(url("manage_test", issue.pk), {"language": "sv"})
    bad = client.post(url("manage_test", issue.pk), {"language": "de"})

    # then
    assert response.status_code == 302
    assert bad.status_code == 400
    message = OutboxMessage.objects.get()
    assert message.to_email == "pomako.koordinaattori@example.fi"
    assert message.language == "sv"
    assert not MailBatch.objects.exists()


# Sending and scheduling ---------------------------------------------------------------------


def test_send_asks_for_confirmation_with_counts_then_sends(client, pomako, coordinators):
    # given
    issue = IssueFactory(network=pomako)
    IssueItemFactory(issue=issue)
    for n, language in enumerate(["fi", "fi", "sv", "en"]):
        subscribe(pomako, f"lukija{n}@example.fi", language)
    log_in(client, coordinators["pomako"])
    address = url("manage_send", issue.pk)

    # when
    confirm = client.get(address)
    unconfirmed = client.post(address, {})
    sent = client.post(address, {"confirm": "on"})

    # then
    assert confirm.context["counts"] == [
        {"language": "fi", "count": 3},
        {"language": "sv", "count": 1},
    ]
    assert confirm.context["total"] == 4
    assert unconfirmed.status_code == 400
    assert sent.status_code == 302
    assert Edition.objects.filter(issue=issue).count() == 2
    assert OutboxMessage.objects.filter(batch__isnull=False).count() == 4
    editor = client.get(url("manage_issue", issue.pk))
    assert editor.status_code == 200
    assert b"<progress" in editor.content
    assert not editor.context["editable"]
    again = client.get(address)
    assert again.status_code == 302


def test_a_sent_issue_cannot_be_changed_from_the_editor(client, pomako, coordinators):
    # given
    issue = IssueFactory(network=pomako, status=Issue.Status.SENT)
    item = IssueItemFactory(issue=issue)
    log_in(client, coordinators["pomako"])

    # when
    response = client.post(url("manage_issue", issue.pk), {"action": "remove", "item": item.pk})
    scheduled = client.post(
        url("manage_schedule", issue.pk), {"send_on": "2030-01-01", "send_at": "09:00"}
    )

    # then
    assert response.status_code == 400
    assert b"can no longer be changed" in response.content
    assert scheduled.status_code == 400
    assert issue.items.count() == 1


def test_issue_is_scheduled_and_unscheduled_from_the_editor(client, issue, coordinators):
    # given
    log_in(client, coordinators["mako"])
    tomorrow = timezone.localdate() + timedelta(days=1)

    # when
    past = client.post(
        url("manage_schedule", issue.pk), {"send_on": "2020-01-01", "send_at": "09:00"}
    )
    garbage = client.post(url("manage_schedule", issue.pk), {"send_on": "huomenna"})
    scheduled = client.post(
        url("manage_schedule", issue.pk), {"send_on": tomorrow.isoformat(), "send_at": "09:30"}
    )

    # then
    assert past.status_code == garbage.status_code == 400
    assert scheduled.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED
    local = timezone.localtime(issue.scheduled_for)
    assert (local.date(), local.hour, local.minute) == (tomorrow, 9, 30)

    # when
    client.post(url("manage_unschedule", issue.pk))

    # then
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert issue.scheduled_for is None


def test_a_draft_is_deleted_after_confirmation(client, issue, coordinators):
    # given
    log_in(client, coordinators["mako"])

    # when
    confirm = client.get(url("manage_delete", issue.pk))
    deleted = client.post(url("manage_delete", issue.pk))

    # then
    assert confirm.status_code == 200
    assert deleted["Location"] == url("manage_issues", "lapin-mako")
    assert not Issue.objects.filter(pk=issue.pk).exists()


# News pages ---------------------------------------------------------------------------------


def test_news_is_written_edited_and_deleted(client, mako, coordinators):
    # given
    log_in(client, coordinators["mako"])

    # when
    created = client.post(
        url("manage_news_create", "lapin-mako"),
        {
            "scope": "national",
            "publish_on": "2026-11-20",
            "link": "tem.fi/uutiset",
            "title_fi": "Uusi ohjelma",
            "text_fi": "Ohjelma julkaistiin.",
        },
    )
    news = NewsItem.objects.get()
    edited = client.post(
        url("manage_news_edit", news.pk),
        {"scope": "regional", "publish_on": "2026-11-21", "title_fi": "Uusi ohjelma!"},
    )
    deleted = client.post(url("manage_news_delete", news.pk))

    # then
    assert created.status_code == edited.status_code == deleted.status_code == 302
    assert not NewsItem.objects.exists()


def test_news_form_refuses_bad_input(client, pomako, coordinators):
    # given
    log_in(client, coordinators["pomako"])
    address = url("manage_news_create", "pomako")

    # when
    answers = [
        client.post(address, {"scope": "regional", "publish_on": "2026-11-20", "title_fi": "X"}),
        client.post(address, {"scope": "galactic", "publish_on": "2026-11-20"}),
        client.post(address, {"scope": "regional", "publish_on": "32.13.2026"}),
        client.post(
            address, {"scope": "regional", "publish_on": "2026-11-20", "title_fi": "X" * 201}
        ),
    ]

    # then
    assert [a.status_code for a in answers] == [400] * 4
    assert b"Swedish title" in answers[0].content
    assert not NewsItem.objects.exists()


def test_news_list_query_count_does_not_grow_with_news(client, mako, coordinators):
    # given
    log_in(client, coordinators["mako"])
    address = url("manage_news", "lapin-mako")
    NewsItemFactory.create_batch(2, network=mako)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(address).context["rows"]) == 2
    NewsItemFactory.create_batch(18, network=mako)

    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)

    # then
    assert len(response.context["rows"]) == 20
    assert len(many) == len(few)
