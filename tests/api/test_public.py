"""Networks, teams and organisations are readable without logging in."""

import datetime

import pytest
from rest_framework.test import APIClient

from kotoverkko.network.models import Organisation
from tests.api.conftest import queries_for
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    municipality,
)

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_lists_networks_with_names_in_every_language(structure):
    # given
    structure["mako"].municipalities.set([municipality("698"), municipality("851")])

    # when
    response = APIClient().get("/api/v1/networks/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    by_slug = {row["slug"]: row for row in body["results"]}
    assert set(by_slug) == {"mako", "meri-lappi", "pomako"}
    mako = by_slug["mako"]
    assert mako["name"] == {"fi": "MAKO-verkosto", "sv": "MAKO-nätverket", "en": "MAKO network"}
    assert mako["parent"] is None
    assert mako["kind"] == "network"
    assert mako["languages"] == ["fi", "sv"]
    assert mako["municipalities"] == [
        {"code": "698", "name": {"fi": "Rovaniemi", "sv": "Rovaniemi", "en": "Rovaniemi"}},
        {"code": "851", "name": {"fi": "Tornio", "sv": "Torneå", "en": "Tornio"}},
    ]
    assert by_slug["meri-lappi"]["parent"] == "mako"


def test_network_detail_by_slug_and_a_team_is_not_a_network(structure):
    # when
    found = APIClient().get("/api/v1/networks/mako/")
    team_as_network = APIClient().get("/api/v1/networks/pakolaiset/")
    missing = APIClient().get("/api/v1/networks/no-such-network/")

    # then
    assert found.status_code == 200
    assert found.json()["slug"] == "mako"
    assert team_as_network.status_code == 404
    assert missing.status_code == 404


def test_teams_list_gives_the_parent_network_and_filters_by_it(structure):
    # given
    TeamFactory(slug="koulutuspolut", parent=structure["pomako"])

    # when
    everything = APIClient().get("/api/v1/teams/").json()
    of_mako = APIClient().get("/api/v1/teams/", {"network": "mako"}).json()
    detail = APIClient().get("/api/v1/teams/pakolaiset/")

    # then
    assert {(row["slug"], row["parent"]) for row in everything["results"]} == {
        ("pakolaiset", "mako"),
        ("koulutuspolut", "pomako"),
    }
    assert [row["slug"] for row in of_mako["results"]] == ["pakolaiset"]
    assert detail.status_code == 200
    assert detail.json()["kind"] == "team"
    assert detail.json()["parent"] == "mako"
    assert APIClient().get("/api/v1/teams/mako/").status_code == 404


def test_teams_filter_with_unknown_network_is_a_field_error():
    # when
    response = APIClient().get("/api/v1/teams/", {"network": "no-such-network"})

    # then
    assert response.status_code == 400
    assert "network" in response.json()


def test_organisations_filter_by_type_municipality_network_and_words(structure):
    # given
    kela = OrganisationFactory(
        name_fi="Kela Rovaniemi", type=Organisation.Type.KELA, municipality=municipality("698")
    )
    ngo_in_kemi = OrganisationFactory(name_fi="Kemin Punainen Risti", municipality=None)
    ngo_in_kemi.municipalities.set([municipality("240")])
    vaasa = OrganisationFactory(
        name_fi="Vaasan kaupunki",
        type=Organisation.Type.MUNICIPALITY,
        municipality=municipality("905"),
    )
    MembershipFactory(person=PersonFactory(organisation=vaasa), network=structure["pomako"])
    MembershipFactory(
        person=PersonFactory(organisation=ngo_in_kemi), network=structure["meri_lappi"]
    )
    client = APIClient()

    def ids(**params):
        response = client.get("/api/v1/organisations/", params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    # then
    assert ids(type="kela") == {kela.pk}
    assert ids(municipality="240") == {ngo_in_kemi.pk}
    assert ids(network="pomako") == {vaasa.pk}
    assert ids(network="mako") == {ngo_in_kemi.pk}
    assert ids(q="punainen") == {ngo_in_kemi.pk}
    assert ids(q="kela", municipality="698") == {kela.pk}
    assert ids() >= {kela.pk, ngo_in_kemi.pk, vaasa.pk}


def test_organisation_detail_has_translated_fields_area_and_reorganisation_history():
    # given
    old = OrganisationFactory(
        name_fi="Lapin ELY-keskus",
        name_sv="NTM-centralen i Lappland",
        valid_until=datetime.date(2025, 12, 31),
    )
    new = OrganisationFactory(
        name_fi="Lapin elinvoimakeskus",
        name_sv="Livskraftscentralen",
        type=Organisation.Type.ELINVOIMAKESKUS,
        valid_from=datetime.date(2026, 1, 1),
    )
    new.predecessors.set([old])
    new.municipalities.set([municipality("698"), municipality("240")])

    # when
    response = APIClient().get(f"/api/v1/organisations/{new.pk}/")
    ceased = APIClient().get(f"/api/v1/organisations/{old.pk}/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == {"fi": "Lapin elinvoimakeskus", "sv": "Livskraftscentralen", "en": None}
    assert body["type"] == "elinvoimakeskus"
    assert body["municipality"]["code"] == "698"
    assert sorted(m["code"] for m in body["municipalities"]) == ["240", "698"]
    assert body["valid_from"] == "2026-01-01"
    assert body["predecessors"] == [
        {
            "id": old.pk,
            "name": {"fi": "Lapin ELY-keskus", "sv": "NTM-centralen i Lappland", "en": None},
        }
    ]
    assert ceased.json()["successors"][0]["id"] == new.pk


def test_ceased_organisations_are_listed_only_when_asked():
    # given
    ceased = OrganisationFactory(valid_until=datetime.date(2020, 12, 31))
    client = APIClient()

    # when
    default = client.get("/api/v1/organisations/").json()
    everything = client.get("/api/v1/organisations/", {"include_inactive": "true"}).json()

    # then
    assert ceased.pk not in {row["id"] for row in default["results"]}
    assert ceased.pk in {row["id"] for row in everything["results"]}


def test_bad_organisation_filters_are_field_errors_not_server_errors():
    # when
    response = APIClient().get(
        "/api/v1/organisations/", {"type": "castle", "municipality": "000", "network": "nope"}
    )

    # then
    assert response.status_code == 400
    assert set(response.json()) == {"type", "municipality", "network"}


def test_missing_organisation_is_404():
    assert APIClient().get("/api/v1/organisations/999999/").status_code == 404


def test_public_lists_page_their_results():
    # given
    for _ in range(5):
        NetworkFactory()

    # when
    body = APIClient().get("/api/v1/networks/", {"page_size": 2, "page": 2}).json()

    # then
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["previous"] is not None
    assert body["next"] is not None


def test_public_list_query_counts_do_not_grow_with_rows():
    # given
    client = APIClient()

    def add_rows():
        network = NetworkFactory()
        network.municipalities.set([municipality("698"), municipality("240")])
        TeamFactory(parent=network).municipalities.set([municipality("851")])
        organisation = OrganisationFactory()
        organisation.municipalities.set([municipality("698"), municipality("905")])

    add_rows()
    few = {
        url: queries_for(client, url)[0]
        for url in ("/api/v1/networks/", "/api/v1/teams/", "/api/v1/organisations/")
    }

    # when
    for _ in range(6):
        add_rows()
    many = {url: queries_for(client, url) for url in few}

    # then
    for url, (count, body) in many.items():
        assert body["count"] >= 7, url
        assert count == few[url], url
        assert count <= 4, url
