"""`kotoverkko api_token EMAIL` gives a user their API token."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _run(email: str) -> str:
    out = StringIO()
    call_command("api_token", email, stdout=out)
    return out.getvalue().strip()


def test_token_is_created_once_and_printed_again_later():
    # given
    user = UserFactory(email="koordinaattori@example.fi")

    # when
    first = _run("koordinaattori@example.fi")
    second = _run("  Koordinaattori@Example.fi ")

    # then
    assert first
    assert second == first
    assert Token.objects.filter(user=user).count() == 1
    assert Token.objects.get(user=user).key == first


def test_printed_token_logs_in_to_the_api(settings, tmp_path):
    # given
    settings.STATIC_ROOT = tmp_path
    UserFactory(email="koordinaattori@example.fi")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + _run("koordinaattori@example.fi"))

    # when
    response = client.get("/api/v1/memberships/")

    # then
    assert response.status_code == 200


def test_unknown_email_is_a_command_error():
    # given
    UserFactory(email="someone@example.fi")

    # when / then
    with pytest.raises(CommandError, match="nobody@example.fi"):
        _run("nobody@example.fi")
    assert not Token.objects.exists()
