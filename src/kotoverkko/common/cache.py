"""Whole-page caching for anonymous visitors.

Views that may be cached are marked with `cache_for_anonymous`. The middleware
`AnonymousPageCacheMiddleware`, placed right after the security and static-file middleware,
answers later requests for the same address from the cache before anything else runs, and
stores the finished responses (with every header the inner middleware added).

A request counts as anonymous when it carries no session and no messages cookie; a response
is stored only when the view ran for an anonymous visitor and sets no cookie. Services call
`public_pages_changed()` after a change that public pages show; with a shared cache (Redis)
that takes effect at once everywhere, with the per-process default within PAGE_CACHE_SECONDS.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "public-pages-version"
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
)


def _first_version() -> int:
    """A version never used before: after the cache is emptied (a restart of its server),
    values kept elsewhere under an old version must not match again."""
    return time.time_ns() // 1000


def public_pages_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        first = _first_version()
        cache.add(VERSION_KEY, first, None)
        version = cache.get(VERSION_KEY, first)
    return version


def cached_for_public_pages(name: str, compute, *, seconds: int = 300):
    """A value public pages show (e.g. the choices of a filter), kept until the next change."""
    key = f"public:{public_pages_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def public_pages_changed() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, _first_version(), None)


def _key(request) -> str:
    # The address includes the language prefix, so each language has its own entry.
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{public_pages_version()}:{digest}"


def _may_use_cache(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cache_for_anonymous(view):
    """Mark a view's responses to anonymous visitors as cacheable by the middleware."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            response.cacheable_for_anonymous = True
        return response

    return wrapped


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _key(request)
        if (hit := cache.get(key)) is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "cacheable_for_anonymous", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            headers = {name: response[name] for name in STORED_HEADERS if name in response}
            cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
        return response
