"""Similar entries: for each entry of a type, the ten others whose tf-idf vectors over the
analysed terms have the highest cosine.

An entry's vector keeps its strongest terms only (MAX_TERMS), without the terms in more than
half of the type's entries (they tell nothing apart; a term of just two entries is kept) and
those in no other entry (they match nothing); title terms count twice. The full recompute
finds each entry's candidates through an inverted index over these short vectors (see
_neighbours) and compares only those in full.
Saving one entry of a large collection compares it with the stored vectors of all the others,
recomputes its own list and puts it on their lists where it now belongs (a small collection is
recomputed whole, see FULL_RECOMPUTE_UP_TO); the full recompute (`kotoverkko
similar_recompute`, run by reindex) brings everything back in line.
"""

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import Entry, IndexedTerm, SimilarEntry, SimilarityVector

TOP = 10
MAX_TERMS = 64
# The full recompute's candidate search (see _neighbours).
POSTINGS = 100
QUERY_TERMS = 16
CANDIDATES = 30
COMMON_SHARE = 0.5
TITLE_REPEAT = 2
# Entries whose lists a changed entry may enter, besides its own.
REVERSE_UPDATES = 50
# Up to this many entries of a type, a change recomputes them all: the stored vectors of the
# others were weighed against the frequencies of their time, which in a small collection move
# with every entry. Larger collections are brought in line daily (see apps.py).
FULL_RECOMPUTE_UP_TO = 1000
BATCH_SIZE = 1000


def _term_counts(title_terms: str, body_terms: str) -> Counter[str]:
    counts = Counter(body_terms.split())
    for term in title_terms.split():
        counts[term] += TITLE_REPEAT
    return counts


def vector(counts: Counter[str], frequencies: dict[str, int], total: int) -> dict[str, float]:
    """The normalised tf-idf weights of an entry's strongest terms."""
    weights = {}
    for term, count in counts.items():
        frequency = frequencies.get(term, 0)
        # A term two entries share always counts, so that a small library still has pairs.
        if frequency <= 1 or (frequency > 2 and frequency > COMMON_SHARE * total):
            continue
        weights[term] = (1.0 + math.log(count)) * math.log(total / frequency)
    if len(weights) > MAX_TERMS:
        weights = dict(heapq.nlargest(MAX_TERMS, weights.items(), key=lambda item: item[1]))
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if not norm:
        return {}
    return {term: round(w / norm, 6) for term, w in weights.items()}


def _frequencies(type: str, terms=None) -> dict[str, int]:
    rows = IndexedTerm.objects.filter(type=type, entries__gt=0)
    if terms is not None:
        found: dict[str, int] = {}
        ordered = sorted(terms)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            found.update(rows.filter(term__in=chunk).values_list("term", "entries"))
        return found
    return dict(rows.values_list("term", "entries"))


def _neighbours(
    vectors: list[dict[str, float]], progress: Callable[[int], None] | None = None
) -> list[list[tuple[int, float]]]:
    """The TOP most similar vectors of each (index, cosine).

    Candidates come from an inverted index whose lists keep the POSTINGS strongest entries of
    each term, looked up with an entry's QUERY_TERMS strongest terms; the CANDIDATES with
    the highest partial sums are then compared in full. Comparing every pair would grow with
    the square of the entries; this grows with their number.
    """
    postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for index, weights in enumerate(vectors):
        for term, weight in weights.items():
            postings[term].append((weight, index))
    for term, entries in postings.items():
        if len(entries) > POSTINGS:
            postings[term] = heapq.nlargest(POSTINGS, entries)
    result = []
    for index, weights in enumerate(vectors):
        strongest = heapq.nlargest(QUERY_TERMS, weights.items(), key=lambda item: item[1])
        partial: dict[int, float] = {}
        get = partial.get
        for term, weight in strongest:
            for other_weight, other in postings[term]:
                partial[other] = get(other, 0.0) + weight * other_weight
        partial.pop(index, None)
        candidates = heapq.nlargest(CANDIDATES, partial, key=partial.__getitem__)
        scored = [(other, _dot(weights, vectors[other])) for other in candidates]
        result.append(
            heapq.nlargest(
                TOP,
                ((other, round(score, 6)) for other, score in scored if score > 0),
                key=lambda item: (item[1], -item[0]),
            )
        )
        if progress is not None:
            progress(1)
    return result


def similar_recompute_all(type: str, *, progress: Callable[[int], None] | None = None) -> int:
    """Recompute the vectors and the similar entries of every entry of a type. Returns the
    number of entries."""
    frequencies = _frequencies(type)
    total = Entry.objects.filter(type=type).count()
    ids: list[int] = []
    vectors: list[dict[str, float]] = []
    rows = (
        Entry.objects.filter(type=type)
        .order_by("pk")
        .values_list("pk", "title_terms", "body_terms")
        .iterator(chunk_size=BATCH_SIZE)
    )
    for pk, title_terms, body_terms in rows:
        ids.append(pk)
        vectors.append(vector(_term_counts(title_terms, body_terms), frequencies, total))
    pairs = [
        SimilarEntry(entry_id=ids[index], other_id=ids[other], score=score)
        for index, best in enumerate(_neighbours(vectors, progress))
        for other, score in best
    ]
    with transaction.atomic():
        SimilarEntry.objects.filter(entry__type=type).delete()
        SimilarityVector.objects.filter(entry__type=type).delete()
        SimilarityVector.objects.bulk_create(
            (SimilarityVector(entry_id=pk, weights=w) for pk, w in zip(ids, vectors, strict=True)),
            batch_size=BATCH_SIZE,
        )
        SimilarEntry.objects.bulk_create(pairs, batch_size=BATCH_SIZE)
    return len(ids)


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(a[term] * b[term] for term in a.keys() & b.keys())


@transaction.atomic
def similar_recompute(type: str, object_id: int) -> int:
    """Recompute one entry's vector and similar entries, and put it on the lists of the
    entries it is now among the most similar to. Returns the length of its list."""
    entry = (
        Entry.objects.filter(type=type, object_id=object_id)
        .only("pk", "title_terms", "body_terms", "updated_at")
        .first()
    )
    if entry is None:
        return 0
    total = Entry.objects.filter(type=type).count()
    if total <= FULL_RECOMPUTE_UP_TO:
        computed = (
            SimilarityVector.objects.filter(entry=entry)
            .values_list("computed_at", flat=True)
            .first()
        )
        # Many changes queue many recomputes; the first one after them covers them all.
        if computed is None or computed < entry.updated_at:
            similar_recompute_all(type)
        return SimilarEntry.objects.filter(entry=entry).count()
    counts = _term_counts(entry.title_terms, entry.body_terms)
    weights = vector(counts, _frequencies(type, counts.keys()), total)
    SimilarityVector.objects.update_or_create(
        entry=entry, defaults={"weights": weights, "computed_at": timezone.now()}
    )
    others = (
        SimilarityVector.objects.filter(entry__type=type)
        .exclude(entry=entry)
        .values_list("entry_id", "weights")
        .iterator(chunk_size=BATCH_SIZE)
    )
    scores = {other: _dot(weights, other_weights) for other, other_weights in others}
    scores = {other: round(score, 6) for other, score in scores.items() if score > 0}
    best = heapq.nlargest(TOP, scores.items(), key=lambda item: (item[1], -item[0]))
    SimilarEntry.objects.filter(entry=entry).delete()
    SimilarEntry.objects.bulk_create(
        SimilarEntry(entry=entry, other_id=other, score=score) for other, score in best
    )
    _reverse_update(entry.pk, scores)
    return len(best)


def _reverse_update(entry_id: int, scores: dict[int, float]) -> None:
    """Put the entry on (or take it off, or rescore it on) the lists of the entries closest to
    it, keeping each list to the ten best."""
    closest = dict(heapq.nlargest(REVERSE_UPDATES, scores.items(), key=lambda item: item[1]))
    listing = set(SimilarEntry.objects.filter(other_id=entry_id).values_list("entry_id", flat=True))
    affected = set(closest) | listing
    lists: dict[int, dict[int, float]] = defaultdict(dict)
    for owner, other, score in SimilarEntry.objects.filter(entry_id__in=affected).values_list(
        "entry_id", "other_id", "score"
    ):
        lists[owner][other] = score
    for owner in affected:
        current = dict(lists[owner])
        score = scores.get(owner, 0.0)
        if score > 0:
            current[entry_id] = score
        else:
            current.pop(entry_id, None)
        kept = dict(heapq.nlargest(TOP, current.items(), key=lambda item: (item[1], -item[0])))
        if kept == lists[owner]:
            continue
        SimilarEntry.objects.filter(entry_id=owner).exclude(other_id__in=list(kept)).delete()
        for other, value in kept.items():
            if lists[owner].get(other) != value:
                SimilarEntry.objects.update_or_create(
                    entry_id=owner, other_id=other, defaults={"score": value}
                )
