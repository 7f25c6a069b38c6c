"""Public and coordinator pages: status codes, permissions, bad input, query counts."""

import pytest
from django.test import Client
from django.urls import reverse

from kotoverkko.network.models import JoinRequest, Membership, Network
from tests.factories import (
    JoinRequestFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    coordinator_of,
    member_of,
    person_with_login,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_network_home_in_every_language(client, language):
    network = NetworkFactory(
        slug="mako", name_fi="Lapin MAKO", name_sv="Lapplands MAKO", name_en="Lapland MAKO"
    )
    TeamFactory(
        parent=network,
        name_fi="Pakolaisten vastaanotto",
        name_sv="Mottagning av flyktingar",
        name_en="Refugee reception",
    )
    response = client.get(f"/{language}/networks/mako/")
    assert response.status_code == 200
    expected = {
        "fi": ("Lapin MAKO", "Pakolaisten vastaanotto"),
        "sv": ("Lapplands MAKO", "Mottagning av flyktingar"),
        "en": ("Lapland MAKO", "Refugee reception"),
    }[language]
    body = response.content.decode()
    for text in expected:
        assert text in body
    assert f'<html lang="{language}">' in body


def test_content_falls_back_to_finnish_when_a_translation_is_missing(client):
    NetworkFactory(slug="x", name_fi="Vain suomeksi", name_sv="", name_en="")
    assert "Vain suomeksi" in client.get("/en/networks/x/").content.decode()


def test_language_switcher_keeps_the_page(client):
    NetworkFactory(slug="mako")
    body = client.get("/fi/networks/mako/").content.decode()
    assert 'href="/sv/networks/mako/"' in body
    assert 'href="/en/networks/mako/"' in body


def test_root_redirects_to_finnish(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/")


def test_unknown_network_is_404(client):
    assert client.get("/fi/networks/ei-ole/").status_code == 404


def test_join_form_creates_a_request(client):
    network = NetworkFactory(slug="mako")
    response = client.post(
        "/fi/networks/mako/join/",
        {
            "first_name": "Noora",
            "last_name": "Hakala",
            "email": "noora@example.fi",
            "organisation_name": "Kemin kaupunki",
            "language": "fi",
        },
    )
    assert response.status_code == 302
    assert JoinRequest.objects.get().network == network


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address"}, "valid email"),
        ({"organisation_name": ""}, "Choose your organisation"),
        ({"first_name": ""}, "This field is required"),
    ],
)
def test_malformed_join_request_gets_a_clear_message_and_400(client, data, message):
    NetworkFactory(slug="mako")
    post = {
        "first_name": "Noora",
        "last_name": "Hakala",
        "email": "noora@example.fi",
        "organisation_name": "Kemin kaupunki",
        "language": "fi",
        **data,
    }
    response = client.post("/en/networks/mako/join/", post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_duplicate_join_request_gets_a_clear_message(client):
    network = NetworkFactory(slug="mako")
    JoinRequestFactory(network=network, email="noora@example.fi")
    response = client.post(
        "/en/networks/mako/join/",
        {
            "first_name": "Noora",
            "last_name": "Hakala",
            "email": "noora@example.fi",
            "organisation_name": "Kemin kaupunki",
            "language": "fi",
        },
    )
    assert response.status_code == 400
    assert "already waiting for a decision" in response.content.decode()
    assert JoinRequest.objects.count() == 1


def test_coordinator_accepts_a_join_request(client):
    network = NetworkFactory(slug="mako")
    coordinator = coordinator_of(network)
    request = JoinRequestFactory(network=network, email="uusi@example.fi")
    client.force_login(coordinator.user)
    assert "uusi@example.fi" in client.get("/fi/coordination/requests/").content.decode()
    response = client.post(f"/fi/coordination/requests/{request.pk}/accept/")
    assert response.status_code == 302
    assert Membership.objects.filter(person__email="uusi@example.fi", network=network).exists()


def test_member_of_another_network_cannot_decide_or_edit(client):
    mako = NetworkFactory(slug="mako")
    pomako = NetworkFactory(slug="pomako")
    outsider = coordinator_of(pomako)
    request = JoinRequestFactory(network=mako)
    client.force_login(outsider.user)
    assert client.post(f"/fi/coordination/requests/{request.pk}/accept/").status_code == 403
    assert client.get("/fi/coordination/networks/mako/").status_code == 403
    response = client.post("/fi/coordination/networks/mako/", {"name_fi": "Kaapattu"})
    assert response.status_code == 403
    mako.refresh_from_db()
    assert mako.name_fi != "Kaapattu"
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING


def test_plain_member_cannot_open_coordination_pages(client):
    network = NetworkFactory(slug="mako")
    client.force_login(member_of(network).user)
    assert client.get("/fi/coordination/requests/").status_code == 403
    assert client.get("/fi/coordination/people/").status_code == 403
    assert client.get("/fi/coordination/networks/mako/members/").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/fi/coordination/requests/")
    assert response.status_code == 302
    assert "/fi/accounts/login/" in response["Location"]


def test_coordinator_edits_network_and_bad_input_is_not_saved(client):
    network = NetworkFactory(slug="mako", languages=["fi"])
    client.force_login(coordinator_of(network).user)
    form = {
        "name_fi": "Lapin MAKO",
        "slug": "mako",
        "languages": ["fi", "sv"],
        "description_fi": "Kuvaus",
        "name_sv": "",
    }
    response = client.post("/fi/coordination/networks/mako/", form)
    assert response.status_code == 400
    network.refresh_from_db()
    assert network.languages == ["fi"]
    form.update({"name_sv": "Lapplands MAKO", "description_sv": "Beskrivning"})
    response = client.post("/fi/coordination/networks/mako/", form)
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.languages == ["fi", "sv"]


def test_coordinator_creates_a_team(client):
    network = NetworkFactory(slug="mako")
    client.force_login(coordinator_of(network).user)
    response = client.post(
        "/fi/coordination/networks/mako/new/team/",
        {
            "name_fi": "Koulutuspolut",
            "slug": "koulutuspolut",
            "languages": ["fi"],
        },
    )
    assert response.status_code == 302
    team = Network.objects.get(slug="koulutuspolut")
    assert (team.kind, team.parent) == (Network.Kind.TEAM, network)


def test_coordinator_adds_and_ends_membership(client):
    network = NetworkFactory(slug="mako")
    client.force_login(coordinator_of(network).user)
    person = PersonFactory(email="lisattava@example.fi")
    response = client.post(
        "/fi/coordination/networks/mako/members/",
        {"email": "lisattava@example.fi", "role": "member"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=person)
    response = client.post(f"/fi/coordination/memberships/{membership.pk}/end/")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ENDED
    response = client.post(
        "/fi/coordination/networks/mako/members/", {"email": "nobody@example.fi", "role": "member"}
    )
    assert response.status_code == 400


def test_contact_details_hidden_from_outsiders(client):
    mako = NetworkFactory()
    organisation = OrganisationFactory()
    person = PersonFactory(organisation=organisation, email="salainen@example.fi")
    MembershipFactory(person=person, network=mako)
    # anonymous: no people at all
    assert "salainen@example.fi" not in client.get(organisation.get_absolute_url()).content.decode()
    # member of another network: names but no contact details
    client.force_login(member_of(NetworkFactory()).user)
    body = client.get(organisation.get_absolute_url()).content.decode()
    assert person.last_name in body
    assert "salainen@example.fi" not in body
    assert client.get(person.get_absolute_url()).status_code == 403
    # member of the same network sees them
    client.force_login(member_of(mako).user)
    assert "salainen@example.fi" in client.get(organisation.get_absolute_url()).content.decode()


def test_organisation_directory_filters(client):
    OrganisationFactory(name_fi="Kemin kaupunki", type="municipality")
    OrganisationFactory(name_fi="SPR Lapin piiri", type="ngo")
    body = client.get("/fi/organisations/?type=municipality").content.decode()
    assert "Kemin kaupunki" in body
    assert "SPR Lapin piiri" not in body
    body = client.get("/fi/organisations/?q=lapin").content.decode()
    assert "SPR Lapin piiri" in body
    assert "Kemin kaupunki" not in body
    assert client.get("/fi/organisations/?municipality=abc&type=nonsense&page=x").status_code == 200


def test_directory_filter_menus_start_with_all_and_mark_the_chosen_value(client):
    # given an organisation, so that the menus have something to offer
    OrganisationFactory(name_fi="Kemin kaupunki", type="municipality")
    # when the directory is filtered by type in Swedish
    body = client.get("/sv/organisations/?type=municipality").content.decode()
    # then each menu leads with its "all" choice and the chosen type is selected
    assert '<select id="f-type" name="type">\n      <option value="">Alla typer</option>' in body
    assert '<option value="">Alla kommuner</option>' in body
    assert '<option value="">Alla nätverk</option>' in body
    assert '<option value="municipality" selected>Kommun</option>' in body


def _count_queries(client, django_assert_max_num_queries, url, limit):
    client.get(url)  # the filter choices are cached after the first visit
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_directory_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    OrganisationFactory.create_batch(3)
    few = _count_queries(client, django_assert_max_num_queries, "/fi/organisations/", 20)
    OrganisationFactory.create_batch(30)
    many = _count_queries(client, django_assert_max_num_queries, "/fi/organisations/", 20)
    assert few == many


def test_members_page_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    network = NetworkFactory(slug="mako")
    client.force_login(coordinator_of(network).user)
    MembershipFactory.create_batch(3, network=network)
    url = "/fi/coordination/networks/mako/members/"
    few = _count_queries(client, django_assert_max_num_queries, url, 30)
    MembershipFactory.create_batch(30, network=network)
    many = _count_queries(client, django_assert_max_num_queries, url, 30)
    assert few == many


def test_network_home_is_cached_for_anonymous_visitors(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    NetworkFactory(slug="mako")
    first = client.get("/fi/networks/mako/")
    second = client.get("/fi/networks/mako/")
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert first.content == second.content


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_audit_log_visible_to_coordinators_of_the_network_only(client):
    network = NetworkFactory(slug="mako")
    coordinator = coordinator_of(network)
    client.force_login(coordinator.user)
    client.post(
        "/fi/coordination/networks/mako/",
        {"name_fi": "Uusi nimi", "slug": "mako", "languages": ["fi"]},
    )
    body = client.get(reverse("network:audit_log") + "?network=mako").content.decode()
    assert "Uusi nimi" in body
    client.force_login(coordinator_of(NetworkFactory()).user)
    assert client.get(reverse("network:audit_log") + "?network=mako").status_code == 403
    assert "Uusi nimi" not in client.get(reverse("network:audit_log")).content.decode()


def test_cached_page_is_not_served_to_logged_in_users(client, settings):
    # given an anonymous visit that filled the cache
    settings.PAGE_CACHE_SECONDS = 60
    network = NetworkFactory(slug="mako")
    client.get("/fi/networks/mako/")
    # when a coordinator opens the same page
    client.force_login(coordinator_of(network).user)
    response = client.get("/fi/networks/mako/")
    # then she gets her own page, with her coordination links
    assert "X-Page-Cache" not in response
    assert "/fi/coordination/networks/mako/members/" in response.content.decode()


def test_cached_page_keeps_security_headers_and_language(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    NetworkFactory(slug="mako")
    first = client.get("/sv/networks/mako/")
    second = client.get("/sv/networks/mako/")
    assert second["X-Page-Cache"] == "hit"
    assert second["X-Frame-Options"] == first["X-Frame-Options"] == "DENY"
    assert second["Content-Language"] == "sv"


def test_change_by_a_coordinator_shows_at_once_to_anonymous_visitors(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    network = NetworkFactory(slug="mako", name_fi="Vanha nimi")
    assert "Vanha nimi" in client.get("/fi/networks/mako/").content.decode()
    editor = Client()
    editor.force_login(coordinator_of(network).user)
    editor.post(
        "/fi/coordination/networks/mako/",
        {"name_fi": "Uusi nimi", "slug": "mako", "languages": ["fi"]},
    )
    assert "Uusi nimi" in client.get("/fi/networks/mako/").content.decode()


def test_audit_log_shows_field_names_and_choices_as_words(client):
    network = NetworkFactory(slug="mako")
    coordinator = coordinator_of(network)
    member = MembershipFactory(network=network)
    client.force_login(coordinator.user)
    client.post(f"/en/coordination/memberships/{member.pk}/role/", {"role": "coordinator"})
    body = client.get(reverse("network:audit_log") + "?network=mako").content.decode()
    assert "Role: member → coordinator" in body


def test_directory_type_labels_keep_their_capitals(client):
    OrganisationFactory(name_fi="Kela, Rovaniemen toimisto", type="kela")
    body = client.get("/sv/organisations/").content.decode()
    assert "<td>FPA</td>" in body
    assert 'value="keha">KEHA-centralen</option>' in body


@pytest.mark.parametrize(
    "filters",
    [{}, {"type": "ngo"}, {"include_inactive": True}, {"q": "kemi"}, {"type": "municipality"}],
)
def test_directory_count_matches_the_rows(filters):
    # given current, future-ending and discontinued organisations of two types
    import datetime

    from django.utils import timezone

    from kotoverkko.network import selectors

    today = timezone.localdate()
    OrganisationFactory.create_batch(3, type="ngo", name_fi="Kemin yhdistys")
    OrganisationFactory(type="ngo", valid_until=today - datetime.timedelta(days=1))
    OrganisationFactory(type="municipality", valid_until=today + datetime.timedelta(days=30))
    OrganisationFactory(type="municipality", valid_until=today - datetime.timedelta(days=400))
    chosen = selectors.OrganisationFilters(**filters)
    # when / then
    expected = selectors.organisation_list(filters=chosen).count()
    assert selectors.organisation_count(filters=chosen) == expected


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    "chosen",
    [
        {},
        {"type": "ngo"},
        {"include_inactive": True},
        {"q": "kemi"},
        {"q": "100%"},
        {"q": "1234567-8", "include_inactive": True},
        {"municipality": "240"},
        {"network": "mako"},
        {"network": "mako", "type": "ngo", "include_inactive": True},
        {"q": "yhdistys", "type": "ngo", "municipality": "698"},
    ],
)
def test_directory_rows_and_count_are_those_of_the_organisation_list(chosen, language):
    # given organisations current and discontinued, named in one or more languages, based in
    # or serving two municipalities, some of them with a member in a network
    import datetime

    from django.utils import timezone, translation

    from kotoverkko.network import selectors
    from tests.factories import municipality

    ended = timezone.localdate() - datetime.timedelta(days=1)
    kemi, rovaniemi = municipality("240"), municipality("698")
    mako = NetworkFactory(slug="mako")
    TeamFactory(parent=mako, slug="mako-team")
    OrganisationFactory(name_fi="Kemin yhdistys", name_sv="Kemi förening", municipality=kemi)
    OrganisationFactory(name_fi="100% yhdistys", name_en="100% association", type="company")
    OrganisationFactory(name_fi="1000 yhdistystä", business_id="1234567-8", valid_until=ended)
    OrganisationFactory(name_fi="Ålands kommun", type="municipality", municipality=None)
    serving = OrganisationFactory(name_fi="Lapin yhdistys", municipality=rovaniemi)
    serving.municipalities.add(kemi)
    MembershipFactory(network=mako, person__organisation=serving)
    team_member = OrganisationFactory(name_fi="Tiimin yhdistys", valid_until=ended)
    MembershipFactory(
        network=Network.objects.get(slug="mako-team"), person__organisation=team_member
    )
    filters = selectors.OrganisationFilters(
        q=chosen.get("q", ""),
        type=chosen.get("type", ""),
        municipality=municipality(chosen["municipality"]).pk if "municipality" in chosen else None,
        network=Network.objects.get(slug=chosen["network"]) if "network" in chosen else None,
        include_inactive=chosen.get("include_inactive", False),
    )
    with translation.override(language):
        expected = list(
            selectors.organisation_list(filters=filters).values_list("pk", "name", "valid_until")
        )
        # when the directory reads its rows and counts them
        rows = selectors.organisation_directory(filters=filters)[0:25]
        count = selectors.organisation_count(filters=filters)
    # then it finds the same organisations in the same order, named in the page's language
    assert [(row["pk"], row["display_name"], row["valid_until"]) for row in rows] == expected
    assert count == len(expected)


def test_coordinator_adds_a_person_to_a_network_she_manages_only(client):
    # given a coordinator of MAKO and another network
    mako = NetworkFactory(slug="mako")
    NetworkFactory(slug="pomako")
    client.force_login(coordinator_of(mako).user)
    person = {
        "first_name": "Leila",
        "last_name": "Ahmed",
        "email": "leila@example.fi",
        "language": "fi",
    }
    # when she picks a network she does not manage, then nothing is saved
    response = client.post("/en/coordination/people/new/", {**person, "network": "pomako"})
    assert response.status_code == 400
    assert "Choose the network the person joins." in response.content.decode()
    # when she picks her own, the person is added as a member
    response = client.post("/en/coordination/people/new/", {**person, "network": "mako"})
    assert response.status_code == 302
    assert Membership.objects.filter(person__email="leila@example.fi", network=mako).exists()


def test_bad_organisation_edit_keeps_the_saved_values(client):
    organisation = OrganisationFactory(name_fi="Kemin kaupunki", type="municipality")
    organisation.editors.add(editor := person_with_login())
    client.force_login(editor.user)
    response = client.post(
        f"/en/coordination/organisations/{organisation.pk}/",
        {
            "name_fi": "Uusi nimi",
            "type": "municipality",
            "language_status": "fi",
            "business_id": "1234567-8",
        },
    )
    assert response.status_code == 400
    assert "valid check digit" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name_fi == "Kemin kaupunki"
