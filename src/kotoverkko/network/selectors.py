"""Reading networks, organisations, people, memberships and join requests."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kotoverkko.codelists.models import Municipality
from kotoverkko.common.cache import cached_for_public_pages
from kotoverkko.common.models import AuditEntry
from kotoverkko.common.prepared import Param, PreparedCount, PreparedQuery, PreparedRows
from kotoverkko.common.templatetags.kotoverkko import options_html

from .models import JoinRequest, Membership, Network, Organisation, Person, sort_name
from .roles import NetworkTree, roles_for


def network_list_top() -> QuerySet[Network]:
    return Network.objects.filter(parent__isnull=True).order_by("name")


def network_list_all() -> QuerySet[Network]:
    return Network.objects.select_related("parent").order_by("name")


def network_get(*, slug: str) -> Network:
    return Network.objects.select_related("parent", "contact_person__organisation").get(slug=slug)


def network_children(*, network: Network) -> dict[str, list[Network]]:
    """Regional sub-networks and thematic teams directly under the network."""
    children = list(network.children.order_by("name"))
    return {
        "networks": [c for c in children if c.kind == Network.Kind.NETWORK],
        "teams": [c for c in children if c.kind == Network.Kind.TEAM],
    }


def network_ids_below(*, network: Network) -> set[int]:
    return NetworkTree.load().descendants(network.pk)


def network_member_count(*, network: Network) -> int:
    """People with an active membership in the network or anything below it (derived)."""
    ids = network_ids_below(network=network)
    # COUNT(DISTINCT person_id) on the memberships' (network, status) index; a DISTINCT over
    # whole person rows takes seconds with 100,000 people.
    return (
        Membership.objects.filter(network_id__in=ids, status=Membership.Status.ACTIVE)
        .values("person_id")
        .distinct()
        .count()
    )


def person_network_ids(*, person: Person) -> set[int]:
    """Every network the person belongs to, including those above a direct membership."""
    known = getattr(person, "_kotoverkko_network_ids", None)
    if known is not None:
        return set(known)
    tree = NetworkTree.load()
    direct = person.memberships.filter(status=Membership.Status.ACTIVE).values_list(
        "network_id", flat=True
    )
    result: set[int] = set()
    for network_id in direct:
        result.update(tree.ancestors(network_id))
    return result


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    type: str = ""
    municipality: int | None = None
    network: Network | None = None
    include_inactive: bool = False


def organisation_list(*, filters: OrganisationFilters) -> QuerySet[Organisation]:
    network_ids = None if filters.network is None else network_ids_below(network=filters.network)
    qs = _organisations_matching(
        Organisation.objects.select_related("municipality"),
        q=filters.q,
        type_=filters.type,
        municipality=filters.municipality,
        network_ids=network_ids,
        include_inactive=filters.include_inactive,
        today=timezone.localdate(),
    )
    return qs.alias(sort_name=sort_name(translation.get_language())).order_by("sort_name", "pk")


def _organisations_matching(
    qs: QuerySet[Organisation],
    *,
    q: str | Param,
    type_: str | Param,
    municipality: int | Param | None,
    network_ids: Collection[int] | None,
    include_inactive: bool,
    today: date | Param,
) -> QuerySet[Organisation]:
    """The directory's filters. A value is either itself or, for the directory's prepared
    queries, a Param standing for it (an empty text or None leaves the filter out)."""
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_fi__icontains=q)
            | Q(name_sv__icontains=q)
            | Q(name_en__icontains=q)
            | Q(business_id=q)
        )
    if type_:
        qs = qs.filter(type=type_)
    if municipality:
        qs = qs.filter(
            Q(municipality_id=municipality)
            | Exists(
                Organisation.municipalities.through.objects.filter(
                    organisation_id=OuterRef("pk"), municipality_id=municipality
                )
            )
        )
    if network_ids is not None:
        qs = qs.filter(
            Exists(
                Membership.objects.filter(
                    person__organisation=OuterRef("pk"),
                    network_id__in=network_ids,
                    status=Membership.Status.ACTIVE,
                )
            )
        )
    if not include_inactive:
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return qs


def organisation_count(*, filters: OrganisationFilters) -> int:
    """How many organisations the filters find.

    Without a text or network filter, the organisations still active are counted as all
    minus those discontinued: two index-only counts, where "no end date or one in the future"
    would read the whole index.
    """
    queries, values = _directory_queries_for(filters)
    found = queries.found(values)
    if queries.discontinued is not None:
        found -= queries.discontinued(values)
    return found


def organisation_directory(*, filters: OrganisationFilters) -> PreparedRows:
    """The directory's rows as plain values (no model objects), for a Paginator to slice: the
    organisation's pk, type, valid_until, display_name and municipality_name."""
    queries, values = _directory_queries_for(filters)
    return PreparedRows(queries.rows, values)


@dataclass(frozen=True)
class _DirectoryShape:
    """Which of the directory's filters are in use: this decides its queries' SQL."""

    language: str
    q: bool
    type: bool
    municipality: bool
    network_ids: tuple[int, ...] | None  # a network's few ids are written into the SQL
    include_inactive: bool


@dataclass(frozen=True)
class _DirectoryQueries:
    rows: PreparedQuery
    found: PreparedCount
    discontinued: PreparedCount | None  # subtracted from `found`


def _directory_queries_for(
    filters: OrganisationFilters,
) -> tuple[_DirectoryQueries, dict[str, object]]:
    """The directory's prepared queries for the filters' shape, and the values to run them
    with. Building and compiling the querysets cost more than running them (common/prepared.py)."""
    network_ids = None
    if filters.network is not None:
        network_ids = tuple(sorted(network_ids_below(network=filters.network)))
    shape = _DirectoryShape(
        language=translation.get_language(),
        q=bool(filters.q),
        type=bool(filters.type),
        municipality=bool(filters.municipality),
        network_ids=network_ids,
        include_inactive=filters.include_inactive,
    )
    values = {
        "q": filters.q,
        "type": filters.type,
        "municipality": filters.municipality,
        "today": timezone.localdate(),
    }
    return _directory_queries(shape), values


@lru_cache(maxsize=256)
def _directory_queries(shape: _DirectoryShape) -> _DirectoryQueries:
    """The directory's queries for one shape, each built and compiled once."""
    today = Param("today", models.DateField())

    def matching(*, include_inactive: bool) -> QuerySet[Organisation]:
        return _organisations_matching(
            Organisation.objects.all(),
            q=Param("q", models.CharField()) if shape.q else "",
            type_=Param("type", models.CharField()) if shape.type else "",
            municipality=Param("municipality", models.IntegerField())
            if shape.municipality
            else None,
            network_ids=shape.network_ids,
            include_inactive=include_inactive,
            today=today,
        )

    # The text filter's "name" is the name in the active language (django-modeltranslation).
    with translation.override(shape.language):
        rows = (
            matching(include_inactive=shape.include_inactive)
            .alias(sort_name=sort_name(shape.language))
            .order_by("sort_name", "pk")
            .values(
                "pk",
                "type",
                "valid_until",
                display_name=sort_name(shape.language),
                municipality_name=sort_name(shape.language, "municipality__"),
            )
        )
        if shape.include_inactive or shape.q or shape.network_ids is not None:
            found = PreparedCount(matching(include_inactive=shape.include_inactive))
            discontinued = None
        else:
            everything = matching(include_inactive=True)
            found = PreparedCount(everything)
            discontinued = PreparedCount(everything.filter(valid_until__lt=today))
        return _DirectoryQueries(rows=PreparedQuery(rows), found=found, discontinued=discontinued)


def organisation_get(*, pk: int) -> Organisation:
    return (
        Organisation.objects.select_related("municipality")
        .prefetch_related("municipalities", "predecessors", "successors")
        .get(pk=pk)
    )


def organisation_people(*, organisation: Organisation) -> QuerySet[Person]:
    return organisation.people.order_by("last_name", "first_name")


def municipality_choices(*, region_codes: list[str] | None = None) -> QuerySet[Municipality]:
    qs = Municipality.objects.all()
    if region_codes:
        qs = qs.filter(region__code__in=region_codes)
    return qs.order_by("name")


def municipalities_in_use() -> QuerySet[Municipality]:
    """Municipalities that some organisation is based in or serves (for directory filters)."""
    # EXISTS instead of joining both relations and removing duplicates: the join grows with
    # organisations × municipalities served.
    return Municipality.objects.filter(
        Exists(Organisation.objects.filter(municipality=OuterRef("pk")))
        | Exists(Organisation.municipalities.through.objects.filter(municipality=OuterRef("pk")))
    ).order_by("name")


def directory_filter_options(*, language: str) -> dict[str, str]:
    """The <option> lists of the directory's filters in one language, each led by its "all"
    option, cached until the next change of public data."""

    def compute() -> dict[str, str]:
        with translation.override(language):
            types = [(value, capfirst(str(label))) for value, label in Organisation.Type.choices]
            municipalities = municipalities_in_use().values_list("pk", "name")
            networks = network_list_all().values_list("slug", "name")
            return {
                "types": options_html([("", _("All types")), *types]),
                "municipalities": options_html([("", _("All municipalities")), *municipalities]),
                "networks": options_html([("", _("All networks")), *networks]),
            }

    return cached_for_public_pages(f"directory-filter-options:{language}", compute)


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    network: Network | None = None
    organisation: int | None = None


def person_list(*, filters: PersonFilters, user) -> QuerySet[Person]:
    """People in the networks the user manages (all people for administrators)."""
    qs = Person.objects.select_related("organisation", "user")
    if not user.is_superuser:
        roles = roles_for(user)
        qs = qs.filter(
            memberships__network_id__in=roles.manages,
            memberships__status__in=["active", "requested"],
        ).distinct()
    return _person_filtered(qs, filters)


def _person_filtered(qs: QuerySet[Person], filters: PersonFilters) -> QuerySet[Person]:
    if filters.network is not None:
        ids = network_ids_below(network=filters.network)
        qs = qs.filter(memberships__network_id__in=ids, memberships__status="active").distinct()
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.q:
        for word in filters.q.split():
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__name__icontains=word)
            )
    return qs.order_by("last_name", "first_name", "pk")


def network_memberships(*, network: Network, include_ended: bool = False) -> QuerySet[Membership]:
    qs = Membership.objects.filter(network=network).select_related(
        "person__organisation", "network"
    )
    if not include_ended:
        qs = qs.exclude(status=Membership.Status.ENDED)
    return qs.order_by("person__last_name", "person__first_name", "pk")


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    """All of a person's memberships, current and ended (the history)."""
    return person.memberships.select_related("network__parent").order_by(
        "status", "-started_on", "-pk"
    )


def join_request_list_pending(*, user) -> QuerySet[JoinRequest]:
    qs = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).select_related(
        "network", "organisation", "municipality"
    )
    if not user.is_superuser:
        qs = qs.filter(network_id__in=roles_for(user).manages)
    return qs.order_by("created_at", "pk")


def managed_network_list(*, user) -> QuerySet[Network]:
    qs = Network.objects.select_related("parent")
    if not user.is_superuser:
        qs = qs.filter(pk__in=roles_for(user).manages)
    return qs.annotate(
        pending_requests=Count(
            "join_requests", filter=Q(join_requests__status=JoinRequest.Status.PENDING)
        )
    ).order_by("name")


def audit_entry_list(*, user, network: Network | None = None) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("actor")
    if network is not None:
        ids = network_ids_below(network=network)
        qs = _entries_for_networks(qs, ids)
    elif not user.is_superuser:
        qs = _entries_for_networks(qs, roles_for(user).coordinates)
    return qs.order_by("-at", "-pk")


def _entries_for_networks(qs: QuerySet[AuditEntry], ids) -> QuerySet[AuditEntry]:
    return qs.filter(
        Exists(
            AuditEntry.networks.through.objects.filter(
                auditentry_id=OuterRef("pk"), network_id__in=sorted(ids)
            )
        )
    )


def people_prefetch() -> Prefetch:
    return Prefetch("people", queryset=Person.objects.order_by("last_name"))


# Reads for the API ---------------------------------------------------------------------------


def network_list_by_kind(*, kind: str, parent: Network | None = None) -> QuerySet[Network]:
    """Networks or teams with their parent and area, as the API lists them."""
    qs = (
        Network.objects.filter(kind=kind)
        .select_related("parent")
        .prefetch_related("municipalities")
    )
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.order_by("name", "pk")


def organisation_list_with_area(*, filters: OrganisationFilters) -> QuerySet[Organisation]:
    return organisation_list(filters=filters).prefetch_related("municipalities")


def person_list_visible(*, filters: PersonFilters, user) -> QuerySet[Person]:
    """People the user may look up: those in networks they manage, those sharing a network
    with them, and themselves (everyone for administrators)."""
    qs = Person.objects.select_related("organisation", "municipality", "user")
    if not user.is_superuser:
        roles = roles_for(user)
        tree = NetworkTree.load()
        shared: set[int] = set()
        for network_id in roles.member_of:
            shared |= tree.descendants(network_id)
        memberships = Membership.objects.filter(person=OuterRef("pk"))
        visible = Exists(
            memberships.filter(network_id__in=sorted(shared), status=Membership.Status.ACTIVE)
        ) | Exists(
            memberships.filter(
                network_id__in=sorted(roles.manages), status__in=["active", "requested"]
            )
        )
        if roles.person_id is not None:
            visible |= Q(pk=roles.person_id)
        qs = qs.filter(visible)
    return _person_filtered(qs, filters)


def people_attach_network_ids(*, people: list[Person]) -> list[Person]:
    """Work out the networks of many people at once, so that per-person permission checks
    (person_network_ids) need no further queries."""
    tree = NetworkTree.load()
    found: dict[int, set[int]] = {person.pk: set() for person in people}
    rows = Membership.objects.filter(
        person_id__in=list(found), status=Membership.Status.ACTIVE
    ).values_list("person_id", "network_id")
    for person_id, network_id in rows:
        found[person_id].update(tree.ancestors(network_id))
    for person in people:
        person._kotoverkko_network_ids = frozenset(found[person.pk])
    return people


def membership_list_managed(
    *, user, network: Network | None = None, status: str = ""
) -> QuerySet[Membership]:
    """Memberships of the networks the user manages (all for administrators)."""
    qs = Membership.objects.select_related("person", "network")
    if not user.is_superuser:
        qs = qs.filter(network_id__in=sorted(roles_for(user).manages))
    if network is not None:
        qs = qs.filter(network=network)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("network__name", "person__last_name", "person__first_name", "pk")


def membership_get(*, pk: int) -> Membership:
    return Membership.objects.select_related("network", "person__user").get(pk=pk)


def coordinators_by_network(network_ids: set[int]) -> dict[int, list[Person]]:
    """The active coordinators of each network or of one above it, in two queries."""
    tree = NetworkTree.load()
    chains = {network_id: tree.ancestors(network_id) for network_id in network_ids}
    above = {ancestor for chain in chains.values() for ancestor in chain}
    by_network: dict[int, dict[int, Person]] = {}
    memberships = Membership.objects.filter(
        network_id__in=above,
        role=Membership.Role.COORDINATOR,
        status=Membership.Status.ACTIVE,
    ).select_related("person")
    for membership in memberships:
        by_network.setdefault(membership.network_id, {})[membership.person_id] = membership.person
    result = {}
    for network_id, chain in chains.items():
        people: dict[int, Person] = {}
        for ancestor in chain:
            people.update(by_network.get(ancestor, {}))
        result[network_id] = list(people.values())
    return result
