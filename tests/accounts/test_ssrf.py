"""The SSRF guard refuses custom endpoints on loopback, private, link-local, metadata addresses."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.accounts.ssrf import (
    UnsafeEndpoint,
    address_refusal,
    check_endpoint_url,
    check_endpoint_url_sync,
)

REFUSED = [
    ("http://127.0.0.1:8000", "127.0.0.1, a loopback address"),
    ("http://127.1/", "127.0.0.1, a loopback address"),
    ("http://2130706433/", "127.0.0.1, a loopback address"),
    ("http://[::1]:9000/anthropic", "::1, a loopback address"),
    ("https://10.1.2.3/anthropic", "10.1.2.3, a private address"),
    ("http://192.168.0.10", "192.168.0.10, a private address"),
    ("http://172.16.5.4", "172.16.5.4, a private address"),
    ("http://169.254.169.254/latest/meta-data", "169.254.169.254, a cloud metadata address"),
    ("http://[fd00:ec2::254]/", "fd00:ec2::254, a cloud metadata address"),
    ("http://169.254.1.1/", "169.254.1.1, a link-local address"),
    ("http://100.64.0.1/", "100.64.0.1, a shared (carrier-grade NAT) address"),
    ("http://0.0.0.0:8000/", "0.0.0.0, an unspecified address"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1, a loopback address"),
    ("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1, a private address"),
    ("http://[2002:7f00:1::]/", "2002:7f00:1::, a loopback address"),
    ("http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe, a cloud metadata address"),
    ("http://[fe80::1]/", "fe80::1, a link-local address"),
    ("http://224.0.0.1/", "224.0.0.1, a multicast address"),
    ("http://240.0.0.1/", "240.0.0.1, a reserved address"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_an_endpoint_on_a_local_or_private_address_is_refused(url, reason):
    with pytest.raises(UnsafeEndpoint) as refusal:
        check_endpoint_url_sync(url, allow_private=False)
    assert f"resolves to {reason};" in str(refusal.value)


@pytest.mark.parametrize(("url", "reason"), REFUSED[:6])
async def test_the_async_guard_refuses_the_same_addresses(url, reason):
    with pytest.raises(UnsafeEndpoint, match=reason):
        await check_endpoint_url(url, allow_private=False)


def test_a_name_that_resolves_to_loopback_is_refused():
    with pytest.raises(
        UnsafeEndpoint, match=r"The host localhost resolves to .*a loopback address"
    ):
        check_endpoint_url_sync("http://localhost:8000/anthropic", allow_private=False)


async def test_the_async_guard_resolves_names_too():
    with pytest.raises(UnsafeEndpoint, match="a loopback address"):
        await check_endpoint_url("http://localhost/", allow_private=False)


def test_a_name_that_does_not_resolve_is_refused_with_its_name():
    with pytest.raises(UnsafeEndpoint, match=r"The host nowhere\.invalid could not be resolved"):
        check_endpoint_url_sync("https://nowhere.invalid/anthropic", allow_private=False)


def test_a_public_address_is_allowed():
    check_endpoint_url_sync("https://93.184.215.14/anthropic", allow_private=False)
    check_endpoint_url_sync("https://[2606:4700:4700::1111]/", allow_private=False)


def test_the_operator_may_allow_private_endpoints():
    check_endpoint_url_sync("http://127.0.0.1:8000", allow_private=True)
    check_endpoint_url_sync("http://10.0.0.5/anthropic", allow_private=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://93.184.215.14/", "must start with http:// or https://"),
        ("file:///etc/passwd", "must start with http:// or https://"),
        ("https://user:pw@93.184.215.14/", "must not contain a user name or password"),
        ("https://93.184.215.14:99999/", "is not a valid URL"),
        ("https:///anthropic", "has no host name"),
    ],
)
def test_malformed_base_urls_are_refused_even_when_private_addresses_are_allowed(url, message):
    with pytest.raises(UnsafeEndpoint, match=message):
        check_endpoint_url_sync(url, allow_private=True)


PRIVATE_NETWORKS = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
    "fe80::/10",
]


@given(
    network=st.sampled_from(PRIVATE_NETWORKS).map(ipaddress.ip_network),
    offset=st.integers(min_value=0, max_value=2**32),
)
def test_every_address_of_a_private_network_is_refused_also_when_wrapped(network, offset):
    address = network[offset % network.num_addresses]
    assert address_refusal(address) is not None
    if address.version == 4:
        assert address_refusal(ipaddress.ip_address(f"::ffff:{address}")) is not None
