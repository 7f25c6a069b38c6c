"""Reading the tray: the public list of offerings and its filters, an organisation's offerings,
a network's area, and the wishes a user may see. Every list carries what its rows show."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from kotoverkko.codelists.models import Municipality, Region, ServiceClass
from kotoverkko.common.permissions import user_can
from kotoverkko.network.models import Network, Organisation, sort_name
from kotoverkko.network.roles import NetworkTree, roles_for

from .models import Category, ClientGroup, Offering, Wish, WishResponse


@dataclass(frozen=True)
class OfferingFilters:
    """Ids for the related rows, codes for the lists stored in the offering itself."""

    municipality: int | None = None
    category: int | None = None
    language: str = ""
    group: int | None = None
    stage: str = ""
    organisation: int | None = None


def _with_rows(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    """What an offering's row shows: organisation, category, places and groups."""
    return offerings.select_related("organisation", "category", "service_class").prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name_fi")),
        Prefetch("regions", queryset=Region.objects.order_by("name_fi")),
        Prefetch("groups", queryset=ClientGroup.objects.order_by("position", "code")),
    )


def _in_municipality(municipality_id: int) -> Q:
    """Offered in the municipality itself, or in the whole region it belongs to."""
    through = Offering.municipalities.through.objects.filter(municipality_id=municipality_id)
    regions = Offering.regions.through.objects.filter(
        region_id__in=Municipality.objects.filter(pk=municipality_id).values("region_id")
    )
    return Q(pk__in=through.values("offering_id")) | Q(pk__in=regions.values("offering_id"))


def _in_list(field: str, code: str) -> Q:
    # A JSON list holds the code as a quoted string on both SQLite and PostgreSQL; the codes
    # are checked against their vocabularies before they get here.
    return Q(**{f"{field}__icontains": f'"{code}"'})


def _filtered(offerings: QuerySet[Offering], filters: OfferingFilters) -> QuerySet[Offering]:
    if filters.municipality is not None:
        offerings = offerings.filter(_in_municipality(filters.municipality))
    if filters.category is not None:
        offerings = offerings.filter(category_id=filters.category)
    if filters.language:
        offerings = offerings.filter(_in_list("languages", filters.language))
    if filters.group is not None:
        offerings = offerings.filter(
            pk__in=Offering.groups.through.objects.filter(clientgroup_id=filters.group).values(
                "offering_id"
            )
        )
    if filters.stage:
        offerings = offerings.filter(_in_list("path_stages", filters.stage))
    if filters.organisation is not None:
        offerings = offerings.filter(organisation_id=filters.organisation)
    return offerings


def _by_category(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    return offerings.order_by(
        "category__kind", "category__position", "category__code", "organisation__name_fi", "pk"
    )


def offering_list_public(*, filters: OfferingFilters | None = None) -> QuerySet[Offering]:
    """The tray as everyone sees it: offerings not archived, by category."""
    offerings = Offering.objects.filter(archived=False)
    return _with_rows(_by_category(_filtered(offerings, filters or OfferingFilters())))


def offering_list_for_organisation(
    *, organisation: Organisation, include_archived: bool = False
) -> QuerySet[Offering]:
    offerings = Offering.objects.filter(organisation=organisation)
    if not include_archived:
        offerings = offerings.filter(archived=False)
    return _with_rows(_by_category(offerings).order_by("archived", "category__kind", "pk"))


def network_area(*, network: Network) -> set[int]:
    """The municipality ids of a network's area: its own and those of the networks below it."""
    ids = NetworkTree.load().descendants(network.pk)
    return set(
        Network.municipalities.through.objects.filter(network_id__in=ids).values_list(
            "municipality_id", flat=True
        )
    )


def offering_list_for_area(
    *, network: Network, filters: OfferingFilters | None = None
) -> QuerySet[Offering]:
    """Every offering in a network's area: in one of its municipalities, or covering a whole
    region one of them belongs to."""
    area = network_area(network=network)
    regions = Municipality.objects.filter(pk__in=area).values("region_id")
    offerings = Offering.objects.filter(archived=False).filter(
        Q(
            pk__in=Offering.municipalities.through.objects.filter(municipality_id__in=area).values(
                "offering_id"
            )
        )
        | Q(
            pk__in=Offering.regions.through.objects.filter(region_id__in=regions).values(
                "offering_id"
            )
        )
    )
    return _with_rows(_by_category(_filtered(offerings, filters or OfferingFilters())))


def offering_get(*, pk: int) -> Offering | None:
    """One offering with everything its page shows, archived or not."""
    offerings = _with_rows(Offering.objects.filter(pk=pk)).prefetch_related(
        Prefetch("wishes", queryset=Wish.objects.select_related("organisation"))
    )
    return offerings.select_related("service_class__parent", "confirmed_by").first()


# Vocabularies and choices -------------------------------------------------------------------


def category_list(*, include_inactive: bool = False) -> QuerySet[Category]:
    categories = Category.objects.all()
    if not include_inactive:
        categories = categories.filter(active=True)
    return categories.order_by("kind", "position", "code")


def group_list(*, include_inactive: bool = False) -> QuerySet[ClientGroup]:
    groups = ClientGroup.objects.all()
    if not include_inactive:
        groups = groups.filter(active=True)
    return groups.order_by("position", "code")


def municipality_list(*, language: str | None) -> QuerySet[Municipality]:
    return Municipality.objects.order_by(sort_name(language), "pk")


def region_list(*, language: str | None) -> QuerySet[Region]:
    return Region.objects.order_by(sort_name(language), "pk")


def service_class_groups() -> list[tuple[ServiceClass, list[ServiceClass]]]:
    """PTV service classes as (main class, its sub-classes), in code order."""
    classes = list(ServiceClass.objects.order_by("code"))
    children: dict[int, list[ServiceClass]] = {}
    for item in classes:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    return [(item, children.get(item.pk, [])) for item in classes if item.parent_id is None]


def organisations_editable(*, user) -> list[Organisation]:
    """The organisations a user keeps the tray of: those she edits and her own (when she may
    edit it), by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = set(roles_for(user).edits_organisations)
    person = getattr(user, "person", None)
    own = getattr(person, "organisation", None)
    if own is not None and own.pk not in ids and user_can(user, "organisation.edit", own):
        ids.add(own.pk)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name_fi", "pk"))


def networks_of(*, user) -> list[Network]:
    """The networks a user belongs to or coordinates (where her wishes can be posted)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Network.objects.order_by("name_fi", "pk"))
    roles = roles_for(user)
    return list(
        Network.objects.filter(pk__in=roles.member_of | roles.coordinates).order_by("name_fi", "pk")
    )


def networks_coordinated(*, user) -> list[Network]:
    """The networks whose area's tray the user follows as a coordinator."""
    coordinates = roles_for(user).coordinates
    if not coordinates:
        return []
    return list(Network.objects.filter(pk__in=coordinates).order_by("name_fi", "pk"))


# Wishes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WishFilters:
    network: int | None = None
    municipality: int | None = None
    status: str = ""


def _wishes_visible(user) -> QuerySet[Wish]:
    """Members see their networks' wishes, editors their organisations' wishes, coordinators
    those of their networks and of their area's municipalities."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Wish.objects.none()
    if user.is_superuser:
        return Wish.objects.all()
    roles = roles_for(user)
    condition = Q(network_id__in=roles.member_of | roles.coordinates) | Q(
        organisation_id__in=roles.edits_organisations
    )
    if roles.coordinated_area:
        condition |= Q(municipality_id__in=roles.coordinated_area)
    return Wish.objects.filter(condition)


def wish_list_visible(*, user, filters: WishFilters | None = None) -> QuerySet[Wish]:
    filters = filters or WishFilters()
    wishes = _wishes_visible(user)
    if filters.network is not None:
        wishes = wishes.filter(network_id__in=NetworkTree.load().descendants(filters.network))
    if filters.municipality is not None:
        wishes = wishes.filter(municipality_id=filters.municipality)
    if filters.status:
        wishes = wishes.filter(status=filters.status)
    return (
        wishes.select_related("organisation", "network", "municipality", "category", "offering")
        .prefetch_related(
            Prefetch("responses", queryset=WishResponse.objects.select_related("organisation"))
        )
        .order_by("-created_at", "-pk")
    )


def wish_get_visible(*, user, pk: int) -> Wish | None:
    return wish_list_visible(user=user).filter(pk=pk).first()


def wish_offering_choices(*, wish: Wish) -> QuerySet[Offering]:
    """The offerings a wish can have become: those of its organisation and of the
    organisations that answered it."""
    organisations = [wish.organisation_id] + [
        response.organisation_id for response in wish.responses.all()
    ]
    return (
        Offering.objects.filter(organisation_id__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name_fi", "title_fi", "pk")
    )
