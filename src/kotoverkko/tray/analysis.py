"""The analysis of a network's tray: how its area's municipalities are covered by category and
language, offerings that overlap, gaps against the network's expectations, and stale entries
with the reminders that ask their organisations to confirm them in one click.

Everything about an area is read in a handful of queries (values_list over the placements,
groups and texts of its offerings) and worked out in memory, so the cost does not depend on
how the rows are spread. An offering for a whole region counts in every municipality of that
region; archived offerings count nowhere.
"""

import heapq
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kotoverkko.codelists.models import Municipality
from kotoverkko.common.audit import audit_record
from kotoverkko.mailing.services import message_queue
from kotoverkko.network.models import Network, Person
from kotoverkko.network.roles import NetworkTree
from kotoverkko.search.analyser import analyse

from .languages import LANGUAGES, language_name
from .models import Category, ClientGroup, Expectation, Offering

STALE_AFTER_DAYS = 365
REMIND_EVERY_DAYS = 30
CONFIRM_LINK_DAYS = 60
CONFIRM_SALT = "kotoverkko.tray.offering-confirm"
# Cosine of the tf-idf vectors from which two offerings' texts count as similar.
OVERLAP_THRESHOLD = 0.3
SHARED_TERMS = 8
# An offering's vector keeps its strongest terms only: enough to tell what it is about.
MAX_TERMS = 32
TITLE_REPEAT = 2
EVERYONE = "everyone"
CONTENT_LANGUAGES = ("fi", "sv", "en")
# The column of offerings that do not say their language, in the by-language matrix.
NO_LANGUAGE = "-"


def _pick(texts: dict[str, str], language: str | None = None) -> str:
    """A translated text in the reader's language, else the first one given."""
    language = (language or translation.get_language() or "fi")[:2]
    if texts.get(language):
        return texts[language]
    return next((texts[code] for code in CONTENT_LANGUAGES if texts.get(code)), "")


# The area -----------------------------------------------------------------------------------


def area_municipalities(*, network: Network) -> list[Municipality]:
    """The municipalities of the network's area and of the networks below it, by name."""
    ids = NetworkTree.load().descendants(network.pk)
    rows = Municipality.objects.filter(networks__in=ids).distinct().order_by()
    return sorted(rows, key=lambda row: (str(row).casefold(), row.code))


@dataclass
class _Area:
    """The non-archived offerings placed in an area, and where each one counts."""

    municipalities: list[Municipality]
    # offering id -> the area's municipalities where it counts
    places: dict[int, set[int]]
    category_of: dict[int, int]
    languages_of: dict[int, tuple[str, ...]]
    groups_of: dict[int, frozenset[str]] = field(default_factory=dict)


def _placement_queries(municipalities: list[Municipality]):
    municipality_ids = [row.pk for row in municipalities]
    region_ids = sorted({row.region_id for row in municipalities})
    local = Offering.municipalities.through.objects.filter(
        municipality_id__in=municipality_ids, offering__archived=False
    )
    regional = Offering.regions.through.objects.filter(
        region_id__in=region_ids, offering__archived=False
    )
    return local, regional


def _in_area(municipalities: list[Municipality]) -> Q:
    """Offerings placed in one of the municipalities or in a whole region of one of them."""
    local, regional = _placement_queries(municipalities)
    return Q(pk__in=local.values("offering_id")) | Q(pk__in=regional.values("offering_id"))


def _area(network: Network, *, groups: bool = False) -> _Area:
    """The area's offerings in two queries (their places in municipalities and in whole
    regions, with their category, languages and, if asked, client groups)."""
    municipalities = area_municipalities(network=network)
    area = _Area(municipalities=municipalities, places={}, category_of={}, languages_of={})
    if not municipalities:
        return area
    by_region: dict[int, list[int]] = defaultdict(list)
    for row in municipalities:
        by_region[row.region_id].append(row.pk)
    local, regional = _placement_queries(municipalities)
    # The languages as JSON text, decoded once for each distinct list.
    details = ["offering__category_id", Cast("offering__languages", TextField())]
    if groups:
        details.append("offering__groups__code")
    found: dict[int, set[str]] = defaultdict(set)
    decoded: dict[str | None, tuple[str, ...]] = {None: ()}
    for query, place in ((local, "municipality_id"), (regional, "region_id")):
        for offering_id, place_id, category_id, languages, *code in query.values_list(
            "offering_id", place, *details
        ):
            places = area.places.get(offering_id)
            if places is None:
                places = area.places[offering_id] = set()
                area.category_of[offering_id] = category_id
                if languages not in decoded:
                    decoded[languages] = tuple(json.loads(languages) or ())
                area.languages_of[offering_id] = decoded[languages]
            if place == "region_id":
                places.update(by_region[place_id])
            else:
                places.add(place_id)
            if code and code[0]:
                found[offering_id].add(code[0])
    if groups:
        area.groups_of = {pk: frozenset(found.get(pk, ())) for pk in area.places}
    return area


def _categories() -> dict[int, Category]:
    return {row.pk: row for row in Category.objects.all()}


# Coverage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # a category's code or a language code
    label: str


@dataclass(frozen=True)
class CoverageRow:
    municipality: Municipality
    counts: list[int]  # in the order of the matrix's columns
    total: int  # offerings in the municipality, each once


@dataclass
class CoverageMatrix:
    """Offerings per municipality of a network's area and per category (or language)."""

    network: Network
    by: str  # "category" or "language"
    columns: list[Column]
    rows: list[CoverageRow]
    column_totals: list[int]  # offerings of the area in each column, each once
    total: int  # offerings in the area

    @property
    def maximum(self) -> int:
        return max((count for row in self.rows for count in row.counts), default=0)

    def count(self, municipality_code: str, key: str) -> int:
        index = [column.key for column in self.columns].index(key)
        for row in self.rows:
            if row.municipality.code == municipality_code:
                return row.counts[index]
        raise KeyError(municipality_code)

    def table(self) -> tuple[list[str], list[list]]:
        """Header and rows for a spreadsheet, totals last."""
        header = [_("Municipality"), *(column.label for column in self.columns), _("Total")]
        rows = [[str(row.municipality), *row.counts, row.total] for row in self.rows]
        rows.append([_("Whole area"), *self.column_totals, self.total])
        return header, rows


def _language_columns(used: Counter) -> list[Column]:
    first = [code for code in CONTENT_LANGUAGES if code in used]
    rest = sorted(
        (code for code in used if code not in CONTENT_LANGUAGES and code != NO_LANGUAGE),
        key=lambda code: (-used[code], language_name(code)),
    )
    columns = [Column(code, language_name(code)) for code in first + rest]
    if NO_LANGUAGE in used:
        columns.append(Column(NO_LANGUAGE, _("language not given")))
    return columns


def coverage_matrix(*, network: Network, by_language: bool = False) -> CoverageMatrix:
    """How many offerings each municipality of the network's area has in each category (or
    language). An offering in several languages counts in each of them."""
    return _coverage(network, _area(network), by_language=by_language)


def _coverage(network: Network, area: _Area, *, by_language: bool) -> CoverageMatrix:
    counts: Counter[tuple[int, str]] = Counter()
    row_totals: Counter[int] = Counter()
    column_totals: Counter[str] = Counter()
    categories = _categories()
    for offering_id, places in area.places.items():
        if by_language:
            keys = list(area.languages_of[offering_id]) or [NO_LANGUAGE]
        else:
            keys = [categories[area.category_of[offering_id]].code]
        for key in keys:
            column_totals[key] += 1
            for municipality_id in places:
                counts[municipality_id, key] += 1
        for municipality_id in places:
            row_totals[municipality_id] += 1
    if by_language:
        columns = _language_columns(column_totals)
    else:
        columns = [
            Column(category.code, str(category))
            for category in categories.values()
            if category.active or column_totals[category.code]
        ]
    rows = [
        CoverageRow(
            municipality=municipality,
            counts=[counts[municipality.pk, column.key] for column in columns],
            total=row_totals[municipality.pk],
        )
        for municipality in area.municipalities
    ]
    return CoverageMatrix(
        network=network,
        by="language" if by_language else "category",
        columns=columns,
        rows=rows,
        column_totals=[column_totals[column.key] for column in columns],
        total=len(area.places),
    )


# Overlaps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlapOffering:
    id: int
    title: str
    organisation_id: int
    organisation: str
    languages: tuple[str, ...]


@dataclass
class OverlapGroup:
    """Offerings of one category that look like the same thing offered twice in a place."""

    category: Category
    municipalities: list[Municipality]
    offerings: list[OverlapOffering]
    organisations: list[str]
    shared_terms: list[str]
    similarity: float  # the highest cosine of the pairs that joined them


def _vectors(texts: dict[int, dict[str, tuple[str, str]]]) -> dict[int, dict[str, float]]:
    """Normalised tf-idf vectors of the offerings' titles (twice) and descriptions, each
    language through its own analyser; the document frequencies are the area's."""
    analysed: dict[tuple[str, str], list[str]] = {}

    def terms_of(text: str, language: str) -> list[str]:
        key = (text, language)
        if key not in analysed:
            analysed[key] = analyse(text, language)
        return analysed[key]

    counts: dict[int, Counter[str]] = {}
    for offering_id, by_language in texts.items():
        terms: Counter[str] = Counter()
        for code, (title, description) in by_language.items():
            for term in terms_of(title, code):
                terms[term] += TITLE_REPEAT
            terms.update(terms_of(description, code))
        counts[offering_id] = terms
    frequencies: Counter[str] = Counter()
    for terms in counts.values():
        frequencies.update(terms.keys())
    total = len(counts)
    idf = {term: math.log((1 + total) / (1 + count)) + 1 for term, count in frequencies.items()}
    vectors = {}
    for offering_id, terms in counts.items():
        weights = {
            term: (1.0 + math.log(count)) * idf[term] if count > 1 else idf[term]
            for term, count in terms.items()
        }
        if len(weights) > MAX_TERMS:
            weights = dict(heapq.nlargest(MAX_TERMS, weights.items(), key=lambda item: item[1]))
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        vectors[offering_id] = {t: w / norm for t, w in weights.items()} if norm else {}
    return vectors


def overlaps(*, network: Network, threshold: float = OVERLAP_THRESHOLD) -> list[OverlapGroup]:
    """Offerings of the same category in the same municipality, for intersecting client
    groups and languages, whose texts are alike; connected ones form one group."""
    return _overlaps(_area(network, groups=True), threshold=threshold)


def _similar_pairs(
    area: _Area, vectors: dict[int, dict[str, float]], threshold: float, joined: "_Groups"
) -> list[tuple[int, int, float]]:
    """Pairs of offerings of one category that meet in a municipality, for intersecting
    client groups and languages (none, or the group "everyone", meets every other), whose
    vectors' cosine reaches the threshold.

    Within a category each offering is a bit: the offerings it may overlap with are found by
    or-ing and and-ing the bit sets of its places, groups and languages, so only those pairs
    are ever compared, each once, whatever the number of municipalities they share. Of those,
    only the ones sharing one of its decisive terms are compared: its terms without those
    whose largest possible contribution to a cosine stays below the threshold even all
    together (prefix filtering; no similar pair is lost). A pair already joined through
    others is not compared: the pairs returned join the groups in `joined`."""
    keys = {pk: frozenset(vector) for pk, vector in vectors.items()}
    by_category: dict[int, list[int]] = defaultdict(list)
    for pk in sorted(area.places):
        by_category[area.category_of[pk]].append(pk)
    pairs: list[tuple[int, int, float]] = []
    for members in by_category.values():
        if len(members) < 2:
            continue
        at: dict[int, int] = defaultdict(int)
        for_group: dict[str, int] = defaultdict(int)
        in_language: dict[str, int] = defaultdict(int)
        with_term: dict[str, int] = defaultdict(int)
        strongest: dict[str, float] = defaultdict(float)
        grouped: dict[int, int] = {}  # a group's root -> the bits of its offerings
        any_group = any_language = 0
        for index, pk in enumerate(members):
            bit = 1 << index
            for term, weight in vectors[pk].items():
                with_term[term] |= bit
                if weight > strongest[term]:
                    strongest[term] = weight
            for municipality_id in area.places[pk]:
                at[municipality_id] |= bit
            groups = area.groups_of[pk]
            if not groups or EVERYONE in groups:
                any_group |= bit
            for code in groups:
                for_group[code] |= bit
            languages = area.languages_of[pk]
            if not languages:
                any_language |= bit
            for code in languages:
                in_language[code] |= bit
        for index, pk in enumerate(members):
            near = 0
            for municipality_id in area.places[pk]:
                near |= at[municipality_id]
            groups = area.groups_of[pk]
            if groups and EVERYONE not in groups:
                mask = any_group
                for code in groups:
                    mask |= for_group[code]
                near &= mask
            if area.languages_of[pk]:
                mask = any_language
                for code in area.languages_of[pk]:
                    mask |= in_language[code]
                near &= mask
            offset = index + 1
            near >>= offset  # each pair once: only the offerings after this one
            if not near:
                continue
            vector, own = vectors[pk], keys[pk]
            bounds = sorted((weight * strongest[term], term) for term, weight in vector.items())
            below = 0.0
            sharing = 0
            for bound, term in bounds:
                below += bound
                if below >= threshold:
                    sharing |= with_term[term]
            near &= sharing >> offset
            # Offerings already in its group add nothing to it: they are not compared.
            near &= ~(grouped.get(joined.find(pk), 1 << index) >> offset)
            while near:
                low = near & -near
                other = members[offset + low.bit_length() - 1]
                near ^= low
                common = own & keys[other]
                if common:
                    theirs = vectors[other]
                    score = sum(vector[term] * theirs[term] for term in common)
                    if score >= threshold:
                        first, second = joined.find(pk), joined.find(other)
                        bits = grouped.pop(first, 1 << index) | grouped.pop(
                            second, 1 << (offset + low.bit_length() - 1)
                        )
                        joined.join(first, second)
                        grouped[joined.find(pk)] = bits
                        near &= ~(bits >> offset)
                        pairs.append((pk, other, score))
    return pairs


class _Groups:
    """Union-find over offering ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, node: int) -> int:
        parent = self.parent
        while parent.get(node, node) != node:
            parent[node] = parent.get(parent[node], parent[node])
            node = parent[node]
        return node

    def join(self, first: int, second: int) -> None:
        self.parent[self.find(first)] = self.find(second)


def _overlaps(area: _Area, *, threshold: float) -> list[OverlapGroup]:
    if len(area.places) < 2:
        return []
    rows = Offering.objects.filter(_in_area(area.municipalities), archived=False).values_list(
        "pk",
        "organisation_id",
        *(f"organisation__name_{code}" for code in CONTENT_LANGUAGES),
        *(f"title_{code}" for code in CONTENT_LANGUAGES),
        *(f"description_{code}" for code in CONTENT_LANGUAGES),
    )
    texts: dict[int, dict[str, tuple[str, str]]] = {}
    info: dict[int, OverlapOffering] = {}
    for pk, organisation_id, *values in rows:
        if pk not in area.places:  # archived, or placed in the area since it was read
            continue
        names = dict(zip(CONTENT_LANGUAGES, values[0:3], strict=True))
        titles = dict(zip(CONTENT_LANGUAGES, values[3:6], strict=True))
        descriptions = dict(zip(CONTENT_LANGUAGES, values[6:9], strict=True))
        texts[pk] = {
            code: (titles[code] or "", descriptions[code] or "")
            for code in CONTENT_LANGUAGES
            if titles[code] or descriptions[code]
        }
        info[pk] = OverlapOffering(
            id=pk,
            title=_pick(titles),
            organisation_id=organisation_id,
            organisation=_pick(names),
            languages=area.languages_of[pk],
        )
    vectors = _vectors(texts)
    for pk in area.places:
        vectors.setdefault(pk, {})
    joined = _Groups()
    pairs = _similar_pairs(area, vectors, threshold, joined)
    if not pairs:
        return []
    components: dict[int, dict] = {}
    for first, second, score in pairs:
        component = components.setdefault(joined.find(first), {"members": set(), "score": 0.0})
        component["members"].update((first, second))
        component["score"] = max(component["score"], score)
    for component in components.values():
        # Where the group overlaps: the municipalities with at least two of its offerings.
        present: Counter[int] = Counter()
        for pk in component["members"]:
            present.update(area.places[pk])
        component["places"] = {place for place, count in present.items() if count > 1}

    categories = _categories()
    groups = []
    for component in components.values():
        members = sorted(
            (info[pk] for pk in component["members"]),
            key=lambda row: (row.organisation.casefold(), row.title.casefold(), row.id),
        )
        groups.append(
            OverlapGroup(
                category=categories[area.category_of[members[0].id]],
                municipalities=[
                    row for row in area.municipalities if row.pk in component["places"]
                ],
                offerings=members,
                organisations=sorted(
                    {row.organisation for row in members}, key=lambda name: name.casefold()
                ),
                shared_terms=_shared_terms([vectors[row.id] for row in members]),
                similarity=round(component["score"], 3),
            )
        )
    groups.sort(key=lambda group: (-len(group.offerings), -group.similarity, group.category.pk))
    return groups


def _shared_terms(vectors: list[dict[str, float]]) -> list[str]:
    """The strongest terms that at least two of the offerings have."""
    seen: Counter[str] = Counter()
    weight: Counter[str] = Counter()
    for vector in vectors:
        for term, value in vector.items():
            seen[term] += 1
            weight[term] += value
    shared = [term for term in seen if seen[term] >= 2]
    shared.sort(key=lambda term: (-seen[term], -weight[term], term))
    return shared[:SHARED_TERMS]


# Gaps ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """An expectation a municipality does not meet."""

    municipality: Municipality
    expectation: Expectation
    category: Category
    language: str  # "" when the expectation names no language
    group: ClientGroup | None
    in_category: int  # offerings of the category there, in any language and for anyone

    @property
    def language_name(self) -> str:
        return language_name(self.language) if self.language else ""


def expectations_of(*, network: Network) -> list[Expectation]:
    return list(
        Expectation.objects.filter(network=network)
        .select_related("category", "group")
        .order_by("category__kind", "category__position", "category__code", "language", "pk")
    )


def gaps(*, network: Network) -> list[Gap]:
    """For each municipality of the area, each of the network's expectations with nothing to
    meet it. An expectation for a client group is met by an offering for that group or for
    everyone; one in a language, by an offering given in that language."""
    expectations = expectations_of(network=network)
    if not expectations:
        return []
    return _gaps(_area(network, groups=True), expectations)


def _gaps(area: _Area, expectations: list[Expectation]) -> list[Gap]:
    here: dict[tuple[int, int], list[int]] = defaultdict(list)
    for offering_id, places in area.places.items():
        for municipality_id in places:
            here[municipality_id, area.category_of[offering_id]].append(offering_id)
    found = []
    for municipality in area.municipalities:
        for expectation in expectations:
            offerings = here.get((municipality.pk, expectation.category_id), [])
            met = any(
                (not expectation.language or expectation.language in area.languages_of[pk])
                and (
                    expectation.group is None
                    or expectation.group.code in area.groups_of[pk]
                    or EVERYONE in area.groups_of[pk]
                )
                for pk in offerings
            )
            if not met:
                found.append(
                    Gap(
                        municipality=municipality,
                        expectation=expectation,
                        category=expectation.category,
                        language=expectation.language,
                        group=expectation.group,
                        in_category=len(offerings),
                    )
                )
    return found


@transaction.atomic
def expectation_add(
    *,
    actor,
    network: Network,
    category: Category,
    language: str = "",
    group: ClientGroup | None = None,
) -> Expectation:
    """Expect every municipality of the network's area to have the category (in a language,
    for a group)."""
    language = (language or "").strip().lower()
    if language and language not in LANGUAGES:
        raise ValidationError({"language": _("Unknown language.")})
    duplicate = Expectation.objects.filter(
        network=network, category=category, language=language, group=group
    )
    if duplicate.exists():
        raise ValidationError(_("The network already has this expectation."))
    expectation = Expectation.objects.create(
        network=network, category=category, language=language, group=group
    )
    audit_record(
        actor=actor,
        action="create",
        obj=expectation,
        changes={"category": [None, category.code], "language": [None, language]},
        network_ids=[network.pk],
    )
    return expectation


@transaction.atomic
def expectation_remove(*, actor, expectation: Expectation) -> None:
    audit_record(
        actor=actor, action="delete", obj=expectation, network_ids=[expectation.network_id]
    )
    expectation.delete()


# Everything at once ---------------------------------------------------------------------------


@dataclass
class NetworkAnalysis:
    coverage: CoverageMatrix
    coverage_by_language: CoverageMatrix
    overlaps: list[OverlapGroup]
    expectations: list[Expectation]
    gaps: list[Gap]


def network_analysis(*, network: Network, threshold: float = OVERLAP_THRESHOLD) -> NetworkAnalysis:
    """The coverage, overlaps and gaps of the network's area from one reading of it."""
    area = _area(network, groups=True)
    expectations = expectations_of(network=network)
    return NetworkAnalysis(
        coverage=_coverage(network, area, by_language=False),
        coverage_by_language=_coverage(network, area, by_language=True),
        overlaps=_overlaps(area, threshold=threshold),
        expectations=expectations,
        gaps=_gaps(area, expectations) if expectations else [],
    )


# Stale entries ------------------------------------------------------------------------------


def stale_before(today: date | None = None) -> date:
    """Offerings last confirmed before this day are stale."""
    return (today or timezone.localdate()) - timedelta(days=STALE_AFTER_DAYS)


def stale_offerings(*, network: Network | None = None, today: date | None = None) -> QuerySet:
    """Offerings not confirmed for twelve months (in the network's area), the longest
    unconfirmed first, with their organisations' editors."""
    queryset = Offering.objects.filter(archived=False, confirmed_on__lt=stale_before(today))
    if network is not None:
        municipalities = area_municipalities(network=network)
        if not municipalities:
            return queryset.none()
        queryset = queryset.filter(_in_area(municipalities))
    return (
        queryset.select_related("organisation", "category")
        .prefetch_related("organisation__editors")
        .order_by("confirmed_on", "pk")
    )


def confirm_token(*, offering: Offering, person: Person | None) -> str:
    """The signed part of a one-click confirmation link for an offering."""
    return signing.dumps(
        {"o": offering.pk, "p": person.pk if person is not None else None}, salt=CONFIRM_SALT
    )


@dataclass(frozen=True)
class ConfirmLink:
    offering: Offering
    person: Person | None


def confirm_link_read(token: str) -> ConfirmLink:
    """The offering (and the editor) a confirmation link names; an expired, forged or
    mangled link is refused with a message that says which."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRM_LINK_DAYS))
    except signing.SignatureExpired:
        raise ValidationError(
            _(
                "This confirmation link has expired. Log in to confirm the offering, or use "
                "the link in a newer reminder."
            ),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This confirmation link is not valid. Check that you opened the whole link."),
            code="invalid",
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("o"), int):
        raise ValidationError(_("This confirmation link is not valid."), code="invalid")
    offering = (
        Offering.objects.select_related("organisation", "category").filter(pk=payload["o"]).first()
    )
    if offering is None:
        raise ValidationError(_("The offering of this link no longer exists."), code="gone")
    person = None
    if isinstance(payload.get("p"), int):
        person = (
            offering.organisation.editors.filter(pk=payload["p"]).select_related("user").first()
        )
        if person is None:
            raise ValidationError(
                _("The link was sent to an editor who no longer keeps this organisation's data."),
                code="invalid",
            )
    return ConfirmLink(offering=offering, person=person)


def _due_for_reminder(today: date) -> QuerySet:
    last = today - timedelta(days=REMIND_EVERY_DAYS)
    return (
        Offering.objects.filter(archived=False, confirmed_on__lt=stale_before(today))
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__date__lte=last))
        .select_related("organisation", "category")
        .order_by("organisation_id", "confirmed_on", "pk")
    )


def stale_reminders_send_due(*, today: date | None = None) -> int:
    """E-mail each organisation's editors once about its stale offerings, each with a
    one-click confirmation link; ask again after REMIND_EVERY_DAYS. Returns the messages
    queued. An organisation without editors is written to at its own address."""
    today = today or timezone.localdate()
    stamp = timezone.make_aware(datetime.combine(today, timezone.localtime().time()))
    sent = 0
    with transaction.atomic():
        offerings = list(_due_for_reminder(today).select_for_update(of=("self",)))
        by_organisation: dict[int, list[Offering]] = defaultdict(list)
        for offering in offerings:
            by_organisation[offering.organisation_id].append(offering)
        editors: dict[int, list[Person]] = defaultdict(list)
        through = Person.edited_organisations.through.objects.filter(
            organisation_id__in=list(by_organisation)
        ).select_related("person")
        for row in through:
            if row.person.email:
                editors[row.organisation_id].append(row.person)
        reminded: list[int] = []
        for organisation_id, items in by_organisation.items():
            organisation = items[0].organisation
            recipients: list[tuple[Person | None, str, str, str]] = [
                (person, person.email, person.full_name, person.language)
                for person in sorted(editors.get(organisation_id, []), key=lambda p: p.pk)
            ]
            if not recipients and organisation.email:
                recipients = [(None, organisation.email, organisation.name, "fi")]
            if not recipients:
                continue
            for person, address, name, language in recipients:
                links = [
                    {"offering": offering, "token": confirm_token(offering=offering, person=person)}
                    for offering in items
                ]
                who = person.pk if person is not None else "org"
                message_queue(
                    to=address,
                    to_name=name,
                    template="tray/analysis/email/stale_reminder",
                    context={
                        "name": person.first_name if person is not None else name,
                        "organisation": organisation,
                        "links": links,
                        "stale_days": STALE_AFTER_DAYS,
                    },
                    language=language,
                    key=f"tray-stale:{today.isoformat()}:{organisation_id}:{who}",
                )
                sent += 1
            reminded.extend(offering.pk for offering in items)
        Offering.objects.filter(pk__in=reminded).update(reminded_at=stamp)
    return sent


@task()
def stale_reminders_send(today: date | str | None = None) -> int:
    """The daily job: remind the editors of stale offerings (see stale_reminders_send_due)."""
    if isinstance(today, str):
        today = date.fromisoformat(today)
    return stale_reminders_send_due(today=today)
