"""Reading the library: the documents a user may see, one document, an event's materials."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear, TruncDate

from kotoverkko.network.models import Membership, Network, Organisation
from kotoverkko.network.roles import NetworkTree, roles_for
from kotoverkko.search.selectors import visible_network_ids

from .models import Document


def document_list_visible(*, user) -> QuerySet[Document]:
    documents = Document.objects.all()
    visible = visible_network_ids(user)
    if visible is not None:
        documents = documents.filter(
            Q(visibility=Document.Visibility.PUBLIC) | Q(network_id__in=visible)
        )
    return documents


@dataclass(frozen=True)
class DocumentFilters:
    network: int | None = None
    language: str = ""
    kind: str = ""
    year: int | None = None
    event: int | None = None


def document_list(*, user, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """The documents the user may see, newest first, with what their list rows show."""
    filters = filters or DocumentFilters()
    documents = document_list_visible(user=user)
    if filters.network is not None:
        documents = documents.filter(network_id__in=NetworkTree.load().descendants(filters.network))
    if filters.language:
        documents = documents.filter(language=filters.language)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.year is not None:
        documents = documents.filter(
            Q(date__year=filters.year) | Q(date__isnull=True, uploaded_at__year=filters.year)
        )
    if filters.event is not None:
        documents = documents.filter(event_id=filters.event)
    return (
        documents.select_related("network", "organisation", "event")
        .defer("text")
        .order_by("-uploaded_at", "-pk")
    )


def document_get(*, pk: int) -> Document | None:
    return (
        Document.objects.select_related("network", "organisation", "event", "item", "uploaded_by")
        .filter(pk=pk)
        .first()
    )


def event_materials(*, event) -> list[Document]:
    return list(
        Document.objects.filter(event=event)
        .select_related("item")
        .defer("text")
        .order_by("uploaded_at", "pk")
    )


def networks_to_add_to(*, user) -> list[Network]:
    """The networks whose library the user may add documents to, by name."""
    if user.is_superuser:
        networks = Network.objects.all()
    else:
        roles = roles_for(user)
        networks = Network.objects.filter(pk__in=roles.member_of | roles.coordinates)
    return list(networks.order_by("name_fi", "pk"))


def organisations_of(*, networks: list[Network], user) -> list[Organisation]:
    """The organisations of the networks' members (a document's organisation is chosen among
    them), and the user's own."""
    ids = set()
    for network in networks:
        ids.update(NetworkTree.load().descendants(network.pk))
    members = Membership.objects.filter(network_id__in=ids, status=Membership.Status.ACTIVE)
    condition = Q(people__memberships__in=members)
    own = getattr(getattr(user, "person", None), "organisation_id", None)
    if own is not None:
        condition |= Q(pk=own)
    return list(Organisation.objects.filter(condition).distinct().order_by("name_fi", "pk"))


def document_years(*, user) -> list[int]:
    """The years of the documents the user may see, newest first (the list's year filter)."""
    years = (
        document_list_visible(user=user)
        .annotate(year=ExtractYear(Coalesce("date", TruncDate("uploaded_at"))))
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted({year for year in years if year}, reverse=True)
