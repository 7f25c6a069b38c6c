"""The library in a real browser: a member adds her slides to a meeting, finds them by a word
that is only inside an inflected compound in them, and opens a similar document. The keyboard
does the work where a person would use it; axe-core checks every page."""

import pytest

from kotoverkko.library import services
from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import assert_accessible, tab_to
from tests.events.factories import AgendaItemFactory, EventFactory
from tests.factories import NetworkFactory, member_of
from tests.library.files import pptx_bytes
from tests.search import conftest as search_fixtures

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("voikko"),
]

PASSWORD = "salasana-123"

_static_root_exists = browser_fixtures._static_root_exists
live_server = browser_fixtures.live_server
browser = browser_fixtures.browser
page = browser_fixtures.page
failed_responses = browser_fixtures.failed_responses
# The real Finnish analyser (tests/search/conftest.py).
voikko = search_fixtures.voikko


def test_member_adds_slides_to_a_meeting_finds_them_and_opens_a_similar_one(
    page, failed_responses, tmp_path
):
    # given a meeting of her network and two documents already in the library
    network = NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO", name_en="Lapland MAKO")
    event = EventFactory(network=network, title_en="MAKO spring meeting", languages=["fi"])
    AgendaItemFactory(event=event, title_en="Current affairs")
    # (no organisation: these tests do without the code lists, which a flush empties)
    member = member_of(network, email="aino@example.fi", organisation=None)
    services.document_create_text(
        actor=None,
        text="Kotoutumiskoulutus ja työllisyys Lapin kunnissa. Kotoutumiskoulutuksen "
        "aloituspaikat ja kunnat yhteistyössä.",
        data={"title_fi": "Työllisyys ja kotoutuminen Lapissa", "network": network},
    )
    services.document_create_text(
        actor=None,
        text="Metsäretki ja marjastus perheille syksyllä.",
        data={"title_fi": "Syysretki", "network": network},
    )
    slides = tmp_path / "kevatkokous.pptx"
    slides.write_bytes(
        pptx_bytes(
            ["Kotoutumiskoulutuksen tilanne Lapin kunnissa"],
            ["Työllisyys ja kotoutuminen: kunnat ja yhteistyö"],
        )
    )

    # when she logs in and goes to the meeting's page
    page.goto("/en/accounts/login/")
    page.fill("#id_email", member.email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")
    page.goto(f"/en/events/{event.pk}/")
    assert_accessible(page)

    # and follows the link to add slides, with the keyboard
    tab_to(page, f'a[href="/en/library/add/?event={event.pk}"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Add a document')")
    assert_accessible(page)
    page.set_input_files("#id_file", str(slides))
    tab_to(page, "#id_title_fi")
    page.keyboard.type("Kevätkokouksen kalvot")
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")

    # then the document's page shows the text read from the slides
    page.wait_for_selector("h1:has-text('Kevätkokouksen kalvot')")
    assert page.locator(".transcript", has_text="Kotoutumiskoulutuksen tilanne").is_visible()
    assert page.get_by_role("link", name="MAKO spring meeting").is_visible()
    assert_accessible(page)
    mine = page.url
    page.get_by_role("link", name="Edit the details").click()
    page.wait_for_selector("h1:has-text('Edit the document')")
    assert_accessible(page)
    page.goto(mine.replace("/edit/", "/") + "delete/")
    page.wait_for_selector("button:has-text('Remove the document')")
    assert_accessible(page)

    # when she searches the library for a word found only inside a compound in the slides
    page.goto("/en/library/")
    assert_accessible(page)
    tab_to(page, "#library-q")
    page.keyboard.type("koulutus")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results-heading")

    # then her slides are found, and she opens them
    result = page.get_by_role("link", name="Kevätkokouksen kalvot")
    assert result.is_visible()
    assert_accessible(page)
    result.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Kevätkokouksen kalvot')")

    # and the similar document shares her subject, not the outing
    similar = page.locator("ol.similar li")
    assert similar.first.inner_text().startswith("Työllisyys ja kotoutuminen Lapissa")
    similar.first.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Työllisyys ja kotoutuminen Lapissa')")
    assert_accessible(page)
    assert failed_responses == []
