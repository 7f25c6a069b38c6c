"""People through the API: who sees whom, contact details, adding and changing people."""

import pytest
from rest_framework.test import APIClient

from kotoverkko.common.models import AuditEntry
from kotoverkko.network.models import Membership, Person
from tests.api.conftest import queries_for, token_client
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    coordinator_of,
    member_of,
    municipality,
    person_with_login,
)

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_people_need_a_login():
    # when
    response = APIClient().get("/api/v1/people/")

    # then
    assert response.status_code == 401


def test_a_wrong_token_is_refused():
    # given
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    # when
    response = client.get("/api/v1/people/")

    # then
    assert response.status_code == 401


def test_coordinator_with_a_token_lists_the_people_of_her_networks_only(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    in_sub_network = MembershipFactory(network=structure["meri_lappi"]).person
    requested = MembershipFactory(
        network=structure["mako"], status=Membership.Status.REQUESTED
    ).person
    in_pomako = MembershipFactory(network=structure["pomako"]).person

    # when
    response = token_client(coordinator).get("/api/v1/people/")

    # then
    seen = _ids(response)
    assert {coordinator.pk, in_sub_network.pk, requested.pk} <= seen
    assert in_pomako.pk not in seen
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[in_sub_network.pk]["email"] == in_sub_network.email
    assert rows[in_sub_network.pk]["organisation"]["id"] == in_sub_network.organisation_id


def test_member_sees_herself_and_people_sharing_a_network_with_contact_details(structure):
    # given
    member = member_of(structure["meri_lappi"])
    colleague = MembershipFactory(
        network=structure["team"], person=PersonFactory(phone="040 123 4567")
    ).person
    in_pomako = MembershipFactory(network=structure["pomako"]).person

    # when
    response = token_client(member).get("/api/v1/people/")

    # then
    assert _ids(response) == {member.pk, colleague.pk}
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[colleague.pk]["email"] == colleague.email
    assert rows[colleague.pk]["phone"] == "040 123 4567"
    assert in_pomako.pk not in rows


def test_contact_details_are_hidden_where_the_rules_say_so(structure):
    # given: someone who has only asked to join is listed for the coordinator,
    # but is not yet a member whose contact details are shared
    coordinator = coordinator_of(structure["mako"])
    applicant = MembershipFactory(
        network=structure["mako"],
        status=Membership.Status.REQUESTED,
        person=PersonFactory(phone="050 765 4321"),
    ).person

    # when
    row = token_client(coordinator).get(f"/api/v1/people/{applicant.pk}/").json()

    # then
    assert row["id"] == applicant.pk
    assert row["first_name"] == applicant.first_name
    assert row["email"] is None
    assert row["phone"] is None


def test_member_of_network_a_cannot_see_or_change_people_of_network_b(structure):
    # given
    member = member_of(structure["pomako"])
    in_mako = MembershipFactory(network=structure["mako"]).person
    client = token_client(member)

    # when
    listed = client.get("/api/v1/people/")
    detail = client.get(f"/api/v1/people/{in_mako.pk}/")
    patched = client.patch(f"/api/v1/people/{in_mako.pk}/", {"title": "Hijacked"}, format="json")

    # then
    assert in_mako.pk not in _ids(listed)
    assert detail.status_code == 404
    assert patched.status_code == 404
    in_mako.refresh_from_db()
    assert in_mako.title != "Hijacked"


def test_member_cannot_change_a_colleague_she_can_see(structure):
    # given
    member = member_of(structure["mako"])
    colleague = MembershipFactory(network=structure["mako"]).person

    # when
    response = token_client(member).patch(
        f"/api/v1/people/{colleague.pk}/", {"title": "Hijacked"}, format="json"
    )

    # then
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.title != "Hijacked"


def test_people_filter_by_network_words_and_organisation(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    organisation = OrganisationFactory()
    leila = MembershipFactory(
        network=structure["meri_lappi"],
        person=PersonFactory(first_name="Leila", last_name="Kallio", organisation=organisation),
    ).person
    MembershipFactory(
        network=structure["team"], person=PersonFactory(first_name="Erik", last_name="Berg")
    )
    client = token_client(coordinator)

    # then
    assert _ids(client.get("/api/v1/people/", {"network": "meri-lappi"})) == {leila.pk}
    assert _ids(client.get("/api/v1/people/", {"q": "kallio"})) == {leila.pk}
    assert _ids(client.get("/api/v1/people/", {"organisation": organisation.pk})) == {leila.pk}
    assert client.get("/api/v1/people/", {"network": "nope"}).status_code == 400


def test_coordinator_adds_a_person_to_her_network(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    organisation = OrganisationFactory()
    payload = {
        "first_name": "Noora",
        "last_name": "Hakala",
        "email": "Noora.Hakala@Kemi.fi",
        "title": "kotoutumiskoordinaattori",
        "organisation": organisation.pk,
        "municipality": "240",
        "language": "sv",
        "network": "meri-lappi",
    }

    # when
    response = token_client(coordinator).post("/api/v1/people/", payload, format="json")

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.email == "noora.hakala@kemi.fi"
    assert person.municipality == municipality("240")
    assert person.language == "sv"
    assert body["email"] == "noora.hakala@kemi.fi"
    assert body["municipality"]["code"] == "240"
    assert body["organisation"]["id"] == organisation.pk
    membership = person.memberships.get()
    assert membership.network == structure["meri_lappi"]
    assert membership.status == Membership.Status.ACTIVE
    assert membership.role == Membership.Role.MEMBER
    assert AuditEntry.objects.filter(model="network.person", object_id=str(person.pk)).exists()


def test_coordinator_cannot_add_a_person_to_a_network_she_does_not_manage(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    payload = {
        "first_name": "Noora",
        "last_name": "Hakala",
        "email": "noora@example.fi",
        "network": "pomako",
    }

    # when
    response = token_client(coordinator).post("/api/v1/people/", payload, format="json")

    # then
    assert response.status_code == 403
    assert not Person.objects.filter(email="noora@example.fi").exists()


def test_member_cannot_add_people(structure):
    # given
    member = member_of(structure["mako"])
    payload = {
        "first_name": "Noora",
        "last_name": "Hakala",
        "email": "noora@example.fi",
        "network": "mako",
    }

    # when
    response = token_client(member).post("/api/v1/people/", payload, format="json")

    # then
    assert response.status_code == 403
    assert not Person.objects.filter(email="noora@example.fi").exists()


def test_bad_person_input_gives_field_errors(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    payload = {
        "first_name": "",
        "email": "not-an-address",
        "language": "de",
        "municipality": "000",
        "organisation": 999999,
        "network": "nope",
    }

    # when
    response = token_client(coordinator).post("/api/v1/people/", payload, format="json")

    # then
    assert response.status_code == 400
    assert set(response.json()) == {
        "first_name",
        "last_name",
        "email",
        "language",
        "municipality",
        "organisation",
        "network",
    }
    assert Person.objects.count() == 1


def test_duplicate_email_from_the_service_is_a_field_error_and_nothing_is_saved(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    existing = PersonFactory(email="taken@example.fi")
    payload = {
        "first_name": "Toinen",
        "last_name": "Henkilö",
        "email": "TAKEN@example.fi",
        "network": "mako",
    }

    # when
    response = token_client(coordinator).post("/api/v1/people/", payload, format="json")

    # then
    assert response.status_code == 400
    assert "email" in response.json()
    assert Person.objects.filter(email="taken@example.fi").get() == existing


def test_team_lead_role_outside_a_team_is_refused_and_the_person_is_not_half_saved(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    payload = {
        "first_name": "Noora",
        "last_name": "Hakala",
        "email": "noora@example.fi",
        "network": "mako",
        "role": "lead",
    }

    # when
    response = token_client(coordinator).post("/api/v1/people/", payload, format="json")

    # then
    assert response.status_code == 400
    assert "role" in response.json()
    assert not Person.objects.filter(email="noora@example.fi").exists()


def test_coordinator_changes_a_person_of_her_network(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    person = MembershipFactory(network=structure["team"]).person

    # when
    response = token_client(coordinator).patch(
        f"/api/v1/people/{person.pk}/",
        {"title": "sosiaaliohjaaja", "municipality": "851"},
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "sosiaaliohjaaja"
    person.refresh_from_db()
    assert person.title == "sosiaaliohjaaja"
    assert person.municipality == municipality("851")
    assert AuditEntry.objects.filter(
        model="network.person", action="update", object_id=str(person.pk)
    ).exists()


def test_person_changes_her_own_details_but_a_taken_email_is_refused(structure):
    # given
    member = member_of(structure["mako"])
    PersonFactory(email="taken@example.fi")
    client = token_client(member)

    # when
    own = client.patch(f"/api/v1/people/{member.pk}/", {"phone": "040 111 2222"}, format="json")
    taken = client.patch(
        f"/api/v1/people/{member.pk}/", {"email": "taken@example.fi"}, format="json"
    )
    blank = client.patch(f"/api/v1/people/{member.pk}/", {"last_name": ""}, format="json")

    # then
    assert own.status_code == 200
    assert own.json()["phone"] == "040 111 2222"
    assert taken.status_code == 400
    assert "email" in taken.json()
    assert blank.status_code == 400
    assert "last_name" in blank.json()
    member.refresh_from_db()
    assert member.email != "taken@example.fi"
    assert member.last_name


def test_administrator_sees_everyone():
    # given
    admin = person_with_login()
    admin.user.is_superuser = True
    admin.user.save(update_fields=["is_superuser"])
    someone = MembershipFactory().person

    # then
    assert {admin.pk, someone.pk} <= _ids(token_client(admin).get("/api/v1/people/"))


def test_login_without_a_person_sees_nobody():
    # given
    client = APIClient()
    client.force_authenticate(UserFactory())
    PersonFactory()

    # then
    assert _ids(client.get("/api/v1/people/")) == set()


@pytest.mark.parametrize("role", ["coordinator", "member"])
def test_people_list_query_count_does_not_grow_with_rows(structure, role):
    # given
    viewer = (coordinator_of if role == "coordinator" else member_of)(structure["mako"])

    def add_people(count: int) -> None:
        for index in range(count):
            network = structure["meri_lappi"] if index % 2 else structure["team"]
            person = PersonFactory(municipality=municipality("698"))
            MembershipFactory(person=person, network=network)
            MembershipFactory(person=person, network=structure["pomako"])

    add_people(2)
    few, _body = queries_for(token_client(viewer), "/api/v1/people/")

    # when
    add_people(10)
    many, body = queries_for(token_client(viewer), "/api/v1/people/")

    # then
    assert body["count"] == 13
    assert all(row["email"] for row in body["results"])
    assert many == few
