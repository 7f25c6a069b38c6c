"""The tray in a real browser: an editor adds an offering to her organisation's tray, confirms
it with the keyboard, and a visitor finds it on the public tray by its language; a wish gets an
answer. axe-core checks every page."""

import pytest

from kotoverkko.tray import services
from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import assert_accessible, tab_to
from tests.factories import NetworkFactory, OrganisationFactory, member_of, municipality
from tests.tray.factories import WishFactory, category

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; the code lists and the tray's vocabularies are
    # loaded again after an earlier test's flush (reference_data).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PASSWORD = "salasana-123"

_static_root_exists = browser_fixtures._static_root_exists
live_server = browser_fixtures.live_server
browser = browser_fixtures.browser
page = browser_fixtures.page
failed_responses = browser_fixtures.failed_responses


def log_in(page, email: str) -> None:
    page.goto("/en/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")


def test_an_editor_keeps_her_tray_and_a_visitor_finds_the_offering(page, failed_responses):
    # given an editor of the Red Cross in Kemi, a member of Meri-Lappi
    network = NetworkFactory(slug="meri-lappi", name_fi="Meri-Lappi", name_en="Meri-Lappi")
    network.municipalities.set([municipality("240")])
    red_cross = OrganisationFactory(name_fi="SPR Kemi", municipality=municipality("240"))
    editor = member_of(network, organisation=red_cross, email="leila@example.fi")
    red_cross.editors.add(editor)
    parish = OrganisationFactory(name_fi="Kemin seurakunta", municipality=municipality("240"))
    wish = WishFactory(organisation=parish, network=network, title_en="Ski course for families")

    # when she adds an offering through the form
    log_in(page, editor.email)
    page.goto(f"/en/tray/organisations/{red_cross.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Add an offering").click()
    page.wait_for_selector("h1:has-text('Add an offering')")
    assert_accessible(page)
    page.fill("#id_title_en", "Hometown friend")
    page.select_option("#id_category", str(category("early-phase").pk))
    page.get_by_role("checkbox", name="Arabic").check()
    page.get_by_role("button", name="Add").click()
    page.wait_for_selector("text=is on the tray")
    assert_accessible(page)

    # and confirms it as still valid with the keyboard
    tab_to(page, "form[action$='/confirm/'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=was confirmed as still valid")

    # then a visitor finds it by its language on the public tray
    page.context.clear_cookies()
    page.goto("/en/tray/")
    assert_accessible(page)
    page.select_option("#id_language", "ar")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Hometown friend").click()
    page.wait_for_selector("h1:has-text('Hometown friend')")
    assert_accessible(page)

    # when the editor answers the parish's wish
    log_in(page, editor.email)
    page.goto("/en/tray/wishes/")
    assert_accessible(page)
    page.get_by_role("link", name="Ski course for families").click()
    page.wait_for_selector("h1:has-text('Ski course for families')")
    assert_accessible(page)
    page.get_by_role("button", name="Let's do it together").click()
    page.wait_for_selector("text=Your answer was sent.")

    # then the answer is there
    assert wish.responses.get().organisation == red_cross
    page.goto("/en/tray/wishes/new/")
    assert_accessible(page)
    assert failed_responses == []


def test_the_coordinators_area_page_is_accessible(page, failed_responses):
    from tests.factories import coordinator_of

    network = NetworkFactory(slug="meri-lappi", name_fi="Meri-Lappi", name_en="Meri-Lappi")
    network.municipalities.set([municipality("240")])
    coordinator = coordinator_of(network, email="koordinaattori@example.fi", organisation=None)
    services.offering_create(
        actor=None,
        organisation=OrganisationFactory(name_fi="Kemin kirjasto"),
        data={
            "title_fi": "Kielikahvila",
            "category": category("open-to-all"),
            "municipalities": [municipality("240")],
            "languages": ["fi", "ru"],
        },
    )

    log_in(page, coordinator.email)
    page.goto("/en/tray/networks/meri-lappi/")

    assert page.get_by_role("link", name="Kielikahvila").is_visible()
    assert_accessible(page)
    assert failed_responses == []
