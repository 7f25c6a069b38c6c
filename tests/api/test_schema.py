"""The OpenAPI document: generated without warnings, and real answers match it."""

import copy
import datetime
from typing import Any

import jsonschema
import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from kotoverkko.network.models import Membership
from tests.api.conftest import token_client
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    coordinator_of,
    municipality,
)

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/networks/",
    "/api/v1/networks/{slug}/",
    "/api/v1/teams/",
    "/api/v1/teams/{slug}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{id}/",
    "/api/v1/people/",
    "/api/v1/people/{id}/",
    "/api/v1/memberships/",
    "/api/v1/memberships/{id}/end/",
]


def test_schema_command_validates_without_warnings_and_has_every_path(tmp_path):
    # given
    target = tmp_path / "schema.yaml"

    # when (fails with SchemaGenerationError on any warning or error)
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    # then
    document = yaml.safe_load(target.read_text())
    assert set(PATHS) <= set(document["paths"])
    assert document["info"]["title"] == "Kotoverkko API"
    assert "tokenAuth" in document["components"]["securitySchemes"]


def test_schema_is_served_at_its_address():
    # when
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    # then
    assert response.status_code == 200
    assert set(PATHS) <= set(response.json()["paths"])


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schemas to JSON Schema: `nullable` becomes a null alternative, and objects
    accept no keys beyond those documented, so undocumented output fails too."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _as_json_schema(value) for key, value in node.items()}
    if "properties" in result and result.get("type") == "object":
        result.setdefault("additionalProperties", False)
    if result.pop("nullable", False):
        return {"anyOf": [result, {"type": "null"}]}
    return result


@pytest.fixture(scope="module")
def components() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return _as_json_schema(copy.deepcopy(document["components"]))


def _check(components: dict, name: str, body: Any) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": components}
    jsonschema.Draft202012Validator(schema).validate(body)


def test_real_answers_match_the_documented_shapes(structure, components):
    # given
    structure["mako"].municipalities.set([municipality("698")])
    organisation = OrganisationFactory(municipality=municipality("240"))
    organisation.municipalities.set([municipality("240"), municipality("851")])
    coordinator = coordinator_of(structure["mako"])
    person = PersonFactory(organisation=organisation, municipality=municipality("240"))
    membership = MembershipFactory(
        person=person, network=structure["team"], started_on=datetime.date(2025, 2, 1)
    )
    MembershipFactory(
        network=structure["mako"], status=Membership.Status.REQUESTED, started_on=None
    )
    public = APIClient()
    client = token_client(coordinator)

    # when
    answers = {
        "PaginatedNetworkOutputList": public.get("/api/v1/networks/"),
        "NetworkOutput": public.get("/api/v1/networks/mako/"),
        "PaginatedOrganisationOutputList": public.get("/api/v1/organisations/"),
        "OrganisationDetailOutput": public.get(f"/api/v1/organisations/{organisation.pk}/"),
        "PaginatedPersonOutputList": client.get("/api/v1/people/"),
        "PersonOutput": client.get(f"/api/v1/people/{person.pk}/"),
        "PaginatedMembershipOutputList": client.get("/api/v1/memberships/"),
    }
    answers["MembershipOutput"] = client.post(f"/api/v1/memberships/{membership.pk}/end/")

    # then
    for name, response in answers.items():
        assert response.status_code == 200, (name, response.content)
        _check(components, name, response.json())
    team_page = public.get("/api/v1/teams/").json()
    _check(components, "PaginatedNetworkOutputList", team_page)
    assert team_page["results"][0]["parent"] == "mako"


def test_the_shape_check_notices_a_missing_or_extra_key(components):
    # given
    row = {"code": "698", "name": {"fi": "Rovaniemi", "sv": "Rovaniemi", "en": None}}

    # then
    _check(components, "MunicipalityOutput", row)
    with pytest.raises(jsonschema.ValidationError):
        _check(components, "MunicipalityOutput", {"code": "698"})
    with pytest.raises(jsonschema.ValidationError):
        _check(components, "MunicipalityOutput", {**row, "secret": 1})
