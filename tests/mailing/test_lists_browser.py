"""The list pages in a real browser: subscribe, confirm from the outbox, receive the bulletin
and leave with its one-click link, and the coordinator's list page; keyboard use and axe-core
on every page, in three languages."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from kotoverkko.mailing import subscriptions
from kotoverkko.mailing.models import OutboxMessage, Subscription
from kotoverkko.mailing.services import outbox_deliver
from kotoverkko.newsletter import services as newsletter_services
from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import assert_accessible, focused_matches, tab_to
from tests.factories import NetworkFactory, coordinator_of
from tests.mailing.factories import subscribed

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows. These tests use no code lists, so they need not
    # restore the migrations' data after the flush of an earlier transactional test.
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "salasana-123"

# The fixtures of tests/browser/conftest.py (Chromium, the live server, a fresh page), which
# pytest finds only for tests under that directory.
_static_root_exists = browser_fixtures._static_root_exists
live_server = browser_fixtures.live_server
browser = browser_fixtures.browser
page = browser_fixtures.page
failed_responses = browser_fixtures.failed_responses


def lapin_mako():
    return NetworkFactory(
        slug="lapin-mako",
        name_fi="Lapin MAKO",
        name_sv="Lapplands MAKO",
        name_en="Lapland MAKO",
        languages=["fi", "sv"],
    )


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_subscribe_confirm_and_leave_with_one_click_by_keyboard(page, failed_responses):
    # given
    network = lapin_mako()

    # when the form is opened in each language
    for language in ("fi", "sv", "en"):
        page.goto(f"/{language}/lists/{network.slug}/subscribe/")
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)

    # and filled in with the keyboard
    tab_to(page, "#id_email")
    page.keyboard.type("aino.korhonen@example.fi")
    page.keyboard.press("Tab")
    assert focused_matches(page, "#id_language")
    page.select_option("#id_language", "sv")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    # then the visitor is told to check the inbox
    page.wait_for_url(f"**/en/lists/{network.slug}/subscribe/sent/")
    assert page.locator("h1").inner_text() == "Check your inbox"
    assert_accessible(page)

    # when the link is taken from the outbox and opened
    message = OutboxMessage.objects.get()
    link = re.search(r"https?://\S+/lists/confirm/\S+/", message.body_text).group(0)
    page.goto(path_of(link))
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page)
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    # then the subscription is active and the preferences page opens
    page.wait_for_url("**/sv/lists/preferences/**")
    assert Subscription.objects.get().status == Subscription.Status.ACTIVE
    assert_accessible(page)

    # when the network's bulletin is sent and delivered
    mailing_list = subscriptions.mailing_list_for(network)
    now = timezone.now()
    coordinator = coordinator_of(network, organisation=None)
    issue = newsletter_services.issue_compile(
        network=network, month=now.date().replace(day=1), now=now
    )
    newsletter_services.issue_update(
        actor=coordinator.user,
        issue=issue,
        data={"introduction_fi": "Hei kaikki!", "introduction_sv": "Hej alla!"},
    )
    mail.outbox.clear()
    newsletter_services.issue_send(issue=issue, actor=coordinator.user, now=now)
    outbox_deliver()  # when the worker has not delivered it already

    # then it arrives, in Swedish, with the list's one-click unsubscribe headers
    (received,) = mail.outbox
    bulletin = received.message()
    assert received.to == ["aino.korhonen@example.fi"]
    assert "Hej alla!" in received.body
    assert bulletin["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link, mailto_link = re.findall(r"<([^>]+)>", bulletin["List-Unsubscribe"])
    assert mailto_link.startswith("mailto:unsubscribe+")

    # when its unsubscribe link is opened and the button pressed
    page.goto(path_of(https_link))
    assert_accessible(page)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    # then the address is off the list
    page.wait_for_selector("h1")
    assert "Lapplands MAKO" in page.locator("h1").inner_text()
    assert_accessible(page)
    assert list(subscriptions.list_recipients(mailing_list)) == []
    assert failed_responses == []


def test_coordinator_list_page_and_preferences_are_accessible(page, failed_responses):
    # given
    network = lapin_mako()
    mailing_list = subscriptions.mailing_list_for(network)
    subscriber = subscribed(mailing_list, email="leila@example.fi")
    coordinator = coordinator_of(network, organisation=None)

    # when the subscriber's preferences page is opened in each language
    for language in ("fi", "sv", "en"):
        page.goto(path_of(subscriptions.preferences_url(subscriber.pk, language)))
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)

    # when the coordinator logs in and opens the list's pages
    page.goto("/en/accounts/login/")
    page.fill("#id_email", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")
    for path in ("", "settings/", "import/"):
        page.goto(f"/en/lists/manage/{network.slug}/{path}")
        assert_accessible(page)
    page.goto("/en/lists/manage/")
    assert page.get_by_role("link", name="Lapland MAKO").count() == 1
    assert_accessible(page)
    assert failed_responses == []
