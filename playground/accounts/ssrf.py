"""The SSRF guard for custom endpoints: only public http(s) addresses may be called.

The host is resolved and refused if ANY of its addresses is loopback, private, link-local,
multicast, reserved, unspecified, shared (CGNAT 100.64/10), a cloud metadata address, or an IPv6
form wrapping one of those (IPv4-mapped, 6to4, NAT64). Operators who run endpoints on their own
network set ``PLAYGROUND_ALLOW_PRIVATE_ENDPOINTS=true``. The URL is checked when an endpoint is
saved and again before every request, since DNS answers change, and once more where it matters
most: the client that calls custom endpoints resolves the name itself when it connects and
connects only to an address that passes (``playground.upstream``), so a DNS answer that changes
between the check and the connection (rebinding) is refused too. Redirects, the other way round
the guard, are never followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeEndpoint(ValueError):
    """A base URL the server refuses to call; the message is meant for the user."""


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address stands for, if it wraps one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def address_refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not be called (e.g. "a loopback address"), or None if it is public."""
    inner = _embedded_ipv4(address)
    if address in _METADATA or inner in _METADATA:
        return "a cloud metadata address"
    # The wrapped address first: it says where the packets would really go.
    for candidate in dict.fromkeys((inner, address)):
        if candidate.is_loopback:
            return "a loopback address"
        if candidate.is_unspecified:
            return "an unspecified address"
        if candidate.is_link_local:
            return "a link-local address"
        if candidate.is_multicast:
            return "a multicast address"
        if isinstance(candidate, ipaddress.IPv4Address) and candidate in _CGNAT:
            return "a shared (carrier-grade NAT) address"
        if candidate.is_reserved:
            return "a reserved address"
        if candidate.is_private:
            return "a private address"
        if not candidate.is_global:
            return "a reserved address"
    return None


def _split(url: str) -> tuple[str, int]:
    """The host and port of ``url``, after the checks that need no DNS."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise UnsafeEndpoint(f"The base URL is not a valid URL ({error}).") from None
    if parts.scheme not in {"http", "https"}:
        raise UnsafeEndpoint("The base URL must start with http:// or https://.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeEndpoint(
            "The base URL must not contain a user name or password; store the key on the "
            "API keys page instead."
        )
    if not parts.hostname:
        raise UnsafeEndpoint("The base URL has no host name.")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def judge_addresses(host: str, infos: list[tuple]) -> None:
    """Raise UnsafeEndpoint unless every address ``getaddrinfo`` gave for ``host`` is public."""
    if not infos:
        raise UnsafeEndpoint(f"The host {host} could not be resolved.")
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        reason = address_refusal(address)
        if reason is not None:
            raise UnsafeEndpoint(
                f"The host {host} resolves to {address}, {reason}; the server does not call "
                "private or local addresses for custom endpoints."
            )


def check_endpoint_url_sync(url: str, *, allow_private: bool) -> None:
    """Raise UnsafeEndpoint unless ``url`` is an http(s) URL the server may call."""
    host, port = _split(url)
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeEndpoint(f"The host {host} could not be resolved.") from None
    judge_addresses(host, infos)


async def check_endpoint_url(url: str, *, allow_private: bool) -> None:
    """The async twin of ``check_endpoint_url_sync``, resolving without blocking the loop."""
    host, port = _split(url)
    if allow_private:
        return
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeEndpoint(f"The host {host} could not be resolved.") from None
    judge_addresses(host, infos)
