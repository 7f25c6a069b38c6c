"""A fixed-window request limit per client address, kept in the cache.

For public forms that anyone may submit (subscribing, registering): a script could otherwise
fill a list with strangers' addresses or someone's mailbox with confirmation messages. IPv6
clients are counted per /64 network, the block one connection usually holds, so that rotating
through one's own addresses does not escape the limit.
"""

from ipaddress import IPv6Address, ip_address, ip_network

from django.core.cache import cache

from .clients import client_address


def _client_key(request) -> str:
    address = client_address(request)
    if not address:
        return ""
    try:
        parsed = ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def rate_limit_exceeded(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request for its client and say whether it goes over `limit` requests per
    `window_seconds`; a limit of 0 turns the check off. A client whose address cannot be known
    is not limited."""
    client = _client_key(request)
    if limit <= 0 or window_seconds <= 0 or not client:
        return False
    key = f"ratelimit:{scope}:{client}"
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit
