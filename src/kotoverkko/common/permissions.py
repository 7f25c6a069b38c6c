"""The one place that answers "may this user do X to this object".

Each app registers the rules for its own actions in its rules.py (imported when the app is
ready); views, API endpoints and services all ask `user_can`.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

Rule = Callable[[Any, Any], bool]
_rules: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        if action in _rules:
            raise ValueError(f"A rule for {action!r} is already registered.")
        _rules[action] = func
        return func

    return register


def user_can(user: Any, action: str, obj: Any = None) -> bool:
    if user is None or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    try:
        check = _rules[action]
    except KeyError:
        raise ValueError(f"No rule for {action!r}.") from None
    return bool(check(user, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not user_can(user, action, obj):
        raise PermissionDenied


def registered_actions() -> list[str]:
    return sorted(_rules)
