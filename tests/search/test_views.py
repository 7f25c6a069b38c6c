"""The search page and the search API: results, filters, pages, suggestions, permissions, bad
input and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from kotoverkko.search.index import index_entry_save
from tests.api.conftest import token_client
from tests.factories import NetworkFactory, member_of
from tests.search.conftest import DOCUMENT

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("voikko", "documents"),
]


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when the collected static files are missing."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def doc(object_id: int, title: str, body: str = "", **kwargs):
    kwargs.setdefault("language", "fi")
    return index_entry_save(
        type=DOCUMENT,
        object_id=object_id,
        title=title,
        body=body,
        url=f"/fi/events/{object_id}/",
        **kwargs,
    )


@pytest.mark.parametrize(("language", "heading"), [("fi", "Haku"), ("sv", "Sök"), ("en", "Search")])
def test_the_page_works_in_every_language(client, language, heading):
    # given
    doc(1, "Kotoutumiskoulutus Kemissä", "Aikuisten kotoutumiskoulutuksen aloitus.")

    # when
    response = client.get(f"/{language}/search/", {"q": "koulutus"})

    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert f'href="/{language}/events/1/"' in body
    assert "<mark>Kotoutumiskoulutus</mark>" in body
    assert "<mark>kotoutumiskoulutuksen</mark>" in body


def test_without_a_query_the_page_shows_the_form(client):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "results-heading" not in response.content.decode()


def test_filters_narrow_the_results(client):
    # given
    network = NetworkFactory(slug="mako")
    doc(1, "Kunnan kotoutumisohjelma", year=2023)
    doc(2, "Kotoutumisohjelma verkostolle", network=network, year=2024)

    # when
    by_network = client.get("/en/search/", {"q": "kotoutumisohjelma", "network": "mako"})
    by_year = client.get("/en/search/", {"q": "kotoutumisohjelma", "year": "2023"})

    # then
    assert 'href="/en/events/2/"' in by_network.content.decode()
    assert 'href="/en/events/1/"' not in by_network.content.decode()
    assert 'href="/en/events/1/"' in by_year.content.decode()
    assert 'href="/en/events/2/"' not in by_year.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "kunta", "network": "ei-ole"},
        {"q": "kunta", "year": "abc"},
        {"q": "kunta", "language": "de"},
        {"q": "kunta", "type": "nonsense"},
        {"q": "kunta", "page": "x"},
        {"q": "x" * 201},
        {"q": "kunta\x00"},
    ],
)
def test_bad_input_is_a_clear_400(client, params):
    response = client.get("/en/search/", params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_members_only_entries_are_shown_to_members_only(client):
    # given
    network = NetworkFactory()
    doc(1, "Jäsenten kotoutumisohjelma", network=network, visibility="members")
    member = member_of(network)

    # then
    assert (
        "/en/events/1/"
        not in client.get("/en/search/", {"q": "kotoutumisohjelma"}).content.decode()
    )
    client.force_login(member.user)
    body = client.get("/en/search/", {"q": "kotoutumisohjelma"}).content.decode()
    assert 'href="/en/events/1/"' in body
    assert "members only" in body


def test_nothing_found_suggests_another_query(client):
    doc(1, "Uusi kotoutumislaki")
    body = client.get("/en/search/", {"q": "kotuotumislaki"}).content.decode()
    assert "Try instead" in body
    assert "q=kotoutumislaki" in body


def test_pages_link_to_each_other(client):
    for n in range(1, 26):
        doc(n, f"Kotoutumisohjelma {n}")
    body = client.get("/en/search/", {"q": "kotoutumisohjelma", "page": "2"}).content.decode()
    assert "page=1" in body
    assert "page=3" not in body
    assert 'rel="prev"' in body
    assert "Page 2 of 2" in body


def _page_queries(client, count: int) -> int:
    for n in range(1, count + 1):
        doc(n, f"Kotoutumisohjelma {n}", "Kunnan ohjelma ja sen toimeenpano.")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/en/search/", {"q": "kotoutumisohjelma"})
    assert response.status_code == 200
    return len(captured)


def test_the_page_makes_the_same_queries_for_few_and_many_results(client):
    few = _page_queries(client, 2)
    many = _page_queries(client, 40)
    assert few == many


def test_the_page_makes_the_same_queries_for_a_member(client):
    network = NetworkFactory()
    member = member_of(network)
    client.force_login(member.user)
    few = _page_queries(client, 2)
    many = _page_queries(client, 40)
    assert few == many


# The API ----------------------------------------------------------------------------------------


def test_the_api_answers_with_results_and_scores():
    # given
    doc(1, "Kotoutumislaki", "Laki kotoutumisen edistämisestä.")
    doc(2, "Kielikahvila", "Kotoutumislain mukainen toiminta.")

    # when
    response = APIClient().get("/api/v1/search/", {"q": "kotoutumislaki"})

    # then
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [r["id"] for r in data["results"]] == [1, 2]
    assert data["results"][0]["type"] == DOCUMENT
    assert data["results"][0]["score"] >= data["results"][1]["score"]
    assert "<mark>" in data["results"][1]["snippet"]
    assert data["suggestions"] == []


def test_the_api_shows_members_entries_to_members_with_a_token():
    network = NetworkFactory(slug="mako")
    doc(1, "Jäsenten kotoutumisohjelma", network=network, visibility="members")
    anonymous = APIClient().get("/api/v1/search/", {"q": "kotoutumisohjelma"}).json()
    member = token_client(member_of(network)).get(
        "/api/v1/search/", {"q": "kotoutumisohjelma", "network": "mako"}
    )
    assert anonymous["count"] == 0
    assert member.json()["count"] == 1


def test_the_api_suggests_when_nothing_is_found():
    doc(1, "Uusi kotoutumislaki")
    data = APIClient().get("/api/v1/search/", {"q": "kotuotumislaki"}).json()
    assert data["count"] == 0
    assert data["suggestions"] == [{"query": "kotoutumislaki", "count": 1}]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "kunta", "network": "ei-ole"},
        {"q": "kunta", "type": "x"},
        {"q": "kunta", "page_size": "500"},
        {"q": "a\x00"},
    ],
)
def test_the_api_refuses_bad_input_with_400(params):
    assert APIClient().get("/api/v1/search/", params).status_code == 400


def test_the_api_is_in_the_schema():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert "/api/v1/search/" in response.json()["paths"]
