"""The client's address: REMOTE_ADDR, or behind trusted load balancers the one the outermost saw."""

import pytest
from django.test import RequestFactory

from lib.client import client_address

LOAD_BALANCER = "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "", "203.0.113.9"),
        (0, "198.51.100.1", "203.0.113.9"),  # no proxy trusted: the header is the client's word
        (1, "", "203.0.113.9"),  # a request that did not go through the proxy
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "192.0.2.66, 198.51.100.1", "198.51.100.1"),  # the client wrote the first one itself
        (2, "192.0.2.66, 198.51.100.1, 10.1.1.1", "198.51.100.1"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "pas-une-adresse", "203.0.113.9"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(settings, proxies, forwarded, address):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == address


def test_django_axes_locks_out_the_same_address(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "lib.client.client_address"
