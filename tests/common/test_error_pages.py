"""Error pages are translated pages of the site, not bare server messages."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fi", "Sivua ei löydy"), ("sv", "Sidan hittades inte"), ("en", "Page not found")],
)
def test_missing_page_is_a_translated_404(client, language, heading):
    response = client.get(f"/{language}/networks/ei-ole-olemassa/")
    assert response.status_code == 404
    assert heading in response.content.decode()


def test_forbidden_page_explains_itself(client):
    from tests.factories import NetworkFactory, member_of

    network = NetworkFactory(slug="mako")
    client.force_login(member_of(network).user)
    response = client.get("/sv/coordination/requests/")
    assert response.status_code == 403
    assert "Ingen åtkomst" in response.content.decode()


def test_huge_page_number_is_not_an_error(client):
    assert client.get("/fi/organisations/?page=99999999999999999999").status_code == 200
    assert client.get("/fi/organisations/99999999999999999999/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/fi/organisations/?network=a%00b",
        "/fi/organisations/?q=a%00b",
        "/fi/events/?municipality=%00",
        "/api/v1/teams/?network=a%00b",
        "/api/v1/organisations/?municipality=%00",
    ],
)
def test_nul_character_in_a_filter_is_no_server_error(client, path):
    # given a filter value with a NUL character, which PostgreSQL cannot compare
    # when
    response = client.get(path)
    # then: ignored (the directory) or refused with a message (forms and the API)
    assert response.status_code in (200, 400)
