"""The client's address, directly and behind trusted proxies."""

import pytest
from django.test import RequestFactory

from kotoverkko.common.clients import client_address


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    # given a client that claims another address
    settings.TRUSTED_PROXIES = 0
    # then the connection's address counts
    assert client_address(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # the client wrote the leftmost entry itself; the proxy appended the real address
        (1, "10.0.0.1, 198.51.100.7", "198.51.100.7"),
        (2, "10.0.0.1, 198.51.100.7, 192.0.2.10", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_trusted_proxies_are_counted_from_the_right(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request_from("127.0.0.1", forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_missing_or_garbled_header_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXIES = 1
    assert client_address(request_from("127.0.0.1", forwarded)) == "127.0.0.1"
