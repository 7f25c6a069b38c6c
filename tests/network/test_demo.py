"""The demo data: idempotent loading, the network structure, organisations, people and logins."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from kotoverkko.accounts.models import User
from kotoverkko.common.models import AuditEntry
from kotoverkko.network.demo import (
    DEMO_PASSWORD,
    LOGINS,
    MAKO,
    MAKO_MERI_LAPPI,
    MAKO_ROVANIEMI,
    POMAKO,
    demo_load,
    demo_plan,
)
from kotoverkko.network.models import (
    JoinRequest,
    Membership,
    Network,
    Organisation,
    Person,
    business_id_is_valid,
)
from kotoverkko.network.roles import roles_for
from kotoverkko.network.selectors import (
    network_children,
    network_member_count,
    person_network_ids,
)

pytestmark = pytest.mark.django_db

TEAMS = {
    "Pakolaisten vastaanotto": MAKO,
    "Maaseutukuntien kotouttamiskäytännöt": MAKO,
    "Koulutuspolut Meri-Lappi": MAKO_MERI_LAPPI,
    "Koulutuspolut Rovaniemi": MAKO_ROVANIEMI,
}


def _row_counts() -> dict[str, int]:
    return {
        "networks": Network.objects.count(),
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "ended memberships": Membership.objects.filter(status="ended").count(),
        "join requests": JoinRequest.objects.count(),
        "users": User.objects.count(),
        "audit entries": AuditEntry.objects.count(),
        "editors": Organisation.editors.through.objects.count(),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for this module and rolled back at its end.

    Each test still runs in its own savepoint (the django_db mark), so changes made by one test
    do not leak into the next.
    """
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            # The library's demo files go to a folder of this module, not DATA_DIR.
            with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
                demo_load()
        except BaseException as exc:
            outer.__exit__(type(exc), exc, exc.__traceback__)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# These two start from an empty database, so they come before any test that uses `demo`.


def test_loading_twice_gives_the_same_rows():
    # given
    assert not Network.objects.exists()
    first = demo_load()
    counts = _row_counts()

    # when
    second = demo_load()

    # then
    assert first.created["people"] == Person.objects.count()
    assert second.created == {}
    assert _row_counts() == counts


def test_command_with_if_empty_loads_an_empty_database():
    # given
    assert not Network.objects.exists()
    out = StringIO()

    # when
    with translation.override("en"):
        call_command("demo", "--if-empty", stdout=out)

    # then
    assert Network.objects.filter(slug__in=[MAKO, POMAKO]).count() == 2
    assert "loaded" in out.getvalue()
    assert Person.objects.count() >= 140


def test_plan_is_the_same_on_every_run():
    # given / when
    first, second = demo_plan(), demo_plan()

    # then
    assert first == second
    emails = [person.email for person in first.people]
    assert len(emails) == len(set(emails))


def test_mako_has_two_regional_networks_and_four_teams(demo):
    # given
    mako = Network.objects.get(slug=MAKO)

    # when
    children = network_children(network=mako)

    # then
    assert mako.name_fi == "Lapin MAKO-verkosto"
    assert mako.meeting_rhythm_en == "Twice a year"
    assert {n.slug for n in children["networks"]} == {MAKO_MERI_LAPPI, MAKO_ROVANIEMI}
    teams = Network.objects.filter(kind=Network.Kind.TEAM).select_related("parent")
    assert {team.name_fi: team.parent.slug for team in teams} == TEAMS
    assert set(mako.municipalities.values_list("region__code", flat=True)) == {"19"}
    assert mako.municipalities.count() == 21
    assert set(
        Network.objects.get(slug=MAKO_MERI_LAPPI).municipalities.values_list("name", flat=True)
    ) == {"Kemi", "Tornio", "Keminmaa", "Simo", "Tervola", "Ylitornio"}
    for network in Network.objects.all():
        assert network.name_sv
        assert network.name_en
        assert network.description_sv
        assert network.description_en
        assert network.how_to_join_fi
        assert network.meeting_rhythm_sv


def test_pomako_is_bilingual_with_swedish_texts(demo):
    # given / when
    pomako = Network.objects.get(slug=POMAKO)

    # then
    assert pomako.languages == ["fi", "sv"]
    assert pomako.is_bilingual
    assert pomako.name_sv == "POMAKO-nätverket"
    assert "Österbotten" in pomako.description_sv
    assert pomako.how_to_join_sv
    assert "Teams" in pomako.meeting_rhythm_sv
    pomako.full_clean()
    assert set(pomako.municipalities.values_list("region__code", flat=True)) == {"15", "16"}
    assert Membership.objects.filter(
        network=pomako, status="active", person__language="sv"
    ).exists()


def test_organisations_cover_every_type_with_valid_business_ids(demo):
    # given / when
    organisations = list(Organisation.objects.all())

    # then
    assert len(organisations) >= 35
    assert {o.type for o in organisations} == set(Organisation.Type.values)
    with_id = [o for o in organisations if o.business_id]
    assert len(with_id) >= 30
    assert all(business_id_is_valid(o.business_id) for o in with_id)
    assert len({o.business_id for o in with_id}) == len(with_id)
    vaasa = Organisation.objects.get(name_fi="Vaasan kaupunki")
    assert vaasa.name_sv == "Vasa stad"
    assert vaasa.language_status == Organisation.LanguageStatus.BILINGUAL_FI
    assert Organisation.objects.filter(language_status=Organisation.LanguageStatus.SWEDISH).exists()
    assert all(o.municipalities.exists() for o in organisations)


def test_ely_centre_is_the_predecessor_of_the_elinvoimakeskus(demo):
    # given
    ely = Organisation.objects.get(name_fi="Lapin ELY-keskus")

    # when
    successor = Organisation.objects.get(name_fi="Lapin elinvoimakeskus")

    # then
    assert str(ely.valid_until) == "2025-12-31"
    assert str(successor.valid_from) == "2026-01-01"
    assert list(successor.predecessors.all()) == [ely]
    assert not ely.is_active


def test_people_are_many_and_spread_over_networks_and_teams(demo):
    # given / when
    people = Person.objects.all()

    # then
    assert people.count() >= 140
    assert all(p.email.split("@")[1].endswith(".example") for p in people)
    assert people.filter(language="sv").count() >= 15
    assert not people.filter(title="").exclude(user__is_superuser=True).exists()
    for network in Network.objects.all():
        assert Membership.objects.filter(network=network, status="active").count() >= 3
    assert Membership.objects.filter(status="ended").count() >= 10


def test_members_of_regional_networks_are_members_of_mako(demo):
    # given
    mako = Network.objects.get(slug=MAKO)
    direct = Membership.objects.filter(network=mako, status="active").count()
    regional = Person.objects.filter(
        memberships__network__slug__in=[MAKO_MERI_LAPPI, MAKO_ROVANIEMI],
        memberships__status="active",
    ).distinct()

    # when
    count = network_member_count(network=mako)

    # then
    assert count > direct + 50
    assert count >= regional.count()
    member = Person.objects.get(email="jasen@kotoverkko.example")
    assert not member.memberships.filter(network=mako).exists()
    assert mako.pk in person_network_ids(person=member)


def test_every_demo_login_authenticates_and_has_its_role(demo):
    # given
    logins = {login.person.email: login for login in LOGINS}

    # when
    users = {email: authenticate(None, username=email, password=DEMO_PASSWORD) for email in logins}

    # then
    assert len(users) == 6
    assert all(user is not None and user.person.email == email for email, user in users.items())
    assert users["admin@kotoverkko.example"].is_superuser
    mako = Network.objects.get(slug=MAKO)
    pomako = Network.objects.get(slug=POMAKO)
    assert mako.pk in roles_for(users["koordinaattori@kotoverkko.example"]).coordinates
    samordnare = users["samordnare@kotoverkko.example"]
    assert pomako.pk in roles_for(samordnare).coordinates
    assert samordnare.person.language == "sv"
    lead = Membership.objects.get(
        person__email="tiiminvetaja@kotoverkko.example", role=Membership.Role.LEAD
    )
    assert lead.network.kind == Network.Kind.TEAM
    assert roles_for(users["toimittaja@kotoverkko.example"]).edits_organisations
    member_roles = roles_for(users["jasen@kotoverkko.example"])
    assert mako.pk in member_roles.member_of
    assert not member_roles.manages
    assert not users["jasen@kotoverkko.example"].is_staff


def test_a_few_join_requests_are_pending(demo):
    # given / when
    pending = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING)

    # then
    assert 3 <= pending.count() <= 5
    assert pending.filter(network__kind=Network.Kind.TEAM).exists()
    assert pending.filter(network__slug=POMAKO, language="sv").exists()


def test_changes_are_in_the_audit_log_by_the_system(demo):
    # given / when
    entries = AuditEntry.objects.all()

    # then
    assert entries.filter(model="network.person", action="create").count() == (
        Person.objects.count()
    )
    assert entries.filter(model="network.organisation", action="create").count() == (
        Organisation.objects.count()
    )
    assert not entries.filter(actor__isnull=False).exists()


def test_command_with_if_empty_does_nothing_on_a_loaded_database(demo):
    # given
    counts = _row_counts()
    out = StringIO()

    # when
    with translation.override("en"):
        call_command("demo", "--if-empty", stdout=out)

    # then
    assert _row_counts() == counts
    assert "not loaded" in out.getvalue()


def test_demo_logins_lists_only_the_logins_that_exist(demo):
    # given
    User.objects.filter(email="jasen@kotoverkko.example").delete()
    out = StringIO()

    # when
    call_command("demo_logins", stdout=out)

    # then
    text = out.getvalue()
    assert "koordinaattori@kotoverkko.example" in text
    assert "samordnare@kotoverkko.example" in text
    assert DEMO_PASSWORD in text
    assert "jasen@kotoverkko.example" not in text
