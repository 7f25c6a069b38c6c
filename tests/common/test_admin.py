"""The Django admin opens for administrators (and for nobody else)."""

import pytest

from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, person_with_login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "network/network/",
        "network/organisation/",
        "network/person/",
        "network/membership/",
        "network/joinrequest/",
        "codelists/municipality/",
        "common/auditentry/",
        "accounts/user/",
    ],
)
def test_admin_lists_open_for_administrators(client, path):
    NetworkFactory()
    OrganisationFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/en/admin/{path}").status_code == 200


def test_admin_is_closed_to_coordinators(client):
    client.force_login(person_with_login().user)
    response = client.get("/en/admin/network/network/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
