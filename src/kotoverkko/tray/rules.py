"""Who may do what in the tray: organisations keep their own offerings and wishes; the
coordinators of a network see and run its area's tray and workshops."""

from kotoverkko.common.permissions import rule, user_can
from kotoverkko.network.roles import roles_for

from .models import Offering, Wish, Workshop


@rule("offering.create")
def can_create_offering(user, organisation) -> bool:
    """The organisation's editors, and the coordinators who may edit it."""
    return organisation is not None and user_can(user, "organisation.edit", organisation)


@rule("offering.edit")
def can_edit_offering(user, offering: Offering) -> bool:
    return user_can(user, "organisation.edit", offering.organisation)


@rule("wish.create")
def can_create_wish(user, organisation) -> bool:
    return organisation is not None and user_can(user, "organisation.edit", organisation)


@rule("wish.respond")
def can_respond_to_wish(user, organisation) -> bool:
    """Answering for an organisation: its editors."""
    return organisation is not None and user_can(user, "organisation.edit", organisation)


@rule("wish.edit")
def can_edit_wish(user, wish: Wish) -> bool:
    if user_can(user, "organisation.edit", wish.organisation):
        return True
    return wish.network_id is not None and wish.network_id in roles_for(user).coordinates


@rule("tray.coordinate")
def can_coordinate_tray(user, network) -> bool:
    """A network's coordinators: its area's analysis, expectations and workshops."""
    return network is not None and network.pk in roles_for(user).coordinates


@rule("workshop.manage")
def can_manage_workshop(user, workshop: Workshop) -> bool:
    return workshop.network_id in roles_for(user).coordinates
