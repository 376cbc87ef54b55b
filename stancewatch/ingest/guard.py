"""Where the fetcher may connect: URL shape, credentials in links, which addresses are public."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from stancewatch.errors import BlockedURLError, NameResolutionError

ALLOWED_SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Shared address space (RFC 6598): carrier NAT, never a public server. Python does not count
#: it as private, so it is listed here.
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
#: NAT64 (RFC 6052): the last 32 bits are an IPv4 address the gateway would connect to.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
#: Deprecated IPv4-compatible IPv6 addresses (::a.b.c.d).
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def strip_userinfo(url: str) -> str:
    """`url` without `user:password@`: credentials in a feed's links are never used or kept."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    hostport = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))


def check_url(url: str) -> None:
    """Raise BlockedURLError unless `url` is an absolute http(s) URL with a host.

    Where the host points is checked when connecting (see AddressPolicy), because only the
    address actually connected to counts.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError as exc:
        raise BlockedURLError(f"malformed URL: {exc}", url=url) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        scheme = parts.scheme or "no scheme"
        raise BlockedURLError(f"only http and https URLs are fetched, not {scheme}", url=url)
    if not host:
        raise BlockedURLError("URL has no host", url=url)


def non_public_reason(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address (loopback, private, ...), or None."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        reason = non_public_reason(embedded)
        return f"{reason} (embedded in {address})" if reason else None
    checks = (
        (address.is_loopback, "loopback"),
        (address.is_unspecified, "unspecified"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "shared (CGNAT)"),
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local, "site-local"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
        (not address.is_global, "not globally routable"),
    )
    return next((label for failed, label in checks if failed), None)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form stands for (mapped, 6to4, Teredo, NAT64, compatible)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client behind the relay
    if address in _NAT64 or address in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _IPV4_COMPATIBLE and int(address) > 1:  # :: and ::1 have their own checks
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which hosts may be connected to: public addresses, plus an explicit allowlist.

    `allow` holds host names (matched exactly, case-insensitively, before resolution) and
    addresses or CIDR networks (matched against every resolved address).
    """

    allowed_hosts: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_allowlist(cls, allow: Iterable[str]) -> AddressPolicy:
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in allow:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def resolve(self, host: str, port: int) -> list[tuple[socket.AddressFamily, str]]:
        """The addresses of `host` that may be connected to, in resolver order.

        Raises NameResolutionError when the name does not resolve and BlockedURLError when
        none of its addresses is allowed. Odd spellings of addresses (decimal, octal, hex,
        short forms) are read by the resolver exactly as a connection would read them.
        """
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except UnicodeError as exc:
            raise BlockedURLError(f"malformed URL: host {host!r}: {exc}") from None
        except socket.gaierror as exc:
            raise NameResolutionError(f"cannot resolve host {host!r}: {exc}") from None
        host_allowed = host.lower().rstrip(".") in self.allowed_hosts
        usable: list[tuple[socket.AddressFamily, str]] = []
        refused: list[str] = []
        for family, _type, _proto, _name, sockaddr in infos:
            text = str(sockaddr[0]).split("%", 1)[0]
            address = ipaddress.ip_address(text)
            reason = None if host_allowed else self._refusal(address)
            if reason:
                refused.append(f"{address} is {reason}")
            elif (family, text) not in usable:
                usable.append((family, text))
        if not usable:
            detail = "; ".join(dict.fromkeys(refused)) or "no addresses"
            raise BlockedURLError(
                f"host {host!r} is not a public address ({detail}); "
                "add it to STANCEWATCH_FETCH_ALLOW to fetch it anyway"
            )
        return usable

    def _refusal(self, address: IPAddress) -> str | None:
        if any(address in network for network in self.allowed_networks):
            return None
        mapped = _embedded_ipv4(address)
        if mapped is not None and any(mapped in network for network in self.allowed_networks):
            return None
        return non_public_reason(address)
