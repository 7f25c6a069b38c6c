"""Clients and network structures shared by the API tests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from kotoverkko.accounts.services import api_token_get_or_create
from tests.factories import NetworkFactory, TeamFactory


def token_client(person) -> APIClient:
    """A client that sends the person's API token, as an outside program would."""
    client = APIClient()
    token = api_token_get_or_create(user=person.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def queries_for(client: APIClient, url: str, **params) -> tuple[int, dict]:
    """Run one GET request; return the number of database queries and the JSON body."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when the collected static files are missing."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def structure():
    """Lapland's MAKO with a regional network and a team, and Ostrobothnia's POMAKO."""
    mako = NetworkFactory(
        slug="mako",
        name_fi="MAKO-verkosto",
        name_sv="MAKO-nätverket",
        name_en="MAKO network",
        languages=["fi", "sv"],
    )
    meri_lappi = NetworkFactory(slug="meri-lappi", parent=mako, name_fi="Meri-Lappi")
    team = TeamFactory(slug="pakolaiset", parent=mako, name_fi="Pakolaisten vastaanotto")
    pomako = NetworkFactory(slug="pomako", name_fi="POMAKO")
    return {"mako": mako, "meri_lappi": meri_lappi, "team": team, "pomako": pomako}
