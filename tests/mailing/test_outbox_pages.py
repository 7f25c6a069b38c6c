"""The outbox pages: administrators read what was sent and send failed messages again."""

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from factory.django import DjangoModelFactory

from kotoverkko.mailing.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class OutboxMessageFactory(DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    key = factory.Sequence(lambda n: f"test-message:{n}")
    to_email = factory.Sequence(lambda n: f"member{n}@example.fi")
    from_email = "Kotoverkko <noreply@example.fi>"
    language = "fi"
    subject = factory.Sequence(lambda n: f"Verkostotapaaminen {n}")
    body_text = "Tervetuloa verkostotapaamiseen."


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def member_client(client):
    client.force_login(UserFactory())
    return client


def outbox_url(**query):
    url = reverse("mailing:outbox")
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    return url


def test_anonymous_visitor_is_sent_to_login(client):
    # given
    message = OutboxMessageFactory()

    # when
    responses = [
        client.get(outbox_url()),
        client.get(reverse("mailing:outbox_detail", kwargs={"pk": message.pk})),
    ]

    # then
    for response in responses:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_user_who_is_not_an_administrator_is_refused(member_client):
    # given
    message = OutboxMessageFactory(status=OutboxMessage.Status.FAILED)

    # when
    list_response = member_client.get(outbox_url())
    detail_response = member_client.get(reverse("mailing:outbox_detail", kwargs={"pk": message.pk}))
    retry_response = member_client.post(reverse("mailing:outbox_retry", kwargs={"pk": message.pk}))

    # then
    assert list_response.status_code == 403
    assert detail_response.status_code == 403
    assert retry_response.status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


def test_administrator_sees_messages_newest_first(admin_client):
    # given
    older = OutboxMessageFactory(subject="Kesäkuun tiedote")
    newer = OutboxMessageFactory(subject="Heinäkuun tiedote", status=OutboxMessage.Status.SENT)

    # when
    response = admin_client.get(outbox_url())

    # then
    assert response.status_code == 200
    page = response.context["page"]
    assert list(page.object_list) == [newer, older]
    html = response.content.decode()
    assert "Heinäkuun tiedote" in html
    assert reverse("mailing:outbox_detail", kwargs={"pk": older.pk}) in html
    assert '<th scope="col">' in html


def test_list_is_filtered_by_status(admin_client):
    # given
    failed = OutboxMessageFactory(status=OutboxMessage.Status.FAILED)
    OutboxMessageFactory(status=OutboxMessage.Status.SENT)
    OutboxMessageFactory(status=OutboxMessage.Status.QUEUED)

    # when
    response = admin_client.get(outbox_url(status="failed"))

    # then
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [failed]


def test_unknown_status_filter_is_a_clear_400(admin_client):
    # when
    response = admin_client.get(outbox_url(status="lost"))

    # then
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_list_is_paginated_by_fifty_and_keeps_the_filter(admin_client):
    # given
    OutboxMessageFactory.create_batch(51, status=OutboxMessage.Status.SENT)
    OutboxMessageFactory(status=OutboxMessage.Status.QUEUED)

    # when
    first = admin_client.get(outbox_url(status="sent"))
    second = admin_client.get(outbox_url(status="sent", page=2))
    beyond = admin_client.get(outbox_url(status="sent", page="x"))

    # then
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert "status=sent" in first.content.decode().split('rel="next"')[0].rsplit("href=", 1)[1]
    assert beyond.status_code == 200
    assert beyond.context["page"].number == 1


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(outbox_url())
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries):
    # given
    OutboxMessageFactory.create_batch(2)
    few = _list_queries(admin_client)
    OutboxMessageFactory.create_batch(45, status=OutboxMessage.Status.FAILED)

    # when / then
    with django_assert_num_queries(few):
        response = admin_client.get(outbox_url())
    assert len(response.context["page"].object_list) == 47


def test_detail_shows_headers_text_and_sandboxed_html(admin_client):
    # given
    message = OutboxMessageFactory(
        to_name="Aino Korhonen",
        body_text="Hei Aino,\n\n<tervetuloa> & kiitos",
        body_html='<p>Hei "Aino"</p><script>alert(1)</script>',
        headers={"List-Unsubscribe": "<https://example.fi/unsubscribe/abc>"},
        attempts=2,
        last_error="SMTPRecipientsRefused: 450 Mailbox busy",
    )

    # when
    response = admin_client.get(reverse("mailing:outbox_detail", kwargs={"pk": message.pk}))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="row">List-Unsubscribe</th>' in html
    assert "&lt;https://example.fi/unsubscribe/abc&gt;" in html
    assert '<pre class="mail">Hei Aino,\n\n&lt;tervetuloa&gt; &amp; kiitos</pre>' in html
    assert (
        '<iframe sandbox srcdoc="&lt;p&gt;Hei &quot;Aino&quot;&lt;/p&gt;'
        '&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    )
    assert "<script>alert(1)" not in html
    assert "450 Mailbox busy" in html
    assert "Aino Korhonen" in html
    assert reverse("mailing:outbox_retry", kwargs={"pk": message.pk}) not in html


def test_failed_message_has_a_send_again_button(admin_client):
    # given
    message = OutboxMessageFactory(status=OutboxMessage.Status.FAILED, attempts=1)

    # when
    response = admin_client.get(reverse("mailing:outbox_detail", kwargs={"pk": message.pk}))

    # then
    html = response.content.decode()
    assert f'action="{reverse("mailing:outbox_retry", kwargs={"pk": message.pk})}"' in html
    assert 'method="post"' in html


def test_send_again_queues_a_failed_message(admin_client, django_capture_on_commit_callbacks):
    # given
    message = OutboxMessageFactory(status=OutboxMessage.Status.FAILED, attempts=8)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse("mailing:outbox_retry", kwargs={"pk": message.pk}))

    # then
    assert response.status_code == 302
    assert response.url == reverse("mailing:outbox_detail", kwargs={"pk": message.pk})
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 0
    assert len(callbacks) == 1


def test_send_again_of_a_message_that_did_not_fail_is_a_clear_400(admin_client):
    # given
    message = OutboxMessageFactory(status=OutboxMessage.Status.SENT)

    # when the English page is used
    with translation.override("en"):
        url = reverse("mailing:outbox_retry", kwargs={"pk": message.pk})
    response = admin_client.post(url)

    # then
    assert response.status_code == 400
    assert "Only a message whose delivery failed can be sent again." in response.content.decode()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_send_again_needs_post(admin_client):
    # given
    message = OutboxMessageFactory(status=OutboxMessage.Status.FAILED)

    # when
    response = admin_client.get(reverse("mailing:outbox_retry", kwargs={"pk": message.pk}))

    # then
    assert response.status_code == 405
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


def test_unknown_message_is_404(admin_client):
    # when
    response = admin_client.get(reverse("mailing:outbox_detail", kwargs={"pk": 999999}))

    # then
    assert response.status_code == 404


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_outbox_page_is_served_in_every_language(admin_client, language):
    # given
    OutboxMessageFactory()

    # when
    response = admin_client.get(f"/{language}/outbox/")

    # then
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
