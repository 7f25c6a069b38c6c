"""Permission rules for mass sendings: they follow the network structure.

A sending to a network's list is followed and paused by the coordinators of that network (who
coordinate everything below it too), the people who send its bulletins; administrators are
allowed by `user_can` before any rule is asked.
"""

from kotoverkko.common.permissions import rule
from kotoverkko.network.roles import roles_for

from .models import MailBatch


def _coordinates(user, batch: MailBatch) -> bool:
    mailing_list = batch.mailing_list
    return mailing_list is not None and mailing_list.network_id in roles_for(user).coordinates


@rule("mailbatch.view")
def can_view_batch(user, batch: MailBatch) -> bool:
    """Progress of a sending: how many were sent, failed, skipped, remain."""
    return _coordinates(user, batch)


@rule("mailbatch.manage")
def can_manage_batch(user, batch: MailBatch) -> bool:
    """Pause, resume or cancel a sending."""
    return _coordinates(user, batch)
