from kotoverkko.common.sanitize import sanitize_html


def test_scripts_and_event_handlers_are_removed():
    html = '<p onclick="x()">Hei <script>alert(1)</script><a href="javascript:x">linkki</a></p>'
    clean = sanitize_html(html)
    assert "script" not in clean
    assert "onclick" not in clean
    assert "javascript" not in clean
    assert "<p>Hei" in clean


def test_ordinary_formatting_and_links_are_kept():
    clean = sanitize_html('<p><strong>Tärkeä</strong> <a href="https://kotoutuminen.fi">x</a></p>')
    assert "<strong>Tärkeä</strong>" in clean
    assert 'href="https://kotoutuminen.fi"' in clean
    assert 'rel="noopener noreferrer nofollow"' in clean
