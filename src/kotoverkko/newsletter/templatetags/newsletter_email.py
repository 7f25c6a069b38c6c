"""Filters of the bulletin's e-mail: plain text as paragraphs with their styles inlined, since
mail clients drop or ignore style sheets."""

import re

from django import template
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

register = template.Library()

PARAGRAPH_STYLE = "margin:0 0 12px;"
LINK_STYLE = "color:#0b5394;text-decoration:underline;"


@register.filter
def email_paragraphs(value: str, link_class: str = "kv-link") -> SafeString:
    """Paragraphs (separated by blank lines) of escaped text, addresses made links, every
    element styled inline."""
    text = normalize_newlines(str(value or "")).strip()
    if not text:
        return mark_safe("")  # noqa: S308 - an empty string
    parts = []
    for paragraph in re.split(r"\n\s*\n", text):
        # urlize escapes everything that is not a link, so "<a " can only be its own tags.
        html = urlize(paragraph.strip(), autoescape=True)
        html = html.replace("<a ", f'<a class="{link_class}" style="{LINK_STYLE}" ')
        html = html.replace("\n", "<br>")
        parts.append(f'<p style="{PARAGRAPH_STYLE}">{html}</p>')
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped text above


@register.filter
def text_paragraphs(value: str) -> str:
    """Plain text with runs of blank lines made one, for the plain-text e-mail."""
    text = normalize_newlines(str(value or "")).strip()
    return re.sub(r"\n\s*\n+", "\n\n", text)
