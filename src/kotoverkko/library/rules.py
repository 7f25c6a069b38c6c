"""Who may see, add and change library documents: it follows the network structure."""

from kotoverkko.common.permissions import rule, user_can
from kotoverkko.network.roles import roles_for

from .models import Document


def _in_network(user, network_id: int | None) -> bool:
    if network_id is None:
        return False
    roles = roles_for(user)
    return network_id in roles.member_of or network_id in roles.coordinates


@rule("document.view")
def can_view_document(user, document: Document) -> bool:
    """Public documents for everyone; the others for the members of their network."""
    if document.visibility == Document.Visibility.PUBLIC:
        return True
    return _in_network(user, document.network_id)


@rule("document.add")
def can_add_document(user, network) -> bool:
    """Members add documents to their networks' libraries."""
    return network is not None and _in_network(user, network.pk)


@rule("document.add_to_event")
def can_add_to_event(user, event) -> bool:
    """Members add slides to the events of their network that they may see."""
    return user_can(user, "event.view", event) and (
        _in_network(user, event.network_id) or user_can(user, "event.manage", event)
    )


@rule("document.change")
def can_change_document(user, document: Document) -> bool:
    """Whoever added it while still a member, the network's coordinators, and those who run
    the event it belongs to."""
    if document.network_id is not None and document.network_id in roles_for(user).coordinates:
        return True
    if document.event_id is not None and user_can(user, "event.manage", document.event):
        return True
    return document.uploaded_by_id == user.pk and (
        document.network_id is None or _in_network(user, document.network_id)
    )


@rule("library.manage")
def can_manage_library(user, network) -> bool:
    """Coordinators of a network: re-reading files, imports, every document."""
    return network is not None and network.pk in roles_for(user).coordinates
