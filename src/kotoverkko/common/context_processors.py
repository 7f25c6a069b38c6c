"""Template context shared by every page: the language switcher's links and the main links."""

from functools import lru_cache

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation


@lru_cache(maxsize=16)
def _main_links(language: str) -> dict[str, str]:
    """The header's links in one language; reversing them on every page costs more than the
    rest of a small page."""
    with translation.override(language):
        return {
            "home": reverse("network:home"),
            "organisations": reverse("network:organisation_list"),
            "calendar": reverse("events:calendar"),
            "search": reverse("search:search"),
            "library": reverse("library:document_list"),
            "tray": reverse("tray:offering_list"),
            "dashboard": reverse("network:dashboard"),
            "login": reverse("accounts:login"),
            "logout": reverse("accounts:logout"),
        }


def _in_language(path: str, current: str, code: str) -> str:
    # Every page's address is the same in each language but for its prefix.
    prefix = f"/{current}/"
    if path.startswith(prefix):
        return f"/{code}/{path[len(prefix) :]}"
    return translate_url(path, code)


def site(request):
    path = request.get_full_path()
    current = translation.get_language()
    return {
        "links": _main_links(current),
        "language_links": [
            {"code": code, "name": name, "url": _in_language(path, current, code)}
            for code, name in settings.LANGUAGES
        ],
    }
