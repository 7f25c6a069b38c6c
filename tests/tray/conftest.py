"""Fixtures shared by the tray's tests: two organisations in Lapland with their editors, a
network whose area is Kemi and Tornio, and its coordinator."""

import importlib

import pytest

from tests.factories import (
    NetworkFactory,
    OrganisationFactory,
    coordinator_of,
    member_of,
    municipality,
    person_with_login,
)


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when the collected static files are missing."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir(exist_ok=True)


@pytest.fixture
def reference_data():
    """The code lists and the tray's vocabularies, which the migrations load and a
    transactional test's flush empties: browser tests that follow another one load them
    again."""
    from django.apps import apps
    from django.core.management import call_command

    from kotoverkko.codelists.models import Municipality
    from kotoverkko.tray.models import Category

    if not Municipality.objects.exists():
        call_command("load_code_lists", verbosity=0)
    if not Category.objects.exists():
        vocabularies = importlib.import_module("kotoverkko.tray.migrations.0002_vocabularies")
        vocabularies.vocabularies_load(apps, None)


@pytest.fixture
def network():
    """Meri-Lappi: Kemi (240) and Tornio (851)."""
    network = NetworkFactory(slug="meri-lappi", name_fi="Meri-Lapin MAKO", name_en="Meri-Lappi")
    network.municipalities.set([municipality("240"), municipality("851")])
    return network


@pytest.fixture
def organisation():
    return OrganisationFactory(name_fi="Kemin SPR", municipality=municipality("240"))


@pytest.fixture
def other_organisation():
    return OrganisationFactory(name_fi="Rovaniemen seurakunta", municipality=municipality("698"))


@pytest.fixture
def editor(organisation, network):
    """An editor of `organisation` and a member of `network`."""
    person = member_of(network, organisation=organisation, email="editori@example.fi")
    organisation.editors.add(person)
    return person


@pytest.fixture
def other_editor(other_organisation):
    person = person_with_login(organisation=other_organisation, email="toinen@example.fi")
    other_organisation.editors.add(person)
    return person


@pytest.fixture
def coordinator(network):
    return coordinator_of(network, email="koordinaattori@example.fi")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor.user)
    return client
