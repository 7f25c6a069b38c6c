"""The tray's analysis in a real browser: a coordinator reads her network's analysis, adds an
expectation with the keyboard and sees the gap it opens; an editor confirms a stale offering
from a reminder's link. axe-core checks every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kotoverkko.tray import analysis
from kotoverkko.tray.models import Offering
from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import assert_accessible, tab_to
from tests.factories import (
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    coordinator_of,
    municipality,
)
from tests.tray.factories import OfferingFactory, category

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows, and the pages need the code lists.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PASSWORD = "salasana-123"
CAFE = "Kielikahvila maahanmuuttajille. Harjoittele suomen kieltä kahvikupin äärellä."

_static_root_exists = browser_fixtures._static_root_exists
live_server = browser_fixtures.live_server
browser = browser_fixtures.browser
page = browser_fixtures.page
failed_responses = browser_fixtures.failed_responses


def test_coordinator_reads_the_analysis_and_adds_an_expectation(page, failed_responses):
    # given a network for Kemi and Tornio with overlapping and stale offerings
    network = NetworkFactory(slug="meri-lappi", name_fi="Meri-Lapin MAKO", name_en="Meri-Lappi")
    network.municipalities.set([municipality("240"), municipality("851")])
    coordinator = coordinator_of(network, email="koordinaattori@example.fi")
    red_cross = OrganisationFactory(name_fi="Kemin SPR", email="spr@example.fi")
    OfferingFactory(organisation=red_cross, municipalities=["240"], description_fi=CAFE)
    old = OfferingFactory(
        organisation=OrganisationFactory(name_fi="Kemin kirjasto"),
        municipalities=["240"],
        description_fi=CAFE,
        languages=["fi", "ar"],
    )
    Offering.objects.filter(pk=old.pk).update(
        confirmed_on=timezone.localdate() - timedelta(days=400)
    )

    # when she logs in and opens the analysis
    page.goto("/en/accounts/login/")
    page.fill("#id_email", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")
    page.goto("/en/tray/analysis/meri-lappi/")

    # then she sees the chart with its table, the overlap and the stale entry
    assert page.locator("svg[role=img]").count() == 2
    assert page.locator("#coverage-table").is_visible()
    assert "Kemin kirjasto" in page.locator("#stale ~ *").all_inner_texts()[1]
    assert_accessible(page)

    # when she goes to the expectations with the keyboard and adds one
    tab_to(page, 'a[href="/en/tray/analysis/meri-lappi/expectations/"]', max_presses=80)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('expected to have')")
    assert_accessible(page)
    page.select_option("#id_category", str(category("information").pk))
    page.select_option("#id_language", "so")
    tab_to(page, "form[novalidate] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=The expectation was added.")
    assert_accessible(page)

    # then the analysis shows the gap in both municipalities
    page.goto("/en/tray/analysis/meri-lappi/")
    gaps = page.locator("section[aria-labelledby=gaps] tbody tr")
    assert gaps.count() == 2
    assert failed_responses == []


def test_editor_confirms_a_stale_offering_from_the_link(page, failed_responses):
    # given a reminder's link
    organisation = OrganisationFactory(name_fi="Kemin SPR")
    editor = PersonFactory(organisation=organisation, email="editori@example.fi")
    organisation.editors.add(editor)
    offering = OfferingFactory(organisation=organisation, municipalities=["240"])
    Offering.objects.filter(pk=offering.pk).update(
        confirmed_on=timezone.localdate() - timedelta(days=400)
    )
    token = analysis.confirm_token(offering=offering, person=editor)

    # when she opens it and presses the button with the keyboard
    page.goto(f"/fi/tray/analysis/confirm/{token}/")
    assert_accessible(page)
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages")

    # then the offering is confirmed
    assert_accessible(page)
    offering.refresh_from_db()
    assert offering.confirmed_on == timezone.localdate()

    # and a mangled link gets a clear message
    page.goto(f"/en/tray/analysis/confirm/{token[:-4]}abcd/")
    assert "not valid" in page.locator("[role=alert]").inner_text()
    assert_accessible(page)
    assert failed_responses == [f"400 {page.url}"]
