"""The search tests: the analyser with Voikko (required in CI, skipped with the reason on a
machine without it), and a test kind of content with similar entries."""

import pytest

from kotoverkko.search import analyser
from kotoverkko.search.index import register_source, unregister_source
from tests.components import require

DOCUMENT = "testdoc"


def voikko_installed() -> bool:
    loaded, _reason = analyser._load_voikko()
    return loaded is not None


@pytest.fixture
def voikko():
    """The real analyser: Voikko with its Finnish dictionary."""
    require(
        voikko_installed(),
        "Voikko is not installed (Debian: apt-get install libvoikko1 voikko-fi; "
        "pip install libvoikko)",
    )
    analyser.analyser_reset()
    yield
    analyser.analyser_reset()


@pytest.fixture
def without_voikko(monkeypatch):
    """The analyser as on a machine where Voikko cannot be loaded."""
    monkeypatch.setattr(
        analyser, "_load_voikko", lambda: (None, "the libvoikko library could not be loaded")
    )
    analyser.analyser_reset()
    yield
    monkeypatch.undo()
    analyser.analyser_reset()


@pytest.fixture
def documents():
    """A kind of content with similar entries, as the library registers its documents."""
    register_source(DOCUMENT, label="Documents", entries=lambda: [], similar=True)
    yield DOCUMENT
    unregister_source(DOCUMENT)
