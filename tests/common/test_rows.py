from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from kotoverkko.common.rows import rows_html

ROW = '<tr><td><a href="{url}">{name}</a>{badge}</td><td>{place}</td></tr>'


def test_values_are_escaped_and_the_markup_is_kept():
    # given a row whose values hold markup, quotes and an ampersand
    row = {
        "url": '/fi/x/?a=1&b="2"',
        "name": "<script>alert('x')</script>",
        "badge": "",
        "place": "Pello & Kolari",
    }
    # when the rows are rendered
    html = rows_html(ROW, [row])
    # then only the row's own markup is markup
    assert html == (
        '<tr><td><a href="/fi/x/?a=1&amp;b=&quot;2&quot;">'
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</a></td>"
        "<td>Pello &amp; Kolari</td></tr>"
    )
    assert isinstance(html, SafeString)


def test_safe_values_are_kept_as_markup():
    # given a badge made with format_html, whose own text is escaped once
    badge = format_html(' <span class="badge">{}</span>', "<lakkautettu>")
    # when it is a row's value
    html = rows_html(ROW, [{"url": "/", "name": "Yhdistys", "badge": badge, "place": "Kemi"}])
    # then it is neither escaped again nor lost
    assert '<a href="/">Yhdistys</a> <span class="badge">&lt;lakkautettu&gt;</span>' in html


def test_braces_in_values_are_text_not_fields():
    # given values that look like format fields
    row = {"url": "/{url}", "name": "{0} {name.__class__}", "badge": "", "place": "{}"}
    # when the rows are rendered
    html = rows_html(ROW, [row])
    # then they appear as they are
    assert '<a href="/{url}">{0} {name.__class__}</a>' in html
    assert "<td>{}</td>" in html


def test_the_same_output_as_format_html_join():
    # given rows with text, numbers, None, lazy translations and safe markup
    rows = [
        {"url": "/1/", "name": "A&B", "badge": format_html("<b>{}</b>", "!"), "place": None},
        {"url": 2, "name": gettext_lazy("Organisations"), "badge": "", "place": "<i>"},
    ]
    # when both render them, then the result is the same
    assert rows_html(ROW, rows) == format_html_join("\n", ROW, rows)
    assert rows_html(ROW, rows, sep="") == format_html_join("", ROW, rows)


def test_no_rows_render_as_an_empty_safe_string():
    # given no rows, when rendered, then the result is empty (a template's {% if %} is false)
    html = rows_html(ROW, [])
    assert html == ""
    assert isinstance(html, SafeString)
