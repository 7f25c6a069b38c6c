"""The tray's offering API: public reading with filters, adding and changing by the
organisation's editors only, validation, confirming and archiving; answers in the documented
shapes."""

import copy

import jsonschema
import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from kotoverkko.tray.models import Offering
from tests.api.conftest import queries_for, token_client
from tests.api.test_schema import _as_json_schema
from tests.factories import OrganisationFactory, municipality
from tests.tray.factories import OfferingFactory, category

pytestmark = pytest.mark.django_db

OFFERINGS = "/api/v1/tray/offerings/"


@pytest.fixture(scope="module")
def components() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return _as_json_schema(copy.deepcopy(document["components"]))


def check(components: dict, name: str, body) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": components}
    jsonschema.Draft202012Validator(schema).validate(body)


def new_offering(organisation, **fields) -> dict:
    data = {
        "organisation": organisation.pk,
        "title_fi": "Kielikahvila",
        "title_en": "Language café",
        "category": "open-to-all",
        "municipalities": ["240", "851"],
        "languages": ["fi", "ar"],
        "groups": ["families"],
        "path_stages": ["outside"],
        "times": ["evenings", "weekends"],
        "cost": "free",
        "contact_email": "kahvila@example.fi",
        "web_page": "https://example.fi/kahvila",
    }
    data.update(fields)
    return data


def test_anyone_reads_offerings_in_the_documented_shape(components):
    # given
    offering = OfferingFactory(title_en="Hometown friend", groups=["families"])
    OfferingFactory(archived=True)

    # when
    listing = APIClient().get(OFFERINGS)
    detail = APIClient().get(f"{OFFERINGS}{offering.pk}/")

    # then
    assert listing.status_code == 200
    assert detail.status_code == 200
    check(components, "PaginatedOfferingOutputList", listing.json())
    check(components, "OfferingOutput", detail.json())
    assert [row["id"] for row in listing.json()["results"]] == [offering.pk]
    body = detail.json()
    assert body["title"]["en"] == "Hometown friend"
    assert body["municipalities"][0]["code"] == "698"
    assert body["groups"] == ["families"]
    assert body["url"].endswith(f"/tray/offerings/{offering.pk}/")


def test_the_vocabularies_are_public(components):
    categories = APIClient().get("/api/v1/tray/categories/")
    groups = APIClient().get("/api/v1/tray/groups/")

    assert categories.status_code == 200
    assert groups.status_code == 200
    codes = [row["code"] for row in categories.json()]
    assert "early-phase" in codes
    assert "integration-training" in codes
    assert "families" in [row["code"] for row in groups.json()]
    for row in categories.json():
        check(components, "CategoryOutput", row)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"municipality": "240"}, {"kemi", "region"}),
        ({"language": "ar"}, {"kemi"}),
        ({"category": "open-to-all"}, {"vaasa"}),
        ({"group": "women"}, {"region"}),
        ({"stage": "training"}, {"vaasa"}),
    ],
)
def test_the_list_filters(query, expected):
    # given
    lapland = municipality("240").region
    made = {
        "kemi": OfferingFactory(municipalities=["240"], languages=["fi", "ar"]),
        "region": OfferingFactory(regions=[lapland], groups=["women"]),
        "vaasa": OfferingFactory(
            municipalities=["905"], category=category("open-to-all"), path_stages=["training"]
        ),
    }

    # when
    body = APIClient().get(OFFERINGS, query).json()

    # then
    ids = {row["id"] for row in body["results"]}
    assert ids == {made[name].pk for name in expected}


def test_an_unknown_filter_value_is_a_400():
    assert APIClient().get(OFFERINGS, {"language": "xx"}).status_code == 400
    assert APIClient().get(OFFERINGS, {"municipality": "000"}).status_code == 400


def test_the_list_takes_the_same_number_of_queries_for_few_and_many():
    # given
    lapland = municipality("240").region
    client = APIClient()
    OfferingFactory(groups=["women"], regions=[lapland])
    few, _body = queries_for(client, OFFERINGS)
    for _ in range(10):
        OfferingFactory(groups=["women", "families"], regions=[lapland], municipalities=["240"])

    # when
    many, body = queries_for(client, OFFERINGS)

    # then
    assert many == few
    assert body["count"] == 11


def test_an_editor_adds_an_offering(editor, organisation, components):
    # when
    response = token_client(editor).post(OFFERINGS, new_offering(organisation), format="json")

    # then
    assert response.status_code == 201, response.content
    check(components, "OfferingOutput", response.json())
    offering = Offering.objects.get()
    assert offering.organisation == organisation
    assert offering.url == "https://example.fi/kahvila"
    assert sorted(m.code for m in offering.municipalities.all()) == ["240", "851"]
    assert offering.times == ["evenings", "weekends"]


def test_an_offering_without_a_place_is_a_400_with_the_message(editor, organisation):
    response = token_client(editor).post(
        OFFERINGS,
        new_offering(organisation, municipalities=[]),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["municipalities"] == [
        "Say where it is offered: municipalities or a region."
    ]
    assert not Offering.objects.exists()


def test_an_unknown_language_is_a_400(editor, organisation):
    response = token_client(editor).post(
        OFFERINGS, new_offering(organisation, languages=["fi", "klingon"]), format="json"
    )

    assert response.status_code == 400
    assert "klingon" in response.json()["languages"][0]


def test_an_unknown_municipality_code_is_a_400(editor, organisation):
    response = token_client(editor).post(
        OFFERINGS, new_offering(organisation, municipalities=["000"]), format="json"
    )

    assert response.status_code == 400
    assert "municipalities" in response.json()


def test_an_editor_of_one_organisation_cannot_change_anothers_offerings(other_editor, organisation):
    # given
    offering = OfferingFactory(organisation=organisation, title_fi="Ei sinun")
    client = token_client(other_editor)

    # when
    answers = [
        client.post(OFFERINGS, new_offering(organisation), format="json"),
        client.patch(f"{OFFERINGS}{offering.pk}/", {"title_fi": "Minun"}, format="json"),
        client.delete(f"{OFFERINGS}{offering.pk}/"),
        client.post(f"{OFFERINGS}{offering.pk}/confirm/"),
    ]

    # then
    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    offering.refresh_from_db()
    assert offering.title_fi == "Ei sinun"
    assert not offering.archived
    assert Offering.objects.count() == 1


def test_anonymous_cannot_write():
    offering = OfferingFactory()

    answers = [
        APIClient().post(OFFERINGS, new_offering(OrganisationFactory()), format="json"),
        APIClient().patch(f"{OFFERINGS}{offering.pk}/", {"title_fi": "x"}, format="json"),
        APIClient().delete(f"{OFFERINGS}{offering.pk}/"),
    ]

    assert {answer.status_code for answer in answers} == {401}


def test_an_editor_changes_confirms_and_archives(editor, organisation):
    # given
    offering = OfferingFactory(organisation=organisation, title_fi="Vanha")
    Offering.objects.filter(pk=offering.pk).update(confirmed_on="2023-05-01")
    client = token_client(editor)

    # when
    changed = client.patch(
        f"{OFFERINGS}{offering.pk}/", {"title_fi": "Uusi", "languages": ["ru"]}, format="json"
    )

    # then
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"]["fi"] == "Uusi"
    assert changed.json()["languages"] == ["ru"]
    assert changed.json()["confirmed_on"] == timezone.localdate().isoformat()

    # when
    Offering.objects.filter(pk=offering.pk).update(confirmed_on="2023-05-01")
    confirmed = client.post(f"{OFFERINGS}{offering.pk}/confirm/")

    # then
    assert confirmed.status_code == 200
    assert confirmed.json()["confirmed_on"] == timezone.localdate().isoformat()

    # when
    archived = client.delete(f"{OFFERINGS}{offering.pk}/")

    # then
    assert archived.status_code == 204
    offering.refresh_from_db()
    assert offering.archived
    assert APIClient().get(OFFERINGS).json()["count"] == 0
    assert APIClient().get(f"{OFFERINGS}{offering.pk}/").status_code == 404
    assert client.get(f"{OFFERINGS}{offering.pk}/").json()["archived"] is True


def test_removing_the_last_place_by_patch_is_refused(editor, organisation):
    offering = OfferingFactory(organisation=organisation)

    response = token_client(editor).patch(
        f"{OFFERINGS}{offering.pk}/", {"municipalities": []}, format="json"
    )

    assert response.status_code == 400
    assert "municipalities" in response.json()
    assert offering.municipalities.count() == 1


def test_the_schema_has_the_tray_paths():
    document = SchemaGenerator().get_schema(request=None, public=True)

    for address in (
        "/api/v1/tray/offerings/",
        "/api/v1/tray/offerings/{id}/",
        "/api/v1/tray/offerings/{id}/confirm/",
        "/api/v1/tray/categories/",
        "/api/v1/tray/groups/",
        "/api/v1/tray/wishes/",
        "/api/v1/tray/wishes/{id}/",
        "/api/v1/tray/wishes/{id}/responses/",
    ):
        assert address in document["paths"]
