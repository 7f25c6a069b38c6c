"""Client guidance: a front-line worker's description of a client's need, in free text and in
picks, matched against the tray's offerings, best first, each with why it matched.

The text is read word by word through the search analyser: a municipality in any inflection
(Kemissä, Kemiin), a language as a name or an adjective (arabiankielinen, arabiaa puhuva,
Arabic-speaking, arabisktalande), a client group (äiti, nuorille, job seekers) and a time of
day (illalla, iltaisin, weekends). What remains are the words, matched against the offerings'
terms in the search index (entries of type "offering"), so that "kahvilaan" finds a
"Kielikahvila". A pick made in the form overrides what the text says of the same thing.

Ranking looks at the offerings of the municipality and those for its whole region (one SQL
query), scoring place, language, group, stage, time and words in Python. When none of them
fits, the other municipalities of the same region follow, marked as nearby. Without a
municipality, the words find their candidates through the search index.
"""

import heapq
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from kotoverkko.codelists.models import Municipality, Region
from kotoverkko.common.cache import public_pages_version
from kotoverkko.search.analyser import AnalysedQuery, QueryWord, analyse, analyse_query, words
from kotoverkko.search.backends import Where, backend
from kotoverkko.search.models import Entry

from .languages import LANGUAGES, language_name
from .models import ClientGroup, Offering, PathStage, TimeOfDay
from .search import OFFERING, offering_entry

RESULT_LIMIT = 20
MAX_RESULTS = 50
# Candidates looked at when no municipality narrows them down.
NATIONAL_CANDIDATES = 500

# What each kind of match weighs. The place is the same for most candidates of one search;
# it orders an offering of the municipality itself ahead of one for its whole region.
PLACE_WEIGHTS = {"municipality": 3.0, "region": 2.0, "nearby": 1.0, "anywhere": 0.0}
LANGUAGE_WEIGHT = 4.0
GROUP_WEIGHT = 3.0
EVERYONE_WEIGHT = 1.0
STAGE_WEIGHT = 2.0
TIME_WEIGHT = 2.0
TITLE_WORD_WEIGHT = 2.0
BODY_WORD_WEIGHT = 1.0

EVERYONE = "everyone"

# Languages that a need names as an adjective only: "suomenkielinen", "Finnish-speaking".
# "Wants to practise Finnish" names the subject, not the client's language, and stays a word.
ADJECTIVE_ONLY = frozenset({"fi", "sv", "en"})
# The second part of a language adjective (arabian+kielinen, arabisk+talande, Arabic-speaking);
# on its own such a word says nothing the offerings could match.
SPEAKING = frozenset(
    {"kielinen", "puhuva", "speaking", "speaker", "talande", "språkig", "språkiga"}
)
SWEDISH_SPEAKING_ENDINGS = ("talande", "språkiga", "språkig")

# Words that never name a municipality on their own (parts of "Koski Tl", "Pedersören kunta").
NOT_PLACE_NAMES = frozenset({"kunta", "tl", "koski"})

# Base forms (Finnish) and words (Swedish, English) naming client groups, by language.
GROUP_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "äiti": ("women", "families"),
        "isä": ("men", "families"),
        "nainen": ("women",),
        "mies": ("men",),
        "tyttö": ("young-people", "women"),
        "poika": ("young-people", "men"),
        "nuori": ("young-people",),
        "nuoriso": ("young-people",),
        "teini": ("young-people",),
        "lapsi": ("children",),
        "vauva": ("families", "children"),
        "perhe": ("families",),
        "lapsiperhe": ("families",),
        "vanhempi": ("families",),
        "työnhakija": ("job-seekers",),
        "työtön": ("job-seekers",),
        "opiskelija": ("students",),
        "ikääntynyt": ("seniors",),
        "ikäihminen": ("seniors",),
        "vanhus": ("seniors",),
        "eläkeläinen": ("seniors",),
        "seniori": ("seniors",),
        "turvapaikanhakija": ("asylum-seekers",),
        "pakolainen": ("refugees",),
        "kiintiöpakolainen": ("refugees",),
    },
    "en": {
        "mother": ("women", "families"),
        "mum": ("women", "families"),
        "mom": ("women", "families"),
        "father": ("men", "families"),
        "dad": ("men", "families"),
        "woman": ("women",),
        "women": ("women",),
        "man": ("men",),
        "men": ("men",),
        "girl": ("young-people", "women"),
        "boy": ("young-people", "men"),
        "young": ("young-people",),
        "youth": ("young-people",),
        "teenager": ("young-people",),
        "child": ("children",),
        "children": ("children",),
        "kid": ("children",),
        "baby": ("families", "children"),
        "family": ("families",),
        "families": ("families",),
        "parent": ("families",),
        "jobseeker": ("job-seekers",),
        "job": ("job-seekers",),
        "unemployed": ("job-seekers",),
        "student": ("students",),
        "senior": ("seniors",),
        "elderly": ("seniors",),
        "pensioner": ("seniors",),
        "asylum": ("asylum-seekers",),
        "refugee": ("refugees",),
    },
    "sv": {
        "mamma": ("women", "families"),
        "pappa": ("men", "families"),
        "kvinna": ("women",),
        "kvinnor": ("women",),
        "män": ("men",),
        "flicka": ("young-people", "women"),
        "pojke": ("young-people", "men"),
        "ung": ("young-people",),
        "unga": ("young-people",),
        "ungdom": ("young-people",),
        "ungdomar": ("young-people",),
        "barn": ("children",),
        "familj": ("families",),
        "barnfamilj": ("families",),
        "förälder": ("families",),
        "föräldrar": ("families",),
        "arbetssökande": ("job-seekers",),
        "arbetslös": ("job-seekers",),
        "studerande": ("students",),
        "äldre": ("seniors",),
        "pensionär": ("seniors",),
        "asylsökande": ("asylum-seekers",),
        "flykting": ("refugees",),
    },
}

TIME_WORDS: dict[str, dict[str, str]] = {
    "fi": {
        "ilta": "evenings",
        "iltainen": "evenings",
        "iltaisin": "evenings",
        "päivisin": "daytime",
        "päiväsaikaan": "daytime",
        "aamuisin": "daytime",
        "aamupäivä": "daytime",
        "iltapäivä": "daytime",
        "iltapäivisin": "daytime",
        "arkipäivä": "daytime",
        "arkipäivisin": "daytime",
        "viikonloppu": "weekends",
        "viikonloppuinen": "weekends",
        "viikonloppuisin": "weekends",
        "lauantai": "weekends",
        "lauantaisin": "weekends",
        "sunnuntai": "weekends",
        "sunnuntaisin": "weekends",
    },
    "en": {
        "evening": "evenings",
        "evenings": "evenings",
        "night": "evenings",
        "daytime": "daytime",
        "morning": "daytime",
        "afternoon": "daytime",
        "weekday": "daytime",
        "weekend": "weekends",
        "weekends": "weekends",
        "saturday": "weekends",
        "sunday": "weekends",
    },
    "sv": {
        "kväll": "evenings",
        "kvällar": "evenings",
        "kvällen": "evenings",
        "kvällstid": "evenings",
        "dagtid": "daytime",
        "förmiddag": "daytime",
        "eftermiddag": "daytime",
        "helg": "weekends",
        "helgen": "weekends",
        "helger": "weekends",
        "veckoslut": "weekends",
        "lördag": "weekends",
        "söndag": "weekends",
    },
}


# The need ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadText:
    """What a need's free text says: the codes it names, and its other words."""

    municipality: str | None = None  # a municipality's code
    languages: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    words: str = ""


@dataclass(frozen=True)
class Need:
    """A need as it is searched: the text's reading with the picks laid over it."""

    text: str = ""
    municipality: Municipality | None = None
    languages: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    query: AnalysedQuery = field(default_factory=lambda: AnalysedQuery(()))
    read: ReadText = field(default_factory=ReadText)

    @property
    def has_criteria(self) -> bool:
        """Whether anything but the place is asked for."""
        return bool(self.languages or self.groups or self.stages or self.times or self.query)

    @property
    def is_empty(self) -> bool:
        return self.municipality is None and not self.has_criteria


def _singles(word: str, language: str | None) -> set[str]:
    """A word's base forms (Finnish) or stems (Swedish, English), with the word itself."""
    forms = {word.lower()}
    for query_word in analyse_query(word, language).words:
        forms.update(alt[0] for alt in query_word.alternatives if len(alt) == 1)
    return forms


def _compound_parts(word: str) -> list[tuple[str, ...]]:
    """The parts of a Finnish compound, as Voikko gives them (arabian+kielinen)."""
    return [
        alt
        for query_word in analyse_query(word, "fi").words
        for alt in query_word.alternatives
        if len(alt) > 1
    ]


def _keyed(table: dict[str, dict[str, object]]) -> dict[str, object]:
    """A vocabulary by every form the analyser gives its words, so that a word of a need is
    looked up by its own forms."""
    result: dict[str, object] = {}
    for language, entries in table.items():
        for word, value in entries.items():
            for form in _singles(word, language):
                result.setdefault(form, value)
    return result


@lru_cache(maxsize=1)
def _group_forms() -> dict[str, tuple[str, ...]]:
    return _keyed(GROUP_WORDS)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _time_forms() -> dict[str, str]:
    return _keyed(TIME_WORDS)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _language_forms() -> dict[str, str]:
    """Language names in Finnish (base forms), Swedish and English, to codes."""
    table: dict[str, dict[str, str]] = {"fi": {}, "sv": {}, "en": {}}
    for code, names in LANGUAGES.items():
        for language, name in zip(("fi", "sv", "en"), names, strict=True):
            if " " not in name:
                table[language][name] = code
    return _keyed(table)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _swedish_language_stems() -> dict[str, str]:
    """ "arabisk" for arabiska: the first part of arabisktalande, arabiskspråkig."""
    return {
        names[1].lower()[:-1]: code
        for code, names in LANGUAGES.items()
        if names[1].lower().endswith("a")
    }


_municipality_names: dict[str, str] = {}


def _municipality_forms() -> dict[str, str]:
    """Municipality names in Finnish and Swedish, lower-cased, to municipality codes (the
    code lists change with a migration only, so the map is made once per process)."""
    if _municipality_names:
        return _municipality_names
    forms = _municipality_names
    rows = Municipality.objects.order_by("code").values_list("code", "name_fi", "name_sv")
    for code, *names in rows:
        for name in names:
            parts = [p for p in name.replace("-", " ").lower().split() if p]
            for part in parts:
                if part not in NOT_PLACE_NAMES and (len(parts) == 1 or len(part) > 2):
                    forms.setdefault(part, code)
    return forms


def _split(word: str) -> list[str]:
    return [part for part in word.replace("’", "-").replace("'", "-").split("-") if part]


def _language_of(word: str, next_word: str | None) -> tuple[str | None, bool]:
    """The language a word names, and whether the word after it (-speaking) goes with it."""
    forms = _language_forms()
    lowered = word.lower()
    speaking_next = next_word is not None and next_word.lower() in SPEAKING
    for ending in SWEDISH_SPEAKING_ENDINGS:
        if lowered.endswith(ending) and (
            code := _swedish_language_stems().get(lowered[: -len(ending)])
        ):
            return code, False
    for parts in _compound_parts(word):
        if parts[-1] in SPEAKING and (code := forms.get(parts[0])):
            return code, False
    for form in _singles(word, None):
        code = forms.get(form)
        if code is None:
            continue
        if code in ADJECTIVE_ONLY and not speaking_next:
            return None, False
        return code, speaking_next
    return None, False


def _looked_up(word: str, table: dict[str, object]) -> object | None:
    singles = _singles(word, None)
    for form in singles:
        if form in table:
            return table[form]
    # A compound's parts: maahanmuuttaja+äiti is a mother, ilta+ryhmä meets in the evening.
    for parts in _compound_parts(word):
        for part in reversed(parts):
            if part in table:
                return table[part]
    return None


def need_read(text: str) -> ReadText:
    """Read a need's free text: a municipality, languages, client groups and times named in
    it, in any inflection, and the rest of its words."""
    municipalities = _municipality_forms()
    pieces = [piece for match in words(text or "") for piece in _split(match.group())]
    municipality = None
    languages: list[str] = []
    groups: list[str] = []
    times: list[str] = []
    rest: list[str] = []
    skip_next = False
    for index, piece in enumerate(pieces):
        if skip_next:
            skip_next = False
            continue
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        place = next(
            (municipalities[f] for f in sorted(_singles(piece, "fi")) if f in municipalities),
            None,
        )
        if place is not None:
            municipality = municipality or place
            continue
        code, skip_next = _language_of(piece, following)
        if code is not None:
            if code not in languages:
                languages.append(code)
            continue
        if piece.lower() in SPEAKING:
            continue
        if (found := _looked_up(piece, _group_forms())) is not None:
            groups.extend(g for g in found if g not in groups)  # type: ignore[union-attr]
            continue
        if (when := _looked_up(piece, _time_forms())) is not None:
            if when not in times:
                times.append(when)  # type: ignore[arg-type]
            continue
        rest.append(piece)
    return ReadText(
        municipality=municipality,
        languages=tuple(languages),
        groups=tuple(groups),
        times=tuple(times),
        words=" ".join(rest),
    )


def need_build(
    *,
    text: str = "",
    municipality: Municipality | None = None,
    language: str = "",
    group: str = "",
    stage: str = "",
    time: str = "",
) -> Need:
    """A need from the free text and the picks; a pick replaces what the text says of the
    same thing (the worker chose it)."""
    read = need_read(text)
    if municipality is None and read.municipality:
        municipality = (
            Municipality.objects.select_related("region").filter(code=read.municipality).first()
        )
    known_groups = set(
        ClientGroup.objects.filter(code__in=[group] if group else read.groups).values_list(
            "code", flat=True
        )
    )
    groups = tuple(g for g in ([group] if group else read.groups) if g in known_groups)
    return Need(
        text=text,
        municipality=municipality,
        languages=(language,) if language else read.languages,
        groups=groups,
        stages=(stage,) if stage else (),
        times=(time,) if time else read.times,
        query=analyse_query(read.words),
        read=read,
    )


# Matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why an offering matched, for display: kind is place, language, group, stage, time or
    words; label is in the reader's language."""

    kind: str
    label: str


@dataclass
class GuidanceResult:
    offering: Offering
    score: float
    reasons: list[Reason]
    nearby: bool = False
    municipalities: list[Municipality] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    groups: list[ClientGroup] = field(default_factory=list)

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.offering.languages or []]

    @property
    def time_labels(self) -> list[str]:
        labels = dict(TimeOfDay.choices)
        return [str(labels[t]) for t in self.offering.times or [] if t in labels]


@dataclass
class GuidanceResults:
    need: Need
    results: list[GuidanceResult] = field(default_factory=list)
    # The municipality had nothing that fits: these are from elsewhere in its region.
    nearby: bool = False


@dataclass
class _Candidate:
    pk: int
    place: str  # a key of PLACE_WEIGHTS
    # Lists of codes as the database gives them: JSON text, or lists already decoded.
    languages: str | list[str]
    stages: str | list[str]
    times: str | list[str]
    confirmed_on: str  # ISO date: sorts as the date does
    groups: set[str] = field(default_factory=set)
    title_terms: set[str] | None = None
    body_terms: set[str] | None = None
    score: float = 0.0
    matched: dict[str, list[str]] = field(default_factory=dict)


def _through(name: str):
    return getattr(Offering, name).through


def _municipality_queryset(municipality: Municipality) -> QuerySet:
    """The municipality's own offerings and those for its whole region."""
    here = _through("municipalities").objects.filter(municipality_id=municipality.pk)
    region = _through("regions").objects.filter(region_id=municipality.region_id)
    return (
        Offering.objects.filter(archived=False)
        .filter(Q(pk__in=here.values("offering_id")) | Q(pk__in=region.values("offering_id")))
        .annotate(here=Exists(here.filter(offering_id=OuterRef("pk"))))
    )


def _nearby_queryset(municipality: Municipality) -> QuerySet:
    """The offerings of the region's other municipalities (its region-wide ones were
    candidates already)."""
    others = (
        _through("municipalities")
        .objects.filter(municipality__region_id=municipality.region_id)
        .exclude(municipality_id=municipality.pk)
    )
    here = _through("municipalities").objects.filter(municipality_id=municipality.pk)
    region = _through("regions").objects.filter(region_id=municipality.region_id)
    return (
        Offering.objects.filter(archived=False, pk__in=others.values("offering_id"))
        .exclude(pk__in=here.values("offering_id"))
        .exclude(pk__in=region.values("offering_id"))
    )


def _national_ids(need: Need) -> list[int]:
    """Candidates without a municipality: what the words find in the index (any word, the
    newest first), else the newest offerings for the groups asked for, else the newest."""
    if need.query:
        # One query word with every word's forms as alternatives: an entry with any of them.
        anything = AnalysedQuery(
            (
                QueryWord(
                    text=need.query.text,
                    alternatives=tuple(
                        dict.fromkeys(a for w in need.query.words for a in w.alternatives)
                    ),
                ),
            )
        )
        where = Where.all(
            [("e.type = %s", (OFFERING,)), ("e.visibility = %s", (Entry.Visibility.PUBLIC,))]
        )
        ranked = backend().rank(anything, where, NATIONAL_CANDIDATES)
        return list(
            Entry.objects.filter(pk__in=list(ranked.scores)).values_list("object_id", flat=True)
        )
    offerings = Offering.objects.filter(archived=False)
    if need.groups:
        chosen = _through("groups").objects.filter(clientgroup__code__in=need.groups)
        offerings = offerings.filter(pk__in=chosen.values("offering_id"))
    return list(
        offerings.order_by("-confirmed_on", "-pk").values_list("pk", flat=True)[
            :NATIONAL_CANDIDATES
        ]
    )


VALUES = ("pk", "languages", "path_stages", "times", "confirmed_on")


def _fetched(queryset: QuerySet, *fields: str) -> list[tuple]:
    """The values of these fields as the database gives them: without Django's per-value
    conversions, which cost more than the query for the thousand candidates of a city."""
    query = queryset.order_by().values_list(*fields).query
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # The columns come in the query's own order (the translation manager may reorder them).
    selected = list(query.selected or ())
    if selected == list(fields):
        return rows
    order = [selected.index(name) for name in fields]
    return [tuple(row[i] for i in order) for row in rows]


def _has(codes: str | list[str] | None, code: str) -> bool:
    """Whether a JSON list of codes holds a code, read from the JSON text without decoding
    it (a code holds letters and hyphens only, so its quoted form is found nowhere else)."""
    if codes is None:
        return False
    if isinstance(codes, str):
        return f'"{code}"' in codes
    return code in codes


@dataclass(frozen=True)
class _Known:
    """What ranking needs of one offering, kept between requests (see _known_candidates)."""

    pk: int
    place: str
    languages: frozenset[str]
    stages: frozenset[str]
    times: frozenset[str]
    confirmed_on: str
    groups: frozenset[str]
    title_terms: frozenset[str] | None
    body_terms: frozenset[str] | None


# Each municipality's candidates (its own and its region's offerings, or the nearby ones), kept
# per process until public content changes (offerings and their search entries bump the
# version): a front-line worker's searches come back to the same municipalities all day.
KNOWN_MUNICIPALITIES = 64
_known: "OrderedDict[tuple, list[_Known]]" = OrderedDict()
_known_lock = threading.Lock()


def _known_read(queryset: QuerySet, place: str) -> list[_Known]:
    """The candidates with their groups and analysed terms, in two queries."""
    fields = [*VALUES, "entry_title", "entry_body"]
    if place == "municipality":
        fields.append("here")
    entry = Entry.objects.filter(type=OFFERING, object_id=OuterRef("pk"))
    queryset = queryset.annotate(
        entry_title=Subquery(entry.values("title_terms")[:1]),
        entry_body=Subquery(entry.values("body_terms")[:1]),
    )
    rows = _fetched(queryset, *fields)
    groups: dict[int, set[str]] = {}
    if rows:
        chosen = _through("groups").objects.filter(offering_id__in=queryset.values("pk"))
        for offering_id, code in _fetched(chosen, "offering_id", "clientgroup__code"):
            groups.setdefault(offering_id, set()).add(code)
    known = []
    for row in rows:
        pk, languages, stages, times, confirmed_on, title, body = row[:7]
        where = place
        if place == "municipality" and not row[7]:
            where = "region"
        known.append(
            _Known(
                pk,
                where,
                _code_set(languages),
                _code_set(stages),
                _code_set(times),
                str(confirmed_on),
                frozenset(groups.get(pk, ())),
                None if title is None else frozenset(title.split()),
                None if title is None else frozenset((body or "").split()),
            )
        )
    return known


def _code_set(codes: str | list[str] | None) -> frozenset[str]:
    """A JSON list of codes as the database gives it (text, or a list already decoded)."""
    if not codes:
        return frozenset()
    if isinstance(codes, str):
        codes = json.loads(codes)
    return frozenset(codes)


def _known_candidates(municipality: Municipality, place: str) -> list[_Known]:
    key = (public_pages_version(), municipality.pk, place)
    with _known_lock:
        found = _known.get(key)
        if found is not None:
            _known.move_to_end(key)
            return found
    if place == "municipality":
        found = _known_read(_municipality_queryset(municipality), place)
    else:
        found = _known_read(_nearby_queryset(municipality), place)
    with _known_lock:
        _known[key] = found
        while len(_known) > KNOWN_MUNICIPALITIES:
            _known.popitem(last=False)
    return found


def known_candidates_forget() -> None:
    with _known_lock:
        _known.clear()


def _known_score(item: _Known, need: Need) -> float:
    """The score _score gives, without building a candidate: most of a city's offerings are
    only looked at to be left out."""
    score = 0.0
    if need.languages and not item.languages.isdisjoint(need.languages):
        score += LANGUAGE_WEIGHT
    if need.groups:
        if not item.groups.isdisjoint(need.groups):
            score += GROUP_WEIGHT
        elif EVERYONE in item.groups:
            score += EVERYONE_WEIGHT
    if need.stages and not item.stages.isdisjoint(need.stages):
        score += STAGE_WEIGHT
    if need.times and not item.times.isdisjoint(need.times):
        score += TIME_WEIGHT
    if need.query and item.title_terms is not None:
        for word in need.query.words:
            if _word_found(word, item.title_terms):
                score += TITLE_WORD_WEIGHT
            elif _word_found(word, item.body_terms):
                score += BODY_WORD_WEIGHT
    return score


def _candidate_of(item: _Known, need: Need) -> _Candidate:
    candidate = _Candidate(
        item.pk,
        item.place,
        list(item.languages),
        list(item.stages),
        list(item.times),
        item.confirmed_on,
        set(item.groups),
    )
    if need.query and item.title_terms is not None:
        terms = need.query.terms
        candidate.title_terms = set(item.title_terms & terms)
        candidate.body_terms = set(item.body_terms & terms)
    return candidate


def _ranked_known(known: list[_Known], need: Need, limit: int) -> list[_Candidate]:
    """_ranked over kept candidates: scored as they are, and only the best made candidates
    (with their reasons). Offerings without a search entry yet go the long way."""
    criteria = need.has_criteria
    scored = []
    unindexed = []
    for item in known:
        if need.query and item.title_terms is None:
            unindexed.append(_candidate_of(item, need))
            continue
        score = _known_score(item, need)
        if score > 0 or not criteria:
            scored.append((score + PLACE_WEIGHTS[item.place], item.confirmed_on, item.pk, item))
    best = heapq.nlargest(limit, scored, key=lambda row: row[:3])
    chosen = [_candidate_of(row[3], need) for row in best]
    for candidate in chosen:
        _score(candidate, need)
    if unindexed:
        chosen = _ranked(chosen + unindexed, need, None, limit)
    return chosen


def _candidates(queryset: QuerySet, place: str, need: Need) -> list[_Candidate]:
    """The candidates' languages, stages, times and confirmation date, and, when the need has
    words, which of their terms each holds in its title and body (read from its search entry
    in the same query)."""
    fields = list(VALUES)
    if need.query:
        entry = Entry.objects.filter(type=OFFERING, object_id=OuterRef("pk"))
        queryset = queryset.annotate(
            entry_title=Subquery(entry.values("title_terms")[:1]),
            entry_body=Subquery(entry.values("body_terms")[:1]),
        )
        fields += ["entry_title", "entry_body"]
    pattern = _terms_pattern(need.query) if need.query else None
    candidates = []
    for row in _fetched(queryset, *fields):
        pk, languages, stages, times, confirmed_on = row[:5]
        candidate = _Candidate(pk, place, languages, stages, times, str(confirmed_on))
        if pattern is not None and row[-2] is not None:
            candidate.title_terms = set(pattern.findall(row[-2]))
            candidate.body_terms = set(pattern.findall(row[-1] or ""))
        candidates.append(candidate)
    return candidates


def _add_groups(candidates: dict[int, _Candidate], ids_query) -> None:
    chosen = _through("groups").objects.filter(offering_id__in=ids_query)
    rows = _fetched(chosen, "offering_id", "clientgroup__code")
    for offering_id, code in rows:
        if offering_id in candidates:
            candidates[offering_id].groups.add(code)


def _terms_pattern(query: AnalysedQuery) -> re.Pattern:
    """Any of the query's terms as a whole term of a space-separated list."""
    terms = sorted(query.terms, key=len, reverse=True)
    return re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, terms)) + r")(?!\S)")


def _analyse_unindexed(candidates: list[_Candidate], query: AnalysedQuery) -> None:
    """An offering saved a moment ago may not have its search entry yet: analyse it here."""
    missing = {c.pk: c for c in candidates if c.title_terms is None}
    if not missing:
        return
    offerings = Offering.objects.select_related("category", "organisation").filter(
        pk__in=list(missing)
    )
    for offering in offerings:
        data = offering_entry(offering)
        if data is None:
            continue
        title_terms = analyse(data.title, data.language)
        for language, text in (data.titles_by_language or {}).items():
            title_terms.extend(analyse(text, language))
        body_terms = analyse(data.body, data.language)
        for language, text in (data.bodies_by_language or {}).items():
            body_terms.extend(analyse(text, language))
        missing[offering.pk].title_terms = set(title_terms) & query.terms
        missing[offering.pk].body_terms = set(body_terms) & query.terms


def _word_found(word: QueryWord, terms: set[str]) -> bool:
    return any(all(term in terms for term in alternative) for alternative in word.alternatives)


def _score(candidate: _Candidate, need: Need) -> None:
    score = 0.0
    matched: dict[str, list[str]] = {}
    if need.languages:
        found = [code for code in need.languages if _has(candidate.languages, code)]
        if found:
            score += LANGUAGE_WEIGHT
            matched["language"] = found
    if need.groups:
        found = [code for code in need.groups if code in candidate.groups]
        if found:
            score += GROUP_WEIGHT
            matched["group"] = found
        elif EVERYONE in candidate.groups:
            score += EVERYONE_WEIGHT
            matched["group"] = [EVERYONE]
    if need.stages:
        found = [stage for stage in need.stages if _has(candidate.stages, stage)]
        if found:
            score += STAGE_WEIGHT
            matched["stage"] = found
    if need.times:
        found = [time for time in need.times if _has(candidate.times, time)]
        if found:
            score += TIME_WEIGHT
            matched["time"] = found
    if need.query and (candidate.title_terms or candidate.body_terms):
        found = []
        for word in need.query.words:
            if _word_found(word, candidate.title_terms or set()):
                score += TITLE_WORD_WEIGHT
                found.append(word.text)
            elif _word_found(word, candidate.body_terms or set()):
                score += BODY_WORD_WEIGHT
                found.append(word.text)
        if found:
            matched["words"] = found
    candidate.score = score
    candidate.matched = matched


def _ranked(candidates: list[_Candidate], need: Need, ids_query, limit: int) -> list[_Candidate]:
    """Score the candidates and keep the best that fit: with anything asked for besides the
    place, an offering must match some of it."""
    if not candidates:
        return []
    by_pk = {c.pk: c for c in candidates}
    if need.groups and ids_query is not None:
        _add_groups(by_pk, ids_query)
    if need.query:
        _analyse_unindexed(candidates, need.query)
    for candidate in candidates:
        _score(candidate, need)
    fitting = [c for c in candidates if c.score > 0 or not need.has_criteria]
    # Best first; among equals, the most recently confirmed.
    fitting.sort(key=lambda c: (c.score + PLACE_WEIGHTS[c.place], c.confirmed_on, c.pk))
    fitting.reverse()
    return fitting[:limit]


class _CodeLists:
    """Municipalities and regions by id, read once per process (they change with a migration
    only; an id not seen yet reads them again)."""

    def __init__(self) -> None:
        self.municipalities: dict[int, Municipality] = {}
        self.regions: dict[int, Region] = {}

    def get(self, municipality_ids: set[int], region_ids: set[int]):
        if not (municipality_ids <= self.municipalities.keys()) or not (
            region_ids <= self.regions.keys()
        ):
            self.municipalities = {m.pk: m for m in Municipality.objects.all()}
            self.regions = {r.pk: r for r in Region.objects.all()}
        return self.municipalities, self.regions


_code_lists = _CodeLists()


def _loaded(chosen: list[_Candidate]) -> list[GuidanceResult]:
    """The chosen offerings with their organisation, category, places and groups (a fixed
    number of queries, however many there are)."""
    ids = [c.pk for c in chosen]
    offerings = Offering.objects.filter(pk__in=ids).select_related("organisation", "category")
    by_pk = {offering.pk: offering for offering in offerings}

    def links(name: str, column: str) -> list[tuple]:
        return _fetched(_through(name).objects.filter(offering_id__in=ids), "offering_id", column)

    places = links("municipalities", "municipality_id")
    regions = links("regions", "region_id")
    groups = _through("groups").objects.filter(offering_id__in=ids).select_related("clientgroup")
    municipality_by_id, region_by_id = _code_lists.get(
        {pk for _o, pk in places}, {pk for _o, pk in regions}
    )
    results = {
        pk: GuidanceResult(offering=offering, score=0.0, reasons=[])
        for pk, offering in by_pk.items()
    }
    for offering_id, municipality_id in places:
        results[offering_id].municipalities.append(municipality_by_id[municipality_id])
    for offering_id, region_id in regions:
        results[offering_id].regions.append(region_by_id[region_id])
    for link in groups:
        results[link.offering_id].groups.append(link.clientgroup)
    for result in results.values():
        result.municipalities.sort(key=lambda m: m.name)
        result.groups.sort(key=lambda g: (g.position, g.code))
    return [results[pk] for pk in ids if pk in results]


def _place_reason(candidate: _Candidate, result: GuidanceResult, need: Need) -> Reason | None:
    municipality = need.municipality
    if candidate.place == "municipality" and municipality is not None:
        return Reason("place", municipality.name)
    if candidate.place == "region" and municipality is not None:
        return Reason("place", _("everywhere in %(region)s") % {"region": municipality.region.name})
    if candidate.place == "nearby" and municipality is not None:
        names = [m.name for m in result.municipalities if m.region_id == municipality.region_id]
        return Reason("place", _("nearby: %(places)s") % {"places": ", ".join(names)})
    return None


def _reasons(candidate: _Candidate, result: GuidanceResult, need: Need) -> list[Reason]:
    reasons = []
    if (place := _place_reason(candidate, result, need)) is not None:
        reasons.append(place)
    matched = candidate.matched
    if "language" in matched:
        reasons.append(
            Reason("language", ", ".join(language_name(code) for code in matched["language"]))
        )
    if "group" in matched:
        names = {group.code: group.name for group in result.groups}
        if matched["group"] == [EVERYONE]:
            label = _("open to everyone")
        else:
            label = ", ".join(names.get(code, code) for code in matched["group"])
        reasons.append(Reason("group", label))
    if "stage" in matched:
        labels = dict(PathStage.choices)
        reasons.append(Reason("stage", ", ".join(str(labels[s]) for s in matched["stage"])))
    if "time" in matched:
        labels = dict(TimeOfDay.choices)
        reasons.append(Reason("time", ", ".join(str(labels[t]) for t in matched["time"])))
    if "words" in matched:
        reasons.append(Reason("words", ", ".join(matched["words"])))
    return reasons


def _results(chosen: list[_Candidate], need: Need, *, nearby: bool) -> list[GuidanceResult]:
    results = _loaded(chosen)
    by_pk = {c.pk: c for c in chosen}
    for result in results:
        candidate = by_pk[result.offering.pk]
        result.score = candidate.score + PLACE_WEIGHTS[candidate.place]
        result.nearby = nearby
        result.reasons = _reasons(candidate, result, need)
    return results


def guidance_search(need: Need, *, limit: int = RESULT_LIMIT) -> GuidanceResults:
    """The offerings that fit a need, best first, with why each fits; the nearby ones when
    the municipality has none."""
    limit = max(1, min(limit, MAX_RESULTS))
    if need.is_empty:
        return GuidanceResults(need=need)
    municipality = need.municipality
    if municipality is None:
        ids = _national_ids(need)
        queryset = Offering.objects.filter(pk__in=ids, archived=False)
        chosen = _ranked(_candidates(queryset, "anywhere", need), need, ids, limit)
        return GuidanceResults(need=need, results=_results(chosen, need, nearby=False))
    chosen = _ranked_known(_known_candidates(municipality, "municipality"), need, limit)
    if chosen:
        return GuidanceResults(need=need, results=_results(chosen, need, nearby=False))
    chosen = _ranked_known(_known_candidates(municipality, "nearby"), need, limit)
    return GuidanceResults(
        need=need, results=_results(chosen, need, nearby=True), nearby=bool(chosen)
    )


def understood(need: Need) -> list[Reason]:
    """What the text was read to say, for the worker to check (in the reader's language)."""
    read = need.read
    found: list[Reason] = []
    if read.municipality:
        place = need.municipality
        if place is None or place.code != read.municipality:
            place = Municipality.objects.filter(code=read.municipality).first()
        if place is not None:
            found.append(Reason("place", place.name))
    if read.languages:
        found.append(Reason("language", ", ".join(language_name(c) for c in read.languages)))
    if read.groups:
        names = {g.code: g.name for g in ClientGroup.objects.filter(code__in=read.groups)}
        found.append(Reason("group", ", ".join(names.get(c, c) for c in read.groups)))
    if read.times:
        labels = dict(TimeOfDay.choices)
        found.append(Reason("time", ", ".join(str(labels[t]) for t in read.times)))
    return found
