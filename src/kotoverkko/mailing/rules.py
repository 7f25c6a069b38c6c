"""Permission rules for the outbox: it holds everyone's mail, so only administrators read it.

Administrators (superusers) are allowed by `user_can` before any rule is asked.
"""

from kotoverkko.common.permissions import rule


@rule("outbox.view")
def can_view_outbox(user, _obj) -> bool:
    return False


@rule("outbox.retry")
def can_retry_outbox_message(user, _message) -> bool:
    return False
