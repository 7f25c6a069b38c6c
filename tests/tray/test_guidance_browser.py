"""Guidance in a real browser: a front-line worker describes a client's need in her own words,
with the keyboard, and finds the language café in its inflected form, with why it matched and
how to take part. axe-core checks the page in each of its states."""

import pytest

from kotoverkko.tray import search as tray_search
from tests.browser import conftest as browser_fixtures
from tests.browser.helpers import assert_accessible, tab_to
from tests.search import conftest as search_fixtures
from tests.tray.factories import OfferingFactory

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed rows; the code lists and the tray's vocabularies are
    # loaded again after an earlier test's flush (reference_data).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data", "voikko"),
]

_static_root_exists = browser_fixtures._static_root_exists
live_server = browser_fixtures.live_server
browser = browser_fixtures.browser
page = browser_fixtures.page
failed_responses = browser_fixtures.failed_responses
voikko = search_fixtures.voikko


def test_a_worker_finds_an_offering_for_a_need_in_free_text(page, failed_responses):
    # given a language café in Kemi for women, in Arabic and Finnish, and a job club
    tray_search.register()
    OfferingFactory(
        title_fi="Naisten kielikahvila",
        title_en="Women's language café",
        how_to_join_fi="Tule paikalle keskiviikkona kello 18.",
        how_to_join_en="Come on Wednesdays at 6 pm.",
        languages=["ar", "fi"],
        times=["evenings"],
        groups=["women"],
        municipalities=["240"],
        contact_name="Aino Korhonen",
    )
    OfferingFactory(
        title_fi="Työnhakuklinikka",
        description_fi="Apua työnhakuun.",
        municipalities=["240"],
        groups=["job-seekers"],
        times=["daytime"],
    )

    # when she opens the guidance page and describes the need with the keyboard
    page.goto("/en/tray/guidance/")
    assert_accessible(page)
    tab_to(page, "#id_q")
    page.keyboard.type("Arabiankielinen äiti Kemissä haluaa kielikahvilaan iltaisin")
    tab_to(page, "form.guidance-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results-heading")

    # then the café is found with why it matched and how to take part
    results = page.locator("ol.guidance-results > li")
    assert results.count() == 1
    text = results.first.inner_text()
    assert "Women's language café" in text
    assert "Place: Kemi" in text
    assert "Language: Arabic" in text
    assert "Words: kielikahvilaan" in text
    assert "Come on Wednesdays at 6 pm." in text
    assert "Aino Korhonen" in text
    assert_accessible(page)
    assert failed_responses == []
