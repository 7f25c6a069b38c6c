"""The mailing list API: a list's subscriptions for those who manage its network."""

import pytest
from django.core.management import call_command
from django.urls import include, path

from kotoverkko.conf import urls as site_urls
from kotoverkko.mailing import subscriptions
from kotoverkko.mailing.models import ConsentRecord, OutboxMessage, Subscription
from tests.api.conftest import queries_for, token_client
from tests.factories import NetworkFactory, coordinator_of, member_of
from tests.mailing.factories import SubscriptionFactory, subscribed

# The site's addresses with the list API mounted where api/urls.py includes it.
urlpatterns = [
    path("api/v1/", include("kotoverkko.mailing.api_urls")),
    *site_urls.urlpatterns,
]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(__name__),
]

Status = Subscription.Status


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when the collected static files are missing."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def mako():
    return NetworkFactory(slug="mako", languages=["fi", "sv"])


@pytest.fixture
def mailing_list(mako):
    return subscriptions.mailing_list_for(mako)


@pytest.fixture
def coordinator(mako):
    return token_client(coordinator_of(mako))


def subscriptions_url(network) -> str:
    return f"/api/v1/lists/{network.slug}/subscriptions/"


def test_coordinator_lists_subscriptions_with_status_and_source(coordinator, mako, mailing_list):
    # given
    subscribed(mailing_list, email="aino@example.fi", language="sv")
    SubscriptionFactory(mailing_list=mailing_list, status=Status.PENDING)

    # when
    response = coordinator.get(subscriptions_url(mako), {"status": "active"})

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["email"], row["language"], row["status"], row["source"]) == (
        "aino@example.fi",
        "sv",
        "active",
        "form",
    )
    assert row["receives_mail"] is True


def test_list_query_count_does_not_grow_with_rows(coordinator, mako, mailing_list):
    # given
    subscribed(mailing_list)
    few, _body = queries_for(coordinator, subscriptions_url(mako))
    for _n in range(20):
        subscribed(mailing_list)

    # when
    many, body = queries_for(coordinator, subscriptions_url(mako))

    # then
    assert body["count"] == 21
    assert many == few


def test_coordinator_adds_an_address_through_the_api(coordinator, mako, mailing_list):
    # when
    consented = coordinator.post(
        subscriptions_url(mako), {"email": "Uusi@Example.fi", "consented": True}, format="json"
    )
    pending = coordinator.post(
        subscriptions_url(mako), {"email": "toinen@example.fi", "language": "en"}, format="json"
    )

    # then
    assert consented.status_code == 201, consented.content
    assert (consented.json()["status"], consented.json()["source"]) == ("active", "api")
    assert consented.json()["language"] == "fi"
    assert pending.json()["status"] == "pending"
    assert OutboxMessage.objects.get().to_email == "toinen@example.fi"
    assert ConsentRecord.objects.filter(basis=ConsentRecord.Basis.API).count() == 2


def test_api_refuses_an_address_already_on_the_list(coordinator, mako, mailing_list):
    # given
    subscribed(mailing_list, email="jo@example.fi")

    # when
    response = coordinator.post(
        subscriptions_url(mako), {"email": "jo@example.fi", "consented": True}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "email" in response.json()


def test_coordinator_removes_an_address_through_the_api(coordinator, mako, mailing_list):
    # given
    subscribed(mailing_list)
    subscription = Subscription.objects.get()

    # when
    response = coordinator.delete(f"{subscriptions_url(mako)}{subscription.pk}/")

    # then
    assert response.status_code == 204
    assert Subscription.objects.get().status == Status.UNSUBSCRIBED
    withdrawn = ConsentRecord.objects.get(action=ConsentRecord.Action.WITHDRAWN)
    assert withdrawn.basis == ConsentRecord.Basis.API


def test_other_networks_coordinator_and_members_are_refused(mako, mailing_list):
    # given
    subscribed(mailing_list)
    subscription = Subscription.objects.get()
    others = [
        token_client(coordinator_of(NetworkFactory(slug="pomako"))),
        token_client(member_of(mako)),
    ]

    # when / then
    for client in others:
        assert client.get(subscriptions_url(mako)).status_code == 403
        created = client.post(subscriptions_url(mako), {"email": "x@example.fi"}, format="json")
        assert created.status_code == 403
        deleted = client.delete(f"{subscriptions_url(mako)}{subscription.pk}/")
        assert deleted.status_code == 403
    assert Subscription.objects.get().status == Status.ACTIVE
    assert Subscription.objects.count() == 1


def test_subscription_of_another_list_is_404_through_ones_own(coordinator, mako):
    # given
    other = SubscriptionFactory()

    # then
    assert coordinator.delete(f"{subscriptions_url(mako)}{other.pk}/").status_code == 404
    assert coordinator.get("/api/v1/lists/ei-ole/subscriptions/").status_code == 404


def test_anonymous_client_is_refused(client, mako):
    assert client.get(subscriptions_url(mako)).status_code in (401, 403)


def test_schema_of_the_list_api_has_no_warnings(tmp_path):
    # when (fails on any warning)
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))

    # then
    text = (tmp_path / "s.yaml").read_text()
    assert "/api/v1/lists/{slug}/subscriptions/" in text
    assert "SubscriptionStatusEnum" in text
