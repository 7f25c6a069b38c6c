"""Snippets and highlighted titles: the words whose analysis hits a query term are marked.

Worked out in Python from the stored text with the same analyser as the index, so a word is
marked exactly when it is why the entry was found (kunnissa for a search of "kunta",
kotoutumiskoulutuksen for "koulutus"). Everything else is escaped.
"""

import html

from django.utils.safestring import SafeString, mark_safe

from .analyser import WORD, word_terms, words

SNIPPET_WORDS = 30
# Long texts are looked at up to here for the passage to show (as much as is stored).
SCAN_CHARS = 10_000


class Matcher:
    """Tells whether a word's analysis hits the query's terms; one per query and language, so
    that the words repeated over a page of results are analysed once."""

    def __init__(self, terms: frozenset[str], language: str):
        self.terms = terms
        self.language = language
        self.known: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        hit = self.known.get(word)
        if hit is None:
            hit = self.known[word] = not self.terms.isdisjoint(word_terms(word, self.language))
        return hit


def _hits(text: str, matcher: Matcher) -> list[tuple[int, int, bool]]:
    """(start, end, hit) of each word of the text."""
    return [(m.start(), m.end(), matcher(m.group())) for m in words(text)]


def _marked(text: str, spans: list[tuple[int, int, bool]], start: int, end: int) -> str:
    """The text from start to end, escaped, with the hit words in <mark>."""
    out, position = [], start
    for word_start, word_end, hit in spans:
        if not hit or word_end <= start or word_start >= end:
            continue
        out.append(html.escape(text[position:word_start]))
        out.append("<mark>" + html.escape(text[word_start:word_end]) + "</mark>")
        position = word_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def highlight(text: str, matcher: Matcher) -> SafeString:
    """The whole (short) text, escaped, with the words found marked (a result's title)."""
    text = text or ""
    return mark_safe(_marked(text, _hits(text, matcher), 0, len(text)))  # noqa: S308


def snippet(text: str, matcher: Matcher, *, length: int = SNIPPET_WORDS) -> SafeString:
    """A passage of about `length` words with the most query words in it, marked; the start
    of the text when none is in it."""
    text = " ".join((text or "")[:SCAN_CHARS].split())
    if not text:
        return mark_safe("")  # noqa: S308
    # Each distinct word is looked at once; most texts are found by few of their words.
    found = {word for word in set(WORD.findall(text)) if matcher(word)}
    if not found:
        head = text[: length * 12]
        cut = head.rfind(" ") if len(head) < len(text) else -1
        if cut > 0:
            return mark_safe(html.escape(head[:cut]) + " …")  # noqa: S308
        return mark_safe(html.escape(head))  # noqa: S308
    spans = [(m.start(), m.end(), m.group() in found) for m in WORD.finditer(text)]
    hit_positions = [i for i, span in enumerate(spans) if span[2]]
    # The window of `length` words holding the most hits, with a little context before it.
    best, best_count, right = hit_positions[0], 0, 0
    for left_index, left in enumerate(hit_positions):
        while right < len(hit_positions) and hit_positions[right] < left + length:
            right += 1
        if right - left_index > best_count:
            best, best_count = left, right - left_index
    first = max(0, best - 5)
    last = min(len(spans), first + length) - 1
    start = 0 if first == 0 else spans[first][0]
    end = len(text) if last == len(spans) - 1 else spans[last][1]
    body = _marked(text, spans, start, end)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308
