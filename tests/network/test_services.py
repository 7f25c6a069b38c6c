"""Services of networks, people, memberships and join requests."""

import pytest
from django.core.exceptions import ValidationError

from kotoverkko.common.models import AuditEntry
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.network import selectors, services
from kotoverkko.network.models import JoinRequest, Membership, Network, Person, business_id_is_valid
from tests.factories import (
    JoinRequestFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    coordinator_of,
    municipality,
)

pytestmark = pytest.mark.django_db


def test_membership_of_a_team_makes_one_a_member_of_the_networks_above():
    # given Lapland MAKO > Meri-Lappi > a team, and a person only in the team
    mako = NetworkFactory(slug="mako")
    meri_lappi = NetworkFactory(slug="meri-lappi", parent=mako)
    team = TeamFactory(slug="koulutuspolut", parent=meri_lappi)
    person = PersonFactory()
    MembershipFactory(person=person, network=team)
    # when
    ids = selectors.person_network_ids(person=person)
    # then the membership is derived upwards, and stored once
    assert ids == {mako.pk, meri_lappi.pk, team.pk}
    assert Membership.objects.filter(person=person).count() == 1
    assert selectors.network_member_count(network=mako) == 1


def test_ended_membership_is_kept_as_history_and_no_longer_counts():
    network = NetworkFactory()
    membership = MembershipFactory(network=network)
    services.membership_end(actor=None, membership=membership)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ENDED
    assert membership.ended_on is not None
    assert selectors.network_member_count(network=network) == 0
    # and the person can join again as a new row
    again = services.membership_add(actor=None, person=membership.person, network=network)
    assert again.pk != membership.pk
    assert Membership.objects.filter(person=membership.person, network=network).count() == 2


def test_adding_an_existing_member_again_is_refused():
    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="already a member"):
        services.membership_add(actor=None, person=membership.person, network=membership.network)


def test_team_lead_role_only_in_teams():
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=None, person=PersonFactory(), network=NetworkFactory(), role=Membership.Role.LEAD
        )


def test_bilingual_network_requires_swedish_name_and_description():
    with pytest.raises(ValidationError) as error:
        services.network_create(
            actor=None,
            data={
                "slug": "pomako",
                "name_fi": "POMAKO-verkosto",
                "name_sv": "",
                "description_fi": "Verkosto",
                "description_sv": "",
                "languages": ["fi", "sv"],
            },
        )
    assert set(error.value.error_dict) >= {"name_sv", "description_sv"}
    assert not Network.objects.filter(slug="pomako").exists()


def test_network_update_is_audited_with_the_changed_fields():
    coordinator = coordinator_of(network := NetworkFactory(meeting_rhythm_fi="kerran vuodessa"))
    services.network_update(
        actor=coordinator.user, network=network, data={"meeting_rhythm_fi": "2 kertaa vuodessa"}
    )
    entry = AuditEntry.objects.filter(model="network.network", action="update").get()
    assert entry.actor == coordinator.user
    assert entry.changes == {"meeting_rhythm_fi": ["kerran vuodessa", "2 kertaa vuodessa"]}
    assert list(entry.networks.all()) == [network]


def test_organisation_with_invalid_business_id_is_not_saved():
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            actor=None,
            data={
                "name_fi": "Testi Oy",
                "type": "company",
                "business_id": "1234567-8",
            },
        )
    assert "business_id" in error.value.error_dict
    assert business_id_is_valid("0245437-2")  # a Y-tunnus with a correct check digit


def test_organisation_predecessor_and_successor():
    ely = OrganisationFactory(name_fi="Lapin ELY-keskus", type="elinvoimakeskus")
    successor = services.organisation_create(
        actor=None,
        data={
            "name_fi": "Lapin elinvoimakeskus",
            "type": "elinvoimakeskus",
            "municipality": municipality("698"),
            "predecessors": [ely],
        },
    )
    assert list(ely.successors.all()) == [successor]


def test_person_email_is_unique_case_insensitively():
    PersonFactory(email="aino@example.fi")
    with pytest.raises(ValidationError, match="already listed"):
        services.person_create(
            actor=None,
            data={
                "first_name": "Aino",
                "last_name": "K",
                "email": "AINO@example.fi",
            },
        )


def test_join_request_twice_gets_a_clear_message_and_one_row():
    network = NetworkFactory()
    data = {
        "first_name": "Noora",
        "last_name": "Hakala",
        "email": "noora@example.fi",
        "organisation_name": "Kemin kaupunki",
        "language": "fi",
    }
    services.join_request_submit(network=network, data=data)
    with pytest.raises(ValidationError, match="already waiting"):
        services.join_request_submit(network=network, data={**data, "email": "NOORA@example.fi"})
    assert JoinRequest.objects.count() == 1


def test_join_request_from_a_member_is_refused():
    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="already a member"):
        services.join_request_submit(
            network=membership.network,
            data={
                "first_name": "X",
                "last_name": "Y",
                "email": membership.person.email,
                "organisation_name": "Z",
                "language": "fi",
            },
        )


def test_join_request_tells_the_coordinators_by_email():
    network = NetworkFactory()
    coordinator = coordinator_of(network, language="sv")
    services.join_request_submit(
        network=network,
        data={
            "first_name": "Noora",
            "last_name": "Hakala",
            "email": "noora@example.fi",
            "organisation_name": "Kemin kaupunki",
            "language": "fi",
        },
    )
    message = OutboxMessage.objects.get(to_email=coordinator.email)
    assert message.language == "sv"
    assert "Noora Hakala" in message.subject
    assert "/sv/coordination/requests/" in message.body_text


def test_accepting_a_join_request_creates_person_membership_and_tells_the_applicant():
    network = NetworkFactory()
    coordinator = coordinator_of(network)
    request = JoinRequestFactory(network=network, email="uusi@example.fi", language="en")
    membership = services.join_request_accept(actor=coordinator.user, join_request=request)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.ACCEPTED
    assert membership.person.email == "uusi@example.fi"
    assert membership.status == Membership.Status.ACTIVE
    mail = OutboxMessage.objects.get(to_email="uusi@example.fi")
    assert mail.language == "en"
    assert "accepted" in mail.body_text
    assert AuditEntry.objects.filter(model="network.person", action="create").exists()
    with pytest.raises(ValidationError, match="already been decided"):
        services.join_request_accept(actor=coordinator.user, join_request=request)


def test_accepting_reuses_a_person_already_listed():
    existing = PersonFactory(email="known@example.fi")
    request = JoinRequestFactory(email="known@example.fi")
    membership = services.join_request_accept(actor=None, join_request=request)
    assert membership.person == existing
    assert Person.objects.filter(email="known@example.fi").count() == 1


def test_declining_records_the_note_and_tells_the_applicant():
    request = JoinRequestFactory(email="x@example.fi")
    services.join_request_decline(actor=None, join_request=request, note="Vain viranomaisille")
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.DECLINED
    assert "Vain viranomaisille" in OutboxMessage.objects.get(to_email="x@example.fi").body_text


def test_network_cannot_be_its_own_ancestor():
    top = NetworkFactory()
    child = NetworkFactory(parent=top)
    with pytest.raises(ValidationError):
        services.network_update(actor=None, network=top, data={"parent": child})
