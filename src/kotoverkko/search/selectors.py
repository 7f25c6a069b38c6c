"""Reading the search index: search with filters and permissions, suggestions when nothing is
found, and an entry's similar entries.

Who sees what: public entries for everyone; an entry for members only for members of its
network (a member of a sub-network or team is a member of the networks above it), for the
coordinators of that network and of those above it, and for team leads of their team; the
administrators see all.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Sum
from django.utils import translation
from django.utils.safestring import SafeString

from kotoverkko.network.roles import NetworkTree, roles_for

from .analyser import LANGUAGES, AnalysedQuery, analyse_query, spelling_suggestions
from .backends import Where, backend
from .models import Entry, IndexedTerm, SimilarEntry
from .snippets import Matcher, highlight, snippet

PER_PAGE = 20
MAX_PER_PAGE = 100


def candidate_limit() -> int:
    """How many of the newest matches are ranked (see kotoverkko.search.backends)."""
    return int(getattr(settings, "SEARCH_CANDIDATE_LIMIT", 500))


@dataclass(frozen=True)
class SearchFilters:
    type: str = ""
    network: int | None = None  # a network's id: its entries and those of all below it
    organisation: int | None = None
    language: str = ""
    year: int | None = None


@dataclass(frozen=True)
class SearchHit:
    id: int  # the object's id within its type
    entry_id: int
    type: str
    title: str
    title_html: SafeString
    url: str
    score: float
    snippet: SafeString
    language: str
    year: int | None
    network_id: int | None
    organisation_id: int | None
    visibility: str


@dataclass(frozen=True)
class SearchResults:
    query: AnalysedQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0  # entries found (at least this many when capped)
    capped: bool = False  # more entries matched than were ranked
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1


def visible_network_ids(user) -> frozenset[int] | None:
    """The networks whose members-only entries the user sees; None for all (administrators)."""
    if user is not None and user.is_active and user.is_superuser:
        return None
    roles = roles_for(user)
    return roles.member_of | roles.coordinates | roles.leads


def _conditions(user, filters: SearchFilters) -> Where:
    conditions: list[tuple[str, tuple]] = []
    visible = visible_network_ids(user)
    if visible is not None:
        if visible:
            placeholders = ", ".join(["%s"] * len(visible))
            conditions.append(
                (
                    f"e.visibility = %s OR e.network_id IN ({placeholders})",
                    (Entry.Visibility.PUBLIC, *sorted(visible)),
                )
            )
        else:
            conditions.append(("e.visibility = %s", (Entry.Visibility.PUBLIC,)))
    if filters.type:
        conditions.append(("e.type = %s", (filters.type,)))
    if filters.network is not None:
        below = sorted(NetworkTree.load().descendants(filters.network))
        conditions.append((f"e.network_id IN ({', '.join(['%s'] * len(below))})", tuple(below)))
    if filters.organisation is not None:
        conditions.append(("e.organisation_id = %s", (filters.organisation,)))
    if filters.language:
        conditions.append(("e.language = %s", (filters.language,)))
    if filters.year is not None:
        conditions.append(("e.year = %s", (filters.year,)))
    return Where.all(conditions)


def url_in_language(url: str, language: str) -> str:
    """An entry's address in the reader's language: the pages are the same in every language
    but for the prefix."""
    for code in LANGUAGES:
        prefix = f"/{code}/"
        if url.startswith(prefix):
            return f"/{language}/{url[len(prefix) :]}"
    return url


def _hit(entry: Entry, score: float, matchers: dict[str, Matcher], language: str) -> SearchHit:
    """A result as shown: its title in the reader's language, the address in it, and the
    words found marked (matchers: one by language, shared by the page's results)."""
    title = entry.titles.get(language) or entry.title
    title_language = language if entry.titles.get(language) else entry.language
    return SearchHit(
        id=entry.object_id,
        entry_id=entry.pk,
        type=entry.type,
        title=title,
        title_html=highlight(title, matchers[title_language]),
        url=url_in_language(entry.url, language),
        score=score,
        snippet=snippet(entry.text, matchers[entry.language]),
        language=entry.language,
        year=entry.year,
        network_id=entry.network_id,
        organisation_id=entry.organisation_id,
        visibility=entry.visibility,
    )


ENTRY_COLUMNS = (
    "id",
    "object_id",
    "type",
    "title",
    "titles",
    "url",
    "text",
    "language",
    "year",
    "network_id",
    "organisation_id",
    "visibility",
)


def _matchers(terms: frozenset[str]) -> dict[str, Matcher]:
    return {language: Matcher(terms, language) for language in LANGUAGES}


def search(
    query: str | AnalysedQuery,
    *,
    user,
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    language: str | None = None,
) -> SearchResults:
    """Entries matching every word of the query (in any of its forms) that the user may see,
    best first. `language` analyses the query in that language only; without it a word is
    looked for in its Finnish, Swedish and English forms."""
    filters = filters or SearchFilters()
    analysed = query if isinstance(query, AnalysedQuery) else analyse_query(query, language)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    if not analysed:
        return SearchResults(query=analysed, page=page, per_page=per_page)
    ranked = backend().rank(analysed, _conditions(user, filters), candidate_limit())
    order = sorted(ranked.scores.items(), key=lambda item: (-item[1], -item[0]))
    total = len(order)
    page = min(page, max(1, math.ceil(total / per_page)))
    chosen = order[(page - 1) * per_page : page * per_page]
    rows = Entry.objects.only(*ENTRY_COLUMNS).in_bulk([pk for pk, _score in chosen])
    reader_language = translation.get_language() or settings.LANGUAGE_CODE
    matchers = _matchers(analysed.terms)
    hits = [_hit(rows[pk], score, matchers, reader_language) for pk, score in chosen if pk in rows]
    return SearchResults(
        query=analysed,
        hits=hits,
        total=total,
        capped=ranked.capped,
        page=page,
        per_page=per_page,
    )


def search_count(query: AnalysedQuery, *, user, filters: SearchFilters | None = None) -> int:
    """How many entries the user would find (counting stops at the candidate limit)."""
    if not query:
        return 0
    where = _conditions(user, filters or SearchFilters())
    return backend().count(query, where, candidate_limit())


# Suggestions --------------------------------------------------------------------------------


# Words of one query that suggestions try to correct at most.
MAX_CORRECTED_WORDS = 3


@dataclass(frozen=True)
class Suggestion:
    query: str
    count: int


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one), or limit + 1 when it
    is more than limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def _vocabulary_near(word: str, *, limit: int = 5) -> list[str]:
    """Indexed terms spelt like the word (one or two edits away), or that it begins."""
    word = word.lower()
    if len(word) < 3:
        return []
    prefix = word[:2]
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    rows = (
        IndexedTerm.objects.filter(term__gte=prefix, term__lt=after, entries__gt=0)
        .values("term")
        .annotate(total=Sum("entries"))
        .order_by("-total", "term")[:5000]
    )
    allowed = 1 if len(word) <= 5 else 2
    scored = []
    for row in rows:
        term = row["term"]
        if term == word:
            continue
        distance = _edit_distance(word, term, allowed)
        if distance > allowed and len(word) >= 4 and term.startswith(word):
            distance = allowed
        if distance <= allowed:
            scored.append((distance, -row["total"], term))
    return [term for _distance, _total, term in sorted(scored)[:limit]]


def _replacements(word: str) -> list[str]:
    found = spelling_suggestions(word) + _vocabulary_near(word)
    return list(dict.fromkeys(w for w in found if w.lower() != word.lower()))


def suggestions(
    query: str, user, *, filters: SearchFilters | None = None, limit: int = 3
) -> list[Suggestion]:
    """Other queries that find something, for a query that found nothing: its misspelt or
    unknown words corrected (Voikko's corrections, or indexed terms one or two edits away),
    or words left out."""
    filters = filters or SearchFilters()
    analysed = analyse_query(query)
    if not analysed:
        return []
    texts = [word.text for word in analysed.words]
    missing = [
        i
        for i, word in enumerate(analysed.words)
        if not search_count(AnalysedQuery((word,)), user=user, filters=filters)
    ]
    candidates: list[list[str]] = []
    for i in missing[:MAX_CORRECTED_WORDS]:
        for replacement in _replacements(texts[i])[:3]:
            candidates.append(texts[:i] + [replacement] + texts[i + 1 :])
    if len(texts) > 1:
        dropped = [i for i in range(len(texts)) if i in missing] or list(range(len(texts)))
        for i in dropped:
            candidates.append(texts[:i] + texts[i + 1 :])
    found: dict[str, Suggestion] = {}
    for words in candidates:
        text = " ".join(words)
        if text in found or text == " ".join(texts):
            continue
        count = search_count(analyse_query(text), user=user, filters=filters)
        if count:
            found[text] = Suggestion(query=text, count=count)
        if len(found) >= limit:
            break
    return list(found.values())


# Similar entries ----------------------------------------------------------------------------


def similar_for(*, type: str, object_id: int, user, limit: int = 10) -> list[SearchHit]:
    """The most similar entries of the same type that the user may see, best first."""
    visible = visible_network_ids(user)
    rows = (
        SimilarEntry.objects.filter(entry__type=type, entry__object_id=object_id)
        .select_related("other")
        .order_by("-score", "other_id")
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    matchers = _matchers(frozenset())
    hits = []
    for row in rows:
        other = row.other
        if (
            visible is not None
            and other.visibility != Entry.Visibility.PUBLIC
            and other.network_id not in visible
        ):
            continue
        hits.append(_hit(other, row.score, matchers, language))
        if len(hits) >= limit:
            break
    return hits


def index_years() -> list[int]:
    """The years entries are from, newest first (the search page's year filter)."""
    return list(
        Entry.objects.filter(year__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
