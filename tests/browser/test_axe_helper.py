"""The accessibility check itself must catch a broken page, or a green run means nothing."""

import pytest

from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser

BROKEN_PAGE = """<!DOCTYPE html><html><head><title>Broken</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="q">
<p style="color:#aaa;background:#fff">Pale text</p>
</main></body></html>"""


@pytest.fixture
def blank_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_axe_check_lists_each_violation_with_its_nodes(blank_page):
    # given
    blank_page.set_content(BROKEN_PAGE)

    # when
    with pytest.raises(AssertionError) as failure:
        assert_accessible(blank_page)

    # then
    message = str(failure.value)
    for rule in ("html-has-lang", "image-alt", "label", "color-contrast"):
        assert f"- {rule} " in message
    assert "html:   <img" in message
    assert "target: ['input']" in message
