"""The self-service list API: a logged-in person's own subscriptions, joining and leaving."""

import pytest
from django.urls import include, path

from kotoverkko.conf import urls as site_urls
from kotoverkko.mailing import subscriptions
from kotoverkko.mailing.models import ConsentRecord, OutboxMessage, Subscription
from tests.api.conftest import token_client
from tests.factories import NetworkFactory, member_of, person_with_login
from tests.mailing.factories import SubscriptionFactory, subscribed

urlpatterns = [
    path("api/v1/", include("kotoverkko.mailing.api_urls")),
    *site_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/api/v1/me/subscriptions/"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def mako():
    return NetworkFactory(slug="mako", languages=["fi", "sv"])


def test_joining_an_open_list_is_active_at_once_with_the_api_as_consent(mako):
    # given
    person = person_with_login(language="sv")
    client = token_client(person)
    # when
    response = client.post(URL, {"list": "mako"}, format="json")
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == person.email.lower()
    assert [(s["list"], s["status"], s["source"]) for s in body["subscriptions"]] == [
        ("mako", "active", "api")
    ]
    mailing_list = subscriptions.mailing_list_for(mako)
    assert [s.email for s in subscriptions.list_recipients(mailing_list)] == [person.email.lower()]
    record = ConsentRecord.objects.get()
    assert (record.action, record.basis) == ("given", "api")
    assert not OutboxMessage.objects.exists()  # no confirmation link: the login confirms


def test_a_closed_list_takes_only_the_networks_members(mako):
    # given
    mailing_list = subscriptions.mailing_list_for(mako)
    mailing_list.is_open = False
    mailing_list.save()
    outsider, member = person_with_login(), member_of(mako)
    # when
    refused = token_client(outsider).post(URL, {"list": "mako"}, format="json")
    accepted = token_client(member).post(URL, {"list": "mako"}, format="json")
    # then
    assert refused.status_code == 400
    assert "jäsenet" in str(refused.json())  # the API answers in Finnish by default
    assert accepted.status_code == 201
    assert not Subscription.objects.filter(subscriber__email=outsider.email.lower()).exists()


def test_leaving_one_list_keeps_the_others_and_the_next_send_skips_it(mako):
    # given a person on two lists
    other = NetworkFactory(slug="pomako")
    person = person_with_login()
    mako_list = subscriptions.mailing_list_for(mako)
    other_list = subscriptions.mailing_list_for(other)
    subscriber = subscribed(mako_list, email=person.email.lower())
    SubscriptionFactory(mailing_list=other_list, subscriber=subscriber)
    client = token_client(person)
    # when
    response = client.delete(URL + "mako/")
    # then
    assert response.status_code == 204
    assert list(subscriptions.list_recipients(mako_list)) == []
    assert len(subscriptions.list_recipients(other_list)) == 1
    statuses = {s["list"]: s["status"] for s in client.get(URL).json()["subscriptions"]}
    assert statuses == {"mako": "unsubscribed", "pomako": "active"}
    assert ConsentRecord.objects.filter(action="withdrawn", basis="api").count() == 1


def test_leaving_a_list_one_is_not_on_is_not_found(mako):
    person = person_with_login()
    subscribed(subscriptions.mailing_list_for(NetworkFactory()), email=person.email.lower())
    assert token_client(person).delete(URL + "mako/").status_code == 404
    assert token_client(person).delete(URL + "no-such-network/").status_code == 404


def test_language_of_the_messages_can_be_set_and_bad_values_are_refused(mako):
    # given
    person = person_with_login()
    client = token_client(person)
    client.post(URL, {"list": "mako"}, format="json")
    # when
    changed = client.patch(URL, {"language": "sv"}, format="json")
    refused = client.patch(URL, {"language": "de"}, format="json")
    # then
    assert changed.status_code == 200
    assert changed.json()["language"] == "sv"
    assert refused.status_code == 400
    assert client.get(URL).json()["language"] == "sv"


def test_someone_unknown_to_the_lists_sees_an_empty_overview_and_anonymous_is_refused(client):
    person = person_with_login()
    body = token_client(person).get(URL).json()
    assert body["subscriptions"] == []
    assert body["language"] is None
    assert client.get(URL).status_code in (401, 403)
