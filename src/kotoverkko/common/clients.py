"""The address of the client a request came from, also behind reverse proxies.

Behind a proxy (nginx, a load balancer) every request seems to come from the proxy. With
TRUSTED_PROXIES set to the number of proxies in front of the site, the client's address is
read from X-Forwarded-For, counting that many entries from the right: the entries further
left were written by the client itself and cannot be trusted.
"""

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str:
    """The client's IP address as text; empty when it cannot be known."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # The last proxy's view of the client is the entry it appended: proxies-th from the right.
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
