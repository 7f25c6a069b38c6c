"""Permission rules for networks, organisations, people and memberships."""

from kotoverkko.common.permissions import rule

from .models import JoinRequest, Membership, Network, Organisation, Person
from .roles import roles_for


def _network_of(obj) -> Network | None:
    if isinstance(obj, Network):
        return obj
    if isinstance(obj, Membership | JoinRequest):
        return obj.network
    return None


@rule("network.manage")
def can_manage_network(user, obj) -> bool:
    """Coordinators manage their networks and all below; a team lead manages her team."""
    network = _network_of(obj)
    if network is None:
        return False
    roles = roles_for(user)
    return network.pk in roles.coordinates or (network.is_team and network.pk in roles.leads)


@rule("network.create")
def can_create_network(user, parent) -> bool:
    """New networks at the top are for administrators; coordinators add sub-networks."""
    return parent is not None and parent.pk in roles_for(user).coordinates


@rule("network.view_members")
def can_view_members(user, network) -> bool:
    roles = roles_for(user)
    return network.pk in roles.member_of or network.pk in roles.coordinates


@rule("membership.manage")
def can_manage_membership(user, membership) -> bool:
    return can_manage_network(user, membership.network)


@rule("joinrequest.decide")
def can_decide_join_request(user, join_request) -> bool:
    return join_request.network.pk in roles_for(user).coordinates or (
        join_request.network.is_team and join_request.network.pk in roles_for(user).leads
    )


@rule("organisation.create")
def can_create_organisation(user, _obj) -> bool:
    return roles_for(user).is_coordinator


@rule("organisation.edit")
def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Its editors, and coordinators whose area or members it shares."""
    roles = roles_for(user)
    if organisation.pk in roles.edits_organisations:
        return True
    if not roles.coordinates:
        return False
    served = set(organisation.municipalities.values_list("pk", flat=True))
    if organisation.municipality_id:
        served.add(organisation.municipality_id)
    if served & roles.coordinated_area:
        return True
    return Membership.objects.filter(
        person__organisation=organisation,
        network_id__in=roles.coordinates,
        status=Membership.Status.ACTIVE,
    ).exists()


@rule("person.view_contact")
def can_view_contact(user, person: Person) -> bool:
    """Contact details are for logged-in members of a network the person belongs to."""
    roles = roles_for(user)
    if roles.person_id == person.pk:
        return True
    from .selectors import person_network_ids

    theirs = person_network_ids(person=person)
    return bool(theirs & (roles.member_of | roles.coordinates))


@rule("person.edit")
def can_edit_person(user, person: Person) -> bool:
    roles = roles_for(user)
    if roles.person_id == person.pk:
        return True
    if not roles.coordinates:
        return False
    return person.memberships.filter(
        network_id__in=roles.coordinates, status__in=["active", "requested"]
    ).exists()


@rule("person.create")
def can_create_person(user, _obj) -> bool:
    return roles_for(user).is_coordinator


@rule("audit.view")
def can_view_audit(user, network) -> bool:
    roles = roles_for(user)
    if network is None:
        return roles.is_coordinator
    return network.pk in roles.coordinates


@rule("coordination.access")
def can_access_coordination(user, _obj) -> bool:
    roles = roles_for(user)
    return roles.is_coordinator or bool(roles.leads)
