"""A network's pages in a real browser: three languages, keyboard use, axe-core on every page."""

import pytest

from kotoverkko.network.models import JoinRequest, Membership, Network
from tests.browser.helpers import assert_accessible, focused_matches, tab_to
from tests.factories import JoinRequestFactory, NetworkFactory, TeamFactory, coordinator_of

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; the code lists loaded by migrations come back
    # from the serialized copy after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "salasana-123"
NAMES = {
    "fi": "Lapin MAKO – maahanmuuttoasioiden verkosto",
    "sv": "Lapplands MAKO – nätverket för invandringsfrågor",
    "en": "Lapland MAKO – the immigration network",
}
TEAM_NAMES = {
    "fi": "Pakolaisten vastaanotto",
    "sv": "Mottagande av flyktingar",
    "en": "Refugee reception",
}


def lapin_mako() -> Network:
    network = NetworkFactory(
        slug="lapin-mako",
        name_fi=NAMES["fi"],
        name_sv=NAMES["sv"],
        name_en=NAMES["en"],
        short_name="MAKO",
        description_fi="Lapin maahanmuutto- ja kotouttamistoimijoiden yhteinen verkosto.",
        description_sv="Lapplands gemensamma nätverk för invandrings- och integrationsaktörer.",
        description_en="The joint network of immigration and integration actors in Lapland.",
        languages=["fi", "sv", "en"],
    )
    TeamFactory(
        parent=network,
        slug="lapin-mako-vastaanotto",
        name_fi=TEAM_NAMES["fi"],
        name_sv=TEAM_NAMES["sv"],
        name_en=TEAM_NAMES["en"],
        languages=["fi", "sv", "en"],
    )
    return network


def assert_network_home_in(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text().startswith(NAMES[language])
    assert page.get_by_role("link", name=TEAM_NAMES[language]).count() == 1
    current = page.locator(".language-switcher a[aria-current]")
    assert current.get_attribute("hreflang") == language


def test_network_home_speaks_three_languages_and_switches_language_by_keyboard(
    page, screenshot_dir, failed_responses
):
    # given
    network = lapin_mako()
    coordinator_of(network, first_name="Aino", last_name="Korhonen")
    home_path = f"/networks/{network.slug}/"

    # when the page is opened in each language
    # then it names the network in that language and says so in <html lang>
    for language in ("fi", "sv", "en"):
        page.goto(f"/{language}{home_path}")
        assert_network_home_in(page, language)
        assert_accessible(page)

    # given the Finnish page
    page.goto(f"/fi{home_path}")
    page.screenshot(path=screenshot_dir / "network-home.png", full_page=True)

    # when the Swedish link of the language switcher is reached with Tab and followed with Enter
    tab_to(page, '.language-switcher a[hreflang="sv"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sv{home_path}")

    # then the same page is shown in Swedish
    assert_network_home_in(page, "sv")
    assert_accessible(page)

    # when the English link is clicked
    page.locator('.language-switcher a[hreflang="en"]').click()
    page.wait_for_url(f"**/en{home_path}")

    # then the same page is shown in English
    assert_network_home_in(page, "en")
    assert failed_responses == []


def test_coordinator_logs_in_and_accepts_a_join_request_by_keyboard(
    page, screenshot_dir, failed_responses
):
    # given
    network = lapin_mako()
    coordinator = coordinator_of(network, first_name="Aino", last_name="Korhonen")
    join_request = JoinRequestFactory(
        network=network,
        first_name="Noora",
        last_name="Hakala",
        email="noora.hakala@example.fi",
        organisation_name="Kemin kaupunki",
    )

    # when the coordinator logs in with the keyboard only
    page.goto("/fi/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert_accessible(page)
    if not focused_matches(page, "#id_email"):
        tab_to(page, "#id_email")
    page.keyboard.type(coordinator.email)
    page.keyboard.press("Tab")
    assert focused_matches(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    # then the dashboard greets her and points to the waiting request
    page.wait_for_url("**/fi/my/")
    assert "Aino" in page.locator("h1").inner_text()
    assert page.locator('a[href="/fi/coordination/requests/"]').count() >= 1
    assert_accessible(page)

    # when she opens the join requests
    page.goto("/fi/coordination/requests/")

    # then the request is shown with its decision buttons
    card = page.locator("section.card", has_text="Noora Hakala")
    assert card.count() == 1
    assert NAMES["fi"] in card.locator("h2").inner_text()
    assert "Kemin kaupunki" in card.inner_text()
    page.screenshot(path=screenshot_dir / "join-requests.png", full_page=True)
    assert_accessible(page)

    # when she reaches the Accept button with Tab and presses Enter
    tab_to(page, f'form[action$="/requests/{join_request.pk}/accept/"] button')
    page.keyboard.press("Enter")

    # then the page confirms it, and the applicant is a member
    success = page.locator(".messages .message-success")
    success.wait_for()
    assert "Noora Hakala" in success.inner_text()
    assert NAMES["fi"] in success.inner_text()
    assert page.locator("section.card", has_text="Noora Hakala").count() == 0
    assert_accessible(page)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert Membership.objects.filter(
        network=network,
        person__email="noora.hakala@example.fi",
        status=Membership.Status.ACTIVE,
    ).exists()

    # when she opens the members page
    page.goto(f"/fi/coordination/networks/{network.slug}/members/")

    # then the new member is listed next to her
    members = page.locator("table tbody")
    assert "Noora Hakala" in members.inner_text()
    assert "Aino Korhonen" in members.inner_text()
    assert_accessible(page)

    # when she opens the organisation directory
    page.goto("/fi/organisations/")

    # then the coordinator's organisation is listed
    directory = page.locator("table tbody")
    assert directory.get_by_role("link", name=coordinator.organisation.name).count() == 1
    assert_accessible(page)
    assert failed_responses == []
