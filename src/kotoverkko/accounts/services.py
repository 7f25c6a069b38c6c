"""Account changes: throttled login, users for people, API tokens."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from kotoverkko.common.clients import client_address

from .models import LoginFailure, User


class LoginThrottled(Exception):
    """Too many failed logins for this address or client; try again later."""


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_is_throttled(*, email: str, ip: str | None) -> bool:
    since = _window_start()
    limit = settings.LOGIN_FAILURE_LIMIT
    by_email = LoginFailure.objects.filter(email=email.lower(), at__gte=since).count()
    # A single client may try a few addresses, but not spray many.
    by_ip = LoginFailure.objects.filter(ip=ip, at__gte=since).count() if ip else 0
    return by_email >= limit or by_ip >= limit * 4


def login_authenticate(*, request, email: str, password: str) -> User | None:
    """Check credentials, refusing while too many recent attempts have failed."""
    email = (email or "").strip().lower()
    ip = (client_address(request) or None) if request else None
    if login_is_throttled(email=email, ip=ip):
        raise LoginThrottled
    user = authenticate(request, username=email, password=password)
    if user is None:
        LoginFailure.objects.create(email=email[:254], ip=ip)
        LoginFailure.objects.filter(at__lt=_window_start() - timedelta(days=1)).delete()
        return None
    LoginFailure.objects.filter(email=email).delete()
    return user


@transaction.atomic
def user_create(*, email: str, password: str | None = None, is_superuser: bool = False) -> User:
    manager = User.objects
    if is_superuser:
        return manager.create_superuser(email=email, password=password)
    return manager.create_user(email=email, password=password)


def api_token_get_or_create(*, user: User) -> Token:
    token, _created = Token.objects.get_or_create(user=user)
    return token
