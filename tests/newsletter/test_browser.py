"""The bulletin in a real browser: a coordinator writes news, compiles the month's issue,
edits and previews it, sends a test to herself and then the issue; a visitor reads it in the
archive and the news. axe-core on every page visited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kotoverkko.events.models import Event
from kotoverkko.mailing.models import MailBatch, OutboxMessage
from kotoverkko.newsletter.models import Issue
from tests.browser.helpers import assert_accessible, tab_to
from tests.events.factories import EventFactory
from tests.factories import NetworkFactory, coordinator_of
from tests.newsletter.conftest import subscribe

# Nothing here needs the code lists, so the database is emptied after the test rather than
# restored from its serialized copy.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "salasana-123"


def log_in(page, email: str) -> None:
    page.goto("/en/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")


def test_coordinator_compiles_edits_tests_and_sends_and_a_visitor_reads_it(
    page, screenshot_dir, failed_responses
):
    # given MAKO with subscribers, a coming training and a coordinator
    mako = NetworkFactory(
        slug="lapin-mako",
        name_fi="Lapin MAKO-verkosto",
        name_en="Lapland MAKO network",
        contact_email="mako@example.fi",
    )
    coordinator = coordinator_of(mako, email="kaisa@example.fi", organisation=None)
    subscribe(mako, "lukija@example.fi", "fi")
    subscribe(mako, "reader@example.fi", "en")
    start = (timezone.localtime() + timedelta(days=10)).replace(hour=9, minute=0, second=0)
    EventFactory(
        network=mako,
        type=Event.Type.TRAINING,
        title_fi="Selkokielen koulutus",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        checklist=False,
    )

    # when she writes a news item
    log_in(page, coordinator.email)
    page.goto("/en/coordination/newsletter/")
    assert_accessible(page)
    page.get_by_role("link", name="News – Lapland MAKO network").click()
    assert_accessible(page)
    page.get_by_role("link", name="Write a news item").click()
    assert_accessible(page)
    page.fill("#id_title_fi", "Kielikahvila alkaa Torniossa")
    page.fill("#id_text_fi", "Kielikahvila kokoontuu maanantaisin.\n\nTervetuloa!")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/coordination/newsletter/networks/lapin-mako/news/")

    # and compiles this month's issue
    page.get_by_role("link", name="Issues").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Compile this month's issue").click()
    page.wait_for_url("**/coordination/newsletter/issues/*/")
    issue = Issue.objects.get()
    assert issue.items.count() == 2
    assert_accessible(page)

    # then she moves the event first with the keyboard and writes an introduction
    tab_to(page, 'button[value="up"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert list(issue.items.order_by("position").values_list("kind", flat=True)) == [
        "event",
        "news",
    ]
    page.fill("#id_issue-introduction_fi", "Hyvää marraskuuta!")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the title and introduction").click()
    page.screenshot(path=screenshot_dir / "newsletter-editor.png", full_page=True)

    # and previews it as HTML and as text
    page.get_by_role("link", name="Preview (Finnish)").click()
    assert "Hyvää marraskuuta!" in page.locator("pre.mail").inner_text()
    frame = page.frame_locator("iframe.mail-preview")
    assert "Selkokielen koulutus" in frame.locator("body").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the issue").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # and sends a test to herself
    with page.expect_navigation():
        page.get_by_role("button", name="Send a test").click()
    assert OutboxMessage.objects.get().to_email == "kaisa@example.fi"

    # and sends the issue after confirming
    page.get_by_role("link", name="Send now…").click()
    assert_accessible(page)
    assert "2" in page.locator("tfoot").inner_text()
    page.get_by_label("Yes, send the issue to everyone on the list now.").check()
    page.get_by_role("button", name="Send the issue").click()
    page.wait_for_url(f"**/coordination/newsletter/issues/{issue.pk}/")
    assert_accessible(page)
    assert page.locator("progress").count() == 1
    assert MailBatch.objects.get().messages.count() == 2

    # when a visitor opens the archive
    page.context.clear_cookies()
    page.goto("/en/networks/lapin-mako/newsletter/")
    assert_accessible(page)
    page.get_by_role("link", name=issue.title_fi).click()
    page.wait_for_url(f"**/en/networks/lapin-mako/newsletter/{issue.pk}/")

    # then the issue is there in Finnish inside the English page
    assert page.locator("article.bulletin").get_attribute("lang") == "fi"
    assert "Hyvää marraskuuta!" in page.locator("article.bulletin").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="News", exact=True).first.click()
    assert "Kielikahvila alkaa Torniossa" in page.locator("main").inner_text()
    assert_accessible(page)
    assert failed_responses == []
