"""The mass sending pages in a real browser: an administrator follows a sending, pauses and
resumes it with the keyboard; axe-core on every page, in three languages."""

import pytest

from kotoverkko.mailing import services, subscriptions
from kotoverkko.mailing.batches import batch_create
from kotoverkko.mailing.models import MailBatch
from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import assert_accessible, tab_to
from tests.factories import NetworkFactory, UserFactory
from tests.mailing.factories import subscribed

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; these tests use no code lists.
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "salasana-123"

# The fixtures of tests/browser/conftest.py, which pytest finds only for tests under that
# directory.
_static_root_exists = browser_fixtures._static_root_exists
live_server = browser_fixtures.live_server
browser = browser_fixtures.browser
page = browser_fixtures.page
failed_responses = browser_fixtures.failed_responses


def test_administrator_follows_pauses_and_resumes_a_sending(page, failed_responses, monkeypatch):
    # given a sending to a list of three, which no worker delivers during the test
    monkeypatch.setattr(services, "_enqueue_delivery", lambda: None)
    network = NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO", name_en="Lapland MAKO")
    mailing_list = subscriptions.mailing_list_for(network)
    batch = batch_create(
        title="Syyskuun tiedote",
        mailing_list=mailing_list,
        language="fi",
        subject="Syyskuun tiedote – Åbo",
        body_text="Hei!\n\nPeru tilaus: %%unsubscribe_url%%",
        body_html="<p>Hei!</p>",
        recipients=[subscribed(mailing_list) for _ in range(3)],
        key_prefix="bulletin:9",
    )
    admin = UserFactory(is_superuser=True, is_staff=True)

    # when the administrator logs in
    page.goto("/en/accounts/login/")
    page.fill("#id_email", admin.email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")

    # then the list, the detail and the progress partial pass axe-core in each language
    for language in ("fi", "sv", "en"):
        page.goto(f"/{language}/outbox/sendings/")
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
        page.goto(f"/{language}/outbox/sendings/{batch.pk}/")
        assert page.locator("progress").get_attribute("max") == "3"
        assert_accessible(page)

    # when the sending is paused with the keyboard
    tab_to(page, "main form[action$='/pause/'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("main form[action$='/resume/'] button")

    # then
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.PAUSED
    assert_accessible(page)

    # when it is resumed
    tab_to(page, "main form[action$='/resume/'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("main form[action$='/pause/'] button")

    # then
    batch.refresh_from_db()
    assert batch.status == MailBatch.Status.SENDING
    assert failed_responses == []
