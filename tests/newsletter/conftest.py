"""Networks, coordinators and subscribers shared by the bulletin tests."""

import pytest

from kotoverkko.mailing.subscriptions import mailing_list_for
from tests.browser.conftest import (  # noqa: F401 - the browser tests' fixtures, shared here
    _static_root_exists,
    browser,
    failed_responses,
    live_server,
    page,
    screenshot_dir,
)
from tests.factories import NetworkFactory, coordinator_of, member_of
from tests.mailing.factories import subscribed


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when the collected static files are missing."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def mako():
    """Lapland's MAKO (Finnish only) with a regional network below it."""
    network = NetworkFactory(
        slug="lapin-mako",
        name_fi="Lapin MAKO-verkosto",
        name_sv="MAKO-nätverket i Lappland",
        name_en="Lapland MAKO network",
        languages=["fi"],
        contact_email="mako@example.fi",
    )
    NetworkFactory(slug="meri-lapin-mako", parent=network, name_fi="Meri-Lapin MAKO")
    return network


@pytest.fixture
def pomako():
    """Ostrobothnia's POMAKO, in Finnish and Swedish."""
    return NetworkFactory(
        slug="pomako",
        name_fi="POMAKO-verkosto",
        name_sv="POMAKO-nätverket",
        name_en="POMAKO network",
        languages=["fi", "sv"],
        contact_email="pomako@example.fi",
    )


@pytest.fixture
def coordinators(mako, pomako):
    return {
        "mako": coordinator_of(mako, email="mako.koordinaattori@example.fi"),
        "pomako": coordinator_of(pomako, email="pomako.koordinaattori@example.fi"),
        "member": member_of(mako, email="jasen@example.fi"),
    }


def subscribe(network, email: str, language: str = "fi"):
    """An active, reachable subscriber of the network's list."""
    return subscribed(mailing_list_for(network), email=email, language=language)


def log_in(client, person):
    client.force_login(person.user)
    return client
