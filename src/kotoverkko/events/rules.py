"""Permission rules for events: they follow the network structure."""

from kotoverkko.common.permissions import rule
from kotoverkko.network.roles import roles_for

from .models import Event


@rule("event.create")
def can_create_event(user, network) -> bool:
    """Coordinators plan events in their networks; a team lead in her team's network."""
    if network is None:
        return False
    roles = roles_for(user)
    return network.pk in roles.coordinates or network.pk in roles.leads


@rule("event.manage")
def can_manage_event(user, event: Event) -> bool:
    """The network's coordinators, and the lead of the team the event belongs to."""
    roles = roles_for(user)
    if event.network_id in roles.coordinates:
        return True
    return bool(event.team_id and event.team_id in roles.leads) or event.network_id in roles.leads


@rule("event.view")
def can_view_event(user, event: Event) -> bool:
    """Public events for everyone, members-only events for the network's members, drafts for
    those who plan them."""
    if event.visibility == Event.Visibility.PUBLIC:
        return True
    if can_manage_event(user, event):
        return True
    if event.visibility == Event.Visibility.MEMBERS:
        return event.network_id in roles_for(user).member_of
    return False
