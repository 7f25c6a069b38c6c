"""Search in a real browser, with the keyboard: a visitor finds a public document by a word
that is only inside an inflected compound in it, narrows by year, follows a suggestion; a
member finds her network's members-only material. axe-core on every page."""

import pytest

from kotoverkko.search.index import index_entry_save
from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import assert_accessible, tab_to
from tests.factories import NetworkFactory, member_of
from tests.search.conftest import DOCUMENT

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("voikko", "documents"),
]

PASSWORD = "salasana-123"

# The fixtures of tests/browser/conftest.py (Chromium, the live server, a fresh page), which
# pytest finds only for tests under that directory.
_static_root_exists = browser_fixtures._static_root_exists
live_server = browser_fixtures.live_server
browser = browser_fixtures.browser
page = browser_fixtures.page
failed_responses = browser_fixtures.failed_responses


def doc(object_id: int, title: str, body: str, **kwargs) -> None:
    index_entry_save(
        type=DOCUMENT,
        object_id=object_id,
        title=title,
        body=body,
        language="fi",
        url=f"/fi/networks/{object_id}/",
        **kwargs,
    )


def test_visitor_and_member_search_with_the_keyboard(page, failed_responses):
    # given
    network = NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO")
    doc(1, "Aikuisten koulutuspolut", "Kotoutumiskoulutuksen aloituspaikat Kemissä.", year=2024)
    doc(2, "Vanha muistio", "Kotoutumiskoulutuksen arviointi.", year=2019)
    doc(
        3,
        "Jäsenten tarjotin",
        "Kotoutumistarjottimen luonnos.",
        network=network,
        visibility="members",
    )
    # (no organisation: these tests do without the code lists, which a flush empties)
    member = member_of(network, email="aino@example.fi", organisation=None)

    # when a visitor searches a word found only inside a compound
    page.goto("/fi/search/")
    assert_accessible(page)
    tab_to(page, "#id_q")
    page.keyboard.type("koulutus")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results-heading")

    # then both documents are found, the word marked
    assert page.locator(".search-results > li").count() == 2
    assert page.locator(".search-results mark", has_text="Kotoutumiskoulutuksen").count() == 2
    assert_accessible(page)

    # when she narrows the search to one year and sends the form with the keyboard
    tab_to(page, "#id_year")
    page.select_option("#id_year", "2024")
    tab_to(page, "form[role=search] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**year=2024*")

    # then
    assert page.locator(".search-results > li").count() == 1

    # when a misspelt word finds nothing, the suggestion leads to the results
    page.goto("/en/search/?q=kotuotumistarjotin")
    assert_accessible(page)
    assert page.locator(".search-results > li").count() == 0
    assert page.get_by_text("Nothing was found").is_visible()

    # when the member logs in, her network's material is found
    page.goto("/en/accounts/login/")
    page.fill("#id_email", member.email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")
    page.goto("/en/search/?q=kotuotumistarjotin")
    page.get_by_role("link", name="kotoutumistarjotin").click()
    page.wait_for_selector(".search-results")
    assert page.locator(".search-results > li").count() == 1
    assert page.get_by_text("members only").is_visible()
    assert_accessible(page)
    assert failed_responses == []
