"""Permission rules for news and the bulletin: they follow the network structure.

A network's coordinators (who coordinate everything below their network too) write its news
and edit, test and send its issues. The membership roles have no separate news editor, so
news editing goes with coordination. Administrators are allowed by `user_can` itself.
"""

from kotoverkko.common.permissions import rule
from kotoverkko.network.models import Network
from kotoverkko.network.roles import roles_for


def _network_id(obj) -> int | None:
    if isinstance(obj, Network):
        return obj.pk
    return getattr(obj, "network_id", None)


@rule("newsletter.manage")
def can_manage_newsletter(user, obj) -> bool:
    """Issues of a network: compile, edit, preview, test, send, schedule."""
    network_id = _network_id(obj)
    return network_id is not None and network_id in roles_for(user).coordinates


@rule("news.edit")
def can_edit_news(user, obj) -> bool:
    """A network's news items (obj is the network or a news item)."""
    network_id = _network_id(obj)
    return network_id is not None and network_id in roles_for(user).coordinates


@rule("newsletter.access")
def can_access_newsletter(user, _obj) -> bool:
    """The coordination pages of the bulletin at all."""
    return roles_for(user).is_coordinator
