"""The one text analyser of the search index and of its queries, for every capability.

Finnish goes through Voikko: each word becomes its base forms and, for a compound, the base
forms of its parts (kotoutumiskoulutuksen -> kotoutumiskoulutus, kotoutua, koulutus), so that a
search for "koulutus" finds the compound and a search in any inflected form finds the others.
Swedish and English are stemmed with Snowball. Words Voikko does not know (names, acronyms such
as POMAKO) are kept as they are. Everything is lower-cased; å, ä and ö stay letters of their
own.

Without Voikko on the machine (the library or its Finnish dictionary missing), Finnish falls
back to the Snowball stemmer, says so once in the log and in `analyser_status()`, which the
system check `kotoverkko check` reports. The index then has to be rebuilt (`kotoverkko
reindex`) once Voikko is installed, since the two give different terms.

Voikko objects are not safe to share between threads, so each thread makes its own; the
analyses of single words are cached, since a word is analysed many times over an index.
"""

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

logger = logging.getLogger("kotoverkko.search")

LANGUAGES = ("fi", "sv", "en")
SNOWBALL_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}

# A word: letters and digits, with hyphens, colons or apostrophes inside it (MAKO-verkosto,
# EU:n, don't). An index term holds letters and digits only, which both SQLite FTS5's
# unicode61 tokenizer and PostgreSQL's parser keep as one token.
WORD = re.compile(r"[^\W_]+(?:[-:'’][^\W_]+)*")
TERM_PIECE = re.compile(r"[^\W_]+")
MAX_TERM_LENGTH = 60
# Longer compounds are not searched for the shorter compounds inside them.
MAX_COMPOUND_PARTS = 6
# A query looks at this many words at most.
MAX_QUERY_WORDS = 12


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Base forms (Voikko) or words (Snowball) that carry nothing a search could use.
STOP_WORDS = {
    "fi": _word_set(
        "ja tai sekä että olla ei se ne tämä nämä tuo nuo joka mikä kuka kuin myös mutta jos "
        "kun niin vai eli siis jo vain hän he me te minä sinä on ovat oli olivat ollut sen "
        "sitä siitä sille niiden joita jotka jonka mitä"
    ),
    "sv": _word_set(
        "och i att det som en ett är på för med till av den de om har inte var kan vi så men "
        "han hon sig man ska eller vid från detta dessa också än när där"
    ),
    "en": _word_set(
        "a an and are as at be by for from has have in is it its of on or that the this to "
        "was were will with which who not but also"
    ),
}


@dataclass(frozen=True)
class AnalyserStatus:
    """Which analyser Finnish gets, and why, for diagnostics."""

    finnish: str  # "voikko" or "snowball"
    detail: str

    @property
    def voikko(self) -> bool:
        return self.finnish == "voikko"


class _VoikkoState:
    """Whether Voikko could be loaded, found out once for the process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.status: AnalyserStatus | None = None
        self.local = threading.local()


_state = _VoikkoState()
_stemmers = threading.local()


def _load_voikko():
    """A Voikko object for Finnish, or None with the reason recorded (once per process)."""
    try:
        import libvoikko
    except ImportError as error:
        return None, f"the libvoikko Python package is not installed ({error})"
    try:
        return libvoikko.Voikko("fi"), ""
    except OSError as error:
        return None, f"the libvoikko library could not be loaded ({error})"
    except Exception as error:  # noqa: BLE001 - libvoikko raises its own exception type
        return None, f"Voikko has no Finnish dictionary ({error})"


def _voikko():
    """This thread's Voikko object, or None when Voikko is not available."""
    instance = getattr(_state.local, "voikko", None)
    if instance is not None:
        return instance
    status = _state.status
    if status is not None and not status.voikko:
        return None
    instance, reason = _load_voikko()
    with _state.lock:
        if _state.status is None:
            if instance is None:
                _state.status = AnalyserStatus(
                    finnish="snowball",
                    detail=reason + "; Finnish is stemmed with Snowball, without compounds",
                )
                logger.warning(
                    "Voikko is not available: %s. Finnish text is stemmed with Snowball, "
                    "which does not split compounds; install libvoikko1, voikko-fi and the "
                    "libvoikko Python package, then run `kotoverkko reindex`.",
                    reason,
                )
            else:
                _state.status = AnalyserStatus(finnish="voikko", detail="Voikko with voikko-fi")
    if instance is None:
        return None
    _state.local.voikko = instance
    return instance


def analyser_status() -> AnalyserStatus:
    """Which analyser Finnish text gets in this process."""
    if _state.status is None:
        _voikko()
    return _state.status or AnalyserStatus(finnish="snowball", detail="not known yet")


def analyser_reset() -> None:
    """Forget the analyser found and every cached analysis (after installing Voikko, and in
    tests that simulate its absence)."""
    with _state.lock:
        _state.status = None
        _state.local = threading.local()
    _finnish_word_terms.cache_clear()
    _finnish_word_bases.cache_clear()
    _finnish_part_bases.cache_clear()
    _stem.cache_clear()


def _stemmer(language: str):
    stemmers = getattr(_stemmers, "by_language", None)
    if stemmers is None:
        stemmers = _stemmers.by_language = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(SNOWBALL_NAMES[language])
    return stemmers[language]


@lru_cache(maxsize=100_000)
def _stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


# Words -----------------------------------------------------------------------------------


def words(text: str) -> Iterator[re.Match]:
    """The words of a text, as matches (their positions are needed for snippets)."""
    return WORD.finditer(unicodedata.normalize("NFC", text or ""))


def _pieces(term: str) -> list[str]:
    """An analysis result as index terms: lower-cased, split at anything that is not a letter
    or digit ("ELY-keskus" -> "ely", "keskus"), overlong ones dropped."""
    return [p for p in TERM_PIECE.findall(term.lower()) if len(p) <= MAX_TERM_LENGTH]


def _split_word(word: str) -> list[str]:
    """The parts of a hyphenated word, or of one with a case ending after a colon (EU:n)."""
    if ":" in word:
        word = word.split(":", 1)[0]
    return [p for p in re.split(r"[-'’]", word) if p]


# Finnish with Voikko ----------------------------------------------------------------------

_MORPHEME = re.compile(r"\+([^+(]+)(?:\(([^)]*)\))?")
_NOMINAL_CLASSES = frozenset({"nimisana", "laatusana", "nimisana_laatusana", "paikannimi"})


def _voikko_analyses(word: str) -> list[dict]:
    voikko = _voikko()
    if voikko is None:
        return []
    analyses = voikko.analyze(word)
    if not analyses and word.islower():
        # Names typed in lower case (oulussa) are found with a capital.
        analyses = voikko.analyze(word[:1].upper() + word[1:])
    return analyses


def _compound_structure(analysis: dict) -> tuple[list[tuple[str, str]], list[str]]:
    """A compound's morpheme groups (surface, base of its first morpheme) and the base forms
    of its parts, from Voikko's WORDBASES; no parts for a word that is not a compound.

    WORDBASES lists morphemes as +surface(base); a base starting with "+" is a derivational
    ending of the morpheme before it. "+kotoutumis(kotoutua)+koulut(kouluttaa)+us(+us)" is
    two parts: "kotoutumis" (base kotoutua) and "koulutus". The last part's base form is what
    the whole word's base form has after the parts before it (maahanmuuttajanuoret ->
    maahanmuuttajanuori -> nuori), else its surface; a part before it is in its compound form,
    analysed on its own when Voikko knows it (lasten -> lapsi), else its base is used.
    """
    wordbases = analysis.get("WORDBASES") or ""
    parts: list[tuple[str, str]] = []  # (surface, base of its first morpheme)
    for surface, base in _MORPHEME.findall(wordbases):
        if surface == "-":
            continue
        if base.startswith("+") and parts:
            parts[-1] = (parts[-1][0] + surface, parts[-1][1])
        else:
            parts.append((surface, (base or surface).replace("=", "")))
    if len(parts) < 2:
        return parts, []
    whole = (analysis.get("BASEFORM") or "").lower()
    terms: list[str] = []
    for position, (surface, base) in enumerate(parts):
        if position == len(parts) - 1:
            before = "".join(s for s, _b in parts[:-1]).lower()
            last = whole[len(before) :] if whole.startswith(before) and whole != before else surface
            terms.extend(_pieces(last))
            continue
        bases = _finnish_part_bases(surface)
        terms.extend(bases if bases else _pieces(base))
    return parts, terms


def _compound_parts(analysis: dict) -> list[str]:
    """The base forms of a compound's parts (see _compound_structure), and the shorter
    compounds a compound of three or more parts holds, when Voikko knows them:
    vastaanottokeskustilanne holds vastaanottokeskus, turvapaikanhakijamäärä
    turvapaikanhakija."""
    parts, terms = _compound_structure(analysis)
    if 3 <= len(parts) <= MAX_COMPOUND_PARTS:
        for start in range(len(parts) - 1):
            for end in range(start + 2, len(parts) + 1):
                if end - start < len(parts):
                    joined = "".join(surface for surface, _base in parts[start:end])
                    terms.extend(_finnish_part_bases(joined))
    return terms


@lru_cache(maxsize=20_000)
def _finnish_part_bases(surface: str) -> tuple[str, ...]:
    """Base forms of a compound's first part as it stands (lasten -> lapsi); nouns and
    adjectives first, since a part is seldom a verb (elin is an organ, not "I lived")."""
    analyses = [a for a in _voikko_analyses(surface) if a.get("BASEFORM")]
    nominal = [a for a in analyses if a.get("CLASS") in _NOMINAL_CLASSES]
    chosen = nominal or analyses
    return tuple(dict.fromkeys(p for a in chosen for p in _pieces(a["BASEFORM"])))


def _drop_stop_words(terms: Iterable[str], language: str) -> tuple[str, ...]:
    stop = STOP_WORDS[language]
    return tuple(dict.fromkeys(t for t in terms if t not in stop))


@lru_cache(maxsize=200_000)
def _finnish_word_terms(word: str) -> tuple[str, ...]:
    """What one Finnish word puts in the index: its base forms, every one of an ambiguous
    word, and the parts of a compound. A hyphenated word (or one with a case ending after a
    colon) gives the terms of the whole, when Voikko knows it, and of each of its parts, which
    are what a query looks for."""
    if _voikko() is None:
        return _snowball_word_terms(word, "fi")
    parts = _split_word(word)
    if parts != [word]:
        terms = list(_known_word_terms(word) or ())
        for part in parts:
            terms.extend(_finnish_word_terms(part))
        return tuple(dict.fromkeys(terms))
    known = _known_word_terms(word)
    if known is None:
        return _drop_stop_words(_pieces(word), "fi")
    return known


def _known_word_terms(word: str) -> tuple[str, ...] | None:
    """The terms of a word Voikko knows (empty for a stop word), None for one it does not."""
    analyses = _voikko_analyses(word)
    if not analyses:
        return None
    bases = [p for a in analyses for p in _pieces(a.get("BASEFORM") or "")]
    if bases and all(b in STOP_WORDS["fi"] for b in bases):
        return ()
    terms = list(bases)
    for analysis in analyses:
        terms.extend(_compound_parts(analysis))
    return _drop_stop_words(terms, "fi")


@lru_cache(maxsize=50_000)
def _finnish_word_bases(word: str) -> tuple[tuple[str, ...], ...]:
    """What a Finnish query word (without hyphens) looks for: each of its base forms, or all
    the parts of a compound; a base form that is two words, such as ELY-keskus, looks for
    both."""
    if _voikko() is None:
        return tuple((t,) for t in _snowball_word_terms(word, "fi"))
    analyses = _voikko_analyses(word)
    if not analyses:
        return tuple((t,) for t in _drop_stop_words(_pieces(word), "fi"))
    alternatives = []
    for analysis in analyses:
        pieces = tuple(p for p in _pieces(analysis.get("BASEFORM") or "") if p)
        kept = tuple(p for p in pieces if p not in STOP_WORDS["fi"])
        if kept:
            alternatives.append(kept)
    # A compound also finds its parts written apart: maahanmuuttajanuoret finds "nuorten
    # maahanmuuttajien" (an entry with the whole compound has its parts too, and ranks higher).
    for analysis in analyses:
        parts = tuple(
            dict.fromkeys(p for p in _compound_structure(analysis)[1] if p not in STOP_WORDS["fi"])
        )
        if len(parts) >= 2:
            alternatives.append(parts)
    return tuple(dict.fromkeys(alternatives))


# Swedish and English (and Finnish without Voikko) with Snowball ----------------------------


def _snowball_word_terms(word: str, language: str) -> tuple[str, ...]:
    terms = []
    for piece in _pieces(" ".join(_split_word(word))):
        if piece in STOP_WORDS[language]:
            continue
        terms.append(_stem(piece, language))
    return tuple(dict.fromkeys(terms))


def _word_terms(word: str, language: str) -> tuple[str, ...]:
    if language == "fi":
        return _finnish_word_terms(word)
    return _snowball_word_terms(word, language)


def _checked_language(language: str | None) -> str:
    if language not in LANGUAGES:
        return "fi"
    return language


# Public interface ---------------------------------------------------------------------------


def analyse(text: str, language: str) -> list[str]:
    """The index terms of a text in its language, in order, repeated as often as they occur
    (term frequencies count in ranking and in similarity)."""
    language = _checked_language(language)
    terms: list[str] = []
    for match in words(text):
        terms.extend(_word_terms(match.group(), language))
    return terms


def word_terms(word: str, language: str) -> tuple[str, ...]:
    """The index terms of one word (the snippets mark the words whose terms were searched)."""
    return _word_terms(word, _checked_language(language))


@dataclass(frozen=True)
class QueryWord:
    """A word of a query and what finds it: any one of the alternatives, each a set of terms
    that must all be in an entry."""

    text: str
    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class AnalysedQuery:
    """A query as the index sees it: every word must be found (in one of its forms)."""

    words: tuple[QueryWord, ...]

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(t for w in self.words for a in w.alternatives for t in a)

    def without(self, index: int) -> "AnalysedQuery":
        return AnalysedQuery(self.words[:index] + self.words[index + 1 :])

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _query_alternatives(word: str, language: str) -> tuple[tuple[str, ...], ...]:
    if language == "fi":
        return _finnish_word_bases(word)
    return tuple((t,) for t in _snowball_word_terms(word, language))


def _is_stop_word(word: str, language: str) -> bool:
    lowered = word.lower()
    if lowered in STOP_WORDS[language]:
        return True
    if language == "fi" and _voikko() is not None:
        analyses = _voikko_analyses(word)
        bases = [p for a in analyses for p in _pieces(a.get("BASEFORM") or "")]
        return bool(bases) and all(b in STOP_WORDS["fi"] for b in bases)
    return False


def analyse_query(text: str, language: str | None = None) -> AnalysedQuery:
    """A query's words and the terms that find each, in the given language or, without one,
    in any of Finnish, Swedish and English (a word then finds its forms in each; a word that
    is a stop word in one of them is left out)."""
    languages = LANGUAGES if language is None else (_checked_language(language),)
    query_words: list[QueryWord] = []
    for match in words(text):
        for word in _split_word(match.group()):
            if any(_is_stop_word(word, lang) for lang in languages):
                continue
            alternatives: dict[tuple[str, ...], None] = {}
            for lang in languages:
                for alternative in _query_alternatives(word, lang):
                    if alternative:
                        alternatives[alternative] = None
            if alternatives:
                query_words.append(QueryWord(text=word, alternatives=tuple(alternatives)))
            if len(query_words) >= MAX_QUERY_WORDS:
                return AnalysedQuery(tuple(query_words))
    return AnalysedQuery(tuple(query_words))


def spelling_suggestions(word: str) -> list[str]:
    """Voikko's corrections of a misspelt Finnish word (empty without Voikko, or when the word
    is spelt right)."""
    voikko = _voikko()
    if voikko is None or not word or voikko.spell(word):
        return []
    return list(voikko.suggest(word))[:5]
