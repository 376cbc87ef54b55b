"""Tests for stancewatch.ingest.guard: which addresses the fetcher may connect to."""

from __future__ import annotations

import ipaddress

import pytest

from stancewatch.errors import BlockedURLError, NameResolutionError
from stancewatch.ingest.guard import AddressPolicy, non_public_reason, strip_userinfo


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.0.0.2", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "198.18.0.1",
        "::1", "::", "fe80::1", "fc00::1", "fec0::1", "ff02::1", "2001:db8::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
        "2002:7f00:1::1",  # 6to4 around 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 around 169.254.169.254
        "::127.0.0.2",  # IPv4-compatible
    ],
)  # fmt: skip
def test_non_public_addresses_are_named(address: str) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "host",
    ["127.0.0.2", "2130706434", "0x7f000002", "0177.0.0.2", "127.2", "localhost", "::1"],
)
def test_every_spelling_of_an_internal_host_is_refused(host: str) -> None:
    with pytest.raises(BlockedURLError, match="not a public address"):
        AddressPolicy().resolve(host, 80)


def test_the_allowlist_takes_networks_and_host_names() -> None:
    policy = AddressPolicy.from_allowlist(["127.0.0.1/32", "::1"])
    assert [address for _, address in policy.resolve("127.0.0.1", 80)] == ["127.0.0.1"]
    with pytest.raises(BlockedURLError):
        policy.resolve("127.0.0.2", 80)  # the neighbour is not allowed
    by_name = AddressPolicy.from_allowlist(["LocalHost."])
    assert by_name.resolve("localhost", 80)


def test_an_unknown_host_is_a_resolution_error() -> None:
    with pytest.raises(NameResolutionError):
        AddressPolicy().resolve("no-such-host.invalid", 80)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://user:secret@example.com/a?b=1#c", "http://example.com/a?b=1#c"),
        ("https://a@b@example.com:8443/", "https://example.com:8443/"),
        ("http://example.com/a@b", "http://example.com/a@b"),
    ],
)
def test_credentials_are_stripped_from_links(url: str, expected: str) -> None:
    assert strip_userinfo(url) == expected
