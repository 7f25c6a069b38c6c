"""Memberships through the API: listing, adding and ending them."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from kotoverkko.common.models import AuditEntry
from kotoverkko.network.models import Membership
from tests.api.conftest import queries_for, token_client
from tests.factories import (
    MembershipFactory,
    PersonFactory,
    coordinator_of,
    member_of,
    person_with_login,
)

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_memberships_need_a_login():
    assert APIClient().get("/api/v1/memberships/").status_code == 401
    assert APIClient().post("/api/v1/memberships/", {}).status_code == 401


def test_coordinator_lists_memberships_of_her_networks_with_filters(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    own = coordinator.memberships.get()
    in_team = MembershipFactory(network=structure["team"])
    ended = MembershipFactory(
        network=structure["meri_lappi"],
        status=Membership.Status.ENDED,
        ended_on=datetime.date(2025, 5, 31),
    )
    in_pomako = MembershipFactory(network=structure["pomako"])
    client = token_client(coordinator)

    # when
    everything = client.get("/api/v1/memberships/")
    of_team = client.get("/api/v1/memberships/", {"network": "pakolaiset"})
    ended_only = client.get("/api/v1/memberships/", {"status": "ended"})

    # then
    assert _ids(everything) == {own.pk, in_team.pk, ended.pk}
    assert in_pomako.pk not in _ids(everything)
    assert _ids(of_team) == {in_team.pk}
    assert _ids(ended_only) == {ended.pk}
    row = next(r for r in everything.json()["results"] if r["id"] == ended.pk)
    assert row["network"] == "meri-lappi"
    assert row["status"] == "ended"
    assert row["ended_on"] == "2025-05-31"
    assert row["person"] == {
        "id": ended.person_id,
        "first_name": ended.person.first_name,
        "last_name": ended.person.last_name,
    }


def test_member_sees_no_memberships_and_may_not_ask_for_another_network(structure):
    # given
    member = member_of(structure["mako"])
    MembershipFactory(network=structure["mako"])
    client = token_client(member)

    # when
    listed = client.get("/api/v1/memberships/")
    filtered = client.get("/api/v1/memberships/", {"network": "pomako"})

    # then
    assert _ids(listed) == set()
    assert filtered.status_code == 403


def test_bad_membership_filters_are_field_errors():
    # given
    client = APIClient()
    client.force_authenticate(person_with_login().user)

    # when
    response = client.get("/api/v1/memberships/", {"status": "sleeping", "network": "nope"})

    # then
    assert response.status_code == 400
    assert set(response.json()) == {"status", "network"}


def test_coordinator_adds_a_known_person_to_a_team_by_id_or_email(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    colleague = MembershipFactory(network=structure["meri_lappi"]).person
    outsider = MembershipFactory(network=structure["pomako"]).person
    client = token_client(coordinator)

    # when
    by_id = client.post(
        "/api/v1/memberships/",
        {
            "person": colleague.pk,
            "network": "pakolaiset",
            "role": "lead",
            "started_on": "2026-01-15",
        },
        format="json",
    )
    by_email = client.post(
        "/api/v1/memberships/",
        {
            "email": outsider.email.upper(),
            "network": "pakolaiset",
        },
        format="json",
    )

    # then
    assert by_id.status_code == 201, by_id.content
    assert by_id.json()["role"] == "lead"
    assert by_id.json()["started_on"] == "2026-01-15"
    assert by_id.json()["network"] == "pakolaiset"
    created = Membership.objects.get(pk=by_id.json()["id"])
    assert (created.person, created.network, created.status) == (
        colleague,
        structure["team"],
        Membership.Status.ACTIVE,
    )
    assert by_email.status_code == 201, by_email.content
    assert by_email.json()["person"]["id"] == outsider.pk
    assert AuditEntry.objects.filter(model="network.membership", object_id=str(created.pk)).exists()


def test_a_person_outside_the_users_view_cannot_be_added_by_id(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    outsider = MembershipFactory(network=structure["pomako"]).person

    # when
    response = token_client(coordinator).post(
        "/api/v1/memberships/", {"person": outsider.pk, "network": "mako"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "person" in response.json()
    assert not outsider.memberships.filter(network=structure["mako"]).exists()


def test_membership_input_errors_are_400(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    person = MembershipFactory(network=structure["mako"]).person
    client = token_client(coordinator)

    # when
    neither = client.post("/api/v1/memberships/", {"network": "mako"}, format="json")
    unknown_email = client.post(
        "/api/v1/memberships/", {"email": "nobody@example.fi", "network": "mako"}, format="json"
    )
    already = client.post(
        "/api/v1/memberships/", {"person": person.pk, "network": "mako"}, format="json"
    )
    lead_of_network = client.post(
        "/api/v1/memberships/",
        {"person": person.pk, "network": "meri-lappi", "role": "lead"},
        format="json",
    )
    bad_values = client.post(
        "/api/v1/memberships/",
        {"person": "x", "network": "nope", "role": "boss", "started_on": "someday"},
        format="json",
    )

    # then
    assert neither.status_code == 400
    assert "non_field_errors" in neither.json()
    assert unknown_email.status_code == 400
    assert "email" in unknown_email.json()
    assert already.status_code == 400
    assert "non_field_errors" in already.json()
    assert lead_of_network.status_code == 400
    assert "role" in lead_of_network.json()
    assert bad_values.status_code == 400
    assert set(bad_values.json()) == {"person", "network", "role", "started_on"}
    assert person.memberships.count() == 1


def test_member_of_another_network_cannot_add_or_end_memberships(structure):
    # given
    member = member_of(structure["pomako"])
    in_mako = MembershipFactory(network=structure["mako"])
    pomako_colleague = MembershipFactory(network=structure["pomako"]).person
    client = token_client(member)

    # when
    added = client.post(
        "/api/v1/memberships/", {"person": pomako_colleague.pk, "network": "mako"}, format="json"
    )
    ended = client.post(f"/api/v1/memberships/{in_mako.pk}/end/")

    # then
    assert added.status_code == 403
    assert ended.status_code == 403
    in_mako.refresh_from_db()
    assert in_mako.status == Membership.Status.ACTIVE
    assert not pomako_colleague.memberships.filter(network=structure["mako"]).exists()


def test_coordinator_ends_a_membership_which_stays_as_history(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    membership = MembershipFactory(network=structure["team"], started_on=datetime.date(2024, 1, 1))
    client = token_client(coordinator)

    # when
    response = client.post(
        f"/api/v1/memberships/{membership.pk}/end/", {"ended_on": "2025-06-30"}, format="json"
    )
    again = client.post(f"/api/v1/memberships/{membership.pk}/end/")

    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ended"
    assert response.json()["ended_on"] == "2025-06-30"
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ENDED
    assert membership.ended_on == datetime.date(2025, 6, 30)
    assert again.status_code == 400
    history = client.get("/api/v1/memberships/", {"network": "pakolaiset", "status": "ended"})
    assert _ids(history) == {membership.pk}


def test_ending_defaults_to_today_and_refuses_impossible_dates(structure):
    # given
    coordinator = coordinator_of(structure["mako"])
    membership = MembershipFactory(network=structure["mako"], started_on=datetime.date(2024, 1, 1))
    client = token_client(coordinator)
    url = f"/api/v1/memberships/{membership.pk}/end/"

    # when
    before_start = client.post(url, {"ended_on": "2023-12-31"}, format="json")
    future = client.post(url, {"ended_on": "2999-01-01"}, format="json")
    today = client.post(url)

    # then
    assert before_start.status_code == 400
    assert "ended_on" in before_start.json()
    assert future.status_code == 400
    assert "ended_on" in future.json()
    assert today.status_code == 200
    assert today.json()["ended_on"] == timezone.localdate().isoformat()


def test_ending_a_missing_membership_is_404(structure):
    coordinator = coordinator_of(structure["mako"])
    assert token_client(coordinator).post("/api/v1/memberships/999999/end/").status_code == 404


def test_membership_list_query_count_does_not_grow_with_rows(structure):
    # given
    coordinator = coordinator_of(structure["mako"])

    def add(count: int) -> None:
        for index in range(count):
            network = [structure["mako"], structure["meri_lappi"], structure["team"]][index % 3]
            MembershipFactory(network=network, person=PersonFactory())

    add(2)
    few, _body = queries_for(token_client(coordinator), "/api/v1/memberships/")

    # when
    add(12)
    many, body = queries_for(token_client(coordinator), "/api/v1/memberships/")

    # then
    assert body["count"] == 15
    assert many == few


def test_team_lead_adds_members_to_her_team_only(structure):
    # given
    lead = person_with_login()
    MembershipFactory(person=lead, network=structure["team"], role=Membership.Role.LEAD)
    newcomer = MembershipFactory(network=structure["meri_lappi"]).person
    client = token_client(lead)

    # when
    to_team = client.post(
        "/api/v1/memberships/", {"email": newcomer.email, "network": "pakolaiset"}, format="json"
    )
    to_network = client.post(
        "/api/v1/memberships/", {"email": newcomer.email, "network": "mako"}, format="json"
    )

    # then
    assert to_team.status_code == 201, to_team.content
    assert to_network.status_code == 403
    assert set(newcomer.memberships.values_list("network__slug", flat=True)) == {
        "meri-lappi",
        "pakolaiset",
    }


def test_plain_member_is_refused_before_her_input_is_looked_at(structure):
    # given
    member = member_of(structure["mako"])

    # when
    response = token_client(member).post("/api/v1/memberships/", {"person": "x"}, format="json")

    # then
    assert response.status_code == 403
