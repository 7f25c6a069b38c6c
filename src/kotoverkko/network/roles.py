"""A user's roles in the network structure, worked out once per request.

Membership of a sub-network or team makes one a member of every network above it; a
coordinator of a network manages it and everything below it. Both are derived here from the
stored direct memberships, never stored twice.
"""

from dataclasses import dataclass, field

from .models import Membership, Network


@dataclass(frozen=True)
class NetworkTree:
    parent_of: dict[int, int | None]

    @classmethod
    def load(cls) -> "NetworkTree":
        return cls(dict(Network.objects.values_list("pk", "parent_id")))

    def ancestors(self, network_id: int) -> list[int]:
        """The network itself and every network above it."""
        chain, seen = [], set()
        current: int | None = network_id
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.parent_of.get(current)
        return chain

    def descendants(self, network_id: int) -> set[int]:
        """The network itself and every sub-network and team below it."""
        children: dict[int, list[int]] = {}
        for child, parent in self.parent_of.items():
            if parent is not None:
                children.setdefault(parent, []).append(child)
        found, stack = set(), [network_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(children.get(current, []))
        return found


@dataclass(frozen=True)
class Roles:
    person_id: int | None = None
    member_of: frozenset[int] = frozenset()  # derived: direct memberships and their parents
    coordinates: frozenset[int] = frozenset()  # derived: coordinated networks and all below
    leads: frozenset[int] = frozenset()  # teams led
    edits_organisations: frozenset[int] = frozenset()
    coordinated_area: frozenset[int] = field(default_factory=frozenset)  # municipality ids

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinates)

    @property
    def manages(self) -> frozenset[int]:
        return self.coordinates | self.leads


def roles_for(user) -> Roles:
    """The user's roles, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_kotoverkko_roles", None)
    if cached is not None:
        return cached
    person = getattr(user, "person", None)
    if person is None:
        roles = Roles()
    else:
        tree = NetworkTree.load()
        rows = Membership.objects.filter(
            person=person, status=Membership.Status.ACTIVE
        ).values_list("network_id", "role")
        member_of: set[int] = set()
        coordinates: set[int] = set()
        leads: set[int] = set()
        for network_id, role in rows:
            member_of.update(tree.ancestors(network_id))
            if role == Membership.Role.COORDINATOR:
                coordinates.update(tree.descendants(network_id))
            elif role == Membership.Role.LEAD:
                leads.add(network_id)
        area: set[int] = set()
        if coordinates:
            area = set(
                Network.municipalities.through.objects.filter(
                    network_id__in=coordinates
                ).values_list("municipality_id", flat=True)
            )
        roles = Roles(
            person_id=person.pk,
            member_of=frozenset(member_of),
            coordinates=frozenset(coordinates),
            leads=frozenset(leads),
            edits_organisations=frozenset(person.edited_organisations.values_list("pk", flat=True)),
            coordinated_area=frozenset(area),
        )
    user._kotoverkko_roles = roles
    return roles


def forget_roles(user) -> None:
    if hasattr(user, "_kotoverkko_roles"):
        del user._kotoverkko_roles
