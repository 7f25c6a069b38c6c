"""Whole-page caching for anonymous visitors.

A page is cached per language and address while nobody is logged in. Services call
`public_pages_changed()` after a change that public pages show; with a shared cache (Redis) that
takes effect at once everywhere, with the per-process default within PAGE_CACHE_SECONDS.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

VERSION_KEY = "public-pages-version"


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def public_pages_changed() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def cache_for_anonymous(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{_version()}:{get_language()}:{digest}"
        if (hit := cache.get(key)) is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapped
