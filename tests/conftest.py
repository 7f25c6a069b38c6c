import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code run outside a request (services, commands) speaks English in tests, whatever
    language the previous test's request left active; pages choose theirs by URL."""
    translation.activate("en")
    yield
    translation.deactivate()
