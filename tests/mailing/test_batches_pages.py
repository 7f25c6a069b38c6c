"""The mass sending pages: the administrators' list and detail, the progress partial that the
coordinators' bulletin pages poll, and pausing, resuming and cancelling from the browser."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kotoverkko.mailing import subscriptions
from kotoverkko.mailing.batches import batch_create
from kotoverkko.mailing.models import MailBatch, OutboxMessage
from kotoverkko.mailing.services import outbox_deliver
from tests.factories import NetworkFactory, TeamFactory, UserFactory, coordinator_of, member_of
from tests.mailing.factories import MailingListFactory, subscribed

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO", name_en="Lapland MAKO")


@pytest.fixture
def mailing_list(network):
    return MailingListFactory(network=network)


def sending(mailing_list, *, recipients=3, title="Syyskuun tiedote", key_prefix=None):
    people = [subscribed(mailing_list) for _ in range(recipients)]
    return batch_create(
        title=title,
        mailing_list=mailing_list,
        language="fi",
        subject="Syyskuun tiedote – Åbo",
        body_text="Hei!\n\nPeru tilaus: %%unsubscribe_url%%",
        body_html="<p>Hei!</p>",
        recipients=people,
        key_prefix=key_prefix or f"bulletin:{title}",
    )


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"mailing:{name}", kwargs=kwargs)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


# Who may see what ------------------------------------------------------------------------------


def test_administrator_sees_the_list_and_detail_in_every_language(admin_client, mailing_list):
    # given
    batch = sending(mailing_list)

    # when / then
    for language in ("fi", "sv", "en"):
        listing = admin_client.get(url("batch_list", language))
        detail = admin_client.get(url("batch_detail", language, pk=batch.pk))
        assert listing.status_code == 200
        assert detail.status_code == 200
        assert f'<html lang="{language}">' in listing.content.decode()
        assert f'<html lang="{language}">' in detail.content.decode()
        assert "Syyskuun tiedote" in listing.content.decode()
    content = admin_client.get(url("batch_detail", pk=batch.pk)).content.decode()
    assert "0 of 3 messages handled (0 %)" in content
    assert f'hx-get="{url("batch_progress", pk=batch.pk)}"' in content
    assert 'hx-trigger="every 2s"' in content
    assert "Pause the sending" in content


@pytest.mark.parametrize("name", ["batch_list", "batch_detail"])
def test_coordinator_and_member_cannot_open_the_administrators_pages(
    client, network, mailing_list, name
):
    # given
    batch = sending(mailing_list)
    kwargs = {"pk": batch.pk} if name == "batch_detail" else {}

    for person in (coordinator_of(network), member_of(network)):
        # when
        client.force_login(person.user)
        response = client.get(url(name, **kwargs))

        # then
        assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, mailing_list):
    # given
    batch = sending(mailing_list)

    # when
    response = client.get(url("batch_progress", pk=batch.pk))

    # then
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_progress_partial_is_for_the_lists_coordinators_and_administrators(
    client, network, mailing_list, smtp_server
):
    # given a sending with two of three messages sent
    batch = sending(mailing_list)
    outbox_deliver(limit=2)
    other_network = NetworkFactory()
    team = TeamFactory(parent=network)

    expectations = [
        (coordinator_of(network).user, 200),
        (UserFactory(is_superuser=True), 200),
        (coordinator_of(other_network).user, 403),
        (coordinator_of(team).user, 403),  # a team's coordinator does not run the network
        (member_of(network).user, 403),
    ]
    for user, status in expectations:
        # when
        client.force_login(user)
        response = client.get(url("batch_progress", pk=batch.pk))

        # then
        assert response.status_code == status
    client.force_login(coordinator_of(network).user)
    content = client.get(url("batch_progress", "fi", pk=batch.pk)).content.decode()
    assert '<progress id="batch-progress-bar-' in content
    assert 'max="3" value="2"' in content
    assert "(66 %)" in content
    assert "<html" not in content


def test_coordinator_of_a_parent_network_follows_a_sub_networks_sending(client, network):
    # given
    team = TeamFactory(parent=network)
    batch = sending(MailingListFactory(network=team))

    # when
    client.force_login(coordinator_of(network).user)
    response = client.get(url("batch_progress", pk=batch.pk))

    # then
    assert response.status_code == 200


def test_finished_sending_stops_the_polling(admin_client, mailing_list, smtp_server):
    # given
    batch = sending(mailing_list)
    outbox_deliver()

    # when
    content = admin_client.get(url("batch_progress", pk=batch.pk)).content.decode()

    # then
    assert "hx-get" not in content
    assert "3 of 3 messages handled (100 %)" in content


def test_list_page_query_count_does_not_grow_with_the_sendings(admin_client, network):
    # given
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url("batch_list"))
        assert response.status_code == 200
        return len(captured)

    mailing_list = MailingListFactory(network=network)
    sending(mailing_list, title="Ensimmäinen")
    few = queries_for_list()

    # when
    for number in range(6):
        other = MailingListFactory(network=NetworkFactory())
        sending(other, recipients=2, title=f"Tiedote {number}")
    many = queries_for_list()

    # then
    assert many == few


# Pausing, resuming, cancelling --------------------------------------------------------------


def test_administrator_pauses_resumes_and_cancels_a_sending(admin_client, mailing_list):
    # given
    batch = sending(mailing_list)

    # when
    paused = admin_client.post(url("batch_pause", pk=batch.pk))
    batch.refresh_from_db()

    # then
    assert paused.status_code == 302
    assert paused.url == url("batch_detail", pk=batch.pk)
    assert batch.status == MailBatch.Status.PAUSED
    detail = admin_client.get(paused.url).content.decode()
    assert "The sending is paused." in detail
    assert "Resume the sending" in detail

    # when
    admin_client.post(url("batch_resume", pk=batch.pk))
    admin_client.post(url("batch_cancel", pk=batch.pk))

    # then
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.CANCELLED
    assert set(batch.messages.values_list("status", flat=True)) == {OutboxMessage.Status.SKIPPED}


def test_coordinator_pauses_from_the_bulletin_page_and_goes_back_there(
    client, network, mailing_list
):
    # given
    batch = sending(mailing_list)
    client.force_login(coordinator_of(network).user)

    # when
    response = client.post(url("batch_pause", pk=batch.pk), {"next": "/en/bulletins/7/"})

    # then
    assert response.status_code == 302
    assert response.url == "/en/bulletins/7/"
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.PAUSED


def test_a_next_address_off_the_site_is_not_followed(client, network, mailing_list):
    # given
    batch = sending(mailing_list)
    client.force_login(coordinator_of(network).user)

    # when
    response = client.post(url("batch_pause", pk=batch.pk), {"next": "https://evil.example/"})

    # then
    assert response.status_code == 302
    assert response.url == url("batch_detail", pk=batch.pk)


def test_other_networks_coordinator_cannot_pause(client, mailing_list):
    # given
    batch = sending(mailing_list)
    client.force_login(coordinator_of(NetworkFactory()).user)

    # when
    response = client.post(url("batch_pause", pk=batch.pk))

    # then
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.SENDING


def test_pausing_twice_is_answered_with_400_and_the_reason(admin_client, client, network):
    # given
    batch = sending(MailingListFactory(network=network))
    admin_client.post(url("batch_pause", "fi", pk=batch.pk))

    # when
    again = admin_client.post(url("batch_pause", "en", pk=batch.pk))
    client.force_login(coordinator_of(network).user)
    by_coordinator = client.post(url("batch_resume", "en", pk=batch.pk))
    by_coordinator_again = client.post(url("batch_resume", "en", pk=batch.pk))

    # then
    assert again.status_code == 400
    assert "Only a sending in progress can be paused." in again.content.decode()
    assert by_coordinator.status_code == 302
    assert by_coordinator_again.status_code == 400
    assert "Only a paused sending can be resumed." in by_coordinator_again.content.decode()


def test_actions_take_only_post(admin_client, mailing_list):
    # given
    batch = sending(mailing_list)

    # when
    response = admin_client.get(url("batch_pause", pk=batch.pk))

    # then
    assert response.status_code == 405


def test_outbox_row_of_a_sending_links_to_it(admin_client, mailing_list):
    # given
    batch = sending(mailing_list, recipients=1)
    message = batch.messages.get()

    # when
    listing = admin_client.get(reverse("mailing:outbox")).content.decode()
    detail = admin_client.get(reverse("mailing:outbox_detail", kwargs={"pk": message.pk}))

    # then
    assert "Syyskuun tiedote – Åbo" in listing
    assert url("batch_detail", pk=batch.pk) in detail.content.decode()


def test_unsubscribe_link_placeholder_is_shown_on_the_detail_page(admin_client, mailing_list):
    # given
    batch = sending(mailing_list)

    # when
    content = admin_client.get(url("batch_detail", pk=batch.pk)).content.decode()

    # then the headers show what delivery fills in for each recipient
    assert "List-Unsubscribe" in content
    assert "%%unsubscribe_url%%" in content
    assert subscriptions.list_name(mailing_list, "fi") in content
