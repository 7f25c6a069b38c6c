"""A workshop in a real browser: an invited person fills in her organisation's tray through her
link while the coordinator's compiled view, open beside it, shows the offering appear without a
reload; the coordinator records a follow-up action with the keyboard and downloads the summary.
axe-core checks every page."""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kotoverkko.tray import workshop as workshops
from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import assert_accessible, tab_to
from tests.factories import NetworkFactory, OrganisationFactory, coordinator_of, municipality

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


def test_invited_person_fills_her_tray_and_the_coordinator_sees_it_live(
    page, browser, live_server, failed_responses, tmp_path
):
    # given an open workshop in Kemi with one invited person from the Red Cross
    from playwright.sync_api import expect

    network = NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO", name_en="Lapland MAKO")
    network.municipalities.set([municipality("240")])
    coordinator = coordinator_of(network, email="koordinaattori@example.fi", organisation=None)
    red_cross = OrganisationFactory(name_fi="Punainen Risti Kemi", municipality=municipality("240"))
    workshop = workshops.workshop_create(
        actor=None,
        network=network,
        data={
            "title": "Kemin Starttipaja",
            "date": timezone.localdate(),
            "place": "Kemin kirjasto",
            "municipality": municipality("240"),
        },
    )
    workshops.workshop_open(actor=None, workshop=workshop)
    invitation = workshops.invitation_add(
        actor=None,
        workshop=workshop,
        organisation=red_cross,
        name="Leila Nieminen",
        email="leila@example.fi",
    )
    link = f"/en/tray/workshops/link/{workshops.invitation_token(invitation)}/"

    # when the coordinator logs in and opens the workshop's compiled view
    page.goto("/en/accounts/login/")
    page.fill("#id_email", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")
    page.goto("/en/tray/workshops/")
    assert_accessible(page)
    page.get_by_role("link", name="Kemin Starttipaja").click()
    page.wait_for_selector("h1:has-text('Kemin Starttipaja')")
    live = page.locator("#workshop-live")
    expect(live).to_contain_text("Nothing offered here yet.")
    assert_accessible(page)
    for path in ("invitations/", "edit/"):
        page.goto(f"/en/tray/workshops/{workshop.pk}/{path}")
        assert_accessible(page)
    page.goto("/en/tray/workshops/new/")
    assert_accessible(page)
    page.goto(f"/en/tray/workshops/{workshop.pk}/")
    detail_url = page.url

    # and, in a browser of her own, the invited person opens her link and adds an offering
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(browser_fixtures.DEFAULT_TIMEOUT_MS)
    guest = context.new_page()
    guest.goto(link)
    guest.wait_for_selector("h1:has-text('The tray of Punainen Risti Kemi')")
    assert_accessible(guest)
    guest.select_option("#id_category", label="Activities open to everyone on equal terms")
    guest.fill("#id_title_fi", "Kielikahvila Kemissä")
    guest.get_by_label("Finnish", exact=True).check()
    guest.get_by_label("Arabic").check()
    guest.get_by_label("evenings").check()
    guest.get_by_role("button", name="Add to the tray").click()
    guest.wait_for_selector("th:has-text('Kielikahvila Kemissä')")
    assert_accessible(guest)
    guest.fill("#id_title", "Hiihtokurssi")
    guest.get_by_role("button", name="Post the wish").click()
    guest.wait_for_selector("li:has-text('Hiihtokurssi')")
    context.close()

    # then the coordinator's view shows both without a reload
    assert page.url == detail_url
    expect(live).to_contain_text("Punainen Risti Kemi: Kielikahvila Kemissä (Finnish, Arabic)")
    expect(live).to_contain_text("Hiihtokurssi")
    expect(live.locator(".badge", has_text="invited")).to_have_count(1)
    assert_accessible(page)

    # when she records a follow-up action with the keyboard
    tab_to(page, "#id_what")
    page.keyboard.type("Kielikahvilan tilat sovitaan")
    page.keyboard.press("Tab")
    page.keyboard.type("Leila Nieminen")
    tab_to(page, "#id_due_on")
    page.keyboard.type("05312030")
    tab_to(page, "#follow-ups form[action$='/follow-ups/'] button[type=submit]")
    page.keyboard.press("Enter")

    # then it is in the list
    row = page.locator("#follow-ups tbody tr", has_text="Kielikahvilan tilat sovitaan")
    expect(row).to_contain_text("31.5.2030")
    assert_accessible(page)

    # and the summary prints and downloads as a workbook that opens
    page.get_by_role("link", name="Summary").click()
    page.wait_for_selector("h1:has-text('Summary of Kemin Starttipaja')")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as XLSX").click()
    download = download_info.value
    assert re.fullmatch(r"kemin-starttipaja-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    titles = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"Kielikahvila Kemissä", "Hiihtokurssi", "Kielikahvilan tilat sovitaan"} <= titles
    assert failed_responses == []


def test_a_link_of_a_closed_workshop_says_it_has_ended(page, failed_responses):
    network = NetworkFactory(slug="lapin-mako")
    network.municipalities.set([municipality("240")])
    workshop = workshops.workshop_create(
        actor=None,
        network=network,
        data={
            "title": "Kemin Starttipaja",
            "date": timezone.localdate(),
            "municipality": municipality("240"),
        },
    )
    invitation = workshops.invitation_add(
        actor=None,
        workshop=workshop,
        organisation=OrganisationFactory(municipality=municipality("240")),
        name="Leila",
        email="leila@example.fi",
    )
    token = workshops.invitation_token(invitation)
    workshops.workshop_close(actor=None, workshop=workshop)

    page.goto(f"/en/tray/workshops/link/{token}/")
    page.wait_for_selector("h1:has-text('This workshop has ended')")
    assert_accessible(page)
    assert failed_responses == [f"410 {page.url}"]
