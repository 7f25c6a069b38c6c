"""The permission rules follow the network structure."""

import pytest

from kotoverkko.common.permissions import user_can
from kotoverkko.network.models import Membership
from tests.factories import (
    JoinRequestFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
    coordinator_of,
    member_of,
    municipality,
    person_with_login,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure():
    mako = NetworkFactory(slug="mako")
    meri_lappi = NetworkFactory(slug="meri-lappi", parent=mako)
    team = TeamFactory(slug="pakolaiset", parent=mako)
    pomako = NetworkFactory(slug="pomako")
    return {"mako": mako, "meri_lappi": meri_lappi, "team": team, "pomako": pomako}


def test_coordinator_manages_the_network_and_everything_below_but_not_other_networks(structure):
    coordinator = coordinator_of(structure["mako"]).user
    assert user_can(coordinator, "network.manage", structure["mako"])
    assert user_can(coordinator, "network.manage", structure["meri_lappi"])
    assert user_can(coordinator, "network.manage", structure["team"])
    assert not user_can(coordinator, "network.manage", structure["pomako"])


def test_coordinator_of_a_sub_network_does_not_manage_the_parent(structure):
    coordinator = coordinator_of(structure["meri_lappi"]).user
    assert user_can(coordinator, "network.manage", structure["meri_lappi"])
    assert not user_can(coordinator, "network.manage", structure["mako"])


def test_team_lead_manages_only_her_team(structure):
    lead = person_with_login()
    MembershipFactory(person=lead, network=structure["team"], role=Membership.Role.LEAD)
    assert user_can(lead.user, "network.manage", structure["team"])
    assert not user_can(lead.user, "network.manage", structure["mako"])
    request = JoinRequestFactory(network=structure["team"])
    assert user_can(lead.user, "joinrequest.decide", request)


def test_member_manages_nothing(structure):
    member = member_of(structure["mako"]).user
    assert not user_can(member, "network.manage", structure["mako"])
    assert not user_can(member, "joinrequest.decide", JoinRequestFactory(network=structure["mako"]))
    assert not user_can(member, "audit.view", structure["mako"])


def test_contact_details_visible_only_within_a_shared_network(structure):
    colleague = PersonFactory()
    MembershipFactory(person=colleague, network=structure["meri_lappi"])
    stranger = PersonFactory()
    MembershipFactory(person=stranger, network=structure["pomako"])
    viewer = member_of(structure["mako"]).user
    assert user_can(viewer, "person.view_contact", colleague)  # shared: MAKO (derived)
    assert not user_can(viewer, "person.view_contact", stranger)
    assert not user_can(UserFactory(), "person.view_contact", colleague)  # no person at all


def test_organisation_editor_and_area_coordinator_may_edit_the_organisation(structure):
    structure["mako"].municipalities.set([municipality("698")])
    organisation = OrganisationFactory()
    organisation.municipalities.set([municipality("698")])
    editor = person_with_login()
    organisation.editors.add(editor)
    coordinator = coordinator_of(structure["mako"]).user
    other_coordinator = coordinator_of(structure["pomako"]).user
    assert user_can(editor.user, "organisation.edit", organisation)
    assert user_can(coordinator, "organisation.edit", organisation)
    assert not user_can(other_coordinator, "organisation.edit", organisation)
    assert not user_can(member_of(structure["mako"]).user, "organisation.edit", organisation)


def test_administrator_may_do_everything_and_inactive_users_nothing(structure):
    admin = UserFactory(is_superuser=True)
    assert user_can(admin, "network.manage", structure["pomako"])
    inactive = coordinator_of(structure["mako"]).user
    inactive.is_active = False
    assert not user_can(inactive, "network.manage", structure["mako"])


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="No rule"):
        user_can(UserFactory(), "network.fly")
