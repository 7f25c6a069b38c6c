"""The public list pages: subscribing, confirming, preferences and one-click unsubscribe."""

import csv
import io
import json
import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from kotoverkko.mailing import consent, subscriptions, tokens
from kotoverkko.mailing.models import ConsentRecord, OutboxMessage, Subscriber, Subscription
from tests.factories import NetworkFactory
from tests.mailing.factories import MailingListFactory, SubscriptionFactory, subscribed

pytestmark = pytest.mark.django_db

Status = Subscription.Status
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"


@pytest.fixture
def mako():
    return NetworkFactory(
        slug="lapin-mako",
        name_fi="Lapin MAKO",
        name_sv="Lapplands MAKO",
        name_en="Lapland MAKO",
        languages=["fi", "sv"],
    )


def subscribe_url(network, language="fi"):
    with translation.override(language):
        return reverse("mailing_lists:subscribe", kwargs={"slug": network.slug})


def form_data(email, language="fi"):
    return {"email": email, "language": language, "consent_version": consent.CURRENT_VERSION}


def preferences_url(subscriber, language="fi"):
    with translation.override(language):
        return reverse(
            "mailing_lists:preferences",
            kwargs={"token": tokens.preferences_token(subscriber.pk)},
        )


def one_click_url(subscriber, mailing_list):
    token = tokens.unsubscribe_token(subscriber.pk, mailing_list.pk)
    return reverse("mailing_mail:unsubscribe", kwargs={"token": token})


def confirm_url(subscription, language="fi", **kwargs):
    with translation.override(language):
        token = tokens.confirm_token(subscription.pk, **kwargs)
        return reverse("mailing_lists:confirm", kwargs={"token": token})


# Subscribing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "name"), [("fi", "Lapin MAKO"), ("sv", "Lapplands MAKO"), ("en", "Lapland MAKO")]
)
def test_subscribe_form_renders_in_each_language_with_the_consent_text(
    client, mako, language, name
):
    # when
    response = client.get(subscribe_url(mako, language))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert name in html
    assert f'value="{consent.CURRENT_VERSION}"' in html
    with translation.override(language):
        assert escape(consent.consent_text(consent.CURRENT_VERSION, list_name=name)) in html
    assert '<label for="id_email">' in html
    assert '<label for="id_language">' in html


def test_subscribing_redirects_to_check_your_inbox_and_sends_one_confirmation(client, mako):
    # when
    response = client.post(subscribe_url(mako), form_data("aino@example.fi", "sv"))

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "mailing_lists:subscribe_sent", kwargs={"slug": mako.slug}
    )
    message = OutboxMessage.objects.get()
    assert "/sv/lists/confirm/" in message.body_text
    assert Subscription.objects.get().status == Status.PENDING
    record = ConsentRecord.objects.get()
    assert record.ip_address == "127.0.0.1"


def test_answer_is_the_same_for_known_and_unknown_addresses(mako):
    # given one address on the list and one never seen
    mailing_list = subscriptions.mailing_list_for(mako)
    subscribed(mailing_list, email="known@example.fi")
    answers = []

    # when each is submitted from a fresh browser
    for email in ("known@example.fi", "unknown@example.fi"):
        client = Client()
        posted = client.post(subscribe_url(mako), form_data(email))
        followed = client.get(posted["Location"])
        answers.append((posted.status_code, posted["Location"], posted.content, followed.content))

    # then the visitor cannot tell them apart
    assert answers[0] == answers[1]
    assert b"known@example.fi" not in answers[0][3]


def test_invalid_address_gets_the_form_back_with_400(client, mako):
    # when
    response = client.post(subscribe_url(mako, "en"), form_data("not an address"))

    # then
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_outdated_form_version_is_refused_with_400(client, mako):
    # when
    data = {**form_data("aino@example.fi"), "consent_version": "1999-1"}
    response = client.post(subscribe_url(mako, "en"), data)

    # then
    assert response.status_code == 400
    assert "The form has changed" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_subscription_requests_beyond_the_limit_get_429(client, mako, settings):
    # given
    settings.SUBSCRIBE_LIMIT = 2
    settings.SUBSCRIBE_WINDOW_SECONDS = 3600

    # when
    statuses = [
        client.post(subscribe_url(mako, "en"), form_data(f"a{n}@example.fi")).status_code
        for n in range(3)
    ]

    # then
    assert statuses == [302, 302, 429]
    last = client.post(subscribe_url(mako, "en"), form_data("a9@example.fi"))
    assert "Too many subscription requests" in last.content.decode()
    assert Subscriber.objects.count() == 2


def test_limit_counts_each_client_on_its_own(mako, settings):
    # given
    settings.SUBSCRIBE_LIMIT = 1

    # when
    first = Client(REMOTE_ADDR="192.0.2.1").post(subscribe_url(mako), form_data("a@example.fi"))
    second = Client(REMOTE_ADDR="192.0.2.2").post(subscribe_url(mako), form_data("b@example.fi"))
    same_ipv6_net = [
        Client(REMOTE_ADDR=f"2001:db8::{n}").post(
            subscribe_url(mako), form_data(f"c{n}@example.fi")
        )
        for n in (1, 2)
    ]

    # then
    assert (first.status_code, second.status_code) == (302, 302)
    assert [r.status_code for r in same_ipv6_net] == [302, 429]


def test_closed_list_has_no_subscription_form(client):
    # given
    mailing_list = MailingListFactory(is_open=False)

    # then
    assert client.get(subscribe_url(mailing_list.network)).status_code == 404
    assert client.get(subscribe_url(NetworkFactory.build(slug="ei-ole"))).status_code == 404


# Confirming --------------------------------------------------------------------------------------


def test_opening_the_confirmation_link_changes_nothing_until_the_button_is_pressed(client, mako):
    # given
    client.post(subscribe_url(mako), form_data("aino@example.fi"))
    subscription = Subscription.objects.get()
    url = confirm_url(subscription, "en")

    # when the link is opened (as a mail scanner would)
    page = client.get(url)

    # then
    assert page.status_code == 200
    assert "Confirm the subscription" in page.content.decode()
    assert Subscription.objects.get().status == Status.PENDING

    # when the button is pressed
    done = client.post(url)

    # then the subscription is active and the visitor lands on the preferences page
    assert done.status_code == 302
    assert done["Location"] == preferences_url(subscription.subscriber, "en")
    assert Subscription.objects.get().status == Status.ACTIVE
    preferences = client.get(done["Location"])
    assert "You are on the list of Lapland MAKO." in preferences.content.decode()


def test_expired_confirmation_link_gets_400_with_a_clear_message(client, mako):
    # given
    client.post(subscribe_url(mako), form_data("aino@example.fi"))
    subscription = Subscription.objects.get()
    url = confirm_url(subscription, "en", now=time.time() - 8 * 24 * 3600)

    # when
    responses = [client.get(url), client.post(url)]

    # then
    for response in responses:
        assert response.status_code == 400
        assert "This confirmation link has expired" in response.content.decode()
    assert Subscription.objects.get().status == Status.PENDING


def test_forged_confirmation_link_gets_400(client, mako):
    # given
    client.post(subscribe_url(mako), form_data("aino@example.fi"))
    subscription = Subscription.objects.get()
    forged = f"{subscription.pk}.{int(time.time())}.{'0' * 24}"

    # when
    with translation.override("en"):
        response = client.post(reverse("mailing_lists:confirm", kwargs={"token": forged}))

    # then
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert Subscription.objects.get().status == Status.PENDING


def test_confirmation_link_of_a_list_left_since_says_so_without_a_button(client, mako):
    # given
    client.post(subscribe_url(mako), form_data("aino@example.fi"))
    subscription = Subscription.objects.get()
    url = confirm_url(subscription, "en")
    client.post(url)
    subscriptions.unsubscribe(
        subscriber=subscription.subscriber,
        mailing_list=subscription.mailing_list,
        basis=ConsentRecord.Basis.ONE_CLICK,
    )

    # when
    response = client.get(url)

    # then
    assert response.status_code == 400
    assert "You left this list after this link was sent" in response.content.decode()
    assert "Confirm the subscription" not in response.content.decode()


# Preferences -------------------------------------------------------------------------------------


@pytest.fixture
def two_lists(mako):
    first = subscriptions.mailing_list_for(mako)
    second = subscriptions.mailing_list_for(NetworkFactory(name_en="POMAKO"))
    subscriber = subscribed(first, email="leila@example.fi")
    SubscriptionFactory(mailing_list=second, subscriber=subscriber)
    return first, second, subscriber


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_preferences_page_renders_in_each_language(client, two_lists, language):
    # given
    _first, _second, subscriber = two_lists

    # when
    response = client.get(preferences_url(subscriber, language))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "leila@example.fi" in html
    assert 'name="action" value="leave_all"' in html
    assert "no-store" in response["Cache-Control"]


def test_preferences_page_says_which_action_leaves_one_list_and_which_leaves_all(client, two_lists):
    # when
    html = client.get(preferences_url(two_lists[2], "en")).content.decode()

    # then
    assert "Leaving a list stops the messages of that list only" in html
    assert "This is different from leaving one list" in html
    assert html.count('value="leave"') == 2


def test_leaving_one_list_on_the_preferences_page_keeps_the_other(client, two_lists):
    # given
    first, second, subscriber = two_lists

    # when
    response = client.post(
        preferences_url(subscriber, "en"), {"action": "leave", "list": str(first.pk)}
    )

    # then
    assert response.status_code == 302
    assert list(subscriptions.list_recipients(first)) == []
    assert list(subscriptions.list_recipients(second)) == [subscriber]
    record = ConsentRecord.objects.get(action=ConsentRecord.Action.WITHDRAWN)
    assert (record.basis, record.mailing_list) == (ConsentRecord.Basis.PREFERENCES, first)
    page = client.get(response["Location"]).content.decode()
    assert "You left the list of Lapland MAKO. Your other lists are unchanged." in page


def test_leaving_every_list_on_the_preferences_page(client, two_lists):
    # given
    first, second, subscriber = two_lists

    # when
    response = client.post(preferences_url(subscriber, "en"), {"action": "leave_all"})

    # then
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.left_all_at is not None
    assert list(subscriptions.list_recipients(first)) == []
    assert list(subscriptions.list_recipients(second)) == []
    page = client.get(response["Location"]).content.decode()
    assert "You left every list." in page
    assert page.count('value="join"') == 2


def test_joining_again_and_changing_language_on_the_preferences_page(client, two_lists):
    # given
    first, _second, subscriber = two_lists
    client.post(preferences_url(subscriber), {"action": "leave", "list": str(first.pk)})

    # when
    joined = client.post(preferences_url(subscriber), {"action": "join", "list": str(first.pk)})
    language = client.post(preferences_url(subscriber), {"action": "language", "language": "sv"})

    # then
    assert (joined.status_code, language.status_code) == (302, 302)
    assert list(subscriptions.list_recipients(first)) == [subscriber]
    subscriber.refresh_from_db()
    assert subscriber.language == "sv"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "leave", "list": "999999"},
        {"action": "leave", "list": "x"},
        {"action": "language", "language": "de"},
        {"action": "delete-everything"},
    ],
)
def test_preferences_refuse_what_the_page_cannot_send(client, two_lists, data):
    # when
    response = client.post(preferences_url(two_lists[2], "en"), data)

    # then
    assert response.status_code == 400
    assert "The change could not be made" in response.content.decode()
    assert not ConsentRecord.objects.filter(action=ConsentRecord.Action.WITHDRAWN).exists()


def test_preferences_with_an_invalid_token_get_400(client):
    # when
    with translation.override("sv"):
        url = reverse("mailing_lists:preferences", kwargs={"token": "1.abcdef"})
    response = client.get(url)

    # then
    assert response.status_code == 400
    assert '<html lang="sv">' in response.content.decode()


def test_preferences_page_queries_do_not_grow_with_lists_and_records(client, mako):
    # given
    subscriber = subscribed(subscriptions.mailing_list_for(mako))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(preferences_url(subscriber)).status_code == 200
        return len(captured)

    few = count()
    for _n in range(5):
        other = subscriptions.mailing_list_for(NetworkFactory())
        SubscriptionFactory(mailing_list=other, subscriber=subscriber)
        subscriptions.unsubscribe(
            subscriber=subscriber, mailing_list=other, basis=ConsentRecord.Basis.PREFERENCES
        )

    # then
    assert count() == few


def test_consent_history_downloads_as_csv_and_json(client, mako):
    # given a subscription made on the form and confirmed
    client.post(subscribe_url(mako), form_data("aino@example.fi"))
    subscription = Subscription.objects.get()
    client.post(confirm_url(subscription))
    subscriber = Subscriber.objects.get()
    token = tokens.preferences_token(subscriber.pk)

    # when
    with translation.override("en"):
        csv_response = client.get(
            reverse("mailing_lists:consent_download", kwargs={"token": token, "fmt": "csv"})
        )
        json_response = client.get(
            reverse("mailing_lists:consent_download", kwargs={"token": token, "fmt": "json"})
        )

    # then
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv_response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Time", "List", "Action"]
    assert [row[2] for row in rows[1:]] == ["asked to subscribe", "consent given"]
    assert all(row[4] == consent.CURRENT_VERSION for row in rows[1:])
    assert rows[2][8] == "127.0.0.1"
    data = json.loads(json_response.content)
    assert data["email"] == "aino@example.fi"
    assert [r["action"] for r in data["consent_records"]] == ["requested", "given"]
    # the text as the subscriber was shown it: in Finnish, the language she subscribed in
    assert data["consent_records"][1]["consent_text"].startswith("Haluan vastaanottaa")
    assert "Lapin MAKO" in data["consent_records"][1]["consent_text"]


# One-click unsubscribe ---------------------------------------------------------------------------


@pytest.fixture
def on_list(mako):
    mailing_list = subscriptions.mailing_list_for(mako)
    subscriber = subscribed(mailing_list, email="hassan@example.fi", language="sv")
    return mailing_list, subscriber


def test_one_click_post_with_the_rfc_8058_body_unsubscribes_at_once(on_list):
    # given a client that enforces CSRF, like a real mail program's request would meet
    mailing_list, subscriber = on_list
    client = Client(enforce_csrf_checks=True)

    # when
    response = client.post(
        one_click_url(subscriber, mailing_list),
        data=ONE_CLICK_BODY,
        content_type="application/x-www-form-urlencoded",
    )

    # then
    assert response.status_code == 200
    assert response["Content-Language"] == "sv"
    assert "Lapplands MAKO" in response.content.decode()
    assert list(subscriptions.list_recipients(mailing_list)) == []
    record = ConsentRecord.objects.get(action=ConsentRecord.Action.WITHDRAWN)
    assert record.basis == ConsentRecord.Basis.ONE_CLICK


def test_one_click_post_as_multipart_and_twice_is_fine(on_list):
    # given
    mailing_list, subscriber = on_list
    client = Client(enforce_csrf_checks=True)

    # when
    responses = [
        client.post(one_click_url(subscriber, mailing_list), {"List-Unsubscribe": "One-Click"})
        for _n in range(2)
    ]

    # then
    assert [r.status_code for r in responses] == [200, 200]
    assert list(subscriptions.list_recipients(mailing_list)) == []
    assert ConsentRecord.objects.filter(action=ConsentRecord.Action.WITHDRAWN).count() == 1


def test_one_click_get_shows_a_button_and_does_not_unsubscribe(client, on_list):
    # given
    mailing_list, subscriber = on_list

    # when
    response = client.get(one_click_url(subscriber, mailing_list))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<input type="hidden" name="List-Unsubscribe" value="One-Click">', html)
    assert tokens.preferences_token(subscriber.pk) in html
    assert list(subscriptions.list_recipients(mailing_list)) == [subscriber]


def test_one_click_post_without_the_body_changes_nothing(on_list):
    # given
    mailing_list, subscriber = on_list

    # when
    response = Client().post(one_click_url(subscriber, mailing_list), {"other": "1"})

    # then
    assert response.status_code == 400
    assert list(subscriptions.list_recipients(mailing_list)) == [subscriber]


@pytest.mark.parametrize("token", ["1.2", "1.2.0123456789abcdef01234567", "abc"])
def test_one_click_with_an_invalid_token_gets_a_translated_400(token):
    # when
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("mailing_mail:unsubscribe", kwargs={"token": token})
    responses = [
        client.get(url),
        client.post(url, data=ONE_CLICK_BODY, content_type=("application/x-www-form-urlencoded")),
    ]

    # then
    for response in responses:
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()


def test_one_click_link_is_outside_the_language_prefix(on_list):
    mailing_list, subscriber = on_list
    assert one_click_url(subscriber, mailing_list).startswith("/mail/unsubscribe/")
