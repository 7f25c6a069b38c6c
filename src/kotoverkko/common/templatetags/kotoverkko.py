"""Template helpers shared by every app."""

import html
from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def options_html(choices: Iterable[tuple[object, str]]) -> str:
    """<option> elements for (value, label) pairs, all escaped, none selected.

    Long lists (309 municipalities) render far faster this way than with a template loop, and
    the result can be cached whole; `with_selected` marks the chosen one afterwards.
    """
    return "".join(
        f'<option value="{html.escape(str(value))}">{html.escape(str(label))}</option>'
        for value, label in choices
    )


@register.simple_tag
def with_selected(options: str, selected: object = None) -> SafeString:
    """Options made by options_html, with the one whose value is `selected` marked."""
    if selected not in (None, ""):
        needle = f'<option value="{html.escape(str(selected))}">'
        options = options.replace(needle, needle[:-1] + " selected>", 1)
    return mark_safe(options)  # noqa: S308 - built only by options_html, which escapes all
